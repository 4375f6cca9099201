"""Score the normalizers against hand-written labels: precision, recall and F1 per record type.

Sets:
- `live`: the stored excerpts of real pages in ../shared/live/ (labels in eval/labels_live/);
- `heldout`, `blind`, `blind2` … `blind7`: self-written articles in eval/sets/<set>/ (labels in
  eval/labels*/), rendered as the fixture site renders them (desktop/mobile, headings as h2, bold or
  plain text, rotating).
Each article goes through the real pipeline (extract → region → sections → records) and is matched by
eval/matching.py: exact items after the alias table, exact timeframes, step substrings. Containment
near-misses are reported beside the exact scores, never counted as hits.

Which sets tuned the patterns and which judge them is kept in TRAINING_SETS / JUDGING_SETS below.
Usage: .venv/bin/python eval/evaluate.py [--set live] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.fixture_site.content import load_articles  # noqa: E402
from crawler.fixture_site.render import render_article_page  # noqa: E402
from eval.live import live_excerpts  # noqa: E402
from eval.matching import SCORE_NAMES, Counts, score_article  # noqa: E402
from normalize.extract import RawPage  # noqa: E402
from normalize.pipeline import process_pages  # noqa: E402

# Label folder of each set.
LABEL_DIRS = {
    "live": ROOT / "eval" / "labels_live",
    "heldout": ROOT / "eval" / "labels",
    **{name: ROOT / "eval" / f"labels_{name}" for name in ("blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19", "blind20", "blind21", "blind22", "blind23", "blind24", "blind25", "blind26", "blind27", "blind28", "blind29", "blind30", "blind31", "blind32", "blind33", "blind34", "blind35", "blind36")},
}
# Sets whose errors were read while writing the patterns: their scores are training scores.
TRAINING_SETS = ("live", "heldout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19", "blind20", "blind21", "blind22", "blind23", "blind24", "blind25", "blind26", "blind27", "blind28", "blind29", "blind30", "blind31", "blind32", "blind33", "blind34")
# Sets written by someone who never read the code and scored once, on first sight, after the last tuning.
JUDGING_SETS = ("blind35", "blind36")


@dataclass
class Scores:
    by_name: dict[str, Counts]
    region_right: int
    region_total: int
    region_errors: list[str]


def _fixture_pages(article_set: str) -> dict[int, RawPage]:
    """Each article of a self-written set rendered as one page, by id (template and heading style rotate)."""
    pages = {}
    for index, article in enumerate(load_articles(article_set)):
        page = render_article_page(article, list(article.paragraphs), template=("desktop", "mobile")[index % 2],
                                   heading_style=("h2", "strong", "plain")[index % 3])
        pages[article.id] = RawPage(f"https://m.shebao.southmoney.com{article.path}", page.encode(), None)
    return pages


def labelled_pages(article_set: str) -> list[tuple[str, RawPage, dict]]:
    """(name, raw page, label) for every labelled article of a set."""
    labels = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(LABEL_DIRS[article_set].glob("*.json"))]
    if article_set == "live":
        excerpts = live_excerpts()
        return [(gold["file"], excerpts[gold["file"]], gold) for gold in labels if gold["file"] in excerpts]
    pages = _fixture_pages(article_set)
    return [(str(gold["id"]), pages[int(gold["id"])], gold) for gold in labels]


def evaluate(article_set: str) -> Scores:
    by_name = {name: Counts() for name in SCORE_NAMES}
    region_right, region_errors = 0, []
    items = labelled_pages(article_set)
    for name, page, gold in items:
        result = process_pages([page])
        region = (result.region.province, result.region.city, result.region.adcode)
        if region == (gold["province"], gold["city"], gold["adcode"]):
            region_right += 1
        else:
            region_errors.append(f"{name}: got {region}, want {(gold['province'], gold['city'], gold['adcode'])}")
        for score, counts in score_article(result, gold, name).items():
            by_name[score].add(counts)
    return Scores(by_name, region_right, len(items), region_errors)


def format_table(scores: Scores) -> str:
    lines = ["| score | TP | FP | FN | precision | recall | F1 | containment misses |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, c in scores.by_name.items():
        lines.append(f"| {name} | {c.tp} | {c.fp} | {c.fn} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {c.containment} |")
    lines.append(f"\nregion right on {scores.region_right} of {scores.region_total} labelled articles")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every false positive and negative")
    parser.add_argument("--set", choices=sorted(LABEL_DIRS), action="append", dest="sets",
                        help="labelled set(s) to score (default: the training sets; judging sets only when named)")
    args = parser.parse_args()
    for article_set in args.sets or TRAINING_SETS:
        scores = evaluate(article_set)
        role = "judging" if article_set in JUDGING_SETS else "training"
        print(f"\n{article_set} ({role} set, {scores.region_total} articles)\n{format_table(scores)}")
        if args.verbose:
            for counts in scores.by_name.values():
                print("\n".join(counts.errors))
            print("\n".join(scores.region_errors))


if __name__ == "__main__":
    main()
