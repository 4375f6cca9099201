"""The spider's own decisions, on hand-made responses (no network)."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request, Response

from crawler.spiders.shebao import ShebaoSpider
from schema.records import FetchedArticle, FetchedPage, FetchFailure

FIRST = "http://127.0.0.1:8000/yiliao/yibaozhishi/202505/1234567.html"
PAGE_ONE = FetchedPage(FIRST, 1, 200, b"<html>1</html>", "text/html", "2026-01-01T00:00:00+00:00")


def _continuation(url: str, response_class: type[Response] = HtmlResponse, body: bytes = b"<html>2</html>") -> Response:
    request = Request(url, meta={"pages": [PAGE_ONE], "first_url": FIRST, "article_id": 1234567})
    return response_class(url=url, body=body, request=request, headers={"Content-Type": "application/pdf"})


@pytest.mark.parametrize(
    ("url", "response_class", "reason"),
    [
        (FIRST.replace(".html", "_2.html"), Response, "not an HTML page"),  # a binary body where page 2 should be
        (FIRST, HtmlResponse, "expected page 2"),  # page 2 redirected back to page 1
    ],
)
def test_bad_continuation_keeps_page_one(url: str, response_class: type[Response], reason: str) -> None:
    items = list(ShebaoSpider(start_urls=FIRST).parse_article(_continuation(url, response_class)))
    failures = [i for i in items if isinstance(i, FetchFailure)]
    articles = [i for i in items if isinstance(i, FetchedArticle)]
    assert len(failures) == 1 and reason in failures[0].reason
    assert len(articles) == 1 and articles[0].pages == [PAGE_ONE] and articles[0].complete is False


def test_pages_joined_until_no_next_link() -> None:
    # page 2 without a link to page 3 ends the article: both pages, first page's URL, complete
    url = FIRST.replace(".html", "_2.html")
    response = HtmlResponse(url=url, body=b"<html><body><a href='1234567.html'>1</a></body></html>", encoding="utf-8",
                            request=Request(url, meta={"pages": [PAGE_ONE], "first_url": FIRST, "article_id": 1234567}))
    items = list(ShebaoSpider(start_urls=FIRST).parse_article(response))
    article = next(i for i in items if isinstance(i, FetchedArticle))
    assert article.url == FIRST and [p.page_no for p in article.pages] == [1, 2] and article.complete


def test_offsite_domains_ignore_ports_and_mirrors() -> None:
    # allowed domains are host names without ports; m./pic. mirrors share the site's domain
    spider = ShebaoSpider(start_urls="http://127.0.0.1:8000/,http://localhost:8000/,https://m.shebao.southmoney.com/")
    assert spider.allowed_domains == ["127.0.0.1", "localhost", "shebao.southmoney.com"]
