"""Run a crawl as a library call: Scrapy in this process (the ProcessingWorker extension runs the worker).

When `run_crawl` returns, every fetched article has been processed (or failed with a logged reason).
A run holds its sites' run lock (db.runs) from start to end and beats a heartbeat from a thread, which
also writes the counts so far into its `crawl_run` row; the end writes its status and final counts.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy import Engine, func, select

from crawler import settings as default_settings
from crawler.pipelines import STORE_FAILED_REASON
from crawler.spiders.shebao import DEFAULT_START_URLS, ShebaoSpider
from db.migrations import upgrade
from db.models import QUALITY_STAGE, Article, Failure, PageVersion, ProcessJob, RecordRow, Section
from db.runs import (
    HEARTBEAT_SECONDS,
    STAT_CHANGED,
    STAT_NEW,
    LockHolder,
    RunCounts,
    RunHandle,
    beat,
    counts_from_stats,
    finish_run,
    max_job_id,
    max_page_version_id,
    run_stored,
    stale_seconds,
    start_run,
    wait_and_start_run,
)
from db.session import make_engine, session_scope
from schema.vocabulary import RunStatus

logger = logging.getLogger(__name__)
LOCK_LOST_REASON = "shebao_lock_lost"  # the close reason when another run took this run's lock over


@dataclass
class CrawlSummary:
    """What one crawl found, for the operator."""

    articles: int = 0
    page_versions: int = 0
    new_page_versions: int = 0
    sections: int = 0
    records: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (stage, url, reason)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # stored, but something was off
    duplicates: int = 0
    pending: int = 0
    scrapy_stats: dict[str, Any] = field(default_factory=dict)
    run_id: int | None = None
    status: str | None = None  # RunStatus of this run
    counts: RunCounts | None = None  # this run's requests and articles (also in its crawl_run row)
    lock_lost: bool = False  # another run took this run's lock over (it had stopped beating)

    @property
    def store_failed(self) -> bool:
        """True when the crawl was stopped because the database refused every write (disk full, ...)."""
        return self.scrapy_stats.get("finish_reason") == STORE_FAILED_REASON


def crawl_settings(db_url: str, *, max_pages: int | None = None, throttle: bool = True, log_level: str = "INFO",
                   run_id: int | None = None, job_dir: str | None = None, list_depth: int | None = None,
                   revisit: str | None = None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("SHEBAO_DB_URL", db_url, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if run_id is not None:
        settings.set("SHEBAO_RUN_ID", run_id, priority="cmdline")
    if max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, priority="cmdline")
    if job_dir:
        settings.set("JOBDIR", job_dir, priority="cmdline")
    if list_depth is not None:
        settings.set("SHEBAO_LIST_DEPTH", list_depth, priority="cmdline")
    if revisit is not None:
        settings.set("SHEBAO_REVISIT", revisit, priority="cmdline")
    if not throttle:  # loopback fixture sites and benchmarks only
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="cmdline")
    return settings


def summarize(engine: Engine, since: str) -> CrawlSummary:
    """Counts over the whole database, and the failures logged since `since` (this run's own counts are
    filled in by `run_crawl`)."""
    with session_scope(engine) as session:
        summary = CrawlSummary(
            articles=session.scalar(select(func.count()).select_from(Article)) or 0,
            page_versions=session.scalar(select(func.count()).select_from(PageVersion)) or 0,
            sections=session.scalar(select(func.count()).select_from(Section)) or 0,
            duplicates=session.scalar(select(func.count()).where(Article.duplicate_of.is_not(None))) or 0,
            pending=session.scalar(select(func.count()).where(ProcessJob.state.in_(("pending", "running")))) or 0,
        )
        rows = session.execute(select(RecordRow.type, func.count()).group_by(RecordRow.type)).all()
        summary.records = {str(t): int(n) for t, n in rows}
        failures = session.execute(
            select(Failure.stage, Failure.url, Failure.reason).where(Failure.at >= since).order_by(Failure.id)
        ).all()
        rows = [(str(s), str(u), str(r)) for s, u, r in failures]
        summary.failures = [row for row in rows if row[0] != QUALITY_STAGE]
        summary.warnings = [row for row in rows if row[0] == QUALITY_STAGE]
    return summary


class Heartbeat(threading.Thread):
    """Beats the run's heartbeat (lock rows and `crawl_run`, with the counts so far) every `interval` s.

    A beat that finds the lock taken over (this process was frozen longer than the stale window and
    another run started) stops the crawl: two runs must never write one site at once.
    """

    def __init__(self, engine: Engine, handle: RunHandle, crawler: Crawler, interval: float,
                 versions_before: int, start_urls: Sequence[str]) -> None:
        super().__init__(name="shebao-heartbeat", daemon=True)
        self.engine, self.handle, self.crawler, self.interval = engine, handle, crawler, interval
        self.versions_before, self.start_urls = versions_before, list(start_urls)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                still_ours = beat(self.engine, self.handle, run_counts(self.crawler, self.engine,
                                                                       self.versions_before, self.start_urls))
            except Exception as error:  # a missed beat is not fatal: the window allows several
                logger.warning("heartbeat not written (%s: %s)", type(error).__name__, str(error).splitlines()[0])
                continue
            if not still_ours:
                logger.error("another run took this run's lock over (no heartbeat for %.0f s?); stopping this "
                             "crawl so the two do not write the same site at once", stale_seconds(self.interval))
                self._close_crawl()
                return

    def _close_crawl(self) -> None:
        from twisted.internet import reactor  # the one Scrapy installed

        engine = self.crawler.engine
        if engine is None:
            return
        if hasattr(engine, "close_spider_async"):  # Scrapy >= 2.14
            from scrapy.utils.defer import deferred_from_coro

            reactor.callFromThread(lambda: deferred_from_coro(engine.close_spider_async(reason=LOCK_LOST_REASON)))
        else:
            reactor.callFromThread(engine.close_spider, self.crawler.spider, LOCK_LOST_REASON)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.interval + 5)


def stats_snapshot(crawler: Crawler) -> dict[str, object]:
    """The crawl's stats, read key by key (safe from another thread while Scrapy updates them); empty
    before the crawl has started (Scrapy sets `crawler.stats` then, and raises when asked earlier)."""
    try:
        stats = crawler.stats
    except RuntimeError:
        return {}
    if stats is None:
        return {}
    return {key: stats.get_value(key) for key in list(stats.get_stats())}


def run_counts(crawler: Crawler, engine: Engine, versions_before: int, start_urls: Sequence[str]) -> RunCounts:
    """The run's counts: the shared stats keys; new and changed articles from this run's page versions in
    the database when the store does not count them."""
    stats = stats_snapshot(crawler)
    from_db = None
    if STAT_NEW not in stats and STAT_CHANGED not in stats:
        stored = run_stored(engine, versions_before, start_urls)
        from_db = (stored.new_articles, stored.changed_articles)
    return counts_from_stats(stats, from_db)


def run_status(finish_reason: object, lost_lock: bool) -> RunStatus:
    """How a run that returned from the reactor ended, from Scrapy's close reason."""
    if lost_lock or finish_reason in ("shutdown", LOCK_LOST_REASON):  # Ctrl-C, or another run took over
        return RunStatus.INTERRUPTED
    if finish_reason == STORE_FAILED_REASON or finish_reason is None:  # no reason: it never opened
        return RunStatus.FAILED
    return RunStatus.FINISHED  # "finished", or a limit the operator set (closespider_pagecount, ...)


