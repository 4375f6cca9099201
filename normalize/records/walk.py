"""The walk over a section: turn its lines into typed records, asking the type modules for each line.

It walks the lines in order, classifies each (`lines`), keeps the current block and its channel /
exclusion context, and asks the type modules (`steps`, `materials`, `timeframes`, `exclusions`) for
records. Every regex and word table lives in normalize.patterns; these modules only hold logic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from normalize.patterns import (
    BOTH_WAYS_QUESTION,
    BULLET_START,
    CHANNEL_GROUP_BLOCK,
    ENUMERATED_LABEL,
    GROUP_CHANNEL_RESET,
    HEADING_QUESTION_END,
    HOTLINE,
    HOTLINE_CALL,
    ITEM_COST_PHRASE,
    LIST_HEADER_END,
    MATERIAL_ANNOUNCE,
    MATERIAL_BLOCK,
    MATERIAL_GROUP_RESET,
    MATERIAL_HEADING,
    NEGATIVE_BLOCK,
    NEGATIVE_GROUP_RESET,
    NEGATIVE_WHICH_QUESTION,
    NOTE_LABEL,
    NUMBERED_LABEL_MAX_CHARS,
    NUMBERED_TOPIC,
    POSITIVE_BLOCK,
    PROCEDURE_HEADING,
    SUBHEADING_COLON_END,
    SUMMARY_CATEGORY_ITEM,
)
from normalize.records.documents import (
    line_qualifiers,
    names_documents_only,
    parse_documents,
)
from normalize.records.exclusions import (
    coverage_items,
    exclusion_items,
    exclusion_rule,
    header_category,
    hotlines,
    statement_and_lead,
)
from normalize.records.lines import (
    CACHE_SIZE,
    LineKind,
    SectionState,
    block_name,
    classify_line,
    find_channel,
    is_numbered,
    is_short_label,
    is_unpunctuated_label,
    line_kind_rule,
    nfkc,
    split_label,
    strip_numbering,
)
from normalize.records.materials import (
    material_documents,
    material_rule,
)
from normalize.records.steps import (
    is_step,
    menu_path,
    step_actor,
    step_channel,
    step_rule,
)
from normalize.records.timeframes import (
    applies_to,
    duration_status,
    find_durations,
    status_rule,
)
from schema.records import Record, Section
from schema.vocabulary import Channel, RecordType


def _enter_block(state: SectionState, line: str) -> None:
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


def _initial_state(section: Section, place_names: Sequence[str] = ()) -> SectionState:
    # "大同长护险这些费用不予支付", "生育保险哪些费用不给报?" as the section heading: its list may follow with no lead
    # line of its own (another question, "断缴了还能报销吗?", answers in sentences).
    heading = section.heading or ""
    asks_which = NEGATIVE_WHICH_QUESTION.search(heading) or not HEADING_QUESTION_END.search(heading)
    # ("…能报销哪些费用?哪些不能报?" asks both: its lines say which is which)
    negative = bool(heading and NEGATIVE_BLOCK.search(heading) and asks_which and not POSITIVE_BLOCK.search(heading)
                    and not BOTH_WAYS_QUESTION.search(heading))
    return SectionState(
        in_negative=negative,
        list_header=negative,
        negative_category=header_category(section.heading or "") if negative else None,
        section_index=section.index,
        place_names=tuple(place_names),
        procedural_section=bool(PROCEDURE_HEADING.search(section.heading or "")),
        heading_channel=find_channel(section.heading),
        untitled=section.heading is None,
        material_group=bool(MATERIAL_HEADING.search(section.heading or "")),
    )


def _steps(line: str, label: str | None, body: str, state: SectionState, block: str | None) -> list[Record]:
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


def _materials(line: str, label: str | None, body: str, state: SectionState, block: str | None) -> list[Record]:
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


def _timeframes(line: str, label: str | None, body: str, state: SectionState, block: str | None) -> list[Record]:
    measured = applies_to(label, body, state.block)
    records = []
    for d in find_durations(body):
        status = duration_status(body, d, state.place_names)
        key = (d.value_min, d.value_max, d.unit, status, measured)
        if key in state.durations_seen:
            continue
        state.durations_seen.add(key)
        records.append(Record(
            type=RecordType.TIMEFRAME, text=line, section_index=state.section_index, block=block,
            value_min=d.value_min, value_max=d.value_max, unit=d.unit, bound=d.bound, applies_to=measured,
            status=status,
        ))
    return records


def _exclusions(line: str, label: str | None, body: str, state: SectionState, block: str | None) -> list[Record]:
    items, category = exclusion_items(label, body, state)
    items = [item for item in dict.fromkeys(items) if item not in state.exclusions_seen]
    state.exclusions_seen.update(items)
    return [
        Record(type=RecordType.EXCLUSION, text=line, section_index=state.section_index, block=block,
               item=item, category=category)
        for item in items
    ]


def _coverage(line: str, label: str | None, body: str, state: SectionState, block: str | None) -> list[Record]:
    return [
        Record(type=RecordType.COVERAGE, text=line, section_index=state.section_index, block=block, item=item)
        for item in coverage_items(label, body, state)
    ]


def _contacts(line: str, label: str | None, body: str, state: SectionState, block: str | None) -> list[Record]:
    return [
        Record(type=RecordType.CONTACT, text=line, section_index=state.section_index, block=block, item=number)
        for number in hotlines(body)
    ]


# The extractors asked about every item line, in output order.
_EXTRACTORS = (_steps, _materials, _timeframes, _exclusions, _coverage, _contacts)


def line_records(line: str, state: SectionState) -> list[Record]:
    """All records of one item line; a "label:text" line's block is its own label."""
    label, body = split_label(nfkc(line))
    if label and ENUMERATED_LABEL.match(label):
        label = None  # "方式一:…" numbers the line, it names nothing
    block = label or state.block
    return [record for extract in _EXTRACTORS for record in extract(line, label, body, state, block)]


