"""Every expectation in shared/gold/seed_expectations.json, through the real pipeline on rendered seed pages.

The seeds are read from ../shared/seeds (the source of truth), rendered the way the fixture site renders
them (desktop and mobile templates, headings as plain paragraphs), then extracted and normalized.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.fixture_site.content import parse_seed_file
from crawler.fixture_site.render import render_article_page
from normalize.extract import RawPage
from normalize.pipeline import process_pages
from schema.records import NormalizedArticle, Record
from schema.vocabulary import CORE_RECORD_TYPES
from tests.conftest import SHARED

GOLD_PATH = SHARED / "gold" / "seed_expectations.json"
SEED_DIR = SHARED / "seeds"
LIVE_DIR = SHARED / "live"
# A real line this long found in a bundled file counts as copied text.
COPIED_LINE_MIN_CHARS = 20

pytestmark = pytest.mark.skipif(not GOLD_PATH.exists(), reason="../shared/gold is not beside the project")


def _gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


def _seed_names() -> list[str]:
    return [name for name in _gold() if name.endswith(".txt")] if GOLD_PATH.exists() else []


def _normalize(name: str, template: str) -> NormalizedArticle:
    article = parse_seed_file(name, (SEED_DIR / name).read_text(encoding="utf-8"))
    html = render_article_page(article, list(article.paragraphs), template=template, heading_style="plain")
    url = f"https://m.shebao.southmoney.com{article.path}"
    return process_pages([RawPage(url, html.encode("utf-8"), "text/html; charset=utf-8")])


@pytest.fixture(scope="module", params=[(n, t) for n in _seed_names() for t in ("desktop", "mobile")],
                ids=lambda p: f"{p[0][:3]}-{p[1]}")
def seed(request: pytest.FixtureRequest) -> tuple[dict, NormalizedArticle]:
    name, template = request.param
    return _gold()[name], _normalize(name, template)


def _matches(record: Record, kind: str, key: object) -> bool:
    if kind == "timeframe":
        number, unit = key  # type: ignore[misc]
        return record.unit == unit and number in (record.value_min, record.value_max)
    if kind == "step":
        return str(key) in record.text
    return str(key) in (record.item or "") or str(key) in record.text


def test_article_fields(seed: tuple[dict, NormalizedArticle]) -> None:
    # title, published time (ISO, +08:00), province and city as the gold file says
    gold, result = seed
    assert result.article.title == gold["title"]
    assert result.article.published_at is not None
    assert result.article.published_at.isoformat() == gold["published_at"]
    assert (result.region.province, result.region.city) == (gold["province"], gold["city"])


def test_section_headings(seed: tuple[dict, NormalizedArticle]) -> None:
    # exactly the gold sections are found, in page order (after the untitled intro section)
    gold, result = seed
    assert [s.heading for s in result.sections if s.heading is not None] == list(gold["sections"])


def test_intro_section_states_no_core_fact(seed: tuple[dict, NormalizedArticle]) -> None:
    # the seeds' intros only define terms: typing them (as the untitled section) adds no record
    _, result = seed
    untitled = [r for s in result.sections if s.heading is None for r in s.records if r.type in CORE_RECORD_TYPES]
    assert untitled == []


def test_expected_records_present(seed: tuple[dict, NormalizedArticle]) -> None:
    # every listed material / timeframe / step / exclusion is found in its section
    gold, result = seed
    sections = {s.heading: s for s in result.sections}
    missing = []
    for heading, expected in gold["sections"].items():
        records = sections[heading].records if heading in sections else []
        for kind in CORE_RECORD_TYPES:
            for key in expected.get(kind, []):
                if not any(r.type == kind and _matches(r, kind, key) for r in records):
                    missing.append((heading, kind, key))
    assert missing == []


def test_empty_expectations_yield_nothing(seed: tuple[dict, NormalizedArticle]) -> None:
    # a type listed as [] for a section must not be produced there (e.g. no exclusion in 参保地变更)
    gold, result = seed
    sections = {s.heading: s for s in result.sections}
    wrong = [
        (heading, kind)
        for heading, expected in gold["sections"].items()
        for kind in CORE_RECORD_TYPES
        if expected.get(kind) == [] and any(r.type == kind for r in sections[heading].records)
    ]
    assert wrong == []


def _real_page_lines() -> dict[str, list[str]]:
    """Stripped lines of the real pages: the gold seeds, and the live pages without their URL line."""
    pages = {name: (SEED_DIR / name).read_text(encoding="utf-8").splitlines() for name in _seed_names()}
    for path in sorted(LIVE_DIR.glob("*.txt")):
        pages[f"live/{path.name}"] = path.read_text(encoding="utf-8").splitlines()[1:]
    return {name: [line.strip() for line in lines] for name, lines in pages.items()}


def test_no_real_page_text_is_bundled() -> None:
    # real pages (seeds and live pages) are third-party text: the package serves only self-written articles
    package = Path(__file__).resolve().parents[1] / "crawler"
    bundled = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.txt"))
    pages = _real_page_lines()
    for name, lines in pages.items():
        copied = [line for line in lines if len(line) >= COPIED_LINE_MIN_CHARS and line in bundled]
        assert not copied, f"{name}: {copied[:3]}"
