"""The crawl side of the database: store raw page versions, queue changed articles, note aliases and failures,
keep the revisit schedule and list progress, and look stored articles up in batches for the spider.

A page version is keyed by (article id, page number), not by URL, so one article reached through two
hosts is stored once. A page whose bytes hash to its latest version's hash creates nothing, and a page
answered 304 (status 304, no body) stands for its latest stored version.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from db.models import Article, ArticleAlias, ArticleVisit, Failure, ListProgress, PageVersion, ProcessJob
from db.schedule import (
    ListProgressState,
    RevisitMode,
    RevisitPolicy,
    VisitOutcome,
    next_interval,
    next_visit_at,
)
from db.session import in_chunks, utc_now
from normalize.urls import parse_article_url
from schema.records import ArticleAliasSeen, FetchedArticle, FetchedPage, FetchFailure

NOT_MODIFIED = 304  # a FetchedPage with this status has no body: it is its latest stored version


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredValidators:
    """What a conditional request needs for one page, and the stored version to fall back on."""

    page_version_id: int
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What the spider needs to revisit a stored article without reading pages back: its current pages'
    validators (page 1 first; their number is how many pages to request) and whether it is due."""

    article_id: int
    url: str  # its first page's URL
    pages: tuple[StoredValidators, ...]
    due: bool


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What storing one fetched article did."""

    queued: bool  # a processing job was created
    outcome: VisitOutcome  # new, changed or unchanged (by bytes)


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """A fetched page with its hash and compressed bytes, computed before any transaction opens."""

    article_id: int
    page: FetchedPage
    digest: str
    compressed: bytes


def prepare_pages(fetched: FetchedArticle) -> list[PreparedPage]:
    """Hash and compress an article's pages (CPU work kept out of the write transaction); a 304 page has none."""
    return [
        PreparedPage(fetched.article_id, p, "", b"") if p.status == NOT_MODIFIED
        else PreparedPage(fetched.article_id, p, content_hash(p.body), zlib.compress(p.body, 6))
        for p in fetched.pages
    ]


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


def _page_set(session: Session, pages: list[PreparedPage], latest: dict[tuple[int, int], tuple[int, str]]) -> tuple[str, bool]:
    """Version ids of an article's pages (JSON), inserting a version for each page whose bytes changed;
    and whether any was inserted. A 304 page is its latest version (the caller checked there is one)."""
    ids, inserted = [], False
    for prepared in pages:
        key = (prepared.article_id, prepared.page.page_no)
        if prepared.page.status != NOT_MODIFIED and latest.get(key, (0, ""))[1] != prepared.digest:
            version_id = session.execute(insert(PageVersion).returning(PageVersion.id), [_version_row(prepared)]).scalar_one()
            latest[key] = (version_id, prepared.digest)
            inserted = True
        ids.append(latest[key][0])
    return json.dumps(ids), inserted


def store_articles(session: Session, articles: list[tuple[FetchedArticle, list[PreparedPage]]]) -> list[StoreResult]:
    """Store the pages of several articles; queue each whose page set changed. Returns what each did.

    An incomplete fetch (a continuation page failed) of an article that is already built stores its
    pages but queues nothing: rebuilding from fewer pages would lose the missing ones' text. A 304 page
    with no stored version (it cannot happen unless rows were deleted) is left out and the article
    counts as incomplete.
    """
    if not articles:
        return []
    ids = [fetched.article_id for fetched, _ in articles]
    latest = _latest_hashes(session, ids)
    stored_before = {article_id for article_id, _ in latest}
    built, waiting = _known_page_sets(session, ids)
    results, jobs, now = [], [], utc_now()
    for fetched, all_pages in articles:
        pages = [p for p in all_pages if p.page.status != NOT_MODIFIED or (p.article_id, p.page.page_no) in latest]
        complete = fetched.complete and len(pages) == len(all_pages)
        ids_json, inserted = _page_set(session, pages, latest)
        known = built.get(fetched.article_id)
        if known and known[1] != fetched.url:
            store_alias(session, ArticleAliasSeen(fetched.article_id, fetched.url))
        unchanged = (known and known[0] == ids_json) or (fetched.article_id, ids_json) in waiting
        if fetched.article_id not in stored_before:
            outcome = VisitOutcome.NEW
        elif inserted or not unchanged:
            outcome = VisitOutcome.CHANGED
        else:
            outcome = VisitOutcome.UNCHANGED
        stored_before.add(fetched.article_id)  # the same article twice in one batch: the second is no longer new
        if not pages or unchanged or (known and not complete):
            results.append(StoreResult(False, outcome))
            continue
        waiting.add((fetched.article_id, ids_json))
        jobs.append({"article_id": fetched.article_id, "url": fetched.url, "page_version_ids": ids_json,
                     "created_at": now, "state": "pending", "complete": complete})
        results.append(StoreResult(True, outcome))
    if jobs:
        session.connection().execute(insert(ProcessJob.__table__), jobs)
    return results


