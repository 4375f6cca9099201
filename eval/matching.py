"""The one matcher between labelled facts and extracted records, used by eval/evaluate.py and the tests.

Matching is exact and one-to-one per article:
- material / exclusion: the record's item equals the key after the alias table and width folding
  (`normalize.aliases.item_identity`); a key that only contains, or is contained in, an unmatched
  item is reported as a *containment* near-miss, never counted as a hit;
- timeframe: (value_min, value_max, unit) equal, among records whose status is current; labelled
  not-current durations must come out with a non-current status (scored as `timeframe_status`);
- step: the key (a 6–12 character substring of the line) occurs in the record's text; a key with a
  labelled actor must carry that actor (scored as `step_actor`).
Headings are scored as found / labelled (a labelled question heading must be a section heading).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from normalize.aliases import item_identity
from schema.records import NormalizedArticle, Record
from schema.vocabulary import CORE_RECORD_TYPES, TimeframeStatus

# Extra scores beside the four record types.
EXTRA_SCORES = ("timeframe_status", "step_actor", "heading")
SCORE_NAMES: tuple[str, ...] = (*CORE_RECORD_TYPES, *EXTRA_SCORES)

Found = TypeVar("Found")


@dataclass
class Counts:
    """True/false positives and negatives of one score, with the misses spelled out."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    containment: int = 0  # misses whose key and an unmatched record's item contain one another
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.containment += other.containment
        self.errors.extend(other.errors)


def fold(text: str) -> str:
    """Width folding (full-width ASCII → ASCII) and trimming: how labels and records are compared."""
    return unicodedata.normalize("NFKC", text).strip()


def item_hit(record: Record, key: object) -> bool:
    return bool(record.item) and item_identity(record.item or "") == item_identity(str(key))


def item_contains(record: Record, key: object) -> bool:
    item, wanted = item_identity(record.item or ""), item_identity(str(key))
    return bool(item) and (wanted in item or item in wanted)


def timeframe_hit(record: Record, key: object) -> bool:
    low, high, unit = key  # type: ignore[misc]
    return record.unit == unit and record.value_min == low and record.value_max == high


def step_hit(record: Record, key: object) -> bool:
    return fold(str(key)) in fold(record.text)


EXACT: dict[str, Callable[[Record, object], bool]] = {
    "material": item_hit,
    "exclusion": item_hit,
    "timeframe": timeframe_hit,
    "step": step_hit,
}


def is_current(record: Record) -> bool:
    return record.status in (None, TimeframeStatus.CURRENT.value)


def _greedy(
    records: Sequence[Found], keys: Iterable[object], hit: Callable[[Found, object], bool]
) -> tuple[list[tuple[object, Found]], list[object], list[Found]]:
    """One-to-one greedy matching: (pairs, unmatched keys, unmatched records)."""
    unused = list(records)
    pairs, missed = [], []
    for key in keys:
        found = next((r for r in unused if hit(r, key)), None)
        if found is None:
            missed.append(key)
        else:
            pairs.append((key, found))
            unused.remove(found)
    return pairs, missed, unused


def score_type(kind: str, records: Sequence[Record], keys: Sequence[object], where: str) -> Counts:
    """Exact one-to-one matching of one record type's keys against the article's records of that type."""
    candidates = [r for r in records if r.type == kind and (kind != "timeframe" or is_current(r))]
    pairs, missed, unused = _greedy(candidates, keys, EXACT[kind])
    counts = Counts(tp=len(pairs), fn=len(missed), fp=len(unused))
    if kind in ("material", "exclusion"):
        counts.containment = len(_greedy(unused, missed, item_contains)[0])
    counts.errors.extend(f"FN {where} {kind}: {key}" for key in missed)
    counts.errors.extend(f"FP {where} {kind}: {r.item or r.text}" for r in unused)
    return counts


def score_status(records: Sequence[Record], not_current: Sequence[object], where: str) -> Counts:
    """Labelled superseded / hypothetical / other-place durations must not come out as current."""
    timeframes = [r for r in records if r.type == "timeframe"]
    pairs, missed, _ = _greedy(timeframes, not_current, timeframe_hit)
    counts = Counts()
    for key, record in pairs:
        if is_current(record):
            counts.fn += 1
            counts.errors.append(f"FN {where} timeframe_status: {key} stored as current")
        else:
            counts.tp += 1
    counts.tp += len(missed)  # not extracted at all is not stored as a current fact either
    return counts


def score_actors(records: Sequence[Record], actors: dict[str, str], where: str) -> Counts:
    """Steps labelled with an actor must be steps carrying that actor."""
    counts = Counts()
    steps = [r for r in records if r.type == "step"]
    for key, actor in actors.items():
        record = next((r for r in steps if step_hit(r, key)), None)
        if record is not None and record.actor == actor:
            counts.tp += 1
        else:
            counts.fn += 1
            counts.errors.append(f"FN {where} step_actor: {key} want {actor}, got {record.actor if record else 'no step'}")
    return counts


def score_headings(result: NormalizedArticle, headings: Sequence[str], where: str) -> Counts:
    """Labelled question headings must be section headings; other section headings are false positives."""
    found = [fold(s.heading) for s in result.sections if s.heading]
    pairs, missed, unused = _greedy(found, [fold(h) for h in headings], lambda got, want: got == want)
    counts = Counts(tp=len(pairs), fn=len(missed), fp=len(unused))
    counts.errors.extend(f"FN {where} heading: {h}" for h in missed)
    counts.errors.extend(f"FP {where} heading: {h}" for h in unused)
    return counts


def score_article(result: NormalizedArticle, gold: dict, where: str) -> dict[str, Counts]:
    """Every score of one labelled article (sections of the label are pooled: matching is per article)."""
    records = result.records
    sections = gold["sections"].values()
    scores = {}
    for kind in CORE_RECORD_TYPES:
        keys = [key for section in sections for key in section.get(kind, [])]
        scores[kind] = score_type(kind, records, keys, where)
    not_current = [key for section in sections for key in section.get("timeframe_not_current", [])]
    scores["timeframe_status"] = score_status(records, not_current, where)
    actors = {key: actor for section in sections for key, actor in section.get("step_actor", {}).items()}
    scores["step_actor"] = score_actors(records, actors, where)
    headings = gold.get("headings") or [h for h in gold["sections"] if h]
    scores["heading"] = score_headings(result, headings, where)
    return scores
