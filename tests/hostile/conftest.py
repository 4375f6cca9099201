"""Fixtures of the hostile-input tests: one crawl of every hostile site (on SQLite and PostgreSQL), a small
fixture site, and a fresh database of either kind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from crawler.fixture_site.content import load_articles
from crawler.fixture_site.render import FixtureSite, build_site
from db.session import make_engine
from tests.conftest import fresh_postgres_database, run_cli
from tests.hostile import sites
from tests.hostile.server import HostileServer, Routes, html_page, serve

DATABASE_KINDS = ("sqlite", "postgresql")


def small_site() -> FixtureSite:
    """The bundled articles only, without the built-in traps: quick to crawl on a loaded machine."""
    return build_site(load_articles("articles"), traps=False)


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database of `kind` (a file in `folder`, or a new PostgreSQL database, dropped after)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'hostile.db'}"
        return
    with fresh_postgres_database("shebao_hostile") as url:
        yield url


MAX_RESPONSES = 300  # with a trap left open the crawl stops here, and the trap tests' hit counts fail


@dataclass
class HostileCrawl:
    """One crawl of every hostile site, and what it left in the database (read before the database goes)."""

    servers: dict[str, HostileServer]  # site name → its server
    other_port: HostileServer  # another port of 127.0.0.1: must never be fetched
    stdout: str
    finish_reason: str
    articles: dict[int, dict]  # article_view rows by article id
    failures: list[tuple[str, str, str]]  # (stage, url, reason), every row

    def failures_on(self, site: str, stage: str | None = None) -> list[tuple[str, str]]:
        """(url, reason) of the rows for URLs of `site` (any stage but quality, or `stage`)."""
        base = self.servers[site].base_url
        return [(u, r) for s, u, r in self.failures
                if u.startswith(base) and (s == stage if stage else s != "quality")]

    def hits(self, site: str, prefix: str = "/") -> int:
        return sum(n for path, n in self.servers[site].hits.items() if path.startswith(prefix))


@pytest.fixture(scope="session", params=DATABASE_KINDS)
def hostile_crawl(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCrawl]:
    """Every hostile site served at once and crawled in one bounded run, on SQLite and on PostgreSQL."""
    with fresh_database(request.param, tmp_path_factory.mktemp("hostile")) as db_url, ExitStack() as stack:
        other = Routes()
        other.add(r".*", lambda h, m: h.send_body(200, html_page(["/dongtai/"])))
        other_port = stack.enter_context(serve(other))
        routes = {"traps": sites.trap_routes(other_port.base_url), "lost": sites.lost_routes(other_port.base_url),
                  "content": sites.content_routes()}
        routes.update({case: sites.robots_routes(case) for case in sites.ROBOTS_CASES})
        servers = {name: stack.enter_context(serve(site)) for name, site in routes.items()}
        starts = [a for server in servers.values() for a in ("--start-url", server.base_url)]
        result = run_cli("crawl", *starts, "--db", db_url, "--no-throttle", "--log-level", "WARNING",
                         "--max-pages", str(MAX_RESPONSES))
        engine = make_engine(db_url)
        with engine.connect() as connection:
            articles = {r.article_id: dict(r._mapping) for r in connection.execute(text("SELECT * FROM article_view"))}
            failures = [(r.stage, r.url, r.reason) for r in connection.execute(
                text("SELECT stage, url, reason FROM failure ORDER BY id"))]
            stats = json.loads(connection.scalar(text("SELECT stats FROM crawl_run")))
        engine.dispose()
        yield HostileCrawl(servers, other_port, result.stdout, stats.get("finish_reason"), articles, failures)
