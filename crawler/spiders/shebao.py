"""The 社保网 spider: follow list pages and article links, stitch `_2`/`_3` pages, yield raw pages.

It parses nothing but links: article URLs are recognised by shape (normalize.urls), continuation pages
are requested before the article is handed on, and every body is yielded as received (bytes).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from crawler.robots import RobotsUnavailable
from crawler.scope import ListLimits, redirect_problem
from db.session import utc_now
from normalize.urls import (
    ArticleUrl,
    continuation_url,
    parse_article_url,
    parse_list_url,
    site_key,
    url_site_key,
)
from schema.records import ArticleAliasSeen, FetchedArticle, FetchedPage, FetchFailure

try:  # Scrapy >= 2.14 names its own; earlier versions raise Twisted's CancelledError
    from scrapy.exceptions import DownloadCancelledError
except ImportError:  # pragma: no cover
    DownloadCancelledError = CancelledError

# The real site's category list pages (mobile host; the spider treats m./pic./desktop as one site).
DEFAULT_START_URLS = (
    "https://m.shebao.southmoney.com/yiliao/yibaozhishi/",
    "https://m.shebao.southmoney.com/dongtai/",
    "https://m.shebao.southmoney.com/yanglao/xinwen/",
    "https://m.shebao.southmoney.com/yanglao/geren/",
)
ROBOTS_FORBIDDEN = "Forbidden by robots.txt"  # Scrapy's IgnoreRequest message for a disallowed URL
OFFSITE_FILTERED = "Filtered offsite request"  # Scrapy's message for a request outside allowed_domains
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
MAX_PAGES_PER_ARTICLE = 20  # a runaway "_N" chain is cut here (setting SHEBAO_MAX_PAGES_PER_ARTICLE)


def _as_list(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [u.strip() for u in value.split(",") if u.strip()]
    return list(value)


class ShebaoSpider(scrapy.Spider):
    name = "shebao"

    def __init__(self, start_urls: str | list[str] | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = _as_list(start_urls) or list(DEFAULT_START_URLS)
        hosts = {urlsplit(u).hostname or "" for u in self.start_urls}
        # OffsiteMiddleware matches host names without ports; m./pic. mirrors are subdomains of the site key.
        self.allowed_domains = sorted({site_key(h) for h in hosts if h})
        # ... so links are also checked here with the port: another port on the same host is another site.
        self.site_keys = frozenset(url_site_key(u) for u in self.start_urls)
        self.first_url_by_id: dict[int, str] = {}
        self.limits = ListLimits()
        self.max_pages_per_article = MAX_PAGES_PER_ARTICLE
        self.max_redirects = 20  # REDIRECT_MAX_TIMES
        self.max_download_size = 0  # DOWNLOAD_MAXSIZE, for failure reasons
        self.listed: set[str] = set()  # list pages requested this run (bounded by limits.max_list_pages)
        self.list_cap_reported = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ShebaoSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.limits = ListLimits.from_settings(crawler.settings)
        spider.max_pages_per_article = crawler.settings.getint("SHEBAO_MAX_PAGES_PER_ARTICLE", MAX_PAGES_PER_ARTICLE)
        spider.max_redirects = crawler.settings.getint("REDIRECT_MAX_TIMES", spider.max_redirects)
        spider.max_download_size = crawler.settings.getint("DOWNLOAD_MAXSIZE", 0)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield self._start_request(url)

    def _start_request(self, url: str) -> Request:
        """A start URL is always fetched: a resumed JOBDIR has it in its seen-file, and filtering it
        there would end the run before it began."""
        article = parse_article_url(url)
        if article is not None:
            return _request(article.first_page_url, self.parse_article, self.on_error, dont_filter=True)
        return _request(url, self.parse_listing, self.on_error, dont_filter=True)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if response.status in REDIRECT_STATUSES:
            yield from self._redirect(response, expects_article=False)
            return
        yield from self._discover(response, on_list_page=parse_list_url(response.url, self.limits.folder_depth) is not None)

    def _discover(self, response: Response, on_list_page: bool = False) -> Iterator[Any]:
        """Requests for list pages and new articles linked from this page; aliases for known articles."""
        if not isinstance(response, TextResponse):
            return
        links = [response.urljoin(href.strip()) for href in response.css("a::attr(href)").getall()]
        links = [u for u in links if u.startswith(("http://", "https://")) and url_site_key(u) in self.site_keys]
        articles = [article for u in links if (article := parse_article_url(u)) is not None]
        # A list page without a single article ends its pagination: `index_N` for every N stops here.
        paginate = not on_list_page or bool(articles)
        for url in links:
            if parse_article_url(url) is None:
                yield from self._list_request(url, paginate)
        for article in articles:
            known = self.first_url_by_id.get(article.article_id)
            if known is None:
                self.first_url_by_id[article.article_id] = article.first_page_url
                yield _request(article.first_page_url, self.parse_article, self.on_error)
            elif known != article.first_page_url and urlsplit(known).path == urlsplit(article.first_page_url).path:
                yield ArticleAliasSeen(article.article_id, article.first_page_url)

    def _list_request(self, url: str, paginate: bool) -> Iterator[Any]:
        """A request for a list page within the run's limits (crawler.scope); nothing for any other URL."""
        listing = parse_list_url(url, self.limits.folder_depth)
        if listing is None or listing.url in self.listed:
            return
        if listing.page_no > 1 and (not paginate or listing.page_no > self.limits.max_page_number):
            return
        if len(self.listed) >= self.limits.max_list_pages:
            if not self.list_cap_reported:  # said once: the rest of the lists are out of scope for this run
                self.list_cap_reported = True
                yield FetchFailure(url, f"list page cap reached: {self.limits.max_list_pages} list pages this run "
                                        "(SHEBAO_LIST_MAX_PAGES); further list pages not followed")
            return
        self.listed.add(listing.url)
        yield _request(listing.url, self.parse_listing, self.on_error)

    def parse_article(self, response: Response) -> Iterator[Any]:
        if response.status in REDIRECT_STATUSES:
            yield from self._redirect(response, expects_article=True)
            return
        article = parse_article_url(response.url)
        pages: list[FetchedPage] = response.meta.get("pages", [])
        problem = _article_response_problem(response, article, len(pages) + 1)
        if problem or article is None:
            yield FetchFailure(response.url, problem or "not an article page")
            if pages:  # keep the pages fetched before this one
                meta = response.meta
                yield FetchedArticle(meta["article_id"], meta["first_url"], pages, complete=False)
            return
        pages = [*pages, _page(response, article.page_no)]
        first_url = response.meta.get("first_url", article.first_page_url)
        self.first_url_by_id.setdefault(article.article_id, first_url)
        next_url = continuation_url(article.first_page_url, article.page_no + 1)
        has_next = any(response.urljoin(h) == next_url for h in response.css("a::attr(href)").getall())
        if has_next and article.page_no >= self.max_pages_per_article:
            # An endless `_N` chain: keep what we have, but never call it complete.
            yield FetchFailure(next_url, f"continuation chain cut at {self.max_pages_per_article} pages "
                                         "(SHEBAO_MAX_PAGES_PER_ARTICLE); article stored incomplete")
            yield FetchedArticle(article.article_id, first_url, pages, complete=False)
        elif has_next:
            meta = {"pages": pages, "first_url": first_url, "article_id": article.article_id}
            yield _request(next_url, self.parse_article, self.on_continuation_error, meta=meta)
        else:
            yield FetchedArticle(article.article_id, first_url, pages)
        if article.page_no == 1:
            yield from self._discover(response)

    def _redirect(self, response: Response, expects_article: bool) -> Iterator[Any]:
        """Follow a redirect ourselves, so a loop, a self-redirect or an off-site or non-article target is
        a failure row with its reason instead of a request Scrapy drops without a word."""
        chain: list[str] = [*response.meta.get("redirect_chain", []), response.url]
        location = response.headers.get(b"Location")
        target = response.urljoin(safe_url_string(location.decode("latin-1"))) if location else None
        problem = redirect_problem(chain, target, self.site_keys, expects_article, self.max_redirects)
        if problem is None and target is not None:
            # A continuation request carries the article's pages: never let the dupefilter drop it silently.
            continuing = bool(response.meta.get("pages")) or response.request.dont_filter
            yield response.request.replace(url=target, meta={**response.meta, "redirect_chain": chain},
                                           dont_filter=continuing)
            return
        yield FetchFailure(chain[0], f"HTTP {response.status}: {problem}")
        if response.meta.get("pages"):  # a continuation page: keep the pages we have, marked incomplete
            meta = response.meta
            yield FetchedArticle(meta["article_id"], meta["first_url"], meta["pages"], complete=False)

    def on_continuation_error(self, failure: Failure) -> Iterator[Any]:
        """A missing `_N` page: keep the pages we have (marked incomplete) and say why."""
        request = failure.request  # type: ignore[attr-defined]
        yield FetchFailure(request.url, f"continuation page failed: {_failure_reason(failure, self.max_download_size)}")
        meta = request.meta
        yield FetchedArticle(meta["article_id"], meta["first_url"], meta["pages"], complete=False)

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(IgnoreRequest) and not failure.check(HttpError) and OFFSITE_FILTERED in str(failure.value):
            return  # out of scope by design, not a loss (Scrapy counts it)
        # Everything else is a page lost, and says why: robots.txt, a gzip bomb, a size cap, HTTP errors.
        yield FetchFailure(request.url, _failure_reason(failure, self.max_download_size))


