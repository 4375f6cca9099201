"""A processing backlog without a crawl: the large fixture site's pages stored straight into a database.

Worker tests and bench/bench_workers.py need many queued jobs fast; crawling them first would measure
the crawl. Every article gets one page version and one pending job, like a crawl that stored the pages
but was stopped before processing; `revised` articles then get a second, changed version (a newer job
that supersedes the first), and `reposts` articles are stored again under new ids (re-posts).
"""

from __future__ import annotations

from sqlalchemy import Engine

from crawler.fixture_site.content import PARAGRAPH
from crawler.fixture_site.large import large_articles
from crawler.fixture_site.render import render_article_page
from db.session import session_scope
from db.store import prepare_pages, store_articles
from schema.records import FetchedArticle, FetchedPage

FETCHED_AT = "2026-01-01T00:00:00+00:00"
REPOST_ID_OFFSET = 5_000_000


def _fetched(article_id: int, path: str, html: str) -> FetchedArticle:
    url = f"http://127.0.0.1{path}"
    page = FetchedPage(url, 1, 200, html.encode(), "text/html; charset=utf-8", FETCHED_AT)
    return FetchedArticle(article_id, url, [page])


def store_backlog(engine: Engine, n_articles: int, *, revised: int = 0, reposts: int = 0, chunk: int = 200) -> int:
    """Queue `n_articles` large-site articles (plus revisions and re-posts); returns the jobs queued."""
    articles = list(large_articles(n_articles))
    fetched = [_fetched(a.id, a.path, render_article_page(a, list(a.paragraphs))) for a in articles]
    for article in articles[:revised]:  # a later crawl saw a changed page: a second version, a newer job
        paragraphs = [*article.paragraphs, (PARAGRAPH, "（本文已于2026年1月2日更新。）")]
        fetched.append(_fetched(article.id, article.path, render_article_page(article, paragraphs)))
    for article in articles[:reposts]:  # the same text under another id: a re-post of the first
        copy = article.with_id(article.id + REPOST_ID_OFFSET)
        fetched.append(_fetched(copy.id, copy.path, render_article_page(copy, list(copy.paragraphs))))
    queued = 0
    for start in range(0, len(fetched), chunk):
        with session_scope(engine) as session:
            results = store_articles(session, [(f, prepare_pages(f)) for f in fetched[start:start + chunk]])
            queued += sum(result.queued for result in results)
    return queued
