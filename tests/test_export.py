"""`shebao export`: formula-safe cells, cells that fit, filters with bound parameters, formats, streaming."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from crawler.cli import main
from db.export import EXCEL_CELL_LIMIT, ExportError, Filters, export_view
from db.migrations import upgrade
from db.session import make_engine
from tests.builders import Fact, Page, insert_pages

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-身份证复印件", "@SUM(A1)", "\t=1", "\r=1"]


def _read(path: Path, fmt: str) -> list[dict[str, Any]]:
    """The exported rows as dicts, whatever the format."""
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return list(csv.DictReader(stream))
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def _texts(engine: Engine, *texts: str, **fields: Any) -> None:
    insert_pages(engine, [Page(1, "西宁市", [Fact("note", t, dict(fields)) for t in texts])])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_cells_are_neutralised(engine: Engine, sqlite_url: str, tmp_path: Path, fmt: str, hostile: str) -> None:
    # a text cell starting with = + - @ TAB or CR gets a leading ' in every spreadsheet format
    _texts(engine, hostile)
    out = tmp_path / f"x.{fmt}"
    export_view(sqlite_url, "record_view", str(out))
    assert _read(out, fmt)[0]["text"] == "'" + hostile


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_raw_keeps_hostile_cells(engine: Engine, sqlite_url: str, tmp_path: Path, fmt: str) -> None:
    # --raw writes the text as stored (Parquet is never a spreadsheet format, so it never changes text)
    _texts(engine, *HOSTILE)
    out = tmp_path / f"x.{fmt}"
    export_view(sqlite_url, "record_view", str(out), raw=True)
    assert sorted(r["text"] for r in _read(out, fmt)) == sorted(HOSTILE)


def test_raw_xlsx_never_stores_a_formula(engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    # even raw, a cell beginning with = is a string cell in the workbook, not a formula Excel would run
    from openpyxl import load_workbook

    _texts(engine, "=1+1")
    out = tmp_path / "x.xlsx"
    export_view(sqlite_url, "record_view", str(out), raw=True)
    sheet = load_workbook(out).worksheets[0]
    column = [c.value for c in sheet[1]].index("text") + 1
    assert sheet.cell(2, column).value == "=1+1" and sheet.cell(2, column).data_type == "s"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_numeric_columns_stay_numbers(engine: Engine, sqlite_url: str, tmp_path: Path, fmt: str) -> None:
    # a negative number in a numeric column is a number, not text to neutralise
    _texts(engine, "3个月", value_min=-3.0, unit="month")
    out = tmp_path / f"x.{fmt}"
    export_view(sqlite_url, "record_view", str(out))
    assert _read(out, fmt)[0]["value_min"] in ("-3.0", -3.0)


@pytest.mark.parametrize(("fmt", "raw", "full"), [
    ("csv", False, False),  # cut to Excel's cell limit, with the marker
    ("xlsx", False, False),
    ("xlsx", True, False),  # an xlsx cell cannot hold more, raw or not
    ("csv", True, True),  # a raw CSV is for programs: everything
    ("parquet", False, True),  # Parquet keeps everything
])
def test_long_cells(engine: Engine, sqlite_url: str, tmp_path: Path, fmt: str, raw: bool, full: bool) -> None:
    # text over 32,767 characters is cut with a visible marker where a spreadsheet opens it
    long_text = "长" * 40_000 + "尾"
    _texts(engine, long_text)
    out = tmp_path / f"x.{fmt}"
    export_view(sqlite_url, "record_view", str(out), raw=raw)
    csv.field_size_limit(1_000_000)  # reading the raw CSV back needs more than csv's default 131,072
    cell = _read(out, fmt)[0]["text"]
    if full:
        assert cell == long_text
    else:
        assert len(cell) <= EXCEL_CELL_LIMIT and cell.startswith("长" * 30_000) and "40,001 characters in full" in cell


def _cities(engine: Engine) -> None:
    insert_pages(engine, [
        Page(1, "西宁市", [Fact("material", "身份证"), Fact("timeframe", "15个工作日")], province="青海省",
             published_at="2025-04-30T23:59:59+08:00"),
        Page(2, "海东市", [Fact("material", "身份证")], province="青海省", published_at="2025-05-01T00:00:00+08:00"),
        Page(3, "兰州市", [Fact("timeframe", "20个工作日")], province="甘肃省", published_at="2025-06-01T08:00:00+08:00",
             cluster_id="c-other", topic="{城市}医保余额转移多久到账"),
    ])


def _export_cities(url: str, tmp_path: Path, view: str, filters: Filters) -> set[str]:
    out = tmp_path / "x.csv"
    export_view(url, view, str(out), filters=filters)
    return {row["city"] for row in _read(out, "csv")}


FILTER_CASES = [
    (Filters(city="西宁市"), {"西宁市"}),  # one city
    (Filters(province="青海省"), {"西宁市", "海东市"}),  # one province
    (Filters(topic="余额"), {"兰州市"}),  # topic substring
    (Filters(type="timeframe"), {"西宁市", "兰州市"}),  # record type
    (Filters(since=date(2025, 5, 1)), {"海东市", "兰州市"}),  # published on or after that day (Beijing time)
    (Filters(province="青海省", type="timeframe"), {"西宁市"}),  # filters combine
    (Filters(city="西宁市' OR '1'='1"), set()),  # an injection-looking value is only a value: no rows
    (Filters(topic="%"), set()),  # LIKE wildcards in --topic are literal
]


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_filters_on_sqlite(engine: Engine, sqlite_url: str, tmp_path: Path, filters: Filters, expected: set[str]) -> None:
    _cities(engine)
    assert _export_cities(sqlite_url, tmp_path, "record_view", filters) == expected


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_filters_on_postgres(postgres_url: str, tmp_path: Path, filters: Filters, expected: set[str]) -> None:
    # the same filters, the same answers on PostgreSQL
    engine = make_engine(postgres_url)
    upgrade(engine)
    _cities(engine)
    engine.dispose()
    assert _export_cities(postgres_url, tmp_path, "record_view", filters) == expected


@pytest.mark.parametrize(("view", "filters", "named"), [
    ("article_view", Filters(topic="参保"), "--topic"),  # articles have no topic
    ("article_view", Filters(type="material"), "--type"),  # nor a record type
    ("fact_coverage_view", Filters(city="西宁市"), "--city"),  # coverage rows are per cluster, not per city
])
def test_filter_on_absent_column_names_the_view(engine: Engine, sqlite_url: str, tmp_path: Path, view: str,
                                                 filters: Filters, named: str) -> None:
    with pytest.raises(ExportError, match=f"{view} has no column for {named}"):
        export_view(sqlite_url, view, str(tmp_path / "x.csv"), filters=filters)


def test_article_view_filters_by_city_and_date(engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    # filters apply to every view that has the column
    _cities(engine)
    assert _export_cities(sqlite_url, tmp_path, "article_view", Filters(city="兰州市", since=date(2025, 6, 1))) == {"兰州市"}


def test_parquet_types_and_time_zones(engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    # numbers, booleans and timezone-aware timestamps, not text
    import pyarrow as pa
    import pyarrow.parquet as pq

    _texts(engine, "15个工作日", value_max=15.0, unit="workday", ordinal=2, optional=True)
    out = tmp_path / "x.parquet"
    export_view(sqlite_url, "record_view", str(out))
    table = pq.read_table(out)
    schema = table.schema
    assert schema.field("value_max").type == pa.float64() and schema.field("ordinal").type == pa.int64()
    assert schema.field("optional").type == pa.bool_() and schema.field("occurrence_id").type == pa.int64()
    assert schema.field("published_at").type == pa.timestamp("us", tz="+08:00")
    row = table.to_pylist()[0]
    assert row["published_at"] == datetime(2025, 5, 2, 15, 17, tzinfo=timezone(timedelta(hours=8)))
    assert row["optional"] is True and row["value_max"] == 15.0

    export_view(sqlite_url, "article_view", str(out))
    fetched = pq.read_table(out)
    assert fetched.schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    assert fetched.to_pylist()[0]["fetched_at"] == datetime(2026, 1, 5, 3, 12, 40, tzinfo=UTC)


def test_xlsx_has_a_frozen_header(engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    # the header row stays in view while scrolling
    from openpyxl import load_workbook

    _texts(engine, "身份证")
    out = tmp_path / "x.xlsx"
    export_view(sqlite_url, "record_view", str(out))
    sheet = load_workbook(out).worksheets[0]
    assert sheet.freeze_panes == "A2" and sheet.cell(1, 1).value == "record_id"


def test_rows_are_fetched_and_written_in_chunks(engine: Engine, sqlite_url: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # the exporter never holds the whole view: ten rows with chunk_rows=3 arrive as 3 + 3 + 3 + 1
    import db.export

    _texts(engine, *(f"第{i}条" for i in range(10)))
    seen: list[int] = []
    original = db.export.CsvWriter.write
    monkeypatch.setattr(db.export.CsvWriter, "write", lambda self, rows: (seen.append(len(rows)), original(self, rows)))
    assert export_view(sqlite_url, "record_view", str(tmp_path / "x.csv"), chunk_rows=3) == 10
    assert seen == [3, 3, 3, 1]


def test_failed_export_leaves_no_file(engine: Engine, sqlite_url: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # an export that stops half-way (here: more rows than an xlsx sheet holds) leaves no partial file behind
    import db.export

    monkeypatch.setattr(db.export, "EXCEL_MAX_ROWS", 4)
    _texts(engine, *(f"第{i}条" for i in range(10)))
    with pytest.raises(ExportError, match="over what one Excel sheet holds"):
        export_view(sqlite_url, "record_view", str(tmp_path / "x.xlsx"), chunk_rows=2)
    assert not [p.name for p in tmp_path.iterdir() if "x.xlsx" in p.name]


@pytest.mark.parametrize(("argv", "message"), [
    (["--out", "/nonexistent-dir/x.csv"], "cannot write /nonexistent-dir/x.csv"),  # unwritable path
    (["--since", "2025-13-01"], "not a date"),  # bad date
    (["--view", "article_view", "--topic", "x"], "article_view has no column for --topic"),  # absent column
    (["--format", "parquet"], "give --out FILE"),  # binary format to a terminal
    (["--view", "nope"], "invalid choice"),  # unknown view
    (["--db", "sqlite:////nonexistent-dir/none.db"], "no database at"),  # a mistyped --db creates nothing
])
def test_cli_errors_are_messages(sqlite_url: str, engine: Engine, capsys: pytest.CaptureFixture[str],
                                 argv: list[str], message: str) -> None:
    # user mistakes exit 2 with a message, never a traceback
    try:
        code = main(["export", "--db", sqlite_url, *argv])
    except SystemExit as exit_info:  # argparse's own errors
        code = exit_info.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_writes_filtered_parquet(engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    # the CLI passes format and filters through (format from the file suffix)
    _cities(engine)
    out = tmp_path / "x.parquet"
    assert main(["export", "--db", sqlite_url, "--province", "青海省", "--type", "material", "--out", str(out)]) == 0
    assert {r["city"] for r in _read(out, "parquet")} == {"西宁市", "海东市"}


def test_parquet_and_xlsx_from_postgres(postgres_url: str, tmp_path: Path) -> None:
    # PostgreSQL's booleans and numbers land typed in Parquet; xlsx cells neutralised the same way
    engine = make_engine(postgres_url)
    upgrade(engine)
    insert_pages(engine, [Page(1, "西宁市", [Fact("material", "-身份证复印件", {"optional": True, "ordinal": 1})])])
    engine.dispose()
    export_view(postgres_url, "record_view", str(tmp_path / "x.parquet"))
    row = _read(tmp_path / "x.parquet", "parquet")[0]
    assert row["optional"] is True and row["ordinal"] == 1 and row["published_at"].utcoffset() == timedelta(hours=8)
    export_view(postgres_url, "record_view", str(tmp_path / "x.xlsx"))
    assert _read(tmp_path / "x.xlsx", "xlsx")[0]["text"] == "'-身份证复印件"
