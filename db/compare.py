"""What differs between cities for one question template: a fact × city matrix of one section cluster.

A *fact slot* is what the cities answer: for materials, exclusions and coverage the item itself (a
city states it or not); for timeframes what the duration measures (`applies_to`, plus `status` when it
is not the city's current figure), whose value is the duration ("15个工作日内"); for steps the channel
and ordinal, whose value is the step's text; contacts and notes are each their own slot. A slot is
*common* when every city of the cluster states it with the same values, and *differs* otherwise; common
slots come first, then the differing ones with their values side by side ("15个工作日内 ×2 vs
20个工作日内 ×1"). Re-posts and records without a city are left out, as in fact_coverage_view.

The HTML page is rendered by Jinja2 from `db/templates/compare.html.j2` with autoescaping on: page text
is untrusted. It needs no server and no script.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from db.export import ExportError, require_database, spreadsheet_text
from db.migrations import upgrade
from db.session import make_engine
from schema.vocabulary import CORE_RECORD_TYPES, RECORD_TYPES

# The analysts' four types first, then the extras, in vocabulary order.
TYPE_ORDER = {t: i for i, t in enumerate([*CORE_RECORD_TYPES, *(t for t in RECORD_TYPES if t not in CORE_RECORD_TYPES)])}
UNIT_NAMES = {"hour": "小时", "day": "天", "workday": "个工作日", "week": "周", "month": "个月", "year": "年"}
PRESENT = "✓"  # the value of a material / exclusion / coverage slot: the city lists the item
MISSING = "—"  # shown in a city's cell when the city does not state the fact


class CompareError(ExportError):
    """No cluster matches, a bad output path: a message for the user (exit code 2)."""


@dataclass(frozen=True)
class Cluster:
    section_cluster_id: str
    topic: str
    n_cities: int
    n_records: int


@dataclass(frozen=True)
class FactRow:
    """One fact slot across the cluster's cities."""

    type: str
    label: str  # what the slot is about: the item, "offline", "step 2 · app", ...
    cells: dict[str, tuple[str, ...]]  # city -> the values it states (empty: not stated)
    common: bool
    values: list[tuple[str, list[str]]]  # each distinct value -> the cities stating it, most cities first
    missing: list[str]  # cities that do not state the fact


@dataclass(frozen=True)
class Comparison:
    topic_query: str
    record_type: str | None
    cluster: Cluster
    alternatives: list[Cluster]  # the other clusters whose topic matched, most cities first
    cities: list[str]
    rows: list[FactRow]

    @property
    def common(self) -> list[FactRow]:
        return [row for row in self.rows if row.common]

    @property
    def differing(self) -> list[FactRow]:
        return [row for row in self.rows if not row.common]

    def choice_note(self) -> str | None:
        """Which cluster was chosen when several matched, and how to pick another; None when one matched."""
        if not self.alternatives:
            return None
        others = "; ".join(f"{c.section_cluster_id} {c.topic} ({cities_count(c.n_cities)})" for c in self.alternatives[:10])
        more = f" and {len(self.alternatives) - 10} more" if len(self.alternatives) > 10 else ""
        return (f"{len(self.alternatives) + 1} section clusters match {self.topic_query!r}: showing the one with "
                f"most cities, {self.cluster.section_cluster_id} {self.cluster.topic} "
                f"({cities_count(self.cluster.n_cities)}). Others: {others}{more}. Pick one with --cluster ID.")


def cities_count(n: int) -> str:
    return f"{n} city" if n == 1 else f"{n} cities"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def duration(value_min: float | None, value_max: float | None, unit: str | None, bound: str | None) -> str:
    """A timeframe as a reader writes it: 15个工作日内, 3个月以上, 1-3个工作日, 即时."""
    if bound == "immediately":
        return "即时"
    name = UNIT_NAMES.get(unit or "", unit or "")
    limit = value_max if value_max is not None else value_min
    if bound == "within" and limit is not None:
        return f"{_number(limit)}{name}内"
    if bound == "at_least" and value_min is not None:
        return f"{_number(value_min)}{name}以上"
    if value_min is not None and value_max is not None and value_min != value_max:
        return f"{_number(value_min)}-{_number(value_max)}{name}"
    single = value_min if value_min is not None else value_max
    return f"{_number(single)}{name}" if single is not None else "?"


