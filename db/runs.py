"""Crawl runs in the database: the per-site run lock (take, beat, release, take over) and the run list.

One `shebao crawl` of a site at a time per database: a run holds one `run_lock` row per site it crawls
("crawl:<site key>") and beats a heartbeat into it and into its `crawl_run` row. A second run finds the
row and stops (the CLI exits 3) or waits. A row left by a killed run is taken over: at once when its
holder ran on this host and its process is gone, else when its heartbeat is older than the stale window.
Taking, checking and taking over happen in one write transaction (INSERT … ON CONFLICT DO NOTHING, then
a compare-and-set UPDATE), so two runs starting together cannot both win, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import CrawlRun, PageVersion, ProcessJob, RunLock
from db.session import in_chunks, make_engine, utc_now, writer
from normalize.urls import url_site_key
from schema.vocabulary import JobState, RunStatus

HEARTBEAT_SECONDS = 10.0  # how often a running crawl beats
STALE_AFTER_BEATS = 6  # a lock whose beat is older than this many intervals belongs to a dead run
WAIT_POLL_SECONDS = 5.0  # how often `crawl --wait` asks again

# The shared Scrapy stats keys (issue 9) that a run's count columns come from.
STAT_REQUESTS = "downloader/request_count"
STAT_NEW = "shebao/articles_new"
STAT_CHANGED = "shebao/articles_changed"
STAT_UNCHANGED = "shebao/articles_unchanged"
STAT_REVISITED = "shebao/articles_revisited"
FAILURE_STATS = ("shebao/fetch_failures", "shebao/store_failed")


def stale_seconds(heartbeat_seconds: float = HEARTBEAT_SECONDS) -> float:
    return heartbeat_seconds * STALE_AFTER_BEATS


def this_holder() -> str:
    """"host:pid" of this process, the form `holder` columns use."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lock_names(start_urls: Iterable[str]) -> list[str]:
    """The lock names a crawl of these start URLs takes: one per site, sorted (a fixed order: no deadlock)."""
    return sorted({f"crawl:{url_site_key(url)}" for url in start_urls})


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    except OSError:
        return True  # cannot tell: trust the heartbeat instead
    return True


