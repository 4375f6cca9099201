"""URL shapes: article pages, continuation pages, list pages, site keys."""

from __future__ import annotations

import pytest

from normalize.urls import continuation_url, is_list_url, parse_article_url, site_key, url_site_key


@pytest.mark.parametrize(
    ("url", "article_id", "category", "page_no"),
    [
        # the mobile host's article URL from SITE.md
        ("https://m.shebao.southmoney.com/yiliao/yibaozhishi/202508/1887595.html", 1887595, "yiliao/yibaozhishi", 1),
        # a continuation page belongs to the same article
        ("https://shebao.southmoney.com/yiliao/yibaozhishi/202508/1887595_2.html", 1887595, "yiliao/yibaozhishi", 2),
        # a one-level category
        ("http://shebao.southmoney.com/dongtai/202508/1890982.html", 1890982, "dongtai", 1),
        # an older nested category with a port (the fixture site)
        ("http://127.0.0.1:8080/dongtai/sbxw/201603/123456_3.html", 123456, "dongtai/sbxw", 3),
    ],
)
def test_article_urls(url: str, article_id: int, category: str, page_no: int) -> None:
    parsed = parse_article_url(url)
    assert parsed is not None
    assert (parsed.article_id, parsed.category, parsed.page_no) == (article_id, category, page_no)
    assert parsed.first_page_url.endswith(f"/{article_id}.html")


@pytest.mark.parametrize(
    "url",
    [
        "https://m.shebao.southmoney.com/yiliao/yibaozhishi/",  # a list page
        "https://m.shebao.southmoney.com/yiliao/yibaozhishi/index_2.html",  # list pagination
        "https://m.shebao.southmoney.com/yiliao/yibaozhishi/2025/1887595.html",  # month folder too short
        "https://m.shebao.southmoney.com/tags/1887595.html",  # no month folder
        "https://m.shebao.southmoney.com/yiliao/yibaozhishi/202508/1887595.shtml",  # other extension
    ],
)
def test_not_article_urls(url: str) -> None:
    assert parse_article_url(url) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://m.shebao.southmoney.com/yiliao/yibaozhishi/", True),  # category folder
        ("https://m.shebao.southmoney.com/yiliao/yibaozhishi/index.html", True),  # first list page
        ("https://m.shebao.southmoney.com/yiliao/yibaozhishi/index_12.html", True),  # pagination
        ("https://shebao.southmoney.com/dongtai/List_2.html", True),  # older pagination
        ("https://m.shebao.southmoney.com/yiliao/yibaozhishi/202508/1887595.html", False),  # an article
        ("https://m.shebao.southmoney.com/", False),  # the home page is a start URL, not a list
        ("https://m.shebao.southmoney.com/dongtai/sbxw/", True),  # a sub-category: two folders deep
        ("https://m.shebao.southmoney.com/trap/a/b/", False),  # three folders deep: a trap, not a category
        ("https://m.shebao.southmoney.com/dongtai/?p=2", False),  # no list shape has a query string
        ("https://m.shebao.southmoney.com/dongtai/index_2.html#top", True),  # a fragment is not part of the page
    ],
)
def test_list_urls(url: str, expected: bool) -> None:
    assert is_list_url(url) is expected


def test_continuation_url() -> None:
    # page 2 of an article is <id>_2.html beside page 1; page 1 is itself
    first = "https://m.shebao.southmoney.com/yiliao/yibaozhishi/202508/1887595.html"
    assert continuation_url(first, 2).endswith("/1887595_2.html")
    assert continuation_url(first, 1) == first


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("m.shebao.southmoney.com", "shebao.southmoney.com"),  # mobile
        ("pic.shebao.southmoney.com", "shebao.southmoney.com"),  # mirror
        ("shebao.southmoney.com", "shebao.southmoney.com"),  # desktop
        ("127.0.0.1", "127.0.0.1"),  # a fixture host stays itself
    ],
)
def test_site_key(host: str, key: str) -> None:
    assert site_key(host) == key


def test_url_site_key_keeps_the_port() -> None:
    # another port on the same host is another site; mirrors of one host are one
    assert url_site_key("http://127.0.0.1:8001/a/") != url_site_key("http://127.0.0.1:8002/a/")
    assert url_site_key("https://m.shebao.southmoney.com/x") == url_site_key("https://shebao.southmoney.com/y")
