"""Document names: the full printed name of each document a list names (aliases applied by `parse_documents`), qualifiers and optional marks."""

from __future__ import annotations

from functools import lru_cache

from normalize.aliases import canonical_item
from normalize.patterns import (
    ALTERNATIVE_ASIDE,
    BARE_DOCUMENT_PREFIX_MAX_CHARS,
    BARE_UNKNOWN_DOCUMENT_MAX_CHARS,
    DOCUMENT_CLAUSE_MARK,
    DOCUMENT_FORM_SUFFIX,
    DOCUMENT_FULL_MAX_CHARS,
    DOCUMENT_ISSUER_BEFORE_PROOF,
    DOCUMENT_LEAD_VERB,
    DOCUMENT_LIST_TAIL,
    DOCUMENT_MAX_CHARS,
    DOCUMENT_NOT_FOLLOWED_BY,
    DOCUMENT_OWNER_PREFIX,
    DOCUMENT_PAGE_SUFFIX,
    DOCUMENT_PLACE_PREFIX,
    DOCUMENT_QUANTITY,
    DOCUMENT_READER_PREFIX,
    DOCUMENT_SUFFIX,
    DOCUMENT_TAIL_MAX_CHARS,
    DOCUMENT_VERB_START,
    GENERIC_DOCUMENT,
    KNOWN_DOCUMENTS,
    LIST_CONJUNCTION,
    LIST_SEPARATOR,
    NO_DOCUMENT_NEEDED,
    OPTIONAL_LINE_START,
    OPTIONAL_MARK,
    PARENTHESIS,
    PROOF_ISSUER_MODIFIER,
    QUALIFIER_COPY,
    QUALIFIER_ORIGINAL,
    SHARED_NAME_ALTERNATIVE_MAX_CHARS,
    TITLED_DOCUMENT,
    TRAILING_PUNCT,
)
from normalize.records.lines import (
    CACHE_SIZE,
    clean_item,
    split_top_level,
)
from normalize.region import strip_leading_place
from schema.vocabulary import Qualifier


def _modified_document(clauses: list[str]) -> bool:
    """"补缴期间的工资发放明细表": one clause, a 的-modifier and then a document name, is a document (补缴 is no verb here)."""
    if len(clauses) != 1 or "的" not in clauses[0]:
        return False
    core = TRAILING_PUNCT.sub("", PARENTHESIS.sub("", clauses[0]))
    name = document_name(core)
    return bool(name) and core.endswith(name) and "的" in core[: -len(name)]


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


@lru_cache(maxsize=CACHE_SIZE)
def names_documents_only(body: str) -> bool:
    text = TRAILING_PUNCT.sub("", QUALIFIER_COPY.sub("", QUALIFIER_ORIGINAL.sub("", body)))
    alternatives = [alt for piece in split_top_level(text, LIST_SEPARATOR) for alt in split_top_level(piece, LIST_CONJUNCTION)]
    return bool(alternatives) and all(_is_bare_document(alternative) for alternative in alternatives)


def line_qualifiers(text: str) -> tuple[str, ...]:
    """原件 / 复印件 of a line ("原件及复印件" gives both); they apply to every document on it."""
    qualifiers = []
    if QUALIFIER_ORIGINAL.search(text):
        qualifiers.append(Qualifier.ORIGINAL.value)
    if QUALIFIER_COPY.search(text):
        qualifiers.append(Qualifier.COPY.value)
    return tuple(qualifiers)


