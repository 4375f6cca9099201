"""Overlapping `shebao crawl` runs, end to end: two started together (one exits 3 naming the holder),
`--wait`, kill -9 then a new crawl (takeover, status interrupted), `shebao runs` against a real crawl,
and the progress line (on a terminal only).

A "gated" fixture site holds every article request until the test opens the gate, so a crawl is
certainly still running while the test starts the other one: no sleeps, no timing assumptions.
"""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.fixture_site.content import load_articles
from crawler.fixture_site.render import FixtureSite, build_site
from crawler.fixture_site.server import base_url, serve_site
from db.migrations import upgrade
from db.models import CrawlRun, PageVersion, RunLock
from db.runs import finish_run, start_run
from db.session import make_engine
from normalize.urls import parse_article_url
from schema.vocabulary import RunStatus
from tests.conftest import fresh_postgres_database, run_cli

ROOT = Path(__file__).resolve().parents[1]
DEADLINE_SECONDS = 240  # a guard against a hung test, never an assertion


class GatedResources(dict):  # type: ignore[type-arg]
    """The fixture site's resources, with article pages held until `gate` is set."""

    def __init__(self, resources: dict, gate: threading.Event) -> None:  # type: ignore[type-arg]
        super().__init__(resources)
        self.gate = gate
        self.held = threading.Event()  # set once an article request is waiting at the gate

    def get(self, path, default=None):  # type: ignore[no-untyped-def,override]
        if parse_article_url(f"http://x{path}") is not None and not self.gate.is_set():
            self.held.set()
            self.gate.wait(DEADLINE_SECONDS)
        return super().get(path, default)


@dataclass
class Gated:
    site: FixtureSite
    url: str
    gate: threading.Event
    resources: GatedResources


def _small() -> FixtureSite:
    """Three bundled articles, no traps (a crawl of seconds; the package has them, ../shared is not needed)."""
    site = build_site(load_articles("articles")[:3], traps=False)
    assert site.articles
    return site


@pytest.fixture
def gated_site() -> Iterator[Gated]:
    site = _small()
    gate = threading.Event()
    resources = GatedResources(site.resources, gate)
    site.resources = resources
    with serve_site(site) as server:
        try:
            yield Gated(site, base_url(server), gate, resources)
        finally:
            gate.set()


@pytest.fixture
def small_site() -> Iterator[tuple[FixtureSite, str]]:
    site = _small()
    with serve_site(site) as server:
        yield site, base_url(server)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[str]:
    """A fresh database on each backend, already upgraded (concurrent first upgrades are another test's)."""
    if request.param == "sqlite":
        url = sqlite_url
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    with fresh_postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@dataclass
class Started:
    process: subprocess.Popen[str]
    out: Path
    err: Path

    def wait(self) -> int:
        return self.process.wait(timeout=DEADLINE_SECONDS)

    @property
    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    @property
    def stdout(self) -> str:
        return self.out.read_text(errors="replace")


def start_crawl(tmp_path: Path, name: str, db_url: str, start_url: str, *extra: str) -> Started:
    out, err = tmp_path / f"{name}.out", tmp_path / f"{name}.err"
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--start-url", start_url, "--db", db_url, "--no-throttle",
         "--log-level", "WARNING", *extra],
        stdout=out.open("w"), stderr=err.open("w"), text=True, cwd=ROOT,
    )
    return Started(process, out, err)


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.1)


def _runs(db_url: str) -> list[CrawlRun]:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = list(connection.execute(select(CrawlRun.__table__).order_by(CrawlRun.id)))
    engine.dispose()
    return rows  # type: ignore[return-value]


def _lock_held(db_url: str) -> bool:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        held = (connection.scalar(select(func.count()).select_from(RunLock)) or 0) > 0
    engine.dispose()
    return held


def test_two_crawls_started_together_one_runs_the_other_exits_3(tmp_path: Path, gated_site: Gated,
                                                                  any_db_url: str) -> None:
    first = start_crawl(tmp_path, "first", any_db_url, gated_site.url)
    second = start_crawl(tmp_path, "second", any_db_url, gated_site.url)
    # whichever took the lock is held at the gate; the other one must give up on its own
    wait_until(lambda: first.process.poll() is not None or second.process.poll() is not None, "one crawl to exit")
    loser, winner = (first, second) if first.process.poll() is not None else (second, first)
    assert winner.process.poll() is None  # still running: it holds the lock
    assert loser.wait() == 3
    runs = _runs(any_db_url)
    assert len(runs) == 1 and runs[0].status == "running"  # the refused crawl left no run behind
    message = loser.stderr.strip().splitlines()[-1]
    assert message.startswith("shebao crawl: another crawl is running: ")
    assert f"run {runs[0].id} " in message and f"since {runs[0].started_at}" in message and "--wait" in message
    gated_site.gate.set()
    assert winner.wait() == 0, winner.stderr[-3000:]
    run = _runs(any_db_url)[0]
    assert run.status == "finished" and run.new_articles == len(gated_site.site.articles)
    assert not _lock_held(any_db_url)  # released at the end


