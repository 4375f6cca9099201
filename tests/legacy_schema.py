"""Make a test database look like one the old migration mechanism left (table schema_version, no Alembic)."""

from __future__ import annotations

from sqlalchemy import Connection, text


def mark_legacy(connection: Connection, version: int) -> None:
    """Replace the Alembic stamp by the old mechanism's `schema_version` rows 1..`version`."""
    connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    connection.execute(text("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at VARCHAR(40) NOT NULL)"))
    for number in range(1, version + 1):
        connection.execute(text("INSERT INTO schema_version VALUES (:v, '2026-01-01T00:00:00+00:00')"), {"v": number})