def store_fetched_article(session: Session, fetched: FetchedArticle) -> bool:
    """Store one article's pages (see store_articles). True if it was queued for processing."""
    return store_articles(session, [(fetched, prepare_pages(fetched))])[0].queued


def store_alias(session: Session, alias: ArticleAliasSeen) -> None:
    """Keep another URL of an article (never its own canonical URL)."""
    canonical = session.scalar(select(Article.url).where(Article.article_id == alias.article_id))
    if alias.url != canonical and session.get(ArticleAlias, alias.url) is None:
        session.add(ArticleAlias(url=alias.url, article_id=alias.article_id))
        session.flush()


def store_failure(session: Session, failure: FetchFailure, run_id: int | None = None) -> None:
    session.add(Failure(url=failure.url, stage=failure.stage, reason=failure.reason[:2000], at=utc_now(), run_id=run_id))


def _current_page_sets(connection: Connection, article_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each article's current page set: its newest job's version ids (every changed page set makes a job)."""
    newest = select(func.max(ProcessJob.id)).where(ProcessJob.article_id.in_(article_ids)).group_by(ProcessJob.article_id)
    rows = connection.execute(select(ProcessJob.article_id, ProcessJob.page_version_ids).where(ProcessJob.id.in_(newest)))
    return {article_id: json.loads(ids) for article_id, ids in rows}


def stored_articles(connection: Connection, article_ids: Sequence[int], now: str,
                    mode: RevisitMode = RevisitMode.DUE) -> dict[int, StoredArticle]:
    """The stored ones among `article_ids` (one small lookup per chunk: meant for one list page's ids).

    An article with no schedule row yet (stored before schedules existed) is due.
    """
    found: dict[int, StoredArticle] = {}
    for chunk in in_chunks(sorted(set(article_ids))):
        page_sets = _current_page_sets(connection, chunk)
        latest = (
            select(func.max(PageVersion.id)).where(PageVersion.article_id.in_(chunk))
            .group_by(PageVersion.article_id, PageVersion.page_no)
        )
        wanted = {version_id for ids in page_sets.values() for version_id in ids}
        rows = connection.execute(
            select(PageVersion.id, PageVersion.article_id, PageVersion.page_no, PageVersion.url, PageVersion.etag,
                   PageVersion.last_modified).where(PageVersion.id.in_(latest) | PageVersion.id.in_(list(wanted)))
        ).all()
        by_id = {row[0]: row for row in rows}
        newest_by_page: dict[tuple[int, int], tuple] = {}
        for row in rows:
            key = (row[1], row[2])
            if key not in newest_by_page or row[0] > newest_by_page[key][0]:
                newest_by_page[key] = row
        visits = dict(connection.execute(
            select(ArticleVisit.article_id, ArticleVisit.next_visit_at).where(ArticleVisit.article_id.in_(chunk))
        ).all())
        for article_id in chunk:
            if article_id in page_sets and all(v in by_id for v in page_sets[article_id]):
                pages = [by_id[v] for v in page_sets[article_id]]
            else:  # no job row: the newest version of each page from the first, while they follow on
                pages = []
                while (article_id, len(pages) + 1) in newest_by_page:
                    pages.append(newest_by_page[(article_id, len(pages) + 1)])
            if not pages:
                continue
            next_at = visits.get(article_id)
            due = mode is RevisitMode.ALL or (mode is RevisitMode.DUE and (next_at is None or next_at <= now))
            found[article_id] = StoredArticle(
                article_id, pages[0][3], tuple(StoredValidators(r[0], r[4], r[5]) for r in pages), due
            )
    return found


def due_article_ids(connection: Connection, now: str, after_id: int, limit: int, mode: RevisitMode) -> list[int]:
    """The next `limit` article ids above `after_id` that a run in `mode` revisits, in id order (the
    spider pages through them: the whole schedule is never loaded at once). Besides stored articles,
    these include articles whose first fetch failed (a schedule row and no stored page)."""
    if mode is RevisitMode.NONE:
        return []
    scheduled = select(ArticleVisit.article_id).where(ArticleVisit.article_id > after_id)
    unscheduled = (
        select(PageVersion.article_id).where(PageVersion.article_id > after_id)
        .outerjoin(ArticleVisit, ArticleVisit.article_id == PageVersion.article_id)
        .where(ArticleVisit.article_id.is_(None)).group_by(PageVersion.article_id)
    )
    if mode is RevisitMode.DUE:
        scheduled = scheduled.where(ArticleVisit.next_visit_at <= now)
    ids = sorted(set(connection.scalars(scheduled.order_by(ArticleVisit.article_id).limit(limit)))
                 | set(connection.scalars(unscheduled.order_by(PageVersion.article_id).limit(limit))))
    return ids[:limit]


def scheduled_urls(connection: Connection, article_ids: Sequence[int]) -> dict[int, str]:
    """The URL the schedule keeps for each of these articles (for those never stored: where to retry)."""
    urls: dict[int, str] = {}
    for chunk in in_chunks(sorted(set(article_ids))):
        urls.update(connection.execute(
            select(ArticleVisit.article_id, ArticleVisit.url).where(ArticleVisit.article_id.in_(chunk))
        ).all())
    return urls


def record_fetch_failures(session: Session, urls: Sequence[str], policy: RevisitPolicy, now: datetime) -> None:
    """Schedule a retry for each article whose first page could not be fetched, on a growing interval:
    one never stored is found again even when the list walk no longer reaches it, and one deleted from
    the site costs a request a month at most."""
    failed = {a.article_id: a.first_page_url for url in urls
              if (a := parse_article_url(url)) is not None and a.page_no == 1}
    record_visits(session, [(article_id, url, VisitOutcome.FAILED) for article_id, url in failed.items()], policy, now)


def record_visits(session: Session, visits: Sequence[tuple[int, str, VisitOutcome]], policy: RevisitPolicy,
                  now: datetime) -> None:
    """Update the revisit schedule of visited articles: (article id, first page URL, outcome) each."""
    if not visits:
        return
    latest_by_id = {article_id: (url, outcome) for article_id, url, outcome in visits}
    existing: dict[int, int] = {}
    for chunk in in_chunks(sorted(latest_by_id)):
        existing.update(session.execute(
            select(ArticleVisit.article_id, ArticleVisit.interval_seconds).where(ArticleVisit.article_id.in_(chunk))
        ).all())
    stamp = now.isoformat(timespec="seconds")
    inserts, updates = [], []
    for article_id, (url, outcome) in latest_by_id.items():
        interval = next_interval(policy, existing.get(article_id), outcome)
        row = {"article_id": article_id, "url": url, "last_visit_at": stamp, "interval_seconds": interval,
               "next_visit_at": next_visit_at(now, interval, outcome, policy).isoformat(timespec="seconds")}
        changed = outcome in (VisitOutcome.NEW, VisitOutcome.CHANGED)  # FAILED/INCOMPLETE: nothing known
        if article_id in existing:
            updates.append({**row, "b_id": row.pop("article_id"), "changed_at": stamp if changed else None})
        else:
            inserts.append({**row, "last_changed_at": stamp if changed else None})
    connection = session.connection()
    if inserts:
        connection.execute(insert(ArticleVisit.__table__), inserts)
    if updates:
        table = ArticleVisit.__table__
        statement = (
            update(table).where(table.c.article_id == bindparam("b_id"))
            .values(url=bindparam("url"), last_visit_at=bindparam("last_visit_at"),
                    interval_seconds=bindparam("interval_seconds"), next_visit_at=bindparam("next_visit_at"),
                    last_changed_at=func.coalesce(bindparam("changed_at"), table.c.last_changed_at))
        )
        connection.execute(statement, updates)


def list_progress(connection: Connection, list_url: str) -> ListProgressState:
    """How deep the last finished pass and the current unfinished pass walked this list."""
    row = connection.execute(
        select(ListProgress.complete_depth, ListProgress.pass_depth).where(ListProgress.list_url == list_url)
    ).first()
    return ListProgressState(row[0] or 0, row[1] or 0) if row else ListProgressState()


def raise_pass_depth(session: Session, list_url: str, page_no: int) -> None:
    """The current pass walked this list down to `page_no` (kept until a pass finishes)."""
    row = session.get(ListProgress, list_url)
    if row is None:
        session.add(ListProgress(list_url=list_url, complete_depth=0, pass_depth=page_no, updated_at=utc_now()))
    elif page_no > row.pass_depth:
        row.pass_depth = page_no
        row.updated_at = utc_now()
    session.flush()


def finish_list_passes(session: Session, depths: dict[str, int]) -> None:
    """Passes that ended (list end or stop rule) in a run that finished: the interrupted-pass depth is cleared."""
    for list_url, depth in depths.items():
        row = session.get(ListProgress, list_url)
        if row is None:
            session.add(ListProgress(list_url=list_url, complete_depth=depth, pass_depth=0, updated_at=utc_now()))
        else:
            row.complete_depth = max(row.complete_depth or 0, depth)
            row.pass_depth = 0
            row.updated_at = utc_now()
    session.flush()


def load_page_body(engine: Engine, page_version_id: int) -> tuple[bytes, str | None]:
    """The stored bytes and content type of one page version."""
    with engine.connect() as connection:
        row = connection.execute(
            select(PageVersion.raw_html, PageVersion.content_type).where(PageVersion.id == page_version_id)
        ).one()
    return zlib.decompress(row[0]), row[1]