def test_wait_waits_for_the_holder_then_runs(tmp_path: Path, small_site: tuple[FixtureSite, str],
                                             sqlite_url: str) -> None:
    site, url = small_site
    engine = make_engine(sqlite_url)
    upgrade(engine)
    holder = start_run(engine, [url])  # this test process holds the site's lock (alive, beating)
    refused = start_crawl(tmp_path, "refused", sqlite_url, url)
    assert refused.wait() == 3
    waiting = start_crawl(tmp_path, "waiting", sqlite_url, url, "--wait")
    wait_until(lambda: "waiting:" in waiting.stderr, "the crawl to say it waits")
    assert f"run {holder.run_id} " in waiting.stderr
    assert waiting.process.poll() is None  # it waits instead of exiting
    finish_run(engine, holder, RunStatus.FINISHED)
    assert waiting.wait() == 0, waiting.stderr[-3000:]
    runs = _runs(sqlite_url)
    assert [(r.id, r.status) for r in runs] == [(holder.run_id, "finished"), (holder.run_id + 1, "finished")]
    assert runs[1].started_at >= runs[0].finished_at  # it started only once the holder had ended
    assert runs[1].new_articles == len(site.articles)
    engine.dispose()


def test_kill_9_then_new_crawl_takes_the_lock_over(tmp_path: Path, gated_site: Gated, sqlite_url: str) -> None:
    killed = start_crawl(tmp_path, "killed", sqlite_url, gated_site.url)
    wait_until(gated_site.resources.held.is_set, "the crawl to reach the articles")
    wait_until(lambda: _lock_held(sqlite_url), "the crawl to hold the lock")
    # while it runs, `shebao runs` shows it running with the processing backlog
    listed = json.loads(run_cli("runs", "--db", sqlite_url, "--json").stdout)
    assert listed[0]["status"] == "running" and listed[0]["backlog"] is not None
    os.kill(killed.process.pid, signal.SIGKILL)
    assert killed.wait() == -signal.SIGKILL
    killed_run = _runs(sqlite_url)[0]
    assert killed_run.status == "running"  # what the row says: nobody has written its end
    listed = json.loads(run_cli("runs", "--db", sqlite_url, "--json").stdout)
    assert listed[0]["status"] == "interrupted"  # shown as what it is: its holder is gone
    gated_site.gate.set()
    again = run_cli("crawl", "--start-url", gated_site.url, "--db", sqlite_url, "--no-throttle", "--log-level",
                    "WARNING")
    assert "took over the lock of a dead run" in again.stderr and f"run {killed_run.id} " in again.stderr
    runs = _runs(sqlite_url)
    assert [(r.id, r.status) for r in runs] == [(killed_run.id, "interrupted"), (killed_run.id + 1, "finished")]
    assert not _lock_held(sqlite_url)


