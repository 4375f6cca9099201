"""A loopback HTTP server that misbehaves like real sites do: traps, bad robots.txt, odd charsets, bombs.

Routes are (path regex, handler) pairs tried in order against the request's path and query; a path no
route claims falls back to a `FixtureSite`'s resources (when one is given), else 404. Every request is
counted by path so tests can bound what the crawl fetched. Binds 127.0.0.1 only.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawler.fixture_site.content import FixtureArticle
from crawler.fixture_site.render import FixtureSite, render_article_page
from crawler.fixture_site.server import serving
from normalize.urls import parse_article_url

Handler = Callable[["HostileHandler", re.Match[str]], None]


@dataclass
class Routes:
    """The server's behaviour: routes first, then the fixture site; an optional delay for article pages."""

    routes: list[tuple[re.Pattern[str], Handler]] = field(default_factory=list)
    site: FixtureSite | None = None
    article_delay_seconds: float = 0.0  # slows every fixture-site article page (to catch a crawl mid-way)

    def add(self, pattern: str, handler: Handler) -> None:
        self.routes.append((re.compile(pattern), handler))


class HostileHandler(BaseHTTPRequestHandler):
    server: HostileServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.hits[self.path.split("?", 1)[0]] += 1
        self.server.requests.append(self.path)
        self.server.request_times[self.path].append(time.monotonic())
        for pattern, handler in self.server.routes.routes:
            match = pattern.fullmatch(self.path)
            if match:
                handler(self, match)
                return
        site = self.server.routes.site
        resource = site.resources.get(self.path.split("?", 1)[0]) if site else None
        if resource is None:
            self.send_body(404, b"<html><body>404</body></html>")
            return
        if self.server.routes.article_delay_seconds and parse_article_url(self.path):
            time.sleep(self.server.routes.article_delay_seconds)
        if resource.location:
            self.send_body(resource.status, b"", headers={"Location": f"http://{self.host}{resource.location}"})
            return
        self.send_body(resource.status, resource.body, resource.content_type)

    @property
    def host(self) -> str:
        return self.headers.get("Host", "127.0.0.1")

    def send_body(self, status: int, body: bytes, content_type: str | None = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None, content_length: bool = True) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if content_length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, routes: Routes) -> None:
        super().__init__(("127.0.0.1", 0), HostileHandler)
        self.routes = routes
        self.hits: Counter[str] = Counter()
        self.requests: list[str] = []
        self.request_times: defaultdict[str, list[float]] = defaultdict(list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that hangs up on a bomb is expected


@contextmanager
def serve(routes: Routes) -> Iterator[HostileServer]:
    with serving(HostileServer(routes), "hostile-site") as server:
        yield server


def html_page(links: list[str], title: str = "列表") -> bytes:
    """A list-like page: a title and one link per href."""
    items = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body><ul>{items}</ul></body></html>'.encode()


def article_page(article: FixtureArticle, page_no: int = 1, n_pages: int = 1) -> bytes:
    """Page `page_no` of `article` as the fixture site renders it (UTF-8); all its text on every page."""
    return render_article_page(article, list(article.paragraphs), page_no=page_no, n_pages=n_pages).encode()
