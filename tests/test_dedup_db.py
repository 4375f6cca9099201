"""Deduplication through the database: section clusters, record identity, re-posts, stable ids."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import Engine, text, update

from crawler.fixture_site.content import FixtureArticle, load_seeds
from crawler.fixture_site.render import render_article_page
from db.models import ProcessJob
from db.session import session_scope
from db.store import store_fetched_article
from db.worker import process_pending
from schema.records import FetchedArticle, FetchedPage
from tests.conftest import SHARED

GOLD = json.loads((SHARED / "gold" / "seed_expectations.json").read_text(encoding="utf-8")) if SHARED.exists() else {}
SEED_NAMES = ("000_d31b16e6720416bb.txt", "001_cf97d637fe11c84e.txt")


def _seeds() -> dict[str, FixtureArticle]:
    from crawler.fixture_site.content import SEED_PLACEMENT

    by_id = {a.id: a for a in load_seeds()}
    return {name: by_id[SEED_PLACEMENT[name][0]] for name in SEED_NAMES}


def _store(engine: Engine, *articles: FixtureArticle) -> None:
    with session_scope(engine) as session:
        for article in articles:
            html = render_article_page(article, list(article.paragraphs), heading_style="h2").encode()
            url = f"http://127.0.0.1{article.path}"
            page = FetchedPage(url, 1, 200, html, "text/html; charset=utf-8", "2026-01-01T00:00:00+00:00")
            store_fetched_article(session, FetchedArticle(article.id, url, [page]))
    assert process_pending(engine).failed == 0


def _sections(engine: Engine) -> dict[tuple[int, str], str]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT article_id, heading, section_cluster_id FROM section"))
        return {(r.article_id, r.heading): r.section_cluster_id for r in rows}


def _records(engine: Engine, article_id: int) -> list[tuple[str, str, str | None]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT record_id, text, item FROM record WHERE article_id = :a ORDER BY occurrence_id"),
            {"a": article_id},
        )
        return [(r.record_id, r.text, r.item) for r in rows]


def _edited(article: FixtureArticle, new_id: int, old: str, new: str) -> FixtureArticle:
    paragraphs = tuple((kind, line.replace(old, new)) for kind, line in article.paragraphs)
    assert paragraphs != article.paragraphs, f"{old!r} not in the article"
    return replace(article, id=new_id, paragraphs=paragraphs, published="2025-11-01 10:00:00")


pytestmark = pytest.mark.skipif(not GOLD, reason="../shared/gold is not beside the project")


@pytest.mark.parametrize(
    ("kind", "pair_index", "together"),
    [
        ("same_section_cluster", 0, True),  # 参保地变更 of 济南 and 西宁: one template
        ("same_section_cluster", 1, True),  # 济南's 缴费记录 and 西宁's 缴费明细: one template, reworded
        ("different_section_cluster", 0, False),  # 牙科 vs 报销范围: different templates
        ("different_section_cluster", 1, False),  # 参保地变更 vs 缴费明细: different templates
    ],
)
def test_gold_section_clusters(engine: Engine, kind: str, pair_index: int, together: bool) -> None:
    seeds = _seeds()
    _store(engine, *seeds.values())
    name_a, heading_a, name_b, heading_b = GOLD["dedup"][kind][pair_index]
    clusters = _sections(engine)
    assert (clusters[(seeds[name_a].id, heading_a)] == clusters[(seeds[name_b].id, heading_b)]) is together


@pytest.mark.parametrize(
    "line_key",
    [
        "线上办理:一般即时生效或1-3个工作日内完成",  # identical line in both seeds
        "下载并登录“医保服务平台”APP",  # identical step
        "15个工作日内完成转移接续",  # 医疗保险部门 in one page, 医保部门 in the other
    ],
)
def test_gold_same_record(engine: Engine, line_key: str) -> None:
    # the same fact in two cities' pages gets one record id (each of its records, when a line has several)
    seeds = _seeds()
    _store(engine, *seeds.values())
    ids = [{r for r, line, _ in _records(engine, seeds[n].id) if line_key in line} for n in SEED_NAMES]
    assert ids[0] and ids[0] == ids[1]


def test_material_shared_across_different_lists(engine: Engine) -> None:
    # 身份证 is one fact in 济南 (身份证、户口簿或居住证…) and 西宁 (身份证、医保卡、…), though the lines differ
    seeds = _seeds()
    _store(engine, *seeds.values())
    ids = [{r for r, _, item in _records(engine, seeds[n].id) if item == "身份证"} for n in SEED_NAMES]
    assert ids[0] and ids[0] & ids[1]


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("15个工作日内", "20个工作日内", "工作日内完成转移接续"),  # a different number
        ("1-3个工作日", "1-3个月", "线上办理"),  # a different unit
        ("洗牙", "洁牙", "牙"),  # a different listed item
    ],
)
def test_never_merge_different_facts(engine: Engine, old: str, new: str, key: str) -> None:
    # a city variant that differs in a number, unit or item gets a new record id, never the old one
    jinan = _seeds()[SEED_NAMES[0]]
    variant = _edited(jinan, 3_000_001, old, new)
    _store(engine, jinan, variant)
    before = {r for r, line, item in _records(engine, jinan.id) if old in (item or line)}
    after = {r for r, line, item in _records(engine, variant.id) if new in (item or line)}
    assert before and after and not before & after


def test_repost_points_to_original_and_reuses_record_ids(engine: Engine) -> None:
    # the same article under a later id: duplicate_of = the original's URL, same record ids
    original = _seeds()[SEED_NAMES[1]]
    repost = replace(original, id=original.id + 500, published="2025-10-07 08:00:00")
    _store(engine, repost, original)  # the re-post may be processed first
    with engine.connect() as connection:
        rows = {r.article_id: r for r in connection.execute(text("SELECT article_id, url, duplicate_of FROM article_view"))}
    assert rows[original.id].duplicate_of is None
    assert rows[repost.id].duplicate_of == rows[original.id].url
    assert [r for r, _, _ in _records(engine, repost.id)] == [r for r, _, _ in _records(engine, original.id)]


def test_reprocessing_keeps_every_id(engine: Engine) -> None:
    # processing the same pages again leaves cluster ids and record ids unchanged
    _store(engine, *_seeds().values())
    clusters = _sections(engine)
    records = {a: _records(engine, a) for a, _ in clusters}
    with engine.begin() as connection:
        connection.execute(update(ProcessJob).values(state="pending"))
    assert process_pending(engine).processed == 2
    assert _sections(engine) == clusters
    assert {a: _records(engine, a) for a, _ in clusters} == records


def test_new_pages_join_existing_clusters(engine: Engine) -> None:
    # a page processed in a later run joins the cluster founded earlier; the old id stays
    seeds = _seeds()
    _store(engine, seeds[SEED_NAMES[0]])
    first = _sections(engine)
    _store(engine, seeds[SEED_NAMES[1]])
    both = _sections(engine)
    jinan_cluster = first[(seeds[SEED_NAMES[0]].id, "山东济南医保参保地怎么变更去哪里改")]
    assert both[(seeds[SEED_NAMES[1]].id, "西宁医保参保地怎么变更去哪里改")] == jinan_cluster


def test_topic_is_masked_heading(engine: Engine) -> None:
    # a cluster's topic is its founding heading with the place masked
    _store(engine, *_seeds().values())
    with engine.connect() as connection:
        topics = set(connection.scalars(text("SELECT topic FROM section_cluster")))
    assert "{城市}医保参保地怎么变更去哪里改" in topics


def test_fact_coverage_view_counts_cities(engine: Engine) -> None:
    # a fact both cities state shows n_cities = 2 and both names; a 济南-only fact shows 1
    _store(engine, *_seeds().values())
    with engine.connect() as connection:
        shared = connection.execute(
            text("SELECT n_cities, cities FROM fact_coverage_view WHERE text LIKE '%即时生效或1-3个工作日%'")
        ).first()
        jinan_only = connection.execute(
            text("SELECT n_cities, cities FROM fact_coverage_view WHERE item = '户口簿'")
        ).first()
    assert shared is not None and shared.n_cities == 2 and set(shared.cities.split(",")) == {"济南市", "西宁市"}
    assert jinan_only is not None and (jinan_only.n_cities, jinan_only.cities) == (1, "济南市")


def test_edited_original_releases_its_reposts(engine: Engine) -> None:
    # once the original's text changes, the re-post is no longer its duplicate
    original = _seeds()[SEED_NAMES[1]]
    repost = replace(original, id=original.id + 500, published="2025-10-07 08:00:00")
    _store(engine, original, repost)
    _store(engine, _edited(original, original.id, "15个工作日内", "20个工作日内"))
    with engine.connect() as connection:
        duplicate_of = connection.scalar(
            text("SELECT duplicate_of FROM article_view WHERE article_id = :a"), {"a": repost.id}
        )
    assert duplicate_of is None
