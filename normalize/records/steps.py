"""Steps: which lines are actions of a procedure (a first-match rule table), who acts, their channel and menu path."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from normalize.patterns import (
    ACTOR_ACTION_VERB,
    ALREADY_DONE,
    BARE_MENU_ITEM,
    BARE_MENU_PATH,
    CASE_HANDLING_VERB,
    CASE_NEGATION,
    CONDITION_WORD_START,
    CONDITIONS_LEAD,
    DEADLINE_BLOCK,
    DEADLINE_LEAD_CLAUSE,
    DEADLINE_STATEMENT,
    DELIVERY_TO_READER,
    DOCUMENT_VERB_START,
    EMPLOYER_SUBJECT,
    ENOUGH_TAIL,
    EXAMPLE_BODY,
    FORM_FILL_START,
    FRAME_CLAUSE,
    GENERIC_CHANNELS,
    HOTLINE,
    HOTLINE_CALL,
    HYPOTHETICAL_MARK,
    INTRO_HOOK_LINE,
    LEADING_CONDITION_CLAUSE,
    MENU_ITEM,
    MENU_PATH,
    NO_ACTION_NEEDED,
    NON_STEP_BLOCK_MATERIAL,
    NON_STEP_BLOCK_STRONG,
    NON_STEP_BLOCK_WEAK,
    OBLIGATION_LEAD_ADVERBS,
    OBLIGATION_MODAL,
    OFFICE_DEADLINE_LEAD,
    OFFICE_ONLY_VERB,
    OFFICE_PROCEDURE_VERB,
    OFFICE_STAFF_SUBJECT,
    OFFICE_SUBJECT,
    PROCEDURE_BLOCK,
    PROCEDURE_LABEL_END,
    READER_ONLY_VERB,
    SENTENCE_SPLIT,
    SHOW_VERB,
    STEP_CARRY_TO,
    STEP_CASE_ACTION,
    STEP_CASE_SUBJECT,
    STEP_CONDITION_CLAUSE,
    STEP_EXPLANATION,
    STEP_GO_TO,
    STEP_HELP_ONLY,
    STEP_INLINE_CONDITION,
    STEP_LOCATIVE,
    STEP_LOCATIVE_CONDITION,
    STEP_OBLIGATION_LEAD,
    STEP_ORDINAL_LABEL,
    STEP_ORDINAL_LEAD,
    STEP_START,
    STEP_THEN_OFFICE_ACTS,
    STEP_TIME_LEAD,
    STEP_UI_ACTION,
    STEP_VERB_AS_MODIFIER,
    STEP_VERB_THEN_AFTER,
    THIRD_PARTY_AGENT,
    THIRD_PARTY_SUBJECT,
    TOPIC_OBLIGATION_LEAD,
    TRAILING_PUNCT,
    VERB_AS_NOUN_STATEMENT,
)
from normalize.records.documents import (
    _modified_document,
    names_documents_only,
    parse_documents,
)
from normalize.records.lines import (
    CACHE_SIZE,
    SectionState,
    find_channel,
    find_channels,
    is_numbered,
    nfkc,
    split_clauses,
    split_label,
)
from normalize.rules import Rule, always, first_match
from schema.vocabulary import Actor


class StepContext(Enum):
    """Which lines of a block can be steps."""

    OPEN = "open"  # any instruction (a procedure block, a channel label, a procedural section)
    CONDITIONAL = "conditional"  # only "condition, then instruction" lines (notes, deadlines, special cases)
    CLOSED = "closed"  # none, except a hotline call (coverage, costs, policy)
    MATERIAL = "material"  # none at all (a list of documents)


def in_material_list(label: str | None, state: SectionState) -> bool:
    """Under a material sub-heading / label, or a neutral sub-label of a material group."""
    names = [name for name in (label, state.block) if name]
    return any(NON_STEP_BLOCK_MATERIAL.search(name) for name in names) or (state.material_group and not find_channel(label))


@lru_cache(maxsize=CACHE_SIZE)
def is_misplaced_instruction(body: str) -> bool:
    """"前往…窗口提交材料" under "准备材料:": an instruction opening with a verb that does not hand in documents."""
    clauses = split_clauses(body)
    if STEP_CARRY_TO.match(body):
        return True  # "携带上述材料到…窗口申请": carrying them somewhere is the procedure's step
    if clauses and clauses[0].endswith("的") and is_conditional_instruction(body):
        return True  # "灵活就业人员断缴的,可在…APP补缴": a case's own procedure (not "如需代办,可拨打…": an aside)
    if not clauses or DOCUMENT_VERB_START.match(clauses[0]) or names_documents_only(body) or _modified_document(clauses):
        return False  # "申请人身份证" starts like 申请 but is a document
    if names_documents_only(clauses[0]):
        return False  # "申请人身份证、社保卡,委托他人代办的,另需…": documents first, a case's extra ones after
    if len(clauses) == 1 and FORM_FILL_START.match(clauses[0]):
        return False  # "填写完整的《补缴申请表》" listed with the documents is the form itself
    return opens_with_verb(clauses[0]) or bool(STEP_LOCATIVE.match(body) and not STEP_LOCATIVE_CONDITION.search(clauses[0]))


@lru_cache(maxsize=CACHE_SIZE)
def is_document_list(body: str) -> bool:
    """"身份证、社会保障卡原件及复印件" under "办理流程:": every piece of the line names a document and nothing else."""
    return not is_instruction(body) and names_documents_only(body)


def _step_context(label: str | None, state: SectionState, body: str = "") -> StepContext:
    """Where the line sits decides which instructions in it are steps."""
    # A lead sentence as block ("跨省转移个人账户余额,一般通过以下渠道申请") is judged by its last clause.
    names = [name for name in (label, _block_lead(state.block)) if name]
    if find_channel(label) and is_instruction(body):
        return StepContext.OPEN  # "线下办理:携带…前往…窗口申请" under any block
    if label and NON_STEP_BLOCK_STRONG.search(label) and not NON_STEP_BLOCK_MATERIAL.search(label):
        return StepContext.CONDITIONAL  # "申领条件:…" under a "条件及所需材料" heading: conditions, not documents
    if in_material_list(label, state):
        # Sub-headings that do not match their lines (a generator glitch): a procedure line is still a step;
        # so is "身份证、社保卡,到…大厅查询打印", documents and then where to take them.
        return StepContext.OPEN if is_misplaced_instruction(body) or documents_then_go_to(body) else StepContext.MATERIAL
    if any(NON_STEP_BLOCK_STRONG.search(name) for name in names):
        return StepContext.CONDITIONAL
    if find_channel(label) or (label and PROCEDURE_LABEL_END.search(label)):
        return StepContext.OPEN  # "支付宝:…", "申请渠道:…"
    if state.block and CONDITIONS_LEAD.search(state.block):
        return StepContext.CONDITIONAL  # "同时满足以下条件的,可以申领…": its lines are conditions
    if lead := _block_lead(state.block):
        if PROCEDURE_BLOCK.search(lead):
            return StepContext.OPEN
        if NON_STEP_BLOCK_WEAK.search(lead):
            return StepContext.CLOSED
    return StepContext.OPEN if state.procedural_section or state.group_channel is not None else StepContext.CLOSED


def _block_lead(block: str | None) -> str | None:
    """The clause of a block name that leads its lines: the last one of a lead sentence."""
    return split_clauses(block)[-1] if block and split_clauses(block) else block


def documents_then_go_to(body: str) -> bool:
    """"身份证、社保卡,到…大厅查询打印": the documents to bring, then where to go."""
    clauses = split_clauses(body)
    return len(clauses) > 1 and bool(STEP_GO_TO.match(clauses[1])) and names_documents_only(clauses[0])


@lru_cache(maxsize=CACHE_SIZE)
def opens_with_verb(clause: str) -> bool:
    """"下载并登录…", "您可以前往…"; not "绑定成功后即时生效" (a verb + 后 is a time clause unless a verb follows),
    nor "激活一般即时完成" (the verb is the subject of a statement)."""
    if VERB_AS_NOUN_STATEMENT.match(clause) or STEP_VERB_AS_MODIFIER.match(clause):
        return False
    if not STEP_START.match(clause):
        # "核定后通过APP缴纳…": a short time phrase, then the verb ("住院期间使用的…": a modifier, no verb).
        lead = STEP_TIME_LEAD.match(clause)
        rest = clause[lead.end() :] if lead else ""
        if lead and _names_other_actor(clause[: lead.end()]):
            return False  # "窗口工作人员审核后录入系统": the lead names who acts
        goes = bool(STEP_GO_TO.match(rest) or STEP_LOCATIVE.match(rest))  # "新卡领取后须到银行网点…激活"
        return bool(lead and (STEP_START.match(rest) or goes) and not STEP_VERB_THEN_AFTER.match(rest)
                    and not STEP_VERB_AS_MODIFIER.match(rest))
    after = STEP_VERB_THEN_AFTER.match(clause)
    return after is None or bool(STEP_START.match(after.group("rest")) or STEP_LOCATIVE.match(after.group("rest")))


def _names_other_actor(text: str) -> bool:
    """An office, its staff, an employer or a third party opens the text."""
    return bool(OFFICE_SUBJECT.match(text) or OFFICE_STAFF_SUBJECT.match(text) or EMPLOYER_SUBJECT.match(text)
                or THIRD_PARTY_SUBJECT.match(text))


@lru_cache(maxsize=CACHE_SIZE)
def is_conditional_instruction(body: str) -> bool:
    """"原参保地未停保的,需先…办理", "垫付费用的,应在…到经办机构申请报销": a condition clause, then an action."""
    clauses = split_clauses(body)
    if clauses and STEP_INLINE_CONDITION.match(clauses[0]):
        return True  # "首次使用某平台需先注册…"
    if len(clauses) > 1 and STEP_CASE_SUBJECT.search(clauses[0]) and STEP_CASE_ACTION.match(clauses[1]):
        return True  # "单位已注销的女职工,可携带身份证…,到…窗口申请"
    return (
        len(clauses) > 1
        and bool(STEP_CONDITION_CLAUSE.search(clauses[0]))
        and not _hands_in_documents_only(clauses[1])
        and (opens_with_verb(clauses[1]) or bool(STEP_LOCATIVE.match(clauses[1]) or STEP_CARRY_TO.match(clauses[1])
                                                  or STEP_GO_TO.match(clauses[1])))
    )


def _hands_in_documents_only(clause: str) -> bool:
    """"还需带上代办人身份证": a case's extra documents (materials), not a step of its own."""
    if SHOW_VERB.match(clause):
        return False  # "出示医保电子凭证或社保卡": showing them at the counter is the act
    lead = DOCUMENT_VERB_START.match(OBLIGATION_LEAD_ADVERBS.sub("", clause))
    # ("出示社会保障卡或医保电子凭证即可": 即可 only closes the clause)
    return bool(lead) and names_documents_only(ENOUGH_TAIL.sub("", OBLIGATION_LEAD_ADVERBS.sub("", clause)[lead.end() :]))


