"""The processing queue: claim jobs with a lease, renew it, close jobs only as their holder, give up after N attempts.

A job is `pending` until a worker claims it: one short transaction marks up to N jobs `running` with
claimed_by ("host:pid"), lease_until and attempts + 1 (one UPDATE ... RETURNING). On PostgreSQL the
candidates are selected FOR UPDATE SKIP LOCKED (a job another transaction is closing is skipped, never
waited for) under a transaction-scoped advisory lock, so the one-article-at-a-time rule below sees every
committed claim; on SQLite the transaction starts with BEGIN IMMEDIATE (one writer at a time).

- A job is claimable when pending, or running with an expired lease (its worker died or stalled). A job
  held by a process of this host that no longer exists is claimable at once (no wait for the lease).
- One article is processed by one worker at a time: a job whose article has a job running under a live
  lease waits for it; of several claimable jobs of one article only the newest is kept, the older ones
  are closed as superseded (their page sets are older).
- A claimable job that has been claimed `max_attempts` times already is failed for good, reason kept.
- Closing (done, failed, back to pending for a retry) touches only jobs the caller still holds, so a
  worker whose lease was taken over writes nothing for those jobs.

Lease times are UTC ISO text like every *_at column (they compare as text); machines sharing one
PostgreSQL queue need synchronised clocks (NTP), as any lease does.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session

from db.models import Failure, ProcessJob
from db.session import in_chunks, utc_now, writer
from schema.vocabulary import JobState

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 300  # far longer than a batch takes; renewed while a long batch is prepared
DEFAULT_MAX_ATTEMPTS = 3
# pg_advisory_xact_lock key serializing claims ("SHEC"); schema upgrades and cluster writes use others.
CLAIM_LOCK_KEY = 0x53484543
EXPIRED = "1970-01-01T00:00:00+00:00"  # a lease_until every clock has passed
SUPERSEDED = "superseded"

PENDING, RUNNING, DONE, FAILED = JobState.PENDING.value, JobState.RUNNING.value, JobState.DONE.value, JobState.FAILED.value


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """How jobs are claimed: lease length and attempts before a job fails for good."""

    lease_seconds: float = DEFAULT_LEASE_SECONDS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    batch_size: int | None = None  # jobs per claim and write transaction (None: db.worker.BATCH_SIZE)


def worker_name() -> str:
    """This process as a lease holder: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    id: int
    article_id: int
    attempts: int


def lease_end(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    try:  # a killed child its parent has not reaped yet is a zombie: gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _claimable(job: type[ProcessJob] | ProcessJob, now: str) -> ColumnElement[bool]:
    return or_(job.state == PENDING, and_(job.state == RUNNING, job.lease_until < now))


def _release_dead_local_holders(connection: Connection, now: str) -> None:
    """Expire the leases held by processes of this host that are gone (killed workers)."""
    host = socket.gethostname()
    holders = connection.scalars(
        select(ProcessJob.claimed_by).distinct()
        .where(ProcessJob.state == RUNNING, ProcessJob.lease_until >= now, ProcessJob.claimed_by.like(f"{host}:%"))
    ).all()
    dead = [h for h in holders if h and h.rsplit(":", 1)[1].isdigit() and not _pid_alive(int(h.rsplit(":", 1)[1]))]
    if dead:
        logger.info("jobs of gone workers %s are claimable again", ", ".join(dead))
        connection.execute(update(ProcessJob).where(ProcessJob.state == RUNNING, ProcessJob.claimed_by.in_(dead))
                           .values(lease_until=EXPIRED))


def _give_up_abandoned(connection: Connection, now: str, max_attempts: int) -> None:
    """Fail for good the expired jobs already claimed `max_attempts` times, keeping their last reason."""
    abandoned = (select(ProcessJob.id).where(ProcessJob.state == RUNNING, ProcessJob.lease_until < now,
                                             ProcessJob.attempts >= max_attempts)
                 .with_for_update(skip_locked=True))
    rows = connection.execute(select(ProcessJob.id, ProcessJob.url, ProcessJob.attempts, ProcessJob.claimed_by,
                                     ProcessJob.error).where(ProcessJob.id.in_(abandoned))).all()
    for job_id, url, attempts, holder, error in rows:
        reason = (f"gave up after {attempts} attempts (last holder {holder}): "
                  f"{error or 'its worker stopped before finishing each time'}")
        connection.execute(update(ProcessJob).where(ProcessJob.id == job_id).values(state=FAILED, error=reason,
                                                                                   lease_until=None))
        connection.execute(Failure.__table__.insert().values(url=url, stage="store", reason=reason[:2000], at=now))
        logger.warning("could not process %s: %s", url, reason)


def _candidates(connection: Connection, now: str, limit: int) -> list[tuple[int, int]]:
    """(id, article id) of the oldest claimable jobs whose article no live lease holds; locked on PostgreSQL.

    Pending and expired jobs are looked up apart, each through the state index (no scan of the done ones),
    and articles being processed are one small uncorrelated subquery: a claim costs the same with 50 or
    50,000 jobs queued.
    """
    busy = select(ProcessJob.article_id).where(ProcessJob.state == RUNNING, ProcessJob.lease_until >= now)
    found: list[tuple[int, int]] = []
    for claimable in (ProcessJob.state == PENDING, and_(ProcessJob.state == RUNNING, ProcessJob.lease_until < now)):
        query = (select(ProcessJob.id, ProcessJob.article_id)
                 .where(claimable, ProcessJob.article_id.not_in(busy))
                 .order_by(ProcessJob.id).limit(limit)
                 .with_for_update(skip_locked=True, of=ProcessJob))
        found.extend((job_id, article_id) for job_id, article_id in connection.execute(query))
    return sorted(found)[:limit]


def _newest_per_article(connection: Connection, now: str, candidates: list[tuple[int, int]]) -> list[int]:
    """The job to claim for each candidate article (its newest claimable one); older ones are superseded."""
    articles = sorted({article_id for _, article_id in candidates})
    target = {article_id: job_id for job_id, article_id in candidates}  # ascending ids: the newest wins
    claimable_rows: list[tuple[int, int]] = []
    for chunk in in_chunks(articles):  # by article only: with a state condition SQLite would scan the queue
        query = select(ProcessJob.id, ProcessJob.article_id, ProcessJob.state, ProcessJob.lease_until).where(
            ProcessJob.article_id.in_(chunk))
        claimable_rows.extend((job_id, article_id) for job_id, article_id, state, lease in connection.execute(query)
                              if state == PENDING or (state == RUNNING and (lease or "") < now))
    for job_id, article_id in claimable_rows:
        target[article_id] = max(target[article_id], job_id)
    older = sorted(job_id for job_id, article_id in claimable_rows if job_id < target[article_id])
    for chunk in in_chunks(older):  # their page sets are older: the newest job rebuilds the article anyway
        lockable = (select(ProcessJob.id).where(ProcessJob.id.in_(chunk), _claimable(ProcessJob, now))
                    .with_for_update(skip_locked=True))
        connection.execute(update(ProcessJob).where(ProcessJob.id.in_(lockable))
                           .values(state=DONE, error=SUPERSEDED, lease_until=None))
    return sorted(target.values())


def claim_jobs(engine: Engine, holder: str, limit: int, *, lease_seconds: float = DEFAULT_LEASE_SECONDS,
               max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> list[ClaimedJob]:
    """Claim up to `limit` jobs (oldest articles first) for `holder`; see the module docstring for the rules."""
    now = utc_now()
    with writer(engine).begin() as connection:
        if connection.dialect.name == "postgresql":  # released at commit; claims are one short transaction
            connection.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK_KEY)))
        _release_dead_local_holders(connection, now)
        _give_up_abandoned(connection, now, max_attempts)
        chosen = _newest_per_article(connection, now, _candidates(connection, now, limit))
        if not chosen:
            return []
        rows = connection.execute(
            update(ProcessJob).where(ProcessJob.id.in_(chosen), _claimable(ProcessJob, now))
            .values(state=RUNNING, claimed_by=holder, lease_until=lease_end(lease_seconds),
                    attempts=ProcessJob.attempts + 1)
            .returning(ProcessJob.id, ProcessJob.article_id, ProcessJob.attempts)
        ).all()
    return sorted((ClaimedJob(*row) for row in rows), key=lambda job: job.id)


