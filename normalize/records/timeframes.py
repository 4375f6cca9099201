"""Timeframes: every duration in a line (numbers, units, bounds, ranges), what it measures and whose it is (status)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from normalize.numbers import parse_number, parse_plus, parse_range
from normalize.patterns import (
    ANECDOTE_COMMENT,
    ANECDOTE_MARK,
    APPLIES_ARRIVAL,
    APPLIES_HANDLING,
    APPLIES_OFFLINE,
    APPLIES_ONLINE,
    APPLIES_WAITING,
    APPROX_MORE,
    APPROX_SOME,
    AT_LEAST_MARK,
    BARE_MONTH_BOUND,
    CALENDAR_YEAR_MIN,
    CLAUSE_SPLIT,
    DATE_CONTINUATION,
    DOCUMENT_WINDOW_AFTER,
    DOCUMENT_WINDOW_BEFORE,
    DURATION,
    DURATION_ALTERNATIVE_GAP,
    DURATION_BAD_BEFORE,
    DURATION_RANGE_JOIN,
    DURATION_UNITS,
    EXAMPLE_ASIDE,
    HALF_MARK,
    HYPOTHETICAL_MARK,
    IMMEDIATE,
    IMMEDIATE_THEN_LONGEST,
    NEXT_DAY,
    NEXT_MONTH,
    NOW_MARK,
    OPENING_PLACE_CHARS,
    SAME_MONTH,
    SENTENCE_SPLIT,
    SOME_PLACES_MARK,
    STATUS_FIGURE_BETWEEN,
    SUPERSEDED_AFTER,
    SUPERSEDED_BEFORE,
    SUPERSEDED_NOW,
    SUPERSEDED_PLAIN,
    SUPERSEDED_SENTENCE_START,
    UNIT_CONVERSIONS,
    WITHIN_MARK,
)
from normalize.region import names_other_place
from normalize.rules import Rule, always, first_match
from schema.vocabulary import AppliesTo, Bound, TimeframeStatus, Unit


@dataclass(frozen=True, slots=True)
class Duration:
    """One duration found in a line."""

    start: int
    end: int
    value_min: float | None
    value_max: float | None
    unit: str
    bound: str


def _duration_numbers(text: str) -> tuple[float, float, bool] | None:
    """(low, high, is_range) of "15", "1-3", "10+5", "十五"; Chinese runs may carry a stray prefix."""
    if (span := parse_plus(text) or parse_range(text)) is not None:
        return span[0], span[1], True
    # "统一三个月": the numeral run swallowed a word's last character; retry on shorter tails.
    for start in range(len(text)):
        if (value := parse_number(text[start:])) is not None:
            return value, value, False
    return None


def _is_date_or_year(match: re.Match[str], text: str, value: float) -> bool:
    """True for calendar years, dates and month names that look like durations."""
    unit, suffix = match.group("unit"), match.group("suf")
    if DURATION_BAD_BEFORE.search(text[: match.start("num")]):
        return True  # "第3年", "7×24小时", "5月2日"
    if unit == "年" and (value >= CALENDAR_YEAR_MIN or DATE_CONTINUATION.match(text[match.end("unit") :])):
        return True
    if unit in ("月", "日") and DATE_CONTINUATION.match(text[match.end("unit") :]):
        return True
    return unit == "月" and suffix not in BARE_MONTH_BOUND and not match.group("pre")


def _bound(match: re.Match[str], is_range: bool) -> str:
    """The bound word before or after the number decides; a range is a range; "3个多月" is more than 3."""
    if is_range:
        return Bound.RANGE.value
    for mark in (match.group("pre"), match.group("suf")):
        if mark and AT_LEAST_MARK.match(mark):
            return Bound.AT_LEAST.value
        if mark and WITHIN_MARK.match(mark):
            return Bound.WITHIN.value
    if match.group("approx") == APPROX_MORE or APPROX_MORE in match.group("unit"):
        return Bound.AT_LEAST.value
    return Bound.EXACT.value


def _approximate_tens(low: float, high: float, is_range: bool) -> tuple[float, float, bool] | None:
    """"十几" → 11..19: only a round number of tens takes 几."""
    if is_range or low != high or low < 10 or low % 10:
        return None
    return low + 1, low + 9, True


def parse_duration(match: re.Match[str], text: str) -> Duration | None:
    """A Duration from one DURATION match, or None for dates, years and non-numbers."""
    numbers = _duration_numbers(match.group("num"))
    if numbers is None:
        return None
    low, high, is_range = numbers
    if _is_date_or_year(match, text, high):
        return None
    if text[match.end() : match.end() + 2] in ("比一", "到头") or text[max(0, match.start() - 1) : match.start()] == "比":
        return None  # "一年比一年多": a comparison, not a duration
    if DOCUMENT_WINDOW_BEFORE.search(text[: match.start()]) and DOCUMENT_WINDOW_AFTER.match(text[match.end() :]):
        return None  # "近一年的住院病历": which records, not how long
    if match.group("approx") == APPROX_SOME:
        if (tens := _approximate_tens(low, high, is_range)) is None:
            return None
        low, high, is_range = tens
    if match.group("half") or HALF_MARK in match.group("unit"):
        if is_range or low != int(low):
            return None  # "半" after a range or a fraction is no half of a whole number
        low = high = low + 0.5  # "一个半月", "一年半"
    bound = _bound(match, is_range)
    value_min = None if bound == Bound.WITHIN.value else low
    value_max = None if bound == Bound.AT_LEAST.value else high
    unit = DURATION_UNITS[match.group("unit").replace(APPROX_MORE, "").replace(HALF_MARK, "")]
    return Duration(match.start(), match.end(), value_min, value_max, unit, bound)


def _inherit_bound(previous: Duration, duration: Duration, text: str) -> Duration:
    """"满25年(女性20年)": an exact duration in brackets right after a bounded one is its alternative."""
    bounded = previous.bound in (Bound.AT_LEAST.value, Bound.WITHIN.value)
    if not (bounded and duration.bound == Bound.EXACT.value and duration.unit == previous.unit):
        return duration
    if not DURATION_ALTERNATIVE_GAP.match(text[previous.end : duration.start]):
        return duration
    at_least = previous.bound == Bound.AT_LEAST.value
    return replace(
        duration,
        value_min=duration.value_min if at_least else None,
        value_max=None if at_least else duration.value_max,
        bound=previous.bound,
    )


def _in_unit(duration: Duration, unit: str) -> Duration | None:
    """The duration restated in a smaller unit ("1年" in months), or None if the units do not convert."""
    if duration.unit == unit:
        return duration
    factor = UNIT_CONVERSIONS.get((duration.unit, unit))
    if factor is None or duration.value_min is None or duration.value_max is None:
        return None
    return replace(duration, value_min=duration.value_min * factor, value_max=duration.value_max * factor, unit=unit)


def _merge_adjacent(
    found: list[Duration], text: str, merge: Callable[[Duration, Duration, str], Duration | None]
) -> list[Duration]:
    """Walk the durations in order; where `merge` joins one with the (already merged) one before it, keep the join."""
    joined: list[Duration] = []
    for duration in found:
        merged = merge(joined[-1], duration, text) if joined else None
        if merged is None:
            joined.append(duration)
        else:
            joined[-1] = merged
    return joined


def _range_of(previous: Duration, duration: Duration, text: str) -> Duration | None:
    """"15天至42天", "6个月至1年": two exact durations joined by 至 / 到 / - are one range (in the smaller unit)."""
    if previous.bound != Bound.EXACT.value or duration.bound != Bound.EXACT.value:
        return None
    if not DURATION_RANGE_JOIN.match(text[previous.end : duration.start]):
        return None
    low, high = _in_unit(previous, duration.unit), _in_unit(duration, previous.unit)
    if low is not None and high is None:  # the later end is the smaller unit ("1年至18个月")
        return replace(low, end=duration.end, value_max=duration.value_max, bound=Bound.RANGE.value)
    if high is not None and high.value_max is not None and previous.value_min is not None and previous.value_min <= high.value_max:
        return replace(previous, end=duration.end, value_max=high.value_max, bound=Bound.RANGE.value)
    return None


def _immediate_to_longest(previous: Duration, duration: Duration, text: str) -> Duration | None:
    """"一般即时生效,最长不超过3个工作日" is one range: from 0 to the longest wait, in its unit; "一般次日即可激活,
    最长不超过3天" from the usual day to the longest."""
    usual_day = previous.bound == Bound.EXACT.value and previous.unit == duration.unit == Unit.DAY.value
    if not (previous.bound == Bound.IMMEDIATELY.value or usual_day) or duration.bound not in (Bound.WITHIN.value, Bound.RANGE.value):
        return None
    if not IMMEDIATE_THEN_LONGEST.match(text[previous.end : duration.end]):
        return None
    low = 0 if previous.bound == Bound.IMMEDIATELY.value else previous.value_min
    return replace(duration, start=previous.start, value_min=low, bound=Bound.RANGE.value)