def holder_is_dead(holder: str | None, heartbeat_at: str | None, *, stale_after: float,
                   now: datetime | None = None) -> bool:
    """True when the process named by `holder` ("host:pid") can no longer be running its run.

    On this host, a pid that no longer exists is dead at once (kill -9 leaves no time to release). On
    any host, a heartbeat older than `stale_after` seconds is dead (a frozen or unreachable machine).
    A reused pid only delays the takeover until the heartbeat is stale.
    """
    now = now or datetime.now(UTC)
    host, _, pid = (holder or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid() and not _process_exists(int(pid)):
        return True
    beat = _parse_time(heartbeat_at)
    return beat is None or now - beat > timedelta(seconds=stale_after)


@dataclass(frozen=True)
class LockHolder:
    """Who holds a run lock, as the row says."""

    name: str
    run_id: int | None
    holder: str
    acquired_at: str
    heartbeat_at: str

    def describe(self) -> str:
        run = f"run {self.run_id}" if self.run_id is not None else "a run"
        return (f"{run} ({self.holder}) holds the lock {self.name} since {self.acquired_at} "
                f"(last heartbeat {self.heartbeat_at})")

    def describe_dead(self) -> str:
        run = f"run {self.run_id}" if self.run_id is not None else "a run"
        return (f"{run} ({self.holder}, lock {self.name} since {self.acquired_at}, last heartbeat "
                f"{self.heartbeat_at}): its process is gone or its heartbeat is stale")


class RunLocked(RuntimeError):
    """Another live run holds the lock of a site this crawl wants."""

    def __init__(self, holder: LockHolder) -> None:
        super().__init__(f"another crawl is running: {holder.describe()}; try again later, or use --wait")
        self.holder = holder


@dataclass
class RunHandle:
    """The run this process started and the locks it holds."""

    run_id: int
    started_at: str
    holder: str
    names: list[str]
    taken_over: list[LockHolder]  # locks of dead runs this run took (their runs are marked interrupted)
    lost: bool = False  # set when a heartbeat found the lock taken by another run


def _insert_if_absent(connection: Connection, table: Table, values: dict[str, object]) -> bool:
    """INSERT that does nothing when the primary key exists; True when a row was inserted."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    if connection.dialect.name not in ("postgresql", "sqlite"):
        raise ValueError(f"run locks need SQLite or PostgreSQL, not {connection.dialect.name}")
    key = next(iter(table.primary_key.columns))
    # RETURNING, not rowcount: drivers disagree on the rowcount of a skipped INSERT
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing().returning(key)
    return connection.execute(statement).first() is not None


def _holder_row(connection: Connection, name: str) -> LockHolder | None:
    row = connection.execute(
        select(RunLock.name, RunLock.run_id, RunLock.holder, RunLock.acquired_at, RunLock.heartbeat_at)
        .where(RunLock.name == name)
    ).one_or_none()
    return None if row is None else LockHolder(*row)


def _take(connection: Connection, name: str, run_id: int, holder: str, now: str, stale_after: float) -> LockHolder | None:
    """Take one lock inside the caller's transaction. Returns the dead holder taken over, if any;
    raises RunLocked when a live run holds it."""
    values = {"name": name, "run_id": run_id, "holder": holder, "acquired_at": now, "heartbeat_at": now}
    while True:
        if _insert_if_absent(connection, RunLock.__table__, values):
            return None
        current = _holder_row(connection, name)
        if current is None:
            continue  # released between our INSERT and SELECT: try again
        if not holder_is_dead(current.holder, current.heartbeat_at, stale_after=stale_after):
            raise RunLocked(current)
        # compare-and-set: only the row we judged dead is replaced, never a newer holder's
        taken = connection.execute(
            update(RunLock)
            .where(RunLock.name == name, RunLock.holder == current.holder,
                   RunLock.heartbeat_at == current.heartbeat_at, RunLock.acquired_at == current.acquired_at)
            .values(run_id=run_id, holder=holder, acquired_at=now, heartbeat_at=now)
        )
        if taken.rowcount == 1:
            if current.run_id is not None:
                connection.execute(
                    update(CrawlRun)
                    .where(CrawlRun.id == current.run_id, CrawlRun.status == RunStatus.RUNNING.value)
                    .values(status=RunStatus.INTERRUPTED.value)
                )
            return current


def start_run(engine: Engine, start_urls: Sequence[str], *, holder: str | None = None,
              stale_after: float | None = None) -> RunHandle:
    """Create the run's `crawl_run` row (status running) and take its sites' locks, in one transaction.

    Raises RunLocked (and leaves no row behind) when a live run holds one of the locks.
    """
    holder = holder or this_holder()
    stale_after = stale_seconds() if stale_after is None else stale_after
    names = lock_names(start_urls)
    now = utc_now()
    with writer(engine).begin() as connection:
        run_id = connection.execute(
            CrawlRun.__table__.insert().returning(CrawlRun.id),
            {"started_at": now, "start_urls": json.dumps(list(start_urls), ensure_ascii=False),
             "status": RunStatus.RUNNING.value, "holder": holder, "heartbeat_at": now},
        ).scalar_one()
        taken_over = [dead for name in names if (dead := _take(connection, name, run_id, holder, now, stale_after))]
    return RunHandle(run_id, now, holder, names, taken_over)


def wait_and_start_run(engine: Engine, start_urls: Sequence[str], *, poll_seconds: float = WAIT_POLL_SECONDS,
                       on_wait: Callable[[LockHolder], None] | None = None, **options: object) -> RunHandle:
    """`start_run`, waiting while a live run holds a lock (`on_wait` is told about each new holder)."""
    told: LockHolder | None = None
    while True:
        try:
            return start_run(engine, start_urls, **options)  # type: ignore[arg-type]
        except RunLocked as locked:
            if on_wait is not None and (told is None or told.run_id != locked.holder.run_id):
                on_wait(locked.holder)
            told = locked.holder
            time.sleep(poll_seconds)


@dataclass
class RunCounts:
    """What a run did so far, as its `crawl_run` count columns hold it."""

    requests: int = 0
    new_articles: int = 0
    changed_articles: int = 0
    unchanged_articles: int = 0
    revisited_articles: int = 0
    failures: int = 0


def counts_from_stats(stats: dict[str, object], db_new_changed: tuple[int, int] | None = None) -> RunCounts:
    """A run's counts from its Scrapy stats (the shared keys). `db_new_changed` stands in for the new and
    changed counts when the stats lack them (a store that does not count them)."""

    def number(key: str) -> int:
        value = stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    new, changed = number(STAT_NEW), number(STAT_CHANGED)
    if db_new_changed is not None and STAT_NEW not in stats and STAT_CHANGED not in stats:
        new, changed = db_new_changed
    return RunCounts(
        requests=number(STAT_REQUESTS), new_articles=new, changed_articles=changed,
        unchanged_articles=number(STAT_UNCHANGED), revisited_articles=number(STAT_REVISITED),
        failures=sum(number(key) for key in FAILURE_STATS),
    )


def beat(engine: Engine, handle: RunHandle, counts: RunCounts | None = None) -> bool:
    """Renew the run's heartbeat (and counts so far). False when another run has taken a lock over:
    this run was judged dead (frozen longer than the stale window) and must stop."""
    now = utc_now()
    with writer(engine).begin() as connection:
        renewed = connection.execute(
            update(RunLock)
            .where(RunLock.name.in_(handle.names), RunLock.holder == handle.holder, RunLock.run_id == handle.run_id)
            .values(heartbeat_at=now)
        ).rowcount
        values: dict[str, object] = {"heartbeat_at": now}
        if counts is not None:
            values.update(asdict(counts))
        connection.execute(update(CrawlRun).where(CrawlRun.id == handle.run_id).values(**values))
    if renewed != len(handle.names):
        handle.lost = True
    return not handle.lost


def finish_run(engine: Engine, handle: RunHandle, status: RunStatus, counts: RunCounts | None = None,
               stats_json: str | None = None) -> None:
    """Record the run's end (status, counts, stats) and release its locks (only rows it still holds)."""
    values: dict[str, object] = {"status": status.value, "finished_at": utc_now(), "heartbeat_at": utc_now()}
    if counts is not None:
        values.update(asdict(counts))
    if stats_json is not None:
        values["stats"] = stats_json
    with writer(engine).begin() as connection:
        connection.execute(update(CrawlRun).where(CrawlRun.id == handle.run_id).values(**values))
        release(connection, handle)


def release(connection: Connection, handle: RunHandle) -> None:
    connection.execute(
        delete(RunLock).where(RunLock.name.in_(handle.names), RunLock.holder == handle.holder,
                              RunLock.run_id == handle.run_id)
    )


def max_page_version_id(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.max(PageVersion.id))) or 0