def renew_leases(engine: Engine, holder: str, job_ids: Sequence[int],
                 lease_seconds: float = DEFAULT_LEASE_SECONDS) -> set[int]:
    """Extend the leases `holder` still has on these jobs; returns the ids still held."""
    if not job_ids:
        return set()
    with writer(engine).begin() as connection:
        rows = connection.execute(
            update(ProcessJob)
            .where(ProcessJob.id.in_(job_ids), ProcessJob.state == RUNNING, ProcessJob.claimed_by == holder)
            .values(lease_until=lease_end(lease_seconds)).returning(ProcessJob.id)
        )
        return {row[0] for row in rows}


def complete_held(session: Session, holder: str, job_ids: Sequence[int]) -> set[int]:
    """Mark done the jobs `holder` still holds (in the caller's write transaction); returns their ids.

    On PostgreSQL the updated rows stay locked until the caller commits, so nobody can reclaim them while
    their articles are written.
    """
    if not job_ids:
        return set()
    rows = session.execute(
        update(ProcessJob)
        .where(ProcessJob.id.in_(job_ids), ProcessJob.state == RUNNING, ProcessJob.claimed_by == holder)
        .values(state=DONE, error=None, lease_until=None).returning(ProcessJob.id)
    )
    return {row[0] for row in rows}


def close_failed(session: Session, holder: str | None, job_id: int, reason: str, stage: str, *,
                 retry: bool = False, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> str | None:
    """A job of `holder` could not be processed: back to pending when `retry` and attempts remain (the
    reason kept in `error`), else failed with a failure row. Returns the new state (None: not held)."""
    job = session.get(ProcessJob, job_id, with_for_update=session.get_bind().dialect.name == "postgresql")
    if job is None or (holder is not None and (job.state != RUNNING or job.claimed_by != holder)):
        return None
    job.error = reason
    job.lease_until = None
    if retry and (job.attempts or 0) < max_attempts:
        job.state = PENDING
        logger.warning("could not store %s (attempt %d of %d, will retry): %s", job.url, job.attempts,
                       max_attempts, reason)
        return PENDING
    job.state = FAILED
    session.add(Failure(url=job.url, stage=stage, reason=reason[:2000], at=utc_now()))
    logger.warning("could not process %s: %s", job.url, reason)
    return FAILED


def pending_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).where(ProcessJob.state == PENDING)) or 0


def live_running_count(engine: Engine) -> int:
    """Jobs some worker holds under a live lease now."""
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).where(ProcessJob.state == RUNNING,
                                                            ProcessJob.lease_until >= utc_now())) or 0
