"""Schema migrations: an older database is brought to the current schema without losing rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from db.migrations import CURRENT_VERSION, upgrade
from db.session import make_engine

# The v1 record table (v2 adds actor and status), as the first schema created it.
V1_RECORD = """CREATE TABLE record (occurrence_id INTEGER PRIMARY KEY, record_id VARCHAR(40) NOT NULL,
    section_id VARCHAR(40) NOT NULL, article_id BIGINT NOT NULL, position INTEGER NOT NULL,
    type VARCHAR(20) NOT NULL, block TEXT, text TEXT NOT NULL, item TEXT, qualifiers VARCHAR(50),
    optional BOOLEAN NOT NULL, category TEXT, value_min FLOAT, value_max FLOAT, unit VARCHAR(10),
    bound VARCHAR(20), applies_to VARCHAR(20), channel VARCHAR(20), ordinal INTEGER, menu_path TEXT)"""


def test_v1_database_upgrades_and_keeps_its_rows(tmp_path: Path) -> None:
    # a v1 database (no actor/status) gets the new columns and keeps its record rows
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine)
    with engine.begin() as connection:
        for view in ("fact_coverage_view", "record_view", "article_view"):
            connection.execute(text(f"DROP VIEW {view}"))
        connection.execute(text("DROP TABLE record"))
        connection.execute(text(V1_RECORD))
        connection.execute(text("DELETE FROM schema_version WHERE version > 1"))
        connection.execute(text("INSERT INTO record (record_id, section_id, article_id, position, type, text, optional) "
                                "VALUES ('r1', '1-0', 1, 0, 'step', '前往窗口办理', 0)"))
    assert upgrade(engine) == CURRENT_VERSION
    with engine.begin() as connection:
        columns = {c["name"]: c for c in inspect(connection).get_columns("record")}
        kept = connection.scalar(text("SELECT text FROM record WHERE record_id = 'r1'"))
        view_columns = {c["name"] for c in inspect(connection).get_columns("record_view")}
    engine.dispose()
    assert {"actor", "status"} <= columns.keys()
    assert kept == "前往窗口办理"
    assert {"actor", "status"} <= view_columns
