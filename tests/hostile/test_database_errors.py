"""Database trouble a user meets: a full disk, an old or newer schema, a read-only file, bad --db values.

Each ends in one line saying what and what to do, with a documented exit code (2 user error, 4 store
failed), never a traceback; and no database is stamped current when its tables do not match.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from crawler.cli import EXIT_STORE_FAILED, EXIT_USAGE, main
from crawler.fixture_site.content import load_all_articles
from crawler.fixture_site.render import build_site
from db.migrations import SchemaError, current_revision, legacy_version, upgrade
from db.session import make_engine
from tests.hostile.server import Routes, serve
from tests.legacy_schema import mark_legacy

ROOT = Path(__file__).resolve().parents[2]


def _new_db(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def test_disk_full_stops_crawl_with_one_message(tmp_path: Path) -> None:
    # every page store fails as on a full disk: the crawl stops early, exit 4, one clear line, no tracebacks
    db_path = tmp_path / "full.db"
    _new_db(db_path)
    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TRIGGER disk_full BEFORE INSERT ON page_version "
                           "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    site = build_site(load_all_articles(), traps=False)
    with serve(Routes(site=site, article_delay_seconds=0.3)) as server:
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "crawl", "--start-url", server.base_url, "--db", f"sqlite:///{db_path}",
             "--no-throttle", "--log-level", "WARNING"],
            capture_output=True, text=True, timeout=300, cwd=ROOT,
        )
        article_requests = sum(n for path, n in server.hits.items() if path.endswith(".html") and "index" not in path)
    assert result.returncode == EXIT_STORE_FAILED, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stderr.count("stopping the crawl") == 1
    assert "the database refused every write" in result.stderr
    assert article_requests < len(site.articles)  # it stopped instead of fetching the whole site


def test_table_missing_a_column_is_refused_not_stamped(tmp_path: Path) -> None:
    # a database whose page_version lacks a column (another program, an old version) is never stamped current
    db_path = tmp_path / "old.db"
    url = _new_db(db_path)
    with sqlite3.connect(db_path) as connection:
        connection.execute("ALTER TABLE page_version DROP COLUMN etag")
    engine = make_engine(url)
    with engine.begin() as connection:
        mark_legacy(connection, 1)
    with pytest.raises(SchemaError, match="page_version: etag"):
        upgrade(engine)
    with engine.connect() as connection:
        assert current_revision(connection) is None and legacy_version(connection) == 1
    engine.dispose()


def test_read_only_database_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a database opened read-only (mode=ro) in rollback-journal mode: switching to WAL would be a write
    db_path = tmp_path / "ro.db"
    _new_db(db_path)
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    out = tmp_path / "view.csv"
    assert main(["export", "--db", f"sqlite:///file:{db_path}?mode=ro&uri=true", "--view", "article_view",
                 "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("url,title")


def _corrupt(tmp_path: Path) -> str:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a database" * 200)
    return f"sqlite:///{path}"


def _truncated(tmp_path: Path) -> str:
    url = _new_db(tmp_path / "whole.db")
    whole = (tmp_path / "whole.db").read_bytes()
    (tmp_path / "cut.db").write_bytes(whole[: len(whole) // 4])
    return url.replace("whole.db", "cut.db")


def _newer(tmp_path: Path) -> str:
    url = _new_db(tmp_path / "newer.db")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    return url


@pytest.mark.parametrize(
    ("command", "make_db", "expected"),
    [
        ("export", lambda tmp: f"sqlite:///{tmp}/no/such/folder/x.db", "folder does not exist"),
        ("process", _corrupt, "not a SQLite database"),
        ("export", _truncated, "corrupt or truncated"),
        ("crawl", _newer, "newer than this code"),
        ("export", lambda tmp: "postgresql+psycopg://postgres@127.0.0.1:1/none", "cannot connect"),
        ("process", lambda tmp: "nosuchdriver://x/y", "unknown database URL or driver"),
    ],
)
def test_user_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str,
                                  make_db, expected: str) -> None:  # type: ignore[no-untyped-def]
    args = [command, "--db", make_db(tmp_path)]
    if command == "crawl":
        args += ["--start-url", "http://127.0.0.1:1/"]
    assert main(args) == EXIT_USAGE
    err = capsys.readouterr().err
    assert expected in err and len(err.strip().splitlines()) == 1, err


def test_unwritable_output_path_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _new_db(tmp_path / "ok.db")
    assert main(["export", "--db", url, "--out", str(tmp_path / "missing" / "out.csv")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "out.csv" in err and len(err.strip().splitlines()) == 1