def _article_response_problem(response: Response, article: ArticleUrl | None, expected_page: int) -> str | None:
    """Why this response cannot be page `expected_page` of an article, or None when it can."""
    if article is None:
        return "redirected to a URL that is not an article page"
    if article.page_no != expected_page:
        return f"expected page {expected_page} of article {article.article_id}, got page {article.page_no}"
    if not isinstance(response, TextResponse):
        return f"not an HTML page ({_header(response.headers, b'Content-Type') or 'no Content-Type'})"
    return None


def _failure_reason(failure: Failure, max_download_size: int = 0) -> str:
    """A failure row's reason: what happened to the request, in words an operator can act on."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(RobotsUnavailable):
        return str(failure.value)
    if failure.check(IgnoreRequest) and ROBOTS_FORBIDDEN in str(failure.value):
        return "disallowed by robots.txt"
    message = failure.getErrorMessage().strip()
    if failure.check(IgnoreRequest):
        return f"dropped: {message}"  # e.g. a gzip bomb, "decompressed size larger than max size"
    if failure.check(DownloadCancelledError, CancelledError) and not message:
        # Scrapy cancels a body that outgrows DOWNLOAD_MAXSIZE without Content-Length, and says nothing.
        return (f"dropped: the body grew past the size cap ({max_download_size} bytes, DOWNLOAD_MAXSIZE) "
                "while downloading (no Content-Length)")
    return f"{failure.type.__name__}: {message or 'no message'}"


def _request(url: str, callback: Any, errback: Any, **kwargs: Any) -> Request:
    """A request whose redirects come back to the spider (see ShebaoSpider._redirect)."""
    meta = {**kwargs.pop("meta", {}), "dont_redirect": True, "handle_httpstatus_list": list(REDIRECT_STATUSES)}
    return Request(url, callback=callback, errback=errback, meta=meta, **kwargs)


def _page(response: Response, page_no: int) -> FetchedPage:
    headers = response.headers
    return FetchedPage(
        url=response.url,
        page_no=page_no,
        status=response.status,
        body=response.body,
        content_type=_header(headers, b"Content-Type"),
        fetched_at=utc_now(),
        etag=_header(headers, b"ETag"),
        last_modified=_header(headers, b"Last-Modified"),
    )


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None
