"""Decoding pages that do not say (or lie about) their charset, and text that stays mis-decoded."""

from __future__ import annotations

import logging

import pytest

from crawler.fixture_site.content import load_articles
from crawler.fixture_site.render import render_article_page
from normalize.extract import RawPage, decode_html, extract_article, misdecoding_problem

ARTICLE = load_articles("articles")[3]


def _html(meta_charset: str | None) -> str:
    html = render_article_page(ARTICLE, list(ARTICLE.paragraphs))
    return html.replace('<meta charset="utf-8">', f'<meta charset="{meta_charset}">' if meta_charset else "")


@pytest.mark.parametrize(
    ("content_type", "meta"),
    [
        ("text/html", None),  # GBK with no charset anywhere
        ("text/html; charset=utf-8", None),  # a header that says utf-8 on GBK bytes
        ("text/html; charset=utf-8", "utf-8"),  # header and meta both wrong
    ],
)
def test_gbk_page_detected(content_type: str, meta: str | None, caplog: pytest.LogCaptureFixture) -> None:
    body = _html(meta).encode("gb18030")
    with caplog.at_level(logging.WARNING, logger="normalize.extract"):
        text, encoding = decode_html(body, content_type)
    assert encoding == "gb18030"
    assert ARTICLE.title in text and "\ufffd" not in text
    assert "detected gb18030" in caplog.text  # detection is never silent
    article = extract_article([RawPage("http://127.0.0.1/yiliao/yibaozhishi/202505/1.html", body, content_type)])
    assert article.title and "\ufffd" not in article.title


def test_declared_charset_that_fits_is_believed(caplog: pytest.LogCaptureFixture) -> None:
    # a UTF-8 page with one stray bad byte is still UTF-8, without detection
    body = _html("utf-8").encode("utf-8").replace(b"</body>", b"\xff</body>")
    with caplog.at_level(logging.WARNING, logger="normalize.extract"):
        text, encoding = decode_html(body, "text/html")
    assert encoding == "utf-8" and ARTICLE.title in text
    assert not caplog.text


def test_stray_nul_bytes_dropped_binary_kept() -> None:
    # one NUL inside a page is dropped (the article is kept); a binary body is left for extraction to refuse
    body = _html("utf-8").encode("utf-8").replace(b"</h1>", b"\x00</h1>", 1)
    text, _ = decode_html(body, "text/html; charset=utf-8")
    assert "\x00" not in text
    article = extract_article([RawPage("http://127.0.0.1/yiliao/yibaozhishi/202505/1.html", body, "text/html")])
    assert article.body_lines
    binary = bytes(range(256)) * 40
    assert "\x00" in decode_html(binary, "text/html; charset=utf-8")[0]


def test_misdecoded_text_gets_a_problem() -> None:
    # text made of replacement characters or Latin-1 mojibake is flagged; ordinary Chinese text is not
    assert misdecoding_problem("医保参保地怎么变更?" * 5) is None
    assert misdecoding_problem("\ufffd\ufffd标题\ufffd" * 5)
    assert misdecoding_problem("医保参保地怎么变更".encode("gbk").decode("latin-1") * 3)  # GBK read as Latin-1
