"""Extract an article from its raw pages: decode, read title and time, take the body with trafilatura.

The body container is located by the site's known selectors (a hint, SITE.md) so trafilatura reads the
article and not the related lists; when no selector matches, trafilatura reads the whole page. The
site's own boilerplate lines are then removed and every line is NFKC-normalised.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import charset_normalizer
import trafilatura
from lxml import etree
from lxml import html as lxml_html
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, to_unicode

from normalize import patterns
from normalize.urls import parse_article_url
from schema.records import ExtractedArticle, LineMark
from schema.vocabulary import SITE_UTC_OFFSET_HOURS

logger = logging.getLogger(__name__)
SITE_TZ = timezone(timedelta(hours=SITE_UTC_OFFSET_HOURS))

# Body containers of the site's templates, most specific first (desktop, other desktop, mobile).
BODY_XPATHS = (
    '//div[@id="articleText"]',
    '//div[contains(concat(" ", normalize-space(@class), " "), " articleCon ")]',
    '//div[contains(concat(" ", normalize-space(@class), " "), " article-content ")]',
)
# Title elements, most specific first; the <title> element is the last resort.
TITLE_XPATHS = ('//h1[@id="articleTitle"]', '//h1[contains(@class, "artTitle")]', "//h1", "//title")
# The article's own time element; the first one found is authoritative (related lists have times too).
TIME_XPATHS = (
    '//span[@id="articleTime"]',
    '//*[contains(@class, "m-info")]',
    '//*[contains(@class, "time")][not(ancestor::ul)][not(ancestor::ol)]',
)
BYLINE_WINDOW = 200  # without a time element, the byline is looked for this far after the title
TIME_IN_TEXT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?")
TITLE_SITE_SUFFIX = re.compile(r"[_\-|]\s*社保网.*$")


class ExtractionError(ValueError):
    """A page that cannot be turned into an article; the message says why."""


@dataclass(frozen=True, slots=True)
class RawPage:
    """One fetched page of an article, as stored."""

    url: str
    body: bytes
    content_type: str | None = None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Decode by BOM, HTTP header, then <meta>; detect when none is declared or none fits the bytes.

    A declared charset is believed when it decodes the bytes (a few stray bad bytes allowed); a header
    saying utf-8 on a GBK page does not, and neither does a page that declares nothing and is not UTF-8:
    those are detected (charset_normalizer) and logged. gb2312/gbk are read as their superset gb18030.
    A few NUL and other control characters are dropped (a real binary body keeps them, and is refused).
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return _drop_stray_controls(to_unicode(body[len(bom) :], bom_encoding)), bom_encoding
    declared = [e for e in (http_content_type_encoding(content_type), html_body_declared_encoding(body)) if e]
    for encoding in dict.fromkeys(declared or [UNDECLARED_ENCODING]):
        text = _decode_if_fits(body, encoding)
        if text is not None:
            return _drop_stray_controls(text), encoding
    detected = _detect_encoding(body)
    encoding = detected or (declared[0] if declared else UNDECLARED_ENCODING)
    logger.warning("charset: declared %s does not fit the bytes; %s", ", ".join(declared) or "nothing",
                   f"detected {detected}" if detected else f"nothing detected, decoding as {encoding}")
    return _drop_stray_controls(to_unicode(body, encoding)), encoding


UNDECLARED_ENCODING = "utf-8"  # what a page that declares nothing is tried as before detection
# A declared charset still fits when at most this share of the decoded characters are replacements
# (a truncated last character, a stray byte); a GBK page read as UTF-8 is mostly replacements.
MAX_REPLACEMENT_SHARE = 0.001
# Control characters other than tab and newlines; a page with more than this share of them is binary.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01
# Characters a decoded page of this site is made of; many others mean the charset was wrong (mojibake).
# (Latin-1 letters are not among them: they are what GBK read as Latin-1 turns into.)
EXPECTED_CHARS = re.compile(r"[\s\x20-\x7e\u00a0\u00b0\u00b7\u00d7\u2000-\u206f\u2190-\u21ff\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
MAX_UNEXPECTED_SHARE = 0.05


def _python_codec(encoding: str) -> str:
    return encoding + "-be" if encoding in {"utf-16", "utf-32"} else encoding  # as w3lib does


def _decode_if_fits(body: bytes, encoding: str) -> str | None:
    """The body decoded with `encoding`, or None when the bytes do not fit it."""
    try:
        text = to_unicode(body, _python_codec(encoding))
    except LookupError:  # a <meta> naming no codec Python knows
        return None
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * max(len(text), 1):
        return None
    return text


def _detect_encoding(body: bytes) -> str | None:
    """charset_normalizer's best guess (gb2312/gbk widened to gb18030), or None."""
    match = charset_normalizer.from_bytes(body).best()
    if match is None:
        return None
    encoding = match.encoding
    return "gb18030" if encoding in {"gb2312", "gbk"} else encoding