def _is_list_item(line: str, state: SectionState) -> bool:
    """A short colon-less line under a "not covered …包括:" header ("膳食费") or naming a document in a
    material block ("1.身份证原件") is an item, not a label."""
    if SUBHEADING_COLON_END.search(line):
        return False
    if state.block and MATERIAL_BLOCK.search(state.block) and parse_documents(strip_numbering(line)):
        return True
    # "1.身份证原件" under a channel block ("医保经办机构:"): a line naming documents only is an item anywhere.
    if names_documents_only(strip_numbering(line)):
        return True
    if not (state.in_negative and state.list_header) or NOTE_LABEL.search(block_name(line)):
        return False
    # "1、美容项目" is an item; "2.基本医疗服务设施报销" opens the next topic.
    topic = is_numbered(line) and not BULLET_START.match(line) and NUMBERED_TOPIC.search(line)
    return not (topic and not ITEM_COST_PHRASE.search(line))


@lru_cache(maxsize=CACHE_SIZE)
def is_negative_question(line: str) -> bool:
    """"哪些费用医保不报销?": a short question line inside a section that asks what is not covered."""
    core = strip_numbering(line)
    return bool(HEADING_QUESTION_END.search(core)) and len(core) <= NUMBERED_LABEL_MAX_CHARS and bool(NEGATIVE_BLOCK.search(core))


@dataclass(slots=True)
class LineTrace:
    """How one line was typed: its role in the section and, for an item line, the rule of each table."""

    line: str
    role: str  # the LINE_KIND_RULES row, or the walk's override ("unpunctuated-label", "list-item", ...)
    block: str | None  # the sub-heading it sits under
    rules: dict[str, str] = field(default_factory=dict)  # table → rule name
    records: list[Record] = field(default_factory=list)


def _item_rules(line: str, state: SectionState) -> dict[str, str]:
    """The rule of every table that decided something about an item line (for `explain`)."""
    label, body = split_label(nfkc(line))
    if label and ENUMERATED_LABEL.match(label):
        label = None
    rules = {
        "step": step_rule(line, label, body, state).name,
        "material": material_rule(label, body, state).name,
        "exclusion": exclusion_rule(label, body, state).name,
    }
    statuses = [status_rule(body, d, state.place_names).name for d in find_durations(body)]
    if statuses:
        rules["timeframe status"] = ", ".join(statuses)
    return rules


def section_records(section: Section, place_names: Sequence[str] = (), trace: list[LineTrace] | None = None) -> list[Record]:
    """Typed records of one section, in line order (pure: the section is not modified); `place_names` are
    the page's own place spellings, so durations about other places are marked as such. With `trace`, one
    LineTrace per line is appended to it (which rule typed the line)."""
    state = _initial_state(section, place_names)
    records: list[Record] = []
    for position, original in enumerate(section.lines):
        line = nfkc(original)
        role = line_kind_rule(line).name
        kind = classify_line(line)
        following = section.lines[position + 1] if position + 1 < len(section.lines) else None
        if kind is LineKind.ITEM and not HOTLINE.search(line) and is_unpunctuated_label(line, following):
            kind, role = LineKind.SUBHEADING, "unpunctuated-label"
        found: list[Record] = []
        rules: dict[str, str] = {}
        if kind is LineKind.FILLER:
            pass
        elif kind is LineKind.SUBHEADING and not _is_list_item(line, state):
            # "…费用医保不予支付,按以下情况计算:": the statement before the lead is a line of its own.
            if statement := statement_and_lead(block_name(line))[0]:
                # "…美容修复类项目不能报。具体如下:": a class word sums up the list that follows.
                found.extend(r for r in _exclusions(original, None, statement, state, state.block)
                             if not SUMMARY_CATEGORY_ITEM.search(r.item or ""))
            _enter_block(state, line)
            # "办理时间一般为15个工作日:": a sub-heading that states a duration still states it.
            found.extend(_timeframes(original, None, block_name(line), state, state.block))
        elif is_negative_question(line):
            role = "negative-question"
            _enter_block(state, line)  # "哪些费用不能报销?": a sub-question opening a "not covered" list
        elif (split := split_label(line))[0] and ENUMERATED_LABEL.match(split[0] or "") and is_short_label(split[1]):
            role = "enumerated-subheading"
            _enter_block(state, split[1])  # "方式一:线上办理" is a sub-heading
        else:
            role = "list-item" if kind is LineKind.SUBHEADING else role
            if trace is not None:
                rules = _item_rules(original, state)
            found = line_records(original, state)
            if MATERIAL_ANNOUNCE.search(line):
                state.material_group = True  # "携带以下材料到…申请。": the documents follow on the next lines
        records.extend(found)
        if trace is not None:
            trace.append(LineTrace(original, role, state.block, rules, found))
    return records
