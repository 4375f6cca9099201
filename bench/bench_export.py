"""Export bench: a synthetic 1,000,000-row record_view in a temporary SQLite database, exported as CSV,
Parquet and xlsx; each export runs in a fresh process and reports rows/s and peak RSS.

Memory is flat when exporting 100,000 rows (one city of ten, through the --city filter) peaks as high
as exporting all 1,000,000. Run: `.venv/bin/python bench/bench_export.py [--rows N] [--keep DIR]`.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CITIES = ["西宁市", "海东市", "兰州市", "银川市", "西安市", "成都市", "昆明市", "贵阳市", "南宁市", "拉萨市"]
RECORDS_PER_SECTION = 50
SECTIONS_PER_ARTICLE = 4
NOW = "2026-01-05T03:12:40+00:00"

# Made-up lines of about the length of real record text, some starting with a formula character.
LINES = [
    "申请人需携带本人有效身份证件原件及复印件,到参保地医保经办机构窗口办理,材料齐全的当场受理。",
    "-社会保障卡或医保电子凭证;",
    "线下办理:医保部门审核通过后,15个工作日内完成转移接续,办理结果可通过电话或短信查询。",
    "=如需委托他人办理,还需提供委托书及受托人身份证件。",
    "登录医保服务平台APP,依次进入“我的”→“参保信息”→“参保地变更”,按提示填写并提交申请。",
]


def build_database(path: Path, rows: int) -> None:
    """Schema by the project's own migration, then bulk inserts with plain sqlite3 (one transaction)."""
    from db.migrations import upgrade
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    per_article = RECORDS_PER_SECTION * SECTIONS_PER_ARTICLE
    articles = (rows + per_article - 1) // per_article
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    with connection:
        connection.executemany(
            "INSERT INTO section_cluster (section_cluster_id, topic, created_at, minhash) VALUES (?, ?, ?, ?)",
            [(f"c{s}", f"{{城市}}医保问题模板{s}怎么办理", NOW, b"\0") for s in range(SECTIONS_PER_ARTICLE)],
        )
        for article in range(articles):
            city = CITIES[article % len(CITIES)]
            connection.execute(
                "INSERT INTO article (article_id, url, title, published_at, category, province, city, adcode, "
                "body_text, fetched_at, processed_at, page_version_ids) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (article, f"http://127.0.0.1/yiliao/yibaozhishi/202505/{article}.html", f"{city}医保问题",
                 f"2025-05-{1 + article % 28:02d}T10:00:00+08:00", "yiliao/yibaozhishi", "测试省", city, "630100",
                 "", NOW, NOW, "[]"),
            )
            sections = [(f"{article}-{s}", article, s, f"{city}医保问题模板{s}怎么办理", "", f"c{s}")
                        for s in range(SECTIONS_PER_ARTICLE)]
            connection.executemany(
                "INSERT INTO section (section_id, article_id, position, heading, body_text, section_cluster_id) "
                "VALUES (?,?,?,?,?,?)", sections)
            records = []
            for s in range(SECTIONS_PER_ARTICLE):
                for r in range(RECORDS_PER_SECTION):
                    line = LINES[r % len(LINES)]
                    records.append((f"{r:020x}", f"{article}-{s}", article, r, "timeframe" if r % 5 == 2 else "step",
                                    "办理方式", line, None, float(r % 30), float(r % 30 + 5), "workday", "within",
                                    "offline", r % 9 + 1))
            connection.executemany(
                "INSERT INTO record (record_id, section_id, article_id, position, type, block, text, item, "
                "value_min, value_max, unit, bound, applies_to, ordinal, optional) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)", records)
    connection.close()


def run_child(db: str, out: str, fmt: str, city: str | None) -> None:
    """One export in this process; prints rows, seconds and peak RSS as JSON."""
    from db.export import Filters, export_view

    start = time.perf_counter()
    rows = export_view(f"sqlite:///{db}", "record_view", out, fmt=fmt, filters=Filters(city=city))
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mib": peak_mib, "bytes": Path(out).stat().st_size}))


def measure(db: Path, folder: Path, fmt: str, city: str | None) -> dict[str, float]:
    out = folder / f"export-{city or 'all'}.{fmt}"
    args = [sys.executable, __file__, "--child", str(db), str(out), fmt] + ([city] if city else [])
    result = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    out.unlink()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db, out, fmt, *city = args.child
        run_child(db, out, fmt, city[0] if city else None)
        return
    with tempfile.TemporaryDirectory(prefix="bench-export-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "bench.db"
        if not db.exists():
            start = time.perf_counter()
            build_database(db, args.rows)
            print(f"built {args.rows:,} record_view rows in {time.perf_counter() - start:.1f} s "
                  f"({db.stat().st_size / 2**20:.0f} MiB)", flush=True)
        print("| format | rows | wall s | rows/s | peak RSS MiB | file MiB |")
        print("|---|---:|---:|---:|---:|---:|")
        for fmt, city in (("csv", CITIES[0]), ("csv", None), ("parquet", CITIES[0]), ("parquet", None),
                          ("xlsx", CITIES[0])):
            f = measure(db, folder, fmt, city)
            print(f"| {fmt}{' --city ' + city if city else ''} | {f['rows']:,} | {f['seconds']:.1f} | "
                  f"{f['rows'] / f['seconds']:,.0f} | {f['peak_mib']:.0f} | {f['bytes'] / 2**20:.0f} |", flush=True)


if __name__ == "__main__":
    main()
