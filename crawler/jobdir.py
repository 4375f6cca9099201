"""Decide whether a Scrapy job directory can resume, and reset it when it cannot.

Scrapy keeps three things in JOBDIR: the seen-request fingerprints (`requests.seen`, appended as the
crawl goes), the disk queue (`requests.queue/`, whose index `active.json` is written only on a clean
close) and `spider.state`. A run killed hard leaves the fingerprints but no usable queue: resuming
from it would filter every page it had discovered as "already seen" and fetch nothing. A run that
finished leaves an empty queue: resuming from it would send no request at all, so a scheduled crawl
would never see a change. Both are reset (with a warning); only a run stopped cleanly with requests
still queued (one Ctrl-C, a page cap) is resumed.

We write our own marker, `shebao-run.json`, at open ("running") and close ("closed" + reason): a
marker still saying "running" is a run that never closed.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

logger = logging.getLogger(__name__)

MARKER_FILE = "shebao-run.json"
SEEN_FILE = "requests.seen"
QUEUE_DIR = "requests.queue"
QUEUE_INDEX = "active.json"
STATE_FILE = "spider.state"
FINISHED_REASON = "finished"  # Scrapy's close reason when the queue ran dry


class JobDirState(StrEnum):
    """What the previous run left in a job directory."""

    EMPTY = "empty"  # nothing there: a fresh crawl
    RESUMABLE = "resumable"  # closed cleanly with requests still queued
    FINISHED = "finished"  # closed with an empty queue: start over
    KILLED = "killed"  # never closed (kill -9, power loss): the queue is gone, start over


@dataclass(frozen=True, slots=True)
class JobDirDecision:
    state: JobDirState
    reason: str


def _read_json(path: Path) -> object | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def inspect_job_dir(job_dir: str | Path) -> JobDirDecision:
    """What the last run left in `job_dir`, and why that means resume or start over."""
    root = Path(job_dir)
    if not (root / SEEN_FILE).exists() and not (root / QUEUE_DIR).exists():
        return JobDirDecision(JobDirState.EMPTY, "no previous run")
    marker = _read_json(root / MARKER_FILE)
    if isinstance(marker, dict) and marker.get("state") == "running":
        return JobDirDecision(JobDirState.KILLED, "the previous run was killed before it could save its queue")
    queued = _read_json(root / QUEUE_DIR / QUEUE_INDEX)
    if queued is None:  # Scrapy writes the index only on a clean close
        return JobDirDecision(JobDirState.KILLED, "the previous run left no queue index (killed or crashed)")
    if not queued or (isinstance(marker, dict) and marker.get("reason") == FINISHED_REASON):
        return JobDirDecision(JobDirState.FINISHED, "the previous run finished: nothing left to resume")
    return JobDirDecision(JobDirState.RESUMABLE, "the previous run stopped with requests still queued")


def reset_job_dir(job_dir: str | Path) -> None:
    """Remove Scrapy's state from `job_dir` (only the files Scrapy and we write; the folder stays)."""
    root = Path(job_dir)
    for name in (SEEN_FILE, STATE_FILE, MARKER_FILE):
        (root / name).unlink(missing_ok=True)
    shutil.rmtree(root / QUEUE_DIR, ignore_errors=True)


def prepare_job_dir(job_dir: str | Path) -> JobDirDecision:
    """Reset `job_dir` unless it can resume; log what was decided and why."""
    decision = inspect_job_dir(job_dir)
    if decision.state in (JobDirState.KILLED, JobDirState.FINISHED):
        logger.warning("job dir %s: %s; starting a full crawl (stored pages are requested conditionally)",
                       job_dir, decision.reason)
        reset_job_dir(job_dir)
    elif decision.state is JobDirState.RESUMABLE:
        logger.info("job dir %s: %s; resuming", job_dir, decision.reason)
    return decision


def mark_running(job_dir: str | Path) -> None:
    root = Path(job_dir)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER_FILE).write_text(json.dumps({"state": "running"}), encoding="utf-8")


def mark_closed(job_dir: str | Path, reason: str) -> None:
    (Path(job_dir) / MARKER_FILE).write_text(json.dumps({"state": "closed", "reason": reason}), encoding="utf-8")
