"""Line shapes and lists: classify a section's lines (filler / sub-heading / item), split labels, clauses and lists, name channels; the walk's per-section state."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from normalize.extract import nfkc
from normalize.patterns import (
    ATTRIBUTE_MODIFIER,
    CATCH_ALL_ITEM,
    CAUSE_LEAD,
    CHANNEL_PATTERNS,
    CLAUSE_SPLIT,
    CONJOINED_ITEM_HEAD,
    CONTENT_MODIFIER_LEAD,
    DURATION,
    EXAMPLE_LEAD,
    EXCEPTION_ASIDE,
    EXCLUSION_DETERMINER,
    EXCLUSION_HEADED_ITEM_MAX_CHARS,
    EXCLUSION_ITEM_MAX_CHARS,
    EXCLUSION_LINE_MAX_CHARS,
    FILLER_LINE,
    GENERIC_HEAD_MAX_CHARS,
    HOTLINE,
    IMMEDIATE,
    ITEM_ACT_PHRASE,
    ITEM_CHOICE_LEAD,
    ITEM_HEAD_NOUN,
    ITEM_LEAD_VERB,
    ITEM_NUMBER_PREFIX,
    ITEM_OWN_MODIFIER_LEAD,
    ITEM_TRAILING_DE,
    KEPT_PARENTHESIS_MAX_CHARS,
    LABEL_TEXT,
    LIST_ALSO,
    LIST_CATEGORY_MODIFIER,
    LIST_CATEGORY_TAIL,
    LIST_CONJUNCTION,
    LIST_GROUP_SPLIT,
    LIST_LEAD,
    LIST_LEADING_CONJUNCTION,
    LIST_SEPARATOR,
    LIST_SHARED_HEAD,
    LIST_TAIL,
    LOCATIVE_POSSESSOR_END,
    MODIFIER_CLAUSE_END,
    MODIFIER_CLAUSE_START,
    MODIFIER_LIST_LEAD,
    MODIFIER_LIST_TAIL,
    NEGATED_CONDITION_HEAD,
    NEGATED_EVENT_HEAD,
    NEGATED_GENERIC_NOUN,
    NUMBERED_LABEL_MAX_CHARS,
    PARENTHESIS,
    POSSESSOR_MAX_CHARS,
    SCENE_TIME_MODIFIER,
    SCOPE_OUTSIDE_HEAD,
    SHARED_EVENT_MODIFIER,
    SHARED_MODIFIER_PIECE_MAX_CHARS,
    SHORT_LABEL_FORBIDDEN,
    SHORT_LABEL_MAX_CHARS,
    STEP_START,
    SUBHEADING_COLON_END,
    SUBHEADING_GLITCH_PREFIX,
    TRAILING_PUNCT,
    UNPUNCTUATED_LABEL_FORBIDDEN,
    UNPUNCTUATED_LABEL_MAX_CHARS,
    UNPUNCTUATED_LABEL_NEXT_EXTRA_CHARS,
    WRAPPED_ITEM_LEAD,
    WRAPPED_ITEM_MAX_PIECES,
)
from normalize.rules import Rule, always, first_match

# Block names, labels and template lines recur line after line and article after article: the pure
# string functions of this module are cached.
CACHE_SIZE = 8192


class LineKind(Enum):
    """What a line inside a section is."""

    FILLER = "filler"  # announces a list, carries nothing
    SUBHEADING = "subheading"  # opens a block
    ITEM = "item"  # carries facts


@lru_cache(maxsize=CACHE_SIZE)
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


# What a line is by its shape alone, first match wins (the line is width-folded first).
LINE_KIND_RULES: tuple[Rule[str, LineKind], ...] = (
    # "有以下这些方式", "具体如下": announces a list, carries nothing.
    Rule("filler", is_filler, LineKind.FILLER),
    # "准备材料:", "支付宝:" alone on its line.
    Rule("colon-subheading", lambda line: bool(SUBHEADING_COLON_END.search(line.strip())), LineKind.SUBHEADING),
    # "等待期", "注意事项": a short colon-less label stating nothing.
    Rule("short-label", is_short_label, LineKind.SUBHEADING),
    Rule("item", always, LineKind.ITEM),
)


def line_kind_rule(line: str) -> Rule[str, LineKind]:
    """The LINE_KIND_RULES row that classifies the line."""
    return first_match(LINE_KIND_RULES, nfkc(line))


def classify_line(line: str) -> LineKind:
    """Classify one line by its shape alone (see LINE_KIND_RULES)."""
    return line_kind_rule(line).decision


@lru_cache(maxsize=CACHE_SIZE)
def split_label(line: str) -> tuple[str | None, str]:
    """"支付宝:进入…" → ("支付宝", "进入…"); a line without a short label → (None, line)."""
    core = strip_numbering(nfkc(line))
    match = LABEL_TEXT.match(core)
    if not match:
        return None, core
    return match.group("label").strip(), match.group("text").strip()


@dataclass(slots=True)
class SectionState:
    """What the walk over a section knows about the current block."""

    section_index: int
    procedural_section: bool  # the heading asks for a procedure
    heading_channel: str | None
    block: str | None = None  # current sub-heading name
    group_channel: str | None = None  # last channel a sub-heading named (线上 / 线下 / 支付宝 ...)
    in_negative: bool = False  # inside a "not covered" list
    untitled: bool = False  # the lines before the first heading (the intro and its hook)
    list_header: bool = False  # the current block is a "…包括:" lead, so short lines are items
    negative_category: str | None = None
    material_group: bool = False  # under a material lead or a "携带以下材料" line: neutral sub-labels list documents
    last_step_channel: str | None = None  # channel of the previous step in this block
    step_counts: Counter[str | None] = field(default_factory=Counter)
    place_names: tuple[str, ...] = ()  # the page's own place spellings (another place's figures are not its facts)
    documents_seen: set[str] = field(default_factory=set)  # a document is one fact per section
    exclusions_seen: set[str] = field(default_factory=set)  # so is an excluded item (named in a lead and a list)
    # so is a duration: (min, max, unit, status, applies_to) stated again ("当场办理…", "一般当场办结")
    durations_seen: set[tuple[object, ...]] = field(default_factory=set)


@lru_cache(maxsize=CACHE_SIZE)
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
        # "用中药材和中药饮片泡制的各类酒制剂": the 和 sits inside a modifier, not between items ...
        parts = split_top_level(piece, LIST_CONJUNCTION)
        # ... unless every part ends in an item's head noun ("在境外就医的费用和体检费用")
        # (the first closed by its own generic head, "…的费用"; "…使用的进口材料或特殊耗材" shares its modifier)
        closed = "的" in parts[0] and bool(NEGATED_GENERIC_NOUN.match(parts[0].rpartition("的")[2]))
        headed = len(parts) > 1 and all(CONJOINED_ITEM_HEAD.search(part) for part in parts)
        conjoined = headed and closed
        # "超标准的医用耗材和医保目录外的诊疗项目": each part has its own 的-modifier and head noun; "交通费和超出限价标准的
        # 一次性医用材料": a bare cost, then a 的-phrase of its own
        conjoined = conjoined or (len(parts) > 1 and all("的" in part and ITEM_HEAD_NOUN.search(part) for part in parts))
        conjoined = conjoined or (len(parts) == 2 and "的" not in parts[0] and bool(ITEM_HEAD_NOUN.search(parts[0]))
                                  and not MODIFIER_CLAUSE_START.search(parts[0])  # ("超出…项目和…时长的护理费用")
                                  and "的" in parts[1] and bool(ITEM_HEAD_NOUN.search(parts[1])))
        if headed and (shared := drop_shared_event_modifier(parts)):
            out.extend(shared)  # "住院期间使用的自费药品和医保目录外的一次性耗材"
            continue
        # "全瓷冠以及活动义齿的材料费用": 以及 joins items, the 的 after it is the last one's own
        head, also, last = piece.partition("以及")
        if also and "的" not in head and not conjoined:
            out.extend([head, last])
            continue
        out.extend(parts if "的" not in piece or conjoined else [piece])
    return out


def _item_limit(item: str) -> int:
    """How long a list item may be: a 的-phrase ending in an item's head noun ("…就医的费用") a little longer."""
    headed = "的" in item and ITEM_HEAD_NOUN.search(item)
    return EXCLUSION_HEADED_ITEM_MAX_CHARS if headed else EXCLUSION_ITEM_MAX_CHARS


