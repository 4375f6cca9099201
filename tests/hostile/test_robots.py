"""robots.txt per RFC 9309: 5xx or no answer disallows the host (with failure rows); 4xx allows all."""

from __future__ import annotations

from tests.hostile.conftest import HostileCrawl
from tests.hostile.sites import ROBOTS_ARTICLES


def test_robots_5xx_disallows_the_host(hostile_crawl: HostileCrawl) -> None:
    # nothing of the host but robots.txt is fetched, and the start page's failure row says why
    assert hostile_crawl.servers["robots_server_error"].hits.keys() == {"/robots.txt"}
    assert ROBOTS_ARTICLES["robots_server_error"].id not in hostile_crawl.articles
    reasons = [r for _, r in hostile_crawl.failures_on("robots_server_error")]
    assert any("robots.txt answered HTTP 500" in r and "RFC 9309" in r for r in reasons), reasons


def test_robots_no_answer_disallows_the_host(hostile_crawl: HostileCrawl) -> None:
    assert hostile_crawl.servers["robots_no_answer"].hits.keys() == {"/robots.txt"}
    assert ROBOTS_ARTICLES["robots_no_answer"].id not in hostile_crawl.articles
    assert any("robots.txt unreachable" in r for _, r in hostile_crawl.failures_on("robots_no_answer"))


def test_robots_4xx_allows_all(hostile_crawl: HostileCrawl) -> None:
    # a 404 robots.txt means no rules, whatever its body says
    assert ROBOTS_ARTICLES["robots_not_found"].id in hostile_crawl.articles
    assert not [r for _, r in hostile_crawl.failures_on("robots_not_found") if "robots" in r]
