"""Incremental crawls: an unchanged site adds nothing; one changed page adds exactly one version.

The second crawls use `--revisit all` (every stored article asked again, conditionally); the default
schedule, which asks only for due articles, is tested in test_recrawl.py.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from crawler.fixture_site.render import build_site
from crawler.fixture_site.server import base_url, serve_site
from db.models import PageVersion, ProcessJob
from db.session import make_engine
from tests.conftest import crawl, run_cli


def _counts(db_url: str) -> tuple[int, int]:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        versions = connection.scalar(select(func.count()).select_from(PageVersion)) or 0
        jobs = connection.scalar(select(func.count()).select_from(ProcessJob)) or 0
    engine.dispose()
    return versions, jobs


def _crawl_all(db_url: str, start: str) -> None:
    run_cli("crawl", "--start-url", start, "--db", db_url, "--no-throttle", "--log-level", "WARNING", "--revisit", "all")


def test_second_crawl_of_unchanged_site_adds_nothing(tmp_path: Path) -> None:
    # a second crawl revisiting everything sends conditional requests (304s) and adds no page version and no job
    site = build_site()
    db_url = f"sqlite:///{tmp_path / 'inc.db'}"
    with serve_site(site) as server:
        crawl(db_url, base_url(server))
        first = _counts(db_url)
        served_before = server.not_modified
        _crawl_all(db_url, base_url(server))
        second = _counts(db_url)
        assert server.not_modified - served_before >= len(site.articles)
    assert first[0] > 0
    assert second == first


def test_changed_page_creates_exactly_one_version(tmp_path: Path) -> None:
    # editing one article between crawls adds one page version, and the article is reprocessed
    site = build_site()
    db_url = f"sqlite:///{tmp_path / 'change.db'}"
    article_id = sorted(site.articles)[10]
    old_title = site.articles[article_id].title
    with serve_site(site) as server:
        crawl(db_url, base_url(server))
        before, _ = _counts(db_url)
        site.set_article_text(article_id, old_title, old_title + "(更新)")
        _crawl_all(db_url, base_url(server))
        after, _ = _counts(db_url)
    assert after == before + 1
    engine = make_engine(db_url)
    with engine.connect() as connection:
        title = connection.scalar(text("SELECT title FROM article_view WHERE article_id = :i"), {"i": article_id})
    engine.dispose()
    assert title is not None and title.endswith("(更新)")
