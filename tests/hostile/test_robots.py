"""robots.txt per RFC 9309: 5xx or no answer disallows the host (with a failure row); 4xx allows all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from crawler.fixture_site.content import FixtureArticle, load_articles
from db.session import make_engine
from tests.conftest import run_cli
from tests.hostile.server import HostileHandler, HostileServer, Routes, article_page, html_page, serve


def _hang_up(handler: HostileHandler, match: re.Match[str]) -> None:
    handler.close_connection = True  # no status line at all: the robots.txt never answers


ROBOTS = {
    "server_error": lambda h, m: h.send_body(500, b"oops", "text/plain"),
    "no_answer": _hang_up,
    "not_found": lambda h, m: h.send_body(404, b"User-agent: *\nDisallow: /", "text/plain"),  # a 4xx body is no rules
}


@dataclass
class RobotsCrawl:
    servers: dict[str, HostileServer]
    articles: dict[str, FixtureArticle]
    stored: set[int]
    failures: list[tuple[str, str]]


def _site(article: FixtureArticle, robots_handler) -> Routes:  # type: ignore[no-untyped-def]
    routes = Routes()
    routes.add(r"/robots\.txt", robots_handler)
    routes.add(r"/", lambda h, m: h.send_body(200, html_page([article.path])))
    routes.add(re.escape(article.path), lambda h, m: h.send_body(200, article_page(article)))
    return routes


@pytest.fixture(scope="module")
def robots_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RobotsCrawl]:
    source = load_articles("articles")[0]
    articles = {case: source.with_id(1300001 + n) for n, case in enumerate(ROBOTS)}
    db_url = f"sqlite:///{tmp_path_factory.mktemp('robots') / 'robots.db'}"
    with ExitStack() as stack:
        servers = {case: stack.enter_context(serve(_site(articles[case], ROBOTS[case]))) for case in ROBOTS}
        starts = [a for server in servers.values() for a in ("--start-url", server.base_url)]
        run_cli("crawl", *starts, "--db", db_url, "--no-throttle", "--log-level", "WARNING")
        engine = make_engine(db_url)
        with engine.connect() as connection:
            stored = set(connection.scalars(text("SELECT article_id FROM article")))
            failures = [(r.url, r.reason) for r in connection.execute(text("SELECT url, reason FROM failure"))]
        engine.dispose()
        yield RobotsCrawl(servers, articles, stored, failures)


def _reasons(crawl: RobotsCrawl, case: str) -> list[str]:
    base = crawl.servers[case].base_url
    return [reason for url, reason in crawl.failures if url.startswith(base)]


def test_robots_5xx_disallows_the_host(robots_crawl: RobotsCrawl) -> None:
    # nothing of the host is fetched, and the start page's failure row says why
    assert robots_crawl.servers["server_error"].hits.keys() == {"/robots.txt"}
    assert robots_crawl.articles["server_error"].id not in robots_crawl.stored
    assert any("robots.txt answered HTTP 500" in r and "RFC 9309" in r for r in _reasons(robots_crawl, "server_error"))


def test_robots_no_answer_disallows_the_host(robots_crawl: RobotsCrawl) -> None:
    assert robots_crawl.servers["no_answer"].hits.keys() == {"/robots.txt"}
    assert robots_crawl.articles["no_answer"].id not in robots_crawl.stored
    assert any("robots.txt unreachable" in r for r in _reasons(robots_crawl, "no_answer"))


def test_robots_4xx_allows_all(robots_crawl: RobotsCrawl) -> None:
    # a 404 robots.txt means no rules, whatever its body says
    assert robots_crawl.articles["not_found"].id in robots_crawl.stored
    assert not [r for r in _reasons(robots_crawl, "not_found") if "robots" in r]
