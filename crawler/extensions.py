"""Scrapy extension that runs the processing worker in its own process for the length of the crawl.

Whether started by `shebao crawl` or by `scrapy crawl shebao`, pages are processed while they are
fetched, and the crawl ends only when the queue is drained. A worker that dies is replaced by
processing the rest in this process at close, so nothing fetched is left unprocessed; a worker that
finishes no job for SHEBAO_WORKER_JOIN_TIMEOUT seconds at the end is stopped and reported (a `worker`
failure row and an error line), its jobs left queued for `shebao process`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from multiprocessing.process import BaseProcess

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads

from crawler.components import database_url_if_enabled
from crawler.jobdir import mark_closed, mark_running, prepare_job_dir
from db.jobs import DEFAULT_LEASE_SECONDS, DEFAULT_MAX_ATTEMPTS, QueueSettings

logger = logging.getLogger(__name__)
JOIN_POLL_SECONDS = 5.0


class ProcessingWorker:
    def __init__(self, db_url: str, queue: QueueSettings | None = None, join_timeout: float = 600.0,
                 log_level: str = "INFO") -> None:
        from db.worker import run_worker  # imported here: the normalizers load only when the worker runs

        self.db_url = db_url
        self.join_timeout = join_timeout
        context = multiprocessing.get_context("spawn")  # no forked Twisted reactor in the child
        self.stop = context.Event()
        self.done = context.Value("q", 0)  # batches the worker has finished: progress, for the join timeout
        self.process: BaseProcess = context.Process(
            # our pid: the worker exits when we die, even by SIGKILL (daemon=True only covers a clean exit)
            target=run_worker, args=(db_url, self.stop, 0.1, os.getpid(), queue, self.done, log_level),
            name="shebao-worker", daemon=True,
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProcessingWorker:
        settings = crawler.settings
        db_url = database_url_if_enabled(settings, "SHEBAO_WORKER_ENABLED")
        queue = QueueSettings(settings.getfloat("SHEBAO_JOB_LEASE_SECONDS", DEFAULT_LEASE_SECONDS),
                              settings.getint("SHEBAO_JOB_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
        extension = cls(db_url, queue, settings.getfloat("SHEBAO_WORKER_JOIN_TIMEOUT", 600.0),
                        str(settings.get("LOG_LEVEL", "INFO")).upper())
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.process.start()

    async def spider_closed(self, spider: Spider) -> None:
        # Item pipelines flush on close_spider before this signal; wait for the drain off the reactor thread.
        await maybe_deferred_to_future(threads.deferToThread(self._finish))

    def _join(self) -> bool:
        """Wait for the worker to drain and exit; False when it finished no job for `join_timeout` seconds."""
        last_done, last_change = -1, time.monotonic()
        while self.process.is_alive():
            self.process.join(min(JOIN_POLL_SECONDS, self.join_timeout))
            done = int(self.done.value)
            if done != last_done or done < 0:  # progress, or drained and re-clustering (bounded work)
                last_done, last_change = done, time.monotonic()
            elif time.monotonic() - last_change > self.join_timeout:
                return False
        return True

    def _finish(self) -> None:
        from db.session import make_engine
        from db.worker import process_pending, settle_clusters

        self.stop.set()
        if not self._join():
            self.process.terminate()
            self.process.join(10)
            if self.process.is_alive():
                self.process.kill()
            reason = (f"the processing worker finished no job for {self.join_timeout:.0f} s "
                      "(SHEBAO_WORKER_JOIN_TIMEOUT) and was stopped; its jobs stay queued: run `shebao process`")
            logger.error(reason)
            self._record_failure(reason)
            return
        if self.process.exitcode != 0:
            logger.error("processing worker exited with %s; processing the rest here", self.process.exitcode)
            engine = make_engine(self.db_url)
            process_pending(engine)
            settle_clusters(engine)
            engine.dispose()

    def _record_failure(self, reason: str) -> None:
        from db.models import Failure
        from db.session import make_engine, session_scope, utc_now

        engine = make_engine(self.db_url)
        try:
            with session_scope(engine) as session:
                # no URL to name (and the database URL may hold a password)
                session.add(Failure(url="(processing worker)", stage="worker", reason=reason, at=utc_now()))
        except Exception:  # the reason is in the log already; the failure row is a convenience
            logger.exception("could not record the worker's failure")
        finally:
            engine.dispose()


class JobDirGuard:
    """Resume a JOBDIR only when its queue survived; otherwise reset it before the scheduler opens it.

    Created with the crawler, before the engine builds the scheduler and its dupefilter, so a reset
    takes effect for this run. See crawler.jobdir for the rules.
    """

    def __init__(self, job_dir: str) -> None:
        self.job_dir = job_dir
        prepare_job_dir(job_dir)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobDirGuard:
        job_dir = crawler.settings.get("JOBDIR")
        if not job_dir:
            raise NotConfigured("JOBDIR is not set")
        extension = cls(str(job_dir))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        mark_running(self.job_dir)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        mark_closed(self.job_dir, reason)
