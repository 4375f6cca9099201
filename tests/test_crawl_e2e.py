"""End-to-end: crawl the fixture site with `shebao crawl` and check what the database holds."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, func, select, text

from crawler.fixture_site.render import FixtureSite, build_site
from crawler.fixture_site.server import base_url, serve_site
from db.models import ArticleAlias, Failure, PageVersion
from db.session import make_engine
from tests.conftest import crawl


@dataclass
class Crawled:
    site: FixtureSite
    engine: Engine
    stdout: str

    def articles(self) -> dict[int, dict]:
        with self.engine.connect() as connection:
            rows = connection.execute(text("SELECT a.*, t.body_text FROM article_view a JOIN article t USING (article_id)"))
            return {row.article_id: dict(row._mapping) for row in rows}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    site = build_site()
    db_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'crawl.db'}"
    with serve_site(site) as server:
        result = crawl(db_url, base_url(server))
    engine = make_engine(db_url)
    yield Crawled(site, engine, result.stdout)
    engine.dispose()


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def test_every_article_stored_exactly_once(crawled: Crawled) -> None:
    # the stored ids are exactly the site's articles: nothing missing, nothing extra (lists, 404, robots, off-site)
    assert set(crawled.articles()) == set(crawled.site.articles)


def test_no_trap_page_stored(crawled: Crawled) -> None:
    # neither the disallowed page, the off-site link nor a list page appears as a page version
    with crawled.engine.connect() as connection:
        urls = list(connection.scalars(select(PageVersion.url)))
    assert not [u for u in urls if "/private/" in u or "southmoney" in u or "index" in u or u.endswith("/")]


def test_split_article_holds_text_of_every_page(crawled: Crawled) -> None:
    # the 3-page article is one article whose body has a line from its first and its last page
    split_id = crawled.site.split_ids[0]
    assert len(crawled.site.article_pages[split_id]) == 3
    paragraphs = crawled.site.articles[split_id].paragraphs
    body = crawled.articles()[split_id]["body_text"]
    assert _nfkc(paragraphs[2][1]) in body
    assert _nfkc(paragraphs[-1][1]) in body


def test_split_article_url_is_first_page(crawled: Crawled) -> None:
    # the article's URL is its first page's, never a `_2` page
    split_id = crawled.site.split_ids[1]
    assert crawled.articles()[split_id]["url"].endswith(crawled.site.article_pages[split_id][0])


def test_gbk_article_decoded(crawled: Crawled) -> None:
    # the GBK page whose <meta> says gb2312 and whose header names no charset reads right
    gbk_id = crawled.site.gbk_id
    assert gbk_id is not None
    article = crawled.articles()[gbk_id]
    fixture = crawled.site.articles[gbk_id]
    assert article["title"] == _nfkc(fixture.title)
    assert _nfkc(fixture.paragraphs[-1][1]) in article["body_text"]


def test_published_times_in_beijing_time(crawled: Crawled) -> None:
    # every published_at is the page's time as ISO 8601 with +08:00
    articles = crawled.articles()
    for article_id, fixture in crawled.site.articles.items():
        expected = fixture.published.replace(" ", "T") + "+08:00"
        if article_id == crawled.site.bad_date_id:
            expected = None  # "2025-13-45 25:61:00" on the page: no date rather than a wrong one
        assert articles[article_id]["published_at"] == expected, article_id


def _failures(crawled: Crawled) -> list[tuple[str, str, str]]:
    with crawled.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(Failure.stage, Failure.url, Failure.reason))]


def test_bad_date_is_a_counted_warning(crawled: Crawled) -> None:
    # the article with an impossible time is stored, and the problem is logged with its URL
    path = crawled.site.article_pages[crawled.site.bad_date_id or 0][0]
    assert any(s == "quality" and u.endswith(path) and "published time" in r for s, u, r in _failures(crawled))
    assert "warnings:       1" in crawled.stdout


def test_huge_page_dropped_and_counted(crawled: Crawled) -> None:
    # the page over the size limit is not stored; its URL and reason are logged
    huge = crawled.site.huge_path or "?"
    assert any(s == "fetch" and u.endswith(huge) for s, u, _ in _failures(crawled))
    with crawled.engine.connect() as connection:
        assert not [u for u in connection.scalars(select(PageVersion.url)) if u.endswith(huge)]


def test_empty_article_fails_extraction_and_is_counted(crawled: Crawled) -> None:
    # an article page with no text fails at extraction with a reason; the crawl went on
    empty = crawled.site.empty_path or "?"
    assert any(s == "extract" and u.endswith(empty) and "no body text" in r for s, u, r in _failures(crawled))


@pytest.mark.parametrize(
    "boilerplate",
    [
        "下面随新社通小编",  # the intro's closing sentence
        "本数据仅供参考",  # the closing disclaimer
        "社保网声明",  # the site notice
        "相关文章",  # the related-article list (its entries name other cities)
        "举报",  # the desktop byline's report link
    ],
)
def test_no_boilerplate_in_bodies(crawled: Crawled, boilerplate: str) -> None:
    bodies = [a["body_text"] for a in crawled.articles().values()]
    assert not [b for b in bodies if boilerplate in b]


def test_repost_stored_under_its_own_url(crawled: Crawled) -> None:
    # the re-post is its own article (own URL), and points at the original
    original_id, repost_id = crawled.site.repost or (0, 0)
    articles = crawled.articles()
    assert articles[repost_id]["url"] != articles[original_id]["url"]
    assert articles[repost_id]["duplicate_of"] == articles[original_id]["url"]
    assert articles[original_id]["duplicate_of"] is None


def test_missing_page_logged_as_failure(crawled: Crawled) -> None:
    # the deleted page's 404 is logged with its URL and reason, and the summary counts it
    with crawled.engine.connect() as connection:
        failures = connection.execute(select(Failure.url, Failure.reason)).all()
    assert any(url.endswith(crawled.site.missing_path or "?") and "404" in reason for url, reason in failures)
    fatal = [r for r in _failures(crawled) if r[0] != "quality"]
    assert f"failures:       {len(fatal)}\n" in crawled.stdout  # the summary counts every one


def test_redirected_article_stored_under_final_url(crawled: Crawled) -> None:
    # the article linked through an old URL (301) is stored once, under the URL it redirects to
    target_id = int((crawled.site.redirect_path or "/0.html").rsplit("/", 1)[1].split(".")[0])
    assert crawled.articles()[target_id]["url"].endswith(crawled.site.article_pages[target_id][0])


def test_views_have_contract_columns(crawled: Crawled) -> None:
    # article_view carries the columns analysts were promised
    with crawled.engine.connect() as connection:
        columns = set(connection.execute(text("SELECT * FROM article_view LIMIT 1")).keys())
    assert {"url", "title", "published_at", "category", "province", "city", "adcode", "duplicate_of",
            "fetched_at"} <= columns


def test_two_hosts_store_each_article_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # crawling 127.0.0.1 and localhost together: one article per id, the other host's URLs kept as aliases
    site = build_site()
    db_url = f"sqlite:///{tmp_path / 'hosts.db'}"
    with serve_site(site) as server:
        crawl(db_url, base_url(server, "127.0.0.1"), base_url(server, "localhost"))
    engine = make_engine(db_url)
    with engine.connect() as connection:
        ids = list(connection.scalars(text("SELECT article_id FROM article")))
        aliases = list(connection.scalars(select(ArticleAlias.url)))
        versions = connection.scalar(select(func.count()).select_from(PageVersion))
    engine.dispose()
    assert sorted(ids) == sorted(site.articles)
    # every page once, whichever host; the empty article page is stored too (it fails later, at extraction)
    assert versions == sum(len(p) for p in site.article_pages.values()) + 1
    assert any("localhost" in url for url in aliases) or any("127.0.0.1" in url for url in aliases)
