"""Score the normalizers against hand-written labels for held-out fixture articles.

Each labelled article (crawler/fixture_site/<set>/<id>.txt) is rendered as the fixture site renders
it, run through the real pipeline (extract → region → sections → records), and compared with its
label file: precision, recall and F1 per record type, and region accuracy.

Matching is one-to-one per section: a gold material/exclusion key matches a record whose item
contains it (or is contained in it); a timeframe matches on (value_min, value_max, unit); a step key
matches a step record whose text contains it. Unmatched records are false positives, unmatched keys
false negatives. Usage: .venv/bin/python eval/evaluate.py [--set blind] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.fixture_site.content import load_articles  # noqa: E402
from crawler.fixture_site.render import render_article_page  # noqa: E402
from normalize.extract import RawPage  # noqa: E402
from normalize.pipeline import process_pages  # noqa: E402
from schema.records import Record  # noqa: E402
from schema.vocabulary import CORE_RECORD_TYPES  # noqa: E402

TYPES = CORE_RECORD_TYPES
# Labelled sets: article folder under crawler/fixture_site/ → label folder. Each was written by someone
# who never read the pattern code. Each set but the newest was scored once blind and then used to tune
# the patterns; the newest, "blind6", was written after the last tuning and is the honest score.
LABEL_SETS = {
    "heldout": ROOT / "eval" / "labels",
    "blind": ROOT / "eval" / "labels_blind",
    "blind2": ROOT / "eval" / "labels_blind2",
    "blind3": ROOT / "eval" / "labels_blind3",
    "blind4": ROOT / "eval" / "labels_blind4",
    "blind5": ROOT / "eval" / "labels_blind5",
    "blind6": ROOT / "eval" / "labels_blind6",
    "blind7": ROOT / "eval" / "labels_blind7",
}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
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


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _item_matches(record: Record, key: object) -> bool:
    key = _nfkc(str(key))
    item = _nfkc(record.item or "")
    if item:
        return key in item or item in key
    return key in _nfkc(record.text)


def _timeframe_matches(record: Record, key: object) -> bool:
    low, high, unit = key  # type: ignore[misc]
    return record.unit == unit and record.value_min == low and record.value_max == high


def _step_matches(record: Record, key: object) -> bool:
    return _nfkc(str(key)) in _nfkc(record.text)


MATCHERS: dict[str, Callable[[Record, object], bool]] = {
    "material": _item_matches,
    "exclusion": _item_matches,
    "timeframe": _timeframe_matches,
    "step": _step_matches,
}


def match_section(kind: str, records: Sequence[Record], keys: Sequence[object], counts: Counts, where: str) -> None:
    """Greedy one-to-one matching of gold keys to records of one type in one section."""
    unused = [r for r in records if r.type == kind]
    for key in keys:
        hit = next((r for r in unused if MATCHERS[kind](r, key)), None)
        if hit is None:
            counts.fn += 1
            counts.errors.append(f"FN {where} {kind}: {key}")
        else:
            counts.tp += 1
            unused.remove(hit)
    counts.fp += len(unused)
    counts.errors.extend(f"FP {where} {kind}: {r.item or r.text}" for r in unused)


@dataclass
class Scores:
    by_type: dict[str, Counts]
    region_right: int
    region_total: int
    region_errors: list[str]


def evaluate(article_set: str = "blind6") -> Scores:
    label_dir = LABEL_SETS[article_set]
    articles = {a.id: a for a in load_articles(article_set)}
    by_type = {kind: Counts() for kind in TYPES}
    region_right, region_errors = 0, []
    labels = sorted(label_dir.glob("*.json"))
    for index, path in enumerate(labels):
        gold = json.loads(path.read_text(encoding="utf-8"))
        article = articles[int(gold["id"])]
        html = render_article_page(article, list(article.paragraphs), template=("desktop", "mobile")[index % 2],
                                   heading_style=("h2", "strong", "plain")[index % 3])
        result = process_pages([RawPage(f"https://m.shebao.southmoney.com{article.path}", html.encode(), None)])
        region = (result.region.province, result.region.city, result.region.adcode)
        if region == (gold["province"], gold["city"], gold["adcode"]):
            region_right += 1
        else:
            region_errors.append(f"{article.id}: got {region}, want {(gold['province'], gold['city'], gold['adcode'])}")
        predicted = {_nfkc(s.heading): s.records for s in result.sections}
        expected = {_nfkc(h): v for h, v in gold["sections"].items()}
        for heading in predicted.keys() | expected.keys():
            records = predicted.get(heading, [])
            for kind in TYPES:
                where = f"{article.id} «{heading}»"
                match_section(kind, records, expected.get(heading, {}).get(kind, []), by_type[kind], where)
    return Scores(by_type, region_right, len(labels), region_errors)


def format_table(scores: Scores) -> str:
    lines = ["| type | TP | FP | FN | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, c in scores.by_type.items():
        lines.append(f"| {kind} | {c.tp} | {c.fp} | {c.fn} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} |")
    lines.append(f"\nregion right on {scores.region_right} of {scores.region_total} labelled articles")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every false positive and negative")
    parser.add_argument("--set", choices=sorted(LABEL_SETS), action="append", dest="sets",
                        help="labelled set(s) to score (default: all)")
    args = parser.parse_args()
    for article_set in args.sets or sorted(LABEL_SETS):
        scores = evaluate(article_set)
        print(f"\n{article_set} ({scores.region_total} articles)\n{format_table(scores)}")
        if args.verbose:
            for counts in scores.by_type.values():
                print("\n".join(counts.errors))
            print("\n".join(scores.region_errors))


if __name__ == "__main__":
    main()
