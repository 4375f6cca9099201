"""Render fixture articles into a site built like 社保网: list pages, articles, and the traps a crawl meets.

`build_site()` returns a `FixtureSite`: every path's bytes and headers, plus what tests should expect
(which article is split over pages, which one is GBK, which URL is a re-post, ...).
"""

from __future__ import annotations

import hashlib
import html
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import formatdate

from crawler.fixture_site.content import HEADING, SUBHEADING, FixtureArticle, load_all_articles

ARTICLES_PER_LIST_PAGE = 20
DISCLAIMER = "温馨提示:本数据仅供参考!具体需以当地有关法规为准!"
SITE_NOTICE = "社保网声明:资讯来源于网络,属作者个人观点,仅供参考。"
CATEGORY_NAMES = {
    "yiliao/yibaozhishi": "医保知识",
    "yiliao/baoxiao": "医保报销",
    "dongtai": "社保动态",
    "dongtai/sbxw": "社保新闻",
    "yanglao/xinwen": "养老新闻",
    "yanglao/geren": "个人养老",
}
TAGS = ("医保", "参保地", "医保卡", "报销")
ROBOTS_TXT = "User-agent: *\nDisallow: /private/\n"


@dataclass
class Resource:
    """One URL path of the fixture site."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None  # redirect target path

    @property
    def etag(self) -> str:
        return '"' + hashlib.md5(self.body).hexdigest() + '"'


@dataclass
class FixtureSite:
    """All paths of the site, and the facts tests check the crawl against."""

    resources: dict[str, Resource]
    articles: dict[int, FixtureArticle]  # every real article (re-post included), by id
    article_pages: dict[int, list[str]]  # id → its page paths, first page first
    split_ids: list[int] = field(default_factory=list)
    gbk_id: int | None = None
    repost: tuple[int, int] | None = None  # (original id, re-post id)
    redirect_path: str | None = None
    missing_path: str | None = None
    disallowed_path: str | None = None
    offsite_url: str | None = None
    huge_path: str | None = None  # an article page over the crawl's size limit
    empty_path: str | None = None  # an article page with no text: fails extraction
    bad_date_id: int | None = None  # an article whose time is impossible: stored, published_at NULL

    def set_article_text(self, article_id: int, old: str, new: str) -> None:
        """Edit an article's first page in place (to simulate a change between crawls)."""
        path = self.article_pages[article_id][0]
        resource = self.resources[path]
        encoding = "gb18030" if "charset" not in resource.content_type else "utf-8"
        text = resource.body.decode(encoding)
        if old not in text:
            raise ValueError(f"{old!r} is not on {path}")
        resource.body = text.replace(old, new).encode(encoding)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraph_html(kind: str, text: str, heading_style: str) -> str:
    if kind == HEADING:
        if heading_style == "h2":
            return f"<h2>{_escape(text)}</h2>"
        if heading_style == "strong":
            return f"<p><strong>{_escape(text)}</strong></p>"
        return f"<p>{_escape(text)}</p>"
    if kind == SUBHEADING:
        return f"<p><strong>{_escape(text)}</strong></p>"
    return f"<p>{_escape(text)}</p>"


def _related_html(entries: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<li><a href="{_escape(href)}">{_escape(title)}</a> <span class="time">{_escape(when)}</span>'
        f'<span class="cat">医保知识</span></li>'
        for title, when, href in entries
    )
    tags = "".join(f'<a href="/tags/{i}/">{t}</a>' for i, t in enumerate(TAGS))
    return f'<div class="related"><h3>相关文章</h3><ul class="newslist2">{items}</ul></div><div class="tags">{tags}</div>'


def _pager_html(article: FixtureArticle, page_no: int, n_pages: int) -> str:
    if n_pages == 1:
        return ""
    links = []
    for k in range(1, n_pages + 1):
        name = f"{article.id}.html" if k == 1 else f"{article.id}_{k}.html"
        links.append(f"<span>{k}</span>" if k == page_no else f'<a href="{name}">{k}</a>')
    if page_no < n_pages:
        links.append(f'<a href="{article.id}_{page_no + 1}.html">下一页</a>')
    return f'<div class="multipage">共{n_pages}页 {" ".join(links)}</div>'


