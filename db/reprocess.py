"""Re-derive every stored article's sections and records from its stored raw pages (no crawl).

`reprocess` runs the current normalizers over the page versions each article was built from: the pure
part (`prepare_job`) in a process pool, one article per task, so every core works (a small database is
done in this process); the writing in this process, batch by batch, while the pool prepares the next. An article whose derived content is unchanged is not written at all, so a
second run changes nothing and record ids stay as they are; an article that cannot be prepared or
written is a `failure` row and keeps what was stored. A re-clustering pass ends the run.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.dedup import ReclusterCounts, recluster
from db.migrations import upgrade
from db.models import Article, Failure, RecordRow, Section
from db.session import in_chunks, session_scope, utc_now
from db.writer import (
    JobPages,
    PreparedArticle,
    failure_stage,
    load_pages,
    prepare_job,
    record_row,
    write_batch,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 100  # articles per write transaction (and per progress line)
# A pool process costs about as much to start (a fresh interpreter importing the normalizers) as
# preparing a few hundred articles, so by default a run gets one process per this many articles, up to
# one per core: a small database is re-derived in this process, a crawl-sized one on every core.
ARTICLES_PER_PROCESS = 500

_Entry = tuple[None, int, str, str]  # (no job, article id, URL, page_version_ids JSON)
# One batch on its way: its loaded pages (or why they are missing), its entries, its pool tasks.
_Batch = tuple[list[JobPages | str], list[_Entry], list[Future[Any] | None]]

# Article columns a re-derivation may change; an article whose values and rows are equal is skipped.
_ARTICLE_FIELDS = ("title", "published_at", "category", "province", "city", "adcode", "body_text", "body_fingerprint")
# Section columns compared (section_cluster_id is the re-clustering pass's business).
_SECTION_FIELDS = ("section_id", "position", "heading", "body_text", "minhash", "topic", "cluster_key")
# Record columns compared: all but the surrogate occurrence_id.
_RECORD_FIELDS = tuple(c.name for c in RecordRow.__table__.columns if c.name != "occurrence_id")
_RECORD_ID = _RECORD_FIELDS.index("record_id")


@dataclass
class ReprocessSummary:
    """What one `reprocess` run did."""

    articles: int = 0  # articles looked at
    changed: int = 0  # rewritten because their derived content differs
    unchanged: int = 0  # left as they were
    failed: int = 0  # could not be re-derived or written (a failure row each; stored data kept)
    records_kept: int = 0  # record ids of changed articles that exist before and after
    records_added: int = 0  # record ids only after
    records_removed: int = 0  # record ids only before
    clusters: ReclusterCounts = field(default_factory=ReclusterCounts)


@dataclass(frozen=True, slots=True)
class _PrepareFailure:
    reason: str
    stage: str


def _prepare_safely(job: JobPages) -> PreparedArticle | _PrepareFailure:
    """prepare_job in a pool worker: an error comes back as a value, never kills the pool."""
    try:
        return prepare_job(job)
    except Exception as error:  # any bad page: logged and counted by the caller
        return _PrepareFailure(f"{type(error).__name__}: {error}", failure_stage(error))


def _outcome(future: Future[Any]) -> PreparedArticle | _PrepareFailure:
    """A task's result; a pool that broke under it (a killed worker) makes it a failure, not a crash."""
    try:
        return future.result()
    except Exception as error:
        return _PrepareFailure(f"{type(error).__name__}: {error}", "normalize")


