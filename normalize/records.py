"""Turn one section's lines into typed records (step, material, timeframe, exclusion, coverage, contact).

A thin orchestrator walks the lines in order, classifies each (filler / sub-heading / item), keeps
the current block and its channel / exclusion context, and asks small extractors for records.
Every regex and word table lives in normalize.patterns; this module only holds logic.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache

from normalize.aliases import canonical_item
from normalize.numbers import parse_number, parse_plus, parse_range
from normalize.patterns import (
    ABOVE_CAP_SUBJECT,
    ACTOR_ACTION_VERB,
    ALTERNATIVE_ASIDE,
    ANECDOTE_MARK,
    APPLIES_ARRIVAL,
    APPLIES_HANDLING,
    APPLIES_OFFLINE,
    APPLIES_ONLINE,
    APPLIES_WAITING,
    APPROX_MORE,
    APPROX_SOME,
    AT_LEAST_MARK,
    BARE_DOCUMENT_PREFIX_MAX_CHARS,
    BARE_MENU_ITEM,
    BARE_MENU_PATH,
    BARE_MONTH_BOUND,
    BARE_UNKNOWN_DOCUMENT_MAX_CHARS,
    CALENDAR_YEAR_MIN,
    CATCH_ALL_ITEM,
    CAUSE_LEAD,
    CHANNEL_GROUP_BLOCK,
    CHANNEL_PATTERNS,
    CLAUSE_SPLIT,
    CONTENT_MODIFIER_LEAD,
    COVERAGE_LIST,
    DATE_CONTINUATION,
    DEADLINE_BLOCK,
    DOCUMENT_FULL_MAX_CHARS,
    DOCUMENT_LEAD_VERB,
    DOCUMENT_LIST_TAIL,
    DOCUMENT_MAX_CHARS,
    DOCUMENT_NOT_FOLLOWED_BY,
    DOCUMENT_OWNER_PREFIX,
    DOCUMENT_PLACE_PREFIX,
    DOCUMENT_QUANTITY,
    DOCUMENT_READER_PREFIX,
    DOCUMENT_SUFFIX,
    DOCUMENT_VERB_START,
    DURATION,
    DURATION_ALTERNATIVE_GAP,
    DURATION_BAD_BEFORE,
    DURATION_RANGE_JOIN,
    DURATION_UNITS,
    EMPLOYER_SUBJECT,
    ENUMERATED_LABEL,
    EXAMPLE_ASIDE,
    EXAMPLE_BODY,
    EXCLUSION_CATEGORIES,
    EXCLUSION_GENERIC_CATEGORIES,
    EXCLUSION_ITEM_MAX_CHARS,
    EXCLUSION_LINE_MAX_CHARS,
    FILLER_LINE,
    FORM_FILL_START,
    GENERIC_CHANNELS,
    GENERIC_DOCUMENT,
    GROUP_CHANNEL_RESET,
    HALF_MARK,
    HEADING_QUESTION_END,
    HOTLINE,
    HOTLINE_CALL,
    HOTLINE_CONTEXT,
    HYPOTHETICAL_MARK,
    IMMEDIATE,
    ITEM_LEAD_VERB,
    ITEM_NUMBER_PREFIX,
    ITEM_TRAILING_DE,
    KEPT_PARENTHESIS_MAX_CHARS,
    KNOWN_DOCUMENTS,
    LABEL_TEXT,
    LEADING_CONDITION_CLAUSE,
    LINE_NEGATION,
    LIST_CATEGORY_TAIL,
    LIST_CONDITION_LINE,
    LIST_CONJUNCTION,
    LIST_HEADER_END,
    LIST_LEAD,
    LIST_SEPARATOR,
    LIST_SHARED_HEAD,
    LIST_TAIL,
    MATERIAL_ANNOUNCE,
    MATERIAL_BLOCK,
    MATERIAL_GROUP_RESET,
    MATERIAL_TRIGGER,
    MENU_ITEM,
    MENU_PATH,
    MODIFIER_LIST_LEAD,
    MODIFIER_LIST_TAIL,
    NEGATED_CONDITION_HEAD,
    NEGATED_EVENT_HEAD,
    NEGATED_GENERIC_NOUN,
    NEGATION_HEDGE,
    NEGATIVE_BLOCK,
    NEGATIVE_GROUP_RESET,
    NEGATIVE_HEADER_NOUN,
    NEXT_DAY,
    NO_ACTION_NEEDED,
    NO_DOCUMENT_NEEDED,
    NON_STEP_BLOCK_MATERIAL,
    NON_STEP_BLOCK_STRONG,
    NON_STEP_BLOCK_WEAK,
    NOT_EXCLUDED_SUBJECT,
    NOTE_LABEL,
    NUMBERED_LABEL_MAX_CHARS,
    NUMBERED_TOPIC,
    OFFICE_STAFF_SUBJECT,
    OFFICE_SUBJECT,
    OPTIONAL_LINE_START,
    OPTIONAL_MARK,
    PARENTHESIS,
    PAYER_SUBJECT,
    POSITIVE_BLOCK,
    POSITIVE_LINE,
    PROCEDURE_BLOCK,
    PROCEDURE_HEADING,
    QUALIFIER_COPY,
    QUALIFIER_ORIGINAL,
    READER_ONLY_VERB,
    SAME_MONTH,
    SCOPE_OUTSIDE_HEAD,
    SENTENCE_SPLIT,
    SHARED_MODIFIER_PIECE_MAX_CHARS,
    SHORT_LABEL_FORBIDDEN,
    SHORT_LABEL_MAX_CHARS,
    STEP_CARRY_TO,
    STEP_CONDITION_CLAUSE,
    STEP_GO_TO,
    STEP_HELP_ONLY,
    STEP_INLINE_CONDITION,
    STEP_LOCATIVE,
    STEP_LOCATIVE_CONDITION,
    STEP_OBLIGATION_LEAD,
    STEP_ORDINAL_LABEL,
    STEP_START,
    STEP_THEN_OFFICE_ACTS,
    STEP_TIME_LEAD,
    STEP_UI_ACTION,
    STEP_VERB_THEN_AFTER,
    SUBHEADING_COLON_END,
    SUBHEADING_GLITCH_PREFIX,
    SUBJECT_ADVERB_TAIL,
    SUBJECT_CLASSIFICATION,
    SUBJECT_CONCESSION,
    SUBJECT_CONDITION,
    SUBJECT_CONNECTIVE,
    SUBJECT_CONTINUATION,
    SUBJECT_COPULA_TAIL,
    SUBJECT_PAYER_TAIL,
    SUBJECT_REFERENT,
    SUBJECT_TIME_CLAUSE,
    SUMMARY_CATEGORY_ITEM,
    SUPERSEDED_AFTER,
    SUPERSEDED_BEFORE,
    THIRD_PARTY_AGENT,
    THIRD_PARTY_SUBJECT,
    TITLED_DOCUMENT,
    TRAILING_PUNCT,
    UNIT_CONVERSIONS,
    UNPUNCTUATED_LABEL_FORBIDDEN,
    UNPUNCTUATED_LABEL_MAX_CHARS,
    UNPUNCTUATED_LABEL_NEXT_EXTRA_CHARS,
    USE_NEGATION,
    WITHIN_MARK,
)
from normalize.region import names_other_place, strip_leading_place
from schema.records import Record, Section
from schema.vocabulary import Actor, AppliesTo, Bound, Channel, Qualifier, RecordType, TimeframeStatus, Unit

# ---------------------------------------------------------------------------------------------
# Line classification
# ---------------------------------------------------------------------------------------------


# Block names, labels and template lines recur line after line and article after article: the pure
# string functions of this module are cached.
_CACHE_SIZE = 8192


class LineKind(Enum):
    """What a line inside a section is."""

    FILLER = "filler"  # announces a list, carries nothing
    SUBHEADING = "subheading"  # opens a block
    ITEM = "item"  # carries facts


def nfkc(line: str) -> str:
    """Full-width punctuation to ASCII ("，" → ","), so patterns need one spelling; Records keep the original."""
    return unicodedata.normalize("NFKC", line).strip()


@lru_cache(maxsize=_CACHE_SIZE)
def strip_numbering(line: str) -> str:
    """Drop a glitch prefix ("方式1~~") and a list number ("1.", "①") from the start of a line."""
    line = SUBHEADING_GLITCH_PREFIX.sub("", line.strip(), count=1)
    return ITEM_NUMBER_PREFIX.sub("", line, count=1).strip()


def block_name(line: str) -> str:
    """A sub-heading's name: without numbering, glitch prefix or trailing colon."""
    return TRAILING_PUNCT.sub("", strip_numbering(line))


