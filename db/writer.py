"""The processing side of the database: turn queued raw pages into articles, sections and records.

Two steps per batch of jobs. `prepare_job` is pure computation (extract, normalize, fingerprint);
`write_batch` is all the writing, in one transaction: upsert articles, replace their sections and
records with bulk inserts, join or found section clusters, mark re-posts, close the jobs (only those the
worker still holds: see db.jobs). A job that cannot be prepared is marked failed with its reason; stored
pages and earlier results stay in place.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.dedup import (
    SectionFingerprint,
    assign_clusters,
    fingerprint_section,
    lock_cluster_state,
    refresh_duplicates,
)
from db.jobs import complete_held
from db.models import (
    QUALITY_STAGE,
    Article,
    Failure,
    PageVersion,
    ProcessJob,
    RecordRow,
    Section,
)
from db.session import in_chunks, utc_now
from db.store import store_alias
from normalize.extract import ExtractionError, RawPage, misdecoding_problem
from normalize.fingerprint import article_fingerprint, record_key
from normalize.pipeline import process_pages
from normalize.quality import published_time_problem
from schema.records import ArticleAliasSeen, NormalizedArticle, Record

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobPages:
    """A queued job with its page versions loaded (job_id None: a re-derivation by `reprocess`, no job)."""

    job_id: int | None
    article_id: int
    url: str
    page_version_ids: str
    pages: tuple[RawPage, ...]
    fetched_at: str
    complete: bool = True  # False: the fetch lacked a continuation page (the job says so)


@dataclass(slots=True)
class PreparedArticle:
    """Everything to write for one job, computed without the database."""

    job: JobPages
    result: NormalizedArticle
    body_fingerprint: str
    sections: list[tuple[SectionFingerprint, str, str]]  # (fingerprint, heading ('' if untitled), body text)
    records: list[tuple[str, str, Record]]  # (record id, section id, record)


def load_jobs(session: Session, job_ids: Sequence[int], holder: str) -> tuple[list[JobPages], dict[int, str]]:
    """The jobs among `job_ids` that `holder` has claimed, with their pages, and the jobs whose pages are
    missing (id → reason). A claim never holds two jobs of one article (db.jobs supersedes older ones)."""
    query = select(ProcessJob).where(ProcessJob.id.in_(job_ids), ProcessJob.state == "running",
                                     ProcessJob.claimed_by == holder).order_by(ProcessJob.id)
    jobs = list(session.scalars(query))
    results = load_pages(session, [(job.id, job.article_id, job.url, job.page_version_ids) for job in jobs])
    complete = {job.id: job.complete is not False for job in jobs}
    loaded = [replace(r, complete=complete[r.job_id]) for r in results if isinstance(r, JobPages) and r.job_id is not None]
    broken = {job.id: r for job, r in zip(jobs, results, strict=True) if isinstance(r, str)}
    return loaded, broken


def load_pages(session: Session, wanted: Sequence[tuple[int | None, int, str, str]]) -> list[JobPages | str]:
    """The pages of each (job id, article id, URL, page_version_ids JSON) entry, in order; an entry whose
    pages are missing gets the reason instead."""
    page_ids = [[int(i) for i in json.loads(entry[3])] for entry in wanted]
    all_ids = sorted({i for ids in page_ids for i in ids})
    versions: dict[int, PageVersion] = {}
    for chunk in in_chunks(all_ids):
        versions.update((v.id, v) for v in session.scalars(select(PageVersion).where(PageVersion.id.in_(chunk))))
    results: list[JobPages | str] = []
    for (job_id, article_id, url, page_version_ids), ids in zip(wanted, page_ids, strict=True):
        missing = [i for i in ids if i not in versions]
        if missing:
            results.append(f"ExtractionError: page versions {missing} are gone")
            continue
        ordered = [versions[i] for i in ids]
        pages = tuple(RawPage(v.url, zlib.decompress(v.raw_html), v.content_type) for v in ordered)
        results.append(JobPages(job_id, article_id, url, page_version_ids, pages, max(v.fetched_at for v in ordered)))
    return results


def prepare_job(job: JobPages) -> PreparedArticle:
    """Extract, normalize and fingerprint one article (pure: no database)."""
    result = process_pages(job.pages)
    # A page whose charset could not be made out is kept, with a warning instead of silent garbage.
    misdecoded = misdecoding_problem(f"{result.article.title or ''}\n{result.article.body_text}")
    if misdecoded:
        result.article.problems.append(misdecoded)
    implausible = published_time_problem(result.article.published_at, datetime.now(UTC))
    if implausible:  # kept as printed (the analyst decides), but flagged
        result.article.problems.append(implausible)
    names = result.region.names
    sections, records = [], []
    for section in result.sections:
        section_id = f"{job.article_id}-{section.index}"
        fingerprint = fingerprint_section(section_id, section.heading, section.lines, names, result.article.title)
        sections.append((fingerprint, section.heading or "", "\n".join(section.lines)))
        records.extend((record_key(record, names), section_id, record) for record in section.records)
    return PreparedArticle(job, result, article_fingerprint(result.article.body_lines), sections, records)


def record_row(record_id: str, section_id: str, article_id: int, position: int, record: Record) -> dict:
    return {
        "record_id": record_id,
        "section_id": section_id,
        "article_id": article_id,
        "position": position,
        "type": str(record.type),
        "block": record.block,
        "text": record.text,
        "item": record.item,
        "qualifiers": ",".join(record.qualifiers) or None,
        "optional": record.optional,
        "category": record.category,
        "value_min": record.value_min,
        "value_max": record.value_max,
        "unit": record.unit,
        "bound": record.bound,
        "applies_to": record.applies_to,
        "channel": record.channel,
        "ordinal": record.ordinal,
        "menu_path": " > ".join(record.menu_path) or None,
        "actor": record.actor,
        "status": record.status,
    }


def _upsert_articles(session: Session, batch: Sequence[PreparedArticle]) -> list[str | None]:
    """Insert or update the batch's articles; returns their body fingerprints from before the update."""
    ids = [p.job.article_id for p in batch]
    existing = {a.article_id: a for a in session.scalars(select(Article).where(Article.article_id.in_(ids)))}
    previous = [a.body_fingerprint for a in existing.values()]
    now = utc_now()
    for prepared in batch:
        job, extracted, region = prepared.job, prepared.result.article, prepared.result.region
        article = existing.get(job.article_id)
        if article is None:
            article = Article(article_id=job.article_id, url=job.url)
            session.add(article)
            existing[job.article_id] = article
        elif article.url != job.url:
            store_alias(session, ArticleAliasSeen(job.article_id, job.url))  # the first URL stays
        article.title = extracted.title
        article.published_at = extracted.published_at.isoformat() if extracted.published_at else None
        article.category = extracted.category
        article.province, article.city, article.adcode = region.province, region.city, region.adcode
        article.body_text = extracted.body_text
        article.body_fingerprint = prepared.body_fingerprint
        article.fetched_at = job.fetched_at
        article.processed_at = now
        article.page_version_ids = job.page_version_ids
        if job.job_id is not None:  # a re-derivation (`reprocess`) keeps what the crawl said
            article.complete = job.complete
    session.flush()
    return previous


