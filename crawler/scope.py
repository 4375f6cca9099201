"""How far a crawl may go: the bounds that make every spider trap end by itself.

URL shapes (normalize.urls) decide what a list page is; these limits bound the rest. Each is a setting
with a default that fits the real site (categories one or two folders deep, a few hundred list pages
per category at 20 articles a page):

- SHEBAO_LIST_FOLDER_DEPTH (2): deeper folders are not list pages (`/trap/a/b/c/...`).
- SHEBAO_LIST_MAX_PAGE_NUMBER (1000): `index_N.html` / `List_N.html` beyond N is not followed.
- SHEBAO_LIST_MAX_PAGES (5000): list pages requested per run; the first one over the cap is a failure row.
- A list page with no article link ends its pagination (`index_N` for every N stops at the first empty one).
- DEPTH_LIMIT (Scrapy's, set in crawler/settings.py) is the backstop for any chain the above misses.
- A list's pages are walked one after another from its first (`list_key` names the list), so the stop
  rule of db.schedule can end the walk; pagination links to other pages are not followed directly.

Redirects are followed by the spider, not by Scrapy, so each one that leads nowhere useful (a loop, a
page redirecting to itself, another site, a list page where an article was expected) is a failure row.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from normalize.urls import LIST_FOLDER_DEPTH, ListUrl, parse_article_url, url_site_key

DEFAULT_MAX_PAGE_NUMBER = 1000
DEFAULT_MAX_LIST_PAGES = 5000


@dataclass(frozen=True, slots=True)
class ListLimits:
    """Bounds on list-page discovery for one run."""

    folder_depth: int = LIST_FOLDER_DEPTH
    max_page_number: int = DEFAULT_MAX_PAGE_NUMBER
    max_list_pages: int = DEFAULT_MAX_LIST_PAGES

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ListLimits:
        return cls(
            folder_depth=settings.getint("SHEBAO_LIST_FOLDER_DEPTH", LIST_FOLDER_DEPTH),
            max_page_number=settings.getint("SHEBAO_LIST_MAX_PAGE_NUMBER", DEFAULT_MAX_PAGE_NUMBER),
            max_list_pages=settings.getint("SHEBAO_LIST_MAX_PAGES", DEFAULT_MAX_LIST_PAGES),
        )


def redirect_problem(chain: Sequence[str], target: str | None, site_keys: Collection[str], expects_article: bool,
                     max_redirects: int) -> str | None:
    """Why a redirect from the last URL of `chain` to `target` must not be followed, or None to follow it."""
    if target is None:
        return "redirect without a Location header"
    if target == chain[-1]:
        return f"redirects to itself ({target})"
    if target in chain:
        return "redirect loop: " + " -> ".join([*chain[chain.index(target) :], target])
    if len(chain) > max_redirects:
        return f"more than {max_redirects} redirects (REDIRECT_MAX_TIMES), last to {target}"
    if url_site_key(target) not in site_keys:
        return f"redirected off-site to {target}"
    if expects_article and parse_article_url(target) is None:
        return f"redirected to a page that is not an article: {target}"
    return None


def list_key(listing: ListUrl) -> str:
    """A list's identity, its first page: one category on one host, whichever page or index form."""
    parts = urlsplit(listing.url)
    return f"{parts.scheme}://{parts.netloc}/{listing.category}/"
