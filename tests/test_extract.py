"""Extraction: decoding, title and time, trafilatura body, boilerplate removal, bad input."""

from __future__ import annotations

import pytest

from normalize.extract import (
    ExtractionError,
    RawPage,
    decode_html,
    extract_article,
    parse_published,
    strip_boilerplate,
)

ARTICLE = (
    '<html><head><meta charset="{charset}"><title>{title}_社保网</title></head><body>'
    '<div class="nav"><a href="/">首页</a></div>'
    '<div class="article"><h1 id="articleTitle">{title}</h1>'
    '<div class="info"><span id="articleTime">2025-05-02 15:17:00</span> <a>举报</a></div>'
    '<div class="content" id="articleText"><p>医保参保地变更即调整个人医保账户的归属地。下面随新社通小编一起来了解具体内容。</p>'
    "<h2>西宁医保参保地怎么变更去哪里改</h2><p>线上办理:一般即时生效或1-3个工作日内完成。</p>"
    "<p>温馨提示:本数据仅供参考!具体需以当地有关法规为准!</p></div>"
    '<div class="statement">社保网声明:资讯来源于网络,属作者个人观点,仅供参考。投诉</div></div>'
    '<ul class="newslist2"><li><a href="/x/202505/1.html">合肥医保卡的钱怎么转到微信?</a> 2025-05-02 14:22医保知识</li></ul>'
    "</body></html>"
)


def _page(title: str = "西宁医保地区可以更改吗怎么改?(2025年10月6日)", charset: str = "utf-8",
          encoding: str = "utf-8", content_type: str | None = "text/html") -> RawPage:
    html = ARTICLE.format(title=title, charset=charset)
    return RawPage("https://m.shebao.southmoney.com/yiliao/yibaozhishi/202505/1093915.html", html.encode(encoding),
                   content_type)


def test_article_fields() -> None:
    # title from h1, time as +08:00, category from the URL, first page's URL
    article = extract_article([_page()])
    assert article.title == "西宁医保地区可以更改吗怎么改?(2025年10月6日)"
    assert article.published_at is not None and article.published_at.isoformat() == "2025-05-02T15:17:00+08:00"
    assert article.category == "yiliao/yibaozhishi"
    assert article.url.endswith("/1093915.html")


def test_body_without_boilerplate() -> None:
    # the heading and facts stay; intro tail, disclaimer, notice and related list go
    lines = extract_article([_page()]).body_lines
    assert lines == [
        "医保参保地变更即调整个人医保账户的归属地。",
        "西宁医保参保地怎么变更去哪里改",
        "线上办理:一般即时生效或1-3个工作日内完成。",
    ]


def test_gbk_page_with_gb2312_meta_and_no_header_charset() -> None:
    # 镕 is in GBK but not in GB2312: the meta under-states the charset, decoding must still be right
    title = "朱镕基医保参保地怎么变更?(05/02)"
    article = extract_article([_page(title=title, charset="gb2312", encoding="gbk", content_type="text/html")])
    assert article.title == title


def test_header_charset_wins_over_meta() -> None:
    # the HTTP header names the real charset; the meta is wrong
    page = _page(charset="gbk", encoding="utf-8", content_type="text/html; charset=utf-8")
    assert extract_article([page]).title.startswith("西宁")


def test_pages_joined_in_order() -> None:
    # a continuation page's body follows the first page's
    second = RawPage("https://x/yiliao/yibaozhishi/202505/1093915_2.html",
                     ARTICLE.format(title="t", charset="utf-8").replace("西宁", "海东").encode(), "text/html")
    lines = extract_article([_page(), second]).body_lines
    assert lines.index("西宁医保参保地怎么变更去哪里改") < lines.index("海东医保参保地怎么变更去哪里改")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-05-02 15:17:00", "2025-05-02T15:17:00+08:00"),  # desktop span
        ("2025-10-06 13:01:26社保网", "2025-10-06T13:01:26+08:00"),  # mobile byline, source glued
        ("2025-06-18 10:41 举报", "2025-06-18T10:41:00+08:00"),  # no seconds
        ("2025-02-30 10:41", None),  # an impossible date is no date
        ("发布时间未知", None),  # no time at all
    ],
)
def test_parse_published(text: str, expected: str | None) -> None:
    published = parse_published(text)
    assert (published.isoformat() if published else None) == expected


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("温馨提示:本数据仅供参考!具体需以当地有关法规为准!", None),  # the disclaimer
        ("2025-10-06 13:01:26社保网", None),  # the mobile byline
        ("举报", None),  # a widget link
        ("A 2025-05-02 14:22医保知识 B 2025-05-02 14:21医保知识", None),  # a related-article row
        ("一文读懂!下面随新社通小编一起来了解具体内容。", "一文读懂!"),  # intro tail cut, rest kept
        ("医保可以转移吗首句", None),  # the generator's leftover slot name alone on a line
        ("医保可以转移吗首句医疗保险参保地变更适用于跨省调动。", "医疗保险参保地变更适用于跨省调动。"),  # glued on
        ("温馨提示:", "温馨提示:"),  # a sub-heading of that name carries facts and stays
        ("线下办理:15个工作日内完成转移接续。", "线下办理:15个工作日内完成转移接续。"),  # a fact line stays
    ],
)
def test_strip_boilerplate(line: str, kept: str | None) -> None:
    assert strip_boilerplate([line]) == ([kept] if kept else [])


