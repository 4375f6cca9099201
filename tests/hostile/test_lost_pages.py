"""Every page the crawl loses is a failure row with a reason, counted in the summary: gzip bombs, redirect
loops, self-redirects, redirects off-site or to a list page, a huge page without Content-Length (the "lost"
site of the shared hostile crawl, on SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest

from tests.hostile.conftest import HostileCrawl
from tests.hostile.sites import LOST_CASES, LOST_GOOD


def _reasons_by_id(crawl: HostileCrawl) -> dict[int, str]:
    by_id = {}
    for url, reason in crawl.failures_on("lost"):
        match = re.search(r"/(\d+)\.html$", url)
        if match:
            by_id[int(match[1])] = reason
    return by_id


@pytest.mark.parametrize(
    ("article_id", "reason"),
    [
        (1400001, "exceeded DOWNLOAD_MAXSIZE (5242880 B) during decompression"),  # Scrapy's words, kept
        (1400002, "redirect loop"),
        (1400004, "redirects to itself"),
        (1400005, "redirected off-site"),
        (1400006, "not an article"),
        (1400007, "grew past the size cap (5242880 bytes"),
    ],
)
def test_lost_page_has_failure_row(hostile_crawl: HostileCrawl, article_id: int, reason: str) -> None:
    assert article_id in LOST_CASES
    assert reason in _reasons_by_id(hostile_crawl).get(article_id, ""), hostile_crawl.failures_on("lost")


def test_lost_pages_counted_in_summary(hostile_crawl: HostileCrawl) -> None:
    fatal = [row for row in hostile_crawl.failures if row[0] != "quality"]
    assert f"failures:       {len(fatal)}\n" in hostile_crawl.stdout
    assert len(hostile_crawl.failures_on("lost")) >= len(LOST_CASES)


def test_good_redirect_still_followed(hostile_crawl: HostileCrawl) -> None:
    assert LOST_GOOD.id in hostile_crawl.articles
    assert LOST_GOOD.id not in _reasons_by_id(hostile_crawl)
    assert not {i for i in LOST_CASES if i in hostile_crawl.articles}


def test_no_linked_page_lost_silently(hostile_crawl: HostileCrawl) -> None:
    # every hostile URL of the site ends as a stored article or a failure row (a long header included)
    reasons = _reasons_by_id(hostile_crawl)
    assert [i for i in LOST_CASES if i not in reasons and i not in hostile_crawl.articles] == []
