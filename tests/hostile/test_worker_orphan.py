"""A crawl killed with SIGKILL must not leave its processing worker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.hostile.conftest import small_site
from tests.hostile.server import Routes, serve

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60  # an upper bound for a loaded machine, not a measurement


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has exited; only its parent has not collected it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _worker_of(pid: int) -> int | None:
    for child in _children(pid):
        command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
        if b"multiprocessing.spawn" in command and b"resource_tracker" not in command:
            return child
    return None


def test_worker_exits_when_crawl_is_killed(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'orphan.db'}"
    routes = Routes(site=small_site(), article_delay_seconds=2.0)  # the crawl is still running when killed
    with serve(routes) as server:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "--start-url", server.base_url, "--db", db_url,
             "--no-throttle", "--log-level", "WARNING"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        worker = None
        try:
            deadline = time.monotonic() + WAIT_SECONDS
            while worker is None and time.monotonic() < deadline and crawl.poll() is None:
                worker = _worker_of(crawl.pid)
                time.sleep(0.1)
            assert worker is not None, "the crawl never started its worker"
        finally:
            os.kill(crawl.pid, signal.SIGKILL)  # the main process only, as the OOM killer would
            crawl.wait()
        deadline = time.monotonic() + WAIT_SECONDS
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        alive = _running(worker)
        if alive:  # do not leave it behind for the next test either
            os.kill(worker, signal.SIGKILL)
    assert not alive, "the worker outlived its crawl"
