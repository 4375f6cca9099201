"""Downloader middleware for incremental crawls: conditional requests for pages already stored.

The spider looks stored articles up in batches off the reactor thread and puts what it found on the
request (meta STORED_META: a db.store.StoredArticle). This middleware turns that into If-None-Match /
If-Modified-Since headers for the page being requested. A 304 goes to the spider as a 304: it knows
from the same lookup how many pages the article has, so nothing is read back from the database here.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.components import database_url_if_enabled
from db.store import StoredArticle, StoredValidators
from normalize.urls import parse_article_url

STORED_META = "shebao_stored"  # request.meta key: the StoredArticle this request revisits
NOT_MODIFIED = 304


def stored_page(request: Request) -> StoredValidators | None:
    """The stored version of the page this request asks for, if the spider attached one."""
    stored = request.meta.get(STORED_META)
    article = parse_article_url(request.url)
    if not isinstance(stored, StoredArticle) or article is None or article.page_no > len(stored.pages):
        return None
    return stored.pages[article.page_no - 1]


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        database_url_if_enabled(crawler.settings, "SHEBAO_CONDITIONAL_REQUESTS")  # NotConfigured when off
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:  # spider: Scrapy < 2.14
        stored = stored_page(request)
        if stored is None:
            return
        if stored.etag:
            request.headers.setdefault(b"If-None-Match", stored.etag.encode("latin-1"))
        if stored.last_modified:
            request.headers.setdefault(b"If-Modified-Since", stored.last_modified.encode("latin-1"))
        if NOT_MODIFIED not in request.meta.get("handle_httpstatus_list", ()):  # the spider reads the 304 itself
            request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", ()), NOT_MODIFIED]

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if response.status == NOT_MODIFIED and stored_page(request) is not None:
            self.stats.inc_value("shebao/not_modified")
        return response