def _at_least_then_under(previous: Duration, duration: Duration, text: str) -> Duration | None:
    """"满1年不足5年": a lower bound followed straight away by an upper bound of the same unit is one range."""
    if previous.bound != Bound.AT_LEAST.value or duration.bound != Bound.WITHIN.value or previous.unit != duration.unit:
        return None
    if text[previous.end : duration.start].strip() or previous.value_min is None or duration.value_max is None:
        return None
    if previous.value_min >= duration.value_max:
        return None
    return replace(previous, end=duration.end, value_max=duration.value_max, bound=Bound.RANGE.value)


def find_durations(text: str) -> list[Duration]:
    """Every duration in a line, in order, "即时生效" included as 0 days."""
    found = [Duration(m.start(), m.end(), 0, 0, Unit.DAY.value, Bound.IMMEDIATELY.value) for m in IMMEDIATE.finditer(text)]
    found.extend(Duration(m.start(), m.end(), 1, 1, Unit.DAY.value, Bound.EXACT.value) for m in NEXT_DAY.finditer(text))
    found.extend(Duration(m.start(), m.end(), 0, 0, Unit.MONTH.value, Bound.IMMEDIATELY.value) for m in SAME_MONTH.finditer(text))
    found.extend(Duration(m.start(), m.end(), 1, 1, Unit.MONTH.value, Bound.EXACT.value) for m in NEXT_MONTH.finditer(text))
    found.extend(d for m in DURATION.finditer(text) if (d := parse_duration(m, text)) is not None)
    found.sort(key=lambda d: d.start)
    found = _merge_adjacent(_merge_adjacent(found, text, _range_of), text, _immediate_to_longest)
    found = _merge_adjacent(found, text, _at_least_then_under)
    for index in range(1, len(found)):
        found[index] = _inherit_bound(found[index - 1], found[index], text)
    # "激活即时完成,当天就能结算": the same duration twice in a line is one fact.
    unique: dict[tuple[float | None, float | None, str], Duration] = {}
    for duration in found:
        unique.setdefault((duration.value_min, duration.value_max, duration.unit), duration)
    return list(unique.values())


