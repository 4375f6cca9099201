"""Plausibility checks on extracted values that are kept but flagged with a quality row.

Pure functions: each returns a short problem description, or None when the value looks right.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# The site went online long after this; an earlier publish time is a template or parsing accident.
EARLIEST_PUBLISHED = datetime(2000, 1, 1, tzinfo=UTC)
# Clock skew and time zones allowed before a publish time counts as "in the future".
FUTURE_TOLERANCE = timedelta(days=1)


def published_time_problem(published: datetime | None, now: datetime) -> str | None:
    """A quality note when the publish time is before 2000 or more than a day after `now`."""
    if published is None:
        return None
    if published < EARLIEST_PUBLISHED:
        return f"published time {published.isoformat()} is before {EARLIEST_PUBLISHED.year}: implausible"
    if published > now + FUTURE_TOLERANCE:
        return f"published time {published.isoformat()} is in the future: implausible"
    return None