class _InProcess(Executor):
    """The Executor interface without a pool (workers=1): no process start-up, same code path."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _executor(workers: int) -> Executor:
    if workers <= 1:
        return _InProcess()
    # spawn: the children start clean (no copied database connections or locks) on every platform.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _article_batches(session: Session, batch_size: int) -> Iterator[list[_Entry]]:
    """(no job, article id, URL, page_version_ids) of every stored article, by id, in batches."""
    query = select(Article.article_id, Article.url, Article.page_version_ids).order_by(Article.article_id)
    rows = [(None, article_id, url, ids) for article_id, url, ids in session.execute(query)]
    for start in range(0, len(rows), batch_size):
        yield rows[start : start + batch_size]


def _stored_state(session: Session, article_ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """What is stored for each article, in the shape `_prepared_state` computes."""
    articles: dict[int, tuple[Any, ...]] = {}
    sections: dict[int, list[tuple[Any, ...]]] = {i: [] for i in article_ids}
    records: dict[int, list[tuple[Any, ...]]] = {i: [] for i in article_ids}
    for chunk in in_chunks(list(article_ids)):
        for article in session.scalars(select(Article).where(Article.article_id.in_(chunk))):
            articles[article.article_id] = tuple(getattr(article, name) for name in _ARTICLE_FIELDS)
        section_columns = [getattr(Section, name) for name in _SECTION_FIELDS]
        query = select(Section.article_id, *section_columns).where(Section.article_id.in_(chunk))
        for article_id, *values in session.execute(query.order_by(Section.position)):
            sections[article_id].append(tuple(values))
        record_columns = [getattr(RecordRow, name) for name in _RECORD_FIELDS]
        query = select(*record_columns).where(RecordRow.article_id.in_(chunk)).order_by(RecordRow.position)
        for row in session.execute(query):
            records[row.article_id].append(tuple(row))
    return {i: (articles.get(i), sections[i], records[i]) for i in article_ids}


def _prepared_state(prepared: PreparedArticle) -> tuple[Any, ...]:
    extracted, region = prepared.result.article, prepared.result.region
    article = (
        extracted.title,
        extracted.published_at.isoformat() if extracted.published_at else None,
        extracted.category,
        region.province,
        region.city,
        region.adcode,
        extracted.body_text,
        prepared.body_fingerprint,
    )
    sections = [
        (f.section_id, position, heading, body, f.signature, f.topic, f.cluster_seed)
        for position, (f, heading, body) in enumerate(prepared.sections)
    ]
    rows = [
        record_row(record_id, section_id, prepared.job.article_id, position, record)
        for position, (record_id, section_id, record) in enumerate(prepared.records, start=1)
    ]
    records = [tuple(row[name] for name in _RECORD_FIELDS) for row in rows]
    return (article, sections, records)


def _log_failure(session: Session, url: str, reason: str, stage: str) -> None:
    session.add(Failure(url=url, stage=stage, reason=reason[:2000], at=utc_now()))
    logger.warning("could not re-derive %s: %s", url, reason)


class _Reprocessor:
    """The write side of one run: compares, writes what changed, counts."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.summary = ReprocessSummary()

    def write(self, jobs: Sequence[JobPages | str], entries: Sequence[_Entry],
              outcomes: Sequence[PreparedArticle | _PrepareFailure | None]) -> None:
        """One batch: failures logged, unchanged articles skipped, changed ones rewritten together."""
        prepared: list[PreparedArticle] = []
        with session_scope(self.engine) as session:
            for job, entry, outcome in zip(jobs, entries, outcomes, strict=True):
                self.summary.articles += 1
                if isinstance(job, str):  # its page versions are gone
                    _log_failure(session, entry[2], job, "extract")
                elif isinstance(outcome, _PrepareFailure):
                    _log_failure(session, entry[2], outcome.reason, outcome.stage)
                elif outcome is not None:
                    prepared.append(outcome)
                    continue
                self.summary.failed += 1
            stored = _stored_state(session, [p.job.article_id for p in prepared])
        changed = [p for p in prepared if stored[p.job.article_id] != _prepared_state(p)]
        self.summary.unchanged += len(prepared) - len(changed)
        for article in changed:
            before = {row[_RECORD_ID] for row in stored[article.job.article_id][2]}
            after = {record_id for record_id, _, _ in article.records}
            self.summary.records_kept += len(before & after)
            self.summary.records_added += len(after - before)
            self.summary.records_removed += len(before - after)
        self._write_changed(changed)

    def _write_changed(self, changed: list[PreparedArticle]) -> None:
        try:
            with session_scope(self.engine) as session:
                write_batch(session, changed)
            self.summary.changed += len(changed)
            return
        except Exception:
            logger.exception("batch write failed; writing %d articles one by one", len(changed))
        for article in changed:  # isolate the article that breaks the batch, keep the others
            try:
                with session_scope(self.engine) as session:
                    write_batch(session, [article])
                self.summary.changed += 1
            except Exception as error:
                with session_scope(self.engine) as session:
                    _log_failure(session, article.job.url, f"{type(error).__name__}: {error}", "store")
                self.summary.failed += 1


def reprocess(engine: Engine, workers: int | None = None, batch_size: int = BATCH_SIZE) -> ReprocessSummary:
    """Re-derive every stored article from its stored pages, then re-cluster; see the module docstring.

    `workers`: processes preparing articles (1: this process only); None picks by size (ARTICLES_PER_PROCESS).
    """
    upgrade(engine)
    with session_scope(engine) as session:
        batches = list(_article_batches(session, batch_size))
    total = sum(len(batch) for batch in batches)
    workers = workers or max(1, min(os.cpu_count() or 1, total // ARTICLES_PER_PROCESS))
    logger.info("reprocess: %d articles in %d batches, %d worker process(es)", total, len(batches), workers)
    writer = _Reprocessor(engine)
    in_flight: deque[_Batch] = deque()
    with _executor(workers) as executor:
        for entries in batches:
            with session_scope(engine) as session:
                jobs = load_pages(session, entries)
            futures = [None if isinstance(job, str) else executor.submit(_prepare_safely, job) for job in jobs]
            in_flight.append((jobs, entries, futures))
            if len(in_flight) > 1:  # the pool works on this batch while the previous one is written
                _write_next(writer, in_flight, total)
        while in_flight:
            _write_next(writer, in_flight, total)
    with session_scope(engine) as session:
        writer.summary.clusters = recluster(session)
    summary = writer.summary
    logger.info("reprocess done: %d articles, %d changed, %d unchanged, %d failed; %d clusters",
                summary.articles, summary.changed, summary.unchanged, summary.failed, summary.clusters.clusters)
    return summary


def _write_next(
    writer: _Reprocessor,
    in_flight: deque[_Batch],
    total: int,
) -> None:
    jobs, entries, futures = in_flight.popleft()
    writer.write(jobs, entries, [None if future is None else _outcome(future) for future in futures])
    summary = writer.summary
    logger.info("reprocess: %d/%d articles (%d changed, %d unchanged, %d failed)",
                summary.articles, total, summary.changed, summary.unchanged, summary.failed)
