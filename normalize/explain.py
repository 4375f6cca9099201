"""Say which rule typed each line of a page (or of one line): the rule engine, readable by a newcomer.

`explain_pages` runs the real pipeline with tracing on and prints, per section, each line with its role
(the LINE_KIND_RULES row or the walk's override), the row of every rule table that decided about it, and
the records it gave. `shebao explain URL|FILE` and `shebao explain --line TEXT` call these.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from normalize.extract import RawPage, extract_article, page_from_text
from normalize.pipeline import normalize_article
from normalize.records.walk import LineTrace, section_records
from schema.records import NormalizedArticle, Record, Section


def describe_record(record: Record) -> str:
    """One record as "type: fields" (only the fields it has)."""
    fields = {
        "item": record.item, "min": record.value_min, "max": record.value_max, "unit": record.unit,
        "status": record.status, "applies_to": record.applies_to, "actor": record.actor, "channel": record.channel,
        "ordinal": record.ordinal, "menu": " > ".join(record.menu_path) or None,
    }
    shown = ", ".join(f"{name}={value}" for name, value in fields.items() if value is not None)
    return f"{record.type}: {shown}" if shown else str(record.type)


def format_trace(trace: Sequence[LineTrace]) -> list[str]:
    """Each traced line, its rules and its records, indented."""
    out = []
    for entry in trace:
        block = f"  [block: {entry.block}]" if entry.block else ""
        out.append(f"  {entry.line}")
        out.append(f"      role: {entry.role}{block}")
        for table, rule in entry.rules.items():
            out.append(f"      {table} rule: {rule}")
        out.extend(f"      → {describe_record(record)}" for record in entry.records)
    return out


def explain_article(result: NormalizedArticle, traces: dict[int, list[LineTrace]]) -> str:
    """The region, then every section's heading and traced lines."""
    region = result.region
    out = [f"title: {result.article.title}", f"region: {region.province} / {region.city} ({region.adcode})"]
    for section in result.sections:
        out.append(f"\nsection {section.index}: {section.heading or '(untitled: the lines before the first heading)'}")
        out.extend(format_trace(traces.get(section.index, [])))
    return "\n".join(out)


def explain_pages(pages: Sequence[RawPage]) -> str:
    """Run the pipeline on an article's pages with tracing on and say how every line was typed."""
    traces: dict[int, list[LineTrace]] = {}
    result = normalize_article(extract_article(pages), traces)
    return explain_article(result, traces)


def explain_line(line: str, heading: str | None = None, block: str | None = None) -> str:
    """How one line is typed under a heading and a sub-heading ("准备材料") of its own."""
    lines = [f"{block}:", line] if block else [line]
    trace: list[LineTrace] = []
    section_records(Section(index=0, heading=heading, lines=lines), (), trace)
    return "\n".join(format_trace(trace))


# Longest wait for a page fetched by URL, and the most bytes read from it.
FETCH_TIMEOUT_SECONDS = 20
FETCH_MAX_BYTES = 5 * 1024 * 1024
# A live-page excerpt starts with its URL on a line of its own.
_URL_LINE = ("http://", "https://")


class SourceError(ValueError):
    """A page to explain that cannot be read; the message says why."""


def load_source(source: str) -> list[RawPage]:
    """An http(s) URL, an .html file, or a text file (one paragraph per line, optionally a URL first line)."""
    if source.startswith(_URL_LINE):
        return [_fetch(source)]
    path = Path(source)
    if not path.is_file():
        raise SourceError(f"{source}: no such file (give an http(s) URL, an .html file or a text file)")
    data = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm"):
        return [RawPage(f"file://{path.resolve()}", data, None)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"{source}: a text file must be UTF-8 ({error})") from error
    first, _, rest = text.partition("\n")
    if first.strip().startswith(_URL_LINE):
        return [page_from_text(rest, first.strip())]
    return [page_from_text(text, f"file://{path.resolve()}")]


def _fetch(url: str) -> RawPage:
    request = urllib.request.Request(url, headers={"User-Agent": "shebao-pipeline explain"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            return RawPage(url, response.read(FETCH_MAX_BYTES), response.headers.get("Content-Type"))
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise SourceError(f"{url}: cannot fetch ({error})") from error
