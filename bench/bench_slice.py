"""Benchmark of the vertical slice, in one run:

1. processing throughput: our processing path (extract + normalize) vs bare trafilatura on the same pages,
   and normalization alone, in pages per second (same process, same pages, interleaved rounds);
2. a full `shebao crawl` of a large fixture site (default 1,500 articles on loopback) vs a bare Scrapy
   spider that only fetches and follows links on the same site: wall time and peak RSS of each.

Usage: .venv/bin/python bench/bench_slice.py [--articles 1500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.fixture_site.large import build_large_site  # noqa: E402
from crawler.fixture_site.server import base_url, serve_site  # noqa: E402
from normalize.extract import RawPage, extract_article  # noqa: E402
from normalize.pipeline import normalize_article, process_pages  # noqa: E402


def _pages(site, limit: int) -> list[RawPage]:  # type: ignore[no-untyped-def]
    pages = []
    for article_id, paths in list(site.article_pages.items())[:limit]:
        path = paths[0]
        pages.append(RawPage(f"http://bench{path}", site.resources[path].body, site.resources[path].content_type))
        del article_id
    return pages


def _rate(function, items) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for item in items:
        function(item)
    return len(items) / (time.perf_counter() - start)


def bench_processing(site, n_pages: int, rounds: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    pages = _pages(site, n_pages)
    extracted = [extract_article([p]) for p in pages]
    texts = [p.body.decode("utf-8", "replace") for p in pages]
    ours, bare, norm = [], [], []
    for _ in range(rounds):  # interleaved, so machine noise hits all three alike
        bare.append(_rate(lambda html: trafilatura.extract(html), texts))
        ours.append(_rate(lambda page: process_pages([page]), pages))
        norm.append(_rate(normalize_article, extracted))
    return {
        "pages": len(pages),
        "bare_trafilatura_pps": statistics.median(bare),
        "our_processing_pps": statistics.median(ours),
        "normalize_only_pps": statistics.median(norm),
    }


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the largest process in the command's tree."""
    wrapper = (
        "import resource,subprocess,sys,time;t=time.perf_counter();"
        "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
        "w=time.perf_counter()-t;m=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024;"
        "print(w,m,r.returncode)"
    )
    output = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    wall, peak, code = output.stdout.split()
    if code != "0":
        raise RuntimeError(f"{command[:3]} exited {code}")
    return float(wall), float(peak)


def bench_crawl(site, rounds: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    ours, bare, ours_mem, bare_mem = [], [], [], []
    with serve_site(site) as server, tempfile.TemporaryDirectory() as tmp:
        url = base_url(server)
        for number in range(rounds):
            bare_cmd = [str(ROOT / ".venv/bin/scrapy"), "runspider", str(ROOT / "bench/bare_spider.py"),
                        "-a", f"start_url={url}", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING",
                        "-s", "ROBOTSTXT_OBEY=1", "-s", "CONCURRENT_REQUESTS=16",
                        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "TELNETCONSOLE_ENABLED=0"]
            ours_cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--start-url", url,
                        "--db", f"sqlite:///{tmp}/bench{number}.db", "--no-throttle", "--log-level", "WARNING"]
            wall, peak = _timed(bare_cmd)
            bare.append(wall)
            bare_mem.append(peak)
            wall, peak = _timed(ours_cmd)
            ours.append(wall)
            ours_mem.append(peak)
    return {
        "bare_spider_s": statistics.median(bare),
        "shebao_crawl_s": statistics.median(ours),
        "bare_spider_peak_mib": max(bare_mem),
        "shebao_crawl_peak_mib": max(ours_mem),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1500, help="articles on the large fixture site")
    parser.add_argument("--pages", type=int, default=300, help="pages for the processing throughput part")
    parser.add_argument("--rounds", type=int, default=3, help="repetitions (the median is reported)")
    args = parser.parse_args()
    site = build_large_site(args.articles)
    processing = bench_processing(site, args.pages, args.rounds)
    print(f"processing, {processing['pages']} pages, median of {args.rounds} rounds:")
    print(f"  bare trafilatura.extract : {processing['bare_trafilatura_pps']:8.1f} pages/s")
    print(f"  our processing path      : {processing['our_processing_pps']:8.1f} pages/s "
          f"({processing['our_processing_pps'] / processing['bare_trafilatura_pps']:.2f}x bare trafilatura)")
    print(f"  normalization alone      : {processing['normalize_only_pps']:8.1f} pages/s "
          f"({processing['normalize_only_pps'] / processing['our_processing_pps']:.1f}x the whole path)")
    crawl = bench_crawl(site, args.rounds)
    ratio = crawl["shebao_crawl_s"] / crawl["bare_spider_s"]
    print(f"crawl of {len(site.articles)} articles ({len(site.resources)} URLs), median of {args.rounds} rounds:")
    print(f"  bare Scrapy spider : {crawl['bare_spider_s']:6.1f} s, peak RSS {crawl['bare_spider_peak_mib']:.0f} MiB")
    print(f"  shebao crawl       : {crawl['shebao_crawl_s']:6.1f} s, peak RSS {crawl['shebao_crawl_peak_mib']:.0f} MiB "
          f"({ratio:.2f}x the bare spider; target <= 1.3x)")
    print(f"  this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
