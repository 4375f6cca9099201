"""Small synthetic databases for the export, compare and browse tests: articles, sections and records
written straight into the tables (no crawl), with made-up text only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, insert

from db.models import Article, RecordRow, Section, SectionCluster
from db.session import writer

NOW = "2026-01-05T03:12:40+00:00"


@dataclass
class Fact:
    """One record of a synthetic section; `record_id` defaults to a hash of type and text."""

    type: str
    text: str
    fields: dict[str, Any] = field(default_factory=dict)  # item, value_min, unit, applies_to, ...
    record_id: str | None = None


@dataclass
class Page:
    """One synthetic article with one section in cluster `cluster_id`."""

    article_id: int
    city: str | None
    facts: list[Fact]
    province: str | None = "测试省"
    published_at: str | None = "2025-05-02T15:17:00+08:00"
    cluster_id: str = "c-test"
    topic: str = "{城市}医保参保地怎么变更"
    duplicate_of: str | None = None


def page_url(article_id: int) -> str:
    return f"http://127.0.0.1/yiliao/yibaozhishi/202505/{article_id}.html"


def insert_pages(engine: Engine, pages: list[Page]) -> None:
    with writer(engine).begin() as connection:
        clusters = {p.cluster_id: p.topic for p in pages}
        connection.execute(
            insert(SectionCluster),
            [{"section_cluster_id": c, "topic": t, "created_at": NOW, "minhash": b"\0"} for c, t in clusters.items()],
        )
        for page in pages:
            connection.execute(insert(Article).values(
                article_id=page.article_id, url=page_url(page.article_id), title=f"{page.city}测试",
                published_at=page.published_at, category="yiliao/yibaozhishi", province=page.province,
                city=page.city, adcode="630100", body_text="", duplicate_of=page.duplicate_of, fetched_at=NOW,
                processed_at=NOW, page_version_ids="[]",
            ))
            section_id = f"{page.article_id}-0"
            connection.execute(insert(Section).values(
                section_id=section_id, article_id=page.article_id, position=0,
                heading=page.topic.replace("{城市}", page.city or ""), body_text="",
                section_cluster_id=page.cluster_id,
            ))
            for position, fact in enumerate(page.facts):
                record_id = fact.record_id or hashlib.sha1(f"{fact.type}|{fact.text}".encode()).hexdigest()[:20]
                connection.execute(insert(RecordRow).values(
                    record_id=record_id, section_id=section_id, article_id=page.article_id, position=position,
                    type=fact.type, text=fact.text, **fact.fields,
                ))