def is_numbered(line: str) -> bool:
    """True if the line starts with a list number."""
    return bool(ITEM_NUMBER_PREFIX.match(SUBHEADING_GLITCH_PREFIX.sub("", line.strip(), count=1)))


def is_filler(line: str) -> bool:
    """True for "有以下这些方式", "具体如下", "以下是几种常见的方法:" and the like."""
    return bool(FILLER_LINE.match(strip_numbering(line)))


def _carries_fact(text: str) -> bool:
    """True if a short colon-less line still states something (a duration, an action, a number)."""
    return bool(DURATION.search(text) or IMMEDIATE.search(text) or STEP_START.match(text) or HOTLINE.search(text))


def is_short_label(line: str) -> bool:
    """A colon-less sub-heading: "等待期", "注意事项", "1.基本医疗保险的药品报销"."""
    core = strip_numbering(line)
    limit = NUMBERED_LABEL_MAX_CHARS if is_numbered(line) else SHORT_LABEL_MAX_CHARS
    if not core or len(core) > limit or SHORT_LABEL_FORBIDDEN.search(core):
        return False
    return not _carries_fact(core)


def classify_line(line: str) -> LineKind:
    """Classify one line by its shape alone."""
    line = nfkc(line)
    if is_filler(line):
        return LineKind.FILLER
    if SUBHEADING_COLON_END.search(line.strip()) or is_short_label(line):
        return LineKind.SUBHEADING
    return LineKind.ITEM


@lru_cache(maxsize=_CACHE_SIZE)
def split_label(line: str) -> tuple[str | None, str]:
    """"支付宝:进入…" → ("支付宝", "进入…"); a line without a short label → (None, line)."""
    core = strip_numbering(nfkc(line))
    match = LABEL_TEXT.match(core)
    if not match:
        return None, core
    return match.group("label").strip(), match.group("text").strip()


# ---------------------------------------------------------------------------------------------
# Section state
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _State:
    """What the walk over a section knows about the current block."""

    section_index: int
    procedural_section: bool  # the heading asks for a procedure
    heading_channel: str | None
    block: str | None = None  # current sub-heading name
    group_channel: str | None = None  # last channel a sub-heading named (线上 / 线下 / 支付宝 ...)
    in_negative: bool = False  # inside a "not covered" list
    list_header: bool = False  # the current block is a "…包括:" lead, so short lines are items
    negative_category: str | None = None
    material_group: bool = False  # under a material lead or a "携带以下材料" line: neutral sub-labels list documents
    last_step_channel: str | None = None  # channel of the previous step in this block
    step_counts: Counter[str | None] = field(default_factory=Counter)
    place_names: tuple[str, ...] = ()  # the page's own place spellings (another place's figures are not its facts)
    documents_seen: set[str] = field(default_factory=set)  # a document is one fact per section


@lru_cache(maxsize=_CACHE_SIZE)
def find_channels(text: str | None) -> tuple[str, ...]:
    """Every channel the text mentions, earliest first ("医保APP或微信公众号" → app, wechat)."""
    if not text:
        return ()
    found: list[tuple[int, int, str]] = []
    for pattern, channel in CHANNEL_PATTERNS:
        for match in pattern.finditer(text):
            # "银行APP" is a bank app, not also an app: a more specific match owns its span.
            if not any(start < match.end() and match.start() < end for start, end, _ in found):
                found.append((match.start(), match.end(), channel))
    ordered = [channel for _, _, channel in sorted(found)]
    return tuple(dict.fromkeys(ordered))


def find_channel(text: str | None) -> str | None:
    """The channel mentioned earliest in the text."""
    channels = find_channels(text)
    return channels[0] if channels else None


def header_category(name: str) -> str | None:
    """The category a negative header is about ("不纳入…范围的药品包括" → "药品")."""
    match = NEGATIVE_HEADER_NOUN.search(name)
    if not match:
        known = EXCLUSION_CATEGORIES + EXCLUSION_GENERIC_CATEGORIES
        return next((category for category in known if category in name), None)
    noun = match.group("noun")
    return next((category for category in EXCLUSION_CATEGORIES if category in noun), noun)


@lru_cache(maxsize=_CACHE_SIZE)
def statement_and_lead(name: str) -> tuple[str, str]:
    """"等待期内的费用医保不予支付,按以下情况计算" → (the statement, the lead): clauses before the last that end in a
    negation predicate are a statement of their own; only the last clause leads the list. ("", name) otherwise."""
    clauses = _clauses(name)
    if len(clauses) < 2 or NEGATIVE_BLOCK.search(clauses[-1]):
        return "", name
    statement = ",".join(clauses[:-1])
    return (statement, clauses[-1]) if _first_negation(LINE_NEGATION, statement) else ("", name)


def _enter_block(state: _State, line: str) -> None:
    """Update the state for a new sub-heading."""
    name = block_name(line)
    state.block = name or None
    state.step_counts.clear()
    state.last_step_channel = None
    header = statement_and_lead(name)[1]
    # A lead ending in 包括/如下, or any "not covered" header, is followed by a list of short items.
    state.list_header = bool(LIST_HEADER_END.search(header) or NEGATIVE_BLOCK.search(header))
    if (channel := find_channel(name)) and CHANNEL_GROUP_BLOCK.search(name):
        state.group_channel = channel
    elif GROUP_CHANNEL_RESET.search(name):
        state.group_channel = None
    if MATERIAL_BLOCK.search(name):
        state.material_group = True
    elif MATERIAL_GROUP_RESET.search(name) or find_channel(name):
        state.material_group = False
    if NEGATIVE_BLOCK.search(header):
        state.in_negative, state.negative_category = True, header_category(header)
    elif is_numbered(line) or POSITIVE_BLOCK.search(header) or NEGATIVE_GROUP_RESET.search(header):
        # A covered header, a numbered topic, or a procedure / materials / deadline block ends the list.
        state.in_negative, state.negative_category = False, None
    elif state.in_negative:
        # A short label inside a "not covered" list names the category of what follows ("美容类项目").
        state.negative_category = LIST_HEADER_END.sub("", name) or name


def _initial_state(section: Section, place_names: Sequence[str] = ()) -> _State:
    return _State(
        section_index=section.index,
        place_names=tuple(place_names),
        procedural_section=bool(PROCEDURE_HEADING.search(section.heading or "")),
        heading_channel=find_channel(section.heading),
    )


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


def _depth_zero_spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of the pattern's matches that are not inside parentheses."""
    if "(" not in text:
        return [m.span() for m in pattern.finditer(text)]
    depth, depths = 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        depths.append(depth)
        if ch == ")":
            depth = max(0, depth - 1)
    return [m.span() for m in pattern.finditer(text) if depths[m.start()] == 0]


