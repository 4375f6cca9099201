"""Canonical text, fact keys and near-duplicate fingerprints for spun city-variant articles.

One job: turn text into stable identifiers. `canonical_text` folds away what the site's text spinner
varies (width, city names, 医保/医疗保险, quote and arrow styles, list punctuation) while keeping every
digit, unit and listed item; `record_key` hashes a record's canonical form (exact identity, never
fuzzy); `section_minhash` + `band_keys` cluster the city variants of one section template (similarity,
not identity); `article_fingerprint` spots whole-article re-posts. Pure functions: no Scrapy, no DB.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from normalize.aliases import item_identity
from normalize.patterns import (
    ARROW,
    ENCLOSED_LIST_MARKER,
    LIST_MARKER,
    PLACE_SUFFIXES,
    QUOTES,
    RANGE_SEPARATOR,
    SOFT_PUNCTUATION,
    SYNONYMS,
    TITLE_DATE_SUFFIX,
    TRAILING_FULL_STOP,
)
from schema.records import Record
from schema.vocabulary import CITY_MASK, RecordType

# ---------------------------------------------------------------------------------------------
# Parameters (measured on the two seed pages; see tests/test_fingerprint.py and the table below)
# ---------------------------------------------------------------------------------------------

# Character k-grams of canonical text. Exact Jaccard of the seeds' sections (济南 vs 西宁; "same" =
# city variants of one template per the gold file, "diff" = different templates), measured by k:
#                                                    k=2    k=3    k=4    k=5    k=6
#   same  参保地变更 济南 / 参保地变更 西宁           0.801  0.754  0.718  0.687  0.669
#   same  缴费记录查询 济南 / 缴费明细查询 西宁       0.764  0.706  0.651  0.608  0.577
#   diff  牙科 济南 / 报销范围 西宁                   0.089  0.036  0.014  0.006  0.001
#   diff  参保地变更 济南 / 缴费明细查询 西宁         0.100  0.054  0.025  0.011  0.005
#   diff  max of all 19 different-template pairs     0.143  0.069  0.038  0.018  0.011
#         (10 across the two pages, 9 within a page)
# k=4 leaves different templates <= 0.04 and same-template variants >= 0.65, so a 0.35 threshold
# has ~0.3 margin on both sides. k=3 doubles the cross-template noise from stock words (身份证,
# 医保卡, 经办机构); k>=5 loses same-template similarity, as every edited character kills k shingles.
SHINGLE_K = 4

# 60 permutations = 20 bands x 3 rows: LSH threshold (1/20)^(1/3) ~ 0.37, collision probability
# 1-(1-s^3)^20: s=0.65 -> 0.998, s=0.5 -> 0.93, s=0.35 -> 0.59 | s=0.1 -> 0.02, s=0.04 -> 0.001.
# (16 x 4 = 64 would put the threshold at 0.50 and miss 4% of pairs at the seeds' J=0.65.)
NUM_PERM = 60
LSH_BANDS = 20
LSH_ROWS = 3
# A candidate pair from an LSH hit is accepted when estimate_jaccard >= this: midway between the
# seeds' highest different-template Jaccard (0.04) and lowest same-template one (0.65); the
# estimate's standard error at 60 permutations is <= 0.065, so both margins are > 4 errors wide.
JACCARD_THRESHOLD = 0.35
# Fixed seed: band keys must be identical across processes and runs (they are stored in the DB).
MINHASH_SEED = 20250502
# datasketch >= 2.0 permutation scheme, named explicitly: the default changed in 2.0 (from "legacy"),
# and a silent change would invalidate every stored band key.
MINHASH_SCHEME = "affine32"

# Length of the hex digests used as keys (80 bits: collision-free at any realistic scale).
DIGEST_HEX_CHARS = 20

# Whitespace runs other than newlines (sections are canonicalised line by line in one pass).
_SPACE = re.compile(r"[^\S\n]+")
# Characters a space must sit between to survive: "APP 下载" == "APP下载" but "1 3" != "13".
_WORD_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Separators left dangling at either end of a line once punctuation and arrows were folded.
_LINE_EDGE_CHARS = ",→ "

_SYNONYM_MAP: dict[str, str] = dict(SYNONYMS)
# Longest first so 基本医疗保险 wins over 医疗保险; one pass so a replacement is never re-replaced.
_SYNONYM_RE = re.compile("|".join(re.escape(s) for s in sorted(_SYNONYM_MAP, key=len, reverse=True)))

_REPEATED_MASK = re.compile(f"(?:{re.escape(CITY_MASK)})+")


# ---------------------------------------------------------------------------------------------
# Canonical text
# ---------------------------------------------------------------------------------------------


def canonical_text(text: str, place_names: Sequence[str] = ()) -> str:
    """The spinner- and typography-invariant form of `text`: same fact -> same string; other digits or
    items -> other string. List markers of every style, bullets and trailing full stops are dropped."""
    return _canonical_lines(text.replace("\n", " "), place_names)


def _canonical_lines(text: str, place_names: Sequence[str]) -> str:
    """canonical_text applied to each line of `text` in one pass (regex calls per section, not per line)."""
    text = ENCLOSED_LIST_MARKER.sub("", text)  # before NFKC, which would glue ① to a following number
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub(_space, text)
    return _canonical_masked(mask_places(text, place_names))


@lru_cache(maxsize=65536)
def _canonical_masked(text: str) -> str:
    """The place-free part of canonicalisation; cached, as city variants repeat it line for line."""
    text = LIST_MARKER.sub("", text)  # ordinal and block are fields of a record, not part of its fact
    text = _SYNONYM_RE.sub(_synonym, text)
    text = QUOTES.sub('"', text)
    text = RANGE_SEPARATOR.sub(r"\1~", text)
    text = ARROW.sub("→", text)
    text = TRAILING_FULL_STOP.sub("", text)
    text = SOFT_PUNCTUATION.sub(",", text)
    lines = (line.strip(_LINE_EDGE_CHARS) for line in text.lower().split("\n"))
    return "\n".join(line for line in lines if line)


def _space(match: re.Match[str]) -> str:
    """One space between two ASCII letters/digits, nothing elsewhere (CJK has no word spaces)."""
    text, start, end = match.string, match.start(), match.end()
    if start == 0 or end == len(text):
        return ""
    return " " if text[start - 1] in _WORD_CHARS and text[end] in _WORD_CHARS else ""


def _synonym(match: re.Match[str]) -> str:
    return _SYNONYM_MAP[match.group(0)]


def mask_places(text: str, place_names: Sequence[str]) -> str:
    """Replace every spelling of the article's place (longest first) by one CITY_MASK token."""
    pattern = _place_pattern(tuple(place_names))
    if pattern is None:
        return text
    # "山东省济南市" masks as two adjacent tokens; one token keeps 山东济南 == 西宁.
    return _REPEATED_MASK.sub(CITY_MASK, pattern.sub(CITY_MASK, text))