def render_article_page(
    article: FixtureArticle,
    paragraphs: list[tuple[str, str]],
    *,
    page_no: int = 1,
    n_pages: int = 1,
    template: str = "desktop",
    heading_style: str = "h2",
    charset: str = "utf-8",
    related: list[tuple[str, str, str]] | None = None,
) -> str:
    """One page of an article as HTML (footer boilerplate on the last page only)."""
    body = "\n".join(_paragraph_html(kind, text, heading_style) for kind, text in paragraphs)
    if page_no == n_pages:
        body += f"\n<p>{DISCLAIMER}</p>"
    pager = _pager_html(article, page_no, n_pages)
    notice = f'<div class="statement">{SITE_NOTICE}<a href="javascript:;">投诉</a></div>' if page_no == n_pages else ""
    related_block = _related_html(related or [])
    nav = '<div class="nav"><a href="/">社保网首页</a> <a href="/yiliao/yibaozhishi/">医保知识</a> <a href="/dongtai/">社保动态</a></div>'
    title = _escape(article.title)
    if template == "mobile":
        head = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}"><meta name="viewport" content="width=device-width">'
        main = (
            f'<div class="m-article article"><h1 class="artTitle">{title}</h1>'
            f'<div class="m-info">{article.published}社保网</div>'
            f'<div class="articleCon">{body}</div>{pager}{notice}</div>'
        )
    else:
        head = f'<meta charset="{charset}">'
        main = (
            f'<div class="article"><h1 id="articleTitle">{title}</h1>'
            f'<div class="info"><span id="articleTime">{article.published}</span> '
            f'<span id="articleSource">社保网</span> <a class="jubao" href="javascript:;">举报</a></div>'
            f'<div class="content" id="articleText">{body}</div>{pager}{notice}</div>'
        )
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}_社保网</title></head><body>"
        f'{nav}{main}{related_block}<div class="footer">社保网 版权所有</div></body></html>'
    )


def split_paragraphs(paragraphs: tuple[tuple[str, str], ...], n_pages: int) -> list[list[tuple[str, str]]]:
    """Cut an article into n pages of similar length, at paragraph boundaries."""
    size = -(-len(paragraphs) // n_pages)
    return [list(paragraphs[i : i + size]) for i in range(0, len(paragraphs), size)]


def _list_page_html(category: str, entries: list[FixtureArticle], page_no: int, n_pages: int, extra: str) -> str:
    items = "".join(
        f'<li><a href="{a.path}">{_escape(a.title)}</a><span class="time">{a.published[:10]}</span></li>'
        for a in entries
    )
    pages = []
    for k in range(1, n_pages + 1):
        name = "index.html" if k == 1 else f"index_{k}.html"
        pages.append(f"<span>{k}</span>" if k == page_no else f'<a href="/{category}/{name}">{k}</a>')
    if page_no < n_pages:
        pages.append(f'<a href="/{category}/index_{page_no + 1}.html">下一页</a>')
    name = CATEGORY_NAMES.get(category, category)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}_社保网</title></head><body>'
        f'<h1>{name}</h1><ul class="newslist2">{items}{extra}</ul><div class="pages">{" ".join(pages)}</div></body></html>'
    )


def _home_html(categories: list[str], offsite_url: str, disallowed_path: str) -> str:
    links = "".join(f'<a href="/{c}/">{CATEGORY_NAMES.get(c, c)}</a>' for c in categories)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>社保网</title></head><body>'
        f'<div class="column">{links}</div>'
        f'<div class="list2"><a href="{offsite_url}">保险网</a> <a href="{disallowed_path}">内部</a></div></body></html>'
    )


def _html_resource(text: str) -> Resource:
    return Resource(text.encode("utf-8"))


def _related_for(index: int, ordered: list[FixtureArticle]) -> list[tuple[str, str, str]]:
    article = ordered[index]
    if article.related:  # a seed keeps its own related titles; the links lead to articles we serve
        others = [a for a in ordered if a.id != article.id]
        return [(t, w, others[i % len(others)].path) for i, (t, w) in enumerate(article.related)]
    neighbours = [a for a in ordered[max(0, index - 4) : index + 5] if a.id != article.id]
    return [(a.title, a.published[:16], a.path) for a in neighbours[:8]]


def build_site(articles: list[FixtureArticle] | None = None, *, traps: bool = True,
               related_links: bool = True) -> FixtureSite:
    """Render every article, the list pages, the home page, robots.txt and (optionally) the traps.

    Without `related_links`, articles link to no other article: the lists are the only way to find them
    (re-crawl tests use this so that a list walk cut too early shows as missing articles).
    """
    if articles is None:
        articles = load_all_articles()
    ordered = sorted(articles, key=lambda a: a.id)
    site = FixtureSite(resources={}, articles={}, article_pages={})
    corpus = [a for a in ordered if not a.related]  # trap roles go to bundled articles, not seeds
    if traps and len(corpus) >= 8:
        site.split_ids = [corpus[2].id, corpus[5].id]
        site.gbk_id = corpus[3].id
        original = corpus[4]
        repost = original.with_id(ordered[-1].id + 7, published=ordered[-1].published)
        ordered.append(repost)
        site.repost = (original.id, repost.id)
    for index, article in enumerate(ordered):
        _add_article(site, article, index, _related_for(index, ordered) if related_links else [])
    if traps and len(corpus) >= 8:
        _add_bad_input(site, corpus[7])
    _add_lists_and_home(site, ordered, traps)
    return site


HUGE_PAGE_BYTES = 6 * 1024 * 1024  # over the crawl's DOWNLOAD_MAXSIZE (5 MiB)