def is_time_clause(clause: str) -> bool:
    """"医保部门审核通过后", "出院时": a clause that only dates the next one."""
    return bool(STEP_CONDITION_CLAUSE.search(clause)) and not clause.endswith("的")


def _office_acts(clauses: list[str]) -> bool:
    """"在转入地办理…后,由转入地向…发送联系函", "转出地收到联系函后办理": after any time clauses, the acting clause's
    subject is an office, so the line describes the office's work ("医保部门审核通过后,办理…" still instructs the reader)."""
    for clause in clauses:
        opens_as_reader = STEP_START.match(clause) or STEP_GO_TO.match(clause) or STEP_LOCATIVE.match(clause)
        if not opens_as_reader and OFFICE_SUBJECT.match(clause) and not is_time_clause(clause):
            return True
        if not is_time_clause(clause):
            return False
    return False


def _obliges_reader(clause: str) -> bool:
    """"5天内需到银行网点办理正式挂失": a clause after a statement that tells the reader what they must do."""
    lead = STEP_OBLIGATION_LEAD.match(clause)
    if not lead:
        return False
    return _reader_acts(clause[lead.end() :])


def _reader_acts(text: str) -> bool:
    """The text opens with the reader's act: going somewhere, a place + verb, or a verb."""
    return bool(STEP_GO_TO.match(text) or STEP_LOCATIVE.match(text) or opens_with_verb(text))


