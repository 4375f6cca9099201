"""Exclusions, coverage and contacts: what a line says is not covered (negations, their subjects, lists), what is covered, which numbers to call."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from normalize.patterns import (
    ABOVE_CAP_SUBJECT,
    CLAUSE_SPLIT,
    COVERAGE_LIST,
    EXCEPTION_CLAUSE,
    EXCLUSION_CATEGORIES,
    EXCLUSION_DETERMINER,
    EXCLUSION_GENERIC_CATEGORIES,
    EXCLUSION_NOT_ITEM,
    HEDGED_COVERED,
    HOTLINE,
    HOTLINE_CONTEXT,
    INTRO_HOOK_LINE,
    ITEM_PREDICATE,
    LINE_NEGATION,
    LIST_CONDITION_LINE,
    LIST_LEAD,
    MODIFIER_HOLDS_LIST,
    NEGATED_GENERIC_NOUN,
    NEGATION_HEDGE,
    NEGATIVE_BLOCK,
    NEGATIVE_HEADER_NOUN,
    NON_STEP_BLOCK_STRONG,
    NOT_EXCLUDED_SUBJECT,
    OTHER_PAYER_LIABILITY,
    OTHER_PAYER_ROUTE,
    PARENTHESIS,
    PAYER_SUBJECT,
    POSITIVE_LINE,
    SELF_PAY_DENIAL_SCOPE,
    SENTENCE_SPLIT,
    SETTLEMENT_MODE_NEGATION,
    SUBJECT_ADVERB_TAIL,
    SUBJECT_CLASSIFICATION,
    SUBJECT_CONCESSION,
    SUBJECT_CONDITION,
    SUBJECT_CONNECTIVE,
    SUBJECT_CONTINUATION,
    SUBJECT_COPULA_TAIL,
    SUBJECT_LEADING_CONNECTIVE,
    SUBJECT_PAYER_TAIL,
    SUBJECT_POINTS_AHEAD,
    SUBJECT_REFERENT,
    SUBJECT_TIME_CLAUSE,
    THIRD_PARTY_LIABILITY,
    TRAILING_PUNCT,
    USE_NEGATION,
)
from normalize.records.lines import (
    CACHE_SIZE,
    SectionState,
    also_parts,
    list_items,
    split_clauses,
)
from normalize.records.timeframes import (
    find_durations,
)
from normalize.region import is_place_name
from normalize.rules import Rule, always, first_match


def header_category(name: str) -> str | None:
    """The category a negative header is about ("不纳入…范围的药品包括" → "药品")."""
    match = NEGATIVE_HEADER_NOUN.search(name)
    if not match:
        known = EXCLUSION_CATEGORIES + EXCLUSION_GENERIC_CATEGORIES
        return next((category for category in known if category in name), None)
    noun = match.group("noun")
    return next((category for category in EXCLUSION_CATEGORIES if category in noun), noun)


@lru_cache(maxsize=CACHE_SIZE)
def statement_and_lead(name: str) -> tuple[str, str]:
    """"等待期内的费用医保不予支付,按以下情况计算" → (the statement, the lead): clauses before the last that end in a
    negation predicate are a statement of their own; only the last clause leads the list. ("", name) otherwise."""
    clauses = split_clauses(name)
    if len(clauses) < 2 or NEGATIVE_BLOCK.search(clauses[-1]):
        return "", name
    statement = ",".join(clauses[:-1])
    return (statement, clauses[-1]) if first_negation(LINE_NEGATION, statement) else ("", name)


def _subject_clauses(body: str, negation: re.Match[str]) -> list[str]:
    """Clauses before a negation, without bare connectives ("但") and concessions ("…虽执行集采价格")."""
    clauses = [c.strip() for c in CLAUSE_SPLIT.split(body[: negation.start()]) if c.strip()]
    clauses = [SUBJECT_LEADING_CONNECTIVE.sub("", c) or c for c in clauses if not SUBJECT_CONNECTIVE.match(c)]
    # "断缴期间发生的医疗费用,补缴后也不能追溯报销": a time clause before the negation dates it, the subject is before.
    while (
        len(clauses) > 1
        and SUBJECT_TIME_CLAUSE.search(SUBJECT_ADVERB_TAIL.sub("", clauses[-1]))
        and NEGATED_GENERIC_NOUN.match(clauses[-2].rpartition("的")[2])
    ):
        clauses.pop()
    # "阿胶、人参这类滋补品,就算在定点药店买也不能…": a clause that is all concession is dropped.
    kept = [c for c in clauses if SUBJECT_CONCESSION.sub("", c)] or clauses
    # "…,以及家庭成员的商业保险保费,也不能…": a clause that is only an adverb is no subject.
    while len(kept) > 1 and not SUBJECT_ADVERB_TAIL.sub("", kept[-1]):
        kept.pop()
    return [SUBJECT_CONCESSION.sub("", c) or c for c in kept]


def _without_payer_routes(clauses: list[str]) -> list[str]:
    """The clauses without trailing "由工伤保险基金支付"-style routes (another payer's way, no subject)."""
    end = len(clauses)
    while end > 1 and OTHER_PAYER_ROUTE.match(clauses[end - 1]):
        end -= 1
    return clauses[:end]


def negated_subjects(body: str, negation: re.Match[str]) -> tuple[str, ...]:
    """What a "…不在报销范围内" clause is about: the list before it, or the list a 这些-clause refers to
    (two phrases when a 以及-clause continues a list: each is read as a list of its own)."""
    # "属于工伤认定范围的医疗费用,由工伤保险基金支付,不走基本医保": the other payer's route is no subject.
    clauses = _without_payer_routes(_subject_clauses(body, negation))
    # "…等属于美容或修复项目,医保不予报销": the payer's clause says who does not pay, the one before says what.
    if len(clauses) > 1 and PAYER_SUBJECT.match(SUBJECT_ADVERB_TAIL.sub("", clauses[-1])):
        clauses = _without_payer_routes(clauses[:-1])
        # "…等,属于修复或美容项目,医保不予报销" classifies the list before it; "属于…以内的," is a condition.
        classifies = len(clauses) > 1 and SUBJECT_CLASSIFICATION.match(clauses[-1]) and not clauses[-1].endswith("的")
        if SUBJECT_CONDITION.search(clauses[-1]) and not classifies:
            return ()
    if not clauses:
        return ()
    # "在药店可以买到的器械中,如按摩椅、足浴盆等,均不能…": the example list is the subject, not the scope before it.
    examples = next((i for i, clause in enumerate(clauses) if i and LIST_LEAD.match(clause)), None)
    if examples is not None:
        clauses = clauses[examples:]
    if LIST_LEAD.match(clauses[0]) or any(SUBJECT_REFERENT.match(clause) for clause in clauses[1:]):
        # "种植牙、洗牙,以及牙齿矫正,均不在…范围内": clauses opening with 以及 continue the list, each read as a
        # list of its own ("故意自伤、自残产生的医疗费用,以及在境外发生的医疗费用": two whole phrases).
        parts = [clauses[0]]
        for clause in clauses[1:]:
            if not SUBJECT_CONTINUATION.match(clause):
                break
            parts.append(SUBJECT_CONTINUATION.sub("", clause))
        if len(parts) > 1:
            return tuple(SUBJECT_COPULA_TAIL.sub("", part) or part for part in parts)
        subject = clauses[0]
    else:
        subject = SUBJECT_ADVERB_TAIL.sub("", clauses[-1])
        # "洗牙属于预防保健项目,同样不在报销范围内": an adverb alone points back at the clause before it; so does
        # a time clause ("目录外药品…,结算时直接划入自费").
        place_only = bool(subject) and is_place_name(subject)  # "…试管婴儿的费用,泸州暂未纳入…"
        if len(clauses) > 1 and (not subject or place_only or (SUBJECT_TIME_CLAUSE.search(subject) and "不" not in clauses[-2])):
            subject = clauses[-2]  # (not "断缴期间不能享受待遇,补缴后不予追溯报销": a statement of its own before the time)
        # "假牙、嵌体等修复项目,费用需自己承担": a bare generic noun points back at the clause before it.
        if len(clauses) > 1 and NEGATED_GENERIC_NOUN.match(subject):
            subject = clauses[-2]
        # "美容、健美类项目,以及不影响功能的整容手术": a clause opening with 以及 continues the list before it.
        if len(clauses) > 1 and SUBJECT_CONTINUATION.match(subject):
            previous = SUBJECT_COPULA_TAIL.sub("", clauses[-2]) or clauses[-2]
            return previous, SUBJECT_CONTINUATION.sub("", subject)
    # "角膜塑形镜虽然…,但属于自费的医疗器械,不在报销范围": a classifying clause points back at its subject.
    if (len(clauses) > 1 and SUBJECT_COPULA_TAIL.search(subject)
            and SUBJECT_CONNECTIVE.match(SUBJECT_COPULA_TAIL.sub("", subject) or "但")):
        subject = clauses[-2]
    subject = SUBJECT_COPULA_TAIL.sub("", subject) or subject
    # The item is the whole printed noun phrase, its 的-modifiers included ("以美容为目的的整形手术").
    return (SUBJECT_PAYER_TAIL.sub("", subject) or subject,)


@lru_cache(maxsize=CACHE_SIZE)
def first_negation(pattern: re.Pattern[str], body: str) -> re.Match[str] | None:
    """The first negation in the line that is not hedged ("并非完全不能报销" denies it)."""
    return next((m for m in pattern.finditer(body)
                 if not NEGATION_HEDGE.search(body[: m.start()]) and not SETTLEMENT_MODE_NEGATION.search(m.group(0))
                 and not SELF_PAY_DENIAL_SCOPE.match(body[max(0, m.start() - 1) :])), None)


@lru_cache(maxsize=CACHE_SIZE)
def _denied_uses(body: str) -> tuple[str, ...]:
    """"个人账户不得用于健身消费、美容": the things after a denied use verb, when the subject is the payer or absent."""
    found: list[str] = []
    clauses = split_clauses(body)
    for index, clause in enumerate(clauses):  # ("不能用于购买保健品…,不能支付健身、美容等费用": each denied use)
        match = USE_NEGATION.search(clause)
        if match and match.group("object") and not NEGATION_HEDGE.search(clause[: match.start()]):
            subject = SUBJECT_ADVERB_TAIL.sub("", clause[: match.start()])
            if not subject or PAYER_SUBJECT.match(subject) or SUBJECT_CONNECTIVE.match(subject):
                found.extend(list_items(match.group("object")))
                # "…,家属自行购买的护理用品,以及外出就医产生的交通费、住宿费": the object goes on
                for following in clauses[index + 1 :]:
                    if not SUBJECT_CONTINUATION.match(following):
                        break
                    found.extend(list_items(SUBJECT_CONTINUATION.sub("", following)))
    return tuple(found)


def _use_lead_items(body: str) -> list[str]:
    """"支付健身、美容等非医疗消费,也不能用于支付…" under "个人账户不能用于:": the clauses before the denied use list
    more objects of the header's use."""
    clauses = split_clauses(body)
    index = next((i for i, clause in enumerate(clauses) if USE_NEGATION.search(clause)), 0)
    lead = [clause for clause in clauses[:index] if not SUBJECT_CONNECTIVE.match(clause)]  # ("此外,…不予支付…")
    if not lead or any(LINE_NEGATION.search(clause) for clause in lead):
        return []
    return list_items("、".join(lead))


def _statements(body: str) -> list[str]:
    """The line cut after each sentence end and after each clause that holds a negation ("活动假牙的材料费也不在报销
    范围内,义齿制作中的加工费同样需要自理" is two statements)."""
    statements, current = [], ""
    for piece in re.split(r"(?<=[,;。!?])", body):
        current += piece
        if SENTENCE_SPLIT.search(piece[-1:]) or (piece.endswith(",") and first_negation(LINE_NEGATION, piece)):
            statements.append(current)
            current = ""
    return [statement for statement in (*statements, current) if statement.strip()]


def exclusion_items(label: str | None, body: str, state: SectionState) -> tuple[list[str], str | None]:
    """(items, category) of things a line says are not covered; each statement with its own negation counts."""
    sentences = _statements(body)
    negated = [s for s in sentences if first_negation(LINE_NEGATION, s) or _denied_uses(s)] if len(sentences) > 1 else []
    if len(negated) > 1:
        # "等待期内的费用均不予报销;断缴期间的费用,补缴后也不能追溯报销。": two statements, two subjects.
        found = [_line_exclusions(label, sentence, state) for sentence in negated]
        items, category = [item for items, _ in found for item in items], next((c for items, c in found if items), None)
    else:
        items, category = _line_exclusions(label, body, state)
    if liability := THIRD_PARTY_LIABILITY.search(body):
        # "因交通事故、工伤等应由第三方承担的医疗费用": the causes are examples of it, the printed phrase one item
        clause_start = max(body.rfind(mark, 0, liability.start()) for mark in (",", ";", "。", ":", "如")) + 1
        # ("…:应当从工伤保险基金中支付的费用、应当由第三人负担的费用": an earlier item with its own 的 is not a cause)
        pieces = body[clause_start : liability.start()].split("、")
        whole_before = max((i for i, piece in enumerate(pieces[:-1]) if "的" in piece), default=-1)
        clause_start += sum(len(piece) + 1 for piece in pieces[: whole_before + 1])
        before = body[: liability.start()]
        items = [item for item in items if item not in before[clause_start:] and not THIRD_PARTY_LIABILITY.search(item)]
        items.insert(0, SUBJECT_CONTINUATION.sub("", TRAILING_PUNCT.sub("", body[clause_start : liability.end()]).strip()))
    items = [item for piece in items for item in _whole_if_modifier_holds_list(piece, body)]
    named = [EXCLUSION_DETERMINER.sub("", item) for item in items]
    return [item for item in named if item and not EXCLUSION_NOT_ITEM.match(item)], category


def _whole_if_modifier_holds_list(item: str, body: str) -> list[str]:
    """"以保健" + "养生为目的的推拿按摩" from "以保健、养生为目的的推拿按摩": one item, the whole phrase."""
    for phrase in (clause for clause in split_clauses(body) if "、" in clause):
        core = LIST_LEAD.sub("", TRAILING_PUNCT.sub("", phrase))
        core = SUBJECT_COPULA_TAIL.sub("", core) or core
        for candidate in (core, core.split("不", 1)[0]):
            if len(also_parts(candidate)) > 1:
                continue  # "种植牙、烤瓷牙以及以矫正…为目的的正畸治疗": 以及 joins items, the modifier is the last one's
            head = candidate.rpartition("的")[2]
            if not MODIFIER_HOLDS_LIST.match(candidate) or NEGATED_GENERIC_NOUN.match(head) or item not in candidate:
                continue  # "因酒驾、斗殴引起的医疗费用": a generic head, the causes are the items
            return [candidate] if item in (candidate, candidate.split("、", 1)[0]) else []
    return [item]


@dataclass(frozen=True, slots=True)
class ExclusionLine:
    """What the exclusion rules look at: the line's label and body, and where it sits."""

    label: str | None
    body: str
    state: SectionState


Found = tuple[list[str], str | None]  # (items, category)


def _denied_use_items(c: ExclusionLine) -> Found:
    lead = _use_lead_items(c.body) if c.state.in_negative else []
    return lead + list(_denied_uses(c.body)), c.label or c.state.negative_category or c.state.block


def _colon_lead_items(c: ExclusionLine) -> Found:
    """"和在职职工一样,以下费用不报:在国外就医的费用、住院伙食费": the list after a "not covered" lead."""
    lead, _, rest = c.body.partition(":")
    return list_items(rest), header_category(statement_and_lead(lead)[1])


def _labelled_list_items(c: ExclusionLine) -> Found:
    """"医保不支付:保健品、化妆品等非医疗用品,健身卡,均不得使用个人账户支付": each clause of the list on its own
    (its category cut), up to a clause that restates the negation."""
    clauses = split_clauses(c.body)
    negated = next((i for i, clause in enumerate(clauses) if i and first_negation(LINE_NEGATION, clause)), len(clauses))
    if len(clauses) < 2:
        return list_items(c.body), header_category(c.label or "")
    # (a first clause that itself negates, "这几类消费个人账户不能支付,如健身卡…", is a statement; its examples are the items)
    start = 1 if first_negation(LINE_NEGATION, clauses[0]) else 0
    return [item for clause in clauses[start:negated] for item in list_items(clause)], header_category(c.label or "")


def _examples_after(body: str, negation: re.Match[str]) -> str:
    """"…不在支付范围内,如A、B、C等。": the example list in the clause right after the negation, or ""."""
    following = split_clauses(SENTENCE_SPLIT.split(body[negation.end() :], 1)[0])
    return following[0] if following and LIST_LEAD.match(following[0]) else ""


def _negated_subject_items(c: ExclusionLine) -> Found:
    negation = first_negation(LINE_NEGATION, c.body)
    subjects = negated_subjects(c.body, negation) if negation else ()
    # "这几类项目需个人全额承担,如烤瓷冠、全瓷冠等": the subject points at the examples after the negation.
    if negation and subjects and SUBJECT_POINTS_AHEAD.search(subjects[-1]) and (examples := _examples_after(c.body, negation)):
        return list_items(examples), c.label or c.state.negative_category or c.state.block
    if not subjects or PAYER_SUBJECT.match(subjects[0]):
        return ([c.label] if c.label else []), c.state.negative_category or c.state.block
    if any(POSITIVE_LINE.search(PARENTHESIS.sub("", s)) for s in subjects):  # "复查费用可以报销,不在上述范围": covered
        return [], None
    # A time, a threshold or a contribution names nothing excluded; in a list only that item drops out ("…、超出年度
    # 限额的部分" is above the cap: it stays).
    items = [item for s in subjects for item in (list_items(s) if not _names_nothing_excluded(s) else [])]
    return [item for item in items if not _names_nothing_excluded(item)], c.label or c.state.negative_category or c.state.block


def _names_nothing_excluded(subject: str) -> bool:
    return bool(NOT_EXCLUDED_SUBJECT.search(subject)) and not ABOVE_CAP_SUBJECT.match(subject) and "、" not in subject


def _list_line_items(c: ExclusionLine) -> Found:
    phrase = TRAILING_PUNCT.sub("", EXCEPTION_CLAUSE.sub("", c.body.strip()))
    if OTHER_PAYER_LIABILITY.match(phrase):  # the payer list names who pays, not what is excluded
        return [phrase], c.label or c.state.negative_category
    # a sentence inside the list ("需要注意的是,…部分统筹区按月给予定额补助,并非全部自付") names no items
    items = list_items(phrase)
    if any(ITEM_PREDICATE.search(item) for item in items):
        return [], None
    return items, c.label or c.state.negative_category


def _nothing(_: ExclusionLine) -> Found:
    return [], None


# What a line says is not covered, first match wins; each decision is the extractor that reads the items.
EXCLUSION_RULES: tuple[Rule[ExclusionLine, Callable[[ExclusionLine], Found]], ...] = (
    # "个人账户不得用于健身消费、美容": the objects of a denied use.
    Rule("denied-use", lambda c: bool(_denied_uses(c.body)), _denied_use_items),
    # "结账时一看有的走了统筹,有的全算自费…?…小编…": the intro's hook is rhetoric, the answer comes later.
    Rule("intro-hook", lambda c: c.state.untitled and bool(INTRO_HOOK_LINE.search(c.body)), _nothing),
    # "和在职职工一样,以下费用不报:在国外就医的费用、…": a lead too long to be a label, then the list (before the covered
    # test: "长护险基金只支付…,以下费用不予支付:…" says what is paid first).
    Rule("negative-lead-colon", lambda c: not c.label and ":" in c.body
         and bool(NEGATIVE_BLOCK.search(split_clauses(c.body.partition(":")[0])[-1] if c.body.partition(":")[0] else "")),
         _colon_lead_items),
    # Stated as covered (by the line or its label, "可以支付的费用包括:…"): never an exclusion, even inside a "not
    # covered" list.
    # (an aside in brackets, "挂号费(部分医院…可按规定报销)", hedges a listed item: it stays one)
    Rule("stated-covered", lambda c: bool(POSITIVE_LINE.search(PARENTHESIS.sub("", f"{c.label or ''}:{c.body}")))
         and first_negation(LINE_NEGATION, c.body) is None, _nothing),
    # "以下情况医保不报:交通事故、工伤": the label is a "not covered" lead, its text the list.
    Rule("negative-label", lambda c: bool(c.label and NEGATIVE_BLOCK.search(c.label)), _labelled_list_items),
    # "种植牙、烤瓷牙…不在报销范围内": the subject of the line's negation.
    Rule("negation-subject", lambda c: first_negation(LINE_NEGATION, c.body) is not None, _negated_subject_items),
    # Outside a "not covered" list a line without negation states nothing not covered.
    Rule("outside-negative-list", lambda c: not c.state.in_negative, _nothing),
    # Inside one, "部分地区…可能纳入报销" hedges: it says where the thing may be covered, not what is excluded.
    Rule("hedged-covered", lambda c: bool(HEDGED_COVERED.search(c.body)), _nothing),
    # Inside one, a case clause, a duration or a rate is a condition on the list, not an item.
    Rule("list-condition", lambda c: bool(LIST_CONDITION_LINE.search(c.body) or find_durations(c.body)), _nothing),
    # Inside one, the line itself lists items ("膳食费、陪护费").
    Rule("negative-list-item", always, _list_line_items),
)


def exclusion_rule(label: str | None, body: str, state: SectionState) -> Rule[ExclusionLine, Callable[[ExclusionLine], Found]]:
    """The EXCLUSION_RULES row that decides what the line excludes."""
    return first_match(EXCLUSION_RULES, ExclusionLine(label, body, state))


def _line_exclusions(label: str | None, body: str, state: SectionState) -> Found:
    return exclusion_rule(label, body, state).decision(ExclusionLine(label, body, state))


def coverage_items(label: str | None, body: str, state: SectionState) -> list[str]:
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
