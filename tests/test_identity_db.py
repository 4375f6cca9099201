"""Record and cluster identity in the database (issue 8): order-free clusters, `reprocess`, coverage views."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

import pytest
from sqlalchemy import Engine, text

from crawler.fixture_site.content import FixtureArticle, load_articles
from crawler.fixture_site.render import build_site, render_article_page
from crawler.fixture_site.server import base_url, serve_site
from db import reprocess as reprocess_module
from db import worker
from db.migrations import upgrade
from db.reprocess import reprocess
from db.session import make_engine, session_scope
from db.store import store_fetched_article
from db.worker import process_pending, settle_clusters
from schema.records import FetchedArticle, FetchedPage
from tests.conftest import crawl
from tests.identity_fixtures import variant_articles
from tests.legacy_schema import mark_legacy

# Numbering styles the record extractor reads completely (every template line gives its records), one
# per city: the end-to-end test needs every city to hold every fact.
COMPLETE_STYLES = ["1、", "1.", "1)", "(1)", "（1）", "一、", "１．(full width)", "none"]
# Every style, the extractor's weaker ones included: for the order tests, more variety is better.
MIXED_STYLES = COMPLETE_STYLES + ["①", "(一)", "第一步", "步骤1", "•", "-"]


def _store(engine: Engine, articles: Sequence[FixtureArticle]) -> None:
    """Store each article's page in the given order (job ids, hence processing order, follow it)."""
    with session_scope(engine) as session:
        for article in articles:
            html = render_article_page(article, list(article.paragraphs)).encode()
            url = f"http://127.0.0.1{article.path}"
            page = FetchedPage(url, 1, 200, html, "text/html; charset=utf-8", "2026-01-01T00:00:00+00:00")
            store_fetched_article(session, FetchedArticle(article.id, url, [page]))


def _site_articles() -> list[FixtureArticle]:
    return load_articles("articles") + variant_articles(MIXED_STYLES)


def _clusters(engine: Engine) -> tuple[dict[str, str], dict[str, str]]:
    """section id → cluster id, and cluster id → topic."""
    with engine.connect() as connection:
        sections = {s: c for s, c in connection.execute(text("SELECT section_id, section_cluster_id FROM section"))}
        topics = {c: t for c, t in connection.execute(text("SELECT section_cluster_id, topic FROM section_cluster"))}
    return sections, topics




