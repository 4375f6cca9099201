"""The one alias table for item names (materials, exclusions): true synonyms map to one printed form.

Only spellings that name the same thing belong here. Everything else keeps its printed name:
电子社保卡 is not 社保卡, and two differently titled forms are two items. The record extractor, the
record identity (`normalize.fingerprint.record_key`) and the evaluation matcher all call
`canonical_item`, so one edit here moves all three.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from normalize.patterns import SYNONYMS

# alias → canonical name (looked up on the width-folded name, and again with 医疗保险 spun back to 医保);
# each line says why the two are one thing.
ITEM_ALIASES: dict[str, str] = {
    "户口本": "户口簿",  # the household register's everyday name
    "户口薄": "户口簿",  # a common miswriting of 簿 (薄 "thin")
    "居民户口簿": "户口簿",  # its full official name
    "居民身份证": "身份证",  # the ID card's full official name
    "二代身份证": "身份证",  # the second-generation card is the only ID card in use
    "社会保障卡": "社保卡",  # full name of the social security card
    "医疗保障电子凭证": "医保电子凭证",  # official name of the national healthcare-security e-voucher
    "医疗保障卡": "医保卡",  # the medical insurance card under the 医疗保障 wording
    "结婚证书": "结婚证",  # the marriage certificate's long name
    "出生证明": "出生医学证明",  # the birth certificate's everyday name
    "诊断证明书": "诊断证明",  # the same certificate, with or without 书
    "医学诊断证明": "诊断证明",  # the same certificate, 医学-qualified
    "医学诊断证明书": "诊断证明",  # the same certificate, both
    "疾病诊断证明": "诊断证明",  # the same certificate, disease-qualified
    "疾病诊断证明书": "诊断证明",  # the same certificate, both
}

# Punctuation and wrappers that are never part of an item's name: book-title marks, quotes, list
# glyphs at the start, full stops and list separators at the end.
_ITEM_EDGE = re.compile(r"^[《〈“\"'‘「\s·•\-—*]+|[》〉”\"'’」\s。.,,;;、!!]+$")

# The text spinner's word swaps that occur inside item names (医疗保险卡 / 医保卡).
_ITEM_SPINS: tuple[tuple[str, str], ...] = tuple(pair for pair in SYNONYMS if pair[1] == "医保" or pair[1] == "基本医保")


@lru_cache(maxsize=8192)
def canonical_item(name: str) -> str:
    """The name an item is stored under: width-folded, unwrapped, and its alias's canonical name if it has one."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = _ITEM_EDGE.sub("", text).replace("《", "").replace("》", "")
    return ITEM_ALIASES.get(text) or ITEM_ALIASES.get(_unspun(text)) or text


@lru_cache(maxsize=8192)
def item_identity(name: str) -> str:
    """What two items are compared by: the stored name with the spinner's 医疗保险/医保 swap undone."""
    return _unspun(canonical_item(name))


def _unspun(text: str) -> str:
    for spun, canonical in _ITEM_SPINS:
        text = text.replace(spun, canonical)
    return text
