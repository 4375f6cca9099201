"""Schema migrations with Alembic: fresh databases, old-mechanism databases stamped (not rebuilt), concurrent
upgrades, free-text columns without lengths, and `shebao db upgrade/current`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from crawler.cli import main
from db.migrations import CURRENT_VERSION, current_revision, legacy_version, upgrade
from db.models import Base
from db.session import make_engine, session_scope
from db.views import VIEW_NAMES
from tests.legacy_schema import mark_legacy

ROOT = Path(__file__).resolve().parents[1]

# The v1 record table (v2 adds actor and status), as the first schema created it.
V1_RECORD = """CREATE TABLE record (occurrence_id INTEGER PRIMARY KEY, record_id VARCHAR(40) NOT NULL,
    section_id VARCHAR(40) NOT NULL, article_id BIGINT NOT NULL, position INTEGER NOT NULL,
    type VARCHAR(20) NOT NULL, block TEXT, text TEXT NOT NULL, item TEXT, qualifiers VARCHAR(50),
    optional BOOLEAN NOT NULL, category TEXT, value_min FLOAT, value_max FLOAT, unit VARCHAR(10),
    bound VARCHAR(20), applies_to VARCHAR(20), channel VARCHAR(20), ordinal INTEGER, menu_path TEXT)"""

V5_TABLES = ("run_lock", "article_visit", "list_progress")
LONG_ETAG = '"' + "e" * 243 + '"'  # 245 characters, longer than the old VARCHAR(200)


def _drop_views(connection) -> None:  # type: ignore[no-untyped-def]
    for view in VIEW_NAMES:
        connection.execute(text(f"DROP VIEW IF EXISTS {view}"))


def _schema_differences(url: str) -> list[object]:
    """What Alembic's autogenerate sees between the database and the models (types compared on PostgreSQL;
    SQLite keeps the declared VARCHAR lengths it never enforced)."""
    engine = make_engine(url)
    with engine.connect() as connection:
        compare_type = connection.dialect.name == "postgresql"
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type})
        differences = list(compare_metadata(context, Base.metadata))
    engine.dispose()
    return differences


def test_fresh_database_is_at_head_and_matches_the_models(sqlite_url: str) -> None:
    # a fresh database gets every revision: the tables as the models define them, the views, the head stamp
    engine = make_engine(sqlite_url)
    assert upgrade(engine) == CURRENT_VERSION
    with engine.connect() as connection:
        assert current_revision(connection) == CURRENT_VERSION
        assert set(VIEW_NAMES) <= set(inspect(connection).get_view_names())
        assert not connection.dialect.has_table(connection, "schema_version")
    engine.dispose()
    assert _schema_differences(sqlite_url) == []


def test_fresh_postgres_database_matches_the_models_with_types(postgres_url: str) -> None:
    # on PostgreSQL the column types match too: the free-text columns are TEXT after revision 0003
    upgrade(make_engine(postgres_url))
    assert _schema_differences(postgres_url) == []


def test_v1_database_upgrades_and_keeps_its_rows(tmp_path: Path) -> None:
    # an old-mechanism v1 database (no actor/status) gets the new columns and keeps its record rows
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine)
    with engine.begin() as connection:
        _drop_views(connection)
        connection.execute(text("DROP TABLE record"))
        connection.execute(text(V1_RECORD))
        mark_legacy(connection, 1)
        connection.execute(text("INSERT INTO record (record_id, section_id, article_id, position, type, text, optional) "
                                "VALUES ('r1', '1-0', 1, 0, 'step', '前往窗口办理', 0)"))
    assert upgrade(engine) == CURRENT_VERSION
    with engine.begin() as connection:
        columns = {c["name"]: c for c in inspect(connection).get_columns("record")}
        kept = connection.scalar(text("SELECT text FROM record WHERE record_id = 'r1'"))
        view_columns = {c["name"] for c in inspect(connection).get_columns("record_view")}
        revision = current_revision(connection)
        legacy = legacy_version(connection)
    engine.dispose()
    assert {"actor", "status"} <= columns.keys()
    assert kept == "前往窗口办理"
    assert {"actor", "status"} <= view_columns
    assert (revision, legacy) == (CURRENT_VERSION, 0)  # stamped, and the old version table is gone


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_v4_database_is_stamped_not_rebuilt(backend: str, sqlite_url: str, request: pytest.FixtureRequest) -> None:
    # an old-mechanism v4 database (no v5 columns or tables) keeps its rows and gets only the v5 step and on
    url = sqlite_url if backend == "sqlite" else request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as connection:
        _drop_views(connection)
        for table in V5_TABLES:
            connection.execute(text(f"DROP TABLE {table}"))
        for column in ("claimed_by", "lease_until", "attempts"):
            connection.execute(text(f"ALTER TABLE process_job DROP COLUMN {column}"))
        mark_legacy(connection, 4)
        connection.execute(text("INSERT INTO process_job (article_id, url, page_version_ids, created_at, state, complete) "
                                "VALUES (7, 'http://x/7.html', '[1]', '2026-01-01T00:00:00+00:00', 'pending', TRUE)"))
    assert upgrade(engine) == CURRENT_VERSION
    with engine.connect() as connection:
        job = connection.execute(text("SELECT article_id, state, attempts FROM process_job")).one()
        tables = set(inspect(connection).get_table_names())
        assert current_revision(connection) == CURRENT_VERSION and legacy_version(connection) == 0
    engine.dispose()
    assert tuple(job) == (7, "pending", 0)  # the row survived: stamped and altered, not re-created
    assert set(V5_TABLES) <= tables


def test_v5_database_is_stamped_at_revision_2(sqlite_url: str) -> None:
    # an old-mechanism v5 database is stamped at 0002 and only the later revisions run
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.begin() as connection:
        mark_legacy(connection, 5)
        connection.execute(text("INSERT INTO crawl_run (started_at, start_urls, status) VALUES ('t', '[]', 'finished')"))
    assert upgrade(engine) == CURRENT_VERSION
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT status FROM crawl_run")) == "finished"
        assert current_revision(connection) == CURRENT_VERSION
    engine.dispose()


def test_current_database_is_only_read(tmp_path: Path) -> None:
    # opening an up-to-date database writes nothing: it works on a read-only file
    path = tmp_path / "ro.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    path.chmod(0o444)
    reader = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        assert upgrade(reader) == CURRENT_VERSION
    finally:
        reader.dispose()
        path.chmod(0o644)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_long_etag_stores_on_both_backends(backend: str, sqlite_url: str, request: pytest.FixtureRequest) -> None:
    # a 245-character ETag (and a long content type and city) store alike on SQLite and PostgreSQL
    from db.models import Article, PageVersion

    url = sqlite_url if backend == "sqlite" else request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        session.add(PageVersion(url="http://x/1.html", article_id=1, page_no=1, fetched_at="t", http_status=200,
                                content_hash="h", content_type="text/html; " + "x" * 300, etag=LONG_ETAG,
                                last_modified="L" * 150, raw_html=b""))
        session.add(Article(article_id=1, url="http://x/1.html", city="市" * 80, body_text="", fetched_at="t",
                            processed_at="t", page_version_ids="[]"))
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT etag FROM page_version")) == LONG_ETAG
    engine.dispose()


_UPGRADE_SCRIPT = "import sys; from db.migrations import upgrade; from db.session import make_engine; " \
                  "print(upgrade(make_engine(sys.argv[1])))"


def _upgrade_concurrently(url: str, processes: int) -> list[subprocess.CompletedProcess[str]]:
    started = [subprocess.Popen([sys.executable, "-c", _UPGRADE_SCRIPT, url], cwd=ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(processes)]
    results = []
    for process in started:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_upgrades_of_a_fresh_database_all_succeed(backend: str, sqlite_url: str,
                                                             request: pytest.FixtureRequest) -> None:
    # four processes upgrading one fresh database at once: all succeed, one stamp, every table and view
    url = sqlite_url if backend == "sqlite" else request.getfixturevalue("postgres_url")
    results = _upgrade_concurrently(url, 4)
    assert [r.returncode for r in results] == [0] * 4, [r.stderr[-1500:] for r in results]
    assert {r.stdout.strip() for r in results} == {CURRENT_VERSION}
    engine = make_engine(url)
    with engine.connect() as connection:
        stamps = list(connection.scalars(text("SELECT version_num FROM alembic_version")))
        views = set(inspect(connection).get_view_names())
    engine.dispose()
    assert stamps == [CURRENT_VERSION]
    assert set(VIEW_NAMES) <= views
    assert _schema_differences(url) == []


def test_db_commands(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # `shebao db current` reads and says where the schema is; `shebao db upgrade` brings it to the head
    assert main(["db", "current", "--db", sqlite_url]) == 0
    assert "empty" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", sqlite_url]) == 0
    assert CURRENT_VERSION in capsys.readouterr().out
    assert main(["db", "current", "--db", sqlite_url]) == 0
    assert capsys.readouterr().out.strip() == f"{CURRENT_VERSION} (head)"


def test_db_current_names_an_old_schema_and_upgrade_stamps_it(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # `db current` on an old-mechanism database says so without touching it; `db upgrade` stamps it
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.begin() as connection:
        mark_legacy(connection, 5)
    assert main(["db", "current", "--db", sqlite_url]) == 0
    assert capsys.readouterr().out.startswith("old schema v5 (not under Alembic yet")
    with engine.connect() as connection:
        assert legacy_version(connection) == 5 and current_revision(connection) is None
    assert main(["db", "upgrade", "--db", sqlite_url]) == 0
    with engine.connect() as connection:
        assert legacy_version(connection) == 0 and current_revision(connection) == CURRENT_VERSION
    engine.dispose()
