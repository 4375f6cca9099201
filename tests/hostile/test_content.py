"""Pages that arrive but are odd: implausible dates, a GBK page whose header says utf-8, Retry-After."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from crawler.fixture_site.content import FixtureArticle, load_articles
from crawler.retry_after import retry_after_seconds
from db.session import make_engine
from normalize.quality import published_time_problem
from tests.conftest import run_cli
from tests.hostile.server import HostileHandler, HostileServer, Routes, article_page, html_page, serve

ARTICLES = load_articles("articles")
FUTURE = ARTICLES[0].with_id(1600001, published="2099-05-02 10:00:00")
ANCIENT = ARTICLES[1].with_id(1600002, published="1900-01-01 08:00:00")
BUSY = ARTICLES[2].with_id(1600003, published="2025-05-02 10:00:00")
GBK = ARTICLES[3].with_id(1600004, published="2025-05-02 10:00:00")
RETRY_AFTER_SECONDS = 2


@dataclass
class ContentCrawl:
    server: HostileServer
    articles: dict[int, dict]
    warnings: list[tuple[str, str]]


def _busy_once(article: FixtureArticle):  # type: ignore[no-untyped-def]
    def handler(h: HostileHandler, m: re.Match[str]) -> None:
        if len(h.server.request_times[article.path]) == 1:  # first visit: come back later
            h.send_body(503, b"busy", "text/plain", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        else:
            h.send_body(200, article_page(article))
    return handler


@pytest.fixture(scope="module")
def content_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContentCrawl]:
    routes = Routes()
    pages = [FUTURE, ANCIENT, BUSY, GBK]
    routes.add(r"/", lambda h, m: h.send_body(200, html_page([a.path for a in pages])))
    for article in (FUTURE, ANCIENT):
        routes.add(re.escape(article.path), lambda h, m, a=article: h.send_body(200, article_page(a)))
    routes.add(re.escape(BUSY.path), _busy_once(BUSY))
    gbk_body = article_page(GBK).decode().replace('<meta charset="utf-8">', "").encode("gb18030")
    routes.add(re.escape(GBK.path), lambda h, m: h.send_body(200, gbk_body, "text/html; charset=utf-8"))
    db_url = f"sqlite:///{tmp_path_factory.mktemp('content') / 'content.db'}"
    with serve(routes) as server:
        run_cli("crawl", "--start-url", server.base_url, "--db", db_url, "--no-throttle", "--log-level", "WARNING")
    engine = make_engine(db_url)
    with engine.connect() as connection:
        articles = {r.article_id: dict(r._mapping) for r in connection.execute(text("SELECT * FROM article_view"))}
        warnings = [(r.url, r.reason) for r in connection.execute(text(
            "SELECT url, reason FROM failure WHERE stage = 'quality'"))]
    engine.dispose()
    yield ContentCrawl(server, articles, warnings)


def _warnings_for(crawl: ContentCrawl, article: FixtureArticle) -> list[str]:
    return [reason for url, reason in crawl.warnings if url.endswith(article.path)]


@pytest.mark.parametrize("article", [FUTURE, ANCIENT], ids=["2099", "1900"])
def test_implausible_dates_are_kept_and_flagged(content_crawl: ContentCrawl, article: FixtureArticle) -> None:
    assert content_crawl.articles[article.id]["published_at"].startswith(article.published[:4])
    assert any("implausible" in reason for reason in _warnings_for(content_crawl, article))


def test_retry_after_honoured(content_crawl: ContentCrawl) -> None:
    # the 503 asked for 2 s: the retry came no sooner (a lower bound only), and the article was stored
    first, second = content_crawl.server.request_times[BUSY.path][:2]
    assert second - first >= RETRY_AFTER_SECONDS - 0.2
    assert BUSY.id in content_crawl.articles


def test_gbk_page_with_utf8_header_decoded_in_crawl(content_crawl: ContentCrawl) -> None:
    stored = content_crawl.articles[GBK.id]
    assert stored["title"] and "\ufffd" not in stored["title"] and stored["city"]
    assert not _warnings_for(content_crawl, GBK)


def test_plausibility_rules() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert published_time_problem(datetime(2026, 12, 1, 20, tzinfo=UTC), now) is None  # hours ahead: time zones
    assert published_time_problem(datetime(2027, 1, 1, tzinfo=UTC), now)
    assert published_time_problem(datetime(1999, 12, 31, tzinfo=UTC), now)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Tue, 01 Dec 2026 00:01:00 GMT", now) == 60
    assert retry_after_seconds("soon", now) is None