def max_job_id(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.max(ProcessJob.id))) or 0


def _run_versions(connection: Connection, after_id: int, site_keys: frozenset[str]) -> Iterator[tuple[int, int]]:
    """(version id, article id) of the page versions stored after `after_id` on these sites."""
    query = select(PageVersion.id, PageVersion.article_id, PageVersion.url).where(PageVersion.id > after_id)
    for version_id, article_id, url in connection.execute(query.execution_options(yield_per=1000)):
        if url_site_key(url) in site_keys:  # another site's crawl may write into the same database meanwhile
            yield version_id, article_id


@dataclass(frozen=True)
class RunStored:
    """What one run stored, counted in the database (not from whole-table differences)."""

    page_versions: int
    new_articles: int  # articles whose first page version this run stored
    changed_articles: int  # articles stored before that got a new page version in this run


def run_stored(engine: Engine, after_version_id: int, start_urls: Sequence[str]) -> RunStored:
    """Page versions and articles this run stored: versions after the id the run started at, on its
    sites. The run lock keeps other runs of the same sites out; other sites are filtered by URL."""
    keys = frozenset(url_site_key(url) for url in start_urls)
    with engine.connect() as connection:
        versions = 0
        articles: set[int] = set()
        for _, article_id in _run_versions(connection, after_version_id, keys):
            versions += 1
            articles.add(article_id)
        known: set[int] = set()
        for chunk in in_chunks(sorted(articles)):
            known.update(connection.scalars(
                select(PageVersion.article_id).where(PageVersion.article_id.in_(chunk),
                                                     PageVersion.id <= after_version_id).distinct()
            ))
    return RunStored(versions, len(articles - known), len(articles & known))


def backlog(engine: Engine) -> int:
    """Jobs waiting for processing now (pending, or claimed and not finished)."""
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count()).select_from(ProcessJob)
            .where(ProcessJob.state.in_((JobState.PENDING.value, JobState.RUNNING.value)))
        ) or 0


def last_run_stats(db_url: str) -> dict[str, Any]:
    """The Scrapy stats the newest crawl run stored (benches and tests read its counts)."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            stats = connection.scalar(select(CrawlRun.stats).order_by(CrawlRun.id.desc()).limit(1))
    finally:
        engine.dispose()
    return json.loads(stats or "{}")


def processed_since(engine: Engine, after_job_id: int) -> int:
    """Jobs queued after `after_job_id` that are done or failed (this run's processing so far; 0: all)."""
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count()).select_from(ProcessJob)
            .where(ProcessJob.id > after_job_id, ProcessJob.state.in_((JobState.DONE.value, JobState.FAILED.value)))
        ) or 0


