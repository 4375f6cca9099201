"""The crawl side of the database: store raw page versions, queue changed articles, note aliases and failures.

A page version is keyed by (article id, page number), not by URL, so one article reached through two
hosts is stored once. A page whose bytes hash to its latest version's hash creates nothing.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.models import Article, ArticleAlias, Failure, PageVersion, ProcessJob
from db.session import utc_now
from schema.records import ArticleAliasSeen, FetchedArticle, FetchedPage, FetchFailure


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredValidators:
    """What a conditional request needs for one page, and the stored version to fall back on."""

    page_version_id: int
    etag: str | None
    last_modified: str | None


def _latest_version(session: Session, article_id: int, page_no: int) -> PageVersion | None:
    query = (
        select(PageVersion)
        .where(PageVersion.article_id == article_id, PageVersion.page_no == page_no)
        .order_by(PageVersion.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def _store_page(session: Session, article_id: int, page: FetchedPage) -> tuple[int, bool]:
    """The version id for this page's content, and whether it is new."""
    digest = content_hash(page.body)
    latest = _latest_version(session, article_id, page.page_no)
    if latest is not None and latest.content_hash == digest:
        return latest.id, False
    version = PageVersion(
        url=page.url,
        article_id=article_id,
        page_no=page.page_no,
        fetched_at=page.fetched_at,
        http_status=page.status,
        content_hash=digest,
        content_type=page.content_type,
        etag=page.etag,
        last_modified=page.last_modified,
        raw_html=zlib.compress(page.body, 6),
    )
    session.add(version)
    session.flush()
    return version.id, True


def _already_queued_or_built(session: Session, article_id: int, ids_json: str) -> bool:
    built = session.scalar(select(Article.page_version_ids).where(Article.article_id == article_id))
    if built == ids_json:
        return True
    queued = select(func.count()).where(
        ProcessJob.article_id == article_id,
        ProcessJob.page_version_ids == ids_json,
        ProcessJob.state.in_(("pending", "running", "done", "failed")),  # failed: retried by `process --retry-failed`
    )
    return bool(session.scalar(queued))


def store_fetched_article(session: Session, fetched: FetchedArticle) -> bool:
    """Store the article's pages; queue it for processing when its page set changed. True if queued."""
    ids = [_store_page(session, fetched.article_id, page)[0] for page in fetched.pages]
    ids_json = json.dumps(ids)
    if _already_queued_or_built(session, fetched.article_id, ids_json):
        _note_alias_if_other_url(session, fetched.article_id, fetched.url)
        return False
    session.add(
        ProcessJob(article_id=fetched.article_id, url=fetched.url, page_version_ids=ids_json, created_at=utc_now())
    )
    return True


def _note_alias_if_other_url(session: Session, article_id: int, url: str) -> None:
    known = session.scalar(select(Article.url).where(Article.article_id == article_id))
    if known is not None and known != url:
        store_alias(session, ArticleAliasSeen(article_id, url))


def store_alias(session: Session, alias: ArticleAliasSeen) -> None:
    if session.get(ArticleAlias, alias.url) is None:
        session.add(ArticleAlias(url=alias.url, article_id=alias.article_id))
        session.flush()


def store_failure(session: Session, failure: FetchFailure, run_id: int | None = None) -> None:
    session.add(Failure(url=failure.url, stage=failure.stage, reason=failure.reason[:2000], at=utc_now(), run_id=run_id))


def load_validators(engine: Engine) -> dict[tuple[int, int], StoredValidators]:
    """Latest validators of every stored page, keyed by (article id, page number)."""
    latest = (
        select(func.max(PageVersion.id).label("id")).group_by(PageVersion.article_id, PageVersion.page_no).subquery()
    )
    query = select(
        PageVersion.article_id, PageVersion.page_no, PageVersion.id, PageVersion.etag, PageVersion.last_modified
    ).join(latest, latest.c.id == PageVersion.id)
    with engine.connect() as connection:
        return {(row[0], row[1]): StoredValidators(row[2], row[3], row[4]) for row in connection.execute(query)}


def load_page_body(engine: Engine, page_version_id: int) -> tuple[bytes, str | None]:
    """The stored bytes and content type of one page version."""
    with engine.connect() as connection:
        row = connection.execute(
            select(PageVersion.raw_html, PageVersion.content_type).where(PageVersion.id == page_version_id)
        ).one()
    return zlib.decompress(row[0]), row[1]