# Fixed SQL; every value is a bound parameter. The type condition is added only when a type is given
# (PostgreSQL cannot type an untyped NULL parameter in `:type IS NULL`).
_TYPE_CONDITION = " AND type = :type"
_RECORDS = """
SELECT city, record_id, type, text, item, value_min, value_max, unit, bound, applies_to, channel, ordinal, status
FROM record_view
WHERE section_cluster_id = :cluster AND duplicate_of IS NULL AND city IS NOT NULL{type_condition}
"""
# The LIKE pattern is the user's text with its wildcards escaped, bound as a value.
_CLUSTERS = """
SELECT section_cluster_id, MIN(topic) AS topic, COUNT(DISTINCT city) AS n_cities, COUNT(*) AS n_records
FROM record_view
WHERE topic LIKE :pattern ESCAPE '!' AND duplicate_of IS NULL AND city IS NOT NULL{type_condition}
GROUP BY section_cluster_id
ORDER BY COUNT(DISTINCT city) DESC, COUNT(*) DESC, section_cluster_id
"""


def _query(sql: str, record_type: str | None) -> Any:
    return text(sql.format(type_condition=_TYPE_CONDITION if record_type else ""))


def _like_pattern(substring: str) -> str:
    escaped = substring.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def find_clusters(connection: Connection, topic: str, record_type: str | None = None) -> list[Cluster]:
    """Clusters whose topic contains `topic`, most cities first."""
    rows = connection.execute(_query(_CLUSTERS, record_type), {"pattern": _like_pattern(topic), "type": record_type})
    return [Cluster(r.section_cluster_id, r.topic, r.n_cities, r.n_records) for r in rows]


def _slot(record: Any) -> tuple[str, str, tuple[Any, ...]]:
    """(type, label, sort key) of the fact slot a record answers."""
    kind = record.type
    if kind in ("material", "exclusion", "coverage"):
        label = record.item or record.text
        return kind, label, (label,)
    if kind == "timeframe":
        label = record.applies_to or "duration"
        if record.status and record.status != "current":
            label += f" ({record.status})"
        return kind, label, (label,)
    if kind == "step" and record.ordinal is not None:
        channel = record.channel or "any channel"
        return kind, f"step {record.ordinal} · {channel}", (channel, record.ordinal)
    short = record.text if len(record.text) <= 40 else record.text[:39] + "…"
    return kind, short, (record.record_id,)


def _value(record: Any, texts: dict[str, str]) -> str:
    if record.type in ("material", "exclusion", "coverage"):
        return PRESENT
    if record.type == "timeframe":
        return duration(record.value_min, record.value_max, record.unit, record.bound)
    return texts[record.record_id]  # one wording per fact: 医保 and 医疗保险 spellings are the same record


def build_rows(records: Sequence[Any]) -> tuple[list[str], list[FactRow]]:
    """The cluster's cities and its fact slots, common slots first."""
    cities = sorted({r.city for r in records})
    texts: dict[str, str] = {}
    for record in records:
        texts[record.record_id] = min(texts.get(record.record_id, record.text), record.text)
    slots: dict[tuple[str, tuple[Any, ...]], tuple[str, dict[str, set[str]]]] = {}
    for record in records:
        kind, label, key = _slot(record)
        _, cells = slots.setdefault((kind, key), (label, defaultdict(set)))
        cells[record.city].add(_value(record, texts))
    rows = []
    for (kind, key), (label, cells) in slots.items():
        by_city = {city: tuple(sorted(cells.get(city, ()))) for city in cities}
        groups: dict[str, list[str]] = defaultdict(list)
        for city, values in by_city.items():
            if values:
                groups[" / ".join(values)].append(city)
        missing = [city for city, values in by_city.items() if not values]
        common = not missing and len(groups) == 1
        values = sorted(groups.items(), key=lambda group: (-len(group[1]), group[0]))
        rows.append((not common, TYPE_ORDER.get(kind, 99), key, FactRow(kind, label, by_city, common, values, missing)))
    rows.sort(key=lambda row: row[:3])
    return cities, [row[3] for row in rows]


