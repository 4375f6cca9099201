"""SQLAlchemy models: raw page versions, the processing queue, articles, sections, records, clusters.

Times are stored as ISO 8601 text with their offset ('2025-05-02T15:17:00+08:00'), so SQLite,
PostgreSQL, pandas and Excel all read the same value. CHECK constraints come from schema.vocabulary.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from schema.vocabulary import (
    ACTORS,
    APPLIES_TO,
    BOUNDS,
    CHANNELS,
    JOB_STATES,
    RECORD_TYPES,
    RUN_STATUSES,
    TIMEFRAME_STATUSES,
    UNITS,
)


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IS NULL OR {column} IN ({quoted})", name=f"ck_{column}_vocabulary")


class Base(DeclarativeBase):
    pass


class PageVersion(Base):
    """One distinct content of one fetched page (an article page or a continuation page)."""

    __tablename__ = "page_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(Text, index=True)
    article_id: Mapped[int] = mapped_column(BigInteger, index=True)
    page_no: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[str] = mapped_column(String(40))
    http_status: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)  # free text: no length (revision 0003)
    last_modified: Mapped[str | None] = mapped_column(Text)
    raw_html: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed bytes as received


class ProcessJob(Base):
    """An article whose pages changed and must be (re)processed; the worker consumes these."""

    __tablename__ = "process_job"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(BigInteger, index=True)
    url: Mapped[str] = mapped_column(Text)
    page_version_ids: Mapped[str] = mapped_column(Text)  # JSON list, first page first
    created_at: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # JobState
    error: Mapped[str | None] = mapped_column(Text)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)  # False: a continuation page was missing
    claimed_by: Mapped[str | None] = mapped_column(Text)  # "host:pid" of the worker holding the lease
    lease_until: Mapped[str | None] = mapped_column(String(40))  # a running job whose lease ended is claimed again
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # claims so far; failed for good after the limit
    __table_args__ = (CheckConstraint(f"state IN ({', '.join(repr(s) for s in JOB_STATES)})", name="ck_job_state"),)


class Article(Base):
    """The latest processed state of one article (one numeric id, whatever the host)."""

    __tablename__ = "article"
    article_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[str | None] = mapped_column(String(40), index=True)
    category: Mapped[str | None] = mapped_column(Text)
    province: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text, index=True)
    adcode: Mapped[str | None] = mapped_column(String(6))
    body_text: Mapped[str] = mapped_column(Text)
    body_fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    duplicate_of: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[str] = mapped_column(String(40))
    processed_at: Mapped[str] = mapped_column(String(40))
    page_version_ids: Mapped[str] = mapped_column(Text)  # JSON list the article was built from
    complete: Mapped[bool] = mapped_column(Boolean, default=True)  # False: built without all its pages


class ArticleAlias(Base):
    """Another URL (host mirror, redirect source) of an article."""

    __tablename__ = "article_alias"
    url: Mapped[str] = mapped_column(Text, primary_key=True)
    article_id: Mapped[int] = mapped_column(BigInteger, index=True)


class Section(Base):
    """One question-heading section of an article."""

    __tablename__ = "section"
    section_id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "<article_id>-<index>"
    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("article.article_id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(Text)  # "" for the lines before the first heading (NULL in the views)
    body_text: Mapped[str] = mapped_column(Text)
    section_cluster_id: Mapped[str | None] = mapped_column(String(40), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # MinHash values, little-endian uint64
    topic: Mapped[str | None] = mapped_column(Text)  # its heading (or the title) with the place masked
    cluster_key: Mapped[str | None] = mapped_column(String(40))  # hash of its canonical text: the id it founds


class RecordRow(Base):
    """One record occurrence: a typed fact as it appears in one section."""

    __tablename__ = "record"
    occurrence_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(40), index=True)
    section_id: Mapped[str] = mapped_column(String(40), ForeignKey("section.section_id"), index=True)
    article_id: Mapped[int] = mapped_column(BigInteger, index=True)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))
    block: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    item: Mapped[str | None] = mapped_column(Text)
    qualifiers: Mapped[str | None] = mapped_column(Text)  # comma-separated Qualifier values
    optional: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str | None] = mapped_column(Text)
    value_min: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(10))
    bound: Mapped[str | None] = mapped_column(String(20))
    applies_to: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(20))
    ordinal: Mapped[int | None] = mapped_column(Integer)
    menu_path: Mapped[str | None] = mapped_column(Text)  # "市民中心 > 医疗保险 > 参保地"
    actor: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(20))
    __table_args__ = (
        _one_of("type", RECORD_TYPES),
        _one_of("unit", UNITS),
        _one_of("bound", BOUNDS),
        _one_of("channel", CHANNELS),
        _one_of("applies_to", APPLIES_TO),
        _one_of("actor", ACTORS),
        _one_of("status", TIMEFRAME_STATUSES),
    )


class SectionCluster(Base):
    """Sections that are city variants of one template."""

    __tablename__ = "section_cluster"
    section_cluster_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    topic: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    minhash: Mapped[bytes] = mapped_column(LargeBinary)  # the founding section's MinHash values


class LshBand(Base):
    """One MinHash LSH band key seen in a cluster: a new section sharing a key is a candidate member.

    Keyed by cluster, not by section, so a lookup returns a handful of clusters however many thousand
    city variants a template has: joining a cluster costs the same at 10k and 100k sections.
    """

    __tablename__ = "lsh_band"
    band_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    section_cluster_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    __table_args__ = (Index("ix_lsh_band_cluster", "section_cluster_id"),)


QUALITY_STAGE = "quality"  # a Failure row of this stage is a warning: the article was stored


class Failure(Base):
    """A page or article that could not be fetched or processed, with the reason."""

    __tablename__ = "failure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(20))  # fetch / extract / normalize / store
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(40))
    run_id: Mapped[int | None] = mapped_column(Integer, index=True)


class CrawlRun(Base):
    """One `shebao crawl` run and its counts, for operators (`shebao runs`)."""

    __tablename__ = "crawl_run"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[str] = mapped_column(String(40))
    finished_at: Mapped[str | None] = mapped_column(String(40))
    start_urls: Mapped[str] = mapped_column(Text)
    stats: Mapped[str | None] = mapped_column(Text)  # JSON
    status: Mapped[str | None] = mapped_column(String(20))  # RunStatus; NULL for runs stored before v5
    holder: Mapped[str | None] = mapped_column(Text)  # "host:pid" of the process running it
    heartbeat_at: Mapped[str | None] = mapped_column(String(40))  # a running run whose beat is stale was killed
    requests: Mapped[int | None] = mapped_column(Integer)  # requests sent
    new_articles: Mapped[int | None] = mapped_column(Integer)  # stored for the first time
    changed_articles: Mapped[int | None] = mapped_column(Integer)  # a page's bytes changed
    unchanged_articles: Mapped[int | None] = mapped_column(Integer)  # fetched or 304, same bytes
    revisited_articles: Mapped[int | None] = mapped_column(Integer)  # stored ones visited because they were due
    failures: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (_one_of("status", RUN_STATUSES),)


class RunLock(Base):
    """Who may crawl a site into this database now: one row per lock name, taken over when its beat is stale."""

    __tablename__ = "run_lock"
    name: Mapped[str] = mapped_column(Text, primary_key=True)  # "crawl:<site host>"
    run_id: Mapped[int | None] = mapped_column(Integer)
    holder: Mapped[str] = mapped_column(Text)  # "host:pid"
    acquired_at: Mapped[str] = mapped_column(String(40))
    heartbeat_at: Mapped[str] = mapped_column(String(40))


class ArticleVisit(Base):
    """The adaptive revisit schedule of one stored article (cf. Nutch's AdaptiveFetchSchedule)."""

    __tablename__ = "article_visit"
    article_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    url: Mapped[str] = mapped_column(Text)  # the URL to revisit (first page)
    last_visit_at: Mapped[str] = mapped_column(String(40))
    next_visit_at: Mapped[str] = mapped_column(String(40), index=True)  # due when this is in the past
    interval_seconds: Mapped[int] = mapped_column(Integer)  # doubles while unchanged, shrinks on a change
    last_changed_at: Mapped[str | None] = mapped_column(String(40))


class ListProgress(Base):
    """How deep a list's pagination was walked: lists are cut short only below a finished pass's depth."""

    __tablename__ = "list_progress"
    list_url: Mapped[str] = mapped_column(Text, primary_key=True)  # the list's first page
    complete_depth: Mapped[int] = mapped_column(Integer, default=0)  # pages a finished pass walked (0: none yet)
    pass_depth: Mapped[int] = mapped_column(Integer, default=0)  # pages the current unfinished pass has walked
    updated_at: Mapped[str] = mapped_column(String(40))


__all__ = [
    "Article",
    "ArticleAlias",
    "ArticleVisit",
    "Base",
    "CrawlRun",
    "Failure",
    "ListProgress",
    "LshBand",
    "PageVersion",
    "QUALITY_STAGE",
    "ProcessJob",
    "RecordRow",
    "RunLock",
    "Section",
    "SectionCluster",
]
