"""The data dictionary of the analyst views, as data: one entry per column (type, meaning, example).

One source for everything that describes the views: the README's data dictionary is rendered from it
(`tests/test_dictionary.py` checks they agree), Datasette's metadata is built from it (`db/browse.py`),
and the exporters take the column types from it (numbers stay numbers in CSV, Parquet gets typed
columns and timezone-aware timestamps). A column a view gains must be added here; the same test fails
until it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schema.vocabulary import (
    ACTORS,
    APPLIES_TO,
    BOUNDS,
    CHANNELS,
    QUALIFIERS,
    RECORD_TYPES,
    TIMEFRAME_STATUSES,
    UNITS,
)


class Kind(StrEnum):
    """A column's logical type (the database stores timestamps as ISO 8601 text)."""

    TEXT = "text"
    INTEGER = "integer"
    REAL = "real"
    BOOLEAN = "boolean"
    TIME_BEIJING = "timestamp (+08:00)"  # ISO 8601 text with a +08:00 offset: the site's own times
    TIME_UTC = "timestamp (UTC)"  # ISO 8601 text in UTC: the machine's times


NUMERIC_KINDS = frozenset({Kind.INTEGER, Kind.REAL, Kind.BOOLEAN})


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    meaning: str
    example: str  # as an analyst sees it in a CSV export ("" = NULL)


@dataclass(frozen=True)
class View:
    name: str
    one_row_per: str
    description: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _one_of(values: tuple[str, ...]) -> str:
    return " / ".join(f"`{v}`" for v in values)


# Columns that several views share, described once.
_URL = Column("url", Kind.TEXT, "URL of the article's first page", "https://m.shebao.southmoney.com/yiliao/yibaozhishi/202505/1234567.html")
_PROVINCE = Column("province", Kind.TEXT, "province of the article's city (NULL when the page names no place)", "青海省")
_CITY = Column("city", Kind.TEXT, "prefecture-level city the article is about (NULL when the page names none)", "西宁市")
_ADCODE = Column("adcode", Kind.TEXT, "six-digit administrative division code of the city (or province)", "630100")
_PUBLISHED = Column("published_at", Kind.TIME_BEIJING, "publication time shown on the page, Beijing time "
                    "(NULL when the page has no valid time)", "2025-05-02T15:17:00+08:00")
_DUPLICATE_OF = Column("duplicate_of", Kind.TEXT, "URL of the earlier article this one re-posts word for word; "
                       "NULL for originals", "")
_CLUSTER = Column("section_cluster_id", Kind.TEXT, "section cluster: the city variants of one question template "
                  "share it (stable across runs)", "ce3ba5f73b9bd9949")
_TOPIC = Column("topic", Kind.TEXT, "the cluster's founding question heading with the place masked as `{城市}`",
                "{城市}医保参保地怎么变更去哪里改")
_RECORD_ID = Column("record_id", Kind.TEXT, "hash of the fact's canonical form: the same fact has the same id in "
                    "every city and article", "85be496b505d6c723178")
_TYPE = Column("type", Kind.TEXT, f"what kind of fact: {_one_of(RECORD_TYPES)}", "material")
_TEXT = Column("text", Kind.TEXT, "the line the fact was read from, as printed on the page", "身份证原件及复印件;")
_ITEM = Column("item", Kind.TEXT, "material / exclusion / coverage: the thing itself, normalised", "身份证")
_VALUE_MIN = Column("value_min", Kind.REAL, "timeframe: lower bound of the duration (NULL when open)", "1.0")
_VALUE_MAX = Column("value_max", Kind.REAL, "timeframe: upper bound of the duration (NULL when open)", "15.0")
_UNIT = Column("unit", Kind.TEXT, f"timeframe: unit of value_min/value_max: {_one_of(UNITS)}", "workday")

ARTICLE_VIEW = View(
    "article_view",
    "article",
    "One row per article (one numeric article id, whichever host it was fetched from).",
    (
        _URL,
        Column("title", Kind.TEXT, "the article's title (NULL when the page has none)", "西宁医保参保地怎么变更?"),
        _PUBLISHED,
        Column("category", Kind.TEXT, "the URL's category path", "yiliao/yibaozhishi"),
        _PROVINCE,
        _CITY,
        _ADCODE,
        _DUPLICATE_OF,
        Column("fetched_at", Kind.TIME_UTC, "when the newest version of the article's pages was fetched",
               "2026-01-05T03:12:40+00:00"),
        Column("article_id", Kind.INTEGER, "the site's numeric article id (the same on every host)", "1234567"),
        Column("processed_at", Kind.TIME_UTC, "when the article was last extracted and normalised",
               "2026-01-05T03:12:47+00:00"),
        Column("complete", Kind.BOOLEAN, "0 when a continuation page could not be fetched or an endless `_N` chain "
               "was cut: the article holds only the pages it got (a `failure` row says why); 1 or 0 "
               "(true/false on PostgreSQL)", "1"),
    ),
)

