"""The hostile sites, one loopback server each, all crawled in one run (see conftest.hostile_crawl).

Each builder returns the server's routes; `other_base` is the base URL of a server on another port of
127.0.0.1, which must never be fetched. Article ids are unique across sites (the crawl keys articles by id).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable

from crawler.fixture_site.content import FixtureArticle, load_articles
from tests.hostile.server import Handler, HostileHandler, Routes, article_page, html_page

ARTICLES = load_articles("articles")

# --- traps: nested folders, ?p=N, endless index_N, an endless `_N` chain, links to another port ---
TRAP_LISTED = ARTICLES[0]
TRAP_CHAIN = ARTICLES[1].with_id(1200001)


def trap_routes(other_base: str) -> Routes:
    routes = Routes()
    home = ["/trap/a/", "/dongtai/", "/yanglao/geren/", TRAP_CHAIN.path, f"{other_base}dongtai/",
            f"{other_base}{ARTICLES[2].path.lstrip('/')}"]
    routes.add(r"/", lambda h, m: h.send_body(200, html_page(home)))
    # every folder links two deeper folders: 2^depth list pages without a depth bound
    routes.add(r"(/trap/(?:[ab]/)+)", lambda h, m: h.send_body(200, html_page([m[1] + "a/", m[1] + "b/"])))
    # ?p=N links ?p=N+1 for ever
    routes.add(r"/dongtai/(?:\?p=(\d+))?",
               lambda h, m: h.send_body(200, html_page([f"/dongtai/?p={int(m[1] or 1) + 1}"])))
    # a category with one article, then empty pages index_2, index_3, ... each linking the next
    routes.add(r"/yanglao/geren/",
               lambda h, m: h.send_body(200, html_page([TRAP_LISTED.path, "/yanglao/geren/index_2.html"])))
    routes.add(r"/yanglao/geren/index_(\d+)\.html",
               lambda h, m: h.send_body(200, html_page([f"/yanglao/geren/index_{int(m[1]) + 1}.html"])))
    routes.add(re.escape(TRAP_LISTED.path), lambda h, m: h.send_body(200, article_page(TRAP_LISTED)))

    def chain(handler: HostileHandler, match: re.Match[str]) -> None:  # every page says "one more to come"
        page_no = int(match[1] or 1)
        handler.send_body(200, article_page(TRAP_CHAIN, page_no, page_no + 1))

    routes.add(re.escape(TRAP_CHAIN.path[: -len(".html")]) + r"(?:_(\d+))?\.html", chain)
    return routes


# --- lost pages: bombs, redirect traps, a huge page without Content-Length ---
LOST_BASE = "/yiliao/yibaozhishi/202505/"
GZIP_BOMB = gzip.compress(b"\0" * (8 * 1024 * 1024))  # 8 MiB inflated, over the 5 MiB cap; ~8 KiB on the wire
HUGE_UNSIZED_BYTES = 10 * 1024 * 1024
LOST_CASES = {  # article id → what its URL does
    1400001: "gzip bomb",
    1400002: "redirect loop",  # 1400002 → 1400003 → 1400002
    1400004: "self-redirect",
    1400005: "off-site redirect",
    1400006: "redirect to a list page",
    1400007: "10 MB without Content-Length",
    1400008: "a 100 KB response header",
}
LOST_GOOD = ARTICLES[0].with_id(1400009, published="2025-05-02 10:00:00")  # reached through an old URL


def _stream_unsized(handler: HostileHandler, match: re.Match[str]) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Connection", "close")  # no Content-Length: the size is known only by reading
    handler.end_headers()
    handler.close_connection = True
    chunk = b"<p>" + b"x" * 65530 + b"</p>"
    for _ in range(HUGE_UNSIZED_BYTES // len(chunk)):
        handler.wfile.write(chunk)


def _redirect(location: str) -> Handler:
    return lambda h, m: h.send_body(301, b"", headers={"Location": location})


def lost_routes(other_base: str) -> Routes:
    routes = Routes()
    links = [f"{LOST_BASE}{i}.html" for i in LOST_CASES] + ["/dongtai/", f"{LOST_BASE}999{LOST_GOOD.id}.html"]
    routes.add(r"/", lambda h, m: h.send_body(200, html_page(links)))
    routes.add(r"/dongtai/", lambda h, m: h.send_body(200, html_page([])))
    routes.add(f"{LOST_BASE}1400001.html", lambda h, m: h.send_body(200, GZIP_BOMB, headers={"Content-Encoding": "gzip"}))
    routes.add(f"{LOST_BASE}1400002.html", _redirect(f"{LOST_BASE}1400003.html"))
    routes.add(f"{LOST_BASE}1400003.html", _redirect(f"{LOST_BASE}1400002.html"))
    routes.add(f"{LOST_BASE}1400004.html", _redirect(f"{LOST_BASE}1400004.html"))
    routes.add(f"{LOST_BASE}1400005.html", _redirect(f"{other_base}yiliao/yibaozhishi/202505/1400005.html"))
    routes.add(f"{LOST_BASE}1400006.html", _redirect("/dongtai/"))
    routes.add(f"{LOST_BASE}1400007.html", _stream_unsized)
    routes.add(f"{LOST_BASE}1400008.html",
               lambda h, m: h.send_body(200, article_page(LOST_GOOD), headers={"X-Padding": "x" * 100_000}))
    routes.add(f"{LOST_BASE}999{LOST_GOOD.id}.html", _redirect(LOST_GOOD.path))
    routes.add(re.escape(LOST_GOOD.path), lambda h, m: h.send_body(200, article_page(LOST_GOOD)))
    return routes


# --- robots.txt: 5xx, no answer, 4xx (each its own host) ---
def _hang_up(handler: HostileHandler, match: re.Match[str]) -> None:
    handler.close_connection = True  # no status line at all: the robots.txt never answers


ROBOTS_CASES: dict[str, Handler] = {
    "robots_server_error": lambda h, m: h.send_body(500, b"oops", "text/plain"),
    "robots_no_answer": _hang_up,
    # a 4xx is "no rules", whatever its body says
    "robots_not_found": lambda h, m: h.send_body(404, b"User-agent: *\nDisallow: /", "text/plain"),
}
ROBOTS_ARTICLES = {case: ARTICLES[0].with_id(1300001 + n) for n, case in enumerate(ROBOTS_CASES)}


def robots_routes(case: str) -> Routes:
    article = ROBOTS_ARTICLES[case]
    routes = Routes()
    routes.add(r"/robots\.txt", ROBOTS_CASES[case])
    routes.add(r"/", lambda h, m: h.send_body(200, html_page([article.path])))
    routes.add(re.escape(article.path), lambda h, m: h.send_body(200, article_page(article)))
    return routes


# --- content: implausible dates, a 503 with Retry-After, a GBK page whose header says utf-8 ---
FUTURE = ARTICLES[0].with_id(1600001, published="2099-05-02 10:00:00")
ANCIENT = ARTICLES[1].with_id(1600002, published="1900-01-01 08:00:00")
BUSY = ARTICLES[2].with_id(1600003, published="2025-05-02 10:00:00")
GBK = ARTICLES[3].with_id(1600004, published="2025-05-02 10:00:00")
RETRY_AFTER_SECONDS = 2


def _busy_once(article: FixtureArticle) -> Callable[[HostileHandler, re.Match[str]], None]:
    def handler(h: HostileHandler, m: re.Match[str]) -> None:
        if len(h.server.request_times[article.path]) == 1:  # first visit: come back later
            h.send_body(503, b"busy", "text/plain", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        else:
            h.send_body(200, article_page(article))
    return handler


def content_routes() -> Routes:
    routes = Routes()
    routes.add(r"/", lambda h, m: h.send_body(200, html_page([a.path for a in (FUTURE, ANCIENT, BUSY, GBK)])))
    for article in (FUTURE, ANCIENT):
        routes.add(re.escape(article.path), lambda h, m, a=article: h.send_body(200, article_page(a)))
    routes.add(re.escape(BUSY.path), _busy_once(BUSY))
    gbk_body = article_page(GBK).decode().replace('<meta charset="utf-8">', "").encode("gb18030")
    routes.add(re.escape(GBK.path), lambda h, m: h.send_body(200, gbk_body, "text/html; charset=utf-8"))
    return routes
