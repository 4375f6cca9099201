"""Bring a database to the current schema with Alembic: revisions, then views; one process at a time.

The revisions live in db/alembic/versions and ship inside the package; the Alembic configuration is built
here in code (no alembic.ini). `upgrade` is what every command calls before it uses a database:

- an up-to-date database is only read (no write lock: readers and a running crawl are never blocked);
- otherwise one transaction, on PostgreSQL under an advisory lock (two processes starting on a fresh
  database do not race; the second finds the work done), on SQLite under BEGIN IMMEDIATE;
- a database made by the old mechanism (table `schema_version`, versions 1-5) is stamped at the matching
  revision (v4 → 0001, v5 → 0002) after the old steps bring v1-v3 up to v4, and its `schema_version`
  table is dropped; nothing is rebuilt;
- the views are dropped before and recreated after an upgrade that changed something (PostgreSQL refuses
  to change a column a view uses), and whenever one is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from db.models import Base
from db.session import writer
from db.views import VIEW_NAMES, create_views

SCRIPT_LOCATION = Path(__file__).resolve().parent / "alembic"
LEGACY_TABLE = "schema_version"  # the old mechanism's version table
# The old mechanism's last versions and the revisions that hold the same schema.
LEGACY_REVISIONS = {4: "0001_v4_baseline", 5: "0002_v5_runs_and_schedule"}
# pg_advisory_xact_lock key for schema upgrades: any constant no other lock of ours uses ("SHEB").
UPGRADE_LOCK_KEY = 0x53484542


class SchemaError(RuntimeError):
    """The database's schema is not one this code can use; the message says why and what to do."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code; db/alembic/env.py runs on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


HEAD: str = _script().get_current_head() or ""
CURRENT_VERSION = HEAD  # the revision `upgrade` brings a database to


def current_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at (None: not under Alembic yet). Reads only."""
    return MigrationContext.configure(connection).get_current_revision()


def legacy_version(connection: Connection) -> int:
    """The old mechanism's applied version (0: no `schema_version` table or no row)."""
    if not connection.dialect.has_table(connection, LEGACY_TABLE):
        return 0
    return connection.scalar(text(f"SELECT MAX(version) FROM {LEGACY_TABLE}")) or 0


# The old mechanism's steps v2-v4, kept for databases still at v1-v3 (v5 is revision 0002).
def _add_actor_and_status(connection: Connection) -> None:
    """v2: record.actor (who acts in a step) and record.status (whose duration a timeframe is)."""
    existing = {column["name"] for column in inspect(connection).get_columns("record")}
    for column in ("actor", "status"):
        if column not in existing:
            connection.execute(text(f"ALTER TABLE record ADD COLUMN {column} VARCHAR(20)"))


def _add_section_cluster_inputs(connection: Connection) -> None:
    """v3: section.topic and section.cluster_key (filled by `shebao reprocess`)."""
    existing = {column["name"] for column in inspect(connection).get_columns("section")}
    for column, sql_type in (("topic", "TEXT"), ("cluster_key", "VARCHAR(40)")):
        if column not in existing:
            connection.execute(text(f"ALTER TABLE section ADD COLUMN {column} {sql_type}"))


def _add_complete_flags(connection: Connection) -> None:
    """v4: process_job.complete and article.complete; stored rows count as complete."""
    true = "1" if connection.dialect.name == "sqlite" else "TRUE"
    for table in ("process_job", "article"):
        if "complete" not in {column["name"] for column in inspect(connection).get_columns(table)}:
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN complete BOOLEAN NOT NULL DEFAULT {true}"))


LEGACY_STEPS: dict[int, Callable[[Connection], None]] = {
    2: _add_actor_and_status,
    3: _add_section_cluster_inputs,
    4: _add_complete_flags,
}


def missing_columns(connection: Connection) -> dict[str, list[str]]:
    """Columns the models have and the database's existing tables lack (table → column names)."""
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    missing: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in existing:
            have = {column["name"] for column in inspector.get_columns(table.name)}
            lacking = [column.name for column in table.columns if column.name not in have]
            if lacking:
                missing[table.name] = lacking
    return missing