def compare_topic(db_url: str, topic: str, record_type: str | None = None, cluster_id: str | None = None) -> Comparison:
    """The comparison for the cluster whose topic contains `topic` (most cities, or `cluster_id`)."""
    if not topic.strip():
        raise CompareError("--topic needs some text to look for, e.g. --topic 参保地")
    require_database(db_url)
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            clusters = find_clusters(connection, topic, record_type)
            if not clusters:
                kind = f" with {record_type} records" if record_type else ""
                raise CompareError(f"no section cluster{kind} has a topic containing {topic!r} "
                                   "(topics look like {城市}医保参保地怎么变更去哪里改)")
            chosen = clusters[0]
            if cluster_id is not None:
                matching = [c for c in clusters if c.section_cluster_id == cluster_id]
                if not matching:
                    raise CompareError(f"cluster {cluster_id!r} is not among the {len(clusters)} clusters whose "
                                       f"topic contains {topic!r}")
                chosen = matching[0]
            records = connection.execute(_query(_RECORDS, record_type),
                                         {"cluster": chosen.section_cluster_id, "type": record_type}).fetchall()
    finally:
        engine.dispose()
    cities, rows = build_rows(records)
    alternatives = [c for c in clusters if c is not chosen]
    return Comparison(topic, record_type, chosen, alternatives, cities, rows)


# --- output ----------------------------------------------------------------------------------------------


def values_side_by_side(row: FactRow) -> str:
    """'15个工作日内 ×2 vs 20个工作日内 ×1 vs — ×1' (— = cities that do not state it)."""
    parts = [f"{value} ×{len(cities)}" for value, cities in row.values]
    if row.missing:
        parts.append(f"{MISSING} ×{len(row.missing)}")
    return " vs ".join(parts)


def render_html(comparison: Comparison) -> str:
    """The matrix as one self-contained HTML page (inline CSS, no script), every page text escaped."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    # autoescape on for every template, whatever its suffix: record text comes from the web
    environment = Environment(loader=PackageLoader("db", "templates"), autoescape=True, undefined=StrictUndefined)
    template = environment.get_template("compare.html.j2")
    return template.render(c=comparison, MISSING=MISSING, cities_count=cities_count)


def render_text(comparison: Comparison) -> str:
    """A terminal summary: common facts, then the differing ones with their values side by side."""
    cluster = comparison.cluster
    lines = [f"{cluster.topic} ({cluster.section_cluster_id}): {cities_count(len(comparison.cities))}: "
             f"{', '.join(comparison.cities)}", "", f"held by every city ({len(comparison.common)}):"]
    lines += [f"  {row.type:<10} {row.label}: {row.values[0][0]}" for row in comparison.common]
    lines += ["", f"differ between cities ({len(comparison.differing)}):"]
    for row in comparison.differing:
        lines.append(f"  {row.type:<10} {row.label}: {values_side_by_side(row)}")
        lines += [f"      {value}: {', '.join(cities)}" for value, cities in row.values]
        if row.missing:
            lines.append(f"      {MISSING} (not stated): {', '.join(row.missing)}")
    return "\n".join(lines)


def csv_rows(comparison: Comparison) -> list[list[str]]:
    """Header and one row per fact: group, type, fact, values side by side, then one column per city."""
    rows = [["group", "type", "fact", "values", *comparison.cities]]
    for row in comparison.rows:
        cells = [" / ".join(row.cells[city]) or MISSING for city in comparison.cities]
        rows.append(["common" if row.common else "differs", row.type, row.label, values_side_by_side(row), *cells])
    return rows


def write_comparison(comparison: Comparison, out: str, *, raw: bool = False) -> None:
    """Write the comparison as HTML (.html/.htm) or CSV (.csv, formula-safe like `export`)."""
    target = Path(out)
    suffix = target.suffix.lower()
    if suffix not in (".html", ".htm", ".csv"):
        raise CompareError(f"--out must end in .html or .csv, not {target.name!r}")
    try:
        if suffix == ".csv":
            with target.open("w", encoding="utf-8-sig", newline="") as stream:
                csv.writer(stream).writerows(
                    [spreadsheet_text(cell, raw=raw, cut=True) for cell in row] for row in csv_rows(comparison)
                )
        else:
            target.write_text(render_html(comparison), encoding="utf-8")
    except OSError as error:
        raise CompareError(f"cannot write {out}: {error.strerror or error}") from None
