"""Spider traps end by themselves: nested folders, query-string pagination, endless index_N, an endless `_N`
chain, and another port of the same host (the "traps" site of the shared hostile crawl)."""

from __future__ import annotations

from tests.hostile.conftest import HostileCrawl
from tests.hostile.sites import TRAP_CHAIN


def test_crawl_ends_by_itself(hostile_crawl: HostileCrawl) -> None:
    # every trap closed: the spider ran out of requests, not into the response cap
    assert hostile_crawl.finish_reason == "finished"


def test_nested_folders_bounded(hostile_crawl: HostileCrawl) -> None:
    # /trap/a/ is two folders deep (a category shape); deeper folders are not list pages
    assert hostile_crawl.hits("traps", "/trap/") == 1


def test_query_string_pagination_not_followed(hostile_crawl: HostileCrawl) -> None:
    # /dongtai/?p=2 carries a query string no list shape names
    assert hostile_crawl.hits("traps", "/dongtai/") == 1
    assert not [r for r in hostile_crawl.servers["traps"].requests if "?p=" in r]


def test_pagination_stops_after_empty_page(hostile_crawl: HostileCrawl) -> None:
    # index_2 lists no article: its link to index_3 is not followed
    assert hostile_crawl.hits("traps", "/yanglao/geren/index_") == 1


def test_endless_continuation_chain_is_cut_and_recorded(hostile_crawl: HostileCrawl) -> None:
    # the `_N` chain stops at 20 pages; the article is stored from them, and a failure row says it is incomplete
    chain_hits = sum(n for path, n in hostile_crawl.servers["traps"].hits.items() if f"/{TRAP_CHAIN.id}" in path)
    assert chain_hits == 20
    assert TRAP_CHAIN.id in hostile_crawl.articles
    assert [r for _, r in hostile_crawl.failures_on("traps") if "continuation chain cut at 20 pages" in r]
    assert not hostile_crawl.articles[TRAP_CHAIN.id]["complete"]  # article_view says it lacks pages


def test_other_port_is_another_site(hostile_crawl: HostileCrawl) -> None:
    # links to 127.0.0.1 on another port (from the traps and the lost-pages sites) are off-site
    assert sum(hostile_crawl.other_port.hits.values()) == 0
