"""The live progress lines on a terminal: `shebao crawl` (requests, stored, queued, processed) and
`shebao process` (processed, queued).

Drawn with tqdm on standard error from its own thread, so the reactor never waits for it; the database
counts (queue, processed) are read every few seconds off the reactor thread. Log lines written to the
terminal meanwhile are printed above the line, which is then redrawn. On a pipe or under cron nothing
of this runs: the plain INFO log is all there is.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import threading
import time
from typing import IO, Any

from scrapy.crawler import Crawler
from sqlalchemy import Engine
from tqdm import tqdm

from crawler.run import stats_snapshot
from db.runs import (
    STAT_CHANGED,
    STAT_NEW,
    STAT_REQUESTS,
    STAT_UNCHANGED,
    backlog,
    processed_since,
)

REFRESH_SECONDS = 0.5
DATABASE_SECONDS = 2.0  # the queue counts are database queries: fewer of them


def stored_articles(stats: dict[str, Any]) -> int:
    """Articles the store has written or confirmed unchanged so far."""
    def number(key: str) -> int:
        value = stats.get(key)
        return int(value) if isinstance(value, int | float) else 0

    if STAT_NEW in stats or STAT_CHANGED in stats:
        return number(STAT_NEW) + number(STAT_CHANGED) + number(STAT_UNCHANGED)
    return number("shebao/articles_queued") + number(STAT_UNCHANGED)  # a store that counts queued articles


def progress_text(stats: dict[str, Any], queued: int | None, processed: int | None, elapsed: float) -> str:
    """The line's text: 'requests 120 (4.0/s) · stored 80 · queued 30 · processed 50 · 0:30'."""
    requests = stats.get(STAT_REQUESTS) or 0
    rate = requests / elapsed if elapsed > 0 else 0.0
    minutes, seconds = divmod(int(elapsed), 60)
    def shown(value: int | None) -> str:
        return "?" if value is None else str(value)

    return (f"requests {requests} ({rate:.1f}/s) · stored {stored_articles(stats)} · queued {shown(queued)} · "
            f"processed {shown(processed)} · {minutes}:{seconds:02d}")


def _width() -> int:
    """The terminal's width; 100 when it reports none (a pty without a size, where tqdm would draw nothing)."""
    columns = shutil.get_terminal_size((100, 24)).columns
    return columns if columns > 0 else 100


class _AboveTheLine:
    """A stream for log handlers: each write clears the progress line, writes, and redraws it."""

    def __init__(self, bar: tqdm, stream: IO[str]) -> None:
        self.bar, self.stream = bar, stream

    def write(self, text: str) -> int:
        with tqdm.external_write_mode(file=self.stream):
            self.stream.write(text)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


class LiveLine:
    """A line redrawn on a terminal from its own thread; log lines are printed above it. Subclasses say what
    it reads from the database (`refresh`, every DATABASE_SECONDS) and what it shows (`text`)."""

    def __init__(self, engine: Engine, stream: IO[str] | None = None) -> None:
        self.engine = engine
        self.stream = stream or sys.stderr
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="shebao-progress", daemon=True)
        self.bar: tqdm | None = None
        self.swapped: list[tuple[logging.StreamHandler[Any], IO[str]]] = []

    def refresh(self) -> None:
        """Read the database counts the line shows (a busy database only delays them)."""

    def text(self, elapsed: float) -> str:
        raise NotImplementedError

    def start(self) -> None:
        self.bar = tqdm(file=self.stream, bar_format="{desc}", ncols=_width(), nrows=24, leave=True)
        for handler in logging.getLogger().handlers:  # Scrapy's log handler writes to the same terminal
            if isinstance(handler, logging.StreamHandler) and handler.stream is self.stream:
                self.swapped.append((handler, handler.setStream(_AboveTheLine(self.bar, self.stream))))  # type: ignore[arg-type]
        self.thread.start()

    def _run(self) -> None:
        started = time.monotonic()
        next_query = 0.0
        while True:
            now = time.monotonic()
            if now >= next_query:
                with contextlib.suppress(Exception):  # a busy database only delays the numbers
                    self.refresh()
                next_query = now + DATABASE_SECONDS
            if self.bar is not None:
                self.bar.ncols = _width()  # follows a resized window
                self.bar.set_description_str(self.text(now - started))
            if self.stopped.wait(REFRESH_SECONDS):
                return

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        for handler, stream in self.swapped:
            handler.setStream(stream)
        if self.bar is not None:
            self.bar.close()


class ProgressLine(LiveLine):
    """The progress line of one crawl; `start` before the reactor runs, `stop` after it returns."""

    def __init__(self, crawler: Crawler, engine: Engine, jobs_before: int, stream: IO[str] | None = None) -> None:
        super().__init__(engine, stream)
        self.crawler, self.jobs_before = crawler, jobs_before
        self.queued: int | None = None
        self.processed: int | None = None

    def refresh(self) -> None:
        self.queued, self.processed = backlog(self.engine), processed_since(self.engine, self.jobs_before)

    def text(self, elapsed: float) -> str:
        return progress_text(stats_snapshot(self.crawler), self.queued, self.processed, elapsed)


def queue_progress_text(processed: int | None, queued: int | None, elapsed: float) -> str:
    """`shebao process`'s line: 'processed 120 (40.0/s) · queued 380 · 0:03'."""
    rate = (processed or 0) / elapsed if elapsed > 0 else 0.0
    minutes, seconds = divmod(int(elapsed), 60)
    shown_processed = "?" if processed is None else str(processed)
    shown_queued = "?" if queued is None else str(queued)
    return f"processed {shown_processed} ({rate:.1f}/s) · queued {shown_queued} · {minutes}:{seconds:02d}"


class QueueProgressLine(LiveLine):
    """The progress line of `shebao process`: jobs finished since it started, jobs still queued."""

    def __init__(self, engine: Engine, stream: IO[str] | None = None) -> None:
        super().__init__(engine, stream)
        self.finished_before = processed_since(engine, 0)
        self.queued: int | None = None
        self.processed: int | None = None

    def refresh(self) -> None:
        self.queued, self.processed = backlog(self.engine), processed_since(self.engine, 0) - self.finished_before

    def text(self, elapsed: float) -> str:
        return queue_progress_text(self.processed, self.queued, elapsed)