def test_everything_after_site_notice_dropped() -> None:
    # the site notice ends the body: tags and lists after it are footer
    assert strip_boilerplate(["事实", "社保网声明:资讯来源于网络", "甘肃兰州电子医保卡"]) == ["事实"]


@pytest.mark.parametrize(
    "body",
    [
        b"",  # an empty response
        b"<html><body><div id='articleText'></div></body></html>",  # an article with no text
        b"\x00\x01\x02binary",  # not HTML at all
    ],
)
def test_bad_pages_raise_extraction_error(body: bytes) -> None:
    with pytest.raises(ExtractionError):
        extract_article([RawPage("https://x/a/202501/1.html", body, "text/html")])


def test_decode_reports_encoding() -> None:
    # gb2312 is read as its superset gb18030
    text, encoding = decode_html('<meta charset="gb2312"><p>镕</p>'.encode("gbk"), "text/html")
    assert "镕" in text and encoding == "gb18030"


@pytest.mark.parametrize("template", ["desktop", "mobile"])
@pytest.mark.parametrize("heading_style", ["h2", "strong", "plain"])
def test_section_headings_survive_every_template(template: str, heading_style: str) -> None:
    # trafilatura drops <h2> in containers it does not recognise (mobile div.articleCon) unless told
    from crawler.fixture_site.content import FixtureArticle
    from crawler.fixture_site.render import render_article_page

    article = FixtureArticle(1, "yiliao/yibaozhishi", "2025-05-02 15:17:00", "标题", (
        ("p", "医保参保地变更即调整个人医保账户的归属地。"),
        ("h", "西宁医保参保地怎么变更去哪里改"),
        ("p", "线上办理:一般即时生效。"),
        ("h", "西宁医保缴费明细怎么查询?"),
        ("p", "访问当地医保局的网站。"),
    ))
    html = render_article_page(article, list(article.paragraphs), template=template, heading_style=heading_style)
    lines = extract_article([RawPage("https://x/yiliao/yibaozhishi/202505/1.html", html.encode(), None)]).body_lines
    assert "西宁医保参保地怎么变更去哪里改" in lines and "西宁医保缴费明细怎么查询?" in lines


STRUCTURED = (
    '<html><head><meta charset="utf-8"></head><body><div class="article"><h1 id="articleTitle">标题</h1>'
    '<div class="content" id="articleText">'
    "<p>介绍一段比较长的正文内容,用来说明这篇文章要讲的办理事项。</p>"
    "<h2>参保地变更一图看懂</h2><p><strong>准备材料:</strong></p>"
    "<ul><li>身份证原件及复印件;</li><li>户口簿。</li></ul>"
    "<p>办理时限为15个工作日,审核通过后即可使用新的参保地。</p>"
    "<p>【免责声明】本文仅供参考。</p><p>相关推荐</p><p>医保断缴怎么办</p>"
    "</div></div></body></html>"
)


def _structured() -> tuple[list[str], list[str]]:
    article = extract_article([RawPage("https://m.shebao.southmoney.com/yiliao/yibaozhishi/202505/7.html",
                                       STRUCTURED.encode(), "text/html")])
    return article.body_lines, article.line_marks


def test_markup_marks_headings_and_bold_lines() -> None:
    # <h2> gives a heading mark, an all-bold paragraph a bold mark, other lines none
    lines, marks = _structured()
    assert dict(zip(lines, marks, strict=True))["参保地变更一图看懂"] == "heading"
    assert dict(zip(lines, marks, strict=True))["准备材料:"] == "bold"
    assert dict(zip(lines, marks, strict=True))["户口簿。"] == ""


def test_list_items_have_no_bullet_dash() -> None:
    # list items come out as their text, never "- 身份证…"
    lines, _ = _structured()
    assert "身份证原件及复印件;" in lines and not any(line.startswith("-") for line in lines)


def test_footer_banner_ends_the_body() -> None:
    # 【免责声明】 and what follows (相关推荐, tags) are footer
    lines, _ = _structured()
    assert lines[-1] == "办理时限为15个工作日,审核通过后即可使用新的参保地。"


@pytest.mark.parametrize(
    ("lines", "kept"),
    [
        (["事实一句,带标点。", "医保断缴", "医保余额?", "医保卡余额"], ["事实一句,带标点。"]),  # a trailing tag list
        (["事实一句,带标点。", "医保断缴"], ["事实一句,带标点。", "医保断缴"]),  # one short last line is kept
        # a disclaimer closing a line of facts is cut from it, the facts stay
        (["温馨提示:补卡工本费各地不同,本数据仅供参考!"], ["温馨提示:补卡工本费各地不同"]),
        # ... but after the closing disclaimer (either wording) even two short lines are tags (rounds 17, 19)
        (["事实一句,带标点。", "温馨提示:以上数据仅供参考,具体以当地规定为准!", "长期护理保险", "长护险能拿多少?"],
         ["事实一句,带标点。"]),
        (["事实一句,带标点。", "温馨提示:本数据仅供参考!", "医保激活?", "电子医保卡", "温馨提示:本数据仅供参考!"],
         ["事实一句,带标点。"]),
    ],
)
def test_trailing_tag_list(lines: list[str], kept: list[str]) -> None:
    assert strip_boilerplate(lines) == kept
