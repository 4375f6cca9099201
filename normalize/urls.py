"""Recognise the site's URL shapes: article pages (and their continuation pages) and list pages.

URL shapes come first (SITE.md): an article is `/<category>/<YYYYMM>/<numeric id>.html`, continued on
`<id>_2.html`; list pages are `index.html`, `index_2.html`, `List_2.html` or a category folder one or two
folders deep. Nothing else is a list page: a deeper folder, or any URL with a query string, is not
followed (the shapes that end crawler traps: `/trap/a/b/c/...`, `?p=N`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

# An article page: category path, month folder, numeric id, optional continuation page number.
ARTICLE_PATH = re.compile(r"^/(?P<category>[a-z][a-z0-9_/-]*?)/(?P<month>\d{6})/(?P<id>\d{3,10})(?:_(?P<page>\d{1,3}))?\.html$")

# A list page: a category folder (lowercase segments), or its index/List pagination.
LIST_PATH = re.compile(
    r"^/(?P<category>[a-z][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*)/(?:(?:index|List)(?:_(?P<page>\d{1,6}))?\.html)?$"
)
# How deep a category folder may be: the site's are one or two deep (dongtai/, yiliao/yibaozhishi/, dongtai/sbxw/).
LIST_FOLDER_DEPTH = 2
# Query strings a list page may carry; the site paginates in the path, so none: `?p=N` is never followed.
LIST_QUERY_SHAPES: tuple[re.Pattern[str], ...] = ()

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


@dataclass(frozen=True, slots=True)
class ListUrl:
    """The parts of a list page URL."""

    url: str  # without its fragment
    category: str
    page_no: int  # 1 for the folder and index.html, N for index_N.html / List_N.html
    folder_depth: int


def parse_list_url(url: str, max_folder_depth: int = LIST_FOLDER_DEPTH) -> ListUrl | None:
    """The category and page number of a list page URL, or None for any other URL (see LIST_PATH)."""
    parts = urlsplit(url)
    match = LIST_PATH.match(parts.path)
    if not match:
        return None
    if parts.query and not any(shape.fullmatch(parts.query) for shape in LIST_QUERY_SHAPES):
        return None
    category = match.group("category")
    depth = category.count("/") + 1
    if depth > max_folder_depth:
        return None
    page = int(match.group("page") or 1)
    return ListUrl(urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")), category, page, depth)


def is_list_url(url: str, max_folder_depth: int = LIST_FOLDER_DEPTH) -> bool:
    """True for a category list page (folder, index.html, index_N.html, List_N.html)."""
    return parse_list_url(url, max_folder_depth) is not None


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


def url_site_key(url: str) -> str:
    """The site of a URL: its host's site key with the port (another port on the same host is another site)."""
    parts = urlsplit(url)
    host = site_key(parts.hostname or "")
    return f"{host}:{parts.port}" if parts.port else host
