"""robots.txt per RFC 9309: a host whose robots.txt answers 5xx, or never answers, is fully disallowed.

Scrapy's own middleware treats any robots.txt failure as "allow everything", so a disallowed page of a
host with a broken robots.txt was fetched and stored. This subclass keeps Scrapy's parsing and caching
and changes only the error rules.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class RobotsUnavailable(IgnoreRequest):
    """A request dropped because its host's robots.txt could not be read (RFC 9309: full disallow)."""


class DisallowAll(RobotParser):
    """The parser for a host whose robots.txt answered 5xx or not at all: nothing is allowed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> DisallowAll:
        return cls("unreachable")

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class Rfc9309RobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's error rules.

    Scrapy allows everything when robots.txt fails. RFC 9309 §2.3.1: a 4xx ("unavailable") allows all;
    a 5xx or no answer ("unreachable") means complete disallow. Each host is asked once per run, with
    SHEBAO_ROBOTSTXT_TIMEOUT seconds and no retries, so a host that never answers costs one timeout and
    then every request to it is dropped with a reason (RobotsUnavailable), which the spider records.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.robots_timeout = crawler.settings.getfloat("SHEBAO_ROBOTSTXT_TIMEOUT", 10.0)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            # Fetch it ourselves, with a short timeout and no retries, then leave the parser in place.
            self._parsers[netloc] = Deferred()
            scheme = urlparse_cached(request).scheme
            robots_request = Request(
                f"{scheme}://{netloc}/robots.txt",
                priority=self.DOWNLOAD_PRIORITY,
                meta={"dont_obey_robotstxt": True, "download_timeout": self.robots_timeout, "dont_retry": True,
                      "handle_httpstatus_all": True},
                callback=NO_CALLBACK,
            )
            try:
                response = await self._download(robots_request)
                await self._parse_robots(response, netloc, request)
            except Exception as error:  # no answer: unreachable
                self._disallow(netloc, f"robots.txt unreachable ({type(error).__name__}: {error})")
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    async def _download(self, request: Request) -> Response:
        engine = self.crawler.engine
        if hasattr(engine, "download_async"):  # Scrapy >= 2.14
            return await engine.download_async(request)
        return await maybe_deferred_to_future(engine.download(request))

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._disallow(netloc, f"robots.txt answered HTTP {response.status}")
            return
        if 400 <= response.status < 500:  # unavailable: no rules, so the empty body allows everything
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _disallow(self, netloc: str, reason: str) -> None:
        logger.warning("%s: %s; host %s disallowed for this run (RFC 9309)", netloc, reason, netloc)
        self._stats.inc_value("shebao/robots_unreachable")
        pending = self._parsers[netloc]
        self._parsers[netloc] = DisallowAll(reason)
        if isinstance(pending, Deferred):
            pending.callback(self._parsers[netloc])

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, DisallowAll):
            self._stats.inc_value("robotstxt/forbidden")
            raise RobotsUnavailable(f"{rp.reason}: host disallowed for this run (RFC 9309)")
        super().process_request_2(rp, request)