@lru_cache(maxsize=CACHE_SIZE)
def is_instruction(body: str) -> bool:
    """True if the text is an action: it opens with a verb, a place + verb, or a condition + verb."""
    if MENU_PATH.search(body) or STEP_UI_ACTION.search(body) or BARE_MENU_PATH.search(body):
        return True
    # "在定点医院住院的,出院时直接结算;未直接结算的,持发票…到医保中心申请": each sentence is judged on its own.
    sentences = [sentence for sentence in SENTENCE_SPLIT.split(body) if sentence.strip()]
    if len(sentences) > 1:
        return any(is_instruction(sentence) for sentence in sentences)
    clauses = split_clauses(body)
    # "就诊后3个月内,到…窗口提交材料", "按照要求,填写…": a deadline or a rules frame first, the action after it.
    if len(clauses) > 1 and (DEADLINE_LEAD_CLAUSE.match(clauses[0]) or FRAME_CLAUSE.match(clauses[0])):
        return is_instruction(",".join(clauses[1:]))
    if len(clauses) == 1 and FRAME_CLAUSE.match(clauses[0]):
        return False
    if not clauses or STEP_THEN_OFFICE_ACTS.match(body) or _office_acts(clauses):
        return False
    # "需要补缴中断期间医保费的。": one clause ending in 的 names a case, it instructs nothing.
    if len(clauses) == 1 and STEP_LOCATIVE_CONDITION.search(TRAILING_PUNCT.sub("", clauses[0])):
        return False
    # "父母一方携带户口簿…到…办理", "…的生育医疗费,可由本人携带医保卡到窗口申请": carrying documents to a place,
    # whoever is named before.
    if any(STEP_CARRY_TO.match(clause) for clause in clauses):
        return True
    # "到…经办大厅综合窗口取号": going to a place is the reader's action whatever the verb.
    if (STEP_GO_TO.match(clauses[0]) and not STEP_LOCATIVE_CONDITION.search(clauses[0])) or documents_then_go_to(body):
        return True
    # "在即时制卡网点办理的,可当场领取新卡": a place clause ending in 的 is a condition.
    if STEP_LOCATIVE.match(body) and not STEP_LOCATIVE_CONDITION.search(clauses[0]):
        return True
    # ("跨省转移需通过…提交线上申请": a topic, then what the reader must do)
    if (topic := TOPIC_OBLIGATION_LEAD.match(clauses[0])) and _reader_acts(clauses[0][topic.end() :]):
        return True
    return opens_with_verb(clauses[0]) or is_conditional_instruction(body) or any(_obliges_reader(c) for c in clauses[1:])


