"""Downloader middleware for incremental crawls: conditional requests for pages already stored.

A stored article page is requested with If-None-Match / If-Modified-Since. On 304 the stored body is
put back into the response (flag "stored"), so the spider follows continuation pages as usual and the
store sees an unchanged hash: nothing is downloaded again and nothing new is written.
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.http.headers import Headers
from scrapy.responsetypes import responsetypes

from crawler.components import database_url_if_enabled
from db.migrations import upgrade
from db.session import make_engine
from db.store import StoredValidators, load_page_body, load_validators
from normalize.urls import parse_article_url

logger = logging.getLogger(__name__)


class ConditionalRequestMiddleware:
    def __init__(self, db_url: str, crawler: Crawler) -> None:
        self.engine = make_engine(db_url)
        self.stats = crawler.stats
        self.validators: dict[tuple[int, int], StoredValidators] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        settings = crawler.settings
        db_url = database_url_if_enabled(settings, "SHEBAO_CONDITIONAL_REQUESTS")
        middleware = cls(db_url, crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        upgrade(self.engine)
        self.validators = load_validators(self.engine)
        logger.info("conditional requests: %d stored pages known", len(self.validators))

    def _stored(self, request: Request) -> StoredValidators | None:
        article = parse_article_url(request.url)
        if article is None:
            return None
        return self.validators.get((article.article_id, article.page_no))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:  # spider: Scrapy < 2.14
        stored = self._stored(request)
        if stored is None:
            return
        if stored.etag:
            request.headers.setdefault(b"If-None-Match", stored.etag.encode("latin-1"))
        if stored.last_modified:
            request.headers.setdefault(b"If-Modified-Since", stored.last_modified.encode("latin-1"))

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if response.status != 304:
            return response
        stored = self._stored(request)
        if stored is None:
            return response
        body, content_type = load_page_body(self.engine, stored.page_version_id)
        self.stats.inc_value("shebao/not_modified")
        headers = Headers(response.headers)
        if content_type:
            headers[b"Content-Type"] = content_type.encode("latin-1")
        if stored.etag:
            headers.setdefault(b"ETag", stored.etag.encode("latin-1"))
        if stored.last_modified:
            headers.setdefault(b"Last-Modified", stored.last_modified.encode("latin-1"))
        # responsetypes picks HtmlResponse from the headers, as for a fresh download
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request, flags=["stored"])
