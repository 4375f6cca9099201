"""The run lock and the run list as a library (db/runs.py), on SQLite and on PostgreSQL.

Take, conflict, release, takeover of a dead holder (pid gone on this host, or a stale heartbeat on
another), a lost lock noticed by the heartbeat, many runs starting at once (exactly one wins), and what
`shebao runs` shows for running, killed and pre-v5 runs.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, insert, select, update

from db.migrations import upgrade
from db.models import CrawlRun, PageVersion, RunLock
from db.runs import (
    RunCounts,
    RunLocked,
    beat,
    counts_from_stats,
    finish_run,
    list_runs,
    lock_names,
    render_runs,
    run_stored,
    runs_json,
    start_run,
    this_holder,
)
from db.session import make_engine, session_scope
from schema.vocabulary import RunStatus
from tests.conftest import fresh_postgres_database

SITE = ["http://127.0.0.1:8123/"]
OTHER_SITE = ["http://127.0.0.1:8124/"]


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Engine]:
    """A fresh, upgraded database on each backend."""
    if request.param == "sqlite":
        engine = make_engine(sqlite_url)
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    with fresh_postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _lock_row(engine: Engine, name: str) -> RunLock | None:
    with session_scope(engine) as session:
        return session.get(RunLock, name)


def _run(engine: Engine, run_id: int) -> CrawlRun:
    with session_scope(engine) as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        return run


def _ago(seconds: float) -> str:
    return (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat(timespec="seconds")


def test_lock_names_one_per_site() -> None:
    # m./www. mirrors of a domain are one site; another port on the same host is another site
    assert lock_names(["https://m.shebao.example.com/a/", "https://www.shebao.example.com/b/"]) == [
        "crawl:shebao.example.com"]
    assert lock_names(["http://127.0.0.1:8123/", "http://127.0.0.1:8124/"]) == [
        "crawl:127.0.0.1:8123", "crawl:127.0.0.1:8124"]


def test_acquire_creates_running_run_and_lock_row(db: Engine) -> None:
    handle = start_run(db, SITE)
    lock = _lock_row(db, "crawl:127.0.0.1:8123")
    assert lock is not None and lock.run_id == handle.run_id and lock.holder == this_holder()
    run = _run(db, handle.run_id)
    assert (run.status, run.holder, run.heartbeat_at) == ("running", this_holder(), handle.started_at)
    assert handle.taken_over == []


def test_second_run_refused_naming_the_holder_and_leaving_no_row(db: Engine) -> None:
    first = start_run(db, SITE)
    with pytest.raises(RunLocked) as refused:
        start_run(db, SITE)
    assert refused.value.holder.run_id == first.run_id
    message = str(refused.value)
    assert f"run {first.run_id}" in message and f"since {first.started_at}" in message
    with db.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CrawlRun)) == 1  # the refused run left nothing


def test_another_site_is_not_locked(db: Engine) -> None:
    start_run(db, SITE)
    start_run(db, OTHER_SITE)  # a crawl of another site into the same database may run beside it


def test_release_on_finish_frees_the_lock_and_records_the_end(db: Engine) -> None:
    handle = start_run(db, SITE)
    finish_run(db, handle, RunStatus.FINISHED, RunCounts(requests=7, new_articles=3, failures=1), '{"a": 1}')
    assert _lock_row(db, "crawl:127.0.0.1:8123") is None
    run = _run(db, handle.run_id)
    assert (run.status, run.requests, run.new_articles, run.failures, run.stats) == ("finished", 7, 3, 1, '{"a": 1}')
    assert run.finished_at is not None
    start_run(db, SITE)  # the next run gets the lock


def test_takeover_when_holder_pid_is_gone(db: Engine) -> None:
    # a crawl killed with SIGKILL on this host: its pid no longer exists, its lock is taken at once
    dead = start_run(db, SITE, holder=f"{socket.gethostname()}:{_dead_pid()}")
    handle = start_run(db, SITE)
    assert [h.run_id for h in handle.taken_over] == [dead.run_id]
    assert _run(db, dead.run_id).status == "interrupted"
    lock = _lock_row(db, "crawl:127.0.0.1:8123")
    assert lock is not None and (lock.run_id, lock.holder) == (handle.run_id, this_holder())


def test_takeover_when_heartbeat_is_stale(db: Engine) -> None:
    # a holder on another host cannot be asked about its pid: its heartbeat decides
    other = start_run(db, SITE, holder="other-host:4242")
    with pytest.raises(RunLocked):  # a fresh beat: alive
        start_run(db, SITE, stale_after=60)
    with session_scope(db) as session:
        session.execute(update(RunLock).values(heartbeat_at=_ago(61)))
    handle = start_run(db, SITE, stale_after=60)
    assert [h.run_id for h in handle.taken_over] == [other.run_id]
    assert _run(db, other.run_id).status == "interrupted"


def test_heartbeat_renews_and_notices_a_lost_lock(db: Engine) -> None:
    frozen = start_run(db, SITE, holder="other-host:1")
    with session_scope(db) as session:
        session.execute(update(RunLock).values(heartbeat_at=_ago(600)))
    assert beat(db, frozen, RunCounts(requests=5)) is True  # renewed: it is ours again, fresh
    assert _run(db, frozen.run_id).requests == 5
    with session_scope(db) as session:
        session.execute(update(RunLock).values(heartbeat_at=_ago(600)))
    start_run(db, SITE, stale_after=60)  # judged dead meanwhile and taken over
    assert beat(db, frozen) is False and frozen.lost
    finish_run(db, frozen, RunStatus.INTERRUPTED)
    assert _lock_row(db, "crawl:127.0.0.1:8123") is not None  # its release does not free the new holder's lock


def test_runs_starting_together_exactly_one_wins(db: Engine) -> None:
    # eight runs take the lock at the same moment: one holds it, seven are refused, no row is left by them
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def contend() -> None:
        barrier.wait()
        try:
            start_run(db, SITE)
            outcomes.append("won")
        except RunLocked:
            outcomes.append("refused")

    threads = [threading.Thread(target=contend) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["won"]
    with db.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CrawlRun)) == 1


def test_run_list_statuses(db: Engine) -> None:
    # legacy rows (no status) show finished or unknown with their stats; a running run with a dead holder
    # shows interrupted; a live running run shows the processing backlog
    with session_scope(db) as session:
        stats = {"downloader/request_count": 12, "shebao/articles_unchanged": 4, "shebao/fetch_failures": 2}
        session.add(CrawlRun(started_at=_ago(900), finished_at=_ago(800), start_urls="[]", stats=json.dumps(stats)))
        session.add(CrawlRun(started_at=_ago(700), start_urls="[]"))
    dead = start_run(db, SITE, holder=f"{socket.gethostname()}:{_dead_pid()}")
    live = start_run(db, OTHER_SITE)
    rows = {row.id: row for row in list_runs(db)}
    assert [rows[i].status for i in (1, 2, dead.run_id, live.run_id)] == ["finished", "unknown", "interrupted",
                                                                          "running"]
    assert (rows[1].requests, rows[1].unchanged_articles, rows[1].failures, rows[1].new_articles) == (12, 4, 2, None)
    assert rows[live.run_id].backlog == 0 and rows[dead.run_id].backlog is None
    assert [row.id for row in list_runs(db, limit=2)] == [live.run_id, dead.run_id]  # newest first
    table = render_runs(list_runs(db)).splitlines()
    assert table[0].split()[:4] == ["id", "started", "(UTC)", "ended"]
    assert table[-1].split()[0] == "1" and "finished" in table[-1] and table[-1].split()[-4:] == ["4", "-", "2", "-"]
    parsed = json.loads(runs_json(list_runs(db)))
    assert parsed[0]["id"] == live.run_id and parsed[0]["status"] == "running" and parsed[0]["backlog"] == 0


def test_counts_from_the_shared_stats_keys() -> None:
    stats = {"downloader/request_count": 30, "shebao/articles_new": 3, "shebao/articles_changed": 1,
             "shebao/articles_unchanged": 20, "shebao/articles_revisited": 21, "shebao/fetch_failures": 2,
             "shebao/store_failed": 1}
    assert counts_from_stats(stats, (99, 99)) == RunCounts(30, 3, 1, 20, 21, 3)  # the store's own counts win
    assert counts_from_stats({"downloader/request_count": 5}, (2, 1)) == RunCounts(5, 2, 1, 0, 0, 0)


def test_run_stored_counts_only_this_runs_site_and_versions(db: Engine) -> None:
    # a version stored before the run, and one of another site during it, are not this run's
    def version(url: str, article_id: int) -> dict[str, object]:
        return {"url": url, "article_id": article_id, "page_no": 1, "fetched_at": _ago(0), "http_status": 200,
                "content_hash": f"{url}", "raw_html": b""}

    with session_scope(db) as session:
        session.execute(insert(PageVersion), [version("http://127.0.0.1:8123/a/202501/1.html", 1)])
    with db.connect() as connection:
        before = connection.scalar(select(func.max(PageVersion.id))) or 0
    with session_scope(db) as session:
        session.execute(insert(PageVersion), [
            version("http://127.0.0.1:8123/a/202501/1_2.html", 1),  # a changed article (new page)
            version("http://127.0.0.1:8123/a/202501/2.html", 2),  # a new article
            version("http://127.0.0.1:8124/a/202501/3.html", 3),  # another site's crawl, same database
        ])
    stored = run_stored(db, before, SITE)
    assert (stored.page_versions, stored.new_articles, stored.changed_articles) == (2, 1, 1)