def test_runs_reports_the_crawls_counts(tmp_path: Path, small_site: tuple[FixtureSite, str],
                                        sqlite_url: str) -> None:
    site, url = small_site
    crawl_args = ("crawl", "--start-url", url, "--db", sqlite_url, "--no-throttle", "--log-level", "WARNING")
    first = run_cli(*crawl_args)
    second = run_cli(*crawl_args)  # an unchanged site: nothing new in this run
    listed = json.loads(run_cli("runs", "--db", sqlite_url, "--json").stdout)
    assert [r["id"] for r in listed] == [2, 1]
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        stored_articles = connection.scalar(select(func.count(PageVersion.article_id.distinct())))
        versions = connection.scalar(select(func.count()).select_from(PageVersion))
        stats = {r.id: json.loads(r.stats) for r in connection.execute(select(CrawlRun.id, CrawlRun.stats))}
    engine.dispose()
    for run in listed:
        run_stats = stats[run["id"]]
        assert run["status"] == "finished" and run["backlog"] is None
        assert run["requests"] == run_stats["downloader/request_count"]
        assert run["unchanged_articles"] == run_stats.get("shebao/articles_unchanged", 0)
        assert run["revisited_articles"] == run_stats.get("shebao/articles_revisited", 0)
        assert run["failures"] == run_stats.get("shebao/fetch_failures", 0) + run_stats.get("shebao/store_failed", 0)
    first_run, second_run = listed[1], listed[0]
    assert (first_run["new_articles"], first_run["changed_articles"]) == (stored_articles, 0)
    assert (second_run["new_articles"], second_run["changed_articles"]) == (0, 0)
    # the summary's "new in this run" is this run's, not the table's growth claimed by every run
    assert f"page versions:  {versions} ({versions} new in this run)" in first.stdout
    assert f"page versions:  {versions} (0 new in this run)" in second.stdout
    assert f"this run:       run 1 finished: {first_run['requests']} requests; articles {stored_articles} new" \
        in first.stdout
    table = run_cli("runs", "--db", sqlite_url).stdout.splitlines()
    assert table[0].split() == ["id", "started", "(UTC)", "ended", "(UTC)", "status", "requests", "new", "changed",
                                "unchanged", "revisited", "failures", "backlog"]
    cells = table[2].split()  # run 1: id, start date and time, end date and time, then the counts
    assert cells[0] == "1" and cells[5:] == ["finished", str(first_run["requests"]), str(stored_articles), "0",
                                             str(first_run["unchanged_articles"]),
                                             str(first_run["revisited_articles"]), str(first_run["failures"]), "-"]
    assert len(site.articles) == stored_articles


