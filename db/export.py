"""Export a view, filtered, as CSV, Parquet or xlsx, streaming rows from the database cursor to the file.

Page text is untrusted input and spreadsheets run formulas, so by default every text cell that starts
with = + - @ TAB or CR gets a leading `'` (OWASP's advice against CSV injection), in CSV and xlsx alike;
numeric columns are written as numbers and never touched. Text longer than a spreadsheet cell holds
(32,767 characters) is cut with a visible marker in CSV and xlsx; Parquet keeps every character.
`raw=True` turns the formula rule off (and, for CSV, the cut too: a raw CSV is for programs).

Memory stays flat whatever the view's size: rows are fetched `chunk_rows` at a time (a server-side
cursor on PostgreSQL) and each chunk is written before the next is fetched.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Protocol

from sqlalchemy import Connection, Select, column, inspect, literal_column, select, table
from sqlalchemy.engine import make_url

from db.dictionary import NUMERIC_KINDS, VIEWS, Kind
from db.migrations import upgrade
from db.session import make_engine
from db.views import VIEW_NAMES

EXCEL_CELL_LIMIT = 32_767  # characters (UTF-16 code units) in one Excel cell
EXCEL_MAX_ROWS = 1_048_576  # rows in one Excel sheet, header included
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # OWASP: what makes a spreadsheet read a formula
DEFAULT_CHUNK_ROWS = 5_000  # rows per fetch: big enough to amortise round trips, small enough to stay flat


Chunk = Sequence[Sequence[Any]]  # rows of one fetch


class ExportError(ValueError):
    """A user's mistake or an environment problem, reported as a message (exit code 2), not a traceback."""


class Format(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    XLSX = "xlsx"


@dataclass(frozen=True)
class Filters:
    """Row filters; each one given narrows the rows (they combine with AND)."""

    city: str | None = None  # exact name, e.g. 西宁市
    province: str | None = None  # exact name, e.g. 青海省
    topic: str | None = None  # substring of the cluster topic
    type: str | None = None  # record type, e.g. timeframe
    since: date | None = None  # published on or after this day (Beijing time)

    def given(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, "")}


# Filter name -> the view column it reads: a fixed allow-list, so no name ever comes from the user.
FILTER_COLUMNS: dict[str, str] = {
    "city": "city",
    "province": "province",
    "topic": "topic",
    "type": "type",
    "since": "published_at",
}


def parse_date(text: str) -> date:
    """`YYYY-MM-DD` as a date; ExportError (a clear message) for anything else."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ExportError(f"not a date: {text!r} (expected YYYY-MM-DD, e.g. 2025-05-01)") from None


def require_database(db_url: str) -> None:
    """ExportError when `db_url` names a SQLite file that does not exist: reading must not create one
    (a mistyped --db would otherwise give an empty export and a stray file)."""
    url = make_url(db_url)
    if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
        # "file:/path/x.db?mode=ro" with uri=true is SQLite's URI form of the same file
        path = Path(str(url.database).removeprefix("file:").split("?", 1)[0])
        if not path.parent.is_dir():
            raise ExportError(f"no database at {path}: folder does not exist")
        if not path.is_file():
            raise ExportError(f"no database at {path}: crawl first (`shebao demo` or `shebao crawl`) or give --db")


def format_for(out: str, requested: str | None) -> Format:
    """The requested format, else the one the output file's suffix names, else CSV."""
    if requested:
        return Format(requested)
    suffix = Path(out).suffix.lower().lstrip(".")
    return Format(suffix) if suffix in {f.value for f in Format} else Format.CSV


# --- cells ---------------------------------------------------------------------------------------------