def _only_how_long(c: StepLine) -> bool:
    """An unnumbered line whose last acting clause states how long the work takes ("参保缴费后,医保系统一般在3个工作日内
    完成信息登记"); "审核后将余额转入…,一般20个工作日内到账" acts first and then says how long."""
    if is_numbered(nfkc(c.line)):
        return False
    acting = [clause for clause in split_clauses(c.body) if ACTOR_ACTION_VERB.search(clause)]
    return bool(acting) and bool(DEADLINE_STATEMENT.search(acting[-1]))


def _someone_else_acts_first(body: str) -> bool:
    """"出院时由医院…直接减免大病保险部分,无需个人申请", "由所在单位统一…申报备案,个人不用另外办理": another party does
    the work, a step with that actor."""
    return step_actor(body) != Actor.APPLICANT.value and bool(ACTOR_ACTION_VERB.search(body))


def _third_party_acts(body: str) -> bool:
    """The body opens with 由 + an agent other than the reader ("由医生填写…"); an office stage ("转入地审核") stays a step."""
    return bool(THIRD_PARTY_AGENT.match(body))


# Who a clause names as its acting subject, first match wins (None: no one named, the reader acts).
ACTOR_RULES: tuple[Rule[str, str | None], ...] = (
    Rule("employer-subject", lambda clause: bool(EMPLOYER_SUBJECT.search(clause)), Actor.EMPLOYER.value),
    Rule("third-party-subject", lambda clause: bool(THIRD_PARTY_SUBJECT.search(clause)), Actor.THIRD_PARTY.value),
    Rule("office-subject", lambda clause: bool(OFFICE_SUBJECT.match(clause) or OFFICE_STAFF_SUBJECT.match(clause)
                                               or OFFICE_DEADLINE_LEAD.match(clause)), Actor.OFFICE.value),
    Rule("delivery-to-reader", lambda clause: bool(DELIVERY_TO_READER.search(clause)), Actor.OFFICE.value),
    Rule("no-subject", always, None),
)


