"""The same storage, processing and views on a real PostgreSQL server (a fresh database per test)."""

from __future__ import annotations

from sqlalchemy import text

from crawler.fixture_site.content import load_seeds
from crawler.fixture_site.render import build_site
from db.migrations import CURRENT_VERSION, upgrade
from db.session import make_engine, session_scope
from db.store import store_fetched_article
from db.worker import process_pending
from schema.records import FetchedArticle, FetchedPage


def _store_seeds(db_url: str) -> None:
    site = build_site(load_seeds(), traps=False)
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as session:
        for article_id, paths in site.article_pages.items():
            pages = [
                FetchedPage(f"http://fixture{p}", n, 200, site.resources[p].body, site.resources[p].content_type,
                            "2026-01-01T00:00:00+00:00")
                for n, p in enumerate(paths, start=1)
            ]
            store_fetched_article(session, FetchedArticle(article_id, pages[0].url, pages))
    counts = process_pending(engine)
    engine.dispose()
    assert counts.failed == 0


def test_pipeline_and_views_on_postgres(postgres_url: str) -> None:
    # storing, processing and every view work on PostgreSQL with the same code as on SQLite
    _store_seeds(postgres_url)
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        cities = set(connection.scalars(text("SELECT city FROM article_view")))
        published = set(connection.scalars(text("SELECT published_at FROM article_view")))
        types = set(connection.scalars(text("SELECT DISTINCT type FROM record_view")))
        shared = connection.execute(
            text("SELECT n_cities, cities FROM fact_coverage_view WHERE n_cities = 2 LIMIT 1")
        ).first()
    engine.dispose()
    assert cities == {"济南市", "西宁市"}
    assert "2025-05-02T15:17:00+08:00" in published
    assert {"material", "step", "timeframe", "exclusion"} <= types
    assert shared is not None and set(shared.cities.split(",")) == {"济南市", "西宁市"}


def test_upgrade_is_idempotent_on_postgres(postgres_url: str) -> None:
    # running the migrations twice keeps one Alembic stamp (the head) and the views
    engine = make_engine(postgres_url)
    assert upgrade(engine) == upgrade(engine)
    with engine.connect() as connection:
        versions = list(connection.scalars(text("SELECT version_num FROM alembic_version")))
        views = set(connection.scalars(text("SELECT table_name FROM information_schema.views WHERE table_schema='public'")))
    engine.dispose()
    assert versions == [CURRENT_VERSION]
    assert {"article_view", "record_view", "fact_coverage_view"} <= views


def test_crawl_into_postgres(postgres_url: str) -> None:
    # `shebao crawl --db postgresql+psycopg://...` stores and processes the fixture site like SQLite does
    from crawler.fixture_site.server import base_url, serve_site
    from tests.conftest import crawl

    site = build_site()
    with serve_site(site) as server:
        crawl(postgres_url, base_url(server))
        crawl(postgres_url, base_url(server))  # a second, unchanged crawl adds nothing
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        ids = set(connection.scalars(text("SELECT article_id FROM article_view")))
        versions = connection.scalar(text("SELECT COUNT(*) FROM page_version"))
        reposts = connection.scalar(text("SELECT COUNT(*) FROM article_view WHERE duplicate_of IS NOT NULL"))
    engine.dispose()
    assert ids == set(site.articles)
    assert versions == sum(len(p) for p in site.article_pages.values()) + 1  # + the empty page
    assert reposts == 1
