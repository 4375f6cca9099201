"""The analyst contract: SQL views over the tables, portable across SQLite and PostgreSQL.

Only `fact_coverage_view` needs a dialect switch (string aggregation is spelled differently).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

ARTICLE_VIEW = """
CREATE VIEW article_view AS
SELECT a.url, a.title, a.published_at, a.category, a.province, a.city, a.adcode,
       a.duplicate_of, a.fetched_at, a.article_id, a.processed_at
FROM article a
"""

# Until a section has joined a cluster, its own id and heading stand in for cluster and topic. The
# untitled section (lines before the first heading) is stored with heading '' and shown as NULL.
RECORD_VIEW = """
CREATE VIEW record_view AS
SELECT r.record_id, a.url, a.province, a.city, a.adcode, a.published_at,
       s.section_id, COALESCE(s.section_cluster_id, s.section_id) AS section_cluster_id,
       COALESCE(c.topic, s.heading) AS topic, NULLIF(s.heading, '') AS heading,
       r.type, r.text, r.item, r.value_min, r.value_max, r.unit, r.bound, r.applies_to,
       r.channel, r.ordinal, r.menu_path, r.actor, r.status, r.qualifiers, r.optional, r.category, r.block,
       a.duplicate_of, r.occurrence_id
FROM record r
JOIN section s ON s.section_id = r.section_id
JOIN article a ON a.article_id = r.article_id
LEFT JOIN section_cluster c ON c.section_cluster_id = s.section_cluster_id
"""

# Re-posts are left out so a city is not counted twice for the same page.
_FACT_COVERAGE_VIEW = """
CREATE VIEW fact_coverage_view AS
SELECT rv.section_cluster_id, MIN(rv.topic) AS topic, rv.record_id, MIN(rv.type) AS type,
       MIN(rv.text) AS text, MIN(rv.item) AS item, MIN(rv.value_min) AS value_min,
       MIN(rv.value_max) AS value_max, MIN(rv.unit) AS unit,
       COUNT(DISTINCT rv.city) AS n_cities, {cities} AS cities
FROM record_view rv
WHERE rv.duplicate_of IS NULL
GROUP BY rv.section_cluster_id, rv.record_id
"""

_CITY_LIST = {
    "sqlite": "GROUP_CONCAT(DISTINCT rv.city)",
    "postgresql": "STRING_AGG(DISTINCT rv.city, ',' ORDER BY rv.city)",
}

VIEW_NAMES = ("fact_coverage_view", "record_view", "article_view")  # dependents first, for dropping


def fact_coverage_view_sql(dialect: str) -> str:
    cities = _CITY_LIST.get(dialect, _CITY_LIST["postgresql"])
    return _FACT_COVERAGE_VIEW.format(cities=cities)


def create_views(connection: Connection) -> None:
    """(Re)create every view, so a migration that changes a table also refreshes the views over it."""
    for name in VIEW_NAMES:
        connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
    connection.execute(text(ARTICLE_VIEW))
    connection.execute(text(RECORD_VIEW))
    connection.execute(text(fact_coverage_view_sql(connection.dialect.name)))
