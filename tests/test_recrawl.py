"""Re-crawl cost follows change: an unchanged site costs a few list pages, new articles at the head of
the lists are found, due articles are revisited, and an interrupted first crawl leaves no hole.

One module-wide first crawl of a 400-article site is the baseline; each test works on a copy of its
database (the site is served on one port for the whole module, so stored URLs stay valid).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from crawler.fixture_site.large import large_articles
from crawler.fixture_site.render import FixtureSite, build_site
from crawler.fixture_site.server import base_url, serve_site
from db.models import ArticleVisit, PageVersion, ProcessJob
from db.runs import last_run_stats
from db.schedule import DAY
from db.session import make_engine
from tests.conftest import run_cli

N_ARTICLES = 400
N_NEW = 20
ROOT = Path(__file__).resolve().parents[1]


def _sites() -> tuple[FixtureSite, FixtureSite]:
    """The site, and the same site with N_NEW newer articles at the head of their lists."""
    articles = list(large_articles(N_ARTICLES + N_NEW))
    newest = [a.with_id(a.id, published=f"2031-01-01 00:{i:02d}:00") for i, a in enumerate(articles[N_ARTICLES:])]
    # No related-article links: only the list walk finds articles, so a walk stopped too early leaves holes.
    return (build_site(articles[:N_ARTICLES], traps=False, related_links=False),
            build_site(articles[:N_ARTICLES] + newest, traps=False, related_links=False))


@dataclass
class Served:
    server: object
    site: FixtureSite
    grown: FixtureSite
    url: str
    baseline_db: Path
    first_requests: int

    def requests(self) -> int:
        return sum(self.server.hits.values())  # type: ignore[attr-defined]


def crawl(db_url: str, start: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("crawl", "--start-url", start, "--db", db_url, "--no-throttle", "--log-level", "WARNING", *extra)


def _sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site, grown = _sites()
    baseline = tmp_path_factory.mktemp("recrawl") / "baseline.db"
    with serve_site(site) as server:
        start = base_url(server)
        crawl(_sqlite(baseline), start)
        yield Served(server, site, grown, start, baseline, sum(server.hits.values()))


@pytest.fixture
def db_copy(served: Served, tmp_path: Path) -> str:
    target = tmp_path / "copy.db"
    shutil.copy(served.baseline_db, target)
    return _sqlite(target)


def _scalar(db_url: str, query: object) -> int:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        value = connection.scalar(query)  # type: ignore[call-overload]
    engine.dispose()
    return int(value or 0)


def _snapshot(db_url: str) -> dict[str, object]:
    """What must be equal between an interrupted-then-resumed crawl and an uninterrupted one."""
    engine = make_engine(db_url)
    with engine.connect() as connection:
        snapshot = {
            "articles": sorted(connection.scalars(text("SELECT article_id FROM article"))),
            "records": sorted(connection.scalars(text("SELECT DISTINCT record_id FROM record"))),
            "versions": connection.scalar(select(func.count()).select_from(PageVersion)),
            "duplicate_versions": connection.scalar(text(
                "SELECT count(*) FROM (SELECT article_id, page_no, content_hash FROM page_version "
                "GROUP BY article_id, page_no, content_hash HAVING count(*) > 1) d")),
            "unfinished_jobs": connection.scalar(
                select(func.count()).where(ProcessJob.state.in_(("pending", "running")))),
        }
    engine.dispose()
    return snapshot


def test_first_crawl_counts_every_article_new(served: Served) -> None:
    stats = last_run_stats(_sqlite(served.baseline_db))
    assert stats["shebao/articles_new"] == N_ARTICLES
    assert stats.get("shebao/articles_revisited", 0) == 0


def test_unchanged_recrawl_sends_at_most_5_percent(served: Served, db_copy: str) -> None:
    # nothing is due a day after the first crawl: a few list pages, no article request, nothing stored
    before, versions = served.requests(), _scalar(db_copy, select(func.count()).select_from(PageVersion))
    crawl(db_copy, served.url)
    sent = served.requests() - before
    assert sent <= 0.05 * served.first_requests, (sent, served.first_requests)
    assert _scalar(db_copy, select(func.count()).select_from(PageVersion)) == versions
    stats = last_run_stats(db_copy)
    assert stats.get("shebao/articles_new", 0) == 0 and stats.get("shebao/articles_changed", 0) == 0
    assert stats.get("shebao/lists_stopped_early", 0) >= 1


def test_new_articles_at_the_head_are_all_stored(served: Served, db_copy: str) -> None:
    # 20 newer articles: all stored and processed, for the unchanged re-crawl's cost plus their own pages
    new_ids = set(served.grown.articles) - set(served.site.articles)
    before = served.requests()
    served.server.site = served.grown  # type: ignore[attr-defined]
    try:
        crawl(db_copy, served.url)
    finally:
        served.server.site = served.site  # type: ignore[attr-defined]
    sent = served.requests() - before
    assert sent <= 0.05 * served.first_requests + N_NEW, sent
    stored = set(_snapshot(db_copy)["articles"])  # type: ignore[arg-type]
    assert new_ids <= stored and len(new_ids) == N_NEW
    assert last_run_stats(db_copy)["shebao/articles_new"] == N_NEW


def test_revisit_all_requests_every_stored_article_conditionally(served: Served, db_copy: str) -> None:
    # --revisit all: every article page asked again; the site answers 304 and nothing new is stored
    hits_before = dict(served.server.hits)  # type: ignore[attr-defined]
    versions = _scalar(db_copy, select(func.count()).select_from(PageVersion))
    crawl(db_copy, served.url, "--revisit", "all")
    hits = served.server.hits  # type: ignore[attr-defined]
    pages = [p for paths in served.site.article_pages.values() for p in paths]
    assert all(hits[p] > hits_before.get(p, 0) for p in pages)
    stats = last_run_stats(db_copy)
    assert stats["shebao/articles_revisited"] == N_ARTICLES
    assert stats["shebao/articles_unchanged"] == N_ARTICLES
    assert stats["shebao/not_modified"] == len(pages)
    assert _scalar(db_copy, select(func.count()).select_from(PageVersion)) == versions


def test_only_due_articles_are_revisited_and_their_interval_doubles(served: Served, db_copy: str) -> None:
    # ten articles made due: exactly their pages are requested, each is unchanged, its interval grows to 2 days
    due = sorted(served.site.articles)[100:110]
    engine = make_engine(db_copy)
    with engine.begin() as connection:
        past = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
        connection.execute(update(ArticleVisit).where(ArticleVisit.article_id.in_(due)).values(next_visit_at=past))
    engine.dispose()
    hits_before = dict(served.server.hits)  # type: ignore[attr-defined]
    crawl(db_copy, served.url)
    hits = served.server.hits  # type: ignore[attr-defined]
    requested = {a for a, paths in served.site.article_pages.items() if any(hits[p] > hits_before.get(p, 0) for p in paths)}
    assert requested == set(due)
    stats = last_run_stats(db_copy)
    assert stats["shebao/articles_revisited"] == len(due) and stats["shebao/articles_unchanged"] == len(due)
    intervals = _scalar(db_copy, select(func.min(ArticleVisit.interval_seconds)).where(ArticleVisit.article_id.in_(due)))
    assert intervals == 2 * DAY


def test_none_revisits_nothing(served: Served, db_copy: str) -> None:
    # --revisit none with every article due: no stored article is requested
    engine = make_engine(db_copy)
    with engine.begin() as connection:
        connection.execute(update(ArticleVisit).values(next_visit_at="2000-01-01T00:00:00+00:00"))
    engine.dispose()
    hits_before = dict(served.server.hits)  # type: ignore[attr-defined]
    crawl(db_copy, served.url, "--revisit", "none")
    hits = served.server.hits  # type: ignore[attr-defined]
    pages = [p for paths in served.site.article_pages.values() for p in paths]
    assert not [p for p in pages if hits[p] > hits_before.get(p, 0)]


class _SlowLists(dict):  # type: ignore[type-arg]
    """A site's resources whose list pages answer slowly: an interrupted first crawl has then stored the
    articles of the top list pages but not walked the lower ones (the state a stop rule must not trust)."""

    def get(self, key: object, default: object = None) -> object:
        if isinstance(key, str) and (key.endswith("/") or "/index" in key):
            time.sleep(0.4)
        return super().get(key, default)


@contextmanager
def _slow_lists(served: Served) -> Iterator[None]:
    served.server.site = replace(served.site, resources=_SlowLists(served.site.resources))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        served.server.site = served.site  # type: ignore[attr-defined]


@pytest.mark.parametrize("max_pages", [160])
def test_crawl_cut_short_then_resumed_equals_uninterrupted(served: Served, tmp_path: Path, max_pages: int) -> None:
    # a first crawl stopped after N responses, its top list pages stored and the rest not walked; then a
    # normal crawl: the same articles and record ids as the uninterrupted crawl, no duplicated page version,
    # no job left behind (a stop rule trusting the unfinished pass would stop after two stored pages)
    db_url = _sqlite(tmp_path / "cut.db")
    with _slow_lists(served):
        crawl(db_url, served.url, "--max-pages", str(max_pages))
    assert len(_snapshot(db_url)["articles"]) < N_ARTICLES  # type: ignore[arg-type]
    crawl(db_url, served.url)
    assert _snapshot(db_url) == _snapshot(_sqlite(served.baseline_db))


def _kill_when(db_path: Path, start: str, min_versions: int) -> None:
    """Start `shebao crawl`, and kill -9 it once the database holds `min_versions` page versions."""
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--start-url", start, "--db", _sqlite(db_path),
         "--no-throttle", "--log-level", "WARNING"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if db_path.exists():
                try:
                    if _scalar(_sqlite(db_path), select(func.count()).select_from(PageVersion)) >= min_versions:
                        break
                except Exception:  # the schema is not there yet
                    pass
            time.sleep(0.05)
        assert process.poll() is None, "the crawl ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)


@pytest.mark.parametrize("min_versions", [1, 150, 250])
def test_kill_9_then_recrawl_equals_uninterrupted(served: Served, tmp_path: Path, min_versions: int) -> None:
    # kill -9 of `shebao crawl` at several moments (its worker exits with it), then `shebao crawl` again:
    # the same articles and record ids as an uninterrupted crawl, no hole, no duplicated version
    db_path = tmp_path / "killed.db"
    with _slow_lists(served):
        _kill_when(db_path, served.url, min_versions)
    assert _scalar(_sqlite(db_path), select(func.count()).select_from(PageVersion)) < N_ARTICLES
    crawl(_sqlite(db_path), served.url)
    assert _snapshot(_sqlite(db_path)) == _snapshot(_sqlite(served.baseline_db))


def test_postgres_recrawl_cost_and_new_articles(served: Served, postgres_url: str) -> None:
    # the same on PostgreSQL: first crawl, unchanged re-crawl within 5%, then the 20 new articles all stored
    before = served.requests()
    crawl(postgres_url, served.url)
    first = served.requests() - before
    assert last_run_stats(postgres_url)["shebao/articles_new"] == N_ARTICLES
    before = served.requests()
    crawl(postgres_url, served.url)
    assert served.requests() - before <= 0.05 * first
    served.server.site = served.grown  # type: ignore[attr-defined]
    try:
        crawl(postgres_url, served.url)
    finally:
        served.server.site = served.site  # type: ignore[attr-defined]
    assert last_run_stats(postgres_url)["shebao/articles_new"] == N_NEW
    snapshot = _snapshot(postgres_url)
    assert set(served.grown.articles) == set(snapshot["articles"])  # type: ignore[arg-type]
    assert snapshot["duplicate_versions"] == 0 and snapshot["unfinished_jobs"] == 0


def test_interrupted_later_pass_is_resumed_past_its_depth(served: Served, tmp_path: Path) -> None:
    # after a finished pass, 60 new articles fill the first three pages of the main list; a run cut short
    # stores the first pages' ones but not all: the next run must descend past the depth the cut run had
    # reached, though its first pages now show nothing new (a rule ignoring pass_depth stops after two)
    db_path = tmp_path / "later.db"
    shutil.copy(served.baseline_db, db_path)
    db_url = _sqlite(db_path)
    category = "yiliao/yibaozhishi"
    extra = [a for a in large_articles(N_ARTICLES + N_NEW + 200) if a.category == category][-60:]
    newest = [a.with_id(a.id, published=f"2032-01-01 00:{i:02d}:00") for i, a in enumerate(extra)]
    grown = build_site([*served.site.articles.values(), *newest], traps=False, related_links=False)
    served.server.site = replace(grown, resources=_SlowLists(grown.resources))  # type: ignore[attr-defined]
    try:
        crawl(db_url, served.url, "--max-pages", "50")
        stored = set(_snapshot(db_url)["articles"])  # type: ignore[arg-type]
        assert 0 < len({a.id for a in newest} & stored) < len(newest)
        served.server.site = grown  # type: ignore[attr-defined]
        crawl(db_url, served.url)
    finally:
        served.server.site = served.site  # type: ignore[attr-defined]
    snapshot = _snapshot(db_url)
    assert {a.id for a in newest} <= set(snapshot["articles"])  # type: ignore[arg-type]
    assert snapshot["duplicate_versions"] == 0 and snapshot["unfinished_jobs"] == 0


def test_article_failing_in_a_finished_pass_is_retried_when_due(served: Served, tmp_path: Path) -> None:
    # an article deep in a list answers 404 during the first (finished) crawl; the next runs cut that
    # list after two pages, yet the article is fetched again once its retry is due, and then stored
    db_url = _sqlite(tmp_path / "retry.db")
    deep = served.site.article_pages[sorted(served.site.articles)[0]][0]  # the oldest: the last list page
    article_id = sorted(served.site.articles)[0]
    gone = replace(served.site, resources={k: v for k, v in served.site.resources.items() if k != deep})
    served.server.site = gone  # type: ignore[attr-defined]
    try:
        crawl(db_url, served.url)
    finally:
        served.server.site = served.site  # type: ignore[attr-defined]
    assert article_id not in _snapshot(db_url)["articles"]  # type: ignore[operator]
    crawl(db_url, served.url)  # not due yet (6 hours): not asked, and the list walk stops high up
    assert article_id not in _snapshot(db_url)["articles"]  # type: ignore[operator]
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(update(ArticleVisit).where(ArticleVisit.article_id == article_id)
                           .values(next_visit_at="2000-01-01T00:00:00+00:00"))
    engine.dispose()
    crawl(db_url, served.url)
    assert article_id in _snapshot(db_url)["articles"]  # type: ignore[operator]
    assert last_run_stats(db_url)["shebao/articles_retried"] == 1
