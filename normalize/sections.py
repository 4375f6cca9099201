"""Split an article body into sections: an untitled one for the lines before the first heading, then
one per question heading, found by markup first and by shape and city second.

A line the markup tags as a heading (`<h2>` …) is a heading whatever its punctuation. Plain lines are
recognised by shape: short question-shaped lines, or place-led lines about insurance (commas, "!",
"…?一文搞定" and a "知识加油站:" lead allowed); when the city is known, a heading that names it is
certain and question lines without it are sub-questions inside a section. Patterns live in
normalize.patterns.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from normalize.patterns import (
    BOLD_PLACE_HEADING_MAX_CHARS,
    CITY_HEADING_MIN_TOPIC_CHARS,
    CITY_TOPIC_END,
    HEADING_BAD_END,
    HEADING_BAR_TAIL,
    HEADING_DEBRIS,
    HEADING_HOOK_TAIL,
    HEADING_MAX_CHARS,
    HEADING_MIN_CHARS_SHAPE_ONLY,
    HEADING_NUMBER_PREFIX,
    HEADING_PREFIX,
    HEADING_QUESTION_END,
    HEADING_QUESTION_PAIR_SPLIT,
    HEADING_QUESTION_WORD,
    HEADING_READER_ADDRESS,
    HEADING_SENTENCE_PUNCT,
    HEADING_TAGGED_QUESTION_MAX_CHARS,
    HEADING_TAGLINE_MAX_CHARS,
    PLACE_HEADING_DIGIT,
    PLACE_HEADING_END,
    PLACE_HEADING_MAX_CHARS,
    PLACE_HEADING_TOPIC,
    SUBHEADING_COLON_END,
)
from normalize.region import starts_with_place
from schema.records import LineMark, Section


def _strip_numbering(line: str) -> str:
    """Drop a leading "一、" / "1." so the city check sees the heading's first word."""
    return HEADING_NUMBER_PREFIX.sub("", line, count=1)


def _nfkc(line: str) -> str:
    """Full-width punctuation to ASCII so one pattern spelling serves both."""
    return unicodedata.normalize("NFKC", line).strip()


def _is_short_phrase(line: str) -> bool:
    """Short, with no sentence punctuation inside and no sentence / lead-in ending."""
    return 0 < len(line) <= HEADING_MAX_CHARS and not (HEADING_BAD_END.search(line) or HEADING_SENTENCE_PUNCT.search(line))


@lru_cache(maxsize=65536)
def heading_core(line: str) -> str:
    """The part of a heading line the shape test reads: no "知识加油站:" lead, no "?一文搞定" hook, no "{"."""
    return _heading_text(line, drop_hook=True)


def _heading_text(line: str, drop_hook: bool, drop_prefix: bool = True) -> str:
    line = HEADING_DEBRIS.sub("", _nfkc(line))
    if drop_hook:
        line = HEADING_HOOK_TAIL.sub("", line)
    return (HEADING_PREFIX.sub("", line, count=1) if drop_prefix else line).strip()


