"""The processing side of the database: turn queued raw pages into articles, sections and records.

`process_job` is one article in one transaction: load its page versions, normalize (pure functions),
deduplicate, and replace the article's previous sections and records. A failure marks the job failed
with its reason and leaves every stored page and every earlier result in place.
"""

from __future__ import annotations

import json
import logging
import zlib

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.dedup import assign_section_cluster, refresh_duplicates
from db.models import Article, ArticleAlias, Failure, PageVersion, ProcessJob, RecordRow, Section
from db.session import utc_now
from normalize.extract import ExtractionError, RawPage
from normalize.fingerprint import article_fingerprint, record_key
from normalize.pipeline import process_pages
from schema.records import NormalizedArticle, Record

logger = logging.getLogger(__name__)


def _load_pages(session: Session, ids: list[int]) -> tuple[list[RawPage], str]:
    versions = {v.id: v for v in session.scalars(select(PageVersion).where(PageVersion.id.in_(ids)))}
    missing = [i for i in ids if i not in versions]
    if missing:
        raise ExtractionError(f"page versions {missing} are gone")
    ordered = [versions[i] for i in ids]
    pages = [RawPage(v.url, zlib.decompress(v.raw_html), v.content_type) for v in ordered]
    return pages, max(v.fetched_at for v in ordered)


def _record_row(record: Record, record_id: str, section_id: str, article_id: int, position: int) -> RecordRow:
    return RecordRow(
        record_id=record_id,
        section_id=section_id,
        article_id=article_id,
        position=position,
        type=str(record.type),
        block=record.block,
        text=record.text,
        item=record.item,
        qualifiers=",".join(record.qualifiers) or None,
        optional=record.optional,
        category=record.category,
        value_min=record.value_min,
        value_max=record.value_max,
        unit=record.unit,
        bound=record.bound,
        applies_to=record.applies_to,
        channel=record.channel,
        ordinal=record.ordinal,
        menu_path=" > ".join(record.menu_path) or None,
    )


def _upsert_article(session: Session, job: ProcessJob, result: NormalizedArticle, fetched_at: str) -> Article:
    extracted = result.article
    article = session.get(Article, job.article_id)
    if article is None:
        article = Article(article_id=job.article_id, url=job.url)
        session.add(article)
    elif article.url != job.url and session.get(ArticleAlias, job.url) is None:
        session.add(ArticleAlias(url=job.url, article_id=job.article_id))  # keep the first URL, note this one
    article.title = extracted.title
    article.published_at = extracted.published_at.isoformat() if extracted.published_at else None
    article.category = extracted.category
    article.province = result.region.province
    article.city = result.region.city
    article.adcode = result.region.adcode
    article.body_text = extracted.body_text
    article.body_fingerprint = article_fingerprint(extracted.body_lines)
    article.fetched_at = fetched_at
    article.processed_at = utc_now()
    article.page_version_ids = job.page_version_ids
    session.flush()
    refresh_duplicates(session, article.body_fingerprint)
    return article


def _replace_sections(session: Session, article: Article, result: NormalizedArticle) -> None:
    session.execute(delete(RecordRow).where(RecordRow.article_id == article.article_id))
    session.execute(delete(Section).where(Section.article_id == article.article_id))
    names = result.region.names
    position = 0
    for section in result.sections:
        section_id = f"{article.article_id}-{section.index}"
        body = "\n".join(section.lines)
        cluster_id, signature = assign_section_cluster(session, section_id, section.heading, body, names)
        session.add(
            Section(
                section_id=section_id,
                article_id=article.article_id,
                position=section.index,
                heading=section.heading,
                body_text=body,
                section_cluster_id=cluster_id,
                minhash=signature,
            )
        )
        session.flush()  # the section row must exist before its records reference it
        for record in section.records:
            position += 1
            session.add(_record_row(record, record_key(record, names), section_id, article.article_id, position))


def process_job(session: Session, job: ProcessJob) -> NormalizedArticle:
    """Normalize and store one queued article (caller commits)."""
    pages, fetched_at = _load_pages(session, json.loads(job.page_version_ids))
    result = process_pages(pages)
    article = _upsert_article(session, job, result, fetched_at)
    _replace_sections(session, article, result)
    job.state = "done"
    job.error = None
    return result


def record_job_failure(session: Session, job_id: int, error: BaseException) -> None:
    """Mark a job failed and log the reason as a Failure row (stage: extract or normalize)."""
    job = session.get(ProcessJob, job_id)
    if job is None:
        return
    stage = "extract" if isinstance(error, ExtractionError) else "normalize"
    reason = f"{type(error).__name__}: {error}"
    job.state = "failed"
    job.error = reason
    session.add(Failure(url=job.url, stage=stage, reason=reason[:2000], at=utc_now()))
    logger.warning("could not process %s: %s", job.url, reason)