@lru_cache(maxsize=CACHE_SIZE)
def clause_actor(clause: str) -> str | None:
    """Who a clause names as its acting subject: office, employer, third party; None when no one (the reader).
    A clause the reader opens ("提前确认转入地已经参保") names no other actor; a time lead before the subject
    ("出院时医院按规定直接结算") is stepped over."""
    if EMPLOYER_SUBJECT.match(clause):
        return Actor.EMPLOYER.value  # "单位通过…单位网厅提交申报": the employer files, even with a reader's verb
    if opens_with_verb(clause) and not DELIVERY_TO_READER.search(clause):
        return None
    named = first_match(ACTOR_RULES, clause).decision
    if named is None and (lead := STEP_TIME_LEAD.match(clause)):
        named = first_match(ACTOR_RULES, clause[lead.end() :]).decision
    return named


@lru_cache(maxsize=CACHE_SIZE)
def step_actor(body: str) -> str:
    """Who carries out a step: the subject of its first acting clause. Subjectless clauses after an office's
    time clause ("经办机构审核通过后,完成参保地变更", "医保部门备案后,待遇从次月起享受") keep the office, unless a
    reader-only verb opens one ("审核通过后,携带…领取")."""
    current: str | None = None
    for clause in split_clauses(body):
        if CONDITION_WORD_START.match(clause) or HYPOTHETICAL_MARK.search(clause) or STEP_CASE_SUBJECT.search(clause):
            continue  # "如果原参保地还没有停保", "转入地可能只认一边", "单位已注销的女职工": a case or a hedge, nobody acts
        named = clause_actor(clause)
        if named is None and current is None and OFFICE_ONLY_VERB.search(clause) and not READER_ONLY_VERB.match(clause):
            return Actor.OFFICE.value  # "受理后根据需要对事故伤害进行调查核实,用人单位…予以协助"
        if STEP_CONDITION_CLAUSE.search(clause) and clause.endswith("的") and (named is None or CASE_NEGATION.search(clause)):
            continue  # "找到新工作的", "单位未按时申请的": a case (someone failed), not an act
        if current is not None and named == Actor.OFFICE.value and DELIVERY_TO_READER.search(clause):
            named = current  # "单位收到后,及时转发给职工本人": the one named before passes it on
        if named is not None:
            current = named
            if not is_time_clause(clause) or ACTOR_ACTION_VERB.search(clause.rsplit("后", 1)[-1]):
                return named
            continue
        if READER_ONLY_VERB.match(clause) and not is_time_clause(clause):
            return Actor.APPLICANT.value
        if current is None and not is_time_clause(clause) and opens_with_verb(clause):
            return Actor.APPLICANT.value  # the reader acts first
    if current is None and OFFICE_ONLY_VERB.search(body):
        return Actor.OFFICE.value  # "…公示5个工作日,无异议后作出评估结论": no one named, an office's act
    return current or Actor.APPLICANT.value