def _drop_stray_controls(text: str) -> str:
    """Remove NUL and other control characters when they are strays (a binary body is left as it is)."""
    found = len(CONTROL_CHARS.findall(text))
    if 0 < found <= MAX_CONTROL_SHARE * len(text):
        return CONTROL_CHARS.sub("", text)
    return text


def misdecoding_problem(text: str) -> str | None:
    """A quality note when `text` still looks mis-decoded (replacement characters or mojibake), else None."""
    if not text:
        return None
    unexpected = len(text) - len(EXPECTED_CHARS.findall(text))
    if unexpected > MAX_UNEXPECTED_SHARE * len(text):
        return f"text looks mis-decoded: {unexpected} of {len(text)} characters are U+FFFD or outside CJK/ASCII"
    return None


def page_from_text(text: str, url: str) -> RawPage:
    """A plain-text page (one paragraph per line; a first line followed by a byline is the title) as the raw
    HTML page the site would serve: every line a `<p>`, so no line carries heading markup."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = ""
    if len(lines) > 1 and patterns.BYLINE.match(lines[1]):
        title, lines = lines[0], lines[2:]
    elif lines and patterns.BYLINE.match(lines[0]):
        lines = lines[1:]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    heading = f'<h1 id="articleTitle">{html.escape(title)}</h1>' if title else ""
    container = ('<div class="articleCon">' if "//m." in url else '<div class="content" id="articleText">') + body + "</div>"
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div class="article">{heading}{container}</div></body></html>'
    return RawPage(url, page.encode("utf-8"), "text/html; charset=utf-8")


def circled_to_numbered(text: str) -> str:
    """"①登录…" → "1、登录…" before width folding, which would glue a bare digit to the text."""
    return patterns.CIRCLED_NUMBER_START.sub(lambda m: f"{ord(m.group(1)) - ord('①') + 1}、", text, count=1)


def nfkc(text: str) -> str:
    """Width-fold and trim one line (full-width ASCII → ASCII, ideographic space → space); a circled list
    number becomes "N、" first. Records keep the original text; patterns need one spelling."""
    return unicodedata.normalize("NFKC", circled_to_numbered(text)).strip()


def parse_published(text: str | None) -> datetime | None:
    """'2025-05-02 15:17:00' (or without seconds) as an aware datetime in Beijing time; None if absent."""
    match = TIME_IN_TEXT.search(text or "")
    if not match:
        return None
    year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
    second = int(match.group(6) or 0)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=SITE_TZ)
    except ValueError:  # 2025-02-30 and the like: a bad date is no date
        return None


def _parse_document(text: str) -> lxml_html.HtmlElement:
    if not text.strip():
        raise ExtractionError("empty page")
    if "\x00" in text[:4096]:
        raise ExtractionError("binary content, not HTML")
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(f"unparseable HTML: {error}") from error


def _first_text(doc: lxml_html.HtmlElement, xpaths: Sequence[str]) -> str | None:
    for xpath in xpaths:
        for node in doc.xpath(xpath):
            value = " ".join(node.text_content().split())
            if value:
                return value
    return None


def extract_title(doc: lxml_html.HtmlElement) -> str | None:
    title = _first_text(doc, TITLE_XPATHS)
    return nfkc(TITLE_SITE_SUFFIX.sub("", title)) if title else None


def extract_published(doc: lxml_html.HtmlElement) -> datetime | None:
    """The time of the article's own time element, else of the byline right after the title; None if bad."""
    for xpath in TIME_XPATHS:
        nodes = doc.xpath(xpath)
        if nodes:
            return parse_published(nodes[0].text_content())
    for title in doc.xpath(TITLE_XPATHS[-2]):  # the first <h1>
        container = title.getparent()
        if container is not None:
            text = container.text_content()
            start = text.find(title.text_content())
            return parse_published(text[start : start + len(title.text_content()) + BYLINE_WINDOW])
    return None