def _clause_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause text before and after a span (clauses end at , ; 。 !)."""
    before = CLAUSE_SPLIT.split(text[:start])[-1]
    after = CLAUSE_SPLIT.split(text[end:])[0]
    return before, after


@dataclass(frozen=True, slots=True)
class DurationInLine:
    """What the status rules look at: the duration's clause before and after it, its sentence, the page's places."""

    text: str
    duration: Duration
    before: str  # the clause up to the duration
    after: str  # the clause after it
    sentence_before: str  # its sentence up to it
    sentence_after: str  # its sentence after it
    place_names: tuple[str, ...]

    @property
    def sentence(self) -> str:
        return self.sentence_before + self.sentence_after


# Whose duration it is, first match wins.
STATUS_RULES: tuple[Rule[DurationInLine, str], ...] = (
    # "由原来的45个工作日压缩至15个工作日": the old figure.
    Rule("superseded", lambda d: bool(SUPERSEDED_BEFORE.search(d.before) and SUPERSEDED_AFTER.match(d.after)),
         TimeframeStatus.SUPERSEDED.value),
    # "原来这一环节需要45个工作日": the old figure named as such in its own clause.
    Rule("superseded-plain", lambda d: _named_old(d.before), TimeframeStatus.SUPERSEDED.value),
    # "按照过去的规定,…90个工作日,现已大幅缩短": a past figure the sentence says is over.
    Rule("superseded-now", lambda d: bool(SUPERSEDED_BEFORE.search(d.sentence_before) and SUPERSEDED_NOW.search(d.sentence_after)),
         TimeframeStatus.SUPERSEDED.value),
    # "2023年以前是按季度集中评审,最多要等3个月": the sentence opens in the past.
    Rule("superseded-sentence", lambda d: bool(SUPERSEDED_SENTENCE_START.match(d.sentence_before)
                                                and not NOW_MARK.search(d.sentence_before)),
         TimeframeStatus.SUPERSEDED.value),
    # "部分用户反馈…3天到账": someone's experience (the mark before it or in its clause; "一般在20个工作日内到账,有市民
    # 反馈一周左右" only tells the story after the rule).
    Rule("anecdote", lambda d: bool(ANECDOTE_MARK.search(d.sentence_before) or ANECDOTE_MARK.search(d.after)
                                    or ANECDOTE_COMMENT.search(d.sentence_after)), TimeframeStatus.ANECDOTAL.value),
    # "如南京医保…30个工作日": another place named before it in its clause.
    Rule("other-place", lambda d: names_other_place(d.before, d.place_names), TimeframeStatus.OTHER_PLACE.value),
    # "兰州市区窗口…,当天就能转入": the sentence opens on another place.
    Rule("other-place-sentence", lambda d: names_other_place(d.sentence_before[:OPENING_PLACE_CHARS], d.place_names),
         TimeframeStatus.OTHER_PLACE.value),
    # "部分地区规定…最长报销90天": some places' figure, not this city's.
    Rule("some-places", lambda d: bool(SOME_PLACES_MARK.search(d.before)), TimeframeStatus.OTHER_PLACE.value),
    # "可能…", "如果…", "(如7个工作日)": a what-if or an example.
    Rule("hypothetical", lambda d: bool(HYPOTHETICAL_MARK.search(d.sentence_before) or EXAMPLE_ASIDE.search(d.text[: d.duration.start])),
         TimeframeStatus.HYPOTHETICAL.value),
    Rule("current", always, TimeframeStatus.CURRENT.value),
)


def _named_old(before: str) -> bool:
    """"原来这一环节需要45个工作日": an old-figure word before the duration, with no other figure or change
    between ("由原来的45个工作日压缩至15个" names the old one first: the 15 is current)."""
    found = list(SUPERSEDED_PLAIN.finditer(before))
    return bool(found) and not STATUS_FIGURE_BETWEEN.search(before[found[-1].end() :])


def status_rule(text: str, duration: Duration, place_names: Sequence[str] = ()) -> Rule[DurationInLine, str]:
    """The STATUS_RULES row that decides whose duration it is."""
    before, after = _clause_around(text, duration.start, duration.end)
    sentence_before = SENTENCE_SPLIT.split(text[: duration.start])[-1]
    sentence_after = SENTENCE_SPLIT.split(text[duration.end :])[0]
    return first_match(STATUS_RULES, DurationInLine(text, duration, before, after, sentence_before, sentence_after,
                                                    tuple(place_names)))


def duration_status(text: str, duration: Duration, place_names: Sequence[str] = ()) -> str:
    """Whose duration it is: superseded, hypothetical, anecdotal, another place's, else current (STATUS_RULES)."""
    return status_rule(text, duration, place_names).decision


def applies_to(label: str | None, body: str, block: str | None) -> str:
    """What a line's durations measure: waiting period, arrival, online / offline handling, ..."""
    if APPLIES_WAITING.search(body) or (block and APPLIES_WAITING.search(block)):
        return AppliesTo.WAITING_PERIOD.value
    if APPLIES_ARRIVAL.search(body):
        return AppliesTo.ARRIVAL.value
    for name in (label, block):
        if name and APPLIES_ONLINE.search(name):
            return AppliesTo.ONLINE.value
        if name and APPLIES_OFFLINE.search(name):
            return AppliesTo.OFFLINE.value
    if APPLIES_HANDLING.search(body) or (block and APPLIES_HANDLING.search(block)):
        return AppliesTo.HANDLING.value
    return AppliesTo.OTHER.value
