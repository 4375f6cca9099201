"""Free-text columns without a length: both backends store what SQLite always stored.

SQLite never enforces a VARCHAR length, PostgreSQL does: a 245-character ETag stored on one and raised
DataError on the other. The columns holding text from the site (validators, content type, category,
place names, qualifier lists, lock names with a host) become TEXT; short controlled-vocabulary columns
keep their lengths and CHECK constraints. SQLite needs no change (its declared length is only a name).

Revision ID: 0003_text_columns
Revises: 0002_v5_runs_and_schedule
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_text_columns"
down_revision = "0002_v5_runs_and_schedule"
branch_labels = None
depends_on = None

FREE_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "page_version": ("content_type", "etag", "last_modified"),
    "article": ("category", "province", "city"),
    "record": ("qualifiers",),
    "run_lock": ("name",),
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    # The views over these columns are dropped before an upgrade and recreated after it (db.migrations):
    # PostgreSQL refuses to change the type of a column a view uses.
    for table, columns in FREE_TEXT_COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.Text, existing_nullable=True)


def downgrade() -> None:
    raise NotImplementedError("schema changes only go forward: restore a backup to go back")
