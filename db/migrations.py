"""Bring a database to the current schema: tables, then views; record the applied version.

Version 1 is the first schema, created from the models. Later versions append a step to MIGRATIONS
(an ALTER, a back-fill, new view SQL); `upgrade` applies the missing ones in order in one transaction
and then recreates the views.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect, select, text

from db.models import Base, SchemaVersion
from db.session import utc_now, writer
from db.views import VIEW_NAMES, create_views


def _create_tables(connection: Connection) -> None:
    Base.metadata.create_all(connection)


def _add_actor_and_status(connection: Connection) -> None:
    """v2: record.actor (who acts in a step) and record.status (whose duration a timeframe is)."""
    existing = {column["name"] for column in inspect(connection).get_columns("record")}
    for column in ("actor", "status"):
        if column not in existing:  # a database created from this code's models already has them
            connection.execute(text(f"ALTER TABLE record ADD COLUMN {column} VARCHAR(20)"))


def _add_section_cluster_inputs(connection: Connection) -> None:
    """v3: section.topic and section.cluster_key (what the order-free re-clustering pass needs), and new
    view SQL (fact_coverage_view gets share and ordered cities; fact_difference_view), recreated after
    this step like after every step. Sections stored before v3 get the columns from `shebao reprocess`."""
    existing = {column["name"] for column in inspect(connection).get_columns("section")}
    for column, sql_type in (("topic", "TEXT"), ("cluster_key", "VARCHAR(40)")):
        if column not in existing:  # a database created from this code's models already has them
            connection.execute(text(f"ALTER TABLE section ADD COLUMN {column} {sql_type}"))


def _add_complete_flags(connection: Connection) -> None:
    """v4: process_job.complete and article.complete (False when a continuation page was missing or a `_N`
    chain was cut), shown as article_view.complete; stored rows count as complete."""
    true = "1" if connection.dialect.name == "sqlite" else "TRUE"
    for table in ("process_job", "article"):
        if "complete" not in {column["name"] for column in inspect(connection).get_columns(table)}:
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN complete BOOLEAN NOT NULL DEFAULT {true}"))


def _add_run_and_schedule_state(connection: Connection) -> None:
    """v5: job leases (process_job.claimed_by/lease_until/attempts), run status and counts on crawl_run,
    and the new tables run_lock, article_visit and list_progress (created from the models)."""
    added = {
        "process_job": (("claimed_by", "TEXT"), ("lease_until", "VARCHAR(40)"), ("attempts", "INTEGER NOT NULL DEFAULT 0")),
        "crawl_run": (("status", "VARCHAR(20)"), ("holder", "TEXT"), ("heartbeat_at", "VARCHAR(40)"),
                      ("requests", "INTEGER"), ("new_articles", "INTEGER"), ("changed_articles", "INTEGER"),
                      ("unchanged_articles", "INTEGER"), ("revisited_articles", "INTEGER"), ("failures", "INTEGER")),
    }
    for table, columns in added.items():
        existing = {column["name"] for column in inspect(connection).get_columns(table)}
        for column, sql_type in columns:
            if column not in existing:  # a database created from this code's models already has them
                connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))
    Base.metadata.create_all(connection)  # only the tables that do not exist yet


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _create_tables,
    _add_actor_and_status,
    _add_section_cluster_inputs,
    _add_complete_flags,
    _add_run_and_schedule_state,
)
CURRENT_VERSION = len(MIGRATIONS)


def applied_version(connection: Connection) -> int:
    if not connection.dialect.has_table(connection, SchemaVersion.__tablename__):
        return 0
    return connection.execute(select(SchemaVersion.version).order_by(SchemaVersion.version.desc())).scalar() or 0


class SchemaError(RuntimeError):
    """The database's schema is not one this code can use; the message says why and what to do."""


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


def upgrade(engine: Engine) -> int:
    """Apply missing migrations and (re)create the views when needed; returns the version now in force.

    Nothing is written when the database is current: opening an engine must not take locks that block
    a crawl or an analyst's query. A change to a view's SQL is therefore a migration step of its own.
    """
    with engine.connect() as connection:
        version = applied_version(connection)
        if version > CURRENT_VERSION:
            raise SchemaError(f"the database's schema v{version} is newer than this code (v{CURRENT_VERSION}): "
                              "upgrade shebao-pipeline, or use another database (--db)")
        if version == CURRENT_VERSION and not _views_missing(connection):
            _refuse_missing_columns(connection)
            return CURRENT_VERSION
    with writer(engine).begin() as connection:
        version = applied_version(connection)  # another process may have upgraded meanwhile
        for number in range(version + 1, CURRENT_VERSION + 1):
            MIGRATIONS[number - 1](connection)
            connection.execute(SchemaVersion.__table__.insert().values(version=number, applied_at=utc_now()))
        _refuse_missing_columns(connection)  # raising here rolls the stamps back
        if version < CURRENT_VERSION or _views_missing(connection):
            create_views(connection)
    return CURRENT_VERSION
