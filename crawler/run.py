"""Run a crawl as a library call: Scrapy in this process (the ProcessingWorker extension runs the worker).

When `run_crawl` returns, every fetched article has been processed (or failed with a logged reason).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy import Engine, func, select

from crawler import settings as default_settings
from crawler.pipelines import STORE_FAILED_REASON
from crawler.spiders.shebao import ShebaoSpider
from db.migrations import upgrade
from db.models import QUALITY_STAGE, Article, CrawlRun, Failure, PageVersion, ProcessJob, RecordRow, Section
from db.session import make_engine, session_scope, utc_now


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

    @property
    def store_failed(self) -> bool:
        """True when the crawl was stopped because the database refused every write (disk full, ...)."""
        return self.scrapy_stats.get("finish_reason") == STORE_FAILED_REASON


def crawl_settings(db_url: str, *, max_pages: int | None = None, throttle: bool = True, log_level: str = "INFO",
                   run_id: int | None = None, job_dir: str | None = None) -> Settings:
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
    if not throttle:  # loopback fixture sites and benchmarks only
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="cmdline")
    return settings


def _start_run(engine: Engine, start_urls: Sequence[str]) -> tuple[int, str]:
    started = utc_now()
    with session_scope(engine) as session:
        run = CrawlRun(started_at=started, start_urls=json.dumps(list(start_urls), ensure_ascii=False))
        session.add(run)
        session.flush()
        return run.id, started


def summarize(engine: Engine, since: str, versions_before: int = 0) -> CrawlSummary:
    """Counts over the whole database, and the failures logged since `since`."""
    with session_scope(engine) as session:
        summary = CrawlSummary(
            articles=session.scalar(select(func.count()).select_from(Article)) or 0,
            page_versions=session.scalar(select(func.count()).select_from(PageVersion)) or 0,
            sections=session.scalar(select(func.count()).select_from(Section)) or 0,
            duplicates=session.scalar(select(func.count()).where(Article.duplicate_of.is_not(None))) or 0,
            pending=session.scalar(select(func.count()).where(ProcessJob.state.in_(("pending", "running")))) or 0,
        )
        summary.new_page_versions = summary.page_versions - versions_before
        rows = session.execute(select(RecordRow.type, func.count()).group_by(RecordRow.type)).all()
        summary.records = {str(t): int(n) for t, n in rows}
        failures = session.execute(
            select(Failure.stage, Failure.url, Failure.reason).where(Failure.at >= since).order_by(Failure.id)
        ).all()
        rows = [(str(s), str(u), str(r)) for s, u, r in failures]
        summary.failures = [row for row in rows if row[0] != QUALITY_STAGE]
        summary.warnings = [row for row in rows if row[0] == QUALITY_STAGE]
    return summary


def run_crawl(
    db_url: str,
    start_urls: Sequence[str] | None = None,
    *,
    max_pages: int | None = None,
    throttle: bool = True,
    log_level: str = "INFO",
    job_dir: str | None = None,
) -> CrawlSummary:
    """Crawl, process everything fetched, and return the summary. Call once per process (Twisted)."""
    if db_url.startswith("sqlite") and ":memory:" in db_url or db_url in ("sqlite://", "sqlite:///"):
        raise ValueError("the crawl and its worker are two processes: use a file or server database, not :memory:")
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as connection:
        versions_before = connection.scalar(select(func.count()).select_from(PageVersion)) or 0
    urls = list(start_urls or [])
    run_id, started = _start_run(engine, urls)
    process = CrawlerProcess(crawl_settings(db_url, max_pages=max_pages, throttle=throttle, log_level=log_level,
                                            run_id=run_id, job_dir=job_dir))
    crawler = process.create_crawler(ShebaoSpider)
    process.crawl(crawler, start_urls=urls or None)
    process.start()  # returns when the spider has closed and the worker has drained the queue
    summary = summarize(engine, started, versions_before)
    summary.scrapy_stats = {k: v for k, v in (crawler.stats.get_stats() if crawler.stats else {}).items()
                            if isinstance(v, int | float | str)}
    with session_scope(engine) as session:
        run = session.get(CrawlRun, run_id)
        if run is not None:
            run.finished_at = utc_now()
            run.stats = json.dumps(summary.scrapy_stats, ensure_ascii=False, default=str)
    engine.dispose()
    return summary