def split_top_level(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split on the pattern outside parentheses ("A、B(如C、D)" → ["A", "B(如C、D)"])."""
    pieces, start = [], 0
    for begin, end in _depth_zero_spans(text, pattern):
        pieces.append(text[start:begin])
        start = end
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def split_list(text: str, split_conjunctions: bool = True) -> list[str]:
    """Split a list on 、,/ and (for pieces without a 的-modifier) on 和/或/及/以及."""
    pieces = split_top_level(text, LIST_SEPARATOR)
    if not split_conjunctions:
        return pieces
    out: list[str] = []
    for piece in pieces:
        # "用中药材和中药饮片泡制的各类酒制剂": the 和 sits inside a modifier, not between items.
        out.extend([piece] if "的" in piece else split_top_level(piece, LIST_CONJUNCTION))
    return out


def clean_item(piece: str) -> str:
    """Trim list words, trailing punctuation and explanatory parentheses from one list item."""
    piece = LIST_LEAD.sub("", TRAILING_PUNCT.sub("", piece.strip()))
    piece = LIST_TAIL.sub("", piece)
    # Keep one-character insertions ("就(转)诊"), drop asides ("(特殊适应症与急救、抢救除外)").
    piece = PARENTHESIS.sub(lambda m: m.group(0) if len(m.group(1)) <= KEPT_PARENTHESIS_MAX_CHARS else "", piece)
    return TRAILING_PUNCT.sub("", piece).strip()


def _modifier_spans_list(pieces: list[str]) -> bool:
    """"自杀、自残、打架斗殴所致的医疗费用": only the last piece has 的, so it modifies the whole list."""
    return len(pieces) > 1 and "的" in pieces[-1] and not any("的" in piece for piece in pieces[:-1])


def _modified_list_items(text: str) -> list[str]:
    """"因打架斗殴、酗酒、吸毒造成伤害的医疗费用" → the listed items inside the modifier; [] if they are not short."""
    head = text.rpartition("的")[0]
    core = MODIFIER_LIST_TAIL.sub("", MODIFIER_LIST_LEAD.sub("", head, count=1))
    items = [clean_item(piece) for piece in split_list(core)]
    return items if len(items) > 1 and all(0 < len(item) <= EXCLUSION_ITEM_MAX_CHARS for item in items) else []


def _cut_category_tail(piece: str) -> str:
    """"保健等非治疗性费用", "洗牙这类修复项目" → the item: after 等 / 这类 comes the category of the list."""
    match = LIST_CATEGORY_TAIL.search(piece)
    return piece[: match.start()] if match and match.start() > 0 else piece


def _drop_generic_tail(item: str) -> str:
    """"床位费超出普通床位标准的部分" → "床位费超出普通床位标准": a generic noun after 的 is not the item
    (after an event, "等待期内发生的医疗费用", the whole phrase is)."""
    head, sep, tail = item.rpartition("的")
    if sep and head and NEGATED_GENERIC_NOUN.match(tail) and not NEGATED_EVENT_HEAD.search(head):
        return head
    return item


def list_items(text: str) -> list[str]:
    """Items of a noun list without lead verbs ("因…", "购买…") or catch-alls ("其他…费用")."""
    # "支付应由工伤保险、生育保险负担的费用": a verb before a modifier wrapped around the list is not part of it.
    if MODIFIER_LIST_LEAD.match(unled := ITEM_LEAD_VERB.sub("", text.strip(), count=1)):
        text = unled
    items = (ITEM_TRAILING_DE.sub("", ITEM_LEAD_VERB.sub("", item)) for item in _list_items(text))
    return [item for item in items if not CATCH_ALL_ITEM.match(item)]


def _list_items(text: str) -> list[str]:
    """Items of a noun list; one item for a short phrase; nothing for a sentence."""
    text = LIST_TAIL.sub("", LIST_LEAD.sub("", TRAILING_PUNCT.sub("", text.strip())))
    pieces = split_top_level(text, LIST_SEPARATOR)
    # "因交通事故、工伤等应由第三方承担的医疗费用": 等 closes the list before the modifier.
    if _modifier_spans_list(pieces) and "的" not in (head := pieces[-1].partition("等")[0]) and head != pieces[-1]:
        pieces[-1] = head + "等"
    if _modifier_spans_list(pieces):
        head, _, tail = text.rpartition("的")
        # "出国、出境期间发生的医疗费用": a list inside an event modifier is one circumstance, kept whole.
        # ("因自杀、自残发生的医疗费用" lists causes: split below.)
        event = NEGATED_EVENT_HEAD.search(head) and not CAUSE_LEAD.match(text)
        if event and NEGATED_GENERIC_NOUN.match(tail) and len(text) <= EXCLUSION_LINE_MAX_CHARS:
            return [clean_item(text)]
        # "含国家珍贵、濒危野生动植物药材的药品": a content modifier's 、 joins attributes of one thing.
        if CONTENT_MODIFIER_LEAD.match(text) and len(text) <= EXCLUSION_LINE_MAX_CHARS:
            return [clean_item(text)]
        if split := _modified_list_items(text):
            return split
        whole = clean_item(text)
        return [whole] if len(whole) <= EXCLUSION_LINE_MAX_CHARS else []
    # "与认定病种无关的检查、药品费用": a condition modifier on the first piece covers the whole list, one item.
    head = pieces[0].rpartition("的")[0]
    shared = len(pieces) > 1 and LIST_SHARED_HEAD.search(pieces[-1]) and not LIST_SHARED_HEAD.search(pieces[0])
    # "不符合目录的药品、耗材": short bare pieces after the modified one share its modifier too.
    bare = [pieces[0].rpartition("的")[2], *pieces[1:]]
    shared = shared or (len(pieces) > 1 and all(0 < len(p) <= SHARED_MODIFIER_PIECE_MAX_CHARS and not LIST_SHARED_HEAD.search(p) for p in bare))
    condition = NEGATED_CONDITION_HEAD.match(head) or SCOPE_OUTSIDE_HEAD.match(head)
    if shared and head and condition and not any("的" in piece for piece in pieces[1:]):
        whole = clean_item(text)
        return [whole] if len(whole) <= EXCLUSION_LINE_MAX_CHARS else []
    if len(pieces) > 1:
        pieces[-1] = _cut_category_tail(pieces[-1])
    items = [item for item in (_drop_generic_tail(clean_item(p)) for p in split_list("、".join(pieces))) if item]
    if items and all(len(item) <= EXCLUSION_ITEM_MAX_CHARS for item in items):
        return items
    whole = clean_item(text)
    if len(split_top_level(text, LIST_SEPARATOR)) == 1 and 0 < len(whole) <= EXCLUSION_LINE_MAX_CHARS:
        return [whole]
    return []


# ---------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------


class StepContext(Enum):
    """Which lines of a block can be steps."""

    OPEN = "open"  # any instruction (a procedure block, a channel label, a procedural section)
    CONDITIONAL = "conditional"  # only "condition, then instruction" lines (notes, deadlines, special cases)
    CLOSED = "closed"  # none, except a hotline call (coverage, costs, policy)
    MATERIAL = "material"  # none at all (a list of documents)


def _in_material_list(label: str | None, state: _State) -> bool:
    """Under a material sub-heading / label, or a neutral sub-label of a material group."""
    names = [name for name in (label, state.block) if name]
    return any(NON_STEP_BLOCK_MATERIAL.search(name) for name in names) or (state.material_group and not find_channel(label))


def _modified_document(clauses: list[str]) -> bool:
    """"补缴期间的工资发放明细表": one clause, a 的-modifier and then a document name, is a document (补缴 is no verb here)."""
    if len(clauses) != 1 or "的" not in clauses[0]:
        return False
    core = TRAILING_PUNCT.sub("", PARENTHESIS.sub("", clauses[0]))
    name = document_name(core)
    return bool(name) and core.endswith(name) and "的" in core[: -len(name)]


def is_misplaced_instruction(body: str) -> bool:
    """"前往…窗口提交材料" under "准备材料:": an instruction opening with a verb that does not hand in documents."""
    clauses = _clauses(body)
    if not clauses or DOCUMENT_VERB_START.match(clauses[0]) or _names_documents_only(body) or _modified_document(clauses):
        return False  # "申请人身份证" starts like 申请 but is a document
    if len(clauses) == 1 and FORM_FILL_START.match(clauses[0]):
        return False  # "填写完整的《补缴申请表》" listed with the documents is the form itself
    return _opens_with_verb(clauses[0]) or bool(STEP_LOCATIVE.match(body) and not STEP_LOCATIVE_CONDITION.search(clauses[0]))


def _is_bare_document(piece: str) -> bool:
    """"社会保障卡", "原参保地出具的参保凭证", "《申请表》": a known document with at most a 的-modifier or a short
    prefix, or a short unknown one; not a clause that ends with a document ("…向转出地发出联系函")."""
    bare = TRAILING_PUNCT.sub("", PARENTHESIS.sub("", piece)).strip()
    if TITLED_DOCUMENT.fullmatch(bare):
        return True
    name = document_name(bare)
    if not name or not bare.endswith(name):
        return False
    if name not in KNOWN_DOCUMENTS and not any(name.endswith(document) for document in KNOWN_DOCUMENTS):
        return len(name) <= BARE_UNKNOWN_DOCUMENT_MAX_CHARS
    return len(bare[: -len(name)].rsplit("的", 1)[-1]) <= BARE_DOCUMENT_PREFIX_MAX_CHARS


@lru_cache(maxsize=_CACHE_SIZE)
def _names_documents_only(body: str) -> bool:
    text = TRAILING_PUNCT.sub("", QUALIFIER_COPY.sub("", QUALIFIER_ORIGINAL.sub("", body)))
    alternatives = [alt for piece in split_top_level(text, LIST_SEPARATOR) for alt in split_top_level(piece, LIST_CONJUNCTION)]
    return bool(alternatives) and all(_is_bare_document(alternative) for alternative in alternatives)


def is_document_list(body: str) -> bool:
    """"身份证、社会保障卡原件及复印件" under "办理流程:": every piece of the line names a document and nothing else."""
    return not is_instruction(body) and _names_documents_only(body)


def _step_context(label: str | None, state: _State, body: str = "") -> StepContext:
    """Where the line sits decides which instructions in it are steps."""
    names = [name for name in (label, state.block) if name]
    if _in_material_list(label, state):
        # Sub-headings that do not match their lines (a generator glitch): a procedure line is still a step;
        # so is "身份证、社保卡,到…大厅查询打印", documents and then where to take them.
        return StepContext.OPEN if is_misplaced_instruction(body) or _documents_then_go_to(body) else StepContext.MATERIAL
    if any(NON_STEP_BLOCK_STRONG.search(name) for name in names):
        return StepContext.CONDITIONAL
    if find_channel(label):
        return StepContext.OPEN
    if state.block:
        if PROCEDURE_BLOCK.search(state.block):
            return StepContext.OPEN
        if NON_STEP_BLOCK_WEAK.search(state.block):
            return StepContext.CLOSED
    return StepContext.OPEN if state.procedural_section or state.group_channel is not None else StepContext.CLOSED


def _clauses(body: str) -> list[str]:
    return [clause.strip() for clause in CLAUSE_SPLIT.split(body) if clause.strip()]


def _documents_then_go_to(body: str) -> bool:
    """"身份证、社保卡,到…大厅查询打印": the documents to bring, then where to go."""
    clauses = _clauses(body)
    return len(clauses) > 1 and bool(STEP_GO_TO.match(clauses[1])) and _names_documents_only(clauses[0])


def _opens_with_verb(clause: str) -> bool:
    """"下载并登录…", "您可以前往…"; not "绑定成功后即时生效" (a verb + 后 is a time clause unless a verb follows)."""
    if not STEP_START.match(clause):
        # "核定后通过APP缴纳…": a short time phrase, then the verb.
        lead = STEP_TIME_LEAD.match(clause)
        return bool(lead and STEP_START.match(clause[lead.end() :]) and not STEP_VERB_THEN_AFTER.match(clause[lead.end() :]))
    after = STEP_VERB_THEN_AFTER.match(clause)
    return after is None or bool(STEP_START.match(after.group("rest")) or STEP_LOCATIVE.match(after.group("rest")))


def is_conditional_instruction(body: str) -> bool:
    """"原参保地未停保的,需先…办理", "垫付费用的,应在…到经办机构申请报销": a condition clause, then an action."""
    clauses = _clauses(body)
    if clauses and STEP_INLINE_CONDITION.match(clauses[0]):
        return True  # "首次使用某平台需先注册…"
    return (
        len(clauses) > 1
        and bool(STEP_CONDITION_CLAUSE.search(clauses[0]))
        and (_opens_with_verb(clauses[1]) or bool(STEP_LOCATIVE.match(clauses[1])))
    )


def _is_time_clause(clause: str) -> bool:
    """"医保部门审核通过后", "出院时": a clause that only dates the next one."""
    return bool(STEP_CONDITION_CLAUSE.search(clause)) and not clause.endswith("的")


def _office_acts(clauses: list[str]) -> bool:
    """"在转入地办理…后,由转入地向…发送联系函", "转出地收到联系函后办理": after any time clauses, the acting clause's
    subject is an office, so the line describes the office's work ("医保部门审核通过后,办理…" still instructs the reader)."""
    for clause in clauses:
        opens_as_reader = STEP_START.match(clause) or STEP_GO_TO.match(clause) or STEP_LOCATIVE.match(clause)
        if not opens_as_reader and OFFICE_SUBJECT.match(clause) and not _is_time_clause(clause):
            return True
        if not _is_time_clause(clause):
            return False
    return False


def _obliges_reader(clause: str) -> bool:
    """"5天内需到银行网点办理正式挂失": a clause after a statement that tells the reader what they must do."""
    lead = STEP_OBLIGATION_LEAD.match(clause)
    if not lead:
        return False
    rest = clause[lead.end() :]
    return bool(STEP_GO_TO.match(rest) or STEP_LOCATIVE.match(rest) or _opens_with_verb(rest))


@lru_cache(maxsize=_CACHE_SIZE)
def is_instruction(body: str) -> bool:
    """True if the text is an action: it opens with a verb, a place + verb, or a condition + verb."""
    if MENU_PATH.search(body) or STEP_UI_ACTION.search(body) or BARE_MENU_PATH.search(body):
        return True
    # "在定点医院住院的,出院时直接结算;未直接结算的,持发票…到医保中心申请": each sentence is judged on its own.
    sentences = [sentence for sentence in SENTENCE_SPLIT.split(body) if sentence.strip()]
    if len(sentences) > 1:
        return any(is_instruction(sentence) for sentence in sentences)
    clauses = _clauses(body)
    if not clauses or STEP_THEN_OFFICE_ACTS.match(body) or _office_acts(clauses):
        return False
    # "需要补缴中断期间医保费的。": one clause ending in 的 names a case, it instructs nothing.
    if len(clauses) == 1 and STEP_LOCATIVE_CONDITION.search(TRAILING_PUNCT.sub("", clauses[0])):
        return False
    # "父母一方携带户口簿…到…办理": carrying documents to a place, whoever is named before.
    if STEP_CARRY_TO.match(clauses[0]):
        return True
    # "到…经办大厅综合窗口取号": going to a place is the reader's action whatever the verb.
    if (STEP_GO_TO.match(clauses[0]) and not STEP_LOCATIVE_CONDITION.search(clauses[0])) or _documents_then_go_to(body):
        return True
    # "在即时制卡网点办理的,可当场领取新卡": a place clause ending in 的 is a condition.
    if STEP_LOCATIVE.match(body) and not STEP_LOCATIVE_CONDITION.search(clauses[0]):
        return True
    return _opens_with_verb(clauses[0]) or is_conditional_instruction(body) or any(_obliges_reader(c) for c in clauses[1:])


def _third_party_acts(body: str) -> bool:
    """The body opens with 由 + an agent other than the reader ("由医生填写…"); an office stage ("转入地审核") stays a step."""
    return bool(THIRD_PARTY_AGENT.match(body))


def clause_actor(clause: str) -> str | None:
    """Who a clause names as its acting subject: office, employer, third party; None when no one (the reader)."""
    if EMPLOYER_SUBJECT.search(clause):
        return Actor.EMPLOYER.value
    if THIRD_PARTY_SUBJECT.search(clause):
        return Actor.THIRD_PARTY.value
    if OFFICE_SUBJECT.match(clause) or OFFICE_STAFF_SUBJECT.match(clause):
        return Actor.OFFICE.value
    return None


@lru_cache(maxsize=_CACHE_SIZE)
def step_actor(body: str) -> str:
    """Who carries out a step: the subject of its first acting clause. A subjectless clause after an office's
    time clause ("经办机构审核通过后,完成参保地变更") keeps the office, unless a reader-only verb opens it."""
    current: str | None = None
    for clause in _clauses(body):
        named = clause_actor(clause)
        if named is not None:
            current = named
            if not _is_time_clause(clause) or ACTOR_ACTION_VERB.search(clause.rsplit("后", 1)[-1]):
                return named
            continue
        if STEP_CONDITION_CLAUSE.search(clause) and clause.endswith("的"):
            continue  # "原参保地未停保的": a case, not an act
        if current is not None and not READER_ONLY_VERB.match(clause) and ACTOR_ACTION_VERB.search(clause):
            return current
        if not _is_time_clause(clause):
            return Actor.APPLICANT.value
    return current or Actor.APPLICANT.value


def is_actor_action(body: str, label: str | None, state: _State) -> bool:
    """An office, employer or third party acting in a procedure ("工作人员审核材料并办理…手续"): a step with
    that actor, except in a deadline block, where the line is the deadline."""
    if any(name and DEADLINE_BLOCK.search(name) for name in (label, state.block)):
        return False
    return step_actor(body) != Actor.APPLICANT.value and bool(ACTOR_ACTION_VERB.search(body))


def is_step(line: str, label: str | None, body: str, state: _State) -> bool:
    """A hotline call anywhere but a material list; else what the line's context admits."""
    context = _step_context(label, state, body)
    if context in (StepContext.OPEN, StepContext.CONDITIONAL) and is_actor_action(body, label, state):
        return True
    if context is StepContext.MATERIAL:
        return False
    if HOTLINE_CALL.search(body):
        return True
    raw_label, _ = split_label(nfkc(line))
    # "第二步:由定点医院医生填写…": a stage handed to another party by 由 is no step of the reader.
    ordinal = bool(raw_label and STEP_ORDINAL_LABEL.match(raw_label)) and not _third_party_acts(body)
    if NO_ACTION_NEEDED.search(body) and not is_conditional_instruction(body):
        return False  # "在定点医院出院时一站式结算,无需个人申请": the reader has nothing to do
    if context is StepContext.CONDITIONAL:
        # "如遇操作问题,可咨询当地医保局": advice to ask, with no number to call, is no step of the procedure.
        clauses = _clauses(body)
        return is_conditional_instruction(body) and not (clauses and STEP_HELP_ONLY.match(clauses[-1]))
    if context is StepContext.CLOSED:
        return False
    # "下载并登录银行APP:如农业银行…": an action label whose text only gives examples.
    example = bool(label and EXAMPLE_BODY.match(body) and _opens_with_verb(label))
    return ordinal or example or is_instruction(body)


def menu_path(body: str) -> tuple[str, ...]:
    """Quoted menu items joined by arrows or dashes ("“市民中心”→“医疗保险”" → ("市民中心", "医疗保险"))."""
    if match := MENU_PATH.search(body):
        return tuple(MENU_ITEM.findall(match.group(0)))
    # "支付宝首页 > 市民中心 > 社保": an unquoted path.
    return tuple(BARE_MENU_ITEM.findall(match.group(0))) if (match := BARE_MENU_PATH.search(body)) else ()


def _named_channel(name: str | None, content: str | None) -> str | None:
    """The channel a label / block names; when it names several ("网站或APP"), the one the line uses."""
    channels = find_channels(name)
    if len(channels) > 1 and content in channels:
        return content
    return channels[0] if channels else None


def _specific(channel: str | None) -> str | None:
    return None if channel in GENERIC_CHANNELS else channel


def step_channel(label: str | None, body: str, state: _State) -> str | None:
    """Specific channels (label, block, group, the line, the previous step) before generic ones."""
    # "若线上操作不便,可携带身份证到窗口办理": the channel of the action, not of the condition before it.
    content = find_channel(LEADING_CONDITION_CLAUSE.sub("", body)) or find_channel(body)
    label_channel = _named_channel(label, content)
    block_channel = _named_channel(state.block, content)
    ordered = (
        _specific(label_channel),
        _specific(block_channel),
        _specific(state.group_channel),
        content,
        state.last_step_channel,
        label_channel,
        block_channel,
        state.group_channel,
        state.heading_channel,
    )
    return next((channel for channel in ordered if channel), None)


# ---------------------------------------------------------------------------------------------
# Materials
# ---------------------------------------------------------------------------------------------


def line_qualifiers(text: str) -> tuple[str, ...]:
    """原件 / 复印件 of a line ("原件及复印件" gives both); they apply to every document on it."""
    qualifiers = []
    if QUALIFIER_ORIGINAL.search(text):
        qualifiers.append(Qualifier.ORIGINAL.value)
    if QUALIFIER_COPY.search(text):
        qualifiers.append(Qualifier.COPY.value)
    return tuple(qualifiers)


@lru_cache(maxsize=_CACHE_SIZE)
def document_name(piece: str) -> str | None:
    """The document a list piece names, by its full printed name ("住院病历", "产前检查费用发票",
    "电子社保卡"), without lead verbs, 的-modifiers, issuing place or 本人/有效; None if it names none.
    The alias table is applied when the document becomes a record (`parse_documents`)."""
    if titled := TITLED_DOCUMENT.search(piece):
        return titled.group(1)  # a named form ("《异地就医备案表》"): its title is the item
    piece = clean_item(piece).rsplit("的", 1)[-1]  # "异地长期居住的居住证明", "代办的需提供…": after the last 的
    piece = DOCUMENT_VERB_START.sub("", DOCUMENT_LEAD_VERB.sub("", piece))
    piece = DOCUMENT_QUANTITY.sub("", DOCUMENT_LIST_TAIL.sub("", piece) or piece)
    name = DOCUMENT_PLACE_PREFIX.sub("", strip_leading_place(piece))
    if (known := _known_document_in(name)) and DOCUMENT_READER_PREFIX.match(name):
        unowned = DOCUMENT_READER_PREFIX.sub("", name)
        name = unowned if unowned.startswith(known[1]) else name
    if not name:
        return None
    known = _known_document_in(name)
    if known is not None:
        start, document = known
        if name.endswith(document) and len(name) <= DOCUMENT_FULL_MAX_CHARS:
            return name  # the whole printed name, "医保缴费凭证", "代办人身份证"
        owner = DOCUMENT_OWNER_PREFIX.search(name[:start])
        return (owner.group(0) if owner else "") + document
    if len(name) <= DOCUMENT_MAX_CHARS and DOCUMENT_SUFFIX.search(name) and not GENERIC_DOCUMENT.match(name):
        return name
    return None


def _known_document_in(text: str) -> tuple[int, str] | None:
    """(start, name) of the last known document in the text that is not followed by 号 / 信息 (a datum)."""
    found: list[tuple[int, str]] = []
    for document in KNOWN_DOCUMENTS:
        start = text.find(document)
        while start >= 0:
            if not DOCUMENT_NOT_FOLLOWED_BY.match(text[start + len(document) :]):
                found.append((start + len(document), document))
            start = text.find(document, start + 1)
    if not found:
        return None
    end, document = max(found, key=lambda f: (f[0], len(f[1])))
    return end - len(document), document


def parse_documents(text: str) -> list[tuple[str, bool]]:
    """(document, optional) for each document a list names; parentheses give examples or 如需 marks."""
    line_optional = bool(OPTIONAL_LINE_START.match(text))
    # "居住证原件及复印件" → "居住证及": the dangling 及 splits off an empty piece, which is dropped.
    text = QUALIFIER_COPY.sub("", QUALIFIER_ORIGINAL.sub("", text))
    documents: list[tuple[str, bool]] = []
    for piece in split_top_level(text, LIST_SEPARATOR):
        # "户籍迁移证明或工作调动证明(如适用)": the mark covers every alternative of the piece.
        optional = line_optional or any(OPTIONAL_MARK.search(aside) for aside in PARENTHESIS.findall(piece))
        if NO_DOCUMENT_NEEDED.match(piece):
            continue  # "无需其他证明材料" names what is not needed
        # "户口簿(或结婚证)": an aside opening with 或 is one more alternative.
        asides = [m.group("document") for aside in PARENTHESIS.findall(piece) if (m := ALTERNATIVE_ASIDE.match(aside))]
        for alternative in split_top_level(piece, LIST_CONJUNCTION) + asides:
            bare = PARENTHESIS.sub("", alternative)
            name = document_name(bare)
            if name and name in (doc for doc, _ in documents):
                # "住院病历或门诊病历": two documents of one kind stay apart by their own words.
                name = _own_document_name(bare, name)
            if name and canonical_item(name) not in (doc for doc, _ in documents):
                documents.append((canonical_item(name), optional))
    return documents


def _own_document_name(piece: str, name: str) -> str | None:
    """"二级以上医院的门诊病历" → "门诊病历": the known name with the words glued before it (after any 的)."""
    words = TRAILING_PUNCT.sub("", clean_item(piece)).rsplit("的", 1)[-1]
    if not words.endswith(name) or words == name or len(words) > DOCUMENT_MAX_CHARS:
        return None
    return words


def material_documents(label: str | None, body: str, state: _State) -> list[tuple[str, bool]]:
    """Documents of a material-list line or a bare document list anywhere, or of a "携带…" clause anywhere."""
    in_list = any(name and MATERIAL_BLOCK.search(name) for name in (label, state.block)) or _in_material_list(label, state)
    if (in_list and not is_misplaced_instruction(body)) or is_document_list(body):
        return parse_documents(body)
    documents: list[tuple[str, bool]] = []
    for match in MATERIAL_TRIGGER.finditer(body):
        documents.extend(parse_documents(match.group("list")))
    return documents


# ---------------------------------------------------------------------------------------------
# Timeframes
# ---------------------------------------------------------------------------------------------


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


def _join_ranges(found: list[Duration], text: str) -> list[Duration]:
    """"15天至42天", "6个月至1年": two exact durations joined by 至 / 到 / - are one range (in the smaller unit)."""
    joined: list[Duration] = []
    for duration in found:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.bound == duration.bound == Bound.EXACT.value
            and DURATION_RANGE_JOIN.match(text[previous.end : duration.start])
        ):
            low, high = _in_unit(previous, duration.unit), _in_unit(duration, previous.unit)
            if low is not None and high is None:  # the later end is the smaller unit ("1年至18个月")
                joined[-1] = replace(low, end=duration.end, value_max=duration.value_max, bound=Bound.RANGE.value)
                continue
            if high is not None and high.value_max is not None and previous.value_min is not None and previous.value_min <= high.value_max:
                joined[-1] = replace(previous, end=duration.end, value_max=high.value_max, bound=Bound.RANGE.value)
                continue
        joined.append(duration)
    return joined


