"""The crawl side of the database: page versions, the queue, aliases, validators."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from db.models import ArticleAlias, PageVersion, ProcessJob
from db.session import session_scope
from db.store import load_page_body, store_fetched_article, stored_articles
from db.worker import process_pending
from schema.records import FetchedArticle, FetchedPage

HTML = (
    "<html><body><h1 id='articleTitle'>西宁医保参保地怎么变更?(05/02)</h1><span id='articleTime'>2025-05-02 15:17:00</span>"
    "<div id='articleText'><p>西宁医保参保地怎么变更去哪里改</p><p>线上办理:一般即时生效或1-3个工作日内完成。</p></div>"
    "</body></html>"
)


def _article(host: str = "127.0.0.1", body: str = HTML, article_id: int = 1093915) -> FetchedArticle:
    url = f"http://{host}/yiliao/yibaozhishi/202505/{article_id}.html"
    page = FetchedPage(url, 1, 200, body.encode(), "text/html; charset=utf-8", "2026-01-01T00:00:00+00:00",
                       etag='"abc"', last_modified="Sat, 01 Jan 2026 00:00:00 GMT")
    return FetchedArticle(article_id, url, [page])


def _count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_unchanged_page_stores_nothing_new(engine: Engine) -> None:
    # the same bytes twice: one version, one job
    with session_scope(engine) as session:
        assert store_fetched_article(session, _article()) is True
    with session_scope(engine) as session:
        assert store_fetched_article(session, _article()) is False
    assert (_count(engine, PageVersion), _count(engine, ProcessJob)) == (1, 1)


def test_changed_page_adds_version_and_job(engine: Engine) -> None:
    # new bytes for the same page: a second version and a second job
    with session_scope(engine) as session:
        store_fetched_article(session, _article())
    with session_scope(engine) as session:
        assert store_fetched_article(session, _article(body=HTML.replace("1-3", "1-5"))) is True
    assert (_count(engine, PageVersion), _count(engine, ProcessJob)) == (2, 2)


def test_other_host_same_id_is_an_alias(engine: Engine) -> None:
    # after processing, the article met under another host adds no version, only an alias
    with session_scope(engine) as session:
        store_fetched_article(session, _article("127.0.0.1"))
    assert process_pending(engine).processed == 1
    with session_scope(engine) as session:
        assert store_fetched_article(session, _article("localhost")) is False
        aliases = list(session.scalars(select(ArticleAlias.url)))
    assert _count(engine, PageVersion) == 1
    assert aliases == ["http://localhost/yiliao/yibaozhishi/202505/1093915.html"]


def test_validators_and_stored_body(engine: Engine) -> None:
    # validators are looked up per article id (page 1 first) and point at the stored bytes
    with session_scope(engine) as session:
        store_fetched_article(session, _article())
    with engine.connect() as connection:
        found = stored_articles(connection, [1093915, 42], "2026-01-01T00:00:00+00:00")
    assert list(found) == [1093915]  # an id the database lacks is not in the answer
    stored = found[1093915].pages[0]
    assert stored.etag == '"abc"'
    body, content_type = load_page_body(engine, stored.page_version_id)
    assert body == HTML.encode() and content_type == "text/html; charset=utf-8"


def test_bad_article_fails_alone(engine: Engine) -> None:
    # a page that cannot be extracted fails with a reason; the good article beside it is processed
    with session_scope(engine) as session:
        store_fetched_article(session, _article(article_id=1))
        store_fetched_article(session, _article(article_id=2, body=""))
    counts = process_pending(engine)
    assert (counts.processed, counts.failed) == (1, 1)
    with session_scope(engine) as session:
        states = dict(session.execute(select(ProcessJob.article_id, ProcessJob.state)).all())
        errors = list(session.scalars(select(ProcessJob.error).where(ProcessJob.state == "failed")))
    assert states == {1: "done", 2: "failed"}
    assert "empty page" in errors[0]


def _two_pages(page2: str | None, article_id: int = 7) -> FetchedArticle:
    url = f"http://127.0.0.1/yiliao/yibaozhishi/202505/{article_id}.html"
    pages = [FetchedPage(url, 1, 200, HTML.encode(), "text/html; charset=utf-8", "2026-01-01T00:00:00+00:00")]
    if page2 is not None:
        body = HTML.replace("线上办理:一般即时生效或1-3个工作日内完成。", page2).encode()
        pages.append(FetchedPage(url.replace(".html", "_2.html"), 2, 200, body, "text/html", "2026-01-01T00:00:00+00:00"))
    return FetchedArticle(article_id, url, pages, complete=page2 is not None)


def test_incomplete_fetch_never_replaces_a_built_article(engine: Engine) -> None:
    # page 2 failing on a later crawl must not rebuild the article from page 1 alone
    from sqlalchemy import text

    with session_scope(engine) as session:
        store_fetched_article(session, _two_pages("线下办理:15个工作日内完成转移接续。"))
    process_pending(engine)
    with session_scope(engine) as session:
        assert store_fetched_article(session, _two_pages(None)) is False
    assert process_pending(engine).processed == 0
    with engine.connect() as connection:
        body = connection.scalar(text("SELECT body_text FROM article WHERE article_id = 7"))
    assert "15个工作日内完成转移接续" in body


def test_alias_is_never_the_canonical_url(engine: Engine) -> None:
    # meeting the article again under its own URL adds no alias
    from db.store import store_alias
    from schema.records import ArticleAliasSeen

    with session_scope(engine) as session:
        store_fetched_article(session, _article())
    process_pending(engine)
    with session_scope(engine) as session:
        store_alias(session, ArticleAliasSeen(1093915, _article().url))
        assert list(session.scalars(select(ArticleAlias.url))) == []
