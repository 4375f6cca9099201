"""Jobs are processed once: leases, attempts, one article at a time, N workers on SQLite and PostgreSQL,
and a worker killed with SIGKILL mid-backlog.

"Processed once" is counted, not assumed: every claim adds one to the job's `attempts`, and a job is
marked done only in the transaction that writes its article, by the worker holding it. So a finished
backlog whose newest jobs are all done with attempts == 1 (and older ones superseded, never claimed) was
processed exactly once per job; the rows themselves are then compared with a one-process run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text, update

from crawler.fixture_site.backlog import store_backlog
from db import worker as worker_module
from db.jobs import QueueSettings, claim_jobs, complete_held
from db.migrations import upgrade
from db.models import ProcessJob
from db.session import make_engine, session_scope
from db.worker import process_pending, process_with_workers
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
BACKLOG = 120  # articles: enough batches of BATCH for every worker to claim several
REVISED, REPOSTS = 6, 4  # articles with a newer second job, and re-posts (duplicate_of)
BATCH = "4"
WAIT_SECONDS = 120  # an upper bound for a loaded machine, not a measurement


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def _engine_with_backlog(url: str, n_articles: int = BACKLOG, revised: int = REVISED, reposts: int = REPOSTS) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    store_backlog(engine, n_articles, revised=revised, reposts=reposts)
    return engine


def snapshot(engine: Engine, same_store: bool = True) -> dict[str, Any]:
    """What a finished backlog must look like whoever processed it (no surrogate ids, no times; URLs and
    page version ids only when the same pages were stored in the same order, not by two crawls)."""
    with engine.connect() as connection:
        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(tuple(row) for row in connection.execute(text(sql)))

        return {
            "articles": rows("SELECT article_id, title, city, body_fingerprint, duplicate_of IS NULL"
                             + (", url, duplicate_of, page_version_ids" if same_store else "") + " FROM article"),
            "sections": rows("SELECT section_id, article_id, position, section_cluster_id, cluster_key FROM section"),
            "records": rows("SELECT record_id, section_id, position, type, text FROM record"),
            "clusters": rows("SELECT section_cluster_id, topic FROM section_cluster"),
            "page_versions": rows("SELECT article_id, page_no, content_hash FROM page_version"),
        }


def job_outcomes(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        states = dict(connection.execute(text("SELECT state, COUNT(*) FROM process_job GROUP BY state")).all())
        attempts = dict(connection.execute(text(
            "SELECT attempts, COUNT(*) FROM process_job WHERE error IS NULL GROUP BY attempts")).all())
        superseded = connection.execute(text(
            "SELECT COUNT(*), MAX(attempts) FROM process_job WHERE error = 'superseded'")).one()
        holders = connection.scalar(text("SELECT COUNT(DISTINCT claimed_by) FROM process_job WHERE error IS NULL"))
    return {"states": states, "attempts": attempts, "superseded": tuple(superseded), "holders": holders}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The backlog processed by one worker in this process."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'ref.db'}"
    engine = _engine_with_backlog(url)
    engine.dispose()
    counts = process_with_workers(url, 1)
    assert counts.failed == 0
    engine = make_engine(url)
    result = snapshot(engine)
    engine.dispose()
    return result


def _assert_processed_once(engine: Engine) -> None:
    outcome = job_outcomes(engine)
    assert outcome["states"] == {"done": BACKLOG + REVISED + REPOSTS}  # nothing pending, running or failed
    assert outcome["attempts"] == {1: BACKLOG + REPOSTS}  # every job that was built: claimed exactly once
    assert outcome["superseded"] == (REVISED, 0)  # the older job of a revised article: never claimed


@pytest.mark.parametrize("workers", [2, 4])
def test_n_workers_process_every_job_once(db_url: str, workers: int, reference: dict[str, Any]) -> None:
    # `shebao process --workers N` over one backlog: each job claimed once, same rows as one worker
    engine = _engine_with_backlog(db_url)
    result = run_cli("process", "--db", db_url, "--workers", str(workers), "--batch-size", BATCH)
    assert f"processed {BACKLOG + REPOSTS} articles, 0 failed" in result.stdout
    assert "pending" in result.stderr  # the INFO progress lines
    _assert_processed_once(engine)
    assert job_outcomes(engine)["holders"] >= 2  # the queue really was shared
    assert snapshot(engine) == reference
    engine.dispose()


def test_two_process_commands_share_one_postgres_queue(postgres_url: str, reference: dict[str, Any]) -> None:
    # two `shebao process --workers 2` started together on one PostgreSQL URL (as on two machines)
    engine = _engine_with_backlog(postgres_url)
    command = [sys.executable, "-m", "crawler.cli", "process", "--db", postgres_url, "--workers", "2",
               "--batch-size", BATCH]
    started = [subprocess.Popen(command, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(2)]
    outputs = [process.communicate(timeout=WAIT_SECONDS * 2) for process in started]
    assert [process.returncode for process in started] == [0, 0], [err[-2000:] for _, err in outputs]
    assert "UniqueViolation" not in "".join(err for _, err in outputs)
    _assert_processed_once(engine)
    assert snapshot(engine) == reference
    engine.dispose()


def test_expired_lease_is_claimed_again(db_url: str) -> None:
    # a job whose holder's lease ran out (its worker stalled elsewhere) is claimed and processed here
    engine = _engine_with_backlog(db_url, 3, 0, 0)
    assert len(claim_jobs(engine, "elsewhere:1", 10, lease_seconds=-1)) == 3
    assert process_pending(engine).processed == 3
    with engine.connect() as connection:
        jobs = connection.execute(text("SELECT state, attempts, claimed_by FROM process_job")).all()
    engine.dispose()
    assert {(state, attempts) for state, attempts, _ in jobs} == {("done", 2)}
    assert all(not holder.startswith("elsewhere") for _, _, holder in jobs)


def test_live_lease_is_left_alone_and_its_article_waits(db_url: str) -> None:
    # a job held under a live lease is not taken; a newer job of the same article waits for it, then runs
    engine = _engine_with_backlog(db_url, 2, 0, 0)
    held = claim_jobs(engine, "elsewhere:1", 1)
    store_backlog(engine, 1, revised=1)  # the held article changed meanwhile: a newer job
    assert process_pending(engine).processed == 1  # only the other article
    with engine.connect() as connection:
        waiting = connection.execute(text("SELECT state FROM process_job WHERE article_id = :a ORDER BY id"),
                                     {"a": held[0].article_id}).scalars().all()
    assert waiting == ["running", "pending"]
    with session_scope(engine) as session:  # its holder finishes it
        assert complete_held(session, "elsewhere:1", [held[0].id]) == {held[0].id}
    assert process_pending(engine).processed == 1
    with engine.connect() as connection:
        states = connection.execute(text("SELECT state FROM process_job WHERE article_id = :a ORDER BY id"),
                                    {"a": held[0].article_id}).scalars().all()
    engine.dispose()
    assert states == ["done", "done"]


def test_dead_local_holder_is_claimed_at_once(sqlite_url: str) -> None:
    # jobs of a process of this host that is gone are taken over without waiting for the lease
    engine = _engine_with_backlog(sqlite_url, 2, 0, 0)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    claim_jobs(engine, f"{socket.gethostname()}:{gone.pid}", 10, lease_seconds=3600)
    assert process_pending(engine).processed == 2
    engine.dispose()


def test_attempts_limit_fails_a_job_for_good(db_url: str) -> None:
    # a job whose worker died three times is failed with the reason, not claimed a fourth time
    engine = _engine_with_backlog(db_url, 1, 0, 0)
    for _ in range(3):
        assert len(claim_jobs(engine, "elsewhere:1", 1, lease_seconds=-1)) == 1
    counts = process_pending(engine)
    with engine.connect() as connection:
        state, attempts, error = connection.execute(text("SELECT state, attempts, error FROM process_job")).one()
        failures = connection.scalars(text("SELECT reason FROM failure")).all()
    engine.dispose()
    assert counts.processed == 0
    assert (state, attempts) == ("failed", 3)
    assert error.startswith("gave up after 3 attempts")
    assert failures == [error]


def test_store_failure_is_retried_then_failed_with_its_reason(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # a write that keeps failing is tried max_attempts times; the job then fails keeping the error
    engine = _engine_with_backlog(sqlite_url, 1, 0, 0)

    def broken_write(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(worker_module, "write_batch", broken_write)
    counts = process_pending(engine, queue=QueueSettings(max_attempts=2))
    with engine.connect() as connection:
        state, attempts, error = connection.execute(text("SELECT state, attempts, error FROM process_job")).one()
    engine.dispose()
    assert (counts.processed, counts.retried, counts.failed) == (0, 1, 1)
    assert (state, attempts, error) == ("failed", 2, "RuntimeError: disk trouble")


def test_completion_only_by_the_holder(sqlite_url: str) -> None:
    # a worker whose job was taken over writes nothing for it and does not close it
    engine = _engine_with_backlog(sqlite_url, 1, 0, 0)
    job = claim_jobs(engine, "me:1", 1)[0]
    with session_scope(engine) as session:
        session.execute(update(ProcessJob).where(ProcessJob.id == job.id).values(claimed_by="other:2"))
    with session_scope(engine) as session:
        assert complete_held(session, "me:1", [job.id]) == set()
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT state FROM process_job")) == "running"
    engine.dispose()


def test_same_pages_while_running_queue_nothing(sqlite_url: str) -> None:
    # the crawl storing the same page set again while its job runs adds no second job
    engine = _engine_with_backlog(sqlite_url, 1, 0, 0)
    claim_jobs(engine, "elsewhere:1", 1)
    assert store_backlog(engine, 1) == 0
    engine.dispose()


def _spawned_workers(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    children = [int(c) for c in path.read_text().split()] if path.exists() else []
    found = []
    for child in children:
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"crawler.cli" in command or (b"multiprocessing.spawn" in command and b"resource_tracker" not in command):
            found.append(child)
    return found


def _done_jobs(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT COUNT(*) FROM process_job WHERE state = 'done' AND error IS NULL")) or 0


def _start_and_wait_for_progress(url: str, engine: Engine) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "process", "--db", url, "--workers", "2", "--batch-size", BATCH],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + WAIT_SECONDS
    while _done_jobs(engine) < 20 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the backlog was done before the kill: make it larger"
    return process


@pytest.mark.parametrize("victim", ["one worker", "whole command"])
def test_killed_worker_then_process_again_equals_uninterrupted(db_url: str, victim: str,
                                                                reference: dict[str, Any]) -> None:
    # SIGKILL one worker (the command finishes the rest) or the whole command (`shebao process` again):
    # the final database equals the one-worker run, nothing left pending or running, no duplicate rows
    engine = _engine_with_backlog(db_url)
    process = _start_and_wait_for_progress(db_url, engine)
    if victim == "one worker":
        workers = _spawned_workers(process.pid)
        assert workers, "no worker process found"
        os.kill(workers[0], signal.SIGKILL)
        assert process.wait(timeout=WAIT_SECONDS * 2) == 0
    else:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert _done_jobs(engine) < BACKLOG + REPOSTS  # it really was cut short
        run_cli("process", "--db", db_url)
    outcome = job_outcomes(engine)
    assert outcome["states"] == {"done": BACKLOG + REVISED + REPOSTS}
    assert snapshot(engine) == reference
    engine.dispose()


def test_crawl_stops_a_stuck_worker_and_reports_it(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the crawl's extension joins its worker with a timeout: a worker that finishes nothing is stopped,
    # and a `worker` failure row says so (instead of the crawl hanging at close)
    import multiprocessing

    from crawler import extensions

    engine = make_engine(sqlite_url)
    upgrade(engine)
    monkeypatch.setattr(extensions, "JOIN_POLL_SECONDS", 0.1)
    extension = extensions.ProcessingWorker(sqlite_url, join_timeout=1.0)
    stuck = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(120,), daemon=True)
    extension.process = stuck  # stands in for a worker stuck on one article
    stuck.start()
    extension._finish()
    with engine.connect() as connection:
        failures = connection.execute(text("SELECT stage, reason FROM failure")).all()
    engine.dispose()
    assert not stuck.is_alive()
    assert [stage for stage, _ in failures] == ["worker"]
    assert "finished no job for 1 s" in failures[0][1]


def test_crawl_worker_killed_mid_crawl_then_the_crawl_finishes_its_jobs(tmp_path: Path) -> None:
    # SIGKILL the crawl's worker while the crawl runs: the crawl processes what it left (its claimed jobs
    # too: their holder is gone) and the database equals an uninterrupted crawl's
    from crawler.fixture_site.content import load_articles
    from crawler.fixture_site.render import build_site
    from tests.conftest import crawl
    from tests.hostile.server import Routes, serve

    site = build_site(load_articles("articles"), traps=False)
    reference_url, killed_url = f"sqlite:///{tmp_path / 'reference.db'}", f"sqlite:///{tmp_path / 'killed.db'}"
    with serve(Routes(site=site)) as server:
        crawl(reference_url, server.base_url)
    with serve(Routes(site=site, article_delay_seconds=1.0)) as server:
        command = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "--start-url", server.base_url, "--db", killed_url,
             "--no-throttle", "--log-level", "WARNING"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        engine = make_engine(killed_url)
        deadline = time.monotonic() + WAIT_SECONDS
        workers: list[int] = []
        while time.monotonic() < deadline and command.poll() is None:
            workers = _spawned_workers(command.pid)
            if workers and Path(tmp_path / "killed.db").exists():
                with contextlib.suppress(Exception):  # the schema may not exist yet
                    if _done_jobs(engine) >= 1:
                        break
            time.sleep(0.05)
        assert workers and command.poll() is None, "the crawl ended before its worker had processed a job"
        os.kill(workers[0], signal.SIGKILL)
        out, err = command.communicate(timeout=WAIT_SECONDS * 2)
    assert command.returncode == 0, err[-2000:]
    assert "processing worker exited with -9" in err
    reference_engine = make_engine(reference_url)
    try:
        assert job_outcomes(engine)["states"].keys() == {"done"}
        assert snapshot(engine, same_store=False) == snapshot(reference_engine, same_store=False)
    finally:
        engine.dispose()
        reference_engine.dispose()