def find_durations(text: str) -> list[Duration]:
    """Every duration in a line, in order, "即时生效" included as 0 days."""
    found = [Duration(m.start(), m.end(), 0, 0, Unit.DAY.value, Bound.IMMEDIATELY.value) for m in IMMEDIATE.finditer(text)]
    found.extend(Duration(m.start(), m.end(), 1, 1, Unit.DAY.value, Bound.EXACT.value) for m in NEXT_DAY.finditer(text))
    found.extend(Duration(m.start(), m.end(), 0, 0, Unit.MONTH.value, Bound.IMMEDIATELY.value) for m in SAME_MONTH.finditer(text))
    found.extend(d for m in DURATION.finditer(text) if (d := parse_duration(m, text)) is not None)
    found.sort(key=lambda d: d.start)
    found = _join_ranges(found, text)
    for index in range(1, len(found)):
        found[index] = _inherit_bound(found[index - 1], found[index], text)
    return found


def _clause_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause text before and after a span (clauses end at , ; 。 !)."""
    before = CLAUSE_SPLIT.split(text[:start])[-1]
    after = CLAUSE_SPLIT.split(text[end:])[0]
    return before, after


def duration_status(text: str, duration: Duration, place_names: Sequence[str] = ()) -> str:
    """Whose duration it is: superseded ("由原来的45个工作日压缩至…"), hypothetical ("可能…", "(如7个工作日)"),
    anecdotal ("用户反馈…3天到账"), another place's ("如南京医保…30个工作日"), else the page's current fact."""
    before, after = _clause_around(text, duration.start, duration.end)
    sentence = SENTENCE_SPLIT.split(text[: duration.start])[-1] + SENTENCE_SPLIT.split(text[duration.end :])[0]
    if SUPERSEDED_BEFORE.search(before) and SUPERSEDED_AFTER.match(after):
        return TimeframeStatus.SUPERSEDED.value
    if ANECDOTE_MARK.search(sentence):
        return TimeframeStatus.ANECDOTAL.value
    if names_other_place(before, place_names):
        return TimeframeStatus.OTHER_PLACE.value
    if HYPOTHETICAL_MARK.search(before) or EXAMPLE_ASIDE.search(text[: duration.start]):
        return TimeframeStatus.HYPOTHETICAL.value
    return TimeframeStatus.CURRENT.value


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


# ---------------------------------------------------------------------------------------------
# Exclusions, coverage, contacts
# ---------------------------------------------------------------------------------------------


def _subject_clauses(body: str, negation: re.Match[str]) -> list[str]:
    """Clauses before a negation, without bare connectives ("但") and concessions ("…虽执行集采价格")."""
    clauses = [c.strip() for c in CLAUSE_SPLIT.split(body[: negation.start()]) if c.strip()]
    clauses = [c for c in clauses if not SUBJECT_CONNECTIVE.match(c)]
    # "断缴期间发生的医疗费用,补缴后也不能追溯报销": a time clause before the negation dates it, the subject is before.
    while (
        len(clauses) > 1
        and SUBJECT_TIME_CLAUSE.search(SUBJECT_ADVERB_TAIL.sub("", clauses[-1]))
        and NEGATED_GENERIC_NOUN.match(clauses[-2].rpartition("的")[2])
    ):
        clauses.pop()
    return [SUBJECT_CONCESSION.sub("", c) or c for c in clauses]


def _strip_modifier(subject: str) -> str:
    """"部分治疗中使用的进口材料" → "进口材料"; a generic noun after 的 keeps the head; a condition head keeps all."""
    if "的" not in subject:
        return subject
    # "特需病房床位费超出…的部分、陪护费、伙食费": a 的 before a generic noun in the first piece belongs to that piece only.
    pieces = split_top_level(subject, LIST_SEPARATOR)
    if len(pieces) > 1 and "的" not in pieces[-1] and NEGATED_GENERIC_NOUN.match(pieces[0].rpartition("的")[2]):
        return subject
    # "部分治疗中使用的进口材料或特殊耗材": the items follow the last 的-modifier ...
    head, _, tail = subject.rpartition("的")
    # ... unless the head is a condition on them ("未经转诊备案的省外就医费用") ...
    if NEGATED_CONDITION_HEAD.match(head):
        return subject
    # ... or the tail is a generic noun ("进口材料、特殊耗材的费用"), after an event ("等待期内发生的医疗费用") the whole phrase.
    if NEGATED_GENERIC_NOUN.match(tail) and head:
        return subject if NEGATED_EVENT_HEAD.search(head) else head
    return tail


def negated_subject(body: str, negation: re.Match[str]) -> str:
    """What a "…不在报销范围内" clause is about: the list before it, or the list a 这些-clause refers to."""
    clauses = _subject_clauses(body, negation)
    # "…等属于美容或修复项目,医保不予报销": the payer's clause says who does not pay, the one before says what.
    if len(clauses) > 1 and PAYER_SUBJECT.match(SUBJECT_ADVERB_TAIL.sub("", clauses[-1])):
        clauses.pop()
        # "…等,属于修复或美容项目,医保不予报销" classifies the list before it; "属于…以内的," is a condition.
        classifies = len(clauses) > 1 and SUBJECT_CLASSIFICATION.match(clauses[-1]) and not clauses[-1].endswith("的")
        if SUBJECT_CONDITION.search(clauses[-1]) and not classifies:
            return ""
    if not clauses:
        return ""
    if LIST_LEAD.match(clauses[0]) or any(SUBJECT_REFERENT.match(clause) for clause in clauses[1:]):
        subject = clauses[0]
        # "种植牙、洗牙,以及牙齿矫正,均不在…范围内": clauses opening with 以及 continue the list.
        for clause in clauses[1:]:
            if not SUBJECT_CONTINUATION.match(clause):
                break
            subject += "、" + SUBJECT_CONTINUATION.sub("", clause)
    else:
        subject = SUBJECT_ADVERB_TAIL.sub("", clauses[-1])
        # "假牙、嵌体等修复项目,费用需自己承担": a bare generic noun points back at the clause before it.
        if len(clauses) > 1 and NEGATED_GENERIC_NOUN.match(subject):
            subject = clauses[-2]
        # "美容、健美类项目,以及不影响功能的整容手术": a clause opening with 以及 continues the list before it.
        if len(clauses) > 1 and SUBJECT_CONTINUATION.match(subject):
            previous = _strip_modifier(SUBJECT_COPULA_TAIL.sub("", clauses[-2]) or clauses[-2])
            subject = SUBJECT_CONTINUATION.sub("", subject)
            return previous + "、" + _strip_modifier(subject)
    subject = SUBJECT_COPULA_TAIL.sub("", subject) or subject
    subject = SUBJECT_PAYER_TAIL.sub("", subject) or subject
    return _strip_modifier(subject)


@lru_cache(maxsize=_CACHE_SIZE)
def _first_negation(pattern: re.Pattern[str], body: str) -> re.Match[str] | None:
    """The first negation in the line that is not hedged ("并非完全不能报销" denies it)."""
    return next((m for m in pattern.finditer(body) if not NEGATION_HEDGE.search(body[: m.start()])), None)


@lru_cache(maxsize=_CACHE_SIZE)
def _denied_uses(body: str) -> tuple[str, ...]:
    """"个人账户不得用于健身消费、美容": the things after a denied use verb, when the subject is the payer or absent."""
    for clause in _clauses(body):
        match = USE_NEGATION.search(clause)
        if match and match.group("object") and not NEGATION_HEDGE.search(clause[: match.start()]):
            subject = SUBJECT_ADVERB_TAIL.sub("", clause[: match.start()])
            if not subject or PAYER_SUBJECT.match(subject) or SUBJECT_CONNECTIVE.match(subject):
                return tuple(list_items(match.group("object")))
    return ()


def _use_lead_items(body: str) -> list[str]:
    """"支付健身、美容等非医疗消费,也不能用于支付…" under "个人账户不能用于:": the clauses before the denied use list
    more objects of the header's use."""
    clauses = _clauses(body)
    index = next((i for i, clause in enumerate(clauses) if USE_NEGATION.search(clause)), 0)
    lead = clauses[:index]
    if not lead or any(LINE_NEGATION.search(clause) for clause in lead):
        return []
    return list_items("、".join(lead))