def _add_bad_input(site: FixtureSite, bad_date: FixtureArticle) -> None:
    """Pages a real crawl meets that must be logged and counted, never crash the run."""
    site.bad_date_id = bad_date.id
    first = site.resources[site.article_pages[bad_date.id][0]]
    first.body = first.body.replace(bad_date.published.encode(), b"2025-13-45 25:61:00")
    site.huge_path = "/yiliao/yibaozhishi/202505/1093004.html"
    site.resources[site.huge_path] = Resource(b"<html><body>" + b"<p>x</p>" * (HUGE_PAGE_BYTES // 8) + b"</body></html>")
    site.empty_path = "/yiliao/yibaozhishi/202505/1093005.html"
    site.resources[site.empty_path] = _html_resource(
        '<html><head><meta charset="utf-8"></head><body><h1 id="articleTitle">空白页</h1>'
        '<div class="content" id="articleText"></div></body></html>'
    )


def _add_article(site: FixtureSite, article: FixtureArticle, index: int, related: list[tuple[str, str, str]]) -> None:
    n_pages = (3 if site.split_ids and article.id == site.split_ids[0] else 2) if article.id in site.split_ids else 1
    template = "mobile" if index % 2 else "desktop"
    heading_style = ("h2", "strong", "plain")[index % 3]
    is_gbk = article.id == site.gbk_id
    paths = []
    for page_no, chunk in enumerate(split_paragraphs(article.paragraphs, n_pages), start=1):
        page = render_article_page(
            article,
            chunk,
            page_no=page_no,
            n_pages=n_pages,
            template=template,
            heading_style=heading_style,
            charset="gb2312" if is_gbk else "utf-8",
            related=related,
        )
        path = article.path if page_no == 1 else article.path.replace(".html", f"_{page_no}.html")
        if is_gbk:  # the header names no charset: only <meta> (which under-states it) tells
            site.resources[path] = Resource(page.encode("gb18030"), content_type="text/html")
        else:
            site.resources[path] = _html_resource(page)
        paths.append(path)
    site.articles[article.id] = article
    site.article_pages[article.id] = paths


def _add_lists_and_home(site: FixtureSite, ordered: list[FixtureArticle], traps: bool) -> None:
    by_category: dict[str, list[FixtureArticle]] = defaultdict(list)
    for article in sorted(ordered, key=lambda a: a.published, reverse=True):
        by_category[article.category].append(article)
    site.offsite_url = "https://baoxian.southmoney.com/yiliao/202505/1093001.html"
    site.disallowed_path = "/private/202505/1093002.html"
    site.missing_path = "/yiliao/yibaozhishi/202505/1093003.html"
    trap_links = ""
    if traps:
        target = ordered[6]
        site.redirect_path = f"/{target.category}/201901/{target.id}.html"
        site.resources[site.redirect_path] = Resource(b"", status=301, location=target.path)
        site.resources[site.disallowed_path] = _html_resource(
            render_article_page(ordered[7].with_id(1093002, title="内部页面(不应抓取)"), list(ordered[7].paragraphs))
        )
        trap_links = (
            f'<li><a href="{site.missing_path}">已删除的文章</a></li>'
            f'<li><a href="{site.redirect_path}">旧地址文章</a></li>'
            f'<li><a href="{site.disallowed_path}">内部文章</a></li>'
            f'<li><a href="{site.offsite_url}">站外文章</a></li>'
            f'<li><a href="{site.huge_path}">超大页面</a></li>'
            f'<li><a href="{site.empty_path}">空白文章</a></li>'
        )
    for category, entries in by_category.items():
        chunks = [entries[i : i + ARTICLES_PER_LIST_PAGE] for i in range(0, len(entries), ARTICLES_PER_LIST_PAGE)]
        for page_no, chunk in enumerate(chunks, start=1):
            extra = trap_links if page_no == 1 and category == "yiliao/yibaozhishi" else ""
            page = _html_resource(_list_page_html(category, chunk, page_no, len(chunks), extra))
            name = "index.html" if page_no == 1 else f"index_{page_no}.html"
            site.resources[f"/{category}/{name}"] = page
            if page_no == 1:
                site.resources[f"/{category}/"] = page
    site.resources["/"] = _html_resource(_home_html(sorted(by_category), site.offsite_url, site.disallowed_path))
    for number in range(len(TAGS)):  # tag pages list a few articles, like the real site's tag lists
        tagged = ordered[number :: len(TAGS)][:ARTICLES_PER_LIST_PAGE]
        site.resources[f"/tags/{number}/"] = _html_resource(_list_page_html(f"tags/{number}", tagged, 1, 1, ""))
    site.resources["/robots.txt"] = Resource(ROBOTS_TXT.encode(), content_type="text/plain")


def last_modified(resource: Resource) -> str:
    """A stable Last-Modified header (content-derived, so an edit changes it)."""
    seconds = 1_700_000_000 + int(hashlib.md5(resource.body).hexdigest()[:6], 16)
    return formatdate(seconds, usegmt=True)