def is_actor_action(body: str, label: str | None, state: SectionState) -> bool:
    """An office, employer or third party acting in a procedure ("工作人员审核材料并办理…手续"): a step with
    that actor, except in a deadline block, where the line is the deadline."""
    if any(name and DEADLINE_BLOCK.search(name) for name in (label, state.block)):
        return False
    if ALREADY_DONE.search(body):
        return False  # a precondition already met, not an act
    if step_actor(body) == Actor.APPLICANT.value:
        return False
    # the act is in or after the clause that names the actor ("线上备案一般即时生效,…;窗口办理的当场办结": no act)
    clauses = split_clauses(body)
    named = next((index for index, clause in enumerate(clauses) if clause_actor(clause) is not None), 0)
    return any(ACTOR_ACTION_VERB.search(clause) for clause in clauses[named:]) or bool(OFFICE_ONLY_VERB.search(body))


@dataclass(frozen=True, slots=True)
class StepLine:
    """What the step rules look at: the line, its label and body, and where it sits."""

    line: str
    label: str | None
    body: str
    state: SectionState
    context: StepContext


def _ordinal_stage(c: StepLine) -> bool:
    """"第二步:…" numbers a stage of the procedure (unless 由 hands it to another party)."""
    line = nfkc(c.line)
    raw_label, _ = split_label(line)
    numbered = bool(raw_label and STEP_ORDINAL_LABEL.match(raw_label)) or bool(STEP_ORDINAL_LEAD.match(line))
    return numbered and not _third_party_acts(c.body)


def _conditional_instruction_not_help(c: StepLine) -> bool:
    """"若…,需先…办理" in a notes block; "如遇问题,可咨询…" (advice to ask, no number) is not one."""
    clauses = split_clauses(c.body)
    return is_conditional_instruction(c.body) and not (clauses and STEP_HELP_ONLY.match(clauses[-1]))


def _action_label_with_examples(c: StepLine) -> bool:
    """"下载并登录银行APP:如农业银行…": an action label whose text only gives examples."""
    return bool(c.label and EXAMPLE_BODY.match(c.body) and opens_with_verb(c.label))


def _on_named_platform(c: StepLine) -> bool:
    """An instruction whose line names a specific platform (APP, 微信, 支付宝, a website); advice to ask is none."""
    channel = find_channel(c.body) or find_channel(c.label)
    asks_only = "咨询" in c.body and not HOTLINE.search(c.body)
    return channel not in (None, *GENERIC_CHANNELS) and not asks_only and is_instruction(c.body)


def _office_does_procedure(c: StepLine) -> bool:
    """An office or a third party handling the reader's case (registering, assessing, paying out, telling the
    result), outside a deadline block: "…审核后在30个工作日内将报销款转入参保人社保卡"."""
    actor = step_actor(c.body)
    registers = actor == Actor.OFFICE.value and bool(OFFICE_PROCEDURE_VERB.search(c.body))
    delivers = actor in (Actor.OFFICE.value, Actor.THIRD_PARTY.value) and bool(CASE_HANDLING_VERB.search(c.body))
    return (registers or delivers) and is_actor_action(c.body, c.label, c.state)


def _carries_to_office(body: str) -> bool:
    """"出院后携带…回参保地医保窗口申请报销": documents carried to a place, after an optional time clause."""
    clauses = split_clauses(body)
    return any(STEP_CARRY_TO.match(STEP_TIME_LEAD.sub("", clause)) for clause in clauses)


STEP = "step"
NOT_STEP = "not a step"

