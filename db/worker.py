"""The processing worker: consume queued articles until told to stop and the queue is empty.

It runs in its own process beside the crawl, so extraction and normalization never stall the fetch
loop; it reads only what the crawl has committed (raw pages), which is what makes the crawl resumable.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Event

from sqlalchemy import Engine, select, update

from db.migrations import upgrade
from db.models import ProcessJob
from db.session import make_engine, session_scope
from db.writer import process_job, record_job_failure

logger = logging.getLogger(__name__)
BATCH_SIZE = 50


@dataclass
class WorkerCounts:
    processed: int = 0
    failed: int = 0


def _pending_ids(engine: Engine, limit: int) -> list[int]:
    with engine.connect() as connection:
        query = select(ProcessJob.id).where(ProcessJob.state == "pending").order_by(ProcessJob.id).limit(limit)
        return list(connection.scalars(query))


def _supersede_older_jobs(engine: Engine) -> None:
    """Only an article's newest pending job matters: older ones would be overwritten anyway."""
    with engine.begin() as connection:
        pending = select(ProcessJob.article_id, ProcessJob.id).where(ProcessJob.state == "pending").order_by(ProcessJob.id)
        rows = connection.execute(pending).all()
        newest = {article_id: job_id for article_id, job_id in rows}  # later ids overwrite earlier
        stale = [job_id for article_id, job_id in rows if newest[article_id] != job_id]
        if stale:
            connection.execute(update(ProcessJob).where(ProcessJob.id.in_(stale)).values(state="done", error="superseded"))


def _run_one(engine: Engine, job_id: int, counts: WorkerCounts) -> None:
    try:
        with session_scope(engine) as session:
            job = session.get(ProcessJob, job_id)
            if job is None or job.state != "pending":
                return
            process_job(session, job)
        counts.processed += 1
    except Exception as error:  # any bad page: log, count, keep going
        with session_scope(engine) as session:
            record_job_failure(session, job_id, error)
        counts.failed += 1


def process_pending(engine: Engine, limit: int | None = None) -> WorkerCounts:
    """Process queued jobs until none is pending (or `limit` jobs are done)."""
    counts = WorkerCounts()
    _supersede_older_jobs(engine)
    while limit is None or counts.processed + counts.failed < limit:
        batch = _pending_ids(engine, BATCH_SIZE if limit is None else min(BATCH_SIZE, limit))
        if not batch:
            break
        for job_id in batch:
            _run_one(engine, job_id, counts)
    return counts


def run_worker(db_url: str, stop: Event, poll_seconds: float = 0.2) -> None:
    """Process jobs as they arrive; after `stop` is set, drain the queue and return."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s worker %(levelname)s %(message)s")
    engine = make_engine(db_url)
    upgrade(engine)
    total = WorkerCounts()
    while True:
        stopping = stop.is_set()  # read before draining, so jobs queued just before stop are seen
        counts = process_pending(engine)
        total.processed += counts.processed
        total.failed += counts.failed
        if stopping and counts.processed + counts.failed == 0:
            break
        if counts.processed + counts.failed == 0:
            time.sleep(poll_seconds)
    engine.dispose()
    logger.info("worker done: %d processed, %d failed", total.processed, total.failed)