def _refuse_missing_columns(connection: Connection) -> None:
    """Never stamp (or use) a database whose tables lack columns: every store would fail later."""
    missing = missing_columns(connection)
    if missing:
        listed = "; ".join(f"{table}: {', '.join(columns)}" for table, columns in missing.items())
        raise SchemaError(f"the database's tables lack columns this version needs ({listed}); it was made by "
                          "another program or an older version without migrations: use a new database (--db)")


def _views_missing(connection: Connection) -> bool:
    return not set(VIEW_NAMES) <= set(inspect(connection).get_view_names())


def _newer_error(found: str) -> SchemaError:
    return SchemaError(f"the database's schema {found} is newer than this code ({HEAD}): "
                       "upgrade shebao-pipeline, or use another database (--db)")


def _known(revision: str) -> bool:
    return revision in {script.revision for script in _script().walk_revisions()}


def _is_current(connection: Connection) -> bool:
    """True when nothing is to be done; raises SchemaError for a schema this code cannot use."""
    revision = current_revision(connection)
    if revision is None:
        legacy = legacy_version(connection)
        if legacy > max(LEGACY_REVISIONS):
            raise _newer_error(f"v{legacy}")
        return False
    if not _known(revision):
        raise _newer_error(revision)
    if revision != HEAD or _views_missing(connection):
        return False
    _refuse_missing_columns(connection)
    return True


def _adopt_legacy(connection: Connection, config: Config) -> None:
    """Bring an old-mechanism database to v4 with the old steps, stamp it, drop `schema_version`."""
    version = legacy_version(connection)
    if version == 0:
        ours = {table.name for table in Base.metadata.sorted_tables}
        found = sorted(ours & set(inspect(connection).get_table_names()))
        if found:
            raise SchemaError(f"the database has tables of ours ({', '.join(found)}) but no schema version: it was "
                              "made by another program; use a new database (--db)")
        return  # an empty database: the revisions create everything
    for step in range(version + 1, 5):
        LEGACY_STEPS[step](connection)
    command.stamp(config, LEGACY_REVISIONS[max(version, 4)])
    connection.execute(text(f"DROP TABLE {LEGACY_TABLE}"))


def _upgrade_locked(connection: Connection) -> None:
    """The upgrade proper, inside the caller's transaction and lock."""
    if _is_current(connection):  # another process did it while we waited for the lock
        return
    config = alembic_config(connection)
    if current_revision(connection) is None:
        _adopt_legacy(connection, config)
    changed = current_revision(connection) != HEAD
    if changed:
        for name in VIEW_NAMES:  # dependents first
            connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
        command.upgrade(config, "head")
    _refuse_missing_columns(connection)  # raising here rolls the stamp and the revisions back
    if changed or _views_missing(connection):
        create_views(connection)


def upgrade(engine: Engine) -> str:
    """Apply missing revisions and (re)create the views when needed; returns the revision now in force.

    Nothing is written when the database is current: opening an engine must not take locks that block
    a crawl or an analyst's query. A change to a view's SQL is therefore a revision of its own.
    """
    with engine.connect() as connection:
        if _is_current(connection):
            return HEAD
    with writer(engine).connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":  # released when the transaction ends
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK_KEY})
        _upgrade_locked(connection)
    return HEAD


def describe(engine: Engine) -> str:
    """One line for `shebao db current`: the revision, and whether it is the head. Reads only."""
    with engine.connect() as connection:
        revision = current_revision(connection)
        legacy = legacy_version(connection) if revision is None else 0
    if revision is None and legacy > max(LEGACY_REVISIONS):
        return f"old schema v{legacy}, newer than this code's head {HEAD}: upgrade shebao-pipeline"
    if revision is None and legacy:
        return f"old schema v{legacy} (not under Alembic yet; `shebao db upgrade` stamps it and upgrades to {HEAD})"
    if revision is None:
        return f"empty (no schema yet; `shebao db upgrade` creates {HEAD})"
    if revision == HEAD:
        return f"{revision} (head)"
    if not _known(revision):
        return f"{revision} (newer than this code's head {HEAD})"
    return f"{revision} (behind head {HEAD}; `shebao db upgrade` applies the rest)"