@lru_cache(maxsize=4096)
def _place_pattern(place_names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of all spellings and their suffix-less short forms, longest first."""
    names = {unicodedata.normalize("NFKC", n).strip() for n in place_names}
    names |= {short for n in names if (short := _strip_place_suffix(n))}
    # A one-character spelling (鲁, 青) would also hit ordinary words, so it is never masked.
    names = {n for n in names if len(n) >= 2}
    if not names:
        return None
    # Regex alternation takes the first alternative that matches, so longest first = longest match.
    ordered = sorted(names, key=lambda n: (-len(n), n))
    return re.compile("|".join(re.escape(n) for n in ordered))


def _strip_place_suffix(name: str) -> str | None:
    """Drop an official suffix (济南市 -> 济南); None when there is none or one character would remain."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


# ---------------------------------------------------------------------------------------------
# Record identity (exact)
# ---------------------------------------------------------------------------------------------


# Types whose fact is the item itself: 身份证 required is one fact whichever list it was printed in.
ITEM_FACT_TYPES = frozenset({RecordType.MATERIAL, RecordType.EXCLUSION, RecordType.COVERAGE})


def record_key(record: Record, place_names: Sequence[str] = ()) -> str:
    """A stable hex key of the record's fact: equal iff type, canonical text and all fields are equal.

    The fact, not its typography: the canonical text has no list marker, bullet or trailing full stop,
    and ordinal, block and position never enter the key. Numbers, unit, bound, channel, actor, status,
    qualifiers and menu path always do. For materials, exclusions and coverage with an item, the item
    after the alias table (`normalize.aliases.item_identity`) is the fact: the line it was listed in and
    its block's wording do not enter the key, and two differently named forms or cards never share it.
    """

    def canon(value: str | None) -> str | None:
        return None if value is None else canonical_text(value, place_names)

    by_item = record.type in ITEM_FACT_TYPES and bool(record.item)
    payload = [
        str(record.type),
        None if by_item else canon(record.text),
        item_key(record.item, place_names),
        _number(record.value_min),
        _number(record.value_max),
        record.unit,
        record.bound,
        record.applies_to,
        record.channel,
        sorted(record.qualifiers),  # 原件及复印件 == 复印件及原件
        record.optional,
        None if by_item else canon(record.category),
        [canon(step) for step in record.menu_path],
        record.actor,
        record.status,
    ]
    return _digest(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


def item_key(item: str | None, place_names: Sequence[str] = ()) -> str | None:
    """What an item is identified by: its alias-table identity, without a list marker the line lent it
    ("①美容项目", "(一)美容项目"), with the article's place masked.

    Not the whole `canonical_text`: the alias table already folds width, wrappers and the 医疗保险/医保
    spin, and a quantity stays part of the name ("2寸照片" keeps its 2, see QUANTITY_FOLLOWERS).
    """
    if item is None:
        return None
    unmarked = LIST_MARKER.sub("", unicodedata.normalize("NFKC", ENCLOSED_LIST_MARKER.sub("", item.strip())))
    return mask_places(item_identity(unmarked), place_names).lower()


def _number(value: float | None) -> str | None:
    """repr of a float: 15 and 15.0 agree, 15 and 15.5 never do."""
    return None if value is None else repr(float(value))


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:DIGEST_HEX_CHARS]


# ---------------------------------------------------------------------------------------------
# Section similarity (clustering city variants of one template)
# ---------------------------------------------------------------------------------------------


def section_text(heading: str, lines: Iterable[str], place_names: Sequence[str]) -> str:
    """The text a section is fingerprinted on: canonical heading + canonical lines, one per line."""
    parts = (part.replace("\n", " ") for part in (heading, *lines))
    return _canonical_lines("\n".join(parts), place_names)


def section_shingles(text: str, k: int = SHINGLE_K) -> set[str]:
    """Character k-grams of `text` (pass `section_text(...)`); a shorter non-empty text is one shingle."""
    if len(text) <= k:
        return {text} if text else set()
    return {text[i : i + k] for i in range(len(text) - k + 1)}


def section_minhash(text: str, num_perm: int = NUM_PERM, k: int = SHINGLE_K) -> LeanMinHash:
    """MinHash of the k-gram set of `text` (pass `section_text(...)`), seeded with MINHASH_SEED.

    Equal to MinHash(num_perm, seed=MINHASH_SEED, hashfunc=identity, scheme="affine32") fed
    `update_batch(_shingle_hashes(text, k))`, but with the permutations applied as numpy matrices
    instead of datasketch's per-value Python loop (about 3x faster on seed-sized sections). The
    shingles go through in chunks of MINHASH_CHUNK, so memory stays bounded whatever the section's
    size (a running minimum gives the same values as one big matrix).
    """
    a, b = _permutations(num_perm)
    values = np.full(num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)  # datasketch's empty state
    for hashes in _shingle_hash_chunks(text, k):
        # uint32 arithmetic wraps: the affine32 scheme
        np.minimum(values, (_fmix32(hashes)[:, None] * a + b).min(axis=0), out=values)
    return LeanMinHash(seed=MINHASH_SEED, hashvalues=values, scheme=MINHASH_SCHEME)


# Shingles hashed and permuted at a time: a 4096 x 60 uint32 matrix (~1 MB), not one row per character
# of the section (a 4 MB article once took 1 GB).
MINHASH_CHUNK = 4096


def _shingle_hashes(text: str, k: int) -> np.ndarray:
    """32-bit hashes of all k-grams of `text` (uint32), in order; see _shingle_hash_chunks."""
    chunks = list(_shingle_hash_chunks(text, k))
    return np.concatenate(chunks) if chunks else np.empty(0, dtype=np.uint32)


def _shingle_hash_chunks(text: str, k: int, chunk: int = MINHASH_CHUNK) -> Iterator[np.ndarray]:
    """The k-gram hashes of `text`, at most `chunk` at a time (each piece overlaps the next by k-1 chars)."""
    if not text:
        return
    k = min(k, len(text))  # a text shorter than k is one shingle, as in section_shingles
    n_windows = len(text) - k + 1
    for start in range(0, n_windows, chunk):
        stop = min(start + chunk, n_windows)
        yield _window_hashes(text[start : stop + k - 1], k)


def _window_hashes(text: str, k: int) -> np.ndarray:
    """32-bit hashes of the k-grams of `text` (len(text) >= k), computed on code points in numpy."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    windows = np.zeros(points.size - k + 1, dtype=np.uint64)
    for offset in range(k):
        # Polynomial hash of the window, wrapping mod 2^64; repeated k-grams give repeated values,
        # which the min() ignores, so no np.unique is needed.
        windows = windows * _POLY + points[offset : offset + windows.size]
    return ((windows ^ (windows >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


_POLY = np.uint64(0x9E3779B97F4A7C15)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer: datasketch's affine32 pre-mix of every input hash."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def _identity(value: int) -> int:
    """MinHash hashfunc for values that are already 32-bit hashes (the reference path in tests)."""
    return int(value)


@lru_cache(maxsize=8)
def reference_minhash(num_perm: int = NUM_PERM) -> MinHash:
    """An empty seeded MinHash whose permutations section_minhash uses (copy it to feed values)."""
    return MinHash(num_perm=num_perm, seed=MINHASH_SEED, hashfunc=_identity, scheme=MINHASH_SCHEME)


def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = reference_minhash(num_perm).permutations
    return a, b


def band_keys(minhash: MinHash | LeanMinHash, bands: int = LSH_BANDS, rows: int = LSH_ROWS) -> list[str]:
    """LSH band keys "b{index}:{hash}"; sections sharing any key are candidate variants of one template."""
    return signature_band_keys(np.asarray(minhash.hashvalues, dtype="<u8").tobytes(), bands, rows)


def signature_band_keys(signature: bytes, bands: int = LSH_BANDS, rows: int = LSH_ROWS) -> list[str]:
    """`band_keys` of a stored signature (MinHash values as little-endian uint64 bytes)."""
    values = np.frombuffer(signature, dtype="<u8")
    if bands * rows > values.size:
        raise ValueError(f"{bands} bands x {rows} rows need {bands * rows} hash values, have {values.size}")
    # blake2b, not hash(): keys are stored and must not depend on PYTHONHASHSEED.
    return [
        f"b{i}:{hashlib.blake2b(values[i * rows : (i + 1) * rows].tobytes(), digest_size=8).hexdigest()}"
        for i in range(bands)
    ]


def estimate_jaccard(a: MinHash | LeanMinHash, b: MinHash | LeanMinHash) -> float:
    """MinHash estimate of the two sections' k-gram Jaccard, to confirm a candidate pair from band keys."""
    return float(a.jaccard(b))


def topic_from_heading(heading: str, place_names: Sequence[str]) -> str:
    """The heading (or title) with its place masked, wording kept and a trailing date dropped:
    "{城市}医保参保地怎么变更去哪里改"."""
    return mask_places(TITLE_DATE_SUFFIX.sub("", heading.strip()), place_names)


# ---------------------------------------------------------------------------------------------
# Article identity (re-posts)
# ---------------------------------------------------------------------------------------------


def article_fingerprint(body_lines: Sequence[str]) -> str:
    """Hash of the whole body with width and whitespace folded (not city-masked: re-posts, not variants)."""
    lines = (_SPACE.sub(" ", unicodedata.normalize("NFKC", line)).strip() for line in body_lines)
    return _digest("\n".join(line for line in lines if line))
