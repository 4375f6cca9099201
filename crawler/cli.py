"""The `shebao` command: a thin argparse layer over crawler.run, db.worker and db.export."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from db.session import DB_ENV_VAR, default_db_url
from db.views import VIEW_NAMES

# Exit codes (README "The CLI"): 0 ran, 1 an article failed (`process`), 2 a user error (bad argument,
# unreachable or unusable database, unwritable file), 4 the crawl stopped because the store failed, 130 Ctrl-C.
EXIT_USAGE = 2
EXIT_STORE_FAILED = 4

EXAMPLE_QUERY = """SELECT city, type, item, value_min, value_max, unit, n_cities
FROM record_view JOIN (SELECT record_id, section_cluster_id, n_cities FROM fact_coverage_view) c
  USING (record_id, section_cluster_id)
WHERE topic LIKE '%参保地怎么变更%' AND type IN ('material', 'timeframe') AND city IS NOT NULL
ORDER BY city, type, item
LIMIT 12;"""


def _db_argument(parser: argparse.ArgumentParser, default: str | None = None) -> None:
    parser.add_argument(
        "--db",
        default=default,
        help=f"SQLAlchemy database URL (default: ${DB_ENV_VAR} or sqlite:///shebao.db)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shebao",
        description="Crawl 社保网-style social-insurance Q&A pages into a queryable database "
        "(views: article_view, record_view, fact_coverage_view).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    crawl = commands.add_parser(
        "crawl",
        help="crawl a site into the database and process what was fetched",
        description="Crawl list pages and articles (robots.txt, AutoThrottle, retries), store every page "
        "version, and process new or changed articles in a worker process beside the crawl. Re-running "
        "sends conditional requests and stores nothing for unchanged pages.",
    )
    crawl.add_argument(
        "--start-url",
        action="append",
        dest="start_urls",
        metavar="URL",
        help="a list page or home page to start from (repeatable; several hosts of one site may be "
        "given). Default: the real site's category pages.",
    )
    _db_argument(crawl)
    crawl.add_argument("--max-pages", type=int, help="stop after this many responses")
    crawl.add_argument("--no-throttle", action="store_true", help="turn AutoThrottle off (loopback sites only)")
    crawl.add_argument(
        "--job-dir",
        metavar="DIR",
        help="keep Scrapy's request queue here, so an interrupted crawl (Ctrl-C once) resumes where it stopped; "
        "a dir left by a killed or finished run is reset (full crawl)",
    )
    crawl.add_argument("--log-level", default="INFO", help="Scrapy log level (default INFO)")

    demo = commands.add_parser(
        "demo",
        help="serve the bundled fixture site on loopback and crawl it",
        description="Serve the bundled fixture site (real seed pages, city variants and crawl traps) on "
        "127.0.0.1, crawl it into ./shebao.db (or --db) and print a summary and an example query.",
    )
    _db_argument(demo, "sqlite:///shebao.db")

    process = commands.add_parser(
        "process",
        help="process queued articles (e.g. after an interrupted crawl)",
        description="Process every queued article (raw pages stored by a crawl that was interrupted, or "
        "failed articles with --retry-failed). Exits 1 when an article fails; reasons are in the failure table.",
    )
    _db_argument(process)
    process.add_argument("--retry-failed", action="store_true", help="queue failed articles again first")

    export = commands.add_parser(
        "export",
        help="write a view to CSV (UTF-8 with BOM, opens right in Excel)",
        description="Write one of the analyst views to CSV, encoded UTF-8 with a byte-order mark so Excel "
        "shows the Chinese text right.",
    )
    _db_argument(export)
    export.add_argument("--view", default="record_view", choices=sorted(VIEW_NAMES))
    export.add_argument("--out", default="-", help="output file (default: standard output)")
    return parser


def print_summary(summary: object, db_url: str, out=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    from crawler.run import CrawlSummary

    assert isinstance(summary, CrawlSummary)
    records = ", ".join(f"{n} {t}" for t, n in sorted(summary.records.items())) or "none"
    print(f"database:       {db_url}", file=out)
    print(f"articles:       {summary.articles} ({summary.duplicates} re-posts marked duplicate_of)", file=out)
    print(f"page versions:  {summary.page_versions} ({summary.new_page_versions} new in this run)", file=out)
    print(f"sections:       {summary.sections}", file=out)
    print(f"records:        {records}", file=out)
    print(f"failures:       {len(summary.failures)}", file=out)
    for stage, url, reason in summary.failures[:20]:
        print(f"  [{stage}] {url}: {reason}", file=out)
    print(f"warnings:       {len(summary.warnings)}", file=out)
    for stage, url, reason in summary.warnings[:10]:
        print(f"  [{stage}] {url}: {reason}", file=out)
    if summary.pending:
        print(f"still queued:   {summary.pending} (run `shebao process`)", file=out)


def _crawl(args: argparse.Namespace) -> int:
    from crawler.run import run_crawl

    db_url = args.db or default_db_url()
    summary = run_crawl(db_url, args.start_urls, max_pages=args.max_pages, throttle=not args.no_throttle,
                        log_level=args.log_level, job_dir=args.job_dir)
    print_summary(summary, db_url)
    if summary.store_failed:
        print("shebao crawl: stopped: the database refused every write (disk full or read-only?); what was "
              "stored is kept: fix it and run the same command again", file=sys.stderr)
        return EXIT_STORE_FAILED
    return 0


def _demo(args: argparse.Namespace) -> int:
    from crawler.fixture_site.content import load_articles
    from crawler.fixture_site.render import build_site
    from crawler.fixture_site.server import base_url, serve_site
    from crawler.run import run_crawl

    db_url = args.db or "sqlite:///shebao.db"
    with serve_site(build_site(load_articles("articles"))) as server:  # the bundled articles only
        start = base_url(server)
        print(f"serving the fixture site at {start}", flush=True)
        summary = run_crawl(db_url, [start], throttle=False, log_level="ERROR")
    print_summary(summary, db_url)
    print("\nAn example query (materials and timeframes of 参保地变更 per city, and how many cities share each):")
    print(EXAMPLE_QUERY)
    print(_query_preview(db_url, EXAMPLE_QUERY))
    return 0


def _query_preview(db_url: str, query: str) -> str:
    import pandas as pd

    from db.session import make_engine

    engine = make_engine(db_url)
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    engine.dispose()
    return frame.to_string(index=False, max_colwidth=24)


def _process(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select, update

    from db.migrations import upgrade
    from db.models import ProcessJob
    from db.session import make_engine, writer
    from db.worker import process_pending

    engine = make_engine(args.db or default_db_url())
    upgrade(engine)
    if args.retry_failed:  # only an article's newest job: an older one would roll its content back
        newest = select(func.max(ProcessJob.id)).group_by(ProcessJob.article_id)
        with writer(engine).begin() as connection:
            connection.execute(
                update(ProcessJob).where(ProcessJob.state == "failed", ProcessJob.id.in_(newest)).values(state="pending")
            )
    counts = process_pending(engine)
    print(f"processed {counts.processed} articles, {counts.failed} failed")
    return 0 if counts.failed == 0 else 1


def _export(args: argparse.Namespace) -> int:
    from db.export import export_view

    rows = export_view(args.db or default_db_url(), args.view, args.out)
    if args.out != "-":
        print(f"wrote {rows} rows of {args.view} to {args.out}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"crawl": _crawl, "demo": _demo, "process": _process, "export": _export}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print("interrupted: what was stored is kept; run the same command again to resume", file=sys.stderr)
        return 130
    except Exception as error:
        from db.errors import user_error_message

        message = user_error_message(error)
        if message is None or str(getattr(args, "log_level", "")).upper() == "DEBUG":
            raise  # a bug, or the user asked for the traceback
        print(f"shebao {args.command}: {message}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