def _body_tree(doc: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The article container moved into an empty document's <article> (no re-parse), else the whole page.

    The <article> wrapper tells trafilatura this is the main content: a container it does not know by
    name (the mobile template's div.articleCon) otherwise goes to its paragraph-only fallback, which
    drops <h2> section headings.
    """
    for xpath in BODY_XPATHS:
        nodes = doc.xpath(xpath)
        if nodes:
            root, body, article = (lxml_html.Element(tag) for tag in ("html", "body", "article"))
            root.append(body)
            body.append(article)
            article.append(nodes[0])  # moves the node: call after title and time are read
            return root
    return doc


def extract_body_blocks(doc: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    """The body's paragraphs as (mark, line) via trafilatura's XML (raw: boilerplate not yet removed).

    The XML keeps what the markup says: `<head>` (an h1–h6) marks a heading, a paragraph that is all
    bold marks a bold line; list items and table rows are lines of their own. Consumes `doc`.
    """
    xml = trafilatura.extract(
        _body_tree(doc),
        fast=True,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        include_formatting=True,
        deduplicate=False,
        output_format="xml",
    )
    if not xml:
        return []
    main = etree.fromstring(xml.encode("utf-8")).find("main")
    blocks: list[tuple[str, str]] = []
    if main is not None:
        _collect_blocks(main, blocks)
    return [(mark, line) for mark, raw in blocks for line in (nfkc(part) for part in raw.split("\n")) if line]


def _collect_blocks(element: etree._Element, blocks: list[tuple[str, str]]) -> None:
    """Walk trafilatura's XML: one (mark, text) per head / paragraph / list item / table row."""
    for child in element:
        tag = child.tag
        if tag == "head":
            blocks.append((LineMark.HEADING, _text_with_breaks(child)))
        elif tag in ("p", "item", "quote"):
            if any(grandchild.tag in ("list", "table", "p") for grandchild in child):
                _collect_blocks(child, blocks)
            else:
                blocks.append((LineMark.BOLD if _all_bold(child) else LineMark.PLAIN, _text_with_breaks(child)))
        elif tag == "row":
            blocks.append((LineMark.PLAIN, " ".join(" ".join(cell.itertext()).strip() for cell in child)))
        else:
            _collect_blocks(child, blocks)


def _text_with_breaks(element: etree._Element) -> str:
    """An element's text with each <lb/> as a line break."""
    parts = [element.text or ""]
    for child in element.iter():
        if child is element:
            continue
        if child.tag == "lb":
            parts.append("\n")
        elif child.text:
            parts.append(child.text)
        parts.append(child.tail or "")
    return "".join(parts)


def _all_bold(element: etree._Element) -> bool:
    """True when every visible character of the paragraph sits inside a bold run."""
    outside = (element.text or "") + "".join(child.tail or "" for child in element)
    bold = [child for child in element if child.tag == "hi" and "#b" in (child.get("rend") or "")]
    return bool(bold) and not outside.strip() and len(bold) == len(element)


def strip_boilerplate(lines: Sequence[str]) -> list[str]:
    """Drop the site's boilerplate lines from plain lines (see strip_boilerplate_blocks)."""
    return [line for _, line in strip_boilerplate_blocks([(LineMark.PLAIN, line) for line in lines])]


def strip_boilerplate_blocks(blocks: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop the site's boilerplate lines; cut the intro's closing sentence out of its paragraph; stop at
    the footer (site notice, disclaimer banner, related lists, recruitment) and drop a trailing tag list."""
    kept: list[tuple[str, str]] = []
    disclaimer_at: int | None = None  # how many body lines came before the "仅供参考" disclaimer
    for mark, line in blocks:
        if patterns.BOILERPLATE_SITE_NOTICE.match(line) or patterns.FOOTER_START.match(line):
            break  # everything after the site notice or a footer banner is footer (related lists, tags)
        if patterns.BOILERPLATE_DISCLAIMER.match(line):
            disclaimer_at = len(kept) if disclaimer_at is None else disclaimer_at  # (the template repeats it last)
            continue
        if (
            patterns.BYLINE.match(line)
            or patterns.BOILERPLATE_WIDGET.match(line)
            or len(patterns.RELATED_ARTICLE_ENTRY.findall(line)) >= 2
        ):
            continue
        line = patterns.BOILERPLATE_DISCLAIMER_TAIL.sub("", patterns.BOILERPLATE_INTRO_TAIL.sub("", line))
        line = patterns.BOILERPLATE_GENERATOR_TOKEN.sub("", line).strip()
        if line:
            kept.append((mark, line))
    return _drop_tag_list(kept, disclaimer_at)


def _drop_tag_list(blocks: list[tuple[str, str]], disclaimer_at: int | None = None) -> list[tuple[str, str]]:
    """A run of short unpunctuated lines at the very end is the tag list ("医保断缴", "医保余额?"); right after the
    closing disclaimer even one or two such lines are tags."""
    end = len(blocks)
    while end > 0 and patterns.TAG_LINE.match(blocks[end - 1][1]):
        end -= 1
    if end > 0 and patterns.SUBHEADING_COLON_END.search(blocks[end - 1][1]):
        return blocks  # "下列费用仍需个人自付:" then short lines: the list it announces, not tags
    after_disclaimer = disclaimer_at is not None and end <= disclaimer_at < len(blocks)
    return blocks[:end] if len(blocks) - end >= patterns.TAG_LIST_MIN_LINES or after_disclaimer else blocks


def _drop_title_echo(blocks: list[tuple[str, str]], title: str | None) -> list[tuple[str, str]]:
    """Full-page fallback extraction may repeat the title as the first line."""
    if blocks and title and blocks[0][1] == title:
        return blocks[1:]
    return blocks


def extract_article(pages: Sequence[RawPage]) -> ExtractedArticle:
    """One article from its pages (first page first): title and time from page 1, body from all."""
    if not pages:
        raise ExtractionError("no pages")
    first = pages[0]
    parsed_url = parse_article_url(first.url)
    title: str | None = None
    published: datetime | None = None
    body: list[tuple[str, str]] = []
    for number, page in enumerate(pages, start=1):
        text, _ = decode_html(page.body, page.content_type)
        doc = _parse_document(text)
        if number == 1:
            title = extract_title(doc)
            published = extract_published(doc)
        body.extend(_drop_title_echo(extract_body_blocks(doc), title))
    blocks = strip_boilerplate_blocks(body)
    if not blocks:
        raise ExtractionError("no body text found")
    problems = []
    if title is None:
        problems.append("no title found")
    if published is None:
        problems.append("no valid published time found")
    return ExtractedArticle(
        url=parsed_url.first_page_url if parsed_url else first.url,
        title=title,
        published_at=published,
        category=parsed_url.category if parsed_url else None,
        body_lines=[line for _, line in blocks],
        line_marks=[mark for mark, _ in blocks],
        problems=problems,
    )