def run_crawl(
    db_url: str,
    start_urls: Sequence[str] | None = None,
    *,
    max_pages: int | None = None,
    throttle: bool = True,
    log_level: str = "INFO",
    job_dir: str | None = None,
    list_depth: int | None = None,
    revisit: str | None = None,
    wait: bool = False,
    on_wait: Callable[[LockHolder], None] | None = None,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
    progress: bool | None = None,
) -> CrawlSummary:
    """Crawl, process everything fetched, and return the summary. Call once per process (Twisted).

    Raises db.runs.RunLocked when another live run crawls one of the sites into this database, unless
    `wait` (then it polls until the lock is free, telling `on_wait` who holds it). `progress` shows a
    live line on standard error (default: when it is a terminal).
    """
    if db_url.startswith("sqlite") and ":memory:" in db_url or db_url in ("sqlite://", "sqlite:///"):
        raise ValueError("the crawl and its worker are two processes: use a file or server database, not :memory:")
    engine = make_engine(db_url)
    upgrade(engine)
    urls = list(start_urls or [])
    lock_urls = urls or list(DEFAULT_START_URLS)
    stale_after = stale_seconds(heartbeat_seconds)
    if wait:
        handle = wait_and_start_run(engine, lock_urls, on_wait=on_wait, stale_after=stale_after)
    else:
        handle = start_run(engine, lock_urls, stale_after=stale_after)
    status, counts, stats_json = RunStatus.FAILED, None, None
    heartbeat: Heartbeat | None = None
    line = None
    try:
        # read after taking the lock: no other run of these sites stores anything from here on
        versions_before, jobs_before = max_page_version_id(engine), max_job_id(engine)
        process = CrawlerProcess(crawl_settings(db_url, max_pages=max_pages, throttle=throttle, log_level=log_level,
                                                run_id=handle.run_id, job_dir=job_dir, list_depth=list_depth,
                                                revisit=revisit))
        for dead in handle.taken_over:  # logged once Scrapy's logging is set up
            logger.warning("took over the lock of a dead run: %s; that run is marked interrupted", dead.describe_dead())
        crawler = process.create_crawler(ShebaoSpider)
        heartbeat = Heartbeat(engine, handle, crawler, heartbeat_seconds, versions_before, lock_urls)
        heartbeat.start()
        if progress if progress is not None else sys.stderr.isatty():
            from crawler.progress import ProgressLine

            line = ProgressLine(crawler, engine, jobs_before)
            line.start()
        process.crawl(crawler, start_urls=urls or None)
        try:
            process.start()  # returns when the spider has closed and the worker has drained the queue
        finally:
            if line is not None:
                line.stop()
            heartbeat.stop()
        summary = summarize(engine, handle.started_at)
        summary.scrapy_stats = {k: v for k, v in stats_snapshot(crawler).items() if isinstance(v, int | float | str)}
        stored = run_stored(engine, versions_before, lock_urls)
        summary.new_page_versions = stored.page_versions
        counts = run_counts(crawler, engine, versions_before, lock_urls)
        summary.run_id, summary.counts = handle.run_id, counts
        with contextlib.suppress(Exception):  # a last beat: was the lock taken over since the last one?
            beat(engine, handle)
        if handle.lost:
            logger.error("another run took this run's lock over while it ran; this run counts as interrupted")
        summary.lock_lost = handle.lost
        status = run_status(summary.scrapy_stats.get("finish_reason"), handle.lost)
        summary.status = status.value
        stats_json = json.dumps(summary.scrapy_stats, ensure_ascii=False, default=str)
    except KeyboardInterrupt:
        status = RunStatus.INTERRUPTED
        raise
    finally:
        if heartbeat is not None and heartbeat.is_alive():
            heartbeat.stop()
        try:
            finish_run(engine, handle, status, counts, stats_json)  # also on errors: never leave the lock held
        except Exception:
            logger.exception("could not record the end of run %d; its lock is taken over once its heartbeat "
                             "is stale", handle.run_id)
        engine.dispose()
    return summary