@dataclass
class RunRow:
    """One run as `shebao runs` shows it."""

    id: int
    started_at: str
    finished_at: str | None
    status: str
    holder: str | None
    heartbeat_at: str | None
    requests: int | None
    new_articles: int | None
    changed_articles: int | None
    unchanged_articles: int | None
    revisited_articles: int | None
    failures: int | None
    backlog: int | None  # pending jobs now, for a running run only
    start_urls: list[str]


def _legacy_counts(stats_json: str | None) -> dict[str, int | None]:
    """Counts of a run stored before schema v5 (no count columns): what its stats JSON says."""
    try:
        stats = json.loads(stats_json) if stats_json else None
    except ValueError:
        stats = None
    if not isinstance(stats, dict):
        return {}
    counts = counts_from_stats(stats)
    return {"requests": counts.requests, "unchanged_articles": counts.unchanged_articles,
            "failures": counts.failures,
            "new_articles": counts.new_articles if STAT_NEW in stats else None,
            "changed_articles": counts.changed_articles if STAT_CHANGED in stats else None,
            "revisited_articles": counts.revisited_articles if STAT_REVISITED in stats else None}


def shown_status(status: str | None, finished_at: str | None, holder: str | None, heartbeat_at: str | None,
                 *, stale_after: float, now: datetime | None = None) -> str:
    """The status to show: a `running` run whose holder is dead (stale beat, or gone from this host) was
    interrupted; a run stored before statuses existed is finished if it has an end, else unknown."""
    if status is None:
        return RunStatus.FINISHED.value if finished_at else "unknown"
    if status == RunStatus.RUNNING.value and holder_is_dead(holder, heartbeat_at, stale_after=stale_after, now=now):
        return RunStatus.INTERRUPTED.value
    return status


def list_runs(engine: Engine, limit: int = 20, *, stale_after: float | None = None) -> list[RunRow]:
    """The newest `limit` runs, newest first, with their shown status and, for running ones, the backlog."""
    stale_after = stale_seconds() if stale_after is None else stale_after
    with engine.connect() as connection:
        runs = connection.execute(select(CrawlRun.__table__).order_by(CrawlRun.id.desc()).limit(limit)).all()
    waiting: int | None = None
    rows: list[RunRow] = []
    for run in runs:
        status = shown_status(run.status, run.finished_at, run.holder, run.heartbeat_at, stale_after=stale_after)
        counts: dict[str, int | None] = {
            "requests": run.requests, "new_articles": run.new_articles, "changed_articles": run.changed_articles,
            "unchanged_articles": run.unchanged_articles, "revisited_articles": run.revisited_articles,
            "failures": run.failures,
        }
        if run.status is None:
            counts.update(_legacy_counts(run.stats))
        run_backlog = None
        if status == RunStatus.RUNNING.value:
            waiting = backlog(engine) if waiting is None else waiting
            run_backlog = waiting
        try:
            start_urls = json.loads(run.start_urls or "[]")
        except ValueError:
            start_urls = []
        rows.append(RunRow(id=run.id, started_at=run.started_at, finished_at=run.finished_at, status=status,
                           holder=run.holder, heartbeat_at=run.heartbeat_at, backlog=run_backlog,
                           start_urls=list(start_urls) if isinstance(start_urls, list) else [], **counts))
    return rows


COLUMNS = ("id", "started (UTC)", "ended (UTC)", "status", "requests", "new", "changed", "unchanged", "revisited",
           "failures", "backlog")


def _short_time(value: str | None) -> str:
    parsed = _parse_time(value)
    return parsed.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if parsed else "-"


def _cell(value: int | None) -> str:
    return "-" if value is None else str(value)


def render_runs(rows: Sequence[RunRow]) -> str:
    """The run list as an aligned text table (numbers right-aligned; '-' where a value is unknown)."""
    table = [list(COLUMNS)] + [
        [str(r.id), _short_time(r.started_at), _short_time(r.finished_at), r.status, _cell(r.requests),
         _cell(r.new_articles), _cell(r.changed_articles), _cell(r.unchanged_articles),
         _cell(r.revisited_articles), _cell(r.failures), _cell(r.backlog)]
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    text_columns = {1, 2, 3}
    lines = ["  ".join(cell.ljust(widths[i]) if i in text_columns else cell.rjust(widths[i])
                       for i, cell in enumerate(line)).rstrip() for line in table]
    return "\n".join(lines)


def runs_json(rows: Sequence[RunRow]) -> str:
    return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2)
