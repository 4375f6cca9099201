"""Honour `Retry-After` on 429 and 503 before Scrapy's RetryMiddleware retries the request.

The wait is capped (SHEBAO_RETRY_AFTER_MAX seconds), so a server asking for a day costs at most the
cap per retry; only the one request waits, the rest of the crawl goes on. Responses that will not be
retried (retries used up, `dont_retry`) are passed on at once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

logger = logging.getLogger(__name__)
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait per a Retry-After value (delta-seconds or an HTTP date); None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, max_wait: float, max_retry_times: int) -> None:
        self.max_wait = max_wait
        self.max_retry_times = max_retry_times

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED") or settings.getfloat("SHEBAO_RETRY_AFTER_MAX", 30.0) <= 0:
            raise NotConfigured("retries or Retry-After waits are off")
        return cls(settings.getfloat("SHEBAO_RETRY_AFTER_MAX", 30.0), settings.getint("RETRY_TIMES"))

    async def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if response.status not in RETRY_AFTER_STATUSES or request.meta.get("dont_retry"):
            return response
        if request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.max_retry_times):
            return response
        header = response.headers.get(b"Retry-After")
        wait = retry_after_seconds(header.decode("latin-1") if header else None, datetime.now(UTC))
        if wait:
            wait = min(wait, self.max_wait)
            logger.info("%s answered %d with Retry-After: waiting %.0f s before retrying", request.url,
                        response.status, wait)
            from twisted.internet import reactor  # the one Scrapy installed

            await maybe_deferred_to_future(task.deferLater(reactor, wait, lambda: None))
        return response
