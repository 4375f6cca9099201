"""Spider traps end by themselves: nested folders, query-string pagination, endless index_N, endless `_N`
chains, and another port of the same host. One bounded crawl of a hostile server, one test per trap."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from crawler.fixture_site.content import load_articles
from db.session import make_engine
from tests.conftest import run_cli
from tests.hostile.server import HostileHandler, HostileServer, Routes, article_page, html_page, serve

MAX_RESPONSES = 300  # with a trap left open the crawl stops here, and the hit counts below fail
CHAIN_ID = 1200001


@dataclass
class TrapCrawl:
    server: HostileServer
    other_port: HostileServer
    failures: list[tuple[str, str]]
    finish_reason: str
    articles: set[int]

    def hits(self, prefix: str) -> int:
        return sum(n for path, n in self.server.hits.items() if path.startswith(prefix))


def _routes(other_base: str) -> Routes:
    articles = load_articles("articles")
    listed, chained = articles[0], articles[1].with_id(CHAIN_ID)
    routes = Routes()
    home = ["/trap/a/", "/dongtai/", "/yanglao/geren/", chained.path, f"{other_base}dongtai/",
            f"{other_base}{articles[2].path.lstrip('/')}"]
    routes.add(r"/", lambda h, m: h.send_body(200, html_page(home)))
    # every folder links two deeper folders: 2^depth list pages without a depth bound
    routes.add(r"(/trap/(?:[ab]/)+)", lambda h, m: h.send_body(200, html_page([m[1] + "a/", m[1] + "b/"])))
    # ?p=N links ?p=N+1 for ever
    routes.add(r"/dongtai/(?:\?p=(\d+))?",
               lambda h, m: h.send_body(200, html_page([f"/dongtai/?p={int(m[1] or 1) + 1}"])))
    # a category with one article, then empty pages index_2, index_3, ... each linking the next
    routes.add(r"/yanglao/geren/", lambda h, m: h.send_body(200, html_page([listed.path, "/yanglao/geren/index_2.html"])))
    routes.add(r"/yanglao/geren/index_(\d+)\.html",
               lambda h, m: h.send_body(200, html_page([f"/yanglao/geren/index_{int(m[1]) + 1}.html"])))
    routes.add(re.escape(listed.path), lambda h, m: h.send_body(200, article_page(listed)))

    def chain(handler: HostileHandler, match: re.Match[str]) -> None:  # every page says "one more to come"
        page_no = int(match[1] or 1)
        handler.send_body(200, article_page(chained, page_no, page_no + 1))

    routes.add(re.escape(chained.path[: -len(".html")]) + r"(?:_(\d+))?\.html", chain)
    return routes


@pytest.fixture(scope="module")
def trap_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrapCrawl]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('traps') / 'traps.db'}"
    other_routes = Routes()
    other_routes.add(r".*", lambda h, m: h.send_body(200, html_page(["/dongtai/"])))
    with serve(other_routes) as other, serve(_routes(other.base_url)) as server:
        run_cli("crawl", "--start-url", server.base_url, "--db", db_url, "--no-throttle", "--log-level", "WARNING",
                "--max-pages", str(MAX_RESPONSES))
        engine = make_engine(db_url)
        with engine.connect() as connection:
            failures = [(r.url, r.reason) for r in connection.execute(text("SELECT url, reason FROM failure"))]
            stats = json.loads(connection.scalar(text("SELECT stats FROM crawl_run")))
            articles = set(connection.scalars(text("SELECT article_id FROM article")))
        engine.dispose()
        yield TrapCrawl(server, other, failures, stats.get("finish_reason"), articles)


def test_crawl_ends_by_itself(trap_crawl: TrapCrawl) -> None:
    # every trap closed: the spider ran out of requests, not into the response cap
    assert trap_crawl.finish_reason == "finished"


def test_nested_folders_bounded(trap_crawl: TrapCrawl) -> None:
    # /trap/a/ is two folders deep (a category shape); deeper folders are not list pages
    assert trap_crawl.hits("/trap/") == 1


def test_query_string_pagination_not_followed(trap_crawl: TrapCrawl) -> None:
    # /dongtai/?p=2 carries a query string no list shape names
    assert trap_crawl.hits("/dongtai/") == 1
    assert not [r for r in trap_crawl.server.requests if "?p=" in r]


def test_pagination_stops_after_empty_page(trap_crawl: TrapCrawl) -> None:
    # index_2 lists no article: its link to index_3 is not followed
    assert trap_crawl.hits("/yanglao/geren/index_") == 1


def test_endless_continuation_chain_is_cut_and_recorded(trap_crawl: TrapCrawl) -> None:
    # the `_N` chain stops at 20 pages; the article is stored from them, and a failure row says it is incomplete
    chain_hits = sum(n for path, n in trap_crawl.server.hits.items() if f"/{CHAIN_ID}" in path)
    assert chain_hits == 20
    assert CHAIN_ID in trap_crawl.articles
    assert [reason for url, reason in trap_crawl.failures if "continuation chain cut at 20 pages" in reason]


def test_other_port_is_another_site(trap_crawl: TrapCrawl) -> None:
    # a link to 127.0.0.1 on another port is off-site
    assert sum(trap_crawl.other_port.hits.values()) == 0
