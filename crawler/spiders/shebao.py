"""The 社保网 spider: follow list pages and article links, stitch `_2`/`_3` pages, yield raw pages.

It parses nothing but links: article URLs are recognised by shape (normalize.urls), continuation pages
are requested before the article is handed on, and every body is yielded as received (bytes).

Re-crawl cost follows change (db.schedule): a list's pages are walked one after another, newest first,
and the walk stops after SHEBAO_LIST_DEPTH pages showing no article the database lacks (never where that
could leave a hole). Stored articles are requested only when their revisit is due (SHEBAO_REVISIT), with
conditional headers; which ids are stored is looked up per page, in one small query off the reactor thread.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy import Engine
from twisted.internet import threads
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from crawler.middlewares import NOT_MODIFIED, STORED_META
from crawler.robots import RobotsUnavailable
from crawler.scope import ListLimits, list_key, redirect_problem
from db.schedule import (
    DEFAULT_LIST_DEPTH,
    ListPageWalked,
    ListProgressState,
    RevisitMode,
    may_stop_list,
)
from db.session import make_engine, session_scope, utc_now
from db.store import (
    StoredArticle,
    due_article_ids,
    finish_list_passes,
    list_progress,
    scheduled_urls,
    stored_articles,
)
from normalize.urls import (
    ArticleUrl,
    ListUrl,
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
logger = logging.getLogger(__name__)
REVISIT_BATCH = 500  # due articles fetched from the schedule per query (setting SHEBAO_REVISIT_BATCH)
T = TypeVar("T")


@dataclass(slots=True)
class ListWalk:
    """One list's walk in this run: its stored progress and the pages in a row that showed nothing new."""

    progress: ListProgressState
    pages_without_new: int = 0
    parsed: set[int] = field(default_factory=set)  # page numbers parsed this run (a list page linked twice)


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
        # list pages requested this run, as (list, page number): `/c/` and `/c/index.html` are one page
        self.listed: set[tuple[str, int]] = set()  # bounded by limits.max_list_pages
        self.list_cap_reported = False
        self.engine: Engine | None = None  # set from SHEBAO_DB_URL: without it every article counts as new
        self.list_depth = DEFAULT_LIST_DEPTH
        self.revisit = RevisitMode.DUE
        self.revisit_batch = REVISIT_BATCH
        self.stored_ids: set[int] = set()  # ids this run found stored (ints only: flat enough at any size)
        self.walks: dict[str, ListWalk] = {}  # list key → its walk (a handful of lists per site)
        self.ended_passes: dict[str, int] = {}  # list key → depth of a walk that reached its end or a stop
        self.now = utc_now()  # "due" means due when the run started

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ShebaoSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.limits = ListLimits.from_settings(crawler.settings)
        spider.max_pages_per_article = crawler.settings.getint("SHEBAO_MAX_PAGES_PER_ARTICLE", MAX_PAGES_PER_ARTICLE)
        spider.max_redirects = crawler.settings.getint("REDIRECT_MAX_TIMES", spider.max_redirects)
        spider.max_download_size = crawler.settings.getint("DOWNLOAD_MAXSIZE", 0)
        spider.list_depth = crawler.settings.getint("SHEBAO_LIST_DEPTH", DEFAULT_LIST_DEPTH)
        revisit = str(crawler.settings.get("SHEBAO_REVISIT", RevisitMode.DUE.value))
        if revisit not in {mode.value for mode in RevisitMode}:
            raise ValueError(f"SHEBAO_REVISIT must be due, all or none, not {revisit!r}")
        spider.revisit = RevisitMode(revisit)
        spider.revisit_batch = crawler.settings.getint("SHEBAO_REVISIT_BATCH", REVISIT_BATCH)
        db_url = crawler.settings.get("SHEBAO_DB_URL")
        if db_url and crawler.settings.getbool("SHEBAO_STORE_ENABLED", True):
            spider.engine = make_engine(str(db_url))
        crawler.signals.connect(spider.record_finished_passes, signal=scrapy.signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield self._start_request(url)
        # Then the stored articles whose revisit is due, a batch at a time (never the whole schedule).
        after_id = 0
        while self.engine is not None and self.revisit is not RevisitMode.NONE:
            try:
                batch = await self._off_reactor(self._due_batch, after_id)
            except Exception as error:  # the lists are still walked; due articles wait for the next run
                logger.error("could not read the revisit schedule (%s: %s); no due article is revisited this run",
                             type(error).__name__, str(error).split("\n", 1)[0][:300])
                break
            if not batch:
                break
            after_id = batch[-1][0]
            for article_id, url, stored in batch:
                if article_id in self.first_url_by_id or url_site_key(url) not in self.site_keys:
                    continue
                if stored is not None:
                    yield self._revisit_request(stored, url)
                else:  # never stored: its first fetch failed, and its retry is due
                    self.first_url_by_id[article_id] = url
                    self._count("shebao/articles_retried")
                    yield _request(url, self.on_article, self.on_error)

    async def _off_reactor(self, function: Callable[..., T], *args: Any) -> T:
        """Run a database lookup in a thread: the reactor thread never waits for the database."""
        return await maybe_deferred_to_future(threads.deferToThread(function, *args))

    def _due_batch(self, after_id: int) -> list[tuple[int, str, StoredArticle | None]]:
        """The next due articles: (id, URL, what is stored or None for a failed first fetch), in id order."""
        assert self.engine is not None
        with self.engine.connect() as connection:
            ids = due_article_ids(connection, self.now, after_id, self.revisit_batch, self.revisit)
            found = stored_articles(connection, ids, self.now, self.revisit)
            urls = scheduled_urls(connection, [i for i in ids if i not in found])
        return [(i, found[i].url, found[i]) if i in found else (i, urls[i], None) for i in ids if i in found or i in urls]

    def _lookup(self, article_ids: Sequence[int], list_url: str | None) -> tuple[dict[int, StoredArticle], ListProgressState | None]:
        """The stored ones among one page's article ids, and the list's progress on its first sight."""
        if self.engine is None:
            return {}, ListProgressState() if list_url else None
        with self.engine.connect() as connection:
            found = stored_articles(connection, article_ids, self.now, self.revisit) if article_ids else {}
            progress = list_progress(connection, list_url) if list_url else None
        return found, progress

    def _revisit_request(self, stored: StoredArticle, url: str) -> Request:
        """A conditional request for a stored article that is due (its pages' validators ride along)."""
        self.first_url_by_id[stored.article_id] = url
        self.stored_ids.add(stored.article_id)
        self._count("shebao/articles_revisited")
        return _request(url, self.on_article, self.on_error, meta={STORED_META: stored})

    def _count(self, key: str) -> None:
        crawler = getattr(self, "crawler", None)  # absent when a test builds the spider by hand
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value(key)

    async def record_finished_passes(self, spider: scrapy.Spider, reason: str) -> None:
        """At a finished run's end, the lists walked to their end or to a stop count as finished passes.

        Only then: a run that was stopped or killed may have queued articles of its last list pages that
        it never stored, so its pass stays unfinished and the next run descends at least as deep.
        """
        if spider is not self or reason != "finished" or not self.ended_passes or self.engine is None:
            return
        await self._off_reactor(self._write_finished_passes)

    def _write_finished_passes(self) -> None:
        assert self.engine is not None
        with session_scope(self.engine) as session:
            finish_list_passes(session, self.ended_passes)

    def _start_request(self, url: str) -> Request:
        """A start URL is always fetched: a resumed JOBDIR has it in its seen-file, and filtering it
        there would end the run before it began."""
        article = parse_article_url(url)
        if article is not None:
            return _request(article.first_page_url, self.on_article, self.on_error, dont_filter=True)
        return _request(url, self.parse_listing, self.on_error, dont_filter=True)

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        if response.status in REDIRECT_STATUSES:
            for item in self._redirect(response, expects_article=False):
                yield item
            return
        async for item in self._discover(response, parse_list_url(response.url, self.limits.folder_depth)):
            yield item

    async def on_article(self, response: Response) -> AsyncIterator[Any]:
        """An article page: its items (parse_article), then what a freshly fetched first page links to."""
        for item in self.parse_article(response):
            yield item
        article = parse_article_url(response.url)
        if response.status == 200 and article is not None and article.page_no == 1:
            async for item in self._discover(response, None):
                yield item

    async def _discover(self, response: Response, listing: ListUrl | None) -> AsyncIterator[Any]:
        """Requests for lists and for articles linked from this page that are new or due; aliases for known ones.

        On a list page (`listing`), its next page is requested only while the stop rule lets the walk go on.
        """
        if not isinstance(response, TextResponse):
            return
        links = [response.urljoin(href.strip()) for href in response.css("a::attr(href)").getall()]
        links = [u for u in links if u.startswith(("http://", "https://")) and url_site_key(u) in self.site_keys]
        articles = [article for u in links if (article := parse_article_url(u)) is not None]
        key = list_key(listing) if listing is not None else None
        unknown = sorted({a.article_id for a in articles} - self.first_url_by_id.keys() - self.stored_ids)
        walk = self.walks.get(key) if key else None
        try:
            stored, progress = await self._off_reactor(self._lookup, unknown, key if key and walk is None else None)
        except Exception as error:  # take every id as new and cut no list: costs requests, never a hole
            self._count("shebao/lookup_failures")
            logger.warning("could not look up stored articles for %s (%s: %s); treating its articles as new",
                           response.url, type(error).__name__, str(error).split("\n", 1)[0][:300])
            stored, progress = {}, ListProgressState()
        self.stored_ids.update(stored)
        for url in links:
            target = parse_list_url(url, self.limits.folder_depth) if parse_article_url(url) is None else None
            if target is not None and target.page_no == 1:  # pagination is walked page by page, below
                for item in self._list_request(target):
                    yield item
        has_new = False
        for article in articles:
            known = self.first_url_by_id.get(article.article_id)
            has_new = has_new or article.article_id not in self.stored_ids
            if known is None and article.article_id in stored:
                if stored[article.article_id].due:
                    yield self._revisit_request(stored[article.article_id], article.first_page_url)
            elif known is None and article.article_id not in self.stored_ids:
                self.first_url_by_id[article.article_id] = article.first_page_url
                yield _request(article.first_page_url, self.on_article, self.on_error)
            elif known and known != article.first_page_url and urlsplit(known).path == urlsplit(article.first_page_url).path:
                yield ArticleAliasSeen(article.article_id, article.first_page_url)
        if listing is None or key is None:
            return
        if walk is None:
            walk = self.walks[key] = ListWalk(progress or ListProgressState())
        for item in self._walk_on(listing, key, walk, has_new, bool(articles), links):
            yield item

    def _walk_on(self, listing: ListUrl, key: str, walk: ListWalk, has_new: bool,
                 has_articles: bool, links: list[str]) -> Iterator[Any]:
        """Record this list page and request the next one unless the list ends or the stop rule says stop."""
        if listing.page_no in walk.parsed:
            return
        walk.parsed.add(listing.page_no)
        walk.pages_without_new = 0 if has_new else walk.pages_without_new + 1
        yield ListPageWalked(key, listing.page_no)
        next_page = next((t for u in links if (t := parse_list_url(u, self.limits.folder_depth)) is not None
                          and list_key(t) == key and t.page_no == listing.page_no + 1), None)
        # A list page without a single article ends its pagination: `index_N` for every N stops here; so
        # does the page-number bound (walking stops there in every run, so the pass is as finished as it gets).
        if next_page is None or not has_articles or next_page.page_no > self.limits.max_page_number:
            self.ended_passes[key] = max(self.ended_passes.get(key, 0), listing.page_no)
        elif may_stop_list(listing.page_no, walk.pages_without_new, self.list_depth, walk.progress):
            self.ended_passes[key] = max(self.ended_passes.get(key, 0), listing.page_no)
            self._count("shebao/lists_stopped_early")
        else:
            yield from self._list_request(next_page)

    def _list_request(self, listing: ListUrl) -> Iterator[Any]:
        """A request for a list page within the run's limits (crawler.scope)."""
        if (list_key(listing), listing.page_no) in self.listed:
            return
        if listing.page_no > self.limits.max_page_number:
            return
        if len(self.listed) >= self.limits.max_list_pages:
            if not self.list_cap_reported:  # said once: the rest of the lists are out of scope for this run
                self.list_cap_reported = True
                yield FetchFailure(listing.url, f"list page cap reached: {self.limits.max_list_pages} list pages this run "
                                        "(SHEBAO_LIST_MAX_PAGES); further list pages not followed")
            return
        self.listed.add((list_key(listing), listing.page_no))
        yield _request(listing.url, self.parse_listing, self.on_error)

    def parse_article(self, response: Response) -> Iterator[Any]:
        if response.status in REDIRECT_STATUSES:
            yield from self._redirect(response, expects_article=True)
            return
        article = parse_article_url(response.url)
        pages: list[FetchedPage] = response.meta.get("pages", [])
        stored: StoredArticle | None = response.meta.get(STORED_META)
        if response.status == NOT_MODIFIED and article is not None and stored is not None \
                and article.page_no == len(pages) + 1 <= len(stored.pages):
            yield from self._not_modified(response, article, pages, stored)
            return
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
            yield self._continuation_request(next_url, pages, first_url, article.article_id, stored)
        else:
            yield FetchedArticle(article.article_id, first_url, pages)

    def _not_modified(self, response: Response, article: ArticleUrl, pages: list[FetchedPage],
                      stored: StoredArticle) -> Iterator[Any]:
        """A 304: the page is its stored version; how many pages follow is known from the stored ones."""
        validators = stored.pages[article.page_no - 1]
        page = FetchedPage(response.url, article.page_no, NOT_MODIFIED, b"", None, utc_now(),
                           etag=validators.etag, last_modified=validators.last_modified)
        pages = [*pages, page]
        first_url = response.meta.get("first_url", article.first_page_url)
        if article.page_no < len(stored.pages):
            next_url = continuation_url(article.first_page_url, article.page_no + 1)
            yield self._continuation_request(next_url, pages, first_url, article.article_id, stored)
        else:
            yield FetchedArticle(article.article_id, first_url, pages)

    def _continuation_request(self, url: str, pages: list[FetchedPage], first_url: str, article_id: int,
                              stored: StoredArticle | None) -> Request:
        meta: dict[str, Any] = {"pages": pages, "first_url": first_url, "article_id": article_id}
        if stored is not None:  # `_2`.. are conditional too
            meta[STORED_META] = stored
        return _request(url, self.parse_article, self.on_continuation_error, meta=meta)

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