@lru_cache(maxsize=CACHE_SIZE)
def document_name(piece: str) -> str | None:
    """The document a list piece names, by its full printed name ("住院病历", "产前检查费用发票",
    "电子社保卡"), without lead verbs, 的-modifiers, issuing place or 本人/有效; None if it names none.
    The alias table is applied when the document becomes a record (`parse_documents`)."""
    if titled := TITLED_DOCUMENT.search(piece):
        return titled.group(1)  # a named form ("《异地就医备案表》"): its title is the item
    modifier, _, piece = clean_item(piece).rpartition("的")  # "异地长期居住的居住证明", "代办的需提供…": after the last 的
    if modifier and GENERIC_DOCUMENT.match(piece) and "等" in modifier:
        piece = modifier.split("等", 1)[0]  # "结婚证等能证明亲属关系的材料": the example names the document
    proves = modifier and GENERIC_DOCUMENT.match(piece) and not PROOF_ISSUER_MODIFIER.search(modifier)
    if proves and not DOCUMENT_CLAUSE_MARK.search(modifier):
        # "解除或终止劳动合同的证明": what it proves is its name
        whole = _without_lead_verb(f"{modifier}的{piece}")
        return whole if len(whole) <= DOCUMENT_FULL_MAX_CHARS else None
    piece = _without_lead_verb(piece)
    piece = DOCUMENT_QUANTITY.sub("", DOCUMENT_LIST_TAIL.sub("", piece) or piece)
    name = DOCUMENT_PLACE_PREFIX.sub("", strip_leading_place(piece))
    if (known := _known_document_in(name)) and DOCUMENT_READER_PREFIX.match(name):
        unowned = DOCUMENT_READER_PREFIX.sub("", name)
        name = unowned if unowned.startswith(known[1]) else name
    # "身份证正反面照片" is the 身份证 handed in as a photo; "免冠照片" is a photo (what is left names no document)
    unformed = DOCUMENT_FORM_SUFFIX.sub("", name)
    if unformed != name and (GENERIC_DOCUMENT.match(unformed) or unformed.endswith(("材料", "资料"))):
        return None  # "材料照片", "诊断材料照片": the documents named elsewhere, in another form
    name = unformed if _known_document_in(unformed) or DOCUMENT_SUFFIX.search(unformed) else name
    name = DOCUMENT_ISSUER_BEFORE_PROOF.sub("", DOCUMENT_PAGE_SUFFIX.sub("", name))
    known = _known_document_in(name)
    if not name or DOCUMENT_CLAUSE_MARK.search(name[: known[0] if known else len(name)]):
        return None  # "经办机构向转出地发出联系函" is a clause, not a name
    if known is not None:
        start, document = known
        tail = len(name) - start - len(document)
        if (tail == 0 or (tail <= DOCUMENT_TAIL_MAX_CHARS and DOCUMENT_SUFFIX.search(name))) and len(name) <= DOCUMENT_FULL_MAX_CHARS:
            return name  # the whole printed name, "医保缴费凭证", "代办人身份证"
        owner = DOCUMENT_OWNER_PREFIX.search(name[:start])
        return (owner.group(0) if owner else "") + document
    if len(name) <= DOCUMENT_MAX_CHARS and DOCUMENT_SUFFIX.search(name) and not GENERIC_DOCUMENT.match(name):
        return name
    return None


def _without_lead_verb(text: str) -> str:
    """"需提供转诊证明" → "转诊证明": the verb (and who hands it in) before a document name."""
    return DOCUMENT_VERB_START.sub("", DOCUMENT_LEAD_VERB.sub("", text))


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
        for alternative in _alternatives(piece) + asides:
            bare = PARENTHESIS.sub("", alternative)
            name = document_name(bare)
            if name and name in (doc for doc, _ in documents):
                # "住院病历或门诊病历": two documents of one kind stay apart by their own words.
                name = _own_document_name(bare, name)
            if name and canonical_item(name) not in (doc for doc, _ in documents):
                documents.append((canonical_item(name), optional))
    return documents


def _alternatives(piece: str) -> list[str]:
    """"户口簿或居住证" → two; "社保卡及解除或终止劳动合同证明" → 社保卡 and the proof (a short part that names no
    document is a verb sharing the next part's name)."""
    parts = [part for part in split_top_level(piece, LIST_CONJUNCTION) if part.strip()]
    alternatives: list[str] = []
    carried: str | None = None
    for index, part in enumerate(parts):
        if carried is not None:
            start = piece.find(carried)
            part = piece[start : piece.find(part, start + len(carried)) + len(part)]
            carried = None
        if index < len(parts) - 1 and _shares_next_name(part):
            carried = part
            continue
        if index < len(parts) - 1 and (owned := _owner_of_next(part, parts[index + 1])):
            part = owned  # "本人和家庭成员身份证": 本人 owns one too
        alternatives.append(part)
    return alternatives


def _owner_of_next(part: str, following: str) -> str | None:
    """"本人" before "和家庭成员身份证" → "本人身份证": an owner word alone shares the next part's document."""
    words = part.strip()
    owner = DOCUMENT_READER_PREFIX.fullmatch(words) or DOCUMENT_OWNER_PREFIX.fullmatch(words)
    known = _known_document_in(following)
    return words + known[1] if owner and known else None


def _shares_next_name(part: str) -> bool:
    """"解除" before "或终止劳动合同证明": short, no document, no owner ("本人及家属身份证" are two)."""
    words = PARENTHESIS.sub("", part).rsplit("的", 1)[-1].strip()
    owner = DOCUMENT_READER_PREFIX.match(words) or DOCUMENT_OWNER_PREFIX.search(words)
    return 0 < len(words) <= SHARED_NAME_ALTERNATIVE_MAX_CHARS and not owner and document_name(words) is None


def _own_document_name(piece: str, name: str) -> str | None:
    """"二级以上医院的门诊病历" → "门诊病历": the known name with the words glued before it (after any 的)."""
    words = TRAILING_PUNCT.sub("", clean_item(piece)).rsplit("的", 1)[-1]
    if not words.endswith(name) or words == name or len(words) > DOCUMENT_MAX_CHARS:
        return None
    return words
