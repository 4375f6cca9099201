"""Materials: the documents a line asks the reader to bring, by where the line sits and how it is worded."""

from __future__ import annotations

from normalize.patterns import (
    MATERIAL_BLOCK,
    MATERIAL_TRIGGER,
)
from normalize.records.documents import (
    parse_documents,
)
from normalize.records.lines import (
    SectionState,
)
from normalize.records.steps import (
    in_material_list,
    is_document_list,
    is_misplaced_instruction,
)


def material_documents(label: str | None, body: str, state: SectionState) -> list[tuple[str, bool]]:
    """Documents of a material-list line or a bare document list anywhere, or of a "携带…" clause anywhere."""
    in_list = any(name and MATERIAL_BLOCK.search(name) for name in (label, state.block)) or in_material_list(label, state)
    if (in_list and not is_misplaced_instruction(body)) or is_document_list(body):
        return parse_documents(body)
    documents: list[tuple[str, bool]] = []
    for match in MATERIAL_TRIGGER.finditer(body):
        documents.extend(parse_documents(match.group("list")))
    return documents
