"""A query's first rows as an aligned text table for the terminal, NULL shown as NULL (never NaN)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text

from db.session import make_engine

NULL = "NULL"


def _cell(value: Any, max_width: int) -> str:
    if value is None:
        return NULL
    # 15, not 15.0: the numeric columns are durations and counts
    shown = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    shown = " ".join(shown.split())  # one line per row
    return shown if len(shown) <= max_width else shown[: max_width - 1] + "…"


def _width(shown: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown)


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 24) -> str:
    """Rows under a header, columns padded to the widest cell (display width, not characters)."""
    table = [list(columns)] + [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max(_width(line[i]) for line in table) for i in range(len(columns))]
    return "\n".join(
        "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    )


def query_preview(db_url: str, query: str, max_width: int = 24) -> str:
    """Run a read-only query and format what it returns."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            result = connection.execute(text(query))
            return format_table(list(result.keys()), result.fetchall(), max_width)
    finally:
        engine.dispose()