def exclusion_items(label: str | None, body: str, state: _State) -> tuple[list[str], str | None]:
    """(items, category) of things a line says are not covered; each sentence with its own negation counts."""
    sentences = [sentence for sentence in SENTENCE_SPLIT.split(body) if sentence.strip()]
    negated = [s for s in sentences if _first_negation(LINE_NEGATION, s) or _denied_uses(s)] if len(sentences) > 1 else []
    if len(negated) > 1:
        # "等待期内的费用均不予报销;断缴期间的费用,补缴后也不能追溯报销。": two statements, two subjects.
        found = [_line_exclusions(label, sentence, state) for sentence in negated]
        return [item for items, _ in found for item in items], next((c for items, c in found if items), None)
    return _line_exclusions(label, body, state)


def _line_exclusions(label: str | None, body: str, state: _State) -> tuple[list[str], str | None]:
    if uses := _denied_uses(body):
        lead = _use_lead_items(body) if state.in_negative else []
        return lead + list(uses), label or state.negative_category or state.block
    if POSITIVE_LINE.search(body) and not LINE_NEGATION.search(body):
        return [], None  # stated as covered: never an exclusion, even inside a "not covered" list
    if label and NEGATIVE_BLOCK.search(label):
        # "以下情况医保不报:交通事故、工伤": the label is a "not covered" lead, its text the list.
        return list_items(body), header_category(label)
    if negation := _first_negation(LINE_NEGATION, body):
        subject = negated_subject(body, negation)
        if not subject or PAYER_SUBJECT.match(subject):
            return ([label] if label else []), state.negative_category or state.block
        if NOT_EXCLUDED_SUBJECT.search(subject) and not ABOVE_CAP_SUBJECT.match(subject):
            return [], None
        return list_items(subject), label or state.negative_category or state.block
    if not state.in_negative or LIST_CONDITION_LINE.search(body) or find_durations(body):
        return [], None  # a case clause, a duration or a rate is a condition on the list, not an item
    return list_items(body), label or state.negative_category


