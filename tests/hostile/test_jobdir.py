"""`--job-dir`: a run killed with SIGKILL, or one that finished, must not make the next run fetch nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from crawler.fixture_site.render import Resource
from crawler.jobdir import JobDirState, inspect_job_dir
from db.session import make_engine
from tests.conftest import run_cli
from tests.hostile.conftest import small_site
from tests.hostile.server import Routes, html_page, serve

ROOT = Path(__file__).resolve().parents[2]
EXTRA_LIST_PAGES = 250  # x 41 bytes of fingerprint: past the seen-file's 8 KiB write buffer


def _crawl_args(db_url: str, start: str, job_dir: Path) -> list[str]:
    return ["crawl", "--start-url", start, "--db", db_url, "--no-throttle", "--log-level", "WARNING",
            "--job-dir", str(job_dir)]


def _article_ids(db_url: str) -> set[int]:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        ids = set(connection.scalars(text("SELECT article_id FROM article")))
    engine.dispose()
    return ids


def test_job_dir_after_kill_9_fetches_the_rest(tmp_path: Path) -> None:
    # a crawl killed with SIGKILL mid-way leaves the seen-file but no queue; the next run with the same
    # job dir must still fetch every article (before: 0 requests, the start URL was "already seen")
    # Enough list pages that their fingerprints overflow the seen-file's write buffer before the kill.
    site = small_site()
    extra = [f"/extra{n}/" for n in range(EXTRA_LIST_PAGES)]
    for path in extra:
        site.resources[path] = Resource(html_page([]))
    home = site.resources["/"]
    home.body = home.body.replace(b"</body>", "".join(f'<a href="{p}">x</a>' for p in extra).encode() + b"</body>")
    db_url = f"sqlite:///{tmp_path / 'job.db'}"
    job_dir = tmp_path / "job"
    routes = Routes(site=site, article_delay_seconds=1.0)  # slow articles: the kill lands mid-crawl
    with serve(routes) as server:
        process = subprocess.Popen([sys.executable, "-m", "crawler.cli", *_crawl_args(db_url, server.base_url, job_dir)],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            seen = job_dir / "requests.seen"
            while time.monotonic() < deadline and process.poll() is None and not (seen.exists() and seen.stat().st_size):
                time.sleep(0.1)
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # the crawl and its worker, as a hard kill would
            process.wait()
        assert (job_dir / "requests.seen").stat().st_size > 0
        assert len(_article_ids(db_url)) < len(site.articles)  # the kill came before the end
        routes.article_delay_seconds = 0
        result = run_cli(*_crawl_args(db_url, server.base_url, job_dir))
    assert _article_ids(db_url) == set(site.articles)
    assert "starting a full crawl" in result.stderr


def test_job_dir_after_clean_finish_sees_changes(tmp_path: Path) -> None:
    # a scheduled crawl that always passes the same job dir must still request the site again
    site = small_site()
    db_url = f"sqlite:///{tmp_path / 'job.db'}"
    job_dir = tmp_path / "job"
    article_id = sorted(site.articles)[10]
    old_title = site.articles[article_id].title
    with serve(Routes(site=site)) as server:
        run_cli(*_crawl_args(db_url, server.base_url, job_dir))
        assert inspect_job_dir(job_dir).state is JobDirState.FINISHED
        site.set_article_text(article_id, old_title, old_title + "(更新)")
        before = len(server.requests)
        # --revisit all: every stored article is asked again (not only due ones), and the job dir's
        # seen-file from the finished run must not filter any of those requests out
        run_cli(*_crawl_args(db_url, server.base_url, job_dir), "--revisit", "all")
        assert len(server.requests) - before > len(site.articles)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        title = connection.scalar(text("SELECT title FROM article WHERE article_id = :i"), {"i": article_id})
    engine.dispose()
    assert title.endswith("(更新)")


def _seen(job_dir: Path) -> None:
    job_dir.mkdir()
    (job_dir / "requests.seen").write_text("0123abcd\n")
    (job_dir / "requests.queue").mkdir()


@pytest.mark.parametrize(
    ("marker", "queue_index", "state"),
    [
        (None, None, JobDirState.KILLED),  # seen-file, no queue index: killed (or an older run)
        ({"state": "running"}, [1], JobDirState.KILLED),  # a stale index from an earlier close
        ({"state": "closed", "reason": "finished"}, [], JobDirState.FINISHED),
        ({"state": "closed", "reason": "shutdown"}, [0], JobDirState.RESUMABLE),  # one Ctrl-C
    ],
)
def test_job_dir_states(tmp_path: Path, marker: dict | None, queue_index: list | None, state: JobDirState) -> None:
    job_dir = tmp_path / "job"
    _seen(job_dir)
    if marker is not None:
        (job_dir / "shebao-run.json").write_text(json.dumps(marker))
    if queue_index is not None:
        (job_dir / "requests.queue" / "active.json").write_text(json.dumps(queue_index))
    assert inspect_job_dir(job_dir).state is state