def _replace_sections(session: Session, batch: Sequence[PreparedArticle]) -> None:
    ids = [p.job.article_id for p in batch]
    session.execute(delete(RecordRow).where(RecordRow.article_id.in_(ids)))
    session.execute(delete(Section).where(Section.article_id.in_(ids)))
    clusters = assign_clusters(session, [f for p in batch for f, _, _ in p.sections])
    section_rows = [
        {"section_id": f.section_id, "article_id": p.job.article_id, "position": index, "heading": heading,
         "body_text": body, "section_cluster_id": clusters[f.section_id], "minhash": f.signature,
         "topic": f.topic, "cluster_key": f.cluster_seed}
        for p in batch
        for index, (f, heading, body) in enumerate(p.sections)
    ]
    record_rows = [
        record_row(record_id, section_id, p.job.article_id, position, record)
        for p in batch
        for position, (record_id, section_id, record) in enumerate(p.records, start=1)
    ]
    if section_rows:
        session.connection().execute(insert(Section.__table__), section_rows)  # executemany, no RETURNING
    if record_rows:
        session.connection().execute(insert(RecordRow.__table__), record_rows)


def write_batch(session: Session, batch: Sequence[PreparedArticle], holder: str | None = None) -> int:
    """Write prepared articles and close their jobs (caller commits); returns how many were written.

    With `holder` (a worker), only the articles whose job `holder` still holds are written, and those
    jobs are marked done first, in the same transaction: a job whose lease was taken over is left to its
    new holder. Without (`reprocess`, no jobs), every article is written.
    """
    if holder is not None:
        held = complete_held(session, holder, [p.job.job_id for p in batch if p.job.job_id is not None])
        lost = [p.job.url for p in batch if p.job.job_id not in held]
        if lost:
            logger.warning("lease lost on %d jobs (another worker took them over): %s", len(lost), ", ".join(lost[:5]))
        batch = [p for p in batch if p.job.job_id in held]
    if not batch:
        return 0
    lock_cluster_state(session)  # clusters and re-posts are read, then written: one writer at a time
    previous_fingerprints = _upsert_articles(session, batch)
    _replace_sections(session, batch)
    # An edited original leaves its old group: those re-posts need a new original (or none).
    refresh_duplicates(session, [p.body_fingerprint for p in batch] + previous_fingerprints)
    now = utc_now()
    # Re-processing replaces an article's warnings instead of piling them up.
    urls = [p.job.url for p in batch]
    session.execute(delete(Failure).where(Failure.stage == QUALITY_STAGE, Failure.url.in_(urls)))
    for prepared in batch:  # non-fatal problems are logged and counted, the article is kept
        for problem in prepared.result.article.problems:
            session.add(Failure(url=prepared.job.url, stage=QUALITY_STAGE, reason=problem, at=now))
    if holder is None:
        job_ids = [p.job.job_id for p in batch if p.job.job_id is not None]
        session.execute(update(ProcessJob).where(ProcessJob.id.in_(job_ids)).values(state="done", error=None))
    return len(batch)


def failure_stage(error: BaseException) -> str:
    return "extract" if isinstance(error, ExtractionError) else "normalize"
