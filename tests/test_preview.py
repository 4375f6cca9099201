"""The demo's query preview: NULL shown as NULL (it printed NaN through pandas), columns aligned."""

from __future__ import annotations

import pytest

from db.preview import _width, format_table


@pytest.mark.parametrize(("value", "shown"), [
    (None, "NULL"),  # a NULL column is NULL, never NaN or None
    (15.0, "15"),  # whole durations without a trailing .0
    (0.5, "0.5"),  # fractions kept
    ("身份证", "身份证"),  # text as is
])
def test_cells(value: object, shown: str) -> None:
    assert format_table(["c"], [[value]]).splitlines()[1] == shown


def test_columns_align_by_display_width() -> None:
    # CJK characters take two terminal columns, so the next column starts at the same place on every line
    lines = format_table(["city", "n"], [["西宁市", 1], ["abc", None]]).splitlines()
    starts = [_width(line[: line.index(value)]) for line, value in zip(lines, ["n", "1", "NULL"], strict=True)]
    assert starts == [8, 8, 8]
    assert "NaN" not in "\n".join(lines)