def drop_shared_event_modifier(pieces: list[str]) -> list[str]:
    """"入住护理机构产生的" + "床位费", "伙食费" → 床位费, 伙食费: an event modifier on the first of several things
    sets the scene for all of them; [] when the first piece has no such modifier or its head is generic (…的自付费用)."""
    modifier, _, head = pieces[0].rpartition("的")
    generic = LIST_SHARED_HEAD.search(head) and len(head) <= GENERIC_HEAD_MAX_CHARS  # "自付费用", not "营养品费用"
    if len(pieces) < 2 or not SHARED_EVENT_MODIFIER.search(modifier) or not head or generic:
        return []
    return [head, *pieces[1:]]


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


def _modifier_wraps_list(text: str) -> bool:
    """"因打架斗殴、酗酒造成伤害的医疗费用", "进口材料、特殊耗材的费用": a lead, a tail or a generic head shows the 的-modifier
    wraps the whole list; "目录外药品、…、基本医保起付线以下的个人负担部分" shows nothing, the 的 is the last piece's own."""
    head, _, noun = text.rpartition("的")
    last_owner = split_top_level(head.split("、")[-1], LIST_CONJUNCTION)[-1].strip() if head else ""
    if ITEM_ACT_PHRASE.match(last_owner):
        return False  # "挂号费、普通体检费和出具诊断证明的费用": the cost of an act, the last item's own 的
    marked = MODIFIER_LIST_LEAD.match(head) or MODIFIER_LIST_TAIL.search(head) or NEGATED_GENERIC_NOUN.match(noun)
    return bool(marked or NEGATED_EVENT_HEAD.search(head) or CONTENT_MODIFIER_LEAD.match(text))


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


