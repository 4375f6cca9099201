"""The analyst contract: SQL views over the tables, portable across SQLite and PostgreSQL.

Only `fact_coverage_view` needs a dialect switch (ordered string aggregation is spelled differently).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

ARTICLE_VIEW = """
CREATE VIEW article_view AS
SELECT a.url, a.title, a.published_at, a.category, a.province, a.city, a.adcode,
       a.duplicate_of, a.fetched_at, a.article_id, a.processed_at, a.complete
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

# Per (section cluster, record): how many cities state the fact, which ones, and what share of the
# cities that have the cluster at all. Re-posts are left out so a city is not counted twice.
_FACT_COVERAGE_VIEW = """
CREATE VIEW fact_coverage_view AS
WITH occurrence AS (
    SELECT section_cluster_id, topic, record_id, type, text, item, value_min, value_max, unit, {city} AS city
    FROM record_view
    WHERE duplicate_of IS NULL
), cluster_city AS (
    SELECT COALESCE(s.section_cluster_id, s.section_id) AS section_cluster_id,
           COUNT(DISTINCT a.city) AS n_cluster_cities
    FROM section s
    JOIN article a ON a.article_id = s.article_id
    WHERE a.duplicate_of IS NULL
    GROUP BY COALESCE(s.section_cluster_id, s.section_id)
)
SELECT o.section_cluster_id, MIN(o.topic) AS topic, o.record_id, MIN(o.type) AS type,
       MIN(o.text) AS text, MIN(o.item) AS item, MIN(o.value_min) AS value_min,
       MIN(o.value_max) AS value_max, MIN(o.unit) AS unit,
       COUNT(DISTINCT o.city) AS n_cities, {cities} AS cities,
       MIN(cc.n_cluster_cities) AS n_cluster_cities,
       CAST(COUNT(DISTINCT o.city) AS FLOAT) / NULLIF(MIN(cc.n_cluster_cities), 0) AS share
FROM occurrence o
JOIN cluster_city cc ON cc.section_cluster_id = o.section_cluster_id
GROUP BY o.section_cluster_id, o.record_id
"""

# `cities` lists the names in code-point order on both backends, so exports compare byte for byte:
# PostgreSQL orders under the "C" collation (set on the column, as DISTINCT wants its ORDER BY to be the
# argument itself); SQLite's GROUP_CONCAT has no ORDER BY before 3.44, so it concatenates an ordered
# subquery (SQLite never flattens an ORDER BY subquery under an aggregate). SQLite's default collation
# is already code-point order.
_CITY_COLUMN = {"sqlite": "city", "postgresql": 'city COLLATE "C"'}
_CITY_LIST = {
    "sqlite": """(SELECT GROUP_CONCAT(listed.city, ',') FROM (
        SELECT DISTINCT r2.city FROM record_view r2
        WHERE r2.section_cluster_id = o.section_cluster_id AND r2.record_id = o.record_id
          AND r2.duplicate_of IS NULL AND r2.city IS NOT NULL
        ORDER BY r2.city) listed)""",
    "postgresql": "STRING_AGG(DISTINCT o.city, ',' ORDER BY o.city)",
}

# "What differs": per topic (section cluster), every fact with held_by = 'all' when every city that
# has the cluster states it, 'some' otherwise; the facts that differ between cities are the 'some' rows.
FACT_DIFFERENCE_VIEW = """
CREATE VIEW fact_difference_view AS
SELECT section_cluster_id, topic, CASE WHEN n_cities = n_cluster_cities THEN 'all' ELSE 'some' END AS held_by,
       type, text, item, value_min, value_max, unit, n_cities, n_cluster_cities, share, cities, record_id
FROM fact_coverage_view
"""

VIEW_NAMES = ("fact_difference_view", "fact_coverage_view", "record_view", "article_view")  # dependents first


def fact_coverage_view_sql(dialect: str) -> str:
    known = dialect if dialect in _CITY_LIST else "postgresql"
    return _FACT_COVERAGE_VIEW.format(city=_CITY_COLUMN[known], cities=_CITY_LIST[known])


def create_views(connection: Connection) -> None:
    """(Re)create every view, so a migration that changes a table also refreshes the views over it."""
    for name in VIEW_NAMES:
        connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
    connection.execute(text(ARTICLE_VIEW))
    connection.execute(text(RECORD_VIEW))
    connection.execute(text(fact_coverage_view_sql(connection.dialect.name)))
    connection.execute(text(FACT_DIFFERENCE_VIEW))
