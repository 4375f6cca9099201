"""The processing worker: claim queued articles, process them, and report progress; one or N processes.

It runs in its own process beside the crawl (`run_worker`), so extraction and normalization never stall
the fetch loop; `shebao process --workers N` runs N of them over the queue (`process_with_workers`), and
any number of them on other machines may share one PostgreSQL queue. Jobs are claimed with a lease
(db.jobs), so every job is processed once whoever else works the queue; a killed worker's jobs are
claimed again. It reads only what the crawl has committed (raw pages), which makes the crawl resumable.
When the queue is drained, `settle_clusters` re-derives the section clusters from the stored sections,
so they do not depend on the order (or the worker) the articles were processed in.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from typing import Any

from sqlalchemy import Engine

from db.dedup import ReclusterCounts, recluster
from db.jobs import (
    ClaimedJob,
    QueueSettings,
    claim_jobs,
    close_failed,
    live_running_count,
    pending_count,
    renew_leases,
    worker_name,
)
from db.migrations import upgrade
from db.session import make_engine, session_scope
from db.writer import PreparedArticle, failure_stage, load_jobs, prepare_job, write_batch

logger = logging.getLogger(__name__)
BATCH_SIZE = 50  # jobs per claim and per write transaction: short leases' worth of work, few transactions
WORKER_NICENESS = 10  # the fetch loop keeps priority; processing uses the idle core and drains at the end
PROGRESS_SECONDS = 5.0  # an INFO progress line at most this often
LOG_FORMAT = "%(asctime)s %(processName)s %(levelname)s %(message)s"
SETTLING = -1  # run_worker's done_counter once the queue is drained and the clusters are being settled


@dataclass
class WorkerCounts:
    processed: int = 0
    failed: int = 0
    retried: int = 0  # store failures put back in the queue for another attempt

    def add(self, other: WorkerCounts) -> None:
        self.processed += other.processed
        self.failed += other.failed
        self.retried += other.retried


class Progress:
    """Logs processed, failed, pending and rate at INFO every `every` seconds, and once at the end.

    Counts are cumulative over the calls of process_pending it is given to (`fold` adds a finished call's).
    `done_counter`, when given, is set to the number of batches finished: the crawl's extension reads it
    to tell a busy worker from a stuck one.
    """

    def __init__(self, engine: Engine, holder: str, every: float = PROGRESS_SECONDS,
                 done_counter: Synchronized[Any] | None = None) -> None:
        self.engine, self.holder, self.every, self.done_counter = engine, holder, every, done_counter
        self.started = self.last = time.monotonic()
        self.done_at_last = 0
        self.earlier = WorkerCounts()  # finished calls
        self.batches = 0

    def fold(self, counts: WorkerCounts) -> None:
        self.earlier.add(counts)

    def tick(self, current: WorkerCounts, final: bool = False) -> None:
        if not final:
            self.batches += 1
            if self.done_counter is not None:
                self.done_counter.value = self.batches
        now = time.monotonic()
        if not final and now - self.last < self.every:
            return
        processed = self.earlier.processed + current.processed
        failed = self.earlier.failed + current.failed
        if final:
            rate, note = (processed + failed) / max(now - self.started, 1e-6), " overall"
        else:
            rate, note = (processed + failed - self.done_at_last) / max(now - self.last, 1e-6), ""
        logger.info("worker %s: %d processed, %d failed, %d pending, %.1f articles/s%s", self.holder, processed,
                    failed, pending_count(self.engine), rate, note)
        self.last, self.done_at_last = now, processed + failed


def _fail(engine: Engine, holder: str, job_id: int, reason: str, stage: str, counts: WorkerCounts,
          queue: QueueSettings, retry: bool = False) -> None:
    with session_scope(engine) as session:
        state = close_failed(session, holder, job_id, reason, stage, retry=retry, max_attempts=queue.max_attempts)
    if state == "failed":
        counts.failed += 1
    elif state == "pending":
        counts.retried += 1


def _write_one_by_one(engine: Engine, holder: str, batch: list[PreparedArticle], counts: WorkerCounts,
                      queue: QueueSettings) -> None:
    """After a failed batch write: isolate the article that breaks it, keep the others (it is retried)."""
    for prepared in batch:
        try:
            with session_scope(engine) as session:
                counts.processed += write_batch(session, [prepared], holder)
        except Exception as error:
            assert prepared.job.job_id is not None
            _fail(engine, holder, prepared.job.job_id, f"{type(error).__name__}: {error}", "store", counts, queue,
                  retry=True)


def _run_batch(engine: Engine, holder: str, claimed: list[ClaimedJob], counts: WorkerCounts,
               queue: QueueSettings) -> None:
    job_ids = [job.id for job in claimed]
    with session_scope(engine) as session:
        jobs, broken = load_jobs(session, job_ids, holder)
    for job_id, reason in broken.items():
        _fail(engine, holder, job_id, reason, "extract", counts, queue)
    prepared: list[PreparedArticle] = []
    renew_at = time.monotonic() + queue.lease_seconds / 3
    for job in jobs:
        if time.monotonic() > renew_at:  # a slow batch keeps its jobs: nobody reclaims them meanwhile
            renew_leases(engine, holder, job_ids, queue.lease_seconds)
            renew_at = time.monotonic() + queue.lease_seconds / 3
        assert job.job_id is not None
        try:
            prepared.append(prepare_job(job))
        except Exception as error:  # a bad page fails the same way every time: no retry
            _fail(engine, holder, job.job_id, f"{type(error).__name__}: {error}", failure_stage(error), counts, queue)
    try:
        with session_scope(engine) as session:
            counts.processed += write_batch(session, prepared, holder)
    except Exception:
        logger.exception("batch write failed; writing %d articles one by one", len(prepared))
        _write_one_by_one(engine, holder, prepared, counts, queue)


def process_pending(engine: Engine, limit: int | None = None, stop_when: Callable[[], bool] | None = None, *,
                    queue: QueueSettings | None = None, progress: Progress | None = None,
                    holder: str | None = None) -> WorkerCounts:
    """Claim and process jobs until none is claimable (or about `limit` jobs are done, or `stop_when()` says
    so between batches)."""
    queue = queue or QueueSettings()
    holder = holder or worker_name()
    counts = WorkerCounts()
    while limit is None or counts.processed + counts.failed < limit:
        if stop_when is not None and stop_when():
            break
        batch_size = queue.batch_size or BATCH_SIZE
        size = batch_size if limit is None else min(batch_size, limit - counts.processed - counts.failed)
        claimed = claim_jobs(engine, holder, size, lease_seconds=queue.lease_seconds, max_attempts=queue.max_attempts)
        if not claimed:
            break
        _run_batch(engine, holder, claimed, counts, queue)
        if progress is not None:
            progress.tick(counts)
    return counts


def drain(engine: Engine, queue: QueueSettings | None = None, poll_seconds: float = 0.5,
          stop_when: Callable[[], bool] | None = None, progress_seconds: float = PROGRESS_SECONDS) -> WorkerCounts:
    """Process until no job is pending; a pending job that waits for another worker's run of its article
    is waited for. Jobs other workers hold are left to them (a dead holder's come back when claimable)."""
    holder = worker_name()
    progress = Progress(engine, holder, progress_seconds)
    total = WorkerCounts()
    while not (stop_when is not None and stop_when()):
        counts = process_pending(engine, stop_when=stop_when, queue=queue, progress=progress, holder=holder)
        total.add(counts)
        progress.fold(counts)
        if counts.processed + counts.failed + counts.retried:
            continue
        if pending_count(engine) == 0:
            break
        time.sleep(poll_seconds)  # pending jobs whose article another worker is processing right now
    progress.tick(WorkerCounts(), final=True)
    return total


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


def _configure_logging(level: str | int = logging.INFO) -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its "discarding data" notes are ours to report
    logging.getLogger("alembic").setLevel(logging.WARNING)


def run_worker(db_url: str, stop: Event, poll_seconds: float = 0.1, parent_pid: int | None = None,
               queue: QueueSettings | None = None, done_counter: Synchronized[Any] | None = None,
               log_level: str | int = logging.INFO) -> None:
    """Process jobs as they arrive; after `stop` is set, drain the queue and return.

    With `parent_pid`, the worker also ends when that process dies (a crawl killed with SIGKILL cannot
    set `stop`): it never outlives its crawl to poll the database and compete with the next run's worker.
    What it had not processed stays queued for `shebao process` or the next crawl. `done_counter` counts
    finished batches for the parent, which uses it to tell a busy worker from a stuck one.
    Progress is logged at INFO (shown when `log_level`, the crawl's, lets INFO through).
    """
    _configure_logging(log_level)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)  # the fetch loop keeps its core; processing takes what is left
    engine = make_engine(db_url)
    upgrade(engine)
    holder = worker_name()
    progress = Progress(engine, holder, done_counter=done_counter)
    total = WorkerCounts()
    while True:
        if parent_gone(parent_pid):
            logger.warning("worker: the crawl process %s is gone; exiting (queued jobs stay queued)", parent_pid)
            break
        stopping = stop.is_set()  # read before draining, so jobs queued just before stop are seen
        counts = process_pending(engine, stop_when=lambda: parent_gone(parent_pid), queue=queue, progress=progress,
                                 holder=holder)
        total.add(counts)
        progress.fold(counts)
        busy = counts.processed + counts.failed + counts.retried > 0
        if stopping and not busy and (pending_count(engine) == 0 or live_running_count(engine) == 0):
            break  # drained (what waits for another worker's article is that worker's to finish)
        if not busy:
            time.sleep(poll_seconds)
    progress.tick(WorkerCounts(), final=True)
    if done_counter is not None:
        done_counter.value = SETTLING  # drained: the re-clustering pass runs as long as it needs
    settle_clusters(engine)
    engine.dispose()
    logger.info("worker done: %d processed, %d failed", total.processed, total.failed)


def _drain_child(db_url: str, results: Any, parent_pid: int, queue: QueueSettings, progress_seconds: float) -> None:
    """One of `process --workers N`: drain the shared queue, report the counts, leave the clusters to the parent."""
    _configure_logging()
    engine = make_engine(db_url)
    counts = drain(engine, queue, stop_when=lambda: parent_gone(parent_pid), progress_seconds=progress_seconds)
    engine.dispose()
    results.put((counts.processed, counts.failed, counts.retried))


def process_with_workers(db_url: str, workers: int = 1, queue: QueueSettings | None = None,
                         progress_seconds: float = PROGRESS_SECONDS) -> WorkerCounts:
    """Drain the queue with `workers` processes (1: this process), then re-cluster once.

    A worker process that dies (killed, out of memory) is reported; its jobs are claimed again (at once
    on this host, after their lease elsewhere) and what is left is processed here, so the queue is
    drained when this returns.
    """
    queue = queue or QueueSettings()
    engine = make_engine(db_url)
    upgrade(engine)  # once here, under the upgrade lock, before the children start
    total = WorkerCounts()
    if workers > 1:
        engine.dispose()  # no pooled connection may be shared with a forked child
        # fork: a child starts in milliseconds with the normalizers already imported (spawn re-imports them,
        # seconds of CPU each); this process has no threads or open connections to copy. Spawn elsewhere.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        results = context.Queue()
        children = [context.Process(target=_drain_child, args=(db_url, results, os.getpid(), queue, progress_seconds),
                                    name=f"shebao-worker-{n}", daemon=True) for n in range(1, workers + 1)]
        for child in children:
            child.start()
        for child in children:
            child.join()
        while not results.empty():
            total.add(WorkerCounts(*results.get()))
        dead = [f"{child.name} (exit {child.exitcode})" for child in children if child.exitcode != 0]
        if dead:
            logger.error("worker process %s died; its jobs are claimed again and finished here", ", ".join(dead))
    total.add(drain(engine, queue, progress_seconds=progress_seconds))  # with N workers: what a dead one left
    settle_clusters(engine)
    engine.dispose()
    return total
