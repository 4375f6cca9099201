"""Serve a `FixtureSite` on loopback, on a free port, from memory (with ETag / Last-Modified and 304s)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

from crawler.fixture_site.render import FixtureSite, last_modified


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        self.server.hits[path] += 1
        resource = self.server.site.resources.get(path)
        if resource is None:
            self._send(404, b"<html><body>404 Not Found</body></html>", "text/html; charset=utf-8")
            return
        if resource.location:
            host = self.headers.get("Host", "127.0.0.1")
            self._send(resource.status, b"", "text/html", {"Location": f"http://{host}{resource.location}"})
            return
        validators = {"ETag": resource.etag, "Last-Modified": last_modified(resource)}
        if self.headers.get("If-None-Match") == resource.etag:
            self.server.not_modified += 1
            self._send(304, b"", None, validators)
            return
        self._send(resource.status, resource.body, resource.content_type, validators)

    def _send(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # silence per-request logging
        return


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: FixtureSite, host: str) -> None:
        super().__init__((host, 0), _Handler)
        self.site = site
        self.hits: Counter[str] = Counter()
        self.not_modified = 0

    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that hangs up (e.g. on an over-size page) is not the server's error


Served = TypeVar("Served", bound=ThreadingHTTPServer)


@contextmanager
def serving(server: Served, name: str) -> Iterator[Served]:
    """Run `server` in a background thread for the length of the block, then shut it down and close it."""
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_site(site: FixtureSite, host: str = "127.0.0.1") -> Iterator[_SiteServer]:
    """Serve the site in a background thread; yields the server (`.port`, `.hits`, `.base_url`)."""
    with serving(_SiteServer(site, host), "fixture-site") as server:
        yield server


def base_url(server: _SiteServer, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{server.server_address[1]}/"
