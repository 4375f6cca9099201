"""Benchmark of re-crawl cost and crawl memory, in one run:

1. re-crawl cost: `shebao crawl` of a large fixture site (default 1,500 articles), then again with the
   site unchanged (target: requests <= 5% of the first crawl's), then with 20 newer articles at the head
   of the lists (target: all 20 stored, requests <= 5% of the first crawl's + 20 pages), then once with
   `--revisit all` (every stored article asked again, conditionally: the 304 path). Requests are
   counted by the fixture server (every request that reached it, robots.txt included).
2. memory: peak RSS of the `shebao crawl` process for a 1,000-article and a 10,000-article site (target:
   10k <= 1.2x 1k), and of its processing worker (a child process) beside it.

The site is served from this process; each crawl is a fresh `shebao crawl` process, as cron runs it.

Usage: .venv/bin/python bench/bench_recrawl.py [--articles 1500] [--small 1000] [--large 10000] [--skip-memory]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from crawler.fixture_site.large import build_large_site, large_articles  # noqa: E402
from crawler.fixture_site.render import build_site  # noqa: E402
from crawler.fixture_site.server import base_url, serve_site  # noqa: E402
from db.runs import last_run_stats  # noqa: E402
from db.session import make_engine  # noqa: E402

N_NEW = 20
# Runs `shebao crawl` in this child and prints its own peak RSS and its children's (the worker) in MiB.
MEASURED_CRAWL = (
    "import resource,sys;from crawler.cli import main;code=main(sys.argv[1:]);"
    "print('PEAK',resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,"
    "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,code)"
)


def crawl(db_url: str, start: str, *extra: str) -> tuple[float, float, float]:
    """Wall seconds, crawl-process peak RSS and worker peak RSS (MiB) of one `shebao crawl`."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED_CRAWL, "crawl", "--start-url", start, "--db", db_url, "--no-throttle",
         "--log-level", "WARNING", *extra],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    wall = time.perf_counter() - started
    _, own, children, code = result.stdout.strip().splitlines()[-1].split()
    if code != "0":
        raise RuntimeError(f"shebao crawl exited {code}: {result.stderr[-2000:]}")
    return wall, float(own), float(children)


def stored_ids(db_url: str) -> set[int]:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        ids = set(connection.scalars(text("SELECT article_id FROM article")))
    engine.dispose()
    return ids


def bench_recrawl(n_articles: int) -> None:
    articles = list(large_articles(n_articles + N_NEW))
    newest = [a.with_id(a.id, published=f"2031-01-01 00:{i:02d}:00") for i, a in enumerate(articles[n_articles:])]
    site = build_site(articles[:n_articles], traps=False)
    grown = build_site(articles[:n_articles] + newest, traps=False)
    with serve_site(site) as server, tempfile.TemporaryDirectory() as tmp:
        db_url, start = f"sqlite:///{tmp}/recrawl.db", base_url(server)
        rows = []
        runs = (("first crawl", site, ()), ("unchanged re-crawl", site, ()), (f"+{N_NEW} new articles", grown, ()),
                ("--revisit all (every stored article, conditionally)", grown, ("--revisit", "all")))
        for label, serving, extra in runs:
            server.site = serving
            before = sum(server.hits.values())
            wall, _, _ = crawl(db_url, start, *extra)
            stats = last_run_stats(db_url)
            rows.append((label, sum(server.hits.values()) - before, wall, stats))
        new_stored = {a.id for a in newest} <= stored_ids(db_url)
    first = rows[0][1]
    print(f"re-crawl cost, {n_articles}-article site (SQLite, loopback, no throttle):")
    print("| run | requests | share of the first crawl's | 304s | wall | new / changed / unchanged / revisited |")
    print("|---|---|---|---|---|---|")
    for label, requests, wall, stats in rows:
        counts = " / ".join(str(stats.get(f"shebao/articles_{k}", 0)) for k in ("new", "changed", "unchanged", "revisited"))
        print(f"| {label} | {requests} | {100 * requests / first:.1f}% | {stats.get('shebao/not_modified', 0)} | "
              f"{wall:.1f} s | {counts} |")
    budget = 0.05 * first
    print(f"targets: unchanged <= {budget:.0f} requests: {'met' if rows[1][1] <= budget else 'MISSED'}; "
          f"+{N_NEW} new <= {budget + N_NEW:.0f} requests: {'met' if rows[2][1] <= budget + N_NEW else 'MISSED'}; "
          f"all {N_NEW} new stored: {'yes' if new_stored else 'NO'}")


def bench_memory(small: int, large: int) -> None:
    rows = []
    for n_articles in (small, large):
        site = build_large_site(n_articles)
        with serve_site(site) as server, tempfile.TemporaryDirectory() as tmp:
            wall, own, worker = crawl(f"sqlite:///{tmp}/memory.db", base_url(server))
            rows.append((n_articles, sum(server.hits.values()), wall, own, worker))
        del site
    print("memory, first crawl (SQLite, loopback, no throttle):")
    print("| site | requests | wall | crawl process peak RSS | worker peak RSS |")
    print("|---|---|---|---|---|")
    for n_articles, requests, wall, own, worker in rows:
        print(f"| {n_articles:,} articles | {requests} | {wall:.0f} s | {own:.0f} MiB | {worker:.0f} MiB |")
    ratio = rows[1][3] / rows[0][3]
    print(f"crawl process {large:,} vs {small:,}: {ratio:.2f}x (target <= 1.2x: {'met' if ratio <= 1.2 else 'MISSED'}); "
          f"worker {rows[1][4] / rows[0][4]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1500, help="articles of the re-crawl site")
    parser.add_argument("--small", type=int, default=1000, help="articles of the smaller memory site")
    parser.add_argument("--large", type=int, default=10000, help="articles of the larger memory site")
    parser.add_argument("--skip-memory", action="store_true", help="only the re-crawl part")
    args = parser.parse_args()
    bench_recrawl(args.articles)
    if not args.skip_memory:
        bench_memory(args.small, args.large)


if __name__ == "__main__":
    main()
