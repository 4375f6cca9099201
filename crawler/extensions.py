"""Scrapy extension that runs the processing worker in its own process for the length of the crawl.

Whether started by `shebao crawl` or by `scrapy crawl shebao`, pages are processed while they are
fetched, and the crawl ends only when the queue is drained. A worker that dies is replaced by
processing the rest in this process at close, so nothing fetched is left unprocessed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from multiprocessing.process import BaseProcess

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads

from crawler.components import database_url_if_enabled
from crawler.jobdir import mark_closed, mark_running, prepare_job_dir

logger = logging.getLogger(__name__)


class ProcessingWorker:
    def __init__(self, db_url: str) -> None:
        from db.worker import run_worker  # imported here: the normalizers load only when the worker runs

        self.db_url = db_url
        context = multiprocessing.get_context("spawn")  # no forked Twisted reactor in the child
        self.stop = context.Event()
        self.process: BaseProcess = context.Process(
            # our pid: the worker exits when we die, even by SIGKILL (daemon=True only covers a clean exit)
            target=run_worker, args=(db_url, self.stop, 0.1, os.getpid()), name="shebao-worker", daemon=True
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProcessingWorker:
        settings = crawler.settings
        db_url = database_url_if_enabled(settings, "SHEBAO_WORKER_ENABLED")
        extension = cls(db_url)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.process.start()

    async def spider_closed(self, spider: Spider) -> None:
        # Item pipelines flush on close_spider before this signal; wait for the drain off the reactor thread.
        await maybe_deferred_to_future(threads.deferToThread(self._finish))

    def _finish(self) -> None:
        self.stop.set()
        self.process.join()
        if self.process.exitcode != 0:
            from db.session import make_engine
            from db.worker import process_pending, settle_clusters

            logger.error("processing worker exited with %s; processing the rest here", self.process.exitcode)
            engine = make_engine(self.db_url)
            process_pending(engine)
            settle_clusters(engine)
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