def _process_site(engine: Engine, order_seed: int | None, batch_size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = sorted(_site_articles(), key=lambda a: a.id)
    if order_seed is not None:
        random.Random(order_seed).shuffle(articles)
    monkeypatch.setattr(worker, "BATCH_SIZE", batch_size)
    _store(engine, articles)
    assert process_pending(engine).failed == 0
    settle_clusters(engine)


@pytest.fixture(scope="module")
def reference_clusters(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    """The clusters of the site processed in id order, one batch."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('reference') / 'ref.db'}")
    upgrade(engine)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _process_site(engine, None, 100, monkeypatch)
    clusters = _clusters(engine)
    engine.dispose()
    return clusters


@pytest.mark.parametrize(
    ("order_seed", "batch_size"),
    [
        (1, 100),  # shuffled, one batch
        (2, 1),  # shuffled again, one article per batch: every section meets the clusters one by one
        (3, 7),  # shuffled, odd batch size
    ],
)
def test_clusters_do_not_depend_on_order(
    engine: Engine, reference_clusters: tuple[dict[str, str], dict[str, str]], order_seed: int,
    batch_size: int, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # same pages, another processing order and batch size: the same clusters with the same ids and topics
    _process_site(engine, order_seed, batch_size, monkeypatch)
    sections, topics = _clusters(engine)
    assert len(set(sections.values())) < len(sections)  # variants were clustered at all
    assert (sections, topics) == reference_clusters


def test_cluster_id_is_smallest_member_key(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # the rule the README states: a cluster's id is the smallest cluster_key among its members
    _process_site(engine, 5, 10, monkeypatch)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT section_cluster_id, MIN(cluster_key) FROM section GROUP BY section_cluster_id")).all()
    assert rows and all(cluster_id == smallest for cluster_id, smallest in rows)


# ---------------------------------------------------------------------------------------------
# reprocess
# ---------------------------------------------------------------------------------------------


def _snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return connection.execute(text(
            "SELECT r.occurrence_id, r.record_id, r.section_id, r.position, s.section_cluster_id "
            "FROM record r JOIN section s USING (section_id) ORDER BY r.occurrence_id")).all()


def test_reprocess_restores_ids_and_is_idempotent(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # ids from an older canonical form move to the current ones once; a second run writes nothing
    _process_site(engine, None, 100, monkeypatch)
    expected = {(row[1], row[2], row[3], row[4]) for row in _snapshot(engine)}
    with engine.begin() as connection:  # what a database built by an older version looks like
        connection.execute(text("UPDATE record SET record_id = 'old' || record_id"))
        connection.execute(text("UPDATE section SET section_cluster_id = 'x' || section_cluster_id"))
    first = reprocess(engine, workers=1)
    assert first.changed == first.articles == len(_site_articles()) and first.failed == 0
    assert first.records_kept == 0 and first.records_added == first.records_removed > 0  # every id moved once
    after_first = _snapshot(engine)
    assert {(row[1], row[2], row[3], row[4]) for row in after_first} == expected
    second = reprocess(engine, workers=2)  # the process pool gives the same result
    assert (second.changed, second.unchanged, second.failed) == (0, len(_site_articles()), 0)
    assert second.clusters.moved_sections == second.clusters.new_clusters == second.clusters.dropped_clusters == 0
    assert _snapshot(engine) == after_first  # not even an occurrence id moved


def test_reprocess_counts_and_logs_failures(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # a lost page and a page the normalizers reject are failure rows; the stored articles stay
    _process_site(engine, None, 100, monkeypatch)
    with engine.connect() as connection:
        lost, broken = connection.execute(text("SELECT article_id, url FROM article ORDER BY article_id LIMIT 2")).all()
        records_before = connection.scalar(text("SELECT COUNT(*) FROM record"))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM page_version WHERE article_id = :a"), {"a": lost.article_id})
    real_prepare = reprocess_module.prepare_job

    def failing_prepare(job):  # type: ignore[no-untyped-def]
        if job.article_id == broken.article_id:
            raise ValueError("normalizer bug")
        return real_prepare(job)

    monkeypatch.setattr(reprocess_module, "prepare_job", failing_prepare)
    summary = reprocess(engine, workers=1)
    with engine.connect() as connection:
        failures = connection.execute(text("SELECT url, stage, reason FROM failure ORDER BY id")).all()
        records_after = connection.scalar(text("SELECT COUNT(*) FROM record"))
    assert summary.failed == 2
    assert [(f.url, f.stage) for f in failures] == [(lost.url, "extract"), (broken.url, "normalize")]
    assert "normalizer bug" in failures[1].reason
    assert records_after == records_before  # nothing lost


def test_reprocess_cli(sqlite_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # `shebao reprocess --db URL` prints its summary; a second run reports nothing changed
    from tests.conftest import run_cli

    _process_site(engine, None, 100, monkeypatch)
    engine.dispose()
    run_cli("reprocess", "--db", sqlite_url)
    output = run_cli("reprocess", "--db", sqlite_url).stdout
    assert f"articles:  {len(_site_articles())} (0 changed, {len(_site_articles())} unchanged, 0 failed)" in output
    assert "0 sections moved" in output


# ---------------------------------------------------------------------------------------------
# fact_coverage_view and fact_difference_view
# ---------------------------------------------------------------------------------------------


def _coverage(db_url: str, article_ids: Sequence[int]) -> tuple[list[tuple[object, ...]], int, set[str]]:
    """fact_coverage_view rows of the clusters the articles' sections are in, records per article, cities."""
    engine = make_engine(db_url)
    ids = ",".join(str(i) for i in article_ids)
    with engine.connect() as connection:
        clusters = list(connection.scalars(text(
            f"SELECT DISTINCT section_cluster_id FROM section WHERE article_id IN ({ids})")))
        rows = connection.execute(text(
            "SELECT section_cluster_id, record_id, n_cities, n_cluster_cities, share, cities "
            "FROM fact_coverage_view WHERE section_cluster_id IN ("
            + ",".join(f"'{c}'" for c in clusters) + ")")).all()
        per_article = set(connection.scalars(text(
            f"SELECT COUNT(DISTINCT record_id) FROM record WHERE article_id IN ({ids}) GROUP BY article_id")))
        cities = set(connection.scalars(text(f"SELECT city FROM article WHERE article_id IN ({ids})")))
    engine.dispose()
    assert len(clusters) == 3  # the untitled intro and the template's two sections, each one cluster across the cities
    assert len(per_article) == 1  # every city has as many distinct facts
    return rows, per_article.pop(), cities


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_crawl_mixed_numbering_one_id_per_line(backend: str, sqlite_url: str, request: pytest.FixtureRequest) -> None:
    # the fixture site with one template in a different numbering style per city, crawled end to end:
    # every template line is one record_id held by all cities (share 1), cities listed in order
    db_url = sqlite_url if backend == "sqlite" else request.getfixturevalue("postgres_url")
    variants = variant_articles(COMPLETE_STYLES)
    site = build_site(load_articles("articles") + variants, traps=False)
    with serve_site(site) as server:
        crawl(db_url, base_url(server))
    rows, facts_per_article, cities = _coverage(db_url, [a.id for a in variants])
    assert len(cities) == len(variants)
    assert len(rows) == facts_per_article  # one row, hence one record_id, per fact
    assert all(row.n_cities == row.n_cluster_cities == len(variants) and row.share == 1.0 for row in rows)
    assert all(row.cities == ",".join(sorted(cities)) for row in rows)  # code-point order on both backends


def test_fact_difference_view(engine: Engine, sqlite_url: str) -> None:
    # one city states 20 working days where the others state 10: those two facts are 'some', the rest 'all'
    variants = variant_articles(COMPLETE_STYLES[:4])
    odd = variants[-1]
    changed = tuple((kind, line.replace("10个工作日", "20个工作日")) for kind, line in odd.paragraphs)
    assert changed != odd.paragraphs
    _store(engine, [*variants[:-1], replace(odd, paragraphs=changed)])
    assert process_pending(engine).failed == 0
    settle_clusters(engine)
    with engine.connect() as connection:
        some = connection.execute(text(
            "SELECT value_max, n_cities, n_cluster_cities, share FROM fact_difference_view "
            "WHERE held_by = 'some' ORDER BY value_max")).all()
        held_by_all = connection.scalar(text("SELECT COUNT(*) FROM fact_difference_view WHERE held_by = 'all'"))
    assert [tuple(row) for row in some] == [(10.0, 3, 4, 0.75), (20.0, 1, 4, 0.25)]
    assert held_by_all > 5


def test_v2_database_upgrades_then_reprocess_fills_cluster_inputs(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a v2 database (no section.topic / cluster_key, old views) upgrades to v3, still re-clusters, and
    # `reprocess` fills the new columns
    _process_site(engine, None, 100, monkeypatch)
    with engine.begin() as connection:
        connection.execute(text("DROP VIEW fact_difference_view"))
        for column in ("topic", "cluster_key"):
            connection.execute(text(f"ALTER TABLE section DROP COLUMN {column}"))
        mark_legacy(connection, 2)
    upgrade(engine)
    with engine.connect() as connection:
        missing = connection.scalar(text("SELECT COUNT(*) FROM section WHERE cluster_key IS NULL"))
        views = set(connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'view'")))
    assert missing > 0 and "fact_difference_view" in views
    assert settle_clusters(engine).clusters > 0  # sections without a key are ordered by their signature
    summary = reprocess(engine, workers=1)
    with engine.connect() as connection:
        missing = connection.scalar(text("SELECT COUNT(*) FROM section WHERE cluster_key IS NULL OR topic IS NULL"))
    assert summary.changed == summary.articles and missing == 0