def is_question_shape(line: str) -> bool:
    """Short, question-shaped, not a sentence: "西宁医保参保地怎么变更?", "许昌…余额?一文搞定" (a hook after the
    question only on a place-led line: the intro's hook "…有何区别?…是否冲突?一文读懂!" is no heading);
    "台州社保卡丢了怎么办丨先挂失再补办" (a tagline after a bar); "曲靖慢特病怎么申请,多久能批下来?" (two questions)."""
    core = heading_core(line)
    if core != heading_core_without_hook(line) and not starts_with_place(core):
        return False
    if _asks(core) or (core.endswith("!") and HEADING_QUESTION_WORD.search(core) and _asks(core.rstrip("!"))):
        return True  # ("失业保险金能领多久!": a question closed by "!")
    before_bar = HEADING_BAR_TAIL.sub("", _heading_text(line, drop_hook=True, drop_prefix=False))
    if before_bar != _heading_text(line, drop_hook=True, drop_prefix=False) and _asks(before_bar):
        return True
    halves = HEADING_QUESTION_PAIR_SPLIT.split(core)
    # ("工伤认定流程,第几步最关键?": a topic title, then the question)
    if len(halves) != 2 or any(HEADING_READER_ADDRESS.match(half) for half in halves) or len(core) > HEADING_MAX_CHARS:
        return False
    first_asks, second_asks = _asks(halves[0].rstrip("!")), _asks(halves[1].rstrip("!"))
    if not any(_asks_strongly(half) for half in halves):
        return False  # "家庭共济可以线上办理,也可以到窗口办理": 可以 alone does not ask
    first_titles = _is_short_phrase(halves[0]) and bool(CITY_TOPIC_END.search(halves[0]))
    if (first_asks or first_titles) and second_asks:
        return True
    # one half asks, the other is a short tagline or time ("…哪些不报,这几项要自己出", "转移以后,…还算吗")
    if len(core) > HEADING_TAGGED_QUESTION_MAX_CHARS or not all(_is_short_phrase(half) for half in halves):
        return False
    other = halves[1] if first_asks else halves[0]
    return first_asks != second_asks and len(other) <= HEADING_TAGLINE_MAX_CHARS and not PLACE_HEADING_DIGIT.search(other)


def _asks_strongly(half: str) -> bool:
    """A question mark or a question word other than 可以."""
    half = half.rstrip("!")
    return _asks(half) and bool(HEADING_QUESTION_END.search(half) or HEADING_QUESTION_WORD.search(half.replace("可以", "")))


def _asks(core: str) -> bool:
    """A short phrase with a question mark or a question word."""
    return _is_short_phrase(core) and bool(HEADING_QUESTION_END.search(core) or HEADING_QUESTION_WORD.search(core))


def heading_core_without_hook(line: str) -> str:
    """heading_core, but with a "?一文搞定" hook left in place."""
    return _heading_text(line, drop_hook=False)


def is_place_heading(line: str) -> bool:
    """A place-led line about insurance ending like a title: "南京…变更医保参保地,简单几步搞定", "无锡…步骤来了!"."""
    core = heading_core(line)
    if not (0 < len(core) <= PLACE_HEADING_MAX_CHARS) or core.count(",") > 1 or "。" in core or ":" in core:
        return False
    if not (starts_with_place(core) and PLACE_HEADING_TOPIC.search(core)):
        return False
    # "南京…变更医保参保地,几步就能改好": a title with a tagline after one comma (no figures: "上海则为10个工作日,…")
    tagline = core.count(",") == 1 and not PLACE_HEADING_DIGIT.search(core)
    return bool(tagline or PLACE_HEADING_END.search(core) or HEADING_QUESTION_END.search(core) or HEADING_QUESTION_WORD.search(core))


@lru_cache(maxsize=65536)
def is_heading_shape(line: str) -> bool:
    """True if a plain line looks like a section heading: question-shaped, or place-led like a title."""
    return is_question_shape(line) or is_place_heading(line)


def is_marked_heading(line: str, mark: str) -> bool:
    """A line the markup tags as a heading is one, unless it is a sub-heading ("准备材料:") or a sentence; an
    all-bold line is one when it is also question- or title-shaped (bold sub-headings end in a colon or are
    short labels)."""
    core = _nfkc(line)
    if SUBHEADING_COLON_END.search(core) or not 0 < len(core) <= 2 * HEADING_MAX_CHARS:
        return False
    if mark == LineMark.HEADING:
        return True
    if mark == LineMark.BOLD and len(core) <= BOLD_PLACE_HEADING_MAX_CHARS and "。" not in core and starts_with_place(core):
        return True  # "泰州长护险不予支付的情形", "南通新生儿参保时间要求" in bold
    return mark == LineMark.BOLD and len(core) >= HEADING_MIN_CHARS_SHAPE_ONLY and is_heading_shape(core)


