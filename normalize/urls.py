"""Recognise the site's URL shapes: article pages (and their continuation pages) and list pages.

URL shapes come first (SITE.md): an article is `/<category>/<YYYYMM>/<numeric id>.html`, continued on
`<id>_2.html`; list pages are `index.html`, `index_2.html`, `List_2.html` or a category folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

# An article page: category path, month folder, numeric id, optional continuation page number.
ARTICLE_PATH = re.compile(r"^/(?P<category>[a-z][a-z0-9_/-]*?)/(?P<month>\d{6})/(?P<id>\d{3,10})(?:_(?P<page>\d{1,3}))?\.html$")

# A list page: a category folder, or its index/List pagination.
LIST_PATH = re.compile(r"^/(?P<category>[a-z][a-z0-9_/-]*?)/(?:(?:index|List)(?:_(?P<page>\d{1,4}))?\.html)?$")

# Hosts that serve the same articles (desktop, mobile, mirror): an article is one id, not one host.
SITE_HOST_PREFIXES = ("m.", "pic.", "www.")


@dataclass(frozen=True, slots=True)
class ArticleUrl:
    """The parts of an article page URL."""

    article_id: int
    category: str
    month: str
    page_no: int  # 1 for the first page, 2 for `<id>_2.html`, ...
    first_page_url: str  # the URL of page 1 on the same host


def parse_article_url(url: str) -> ArticleUrl | None:
    """The article id, category and page number of an article URL, or None for any other URL."""
    parts = urlsplit(url)
    match = ARTICLE_PATH.match(parts.path)
    if not match:
        return None
    page = int(match.group("page") or 1)
    first_path = f"/{match.group('category')}/{match.group('month')}/{match.group('id')}.html"
    first = urlunsplit((parts.scheme, parts.netloc, first_path, "", ""))
    return ArticleUrl(int(match.group("id")), match.group("category"), match.group("month"), page, first)


def is_list_url(url: str) -> bool:
    """True for a category list page (folder, index.html, index_N.html, List_N.html)."""
    return bool(LIST_PATH.match(urlsplit(url).path))


def continuation_url(first_page_url: str, page_no: int) -> str:
    """The URL of page `page_no` of the article whose first page is `first_page_url`."""
    return first_page_url if page_no == 1 else first_page_url[: -len(".html")] + f"_{page_no}.html"


def site_key(host: str) -> str:
    """The site a host belongs to: m./pic./www. mirrors of one domain share a key; the port is kept."""
    host = host.lower()
    for prefix in SITE_HOST_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host
