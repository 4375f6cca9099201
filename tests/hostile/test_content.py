"""Pages that arrive but are odd: implausible dates, a GBK page whose header says utf-8, Retry-After
(the "content" site of the shared hostile crawl)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.fixture_site.content import FixtureArticle
from crawler.retry_after import retry_after_seconds
from normalize.quality import published_time_problem
from tests.hostile.conftest import HostileCrawl
from tests.hostile.sites import ANCIENT, BUSY, FUTURE, GBK, RETRY_AFTER_SECONDS


def _warnings_for(crawl: HostileCrawl, article: FixtureArticle) -> list[str]:
    return [reason for url, reason in crawl.failures_on("content", "quality") if url.endswith(article.path)]


@pytest.mark.parametrize("article", [FUTURE, ANCIENT], ids=["2099", "1900"])
def test_implausible_dates_are_kept_and_flagged(hostile_crawl: HostileCrawl, article: FixtureArticle) -> None:
    assert hostile_crawl.articles[article.id]["published_at"].startswith(article.published[:4])
    assert any("implausible" in reason for reason in _warnings_for(hostile_crawl, article))


def test_retry_after_honoured(hostile_crawl: HostileCrawl) -> None:
    # the 503 asked for 2 s: the retry came no sooner (a lower bound only), and the article was stored
    first, second = hostile_crawl.servers["content"].request_times[BUSY.path][:2]
    assert second - first >= RETRY_AFTER_SECONDS - 0.2
    assert BUSY.id in hostile_crawl.articles


def test_gbk_page_with_utf8_header_decoded_in_crawl(hostile_crawl: HostileCrawl) -> None:
    stored = hostile_crawl.articles[GBK.id]
    assert stored["title"] and "\ufffd" not in stored["title"] and stored["city"]
    assert not _warnings_for(hostile_crawl, GBK)


def test_plausibility_rules() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert published_time_problem(datetime(2026, 12, 1, 20, tzinfo=UTC), now) is None  # hours ahead: time zones
    assert published_time_problem(datetime(2027, 1, 1, tzinfo=UTC), now)
    assert published_time_problem(datetime(1999, 12, 31, tzinfo=UTC), now)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Tue, 01 Dec 2026 00:01:00 GMT", now) == 60
    assert retry_after_seconds("soon", now) is None