def coverage_items(label: str | None, body: str, state: _State) -> list[str]:
    """Things a line says are covered: a "补牙:…可报销" label, or "将X、Y纳入…" / "覆盖X、Y"."""
    if LINE_NEGATION.search(body):
        return []
    match = COVERAGE_LIST.search(body)
    if match:
        return list_items(match.group("a") or match.group("b"))
    if label and not state.in_negative and POSITIVE_LINE.search(body) and not NON_STEP_BLOCK_STRONG.search(label):
        return [label]
    return []


def hotlines(body: str) -> list[str]:
    """Service numbers a line asks the reader to call."""
    return HOTLINE.findall(body) if HOTLINE_CONTEXT.search(body) else []


# ---------------------------------------------------------------------------------------------
# Orchestration
# ---------------------------------------------------------------------------------------------


def _steps(line: str, label: str | None, body: str, state: _State, block: str | None) -> list[Record]:
    if not is_step(line, label, body, state):
        return []
    # "登录平台:…", "选择服务:…": labels naming actions are successive steps of the enclosing block;
    # a label naming a platform ("支付宝:…") is a procedure of its own.
    counted = block if label is None or find_channel(label) else state.block
    state.step_counts[counted] += 1
    channel = Channel.PHONE.value if HOTLINE_CALL.search(body) else step_channel(label, body, state)
    state.last_step_channel = channel or state.last_step_channel
    return [
        Record(
            type=RecordType.STEP, text=line, section_index=state.section_index, block=block,
            ordinal=state.step_counts[counted], channel=channel, menu_path=menu_path(body), actor=step_actor(body),
        )
    ]