RECORD_VIEW = View(
    "record_view",
    "record occurrence",
    "One row per fact as it appears in one section of one article, with the article's place and time.",
    (
        _RECORD_ID,
        _URL,
        _PROVINCE,
        _CITY,
        _ADCODE,
        _PUBLISHED,
        Column("section_id", Kind.TEXT, "the section: `<article_id>-<position>`", "1234567-0"),
        _CLUSTER,
        _TOPIC,
        Column("heading", Kind.TEXT, "the section's heading as printed (NULL for lines before the first heading)",
               "西宁医保参保地怎么变更去哪里改"),
        _TYPE,
        _TEXT,
        _ITEM,
        _VALUE_MIN,
        _VALUE_MAX,
        _UNIT,
        Column("bound", Kind.TEXT, f"timeframe: how the numbers bound the duration: {_one_of(BOUNDS)}", "within"),
        Column("applies_to", Kind.TEXT, f"timeframe: what the duration measures: {_one_of(APPLIES_TO)}", "offline"),
        Column("channel", Kind.TEXT, f"step: where it is done: {_one_of(CHANNELS)}", "offline"),
        Column("ordinal", Kind.INTEGER, "step: 1-based position in its block", "2"),
        Column("menu_path", Kind.TEXT, "step: the app or site menu path, `>`-separated", "市民中心 > 医保 > 参保地"),
        Column("actor", Kind.TEXT, f"step: who acts: {_one_of(ACTORS)}", "applicant"),
        Column("status", Kind.TEXT, "timeframe: whose duration it is (only `current` is the city's figure now): "
               f"{_one_of(TIMEFRAME_STATUSES)}", "current"),
        Column("qualifiers", Kind.TEXT, f"material: comma-separated forms: {_one_of(QUALIFIERS)}", "original,copy"),
        Column("optional", Kind.BOOLEAN, "material: only needed in some cases (如需 / 如适用); 1 or 0 "
               "(true/false on PostgreSQL)", "0"),
        Column("category", Kind.TEXT, "exclusion: the group it was listed under", "美容类项目"),
        Column("block", Kind.TEXT, "the sub-heading the line sits under, without the colon", "线下办理"),
        _DUPLICATE_OF,
        Column("occurrence_id", Kind.INTEGER, "the row's own id (changes when the article is re-processed)", "7"),
    ),
)

_N_CITIES = Column("n_cities", Kind.INTEGER, "number of distinct cities whose section of this cluster states the fact", "3")
_CITIES = Column("cities", Kind.TEXT, "those cities, comma-separated, in code-point order on every backend", "九江市,西宁市")
_N_CLUSTER_CITIES = Column("n_cluster_cities", Kind.INTEGER, "number of distinct cities that have this cluster at all", "4")
_SHARE = Column("share", Kind.REAL, "n_cities / n_cluster_cities: 1.0 for a fact every such city states", "0.75")

FACT_COVERAGE_VIEW = View(
    "fact_coverage_view",
    "(section cluster, record)",
    "How many cities state each fact of each question template; re-posts are left out.",
    (
        _CLUSTER,
        _TOPIC,
        _RECORD_ID,
        _TYPE,
        _TEXT,
        _ITEM,
        _VALUE_MIN,
        _VALUE_MAX,
        _UNIT,
        _N_CITIES,
        _CITIES,
        _N_CLUSTER_CITIES,
        _SHARE,
    ),
)

FACT_DIFFERENCE_VIEW = View(
    "fact_difference_view",
    "(section cluster, record)",
    "The \"what differs\" answer: each fact of each question template marked as held by all of the "
    "template's cities or by some only.",
    (
        _CLUSTER,
        _TOPIC,
        Column("held_by", Kind.TEXT, "`all` when every city with this template states the fact, `some` otherwise",
               "some"),
        _TYPE,
        _TEXT,
        _ITEM,
        _VALUE_MIN,
        _VALUE_MAX,
        _UNIT,
        _N_CITIES,
        _N_CLUSTER_CITIES,
        _SHARE,
        _CITIES,
        _RECORD_ID,
    ),
)

VIEWS: dict[str, View] = {
    view.name: view for view in (ARTICLE_VIEW, RECORD_VIEW, FACT_COVERAGE_VIEW, FACT_DIFFERENCE_VIEW)
}


@dataclass(frozen=True)
class ExampleQuery:
    name: str  # a slug: Datasette's canned-query URL
    title: str
    sql: str


# The README's example queries, verbatim (tests/test_dictionary.py checks): Datasette offers them as
# canned queries.
EXAMPLE_QUERIES: tuple[ExampleQuery, ...] = (
    ExampleQuery(
        "xining_change_of_insurance_place",
        "Which documents does 西宁 require for 参保地变更, and how long does it take offline?",
        """SELECT type, item, value_min, value_max, unit, text
FROM record_view
WHERE city = '西宁市' AND topic LIKE '%参保地%'
  AND (type = 'material' OR (type = 'timeframe' AND applies_to = 'offline'));""",
    ),
    ExampleQuery(
        "common_and_different_facts",
        "What is common to all cities in a topic, and what differs",
        """SELECT topic, held_by, type, text, item, value_max, unit, share, n_cities, n_cluster_cities, cities
FROM fact_difference_view
WHERE topic LIKE '%参保地怎么变更%'
ORDER BY held_by, share DESC, type;""",
    ),
)


def markdown_table(view: View) -> str:
    """The view's rows of the README data dictionary (column | type | meaning | example)."""
    lines = ["| column | type | meaning | example |", "|---|---|---|---|"]
    for column in view.columns:
        example = f"`{column.example}`" if column.example else "NULL"
        lines.append(f"| `{column.name}` | {column.kind.value} | {column.meaning} | {example} |")
    return "\n".join(lines)


def markdown_dictionary() -> str:
    """Every view's table, as it stands in the README."""
    parts = []
    for view in VIEWS.values():
        parts.append(f"#### `{view.name}` — one row per {view.one_row_per}\n\n{view.description}\n\n"
                     f"{markdown_table(view)}")
    return "\n\n".join(parts)
