"""The crawl side of the database: store raw page versions, queue changed articles, note aliases and failures.

A page version is keyed by (article id, page number), not by URL, so one article reached through two
hosts is stored once. A page whose bytes hash to its latest version's hash creates nothing.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from db.models import Article, ArticleAlias, Failure, PageVersion, ProcessJob
from db.session import in_chunks, utc_now
from schema.records import ArticleAliasSeen, FetchedArticle, FetchedPage, FetchFailure


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredValidators:
    """What a conditional request needs for one page, and the stored version to fall back on."""

    page_version_id: int
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """A fetched page with its hash and compressed bytes, computed before any transaction opens."""

    article_id: int
    page: FetchedPage
    digest: str
    compressed: bytes


def prepare_pages(fetched: FetchedArticle) -> list[PreparedPage]:
    """Hash and compress an article's pages (CPU work kept out of the write transaction)."""
    return [PreparedPage(fetched.article_id, p, content_hash(p.body), zlib.compress(p.body, 6)) for p in fetched.pages]


def _latest_hashes(session: Session, article_ids: list[int]) -> dict[tuple[int, int], tuple[int, str]]:
    """(article id, page no) → (latest version id, its hash), for these articles."""
    latest: dict[tuple[int, int], tuple[int, str]] = {}
    for chunk in in_chunks(sorted(set(article_ids))):
        newest = (
            select(func.max(PageVersion.id))
            .where(PageVersion.article_id.in_(chunk))
            .group_by(PageVersion.article_id, PageVersion.page_no)
        )
        query = select(PageVersion.article_id, PageVersion.page_no, PageVersion.id, PageVersion.content_hash).where(
            PageVersion.id.in_(newest)
        )
        latest.update({(a, n): (i, h) for a, n, i, h in session.execute(query)})
    return latest


def _version_row(prepared: PreparedPage) -> dict[str, object]:
    page = prepared.page
    return {
        "url": page.url,
        "article_id": prepared.article_id,
        "page_no": page.page_no,
        "fetched_at": page.fetched_at,
        "http_status": page.status,
        "content_hash": prepared.digest,
        "content_type": page.content_type,
        "etag": page.etag,
        "last_modified": page.last_modified,
        "raw_html": prepared.compressed,
    }


def _known_page_sets(session: Session, article_ids: list[int]) -> tuple[dict[int, tuple[str, str]], set[tuple[int, str]]]:
    """Built articles (id → (page set, url)), and page sets waiting in pending, running or failed jobs.

    A done job does not count: its result may since have been replaced by a newer page set, and the
    same pages coming back must then be built again. A running one is being built (or, if its worker
    died, will be claimed again); failed ones wait for `process --retry-failed`.
    """
    built: dict[int, tuple[str, str]] = {}
    waiting: set[tuple[int, str]] = set()
    for chunk in in_chunks(sorted(set(article_ids))):
        rows = session.execute(
            select(Article.article_id, Article.page_version_ids, Article.url).where(Article.article_id.in_(chunk))
        )
        built.update({a: (ids, url) for a, ids, url in rows})
        jobs = select(ProcessJob.article_id, ProcessJob.page_version_ids).where(
            ProcessJob.article_id.in_(chunk), ProcessJob.state.in_(("pending", "running", "failed"))
        )
        waiting.update((a, ids) for a, ids in session.execute(jobs))
    return built, waiting


def _page_set(session: Session, pages: list[PreparedPage], latest: dict[tuple[int, int], tuple[int, str]]) -> str:
    """Version ids of an article's pages (JSON), inserting a version for each page whose bytes changed."""
    ids = []
    for prepared in pages:
        key = (prepared.article_id, prepared.page.page_no)
        if latest.get(key, (0, ""))[1] != prepared.digest:
            version_id = session.execute(insert(PageVersion).returning(PageVersion.id), [_version_row(prepared)]).scalar_one()
            latest[key] = (version_id, prepared.digest)
        ids.append(latest[key][0])
    return json.dumps(ids)


def store_articles(session: Session, articles: list[tuple[FetchedArticle, list[PreparedPage]]]) -> list[bool]:
    """Store the pages of several articles; queue each whose page set changed. Returns queued flags.

    An incomplete fetch (a continuation page failed) of an article that is already built stores its
    pages but queues nothing: rebuilding from fewer pages would lose the missing ones' text.
    """
    if not articles:
        return []
    ids = [fetched.article_id for fetched, _ in articles]
    latest = _latest_hashes(session, ids)
    built, waiting = _known_page_sets(session, ids)
    flags, jobs, now = [], [], utc_now()
    for fetched, pages in articles:
        ids_json = _page_set(session, pages, latest)
        known = built.get(fetched.article_id)
        if known and known[1] != fetched.url:
            store_alias(session, ArticleAliasSeen(fetched.article_id, fetched.url))
        unchanged = (known and known[0] == ids_json) or (fetched.article_id, ids_json) in waiting
        if unchanged or (known and not fetched.complete):
            flags.append(False)
            continue
        waiting.add((fetched.article_id, ids_json))
        jobs.append({"article_id": fetched.article_id, "url": fetched.url, "page_version_ids": ids_json,
                     "created_at": now, "state": "pending", "complete": fetched.complete})
        flags.append(True)
    if jobs:
        session.connection().execute(insert(ProcessJob.__table__), jobs)
    return flags


def store_fetched_article(session: Session, fetched: FetchedArticle) -> bool:
    """Store one article's pages (see store_articles). True if it was queued for processing."""
    return store_articles(session, [(fetched, prepare_pages(fetched))])[0]


def store_alias(session: Session, alias: ArticleAliasSeen) -> None:
    """Keep another URL of an article (never its own canonical URL)."""
    canonical = session.scalar(select(Article.url).where(Article.article_id == alias.article_id))
    if alias.url != canonical and session.get(ArticleAlias, alias.url) is None:
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
