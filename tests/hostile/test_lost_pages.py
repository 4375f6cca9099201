"""Every page the crawl loses is a failure row with a reason, counted in the summary: gzip bombs, redirect
loops, self-redirects, redirects off-site or to a list page, a huge page without Content-Length."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from crawler.fixture_site.content import load_articles
from db.session import make_engine
from tests.conftest import run_cli
from tests.hostile.server import HostileHandler, Routes, article_page, html_page, serve

BASE = "/yiliao/yibaozhishi/202505/"
GZIP_BOMB = gzip.compress(b"\0" * (8 * 1024 * 1024))  # 8 MiB inflated, over the 5 MiB cap; ~8 KiB on the wire
HUGE_UNSIZED_BYTES = 10 * 1024 * 1024
CASES = {  # article id → what its URL does
    1400001: "gzip bomb",
    1400002: "redirect loop",  # 1400002 → 1400003 → 1400002
    1400004: "self-redirect",
    1400005: "off-site redirect",
    1400006: "redirect to a list page",
    1400007: "10 MB without Content-Length",
}
GOOD_ID = 1400009  # reached through an old URL that redirects to it: stored, no failure


def _stream_unsized(handler: HostileHandler, match: re.Match[str]) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Connection", "close")  # no Content-Length: the size is known only by reading
    handler.end_headers()
    handler.close_connection = True
    chunk = b"<p>" + b"x" * 65530 + b"</p>"
    for _ in range(HUGE_UNSIZED_BYTES // len(chunk)):
        handler.wfile.write(chunk)


def _redirect(location: str):  # type: ignore[no-untyped-def]
    return lambda h, m: h.send_body(301, b"", headers={"Location": location})


@dataclass
class LostCrawl:
    failures: dict[int, str]  # article id in the URL → reason
    stdout: str
    fatal_rows: int
    stored: set[int]


@pytest.fixture(scope="module")
def lost_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LostCrawl]:
    good = load_articles("articles")[0].with_id(GOOD_ID, published="2025-05-02 10:00:00")
    other = Routes()
    other.add(r".*", lambda h, m: h.send_body(200, html_page([])))
    db_url = f"sqlite:///{tmp_path_factory.mktemp('lost') / 'lost.db'}"
    with serve(other) as other_site:
        routes = Routes()
        links = [f"{BASE}{i}.html" for i in CASES] + ["/dongtai/", f"{BASE}999{GOOD_ID}.html"]
        routes.add(r"/", lambda h, m: h.send_body(200, html_page(links)))
        routes.add(r"/dongtai/", lambda h, m: h.send_body(200, html_page([])))
        routes.add(f"{BASE}1400001.html", lambda h, m: h.send_body(200, GZIP_BOMB, headers={"Content-Encoding": "gzip"}))
        routes.add(f"{BASE}1400002.html", _redirect(f"{BASE}1400003.html"))
        routes.add(f"{BASE}1400003.html", _redirect(f"{BASE}1400002.html"))
        routes.add(f"{BASE}1400004.html", _redirect(f"{BASE}1400004.html"))
        routes.add(f"{BASE}1400005.html", _redirect(f"{other_site.base_url}yiliao/yibaozhishi/202505/1400005.html"))
        routes.add(f"{BASE}1400006.html", _redirect("/dongtai/"))
        routes.add(f"{BASE}1400007.html", _stream_unsized)
        routes.add(f"{BASE}999{GOOD_ID}.html", _redirect(good.path))
        routes.add(re.escape(good.path), lambda h, m: h.send_body(200, article_page(good)))
        with serve(routes) as server:
            result = run_cli("crawl", "--start-url", server.base_url, "--db", db_url, "--no-throttle",
                             "--log-level", "WARNING")
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT url, reason FROM failure WHERE stage != 'quality'")).all()
        stored = set(connection.scalars(text("SELECT article_id FROM article")))
    engine.dispose()
    failures = {}
    for url, reason in rows:
        match = re.search(r"/(\d+)\.html$", url)
        if match:
            failures[int(match[1])] = reason
    yield LostCrawl(failures, result.stdout, len(rows), stored)


@pytest.mark.parametrize(
    ("article_id", "reason"),
    [
        (1400001, "exceeded DOWNLOAD_MAXSIZE (5242880 B) during decompression"),  # Scrapy's words, kept
        (1400002, "redirect loop"),
        (1400004, "redirects to itself"),
        (1400005, "redirected off-site"),
        (1400006, "not an article"),
        (1400007, "size cap"),
    ],
)
def test_lost_page_has_failure_row(lost_crawl: LostCrawl, article_id: int, reason: str) -> None:
    assert reason in lost_crawl.failures.get(article_id, ""), lost_crawl.failures


def test_lost_pages_counted_in_summary(lost_crawl: LostCrawl) -> None:
    assert f"failures:       {lost_crawl.fatal_rows}\n" in lost_crawl.stdout
    assert lost_crawl.fatal_rows >= len(CASES)


def test_good_redirect_still_followed(lost_crawl: LostCrawl) -> None:
    assert lost_crawl.stored == {GOOD_ID}
    assert GOOD_ID not in lost_crawl.failures
