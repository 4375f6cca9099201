"""The `shebao` command: a thin argparse layer over crawler.run, db.worker, db.reprocess and db.export."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from db.export import ExportError, Format, parse_date
from db.jobs import DEFAULT_LEASE_SECONDS, DEFAULT_MAX_ATTEMPTS
from db.session import DB_ENV_VAR, default_db_url
from db.views import VIEW_NAMES
from schema.vocabulary import RECORD_TYPES

# Exit codes (README "The CLI"): 0 ran, 1 an article failed (`process`), 2 a user error (bad argument,
# unreachable or unusable database, unwritable file), 3 another crawl of the site holds the run lock,
# 4 the crawl stopped because the store failed, 130 Ctrl-C.
EXIT_USAGE = 2
EXIT_LOCKED = 3
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


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except ExportError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shebao",
        description="Crawl 社保网-style social-insurance Q&A pages into a queryable database "
        "(views: article_view, record_view, fact_coverage_view, fact_difference_view).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    crawl = commands.add_parser(
        "crawl",
        help="crawl a site into the database and process what was fetched",
        description="Crawl list pages and articles (robots.txt, AutoThrottle, retries), store every page "
        "version, and process new or changed articles in a worker process beside the crawl. Re-running "
        "costs what changed: lists are walked only while they show new articles (--list-depth), stored "
        "articles are asked again only when due (--revisit), with conditional requests, and unchanged "
        "pages store nothing.",
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
    crawl.add_argument(
        "--list-depth",
        type=_non_negative,
        metavar="K",
        help="stop walking a list after K pages in a row that show no article the database lacks (default 2; "
        "0 walks every list to its end). A list is cut only once a finished run has walked it to the end, "
        "and never above the depth an interrupted run had reached",
    )
    crawl.add_argument(
        "--revisit",
        choices=["due", "all", "none"],
        help="which stored articles to request again, conditionally: due = those whose adaptive revisit time "
        "has come (default; the interval doubles while an article is unchanged, up to 30 days, and halves "
        "when it changed), all = every stored article, none = only articles the database lacks",
    )
    crawl.add_argument("--log-level", default="INFO", help="Scrapy log level (default INFO)")
    crawl.add_argument(
        "--wait",
        action="store_true",
        help="when another crawl of the same site into the same database is running, wait for it to end "
        "(asking every few seconds) instead of exiting with code 3",
    )

    runs = commands.add_parser(
        "runs",
        help="list past and current crawl runs with their status and counts",
        description="List crawl runs, newest first: id, start and end (UTC), status (running / finished / "
        "interrupted / failed; a running run whose heartbeat stopped shows as interrupted), requests sent, "
        "articles new / changed / unchanged / revisited, failures (fetch and store), and for a running run "
        "the processing backlog (jobs queued now). '-' is a count an older version did not record.",
    )
    _db_argument(runs)
    runs.add_argument("--json", action="store_true", help="print the runs as a JSON list (every column)")
    runs.add_argument("--limit", type=int, default=20, metavar="N", help="show the newest N runs (default 20)")

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
    process.add_argument("--workers", type=_positive, default=1, metavar="N",
                         help="worker processes sharing the queue (default 1). Each job is claimed with a lease, "
                         "so several `shebao process` on other machines may work one PostgreSQL queue too")
    process.add_argument("--max-attempts", type=_positive, default=DEFAULT_MAX_ATTEMPTS, metavar="N",
                         help="claims before a job whose worker keeps dying or whose write keeps failing is "
                         f"failed for good, reason kept (default {DEFAULT_MAX_ATTEMPTS})")
    process.add_argument("--lease-seconds", type=_positive, default=DEFAULT_LEASE_SECONDS, metavar="S",
                         help="how long a claim lasts before another worker may take the job over (default "
                         f"{DEFAULT_LEASE_SECONDS}; renewed while a batch runs; a killed worker's jobs on this "
                         "host are taken over at once)")
    process.add_argument("--batch-size", type=_positive, metavar="N",
                         help="jobs claimed and written together (default 50; smaller spreads a short queue "
                         "over more workers)")

    db = commands.add_parser(
        "db",
        help="show or upgrade the database schema (Alembic revisions)",
        description="The schema is versioned with Alembic revisions shipped in the package. `crawl`, `process` "
        "and the worker upgrade automatically (on PostgreSQL under an advisory lock, so processes starting "
        "together do not race); these commands do it explicitly. A database made by an older shebao "
        "(table schema_version) is stamped at the matching revision, not rebuilt.",
    )
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_upgrade = db_commands.add_parser("upgrade", help="apply the missing revisions and recreate the views",
                                        description="Apply the missing revisions (nothing when current) and "
                                        "recreate the views if anything changed; prints the revision now in force.")
    _db_argument(db_upgrade)
    db_current = db_commands.add_parser("current", help="print the database's revision (reads only)",
                                        description="Print the database's schema revision and whether it is "
                                        "this code's head; writes nothing.")
    _db_argument(db_current)

    reprocess = commands.add_parser(
        "reprocess",
        help="re-derive every article's sections and records from the stored pages (no crawl)",
        description="Run the current normalizers over the raw pages every stored article was built from, "
        "rewrite the articles whose sections or records come out different, then re-derive the section "
        "clusters. Idempotent: a second run changes nothing, and unchanged facts keep their ids. Exits 1 "
        "when an article failed; reasons are in the failure table and what was stored is kept.",
    )
    _db_argument(reprocess)
    reprocess.add_argument("--workers", type=int, help="processes preparing articles (default: one per 500 articles, at most one per core)")

    export = commands.add_parser(
        "export",
        help="write a view, filtered, to CSV, Parquet or xlsx (formula-safe for Excel)",
        description="Write one of the analyst views to a file, streaming from the database (memory stays "
        "flat however large the view). CSV is UTF-8 with a byte-order mark so Excel shows the Chinese text "
        "right (plain UTF-8 on standard output). Page text is untrusted: a text cell that starts with "
        "= + - @ TAB or CR gets a leading ' so a spreadsheet does not run it as a formula, and text over "
        "Excel's 32,767-character cell limit is cut with a visible marker (Parquet keeps everything). "
        "Filters combine; a filter on a column the view lacks is an error.",
    )
    _db_argument(export)
    export.add_argument("--view", default="record_view", choices=sorted(VIEW_NAMES))
    export.add_argument("--out", default="-", help="output file (default: standard output, CSV only)")
    export.add_argument(
        "--format",
        choices=[f.value for f in Format],
        help="csv, parquet (typed columns, timezone-aware timestamps) or xlsx (frozen header row); "
        "default: from the --out suffix, else csv",
    )
    export.add_argument("--city", help="only this city, exact name (e.g. 西宁市)")
    export.add_argument("--province", help="only this province, exact name (e.g. 青海省)")
    export.add_argument("--topic", help="only topics containing this text (e.g. 参保地)")
    export.add_argument("--type", choices=RECORD_TYPES, help="only records of this type")
    export.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                        help="only articles published on or after this day (Beijing time)")
    export.add_argument(
        "--raw",
        action="store_true",
        help="write text exactly as stored: no leading ' before formula characters, and in CSV no cut of long "
        "cells (for programs, not spreadsheets; xlsx cells are still cut, and still never formulas)",
    )

    compare = commands.add_parser(
        "compare",
        help="what differs between cities for one topic: a fact × city matrix (HTML, CSV or text)",
        description="Pick the section cluster whose topic contains TEXT (when several match, the one with "
        "most cities, and say which others matched) and show its facts per city: the facts every city "
        "states alike first, then the ones that differ, with the differing values side by side (e.g. "
        "15个工作日内 ×2 vs 20个工作日内 ×1). Without --out, a text summary goes to standard output; "
        ".html writes a self-contained page (open it in any browser, no server), .csv a formula-safe table.",
    )
    _db_argument(compare)
    compare.add_argument("--topic", required=True, metavar="TEXT", help="text the topic contains, e.g. 参保地")
    compare.add_argument("--type", choices=RECORD_TYPES, help="only facts of this type")
    compare.add_argument("--cluster", metavar="ID", help="show this matching cluster instead of the largest")
    compare.add_argument("--out", metavar="FILE.html|FILE.csv", help="write the matrix to this file")

    browse = commands.add_parser(
        "browse",
        help="open the SQLite database in Datasette (optional extra: pip install -e '.[browse]')",
        description="Serve the SQLite database with Datasette on loopback: the views with their column "
        "descriptions (the README's data dictionary), facets on city, type and topic, and the README's "
        "example queries as canned queries. Needs the [browse] extra. Ctrl-C stops it.",
    )
    _db_argument(browse)
    browse.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    browse.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    browse.add_argument("--open", action="store_true", dest="open_browser", help="open a web browser on the page")

    explain = commands.add_parser(
        "explain",
        help="say which rule typed each line of a page",
        description="Run the normalizers on one page and print, per section, each line with the rule of every "
        "rule table that decided about it (line kind, step, material, exclusion, timeframe status) and the "
        "records it gave. SOURCE is an http(s) URL, an .html file, or a text file with one paragraph per line "
        "(a live-page excerpt whose first line is its URL works too).",
    )
    explain.add_argument("source", nargs="?", metavar="URL|FILE", help="the page to explain")
    explain.add_argument("--line", metavar="TEXT", help="explain one line instead of a page")
    explain.add_argument("--heading", metavar="TEXT", help="with --line: the section heading it sits under")
    explain.add_argument("--block", metavar="TEXT", help="with --line: the sub-heading it sits under (e.g. 准备材料)")
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
    if summary.counts is not None:
        counts = summary.counts
        print(f"this run:       run {summary.run_id} {summary.status}: {counts.requests} requests; articles "
              f"{counts.new_articles} new, {counts.changed_articles} changed, {counts.unchanged_articles} unchanged, "
              f"{counts.revisited_articles} revisited; {counts.failures} failures (`shebao runs`)", file=out)


def _crawl(args: argparse.Namespace) -> int:
    from crawler.run import LOCK_LOST_REASON, run_crawl
    from db.runs import LockHolder, RunLocked

    def waiting(holder: LockHolder) -> None:
        print(f"shebao crawl: waiting: {holder.describe()}", file=sys.stderr, flush=True)

    db_url = args.db or default_db_url()
    try:
        summary = run_crawl(db_url, args.start_urls, max_pages=args.max_pages, throttle=not args.no_throttle,
                            log_level=args.log_level, job_dir=args.job_dir, list_depth=args.list_depth,
                            revisit=args.revisit, wait=args.wait, on_wait=waiting)
    except RunLocked as locked:
        print(f"shebao crawl: {locked}", file=sys.stderr)
        return EXIT_LOCKED
    print_summary(summary, db_url)
    if summary.scrapy_stats.get("finish_reason") == LOCK_LOST_REASON or summary.lock_lost:
        print("shebao crawl: stopped: another run took this run's lock over (this process stopped beating its "
              "heartbeat); what was stored is kept", file=sys.stderr)
        return EXIT_LOCKED
    if summary.store_failed:
        print("shebao crawl: stopped: the database refused every write (disk full or read-only?); what was "
              "stored is kept: fix it and run the same command again", file=sys.stderr)
        return EXIT_STORE_FAILED
    return 0


def _runs(args: argparse.Namespace) -> int:
    from db.export import require_database
    from db.migrations import upgrade
    from db.runs import list_runs, render_runs, runs_json
    from db.session import make_engine

    if args.limit < 1:
        raise ValueError("--limit must be at least 1")
    db_url = args.db or default_db_url()
    require_database(db_url)  # listing must not create a database file
    engine = make_engine(db_url)
    upgrade(engine)
    rows = list_runs(engine, args.limit)
    engine.dispose()
    if args.json:
        print(runs_json(rows))
    elif rows:
        print(render_runs(rows))
    else:
        print("no crawl runs in this database yet")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from crawler.fixture_site.content import load_articles
    from crawler.fixture_site.render import build_site
    from crawler.fixture_site.server import base_url, serve_site
    from crawler.run import run_crawl
    from db.preview import query_preview

    db_url = args.db or "sqlite:///shebao.db"
    with serve_site(build_site(load_articles("articles"))) as server:  # the bundled articles only
        start = base_url(server)
        print(f"serving the fixture site at {start}", flush=True)
        summary = run_crawl(db_url, [start], throttle=False, log_level="ERROR")
    print_summary(summary, db_url)
    print("\nAn example query (materials and timeframes of 参保地变更 per city, and how many cities share each):")
    print(EXAMPLE_QUERY)
    print(query_preview(db_url, EXAMPLE_QUERY))
    return 0


def _process(args: argparse.Namespace) -> int:
    import logging

    from sqlalchemy import func, select, update

    from db.jobs import QueueSettings
    from db.migrations import upgrade
    from db.models import ProcessJob
    from db.session import make_engine, writer
    from db.worker import LOG_FORMAT, process_with_workers

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)  # progress lines
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its "discarding data" notes are ours to report
    logging.getLogger("alembic").setLevel(logging.WARNING)
    db_url = args.db or default_db_url()
    engine = make_engine(db_url)
    upgrade(engine)
    if args.retry_failed:  # only an article's newest job: an older one would roll its content back
        newest = select(func.max(ProcessJob.id)).group_by(ProcessJob.article_id)
        with writer(engine).begin() as connection:
            connection.execute(
                update(ProcessJob).where(ProcessJob.state == "failed", ProcessJob.id.in_(newest))
                .values(state="pending", attempts=0)
            )
    engine.dispose()  # before the workers fork: they open their own
    line = None
    if sys.stderr.isatty():  # a live line on a terminal; a pipe or cron gets the plain INFO lines only
        from crawler.progress import QueueProgressLine

        line = QueueProgressLine(make_engine(db_url, pooled=False))  # no connection left open across the fork
        line.start()
    try:
        counts = process_with_workers(db_url, args.workers,
                                      QueueSettings(args.lease_seconds, args.max_attempts, args.batch_size))
    finally:
        if line is not None:
            line.stop()
    print(f"processed {counts.processed} articles, {counts.failed} failed")
    return 0 if counts.failed == 0 else 1


def _db(args: argparse.Namespace) -> int:
    from db.migrations import describe, upgrade
    from db.session import make_engine

    engine = make_engine(args.db or default_db_url())
    try:
        if args.db_command == "upgrade":
            print(f"schema at {upgrade(engine)} (head)")
        else:
            print(describe(engine))
    finally:
        engine.dispose()
    return 0


def _reprocess(args: argparse.Namespace) -> int:
    import logging

    from db.reprocess import reprocess
    from db.session import make_engine

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its "discarding data" notes are ours to report
    engine = make_engine(args.db or default_db_url())
    summary = reprocess(engine, workers=args.workers)
    engine.dispose()
    clusters = summary.clusters
    print(f"articles:  {summary.articles} ({summary.changed} changed, {summary.unchanged} unchanged, "
          f"{summary.failed} failed)")
    print(f"records:   {summary.records_kept} ids kept, {summary.records_added} new, {summary.records_removed} gone "
          "(in changed articles)")
    print(f"clusters:  {clusters.clusters} for {clusters.sections} sections ({clusters.moved_sections} sections "
          f"moved, {clusters.new_clusters} new, {clusters.dropped_clusters} dropped)")
    return 0 if summary.failed == 0 else 1


def _export(args: argparse.Namespace) -> int:
    from db.export import Filters, export_view

    filters = Filters(city=args.city, province=args.province, topic=args.topic, type=args.type, since=args.since)
    rows = export_view(args.db or default_db_url(), args.view, args.out, fmt=args.format, filters=filters,
                       raw=args.raw)
    if args.out != "-":
        print(f"wrote {rows} rows of {args.view} to {args.out}", file=sys.stderr)
    return 0


def _explain(args: argparse.Namespace) -> int:
    from normalize.explain import explain_line, explain_pages, load_source
    from normalize.extract import ExtractionError

    if args.line:
        print(explain_line(args.line, args.heading, args.block))
        return 0
    if not args.source:
        raise ValueError("give a URL or FILE to explain, or --line TEXT")
    try:
        print(explain_pages(load_source(args.source)))
    except ExtractionError as error:
        raise ValueError(f"{args.source}: {error}") from error
    return 0


def _compare(args: argparse.Namespace) -> int:
    from db.compare import compare_topic, render_text, write_comparison

    comparison = compare_topic(args.db or default_db_url(), args.topic, args.type, args.cluster)
    note = comparison.choice_note()
    if note and args.cluster is None:
        print(note, file=sys.stderr)
    if args.out:
        write_comparison(comparison, args.out)
        print(f"wrote {len(comparison.common)} common and {len(comparison.differing)} differing facts of "
              f"{len(comparison.cities)} cities to {args.out}", file=sys.stderr)
    else:
        print(render_text(comparison))
    return 0


def _browse(args: argparse.Namespace) -> int:
    from db.browse import browse

    return browse(args.db or default_db_url(), host=args.host, port=args.port, open_browser=args.open_browser)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {
        "crawl": _crawl, "runs": _runs, "demo": _demo, "process": _process, "db": _db, "reprocess": _reprocess,
        "export": _export,
        "compare": _compare, "browse": _browse, "explain": _explain,
    }
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
