"""Materials: the documents a line asks the reader to bring, by where the line sits and how it is worded."""

from __future__ import annotations

from dataclasses import dataclass

from normalize.patterns import (
    ACTOR_ACTION_VERB,
    MATERIAL_BLOCK,
    MATERIAL_TRIGGER,
    PARENTHESIS,
)
from normalize.records.documents import (
    names_documents_only,
    parse_documents,
)
from normalize.records.lines import (
    SectionState,
    split_clauses,
)
from normalize.records.steps import (
    in_material_list,
    is_document_list,
    is_misplaced_instruction,
    step_actor,
)
from normalize.rules import Rule, always, first_match
from schema.vocabulary import Actor


@dataclass(frozen=True, slots=True)
class MaterialLine:
    """What the material rules look at: the line's label and body, and where it sits."""

    label: str | None
    body: str
    state: SectionState


def _named_list(c: MaterialLine) -> bool:
    """Under a material sub-heading or label ("准备材料:", "材料准备:…")."""
    return any(name and MATERIAL_BLOCK.search(name) for name in (c.label, c.state.block))


def _in_list(c: MaterialLine) -> bool:
    """Under a material sub-heading or label, or a neutral sub-label of a material group."""
    return _named_list(c) or in_material_list(c.label, c.state)


def _opens_with_trigger(body: str) -> bool:
    """"就诊时出示社保卡或医保电子凭证即可": the first clause hands documents over (not "身份证、…;另需提供…")."""
    match = MATERIAL_TRIGGER.search(body)
    first_clause_end = next((i for i, char in enumerate(body) if char in ",;。"), len(body))
    return match is not None and match.start() < first_clause_end


WHOLE_LINE = "whole line"
TRIGGER_CLAUSES = "trigger clauses"
NO_DOCUMENTS = "no documents"


def _someone_else_handles(c: MaterialLine) -> bool:
    """"医生在系统中上传诊断资料", "经办机构…拨付至本人银行卡": an office or a third party handles these, the reader brings
    nothing."""
    if names_documents_only(PARENTHESIS.sub("", c.body)):
        return False  # "银行卡(用于代扣缴费)": a document in a list, whatever its aside says
    # ("转诊转院的,还需提供…转诊证明,也可由医院…办理备案": the reader hands in before another party acts)
    clauses = split_clauses(c.body)
    handing = next((index for index, clause in enumerate(clauses) if MATERIAL_TRIGGER.search(clause)), None)
    if handing is not None and step_actor(",".join(clauses[: handing + 1])) == Actor.APPLICANT.value:
        return False
    return step_actor(c.body) in (Actor.OFFICE.value, Actor.THIRD_PARTY.value) and bool(ACTOR_ACTION_VERB.search(c.body))


# Which part of a line lists documents, first match wins.
MATERIAL_RULES: tuple[Rule[MaterialLine, str], ...] = (
    # An office or a third party at work: what they upload or pay into is no document of the reader's.
    Rule("someone-else-handles", _someone_else_handles, NO_DOCUMENTS),
    # In a section that asks for documents but outside a named list, a sentence with 出示/携带… names them there
    # ("就诊时出示社保卡或医保电子凭证即可").
    Rule("group-trigger", lambda c: not _named_list(c) and _in_list(c) and _opens_with_trigger(c.body), TRIGGER_CLAUSES),
    # In a documents list every piece of the line is a document (unless the line is a misplaced step).
    Rule("material-list", lambda c: _in_list(c) and not is_misplaced_instruction(c.body), WHOLE_LINE),
    # "身份证、社会保障卡原件及复印件" anywhere: a bare list of documents.
    Rule("document-list", lambda c: is_document_list(c.body), WHOLE_LINE),
    # Elsewhere only the documents after 携带 / 凭 / 提交… ("携带身份证到窗口办理").
    Rule("carry-clause", always, TRIGGER_CLAUSES),
)


def material_rule(label: str | None, body: str, state: SectionState) -> Rule[MaterialLine, str]:
    """The MATERIAL_RULES row that decides where the line's documents are."""
    return first_match(MATERIAL_RULES, MaterialLine(label, body, state))


def material_documents(label: str | None, body: str, state: SectionState) -> list[tuple[str, bool]]:
    """(document, optional) for each document the line asks for (see MATERIAL_RULES)."""
    decision = material_rule(label, body, state).decision
    if decision == NO_DOCUMENTS:
        return []
    if decision == WHOLE_LINE:
        return parse_documents(body)
    return [document for match in MATERIAL_TRIGGER.finditer(body) for document in parse_documents(match.group("list"))]
