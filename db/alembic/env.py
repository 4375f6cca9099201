"""Alembic's entry point, run by db.migrations on the connection it passes in (no alembic.ini, no URL here).

db.migrations opens the transaction (and, on PostgreSQL, takes the advisory lock) before calling Alembic,
so the revisions run inside that one transaction.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():  # joins the caller's open transaction
    context.run_migrations()
