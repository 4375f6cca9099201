"""The re-crawl policy as pure functions: adaptive revisit intervals and the list-depth stop rule.

Revisits follow Apache Nutch's AdaptiveFetchSchedule: every stored article has an interval; a visit
that finds it unchanged (304 or the same bytes) doubles it up to a maximum, a visit that finds it
changed halves it down to a minimum, and the article is due again `interval` after the visit.

An article that could not be fetched before it was ever stored gets a schedule row too (FAILED), so it
is fetched again even when the list walk no longer reaches it.

Lists are newest first, so a run descends a list's pagination only while its pages show articles the
database lacks, and stops after K pages in a row with nothing new. It may stop only where that cannot
leave a hole: never before a finished pass has walked the list to its end, and never above the depth an
interrupted pass had reached (that pass is resumed: its pages may hold articles it queued but never stored).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

DAY = 24 * 3600
DEFAULT_INITIAL_INTERVAL = DAY
DEFAULT_MIN_INTERVAL = 6 * 3600
DEFAULT_MAX_INTERVAL = 30 * DAY
DEFAULT_LIST_DEPTH = 2


class RevisitMode(StrEnum):
    """Which stored articles a run requests again (`shebao crawl --revisit`)."""

    DUE = "due"  # those whose next visit time has come
    ALL = "all"  # every stored article (a full conditional re-crawl)
    NONE = "none"  # none: only articles the database lacks


class VisitOutcome(StrEnum):
    """What storing one fetched article found."""

    NEW = "new"  # no page of it was stored before
    CHANGED = "changed"  # a page's bytes differ from the stored version
    UNCHANGED = "unchanged"  # same bytes on every page (or 304s)
    INCOMPLETE = "incomplete"  # a continuation page failed: the article is looked at again soon
    FAILED = "failed"  # its first page could not be fetched: retried, less often each time


@dataclass(frozen=True, slots=True)
class RevisitPolicy:
    """Interval bounds in seconds (settings SHEBAO_REVISIT_INITIAL/MIN/MAX_SECONDS)."""

    initial: int = DEFAULT_INITIAL_INTERVAL
    minimum: int = DEFAULT_MIN_INTERVAL
    maximum: int = DEFAULT_MAX_INTERVAL

    def __post_init__(self) -> None:
        if not 0 < self.minimum <= self.initial <= self.maximum:
            raise ValueError(f"revisit intervals must satisfy 0 < min ({self.minimum}) <= initial "
                             f"({self.initial}) <= max ({self.maximum}) seconds")


def next_interval(policy: RevisitPolicy, current: int | None, outcome: VisitOutcome) -> int:
    """The interval after a visit: the initial one for a new article, ×2 unchanged, ÷2 changed (bounded).

    A failed fetch doubles the interval (a never-stored article starts at the minimum): a page that stays
    gone costs one request a month at most; one never stored that was briefly down is tried within hours.
    """
    if outcome is VisitOutcome.FAILED:
        return policy.minimum if current is None else min(current * 2, policy.maximum)
    if current is None or outcome is VisitOutcome.NEW:
        return policy.initial
    if outcome is VisitOutcome.UNCHANGED:
        return min(current * 2, policy.maximum)
    if outcome is VisitOutcome.CHANGED:
        return max(current // 2, policy.minimum)
    return max(min(current, policy.maximum), policy.minimum)  # incomplete: keep the interval


def next_visit_at(visited_at: datetime, interval: int, outcome: VisitOutcome, policy: RevisitPolicy) -> datetime:
    """When the article is due again; an incomplete fetch is retried after the minimum interval."""
    wait = policy.minimum if outcome is VisitOutcome.INCOMPLETE else interval
    return visited_at + timedelta(seconds=wait)


@dataclass(frozen=True, slots=True)
class ListProgressState:
    """A list's depths from table list_progress (0: no finished pass / no interrupted pass)."""

    complete_depth: int = 0
    pass_depth: int = 0


def may_stop_list(page_no: int, pages_without_new: int, list_depth: int, progress: ListProgressState) -> bool:
    """True when the walk of a list may stop after page `page_no` (see the module docstring).

    `pages_without_new` counts the pages in a row, ending with this one, that showed no article the
    database lacks. A `list_depth` of 0 never stops early (every page of every list is walked).
    """
    if list_depth <= 0 or pages_without_new < list_depth:
        return False
    if progress.complete_depth <= 0:  # no pass has reached the end yet: the bottom may hold unseen articles
        return False
    return page_no > progress.pass_depth  # an interrupted pass is resumed past where it had got to


@dataclass(frozen=True, slots=True)
class ListPageWalked:
    """A list page the spider parsed: the store raises the list's pass depth to it (written at once)."""

    list_url: str
    page_no: int
