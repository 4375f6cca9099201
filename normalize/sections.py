"""Split an article body into its intro and its sections, finding section headings by shape and city.

Headings lose their HTML tag in extraction, so they are recognised as short question-shaped lines;
when the city is known, a heading that names it is certain and question lines without it are
sub-questions inside a section. Patterns live in normalize.patterns.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from normalize.patterns import (
    CITY_HEADING_MIN_TOPIC_CHARS,
    CITY_TOPIC_END,
    HEADING_BAD_END,
    HEADING_MAX_CHARS,
    HEADING_MIN_CHARS_SHAPE_ONLY,
    HEADING_NUMBER_PREFIX,
    HEADING_QUESTION_END,
    HEADING_QUESTION_WORD,
    HEADING_SENTENCE_PUNCT,
)
from schema.records import Section


def _strip_numbering(line: str) -> str:
    """Drop a leading "一、" / "1." so the city check sees the heading's first word."""
    return HEADING_NUMBER_PREFIX.sub("", line, count=1)


def _nfkc(line: str) -> str:
    """Full-width punctuation to ASCII so one pattern spelling serves both."""
    return unicodedata.normalize("NFKC", line).strip()


def _is_short_phrase(line: str) -> bool:
    """Short, with no sentence punctuation inside and no sentence / lead-in ending."""
    return 0 < len(line) <= HEADING_MAX_CHARS and not (HEADING_BAD_END.search(line) or HEADING_SENTENCE_PUNCT.search(line))


def is_heading_shape(line: str) -> bool:
    """True if the line looks like a section heading: short, question-shaped, not a sentence."""
    line = _nfkc(line)
    return _is_short_phrase(line) and bool(HEADING_QUESTION_END.search(line) or HEADING_QUESTION_WORD.search(line))


def heading_candidates(lines: Sequence[str]) -> list[str]:
    """Lines that look like section headings by shape alone (used before the city is known)."""
    return [line.strip() for line in lines if is_heading_shape(line)]


def _leading_city(line: str, city_names: Sequence[str]) -> str | None:
    """The longest city / province name the (un-numbered) line starts with."""
    line = _strip_numbering(_nfkc(line))
    starts = [name for name in city_names if name and line.startswith(name)]
    return max(starts, key=len) if starts else None


def names_city(line: str, city_names: Sequence[str]) -> bool:
    """True if the heading names the article's city or province (at the start or anywhere)."""
    line = _strip_numbering(_nfkc(line))
    return any(name and name in line for name in city_names)


def _is_city_topic_line(line: str, city_names: Sequence[str]) -> bool:
    """"信阳合作医疗报销流程": a short city-prefixed phrase is a heading even without a question word."""
    city = _leading_city(line, city_names)
    core = _strip_numbering(_nfkc(line))
    if city is None or not _is_short_phrase(core) or not CITY_TOPIC_END.search(core):
        return False
    return len(core) - len(city) >= CITY_HEADING_MIN_TOPIC_CHARS


def _drop_stacked(lines: Sequence[str], candidates: list[int]) -> list[int]:
    """Without a city, a question line directly followed by another one is the intro's hook, not a heading."""
    stacked = {i for i, j in zip(candidates, candidates[1:], strict=False) if j == i + 1}
    return [i for i in candidates if i not in stacked]


def _heading_indexes(lines: Sequence[str], city_names: Sequence[str]) -> list[int]:
    """Indexes of the heading lines: city-bearing candidates if any, else every long enough candidate."""
    with_city = [
        i
        for i, line in enumerate(lines)
        if (is_heading_shape(line) and names_city(line, city_names)) or _is_city_topic_line(line, city_names)
    ]
    if with_city:
        # Other headings carry the city, so a bare question line is a sub-question of a section; a first
        # city question stacked directly on the next one is the intro's hook ("上海参保人…需要哪些材料?").
        stacked_hook = len(with_city) > 1 and with_city[1] == with_city[0] + 1
        return with_city[1:] if stacked_hook else with_city
    candidates = [i for i, line in enumerate(lines) if is_heading_shape(line) and len(_nfkc(line)) >= HEADING_MIN_CHARS_SHAPE_ONLY]
    return _drop_stacked(lines, candidates)


def split_sections(lines: Sequence[str], city_names: Sequence[str] = ()) -> tuple[list[str], list[Section]]:
    """Return (intro lines, sections); each section holds the lines under its heading."""
    cleaned = [line.strip() for line in lines if line and line.strip()]
    starts = _heading_indexes(cleaned, city_names)
    if not starts:
        return cleaned, []
    ends = starts[1:] + [len(cleaned)]
    sections = [
        Section(index=n, heading=cleaned[start], lines=cleaned[start + 1 : end])
        for n, (start, end) in enumerate(zip(starts, ends, strict=True))
    ]
    return cleaned[: starts[0]], sections
