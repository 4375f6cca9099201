"""Bring a database to the current schema: tables, then views; record the applied version.

Version 1 is the first schema, created from the models. Later versions append a step to MIGRATIONS
(an ALTER, a back-fill); `upgrade` applies the missing ones in order inside one transaction each.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, select

from db.models import Base, SchemaVersion
from db.session import utc_now
from db.views import create_views


def _create_tables(connection: Connection) -> None:
    Base.metadata.create_all(connection)


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_create_tables,)
CURRENT_VERSION = len(MIGRATIONS)


def applied_version(connection: Connection) -> int:
    if not connection.dialect.has_table(connection, SchemaVersion.__tablename__):
        return 0
    return connection.execute(select(SchemaVersion.version).order_by(SchemaVersion.version.desc())).scalar() or 0


def upgrade(engine: Engine) -> int:
    """Apply missing migrations and refresh the views; returns the version now in force."""
    with engine.begin() as connection:
        version = applied_version(connection)
        if version > CURRENT_VERSION:
            raise RuntimeError(f"database schema v{version} is newer than this code (v{CURRENT_VERSION})")
        for number in range(version + 1, CURRENT_VERSION + 1):
            MIGRATIONS[number - 1](connection)
            connection.execute(SchemaVersion.__table__.insert().values(version=number, applied_at=utc_now()))
        create_views(connection)
    return CURRENT_VERSION
