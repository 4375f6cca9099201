"""Export a view to CSV with pandas, encoded UTF-8 with a BOM so Excel shows the Chinese text right."""

from __future__ import annotations

import sys

import pandas as pd

from db.migrations import upgrade
from db.session import make_engine
from db.views import VIEW_NAMES


def read_view(db_url: str, view: str) -> pd.DataFrame:
    if view not in VIEW_NAMES:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEW_NAMES)}")
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as connection:
        frame = pd.read_sql(f"SELECT * FROM {view}", connection)  # view is one of VIEW_NAMES: no injection
    engine.dispose()
    return frame


def export_view(db_url: str, view: str, out: str) -> int:
    """Write the view to `out` ('-' for standard output); returns the number of rows."""
    frame = read_view(db_url, view)
    if out == "-":  # UTF-8 whatever the terminal's locale says (no BOM: it would end up inside pipes)
        sys.stdout.buffer.write(frame.to_csv(index=False).encode("utf-8"))
        sys.stdout.flush()
    else:  # opened here, so an unwritable path is an OSError that names the file
        with open(out, "w", encoding="utf-8-sig", newline="") as handle:
            frame.to_csv(handle, index=False)
    return len(frame)
