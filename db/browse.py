"""`shebao browse`: the SQLite database in Datasette, with the views described and ready to facet.

The metadata is built from the data dictionary (`db/dictionary.py`), the same data the README's
dictionary is rendered from: view and column descriptions, facets on city / type / topic where a view
has them, and the README's example queries as canned queries. Datasette is an optional extra
(`pip install 'shebao-pipeline[browse]'`); nothing else imports it.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from db.dictionary import EXAMPLE_QUERIES, VIEWS
from db.export import ExportError, require_database
from db.migrations import upgrade
from db.session import make_engine

FACET_COLUMNS = ("city", "type", "topic")  # what analysts slice by first
INSTALL_HINT = "pip install 'shebao-pipeline[browse]' (or: pip install -e '.[browse]' in a checkout)"


class BrowseError(ExportError):
    """Not a SQLite file, Datasette missing: a message for the user (exit code 2)."""


def datasette_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for a database named `database` (the file's stem, as Datasette names it)."""
    tables = {
        view.name: {
            "description": f"One row per {view.one_row_per}. {view.description}",
            "columns": {
                c.name: f"{c.kind.value} — {c.meaning}" + (f" (e.g. {c.example})" if c.example else "")
                for c in view.columns
            },
            "facets": [name for name in FACET_COLUMNS if view.column(name) is not None],
        }
        for view in VIEWS.values()
    }
    queries = {q.name: {"title": q.title, "sql": q.sql} for q in EXAMPLE_QUERIES}
    return {
        "title": "shebao-pipeline",
        "description": "Social-insurance Q&A articles per city: materials, steps, timeframes, exclusions. "
        "Start with record_view (one row per fact) or fact_coverage_view (how many cities state each fact).",
        "databases": {database: {"tables": tables, "queries": queries}},
    }


def sqlite_path(db_url: str) -> Path:
    """The SQLite file behind `db_url`; BrowseError for any other database."""
    url = make_url(db_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        raise BrowseError(f"browse opens SQLite database files only, not {url.render_as_string()}; "
                          "export from other databases with `shebao export`")
    require_database(db_url)
    return Path(url.database)  # type: ignore[arg-type]


def datasette_command(path: Path, metadata_file: Path, host: str, port: int, open_browser: bool) -> list[str]:
    command = [sys.executable, "-m", "datasette", "serve", str(path), "--metadata", str(metadata_file),
               "--host", host, "--port", str(port)]
    return [*command, "--open"] if open_browser else command


def browse(db_url: str, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False) -> int:
    """Serve the database with Datasette until interrupted; returns Datasette's exit code."""
    path = sqlite_path(db_url)
    if importlib.util.find_spec("datasette") is None:
        raise BrowseError(f"Datasette is not installed: {INSTALL_HINT}")
    engine = make_engine(db_url)
    try:
        upgrade(engine)  # the views must exist for Datasette to show them
    finally:
        engine.dispose()
    with tempfile.TemporaryDirectory(prefix="shebao-browse-") as folder:
        metadata_file = Path(folder) / "metadata.json"
        metadata_file.write_text(json.dumps(datasette_metadata(path.stem), ensure_ascii=False, indent=2),
                                 encoding="utf-8")
        print(f"serving {path} at http://{host}:{port}/{path.stem} (Ctrl-C stops)", file=sys.stderr)
        try:
            return subprocess.call(datasette_command(path, metadata_file, host, port, open_browser))
        except KeyboardInterrupt:  # Ctrl-C is how a browsing session ends: Datasette got it too
            return 0