def heading_candidates(lines: Sequence[str], marks: Sequence[str] = ()) -> list[str]:
    """Lines that look like section headings by markup or shape alone (used before the city is known)."""
    marks = list(marks) or [LineMark.PLAIN] * len(lines)
    return [line.strip() for line, mark in zip(lines, marks, strict=True) if is_marked_heading(line, mark) or is_heading_shape(line)]


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
    core = _strip_numbering(_nfkc(line)).rstrip("!")  # ("…申领条件!": an exclamation closes a title too)
    if city is None or not _is_short_phrase(core) or not CITY_TOPIC_END.search(core):
        return False
    return len(core) - len(city) >= CITY_HEADING_MIN_TOPIC_CHARS


def _drop_stacked(lines: Sequence[str], candidates: list[int]) -> list[int]:
    """Without a city, a question line directly followed by another one is the intro's hook, not a heading."""
    stacked = {i for i, j in zip(candidates, candidates[1:], strict=False) if j == i + 1}
    return [i for i in candidates if i not in stacked]


def _heading_indexes(lines: Sequence[str], city_names: Sequence[str], marks: Sequence[str]) -> list[int]:
    """Indexes of the heading lines: tagged headings, then city-bearing candidates if any, else every long
    enough candidate."""
    tagged = [i for i, (line, mark) in enumerate(zip(lines, marks, strict=True)) if is_marked_heading(line, mark)]
    if tagged:
        # The markup speaks: plain lines that name the city by shape join the tagged ones (a page that tags
        # only some headings), other plain lines stay inside sections.
        by_shape = [i for i in _shape_indexes(lines, city_names) if not city_names or names_city(lines[i], city_names)]
        return sorted(set(tagged) | set(by_shape))
    return _shape_indexes(lines, city_names)


def _shape_indexes(lines: Sequence[str], city_names: Sequence[str]) -> list[int]:
    """Heading lines by shape: city-bearing candidates if any, else every long enough candidate."""
    with_city = [
        i
        for i, line in enumerate(lines)
        if (is_heading_shape(line) and names_city(line, city_names)) or _is_city_topic_line(line, city_names)
    ]
    if with_city:
        # A first city question stacked directly on the next one is the intro's hook ("上海参保人…需要哪些材料?").
        stacked_hook = len(with_city) > 1 and with_city[1] == with_city[0] + 1
        with_city = with_city[1:] if stacked_hook else with_city
        # After the first city heading, a long enough bare question line is a heading too ("新卡到手后还要激活吗?"):
        # the pages drop the city from some headings; before it, such a line is the intro's hook.
        # (not right under a "线上变更:" sub-heading: a line there is the block's own)
        bare = [i for i, line in enumerate(lines)
                if i > with_city[0] and is_question_shape(line) and len(_nfkc(line)) >= HEADING_MIN_CHARS_SHAPE_ONLY
                and not SUBHEADING_COLON_END.search(_nfkc(lines[i - 1]))]
        return sorted(set(with_city) | set(bare))
    candidates = [i for i, line in enumerate(lines) if is_heading_shape(line) and len(_nfkc(line)) >= HEADING_MIN_CHARS_SHAPE_ONLY]
    return _drop_stacked(lines, candidates)


def split_sections(
    lines: Sequence[str], city_names: Sequence[str] = (), marks: Sequence[str] = ()
) -> tuple[list[str], list[Section]]:
    """Return (intro lines, sections). The intro (lines before the first heading) is also the first
    section, untitled (heading None), so its lines are typed like any other; a page with no heading is
    one untitled section."""
    kept = [(line.strip(), mark) for line, mark in zip(lines, list(marks) or [LineMark.PLAIN] * len(lines), strict=True)
            if line and line.strip()]
    cleaned = [line for line, _ in kept]
    starts = _heading_indexes(cleaned, city_names, [mark for _, mark in kept])
    intro = cleaned[: starts[0]] if starts else cleaned
    sections = [Section(index=0, heading=None, lines=intro)] if intro else []
    ends = starts[1:] + [len(cleaned)] if starts else []
    offset = len(sections)
    sections.extend(
        Section(index=offset + n, heading=cleaned[start], lines=cleaned[start + 1 : end])
        for n, (start, end) in enumerate(zip(starts, ends, strict=True))
    )
    return intro, sections
