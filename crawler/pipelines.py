"""Scrapy item pipeline: hand fetched pages to db.store in small batched transactions.

Thin by design: all storage logic is in db.store and processing happens in the worker process; the
writes themselves run in a thread, so the fetch loop only pays for putting an item on a queue. The
queue is bounded (SHEBAO_STORE_QUEUE_MAX items): when it is full, `process_item` returns a Deferred that
fires once the writer has made room, and Scrapy stops taking new responses meanwhile (backpressure), so a
slow database holds the crawl back instead of buffering raw pages in memory.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import threads
from twisted.internet.defer import Deferred

from crawler.components import database_url_if_enabled
from db.migrations import upgrade
from db.schedule import (
    DEFAULT_INITIAL_INTERVAL,
    DEFAULT_MAX_INTERVAL,
    DEFAULT_MIN_INTERVAL,
    ListPageWalked,
    RevisitPolicy,
    VisitOutcome,
)
from db.session import make_engine, session_scope
from db.store import (
    prepare_pages,
    raise_pass_depth,
    record_fetch_failures,
    record_visits,
    store_alias,
    store_articles,
    store_failure,
)
from schema.records import ArticleAliasSeen, FetchedArticle, FetchFailure

logger = logging.getLogger(__name__)
_STOP = object()  # queued by close_spider: write what is left, then end the thread
FLUSH_SECONDS = 0.5
STORE_FAILED_REASON = "shebao_store_failed"  # the close reason when the database refuses every write
STORE_QUEUE_MAX = 400  # items waiting for the writer (two batches): raw pages held in memory are bounded
OUTCOME_STATS = {
    VisitOutcome.NEW: "shebao/articles_new",
    VisitOutcome.CHANGED: "shebao/articles_changed",
    VisitOutcome.UNCHANGED: "shebao/articles_unchanged",
}


def _one_line(error: BaseException) -> str:
    """An exception as one short line (SQLAlchemy appends the statement and its parameters)."""
    text = str(error).split("\n", 1)[0]
    return f"{type(error).__name__}: {text[:300]}"


class StorePipeline:
    """Queue items for a writer thread that commits them in batches of up to `SHEBAO_STORE_BATCH`.

    The thread keeps database waits (SQLite's write lock is shared with the processing worker) off the
    reactor thread, so fetching never pauses for a commit. `close_spider` waits until all is written.
    """

    def __init__(self, db_url: str, batch_size: int, run_id: int | None, crawler: Crawler,
                 queue_max: int = STORE_QUEUE_MAX, policy: RevisitPolicy | None = None) -> None:
        self.engine = make_engine(db_url)
        self.batch_size = batch_size
        self.run_id = run_id
        self.stats = crawler.stats
        self.crawler = crawler
        self.max_failures = crawler.settings.getint("SHEBAO_STORE_MAX_CONSECUTIVE_FAILURES", 5)
        self.consecutive_failures = 0
        self.store_broken = False  # set from the writer thread once the database refuses every write
        self.policy = policy or RevisitPolicy()
        # Bounded: put_nowait from the reactor thread; items that find it full wait in `waiting` (reactor side)
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=max(1, queue_max))
        self.waiting: deque[tuple[Any, Deferred[Any]]] = deque()
        self.thread = threading.Thread(target=self._drain, name="shebao-store", daemon=True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        db_url = database_url_if_enabled(settings, "SHEBAO_STORE_ENABLED")
        run_id = settings.getint("SHEBAO_RUN_ID") or None
        policy = RevisitPolicy(
            initial=settings.getint("SHEBAO_REVISIT_INITIAL_SECONDS", DEFAULT_INITIAL_INTERVAL),
            minimum=settings.getint("SHEBAO_REVISIT_MIN_SECONDS", DEFAULT_MIN_INTERVAL),
            maximum=settings.getint("SHEBAO_REVISIT_MAX_SECONDS", DEFAULT_MAX_INTERVAL),
        )
        return cls(db_url, settings.getint("SHEBAO_STORE_BATCH", 200), run_id, crawler,
                   settings.getint("SHEBAO_STORE_QUEUE_MAX", STORE_QUEUE_MAX), policy)

    def open_spider(self, spider: object = None) -> None:  # spider: Scrapy < 2.14 passes it
        upgrade(self.engine)
        self.thread.start()

    def process_item(self, item: Any, spider: object = None) -> Any:
        """Queue the item; when the queue is full, a Deferred that fires once it is queued (Scrapy waits)."""
        if not self.waiting:
            try:
                self.queue.put_nowait(item)
                return item
            except queue.Full:
                pass
        self.stats.inc_value("shebao/store_backpressure")
        waiter: Deferred[Any] = Deferred()
        self.waiting.append((item, waiter))
        return waiter

    def _admit_waiting(self) -> None:
        """In the reactor thread (called by the writer after it took items): queue waiting items while room lasts."""
        while self.waiting:
            item, waiter = self.waiting[0]
            try:
                self.queue.put_nowait(item)
            except queue.Full:
                return
            self.waiting.popleft()
            waiter.callback(item)

    async def close_spider(self, spider: object = None) -> None:
        self._admit_waiting()  # nothing waits by now (Scrapy closes pipelines after every item); just in case
        for item, waiter in list(self.waiting):
            await maybe_deferred_to_future(threads.deferToThread(self.queue.put, item))
            waiter.callback(item)
        self.waiting.clear()
        await maybe_deferred_to_future(threads.deferToThread(self.queue.put, _STOP))
        await maybe_deferred_to_future(threads.deferToThread(self._join))

    def _join(self) -> None:
        self.thread.join()
        self.engine.dispose()

    def _drain(self) -> None:
        """Collect items for up to FLUSH_SECONDS (or a full batch), then write them in one transaction.

        Few, short write transactions leave SQLite's single write lock free most of the time for the
        processing worker, which otherwise starves while the crawl commits every few milliseconds.
        """
        stopping = False
        while not stopping:
            items = [self._next_item()]
            deadline = time.monotonic() + FLUSH_SECONDS
            while len(items) < self.batch_size and items[-1] is not _STOP:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    items.append(self.queue.get(timeout=remaining))
                except queue.Empty:
                    break
            if items[-1] is _STOP:
                stopping = True
                items.pop()
            if self.waiting:  # room was made: let waiting items in (a reactor-thread job)
                self._call_in_reactor(self._admit_waiting)
            self.flush(items)

    def _next_item(self) -> Any:
        """The next queued item; while none comes, waiting items are let in (the queue may have room)."""
        while True:
            try:
                return self.queue.get(timeout=FLUSH_SECONDS)
            except queue.Empty:
                if self.waiting:
                    self._call_in_reactor(self._admit_waiting)

    def _call_in_reactor(self, function: Any) -> None:
        from twisted.internet import reactor  # the one Scrapy installed, imported where it runs

        reactor.callFromThread(function)

    def flush(self, items: list[Any]) -> None:
        if not items:
            return
        if self.store_broken:  # the crawl is closing: nothing more can be written, say how much once at close
            self.stats.inc_value("shebao/store_skipped", len(items))
            return
        try:
            self._write(items)
            self.consecutive_failures = 0
        except Exception as error:  # one bad item must not lose the batch: retry one by one
            logger.warning("batch write failed (%s); writing %d items one by one", _one_line(error), len(items))
            logger.debug("batch write failure", exc_info=True)
            for item in items:
                if self.store_broken:
                    self.stats.inc_value("shebao/store_skipped")
                    continue
                try:
                    self._write([item])
                    self.consecutive_failures = 0
                except Exception as item_error:
                    self._record_store_failure(item, item_error)

    def _record_store_failure(self, item: Any, error: Exception) -> None:
        """An item that cannot be stored even alone: its URL and the reason go to the failure table.

        After `max_failures` in a row the database is taken to refuse every write (disk full, read-only,
        gone): the crawl is stopped with one clear message instead of fetching on and failing every store.
        """
        url = getattr(item, "url", repr(item)[:200])
        self.consecutive_failures += 1
        self.stats.inc_value("shebao/store_failed")
        logger.error("could not store %s: %s", url, _one_line(error))
        logger.debug("store failure", exc_info=True)
        try:
            with session_scope(self.engine) as session:
                store_failure(session, FetchFailure(url, f"{type(error).__name__}: {error}", stage="store"), self.run_id)
        except Exception:  # the database itself is gone: the log line above is all we can leave
            logger.debug("could not record the store failure of %s", url, exc_info=True)
        if self.consecutive_failures >= self.max_failures:
            self.store_broken = True
            logger.critical("the database refused %d writes in a row (last: %s); stopping the crawl. What was "
                            "stored is kept: free disk space or fix the database, then run the same command again",
                            self.consecutive_failures, _one_line(error))
            self._call_in_reactor(self._close_crawl)

    def _close_crawl(self) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        if hasattr(engine, "close_spider_async"):  # Scrapy >= 2.14
            deferred_from_coro(engine.close_spider_async(reason=STORE_FAILED_REASON))
        else:
            engine.close_spider(self.crawler.spider, STORE_FAILED_REASON)

    def _write(self, items: list[Any]) -> None:
        articles = [(item, prepare_pages(item)) for item in items if isinstance(item, FetchedArticle)]
        counts: list[str] = []
        with session_scope(self.engine) as session:  # only database work inside the transaction
            results = store_articles(session, articles)
            visits = [(fetched.article_id, fetched.url, result.outcome if fetched.complete else VisitOutcome.INCOMPLETE)
                      for (fetched, _), result in zip(articles, results, strict=True)]
            now = datetime.now(UTC)  # failures first: an article also stored in this batch (another host) wins
            record_fetch_failures(session, [i.url for i in items if isinstance(i, FetchFailure)], self.policy, now)
            record_visits(session, visits, self.policy, now)
            for result in results:
                counts.append(OUTCOME_STATS[result.outcome])
                if result.queued:
                    counts.append("shebao/articles_queued")
            for item in items:
                if isinstance(item, ListPageWalked):
                    raise_pass_depth(session, item.list_url, item.page_no)
                if isinstance(item, ArticleAliasSeen):
                    store_alias(session, item)
                    self.stats.inc_value("shebao/aliases")
                elif isinstance(item, FetchFailure):
                    logger.warning("fetch failed: %s (%s)", item.url, item.reason)
                    store_failure(session, item, self.run_id)
                    counts.append("shebao/fetch_failures")
        for key in counts:  # counted once committed: a batch retried item by item is not counted twice
            self.stats.inc_value(key)