# Whether an item line is a step, first match wins.
STEP_RULES: tuple[Rule[StepLine, str], ...] = (
    # "…,无需个人申请": the reader has nothing to do (unless a condition asks for an action).
    Rule("nothing-to-do", lambda c: bool(NO_ACTION_NEEDED.search(c.body)) and not is_conditional_instruction(c.body)
         and not (c.context is StepContext.OPEN and _someone_else_acts_first(c.body)), NOT_STEP),
    # "不少家长带孩子去配…,就想问问医保能不能报?…小编…": the intro's hook tells a story, it gives no step.
    Rule("intro-hook", lambda c: c.state.untitled and bool(INTRO_HOOK_LINE.search(c.body)), NOT_STEP),
    # "被退回一般是因为…", "…满10个月…的,可以享受…": an explanation or an eligibility rule, no action.
    Rule("explanation", lambda c: bool(STEP_EXPLANATION.search(c.body)), NOT_STEP),
    # An office, employer or third party acting inside a procedure: a step with that actor.
    Rule("actor-action", lambda c: c.context in (StepContext.OPEN, StepContext.CONDITIONAL)
         and is_actor_action(c.body, c.label, c.state), STEP),
    # "工作人员核验身份及关系证明后办理绑定" under a documents heading: an act that names no document.
    Rule("actor-action-among-documents", lambda c: c.context is StepContext.MATERIAL
         and is_actor_action(c.body, c.label, c.state) and not parse_documents(split_clauses(c.body)[0]), STEP),
    # Under a documents sub-heading nothing is a step.
    Rule("material-list", lambda c: c.context is StepContext.MATERIAL, NOT_STEP),
    # A number to call is a step anywhere else.
    Rule("hotline-call", lambda c: bool(HOTLINE_CALL.search(c.body)), STEP),
    # Notes, deadlines, special cases: only "condition, then instruction" lines.
    Rule("conditional-instruction", lambda c: c.context is StepContext.CONDITIONAL and _conditional_instruction_not_help(c),
         STEP),
    # "可登录“闽政通”APP查询转移进度" among notes: an instruction on a named platform is a step anywhere.
    Rule("platform-instruction", lambda c: c.context in (StepContext.CONDITIONAL, StepContext.CLOSED) and _on_named_platform(c),
         STEP),
    Rule("notes-block", lambda c: c.context is StepContext.CONDITIONAL, NOT_STEP),
    # "出院后携带票据…回参保地医保窗口申请报销": taking documents to an office is a step even in a policy block.
    Rule("carry-to-office", lambda c: c.context is StepContext.CLOSED and _carries_to_office(c.body), STEP),
    # "若原参保地还没有停保,需先到原参保地办理停保手续" outside a procedure block: still a step.
    Rule("conditional-instruction-anywhere", lambda c: c.context is StepContext.CLOSED and _conditional_instruction_not_help(c)
         and bool(OBLIGATION_MODAL.search(",".join(split_clauses(c.body)[1:]))), STEP),
    # "医保经办窗口受理后当场完成参保登记" in a "how long" section: an office doing the procedure's work is a step.
    Rule("office-procedure-anywhere", lambda c: c.context is StepContext.CLOSED and _office_does_procedure(c)
         and not _only_how_long(c), STEP),
    # Coverage, costs, policy blocks: no other steps.
    Rule("closed-block", lambda c: c.context is StepContext.CLOSED, NOT_STEP),
    # "第二步:…".
    Rule("ordinal-stage", _ordinal_stage, STEP),
    Rule("action-label-examples", _action_label_with_examples, STEP),
    # A verb, a place + verb, a condition + verb, a menu path.
    Rule("instruction", lambda c: is_instruction(c.body), STEP),
    Rule("no-instruction", always, NOT_STEP),
)


def step_rule(line: str, label: str | None, body: str, state: SectionState) -> Rule[StepLine, str]:
    """The STEP_RULES row that decides whether the line is a step."""
    return first_match(STEP_RULES, StepLine(line, label, body, state, _step_context(label, state, body)))


def is_step(line: str, label: str | None, body: str, state: SectionState) -> bool:
    """True if the line is an action of a procedure (see STEP_RULES)."""
    return step_rule(line, label, body, state).decision == STEP


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


def step_channel(label: str | None, body: str, state: SectionState) -> str | None:
    """Specific channels (label, block, group, the line, the previous step) before generic ones."""
    # "若线上操作不便,可携带身份证到窗口办理": the channel of the action, not of the condition before it.
    content = find_channel(LEADING_CONDITION_CLAUSE.sub("", body)) or find_channel(body)
    label_channel = _named_channel(label, content)
    block_channel = _named_channel(state.block, content)
    ordered = (
        _specific(label_channel),
        _specific(block_channel),
        # "窗口办理:携带…" under a group named for WeChat: the line's own label names its channel
        label_channel if not _specific(content) else None,
        _specific(state.group_channel),
        content,
        state.last_step_channel,
        label_channel,
        block_channel,
        state.group_channel,
        state.heading_channel,
    )
    return next((channel for channel in ordered if channel), None)
