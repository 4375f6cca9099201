"""304s without the database, and the bounded store queue (no network, no crawl)."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawler.middlewares import STORED_META, ConditionalRequestMiddleware
from crawler.pipelines import StorePipeline
from crawler.spiders.shebao import ShebaoSpider
from db.store import StoredArticle, StoredValidators
from schema.records import FetchedArticle, FetchFailure

FIRST = "http://127.0.0.1:8000/yiliao/yibaozhishi/202505/1234567.html"
STORED = StoredArticle(1234567, FIRST, (StoredValidators(11, '"p1"', None), StoredValidators(12, '"p2"', "Sat, 01 Jan 2026")), True)


def test_conditional_headers_come_from_the_request() -> None:
    # the middleware holds no database: the validators of the page asked for ride on the request
    middleware = ConditionalRequestMiddleware(get_crawler(settings_dict={"SHEBAO_DB_URL": "sqlite://"}))
    second = Request(FIRST.replace(".html", "_2.html"), meta={STORED_META: STORED})
    middleware.process_request(second)
    assert second.headers[b"If-None-Match"] == b'"p2"' and second.headers[b"If-Modified-Since"] == b"Sat, 01 Jan 2026"
    assert 304 in second.meta["handle_httpstatus_list"]
    third = Request(FIRST.replace(".html", "_3.html"), meta={STORED_META: STORED})
    middleware.process_request(third)  # a page the stored article does not have: unconditional
    assert b"If-None-Match" not in third.headers
    assert not hasattr(middleware, "engine")


def _not_modified(url: str, meta: dict) -> Response:
    return Response(url=url, status=304, request=Request(url, meta={**meta, STORED_META: STORED}))


def test_304_pages_follow_the_stored_page_count() -> None:
    # page 1 answers 304: page 2 is requested conditionally (known from the lookup, nothing read back);
    # page 2 answers 304: the article is handed on as two 304 pages, complete
    spider = ShebaoSpider(start_urls=FIRST)
    first = list(spider.parse_article(_not_modified(FIRST, {})))
    assert len(first) == 1 and isinstance(first[0], Request)
    follow = first[0]
    assert follow.url.endswith("1234567_2.html") and follow.meta[STORED_META] is STORED
    done = list(spider.parse_article(_not_modified(follow.url, follow.meta)))
    assert len(done) == 1 and isinstance(done[0], FetchedArticle)
    article = done[0]
    assert [(p.page_no, p.status, p.body) for p in article.pages] == [(1, 304, b""), (2, 304, b"")]
    assert article.complete and article.url == FIRST
    assert not [i for i in done if isinstance(i, FetchFailure)]


def test_full_store_queue_makes_the_crawl_wait(tmp_path: Path) -> None:
    # with the queue full, process_item returns a Deferred (Scrapy waits on it); it fires once there is room
    crawler = get_crawler(settings_dict={"SHEBAO_DB_URL": f"sqlite:///{tmp_path / 'q.db'}"})
    pipeline = StorePipeline(f"sqlite:///{tmp_path / 'q.db'}", 10, None, crawler, queue_max=2)
    items = [FetchFailure(f"http://x/{i}", "test") for i in range(4)]
    assert pipeline.process_item(items[0]) is items[0] and pipeline.process_item(items[1]) is items[1]
    waiting = [pipeline.process_item(items[2]), pipeline.process_item(items[3])]
    assert all(isinstance(w, Deferred) and not w.called for w in waiting)
    assert pipeline.queue.qsize() == 2  # never more than its bound in memory
    pipeline.queue.get_nowait()  # the writer took one
    pipeline._admit_waiting()
    assert waiting[0].called and not waiting[1].called  # first in, first admitted
    pipeline.queue.get_nowait()
    pipeline._admit_waiting()
    assert waiting[1].called and pipeline.queue.qsize() == 2
    pipeline.engine.dispose()
