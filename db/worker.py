"""The processing worker: consume queued articles until told to stop and the queue is empty.

It runs in its own process beside the crawl, so extraction and normalization never stall the fetch
loop; it reads only what the crawl has committed (raw pages), which is what makes the crawl resumable.
When the queue is drained at the end, `settle_clusters` re-derives the section clusters from the stored
sections, so they do not depend on the order the articles were processed in.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.synchronize import Event

from sqlalchemy import Engine, select

from db.dedup import ReclusterCounts, recluster
from db.migrations import upgrade
from db.models import ProcessJob
from db.session import make_engine, session_scope
from db.writer import PreparedArticle, failure_stage, load_jobs, prepare_job, record_job_failure, write_batch

logger = logging.getLogger(__name__)
BATCH_SIZE = 100
WORKER_NICENESS = 10  # the fetch loop keeps priority; processing uses the idle core and drains at the end


@dataclass
class WorkerCounts:
    processed: int = 0
    failed: int = 0


def _pending_ids(engine: Engine, limit: int) -> list[int]:
    with engine.connect() as connection:
        query = select(ProcessJob.id).where(ProcessJob.state == "pending").order_by(ProcessJob.id).limit(limit)
        return list(connection.scalars(query))


def _fail(engine: Engine, job_id: int, reason: str, stage: str, counts: WorkerCounts) -> None:
    with session_scope(engine) as session:
        record_job_failure(session, job_id, reason, stage)
    counts.failed += 1


def _write_one_by_one(engine: Engine, batch: list[PreparedArticle], counts: WorkerCounts) -> None:
    """After a failed batch write: isolate the article that breaks it, keep the others."""
    for prepared in batch:
        try:
            with session_scope(engine) as session:
                write_batch(session, [prepared])
            counts.processed += 1
        except Exception as error:
            _fail(engine, prepared.job.job_id, f"{type(error).__name__}: {error}", "store", counts)


def _run_batch(engine: Engine, job_ids: list[int], counts: WorkerCounts) -> None:
    with session_scope(engine) as session:
        jobs, broken = load_jobs(session, job_ids)
    for job_id, reason in broken.items():
        _fail(engine, job_id, reason, "extract", counts)
    prepared: list[PreparedArticle] = []
    for job in jobs:
        try:
            prepared.append(prepare_job(job))
        except Exception as error:  # any bad page: log, count, keep going
            _fail(engine, job.job_id, f"{type(error).__name__}: {error}", failure_stage(error), counts)
    try:
        with session_scope(engine) as session:
            write_batch(session, prepared)
        counts.processed += len(prepared)
    except Exception:
        logger.exception("batch write failed; writing %d articles one by one", len(prepared))
        _write_one_by_one(engine, prepared, counts)


def process_pending(engine: Engine, limit: int | None = None,
                    stop_when: Callable[[], bool] | None = None) -> WorkerCounts:
    """Process queued jobs until none is pending (or about `limit` jobs are done, or `stop_when()` says so
    between batches)."""
    counts = WorkerCounts()
    while limit is None or counts.processed + counts.failed < limit:
        if stop_when is not None and stop_when():
            break
        size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - counts.processed - counts.failed)
        batch = _pending_ids(engine, size)
        if not batch:
            break
        _run_batch(engine, batch, counts)
    return counts


def settle_clusters(engine: Engine) -> ReclusterCounts:
    """The order-free re-clustering pass over every stored section (one transaction)."""
    with session_scope(engine) as session:
        counts = recluster(session)
    logger.info("clusters: %d for %d sections (%d sections moved, %d new, %d dropped)", counts.clusters,
                counts.sections, counts.moved_sections, counts.new_clusters, counts.dropped_clusters)
    return counts


def parent_gone(parent_pid: int | None) -> bool:
    """True when the process that started us has died (we were re-parented to init or a subreaper)."""
    return parent_pid is not None and os.getppid() != parent_pid


def run_worker(db_url: str, stop: Event, poll_seconds: float = 0.1, parent_pid: int | None = None) -> None:
    """Process jobs as they arrive; after `stop` is set, drain the queue and return.

    With `parent_pid`, the worker also ends when that process dies (a crawl killed with SIGKILL cannot
    set `stop`): it never outlives its crawl to poll the database and compete with the next run's worker.
    What it had not processed stays queued for `shebao process` or the next crawl.
    """
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s worker %(levelname)s %(message)s")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its "discarding data" notes are ours to report
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)  # the fetch loop keeps its core; processing takes what is left
    engine = make_engine(db_url)
    upgrade(engine)
    total = WorkerCounts()
    while True:
        if parent_gone(parent_pid):
            logger.warning("worker: the crawl process %s is gone; exiting (queued jobs stay queued)", parent_pid)
            break
        stopping = stop.is_set()  # read before draining, so jobs queued just before stop are seen
        counts = process_pending(engine, stop_when=lambda: parent_gone(parent_pid))
        total.processed += counts.processed
        total.failed += counts.failed
        if stopping and counts.processed + counts.failed == 0:
            break
        if counts.processed + counts.failed == 0:
            time.sleep(poll_seconds)
    settle_clusters(engine)
    engine.dispose()
    logger.info("worker done: %d processed, %d failed", total.processed, total.failed)