def list_items(text: str) -> list[str]:
    """Items of a noun list without lead verbs ("因…", "购买…") or catch-alls ("其他…费用"); the parts of a list joined
    by 以及 are read one by one."""
    text = ITEM_CHOICE_LEAD.sub("", LIST_LEADING_CONJUNCTION.sub("", EXCEPTION_ASIDE.sub("", text.strip())))
    groups = [group for group in LIST_GROUP_SPLIT.split(TRAILING_PUNCT.sub("", text.strip())) if group.strip()]
    if len(groups) > 1:
        return [item for group in groups for item in list_items(group)]
    parts = also_parts(text)
    if len(parts) > 1:
        return [item for part in parts for item in list_items(part)]
    pieces = split_top_level(text, LIST_SEPARATOR)
    merged = _merge_wrapped_pieces(pieces)
    if 1 < len(merged) < len(pieces):
        return [item for piece in merged for item in _one_list_items(piece)]
    return _one_list_items(text)


def _merge_wrapped_pieces(pieces: list[str]) -> list[str]:
    """"…、因车祸、医疗事故等应当由他人负担的医疗费用、…": a piece opening with a cause and no 的 runs on to the next
    piece with a 的; that run is one item."""
    merged: list[str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        end = next((j for j in range(index + 1, min(len(pieces), index + WRAPPED_ITEM_MAX_PIECES)) if "的" in pieces[j]), None)
        if WRAPPED_ITEM_LEAD.match(piece.strip()) and "的" not in piece and end is not None:
            merged.append("、".join(pieces[index : end + 1]))
            index = end + 1
            continue
        merged.append(piece)
        index += 1
    return merged


def also_parts(text: str) -> list[str]:
    """"保健品、滋补品以及主要起…作用的中药饮片" → the parts around a top-level 以及; one part when 以及 sits inside a
    modifier wrapped around the list ("因自杀、自残以及打架斗殴所致的医疗费用")."""
    if LIST_ALSO not in text or MODIFIER_LIST_LEAD.match(ITEM_LEAD_VERB.sub("", text.strip(), count=1)):
        return [text]
    parts = [part for part in text.split(LIST_ALSO) if part.strip()]
    last_modifier = parts[-1].rpartition("的")[0] if parts else ""
    own_lead = bool(parts) and ITEM_OWN_MODIFIER_LEAD.match(parts[-1].strip())  # "…以及主要起…作用的饮片": its own
    wrapped = MODIFIER_LIST_TAIL.search(last_modifier) or NEGATED_EVENT_HEAD.search(last_modifier)
    # ("…为目的的服务费用,以及上门服务产生的交通费": a whole item before 以及, so it joins items)
    first = parts[0].strip() if parts else ""
    whole_before = first.endswith((",", ",")) or ("的" in first and bool(ITEM_HEAD_NOUN.search(first)))
    if len(parts) < 2 or (wrapped and not own_lead and not whole_before):
        return [text]
    last = parts[-1] if "的" in parts[-1] else _cut_category_tail(parts[-1])  # ("…以及购买日用品等非医疗支出")
    return [*parts[:-1], last]


def _one_list_items(text: str) -> list[str]:
    # "支付应由工伤保险、生育保险负担的费用": a verb before a modifier wrapped around the list is not part of it.
    if MODIFIER_LIST_LEAD.match(unled := ITEM_LEAD_VERB.sub("", text.strip(), count=1)):
        text = unled
    # A whole phrase with a list inside its modifier keeps its lead ("因斗殴、醉驾…受伤产生的医疗费用").
    # ("用于养生调理的膏方": the verb is inside a 的-modifier, part of the name too)
    items = (ITEM_TRAILING_DE.sub("", item if "、" in item or "的" in item else ITEM_LEAD_VERB.sub("", item)) for item in _list_items(text))
    return [item for item in items if not CATCH_ALL_ITEM.match(item)]


def _list_items(text: str) -> list[str]:
    """Items of a noun list; one item for a short phrase; nothing for a sentence."""
    examples = bool(EXAMPLE_LEAD.match(text.strip()))
    unled = LIST_LEAD.sub("", TRAILING_PUNCT.sub("", text.strip()))
    raw_pieces = split_top_level(unled, LIST_SEPARATOR)
    raw_modifier, _, raw_head = unled.rpartition("的")
    if _modifier_spans_list(raw_pieces) and len(unled) <= EXCLUSION_LINE_MAX_CHARS and (
        MODIFIER_CLAUSE_START.search(raw_modifier)  # "超出限定次数、限定天数的部分": one clause, one item
        # "单人间、套间等特需病房超出…的差价": 等 and the category are part of it ("…等美容性质的项目": the items)
        or (LIST_CATEGORY_MODIFIER.search(raw_pieces[-1]) and not NEGATED_GENERIC_NOUN.match(raw_head))
    ):
        return [TRAILING_PUNCT.sub("", unled).strip()]
    text = LIST_TAIL.sub("", unled)
    pieces = [piece for piece in split_top_level(text, LIST_SEPARATOR) if piece.strip()]
    if not pieces:
        return []  # "等", "、": nothing named
    spans = _modifier_spans_list(pieces)  # only the last piece has a 的: its modifier may hold the list
    owner, _, head = text.rpartition("的")
    if spans and ATTRIBUTE_MODIFIER.match(owner.split("、")[-1]) and not any(ATTRIBUTE_MODIFIER.match(p) for p in pieces[:-1]):
        pieces[-1] = _cut_category_tail(pieces[-1])
        spans = False  # "美容整形、非治疗性质的体检": the 的 is the last piece's own ("科研性、临床验证性的…": the list's)
    if (
        not examples
        and spans
        and not NEGATED_GENERIC_NOUN.match(head)
        and not LIST_CONJUNCTION.search(pieces[-1].rpartition("的")[0])
        and len(owner.split("、")[-1]) <= POSSESSOR_MAX_CHARS
        and not LOCATIVE_POSSESSOR_END.search(owner)
        and len(text) <= EXCLUSION_LINE_MAX_CHARS
    ):
        # "健身房、游泳馆的会员费": the things listed own a thing of its own name; the whole phrase is the item.
        return [clean_item(text)]
    if examples and spans and not NEGATED_GENERIC_NOUN.match(head):
        # "如一次性冰袋、医用护肤霜、可重复使用的护具等": examples are things; the last one keeps its 的-phrase.
        owned = [EXCLUSION_DETERMINER.sub("", clean_item(p)) for p in pieces]
        if all(0 < len(item) <= EXCLUSION_ITEM_MAX_CHARS for item in owned):
            return owned
    # "以保健、养生为目的的推拿按摩", "因斗殴、醉驾等违法行为受伤产生的医疗费用": a list inside a 的-modifier is
    # one item, the whole printed phrase (the labelling convention); a sentence-long one falls through.
    # ("挂号费、院外购药费用、住院期间的陪护费…": items before it are whole things of their own, the 的 is the last one's)
    items_before = all(ITEM_HEAD_NOUN.search(piece.strip()) for piece in pieces[:-1])
    if spans and not items_before and MODIFIER_CLAUSE_END.search(owner) and len(whole := clean_item(text)) <= EXCLUSION_LINE_MAX_CHARS:
        return [whole]
    # "因交通事故、工伤等应由第三方承担的医疗费用": 等 closes the list before the modifier.
    if _modifier_spans_list(pieces) and "的" not in (head := pieces[-1].partition("等")[0]) and head != pieces[-1]:
        pieces[-1] = head + "等"
    if _modifier_spans_list(pieces) and _modifier_wraps_list(text):
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
        return [whole] if len(whole) <= EXCLUSION_LINE_MAX_CHARS and not CLAUSE_SPLIT.search(whole) else []
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
    # ("在非定点医疗机构发生的生育医疗费用、超出规定标准的产检项目": items with modifiers of their own keep theirs; a bare
    # time, "住院期间的伙食费、交通费和超出限价标准的…材料", sets the scene whatever follows)
    bare_time = SCENE_TIME_MODIFIER.search(pieces[0].rpartition("的")[0])
    if bare_time or not any("的" in piece for piece in pieces[1:]):
        pieces = drop_shared_event_modifier(pieces) or pieces
    if len(pieces) > 1:
        pieces[-1] = _cut_category_tail(pieces[-1])
    # Each item keeps its 的-phrase ("超出限定支付天数的部分"): the printed name, not its head.
    items = [item for item in (EXCLUSION_DETERMINER.sub("", clean_item(p)) for p in split_list("、".join(pieces))) if item]
    if items and all(len(item) <= _item_limit(item) for item in items):
        return items
    whole = clean_item(text)
    # (a line of clauses, "…属于违规行为,情节严重的…", is a sentence, not a name)
    if len(split_top_level(text, LIST_SEPARATOR)) == 1 and 0 < len(whole) <= EXCLUSION_LINE_MAX_CHARS and not CLAUSE_SPLIT.search(whole):
        return [whole]
    return []


def split_clauses(body: str) -> list[str]:
    return [clause.strip() for clause in CLAUSE_SPLIT.split(body) if clause.strip()]


def is_unpunctuated_label(line: str, next_line: str | None) -> bool:
    """"下载并登录医保服务平台APP" above "通过手机应用商店下载…,注册并登录。": an action named as a label, then spelled out."""
    core = strip_numbering(line)
    if next_line is None or not core or len(core) > UNPUNCTUATED_LABEL_MAX_CHARS or UNPUNCTUATED_LABEL_FORBIDDEN.search(core):
        return False
    following = strip_numbering(nfkc(next_line))
    return bool(CLAUSE_SPLIT.search(following)) and len(following) >= len(core) + UNPUNCTUATED_LABEL_NEXT_EXTRA_CHARS