def _materials(line: str, label: str | None, body: str, state: _State, block: str | None) -> list[Record]:
    qualifiers = line_qualifiers(body)
    # A document listed again in the same section (another case, another line) is the same requirement.
    documents = [(item, optional) for item, optional in material_documents(label, body, state) if item not in state.documents_seen]
    state.documents_seen.update(item for item, _ in documents)
    return [
        Record(
            type=RecordType.MATERIAL, text=line, section_index=state.section_index, block=block,
            item=item, qualifiers=qualifiers, optional=optional,
        )
        for item, optional in documents
    ]


def _timeframes(line: str, label: str | None, body: str, state: _State, block: str | None) -> list[Record]:
    measured = applies_to(label, body, state.block)
    return [
        Record(
            type=RecordType.TIMEFRAME, text=line, section_index=state.section_index, block=block,
            value_min=d.value_min, value_max=d.value_max, unit=d.unit, bound=d.bound, applies_to=measured,
            status=duration_status(body, d, state.place_names),
        )
        for d in find_durations(body)
    ]


def _exclusions(line: str, label: str | None, body: str, state: _State, block: str | None) -> list[Record]:
    items, category = exclusion_items(label, body, state)
    return [
        Record(type=RecordType.EXCLUSION, text=line, section_index=state.section_index, block=block,
               item=item, category=category)
        for item in items
    ]