def neutralise_formula(text: str) -> str:
    """`text` with a leading `'` when a spreadsheet would read it as a formula (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


_TRIGGER_CHARACTERS = frozenset(FORMULA_TRIGGERS)
_SURELY_FITS = EXCEL_CELL_LIMIT // 2  # a text this long fits whatever its characters (at most 2 units each)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cut_marker(full_length: int) -> str:
    return f" …[cut: {full_length:,} characters in full; the database and Parquet export keep them all]"


def fit_cell(text: str, limit: int = EXCEL_CELL_LIMIT) -> str:
    """`text` cut to at most `limit` UTF-16 units (Excel's measure), ending in a marker that says so."""
    if len(text) <= limit // 2 or _utf16_length(text) <= limit:  # the cheap test first: most cells are short
        return text
    marker = cut_marker(len(text))
    budget = limit - _utf16_length(marker)
    head = text[:budget]
    while _utf16_length(head) > budget:  # characters outside the BMP take two units each
        head = head[: budget - (_utf16_length(head) - budget)]
    return head + marker


def spreadsheet_text(text: str, *, raw: bool, cut: bool) -> str:
    if not raw:
        text = neutralise_formula(text)
    return fit_cell(text) if cut else text


# --- query -----------------------------------------------------------------------------------------------


def view_columns(connection: Connection, view: str) -> list[str]:
    if view not in VIEW_NAMES:
        raise ExportError(f"unknown view {view!r}; choose one of {', '.join(sorted(VIEW_NAMES))}")
    return [c["name"] for c in inspect(connection).get_columns(view)]


def build_query(view: str, columns: Sequence[str], filters: Filters) -> Select[Any]:
    """SELECT * FROM view WHERE ... with every value a bound parameter.

    `view` is checked against VIEW_NAMES and filter columns come from FILTER_COLUMNS, so the only names
    in the SQL are fixed ones; a filter on a column the view lacks is an ExportError naming the view.
    """
    if view not in VIEW_NAMES:
        raise ExportError(f"unknown view {view!r}; choose one of {', '.join(sorted(VIEW_NAMES))}")
    given = filters.given()
    absent = [name for name in given if FILTER_COLUMNS[name] not in columns]
    if absent:
        options = ", ".join(f"--{n}" for n in FILTER_COLUMNS if FILTER_COLUMNS[n] in columns) or "none"
        raise ExportError(
            f"{view} has no column for {', '.join(f'--{n} ({FILTER_COLUMNS[n]})' for n in absent)}; "
            f"filters that apply to {view}: {options}"
        )
    source = table(view, *(column(FILTER_COLUMNS[name]) for name in given))
    query = select(literal_column("*")).select_from(source)
    for name, value in given.items():
        target = source.c[FILTER_COLUMNS[name]]
        if name == "topic":
            query = query.where(target.contains(str(value), autoescape=True))  # % and _ are literal
        elif name == "since":
            assert isinstance(value, date)
            # published_at is ISO 8601 text in Beijing time, so text order is time order
            query = query.where(target >= value.isoformat())
        else:
            query = query.where(target == value)
    return query


def stream_chunks(connection: Connection, query: Select[Any], chunk_rows: int) -> Iterator[Chunk]:
    """The query's rows, `chunk_rows` at a time, straight off the cursor (server-side on PostgreSQL)."""
    result = connection.execution_options(stream_results=True, yield_per=chunk_rows).execute(query)
    yield from result.partitions(chunk_rows)  # SQLAlchemy Rows are tuples: written without a copy


# --- writers ---------------------------------------------------------------------------------------------


class RowWriter(Protocol):
    def write(self, rows: Chunk) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None:
        """Give up after an error: release what the writer holds (the caller removes the file)."""


def _numeric_positions(view: str, columns: Sequence[str]) -> frozenset[int]:
    described = VIEWS[view]
    return frozenset(
        i for i, name in enumerate(columns) if (c := described.column(name)) is not None and c.kind in NUMERIC_KINDS
    )


class CsvWriter:
    """CSV rows; text cells made spreadsheet-safe, numeric columns written as the numbers they are."""

    def __init__(self, stream: IO[str], view: str, columns: Sequence[str], *, raw: bool) -> None:
        self._writer = csv.writer(stream)
        numeric = _numeric_positions(view, columns)
        self._text_positions = [i for i in range(len(columns)) if i not in numeric]
        self._raw = raw
        self._writer.writerow([spreadsheet_text(c, raw=raw, cut=not raw) for c in columns])

    def write(self, rows: Chunk) -> None:
        if self._raw:  # nothing to neutralise, nothing to cut
            self._writer.writerows(rows)
            return
        triggers = _TRIGGER_CHARACTERS
        short = _SURELY_FITS
        positions = self._text_positions
        safe_rows: list[Sequence[Any]] = []
        for row in rows:
            cells: Sequence[Any] = row
            for i in positions:
                value = row[i]
                # the cheap test inline: most cells are short and start with an ordinary character
                if value.__class__ is str and value and (value[0] in triggers or len(value) > short):
                    if cells is row:
                        cells = list(row)  # copy only the rows that change
                    cells[i] = spreadsheet_text(value, raw=False, cut=True)  # type: ignore[index]
            safe_rows.append(cells)
        self._writer.writerows(safe_rows)

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


# openpyxl refuses control characters other than TAB, LF and CR in a cell (XML 1.0 forbids them).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class XlsxWriter:
    """A streaming (write-only) workbook: one sheet, frozen header row, text always stored as text."""

    def __init__(self, path: Path, view: str, columns: Sequence[str], *, raw: bool) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self._path = path
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(view[:31])  # sheet names hold 31 characters
        self._sheet.freeze_panes = "A2"
        self._cell = WriteOnlyCell
        self._numeric = _numeric_positions(view, columns)
        self._raw = raw
        self._rows = 1
        header = []
        for name in columns:
            cell = WriteOnlyCell(self._sheet, value=name)
            cell.font = Font(bold=True)
            header.append(cell)
        self._sheet.append(header)

    def _text_cell(self, value: str) -> Any:
        text = _XML_ILLEGAL.sub("\ufffd", spreadsheet_text(value, raw=self._raw, cut=True))
        if text.startswith("=") or text.startswith("#"):
            # openpyxl would store these as a formula or an error value: force a plain string cell,
            # so even a --raw export never runs page text as a formula
            cell = self._cell(self._sheet, value=text)
            cell.data_type = "s"
            return cell
        return text

    def write(self, rows: Chunk) -> None:
        self._rows += len(rows)
        if self._rows > EXCEL_MAX_ROWS:
            raise ExportError(
                f"more than {EXCEL_MAX_ROWS - 1:,} rows: over what one Excel sheet holds; "
                "narrow the export with filters or use --format csv or parquet"
            )
        numeric = self._numeric
        for row in rows:
            self._sheet.append(
                [v if (i in numeric or not isinstance(v, str)) else self._text_cell(v) for i, v in enumerate(row)]
            )

    def close(self) -> None:
        self._workbook.save(self._path)

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # openpyxl's own temporary sheet file
            self._sheet.close()
            self._sheet._writer.cleanup()


def _time_type(kind: Kind) -> Any:
    import pyarrow as pa

    return pa.timestamp("us", tz="+08:00" if kind is Kind.TIME_BEIJING else "UTC")


class ParquetWriter:
    """Typed Parquet columns: integers, floats, booleans, and ISO 8601 text as timezone-aware timestamps."""

    def __init__(self, path: Path, view: str, columns: Sequence[str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        described = VIEWS[view]
        types = {
            Kind.TEXT: pa.string(),
            Kind.INTEGER: pa.int64(),
            Kind.REAL: pa.float64(),
            Kind.BOOLEAN: pa.bool_(),
        }
        self._kinds: list[Kind | None] = []
        schema_fields = []
        for name in columns:
            described_column = described.column(name)
            kind = described_column.kind if described_column else None  # a column the dictionary lacks: text
            self._kinds.append(kind)
            arrow_type = _time_type(kind) if kind in (Kind.TIME_BEIJING, Kind.TIME_UTC) else types.get(kind, pa.string())
            description = described_column.meaning if described_column else ""
            schema_fields.append(pa.field(name, arrow_type, metadata={"description": description}))
        self._schema = pa.schema(schema_fields)
        self._writer = pq.ParquetWriter(str(path), self._schema, compression="zstd")

    def write(self, rows: Chunk) -> None:
        import pyarrow as pa

        if not rows:
            return
        arrays = [
            _arrow_column(values, kind, field.type)
            for values, kind, field in zip(zip(*rows, strict=True), self._kinds, self._schema, strict=True)
        ]
        self._writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=self._schema))

    def close(self) -> None:
        self._writer.close()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()


def _arrow_column(values: Sequence[Any], kind: Kind | None, arrow_type: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind in (Kind.TIME_BEIJING, Kind.TIME_UTC):
        text = pa.array([None if v is None else str(v) for v in values], pa.string())
        parsed = pc.strptime(text, format="%Y-%m-%dT%H:%M:%S%z", unit="us", error_is_null=True)
        if parsed.null_count > text.null_count:  # fractional seconds or other ISO spellings: the slow path
            parsed = pa.array([_parse_time(v, kind) for v in values], pa.timestamp("us", tz="UTC"))
        return parsed.cast(arrow_type)
    if kind is Kind.BOOLEAN:
        return pa.array([None if v is None else bool(v) for v in values], pa.bool_())
    if kind is None:
        return pa.array([None if v is None else str(v) for v in values], pa.string())
    return pa.array(values, arrow_type)


def _parse_time(value: Any, kind: Kind) -> datetime | None:
    from datetime import timedelta, timezone

    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None  # not a time: NULL rather than a wrong instant
    if parsed.tzinfo is None:  # no offset written: the column's own zone
        parsed = parsed.replace(tzinfo=timezone(timedelta(hours=8)) if kind is Kind.TIME_BEIJING else UTC)
    return parsed


# --- export ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _atomic_output(out: str) -> Iterator[Path]:
    """A temporary file beside `out`, renamed over it only when the export succeeded."""
    target = Path(out)
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as error:
        raise ExportError(f"cannot write {out}: {error.strerror or error}") from None
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        os.replace(partial, target)
    except OSError as error:
        raise ExportError(f"cannot write {out}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)


def export_view(
    db_url: str,
    view: str,
    out: str,
    *,
    fmt: Format | str | None = None,
    filters: Filters | None = None,
    raw: bool = False,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> int:
    """Write the view's rows that pass `filters` to `out` ('-' = standard output, CSV only); returns the count.

    CSV files are UTF-8 with a BOM (Excel then shows the Chinese text right); CSV on standard output is
    plain UTF-8 (a BOM would end up inside pipes).
    """
    chosen = format_for(out, fmt)
    if out == "-" and chosen is not Format.CSV:
        raise ExportError(f"--format {chosen.value} writes a binary file: give --out FILE")
    if out != "-" and Path(out).is_dir():
        raise ExportError(f"cannot write {out}: it is a directory")
    require_database(db_url)
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            columns = view_columns(connection, view)
            query = build_query(view, columns, filters or Filters())
            chunks = stream_chunks(connection, query, chunk_rows)
            if out == "-":
                stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
                try:
                    return _drain(chunks, CsvWriter(stream, view, columns, raw=raw))
                finally:
                    stream.flush()
                    stream.detach()  # leave sys.stdout usable
            with _atomic_output(out) as partial:
                return _write_file(chunks, chosen, partial, view, columns, raw=raw)
    finally:
        engine.dispose()


def _write_file(chunks: Iterator[Chunk], chosen: Format, path: Path, view: str,
                columns: Sequence[str], *, raw: bool) -> int:
    if chosen is Format.CSV:
        with path.open("w", encoding="utf-8-sig", newline="", buffering=1 << 20) as stream:
            return _drain(chunks, CsvWriter(stream, view, columns, raw=raw))
    if chosen is Format.PARQUET:
        return _drain(chunks, ParquetWriter(path, view, columns))
    return _drain(chunks, XlsxWriter(path, view, columns, raw=raw))


def _drain(chunks: Iterator[Chunk], writer: RowWriter) -> int:
    count = 0
    try:
        for rows in chunks:
            writer.write(rows)
            count += len(rows)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return count
