"""The old mechanism's v5 step: job leases, run status and counts, run_lock, article_visit, list_progress.

A database made by the old mechanism at v5 is stamped at this revision. Columns and tables are added
only where missing, so a database upgraded from v1-v3 by the ported old steps (which create tables from
the models) gets through too.

Revision ID: 0002_v5_runs_and_schedule
Revises: 0001_v4_baseline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from schema.vocabulary import RUN_STATUSES

revision = "0002_v5_runs_and_schedule"
down_revision = "0001_v4_baseline"
branch_labels = None
depends_on = None

ADDED_COLUMNS: dict[str, tuple[sa.Column, ...]] = {
    "process_job": (
        sa.Column("claimed_by", sa.Text),
        sa.Column("lease_until", sa.String(40)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    ),
    "crawl_run": (
        sa.Column("status", sa.String(20)),
        sa.Column("holder", sa.Text),
        sa.Column("heartbeat_at", sa.String(40)),
        sa.Column("requests", sa.Integer),
        sa.Column("new_articles", sa.Integer),
        sa.Column("changed_articles", sa.Integer),
        sa.Column("unchanged_articles", sa.Integer),
        sa.Column("revisited_articles", sa.Integer),
        sa.Column("failures", sa.Integer),
    ),
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table, columns in ADDED_COLUMNS.items():
        existing = {column["name"] for column in inspector.get_columns(table)}
        for column in columns:
            if column.name not in existing:
                op.add_column(table, column)
    tables = set(inspector.get_table_names())
    if "run_lock" not in tables:
        op.create_table(
            "run_lock",
            sa.Column("name", sa.String(200), primary_key=True),
            sa.Column("run_id", sa.Integer),
            sa.Column("holder", sa.Text, nullable=False),
            sa.Column("acquired_at", sa.String(40), nullable=False),
            sa.Column("heartbeat_at", sa.String(40), nullable=False),
        )
    if "article_visit" not in tables:
        op.create_table(
            "article_visit",
            sa.Column("article_id", sa.BigInteger, primary_key=True, autoincrement=False),
            sa.Column("url", sa.Text, nullable=False),
            sa.Column("last_visit_at", sa.String(40), nullable=False),
            sa.Column("next_visit_at", sa.String(40), nullable=False),
            sa.Column("interval_seconds", sa.Integer, nullable=False),
            sa.Column("last_changed_at", sa.String(40)),
        )
        op.create_index("ix_article_visit_next_visit_at", "article_visit", ["next_visit_at"])
    if "list_progress" not in tables:
        op.create_table(
            "list_progress",
            sa.Column("list_url", sa.Text, primary_key=True),
            sa.Column("complete_depth", sa.Integer, nullable=False),
            sa.Column("pass_depth", sa.Integer, nullable=False),
            sa.Column("updated_at", sa.String(40), nullable=False),
        )
    # The run status vocabulary is checked like every other vocabulary column. On SQLite a constraint
    # cannot be added in place: batch mode copies the (small) crawl_run table.
    if "ck_status_vocabulary" not in {c["name"] for c in inspector.get_check_constraints("crawl_run")}:
        quoted = ", ".join(f"'{s}'" for s in RUN_STATUSES)
        with op.batch_alter_table("crawl_run") as batch:
            batch.create_check_constraint("ck_status_vocabulary", f"status IS NULL OR status IN ({quoted})")

def downgrade() -> None:
    raise NotImplementedError("schema changes only go forward: restore a backup to go back")