def _coverage(line: str, label: str | None, body: str, state: _State, block: str | None) -> list[Record]:
    return [
        Record(type=RecordType.COVERAGE, text=line, section_index=state.section_index, block=block, item=item)
        for item in coverage_items(label, body, state)
    ]


def _contacts(line: str, label: str | None, body: str, state: _State, block: str | None) -> list[Record]:
    return [
        Record(type=RecordType.CONTACT, text=line, section_index=state.section_index, block=block, item=number)
        for number in hotlines(body)
    ]


# The extractors asked about every item line, in output order.
_EXTRACTORS = (_steps, _materials, _timeframes, _exclusions, _coverage, _contacts)


def line_records(line: str, state: _State) -> list[Record]:
    """All records of one item line; a "label:text" line's block is its own label."""
    label, body = split_label(nfkc(line))
    if label and ENUMERATED_LABEL.match(label):
        label = None  # "方式一:…" numbers the line, it names nothing
    block = label or state.block
    return [record for extract in _EXTRACTORS for record in extract(line, label, body, state, block)]


def _is_list_item(line: str, state: _State) -> bool:
    """A short colon-less line under a "not covered …包括:" header ("膳食费") or naming a document in a
    material block ("1.身份证原件") is an item, not a label."""
    if SUBHEADING_COLON_END.search(line):
        return False
    if state.block and MATERIAL_BLOCK.search(state.block) and parse_documents(strip_numbering(line)):
        return True
    # "1.身份证原件" under a channel block ("医保经办机构:"): a line naming documents only is an item anywhere.
    if _names_documents_only(strip_numbering(line)):
        return True
    if not (state.in_negative and state.list_header) or NOTE_LABEL.search(block_name(line)):
        return False
    # "1、美容项目" is an item; "2.基本医疗服务设施报销" opens the next topic.
    return not (is_numbered(line) and NUMBERED_TOPIC.search(line))


@lru_cache(maxsize=_CACHE_SIZE)
def is_negative_question(line: str) -> bool:
    """"哪些费用医保不报销?": a short question line inside a section that asks what is not covered."""
    core = strip_numbering(line)
    return bool(HEADING_QUESTION_END.search(core)) and len(core) <= NUMBERED_LABEL_MAX_CHARS and bool(NEGATIVE_BLOCK.search(core))


def is_unpunctuated_label(line: str, next_line: str | None) -> bool:
    """"下载并登录医保服务平台APP" above "通过手机应用商店下载…,注册并登录。": an action named as a label, then spelled out."""
    core = strip_numbering(line)
    if next_line is None or not core or len(core) > UNPUNCTUATED_LABEL_MAX_CHARS or UNPUNCTUATED_LABEL_FORBIDDEN.search(core):
        return False
    following = strip_numbering(nfkc(next_line))
    return bool(CLAUSE_SPLIT.search(following)) and len(following) >= len(core) + UNPUNCTUATED_LABEL_NEXT_EXTRA_CHARS


def section_records(section: Section, place_names: Sequence[str] = ()) -> list[Record]:
    """Typed records of one section, in line order (pure: the section is not modified); `place_names` are
    the page's own place spellings, so durations about other places are marked as such."""
    state = _initial_state(section, place_names)
    records: list[Record] = []
    for position, original in enumerate(section.lines):
        line = nfkc(original)
        kind = classify_line(line)
        following = section.lines[position + 1] if position + 1 < len(section.lines) else None
        if kind is LineKind.ITEM and not HOTLINE.search(line) and is_unpunctuated_label(line, following):
            kind = LineKind.SUBHEADING
        if kind is LineKind.FILLER:
            continue
        if kind is LineKind.SUBHEADING and not _is_list_item(line, state):
            # "…费用医保不予支付,按以下情况计算:": the statement before the lead is a line of its own.
            if statement := statement_and_lead(block_name(line))[0]:
                found = _exclusions(original, None, statement, state, state.block)
                # "…美容修复类项目不能报。具体如下:": a class word sums up the list that follows.
                records.extend(r for r in found if not SUMMARY_CATEGORY_ITEM.search(r.item or ""))
            _enter_block(state, line)
            # "办理时间一般为15个工作日:": a sub-heading that states a duration still states it.
            records.extend(_timeframes(original, None, block_name(line), state, state.block))
            continue
        if is_negative_question(line):
            _enter_block(state, line)  # "哪些费用不能报销?": a sub-question opening a "not covered" list
            continue
        label, body = split_label(line)
        if label and ENUMERATED_LABEL.match(label) and is_short_label(body):
            _enter_block(state, body)  # "方式一:线上办理" is a sub-heading
            continue
        records.extend(line_records(original, state))
        if MATERIAL_ANNOUNCE.search(line):
            state.material_group = True  # "携带以下材料到…申请。": the documents follow on the next lines
    return records