def _read_all(fd: int, sink: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            return
        if not chunk:
            return
        sink.extend(chunk)


def test_progress_line_on_a_terminal_only(tmp_path: Path, small_site: tuple[FixtureSite, str]) -> None:
    _, url = small_site
    args = [sys.executable, "-m", "crawler.cli", "crawl", "--start-url", url, "--no-throttle", "--log-level",
            "WARNING"]
    master, terminal = pty.openpty()
    seen = bytearray()
    reader = threading.Thread(target=_read_all, args=(master, seen))
    reader.start()
    on_tty = subprocess.run([*args, "--db", f"sqlite:///{tmp_path / 'tty.db'}"], stderr=terminal,
                            stdout=subprocess.PIPE, cwd=ROOT, timeout=DEADLINE_SECONDS)
    os.close(terminal)
    reader.join(timeout=30)
    os.close(master)
    assert on_tty.returncode == 0
    line = seen.decode("utf-8", "replace")
    assert "\rrequests " in line and " · stored " in line and " · queued " in line and " · processed " in line
    assert "Traceback" not in line  # the line's thread starts before Scrapy has stats: it must wait, not die
    piped = subprocess.run([*args, "--db", f"sqlite:///{tmp_path / 'pipe.db'}"], capture_output=True, text=True,
                           cwd=ROOT, timeout=DEADLINE_SECONDS)
    assert piped.returncode == 0
    assert " · processed " not in piped.stderr and "\r" not in piped.stderr  # cron's log stays plain


def test_frozen_run_whose_lock_was_taken_stops_with_exit_3(tmp_path: Path, gated_site: Gated,
                                                            sqlite_url: str) -> None:
    # a crawl frozen (SIGSTOP) past the stale window loses its lock to a new run; resumed, its next beat
    # notices, it stops and exits 3: two runs never write one site at once
    frozen = start_crawl(tmp_path, "frozen", sqlite_url, gated_site.url)
    wait_until(gated_site.resources.held.is_set, "the crawl to reach the articles")
    wait_until(lambda: _lock_held(sqlite_url), "the crawl to hold the lock")
    os.kill(frozen.process.pid, signal.SIGSTOP)
    engine = make_engine(sqlite_url)
    with engine.begin() as connection:  # its heartbeat is ten minutes old, as after a long freeze
        connection.execute(RunLock.__table__.update().values(heartbeat_at="2000-01-01T00:00:00+00:00"))
    newer = start_run(engine, [gated_site.url])
    assert [h.run_id for h in newer.taken_over] == [_runs(sqlite_url)[0].id]
    os.kill(frozen.process.pid, signal.SIGCONT)
    wait_until(lambda: "took this run's lock over" in frozen.stderr, "the resumed crawl to notice")
    gated_site.gate.set()
    assert frozen.wait() == 3, frozen.stderr[-3000:]
    assert frozen.stderr.strip().splitlines()[-1].startswith("shebao crawl: stopped: another run took")
    runs = _runs(sqlite_url)
    assert [r.status for r in runs] == ["interrupted", "running"]  # the newer holder's lock is untouched
    assert _lock_held(sqlite_url)
    finish_run(engine, newer, RunStatus.FINISHED)
    engine.dispose()


@pytest.mark.parametrize(("argv", "expected"), [
    (["crawl", "--help"], "--wait"),
    (["crawl", "--help"], "instead of exiting with code 3"),
    (["runs", "--help"], "interrupted"),
    (["runs", "--help"], "--json"),
    (["runs", "--help"], "backlog"),
])
def test_help_explains_wait_and_runs(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    from crawler.cli import main

    with pytest.raises(SystemExit):
        main(argv)
    assert expected in " ".join(capsys.readouterr().out.split())


def test_runs_on_an_empty_database_and_bad_input(tmp_path: Path, sqlite_url: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from crawler.cli import main

    missing = tmp_path / "missing.db"
    assert main(["runs", "--db", f"sqlite:///{missing}"]) == 2
    assert "no database at" in capsys.readouterr().err and not missing.exists()  # no stray file made
    engine = make_engine(sqlite_url)
    upgrade(engine)
    engine.dispose()
    assert main(["runs", "--db", sqlite_url]) == 0
    assert "no crawl runs" in capsys.readouterr().out
    assert main(["runs", "--db", sqlite_url, "--limit", "0"]) == 2
    assert capsys.readouterr().err.strip() == "shebao runs: --limit must be at least 1"


def test_failed_run_releases_its_lock(tmp_path: Path, sqlite_url: str) -> None:
    # every page store fails (a full disk): the crawl exits 4, its run is `failed`, the lock is free again
    import sqlite3

    from crawler.fixture_site.content import load_all_articles

    engine = make_engine(sqlite_url)
    upgrade(engine)
    engine.dispose()
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as connection:
        connection.execute("CREATE TRIGGER disk_full BEFORE INSERT ON page_version "
                           "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with serve_site(build_site(load_all_articles(), traps=False)) as server:
        failed = start_crawl(tmp_path, "failed", sqlite_url, base_url(server))
        assert failed.wait() == 4, failed.stderr[-3000:]
    assert [r.status for r in _runs(sqlite_url)] == ["failed"]
    assert not _lock_held(sqlite_url)


def test_stats_snapshot_before_the_crawl_starts() -> None:
    # Scrapy raises when `crawler.stats` is read before the crawl starts; the heartbeat and the progress
    # line may ask that early and must get "nothing yet", not die
    from crawler.run import stats_snapshot

    class NotStarted:
        @property
        def stats(self) -> object:
            raise RuntimeError("Crawler.stats is not set yet")

    class Started:
        class stats:  # noqa: N801 (stands in for Scrapy's stats collector)
            values = {"downloader/request_count": 3}

            @classmethod
            def get_stats(cls) -> dict[str, int]:
                return cls.values

            @classmethod
            def get_value(cls, key: str) -> int:
                return cls.values[key]

    assert stats_snapshot(NotStarted()) == {}  # type: ignore[arg-type]
    assert stats_snapshot(Started()) == {"downloader/request_count": 3}  # type: ignore[arg-type]


def test_process_shows_a_progress_line_on_a_terminal_only(tmp_path: Path) -> None:
    # `shebao process` draws "processed N (r/s) · queued M" on a terminal; a pipe (cron) gets plain lines
    from crawler.fixture_site.backlog import store_backlog

    runs = {}
    for name in ("tty", "pipe"):
        url = f"sqlite:///{tmp_path / name}.db"
        engine = make_engine(url)
        upgrade(engine)
        store_backlog(engine, 40)
        engine.dispose()
        runs[name] = [sys.executable, "-m", "crawler.cli", "process", "--db", url]
    master, terminal = pty.openpty()
    seen = bytearray()
    reader = threading.Thread(target=_read_all, args=(master, seen))
    reader.start()
    on_tty = subprocess.run(runs["tty"], stderr=terminal, stdout=subprocess.PIPE, cwd=ROOT, timeout=DEADLINE_SECONDS)
    os.close(terminal)
    reader.join(timeout=30)
    os.close(master)
    assert on_tty.returncode == 0
    line = seen.decode("utf-8", "replace")
    assert "\rprocessed " in line and " · queued " in line
    assert "Traceback" not in line
    piped = subprocess.run(runs["pipe"], capture_output=True, text=True, cwd=ROOT, timeout=DEADLINE_SECONDS)
    assert piped.returncode == 0, piped.stderr[-2000:]
    assert " · queued " not in piped.stderr and "\r" not in piped.stderr
