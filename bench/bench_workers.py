"""Benchmark of `shebao process --workers N`: throughput of 1 vs N worker processes over one backlog.

The backlog is the large fixture site's articles stored straight into a fresh database as queued jobs
(crawler/fixture_site/backlog.py: no crawl). Each run gets its own fresh copy of the same backlog and
runs `shebao process --workers N` as a separate command; reported are the command's wall time (start-up
of the worker processes and the final re-clustering pass included), its CPU time (the command and its
workers; PostgreSQL's own server processes not counted), the cores it got on average (CPU / wall),
articles per second, the speed-up over one worker, the machine's load average before the run and its
idle share during the run (/proc/stat): the figures are only as good as the idle cores the machine had.
A speed-up below the cores while the machine was never idle means other processes had the cores.

Usage: .venv/bin/python bench/bench_workers.py [--articles 1500] [--workers 1 2] [--backend sqlite postgresql]
       (PostgreSQL: $SHEBAO_TEST_POSTGRES or postgresql+psycopg://postgres@127.0.0.1:5432/test, trust auth)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSTGRES_URL = os.environ.get("SHEBAO_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _fill(url: str, articles: int) -> int:
    from crawler.fixture_site.backlog import store_backlog
    from db.migrations import upgrade
    from db.session import make_engine

    engine = make_engine(url)
    upgrade(engine)
    queued = store_backlog(engine, articles)
    engine.dispose()
    return queued


@contextmanager
def _sqlite_backlogs(articles: int) -> Iterator[Callable[[], str]]:
    """A factory of fresh SQLite copies of one backlog."""
    with tempfile.TemporaryDirectory() as folder:
        master = Path(folder) / "backlog.db"
        _fill(f"sqlite:///{master}", articles)
        copies = 0

        def fresh() -> str:
            nonlocal copies
            copies += 1
            target = Path(folder) / f"run{copies}.db"
            shutil.copy(master, target)
            return f"sqlite:///{target}"

        yield fresh


@contextmanager
def _postgres_backlogs(articles: int) -> Iterator[Callable[[], str]]:
    """A factory of fresh PostgreSQL databases, each a copy (CREATE DATABASE ... TEMPLATE) of one backlog."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = make_url(POSTGRES_URL)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    names: list[str] = []

    def create(template: str | None = None) -> str:
        name = f"shebao_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")))
        names.append(name)
        return name

    try:
        master = create()
        _fill(admin_url.set(database=master).render_as_string(hide_password=False), articles)
        yield lambda: admin_url.set(database=create(master)).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def _cpu_ticks() -> tuple[int, int] | None:
    """(idle, total) jiffies of the whole machine so far (Linux /proc/stat), None elsewhere."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return fields[3] + fields[4], sum(fields)


def _idle_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> str:
    if before is None or after is None or after[1] == before[1]:
        return "—"
    return f"{100 * (after[0] - before[0]) / (after[1] - before[1]):.0f}%"


def _run(url: str, workers: int) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system, the command and its workers) and the machine's idle share
    during one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ticks = _cpu_ticks()
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "process", "--db", url, "--workers", str(workers)],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    idle = _idle_share(ticks, _cpu_ticks())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"process --workers {workers} failed:\n{result.stderr[-3000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), idle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--backend", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--rounds", type=int, default=1, help="runs per setting (the best is reported)")
    args = parser.parse_args()
    print(f"{args.articles} articles, {os.cpu_count()} cores")
    print("| backend | workers | wall s | CPU s | cores used | articles/s | speed-up | load avg before | machine idle |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend in args.backend:
        backlogs = _sqlite_backlogs if backend == "sqlite" else _postgres_backlogs
        with backlogs(args.articles) as fresh:
            base_rate = None
            for workers in args.workers:
                best, cpu, load, idle = float("inf"), 0.0, 0.0, "—"
                for _ in range(args.rounds):
                    url = fresh()
                    load_now = os.getloadavg()[0]
                    elapsed, cpu_now, idle_now = _run(url, workers)
                    if elapsed < best:
                        best, cpu, load, idle = elapsed, cpu_now, load_now, idle_now
                rate = args.articles / best
                base_rate = base_rate or rate
                print(f"| {backend} | {workers} | {best:.1f} | {cpu:.1f} | {cpu / best:.2f} | {rate:.1f} | "
                      f"{rate / base_rate:.2f}× | {load:.1f} | {idle} |", flush=True)


if __name__ == "__main__":
    main()
