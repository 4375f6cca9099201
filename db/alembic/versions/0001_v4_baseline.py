"""The schema as of the old migration mechanism's v4: every table before the v5 step.

A database made by the old mechanism at v4 is stamped at this revision instead of running it. Written
out here (not created from db.models) so it stays the v4 schema whatever the models become.

Revision ID: 0001_v4_baseline
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from schema.vocabulary import ACTORS, APPLIES_TO, BOUNDS, CHANNELS, RECORD_TYPES, TIMEFRAME_STATUSES, UNITS

revision = "0001_v4_baseline"
down_revision = None
branch_labels = None
depends_on = None


def _one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IS NULL OR {column} IN ({quoted})", name=f"ck_{column}_vocabulary")


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{columns[0]}", table, list(columns))


def upgrade() -> None:
    op.create_table(
        "page_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("article_id", sa.BigInteger, nullable=False),
        sa.Column("page_no", sa.Integer, nullable=False),
        sa.Column("fetched_at", sa.String(40), nullable=False),
        sa.Column("http_status", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(200)),
        sa.Column("etag", sa.String(200)),
        sa.Column("last_modified", sa.String(100)),
        sa.Column("raw_html", sa.LargeBinary, nullable=False),
    )
    _index("page_version", "url")
    _index("page_version", "article_id")
    op.create_table(
        "process_job",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.BigInteger, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("page_version_ids", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.CheckConstraint("state IN ('pending', 'running', 'done', 'failed')", name="ck_job_state"),
    )
    _index("process_job", "article_id")
    _index("process_job", "state")
    op.create_table(
        "article",
        sa.Column("article_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("published_at", sa.String(40)),
        sa.Column("category", sa.String(100)),
        sa.Column("province", sa.String(50)),
        sa.Column("city", sa.String(50)),
        sa.Column("adcode", sa.String(6)),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("body_fingerprint", sa.String(64)),
        sa.Column("duplicate_of", sa.Text),
        sa.Column("fetched_at", sa.String(40), nullable=False),
        sa.Column("processed_at", sa.String(40), nullable=False),
        sa.Column("page_version_ids", sa.Text, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
    )
    _index("article", "published_at")
    _index("article", "city")
    _index("article", "body_fingerprint")
    op.create_table(
        "article_alias",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("article_id", sa.BigInteger, nullable=False),
    )
    _index("article_alias", "article_id")
    op.create_table(
        "section",
        sa.Column("section_id", sa.String(40), primary_key=True),
        sa.Column("article_id", sa.BigInteger, sa.ForeignKey("article.article_id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("heading", sa.Text, nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("section_cluster_id", sa.String(40)),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("topic", sa.Text),
        sa.Column("cluster_key", sa.String(40)),
    )
    _index("section", "article_id")
    _index("section", "section_cluster_id")
    op.create_table(
        "record",
        sa.Column("occurrence_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(40), nullable=False),
        sa.Column("section_id", sa.String(40), sa.ForeignKey("section.section_id"), nullable=False),
        sa.Column("article_id", sa.BigInteger, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("block", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("item", sa.Text),
        sa.Column("qualifiers", sa.String(50)),
        sa.Column("optional", sa.Boolean, nullable=False),
        sa.Column("category", sa.Text),
        sa.Column("value_min", sa.Float),
        sa.Column("value_max", sa.Float),
        sa.Column("unit", sa.String(10)),
        sa.Column("bound", sa.String(20)),
        sa.Column("applies_to", sa.String(20)),
        sa.Column("channel", sa.String(20)),
        sa.Column("ordinal", sa.Integer),
        sa.Column("menu_path", sa.Text),
        sa.Column("actor", sa.String(20)),
        sa.Column("status", sa.String(20)),
        _one_of("type", RECORD_TYPES),
        _one_of("unit", UNITS),
        _one_of("bound", BOUNDS),
        _one_of("channel", CHANNELS),
        _one_of("applies_to", APPLIES_TO),
        _one_of("actor", ACTORS),
        _one_of("status", TIMEFRAME_STATUSES),
    )
    _index("record", "record_id")
    _index("record", "section_id")
    _index("record", "article_id")
    op.create_table(
        "section_cluster",
        sa.Column("section_cluster_id", sa.String(40), primary_key=True),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "lsh_band",
        sa.Column("band_key", sa.String(40), primary_key=True),
        sa.Column("section_cluster_id", sa.String(40), primary_key=True),
    )
    op.create_index("ix_lsh_band_cluster", "lsh_band", ["section_cluster_id"])
    op.create_table(
        "failure",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("run_id", sa.Integer),
    )
    _index("failure", "run_id")
    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
        sa.Column("start_urls", sa.Text, nullable=False),
        sa.Column("stats", sa.Text),
    )


def downgrade() -> None:
    raise NotImplementedError("schema changes only go forward: restore a backup to go back")
