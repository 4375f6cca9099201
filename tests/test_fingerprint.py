"""Tests for normalize/fingerprint.py: canonical text, record keys, section MinHash/LSH, topics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from normalize import fingerprint as fp
from normalize.patterns import BOILERPLATE_DISCLAIMER, BOILERPLATE_SITE_NOTICE
from schema.records import Record
from schema.vocabulary import CITY_MASK, RecordType

REPO = Path(__file__).resolve().parents[1]
JINAN = ("山东济南", "济南市", "山东省", "济南", "山东")
XINING = ("西宁市", "青海省", "西宁", "青海")
SEED_NAMES = {"000_d31b16e6720416bb.txt": JINAN, "001_cf97d637fe11c84e.txt": XINING}
SEED_DIRS = (REPO / "crawler" / "fixture_site" / "seeds", Path("/work/shared/seeds"))
GOLD_FILES = (REPO / "eval" / "seed_expectations.json", Path("/work/shared/gold/seed_expectations.json"))


# ---------------------------------------------------------------------------------------------
# canonical_text
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # province + city spelling becomes one mask token
        ("山东济南医保参保地怎么变更去哪里改", JINAN, "{城市}医保参保地怎么变更去哪里改"),
        # a short spelling is derived from the official name (济南市 -> 济南)
        ("济南医保局", ("济南市",), "{城市}医保局"),
        # longest first: 西宁市 is masked whole, not as {城市}市
        ("西宁市医保局", ("西宁", "西宁市"), "{城市}医保局"),
        # province and city written out in full collapse into a single token
        ("山东省济南市医保局", ("山东省", "济南市"), "{城市}医保局"),
        # a one-character spelling is not masked (it would hit ordinary words)
        ("青年医保", ("青",), "青年医保"),
    ],
)
def test_masking(text: str, names: tuple[str, ...], expected: str) -> None:
    assert fp.canonical_text(text, names) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the spinner's 医保 / 医疗保险 swap
        ("联系原参保地医疗保险部门", "联系原参保地医保部门"),
        # longest synonym first: 基本医疗保险 -> 基本医保
        ("《基本医疗保险关系转移接续申请表》", "《基本医保关系转移接续申请表》"),
        # 方案 / 法规 / 规定 -> 政策
        ("以当地医保方案为准", "以当地医保法规为准"),
        # 消息 -> 通知
        ("以当地医疗保险部门消息为准", "以当地医保部门通知为准"),
        # full-width letters, colon and brackets fold to ASCII
        ("线上办理:下载ＡＰＰ(如需)", "线上办理:下载APP(如需)"),
        # quote styles
        ("搜索“我的医保凭证”小程序", "搜索「我的医保凭证」小程序"),
        # menu separators: → - — > all mean "then"
        ("“我”—“服务”—“城市服务”", '"我"→"服务"→"城市服务"'),
        ("“市民中心”-“社保”", "“市民中心”->“社保”"),
        # numeric ranges written four ways
        ("1-3个工作日内完成", "1至3个工作日内完成"),
        ("1~3个工作日内完成", "1—3个工作日内完成"),
        # list and sentence punctuation, trailing full stop
        ("身份证、户口簿或居住证原件及复印件。", "身份证,户口簿或居住证原件及复印件"),
        # spaces around CJK carry nothing (only a space between two ASCII words is kept)
        ("下载 医保服务平台 APP 后登录", "下载医保服务平台APP后登录"),
        # numbered labels
        ("1、跨省转移:", "1.跨省转移:"),
        # city masked: same sentence for 济南 and 西宁
        ("山东济南医保缴费记录查询", "西宁医保缴费记录查询"),
    ],
)
def test_same_canonical_text(a: str, b: str) -> None:
    names = JINAN + XINING
    assert fp.canonical_text(a, names) == fp.canonical_text(b, names)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # different numbers of days
        ("15个工作日内完成转移接续", "20个工作日内完成转移接续"),
        # different listed items
        ("洗牙不可报销", "洁牙不可报销"),
        # different ranges
        ("1-3个工作日", "1-5个工作日"),
        # punctuation is folded, not deleted: 3、5 never becomes 35
        ("3、5个工作日", "35个工作日"),
        # a space between digits survives
        ("1 3", "13"),
        # different units
        ("3个月以上", "3个工作日以上"),
    ],
)
def test_different_canonical_text(a: str, b: str) -> None:
    assert fp.canonical_text(a) != fp.canonical_text(b)


@pytest.mark.parametrize("name", sorted(SEED_NAMES))
def test_canonical_text_is_idempotent(name: str) -> None:
    # section_minhash is documented to take section_text output; re-canonicalising must not change it
    for line in _seed_lines(name):
        once = fp.canonical_text(line, SEED_NAMES[name])
        assert fp.canonical_text(once) == once


# ---------------------------------------------------------------------------------------------
# record_key
# ---------------------------------------------------------------------------------------------

OFFLINE_15 = Record(
    type=RecordType.TIMEFRAME,
    text="线下办理:医疗保险部门审核通过后,15个工作日内完成转移接续。",
    section_index=0,
    block="办理时限",
    value_max=15,
    unit="workday",
    bound="within",
    applies_to="offline",
)
ID_CARD = Record(
    type=RecordType.MATERIAL,
    text="身份证、户口簿或居住证原件及复印件。",
    section_index=0,
    block="准备材料",
    item="身份证",
    qualifiers=("original", "copy"),
)


def _with(record: Record, **changes: object) -> Record:
    return replace(record, **changes)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # 医保部门 / 医疗保险部门 + full-width (\uff1a \uff0c) / ASCII punctuation: the same fact
        (
            OFFLINE_15,
            _with(OFFLINE_15, text="线下办理\uff1a医保部门审核通过后\uff0c15个工作日内完成转移接续。"),
        ),
        # position and sub-heading wording (线下变更 / 线下办理) are not part of the fact
        (OFFLINE_15, _with(OFFLINE_15, section_index=3, block="线下办理", ordinal=2)),
        # 15 and 15.0
        (OFFLINE_15, _with(OFFLINE_15, value_max=15.0)),
        # the city is masked
        (
            _with(ID_CARD, text="到山东济南医保局提交身份证"),
            _with(ID_CARD, text="到西宁医保局提交身份证"),
        ),
        # qualifier order does not matter
        (ID_CARD, _with(ID_CARD, qualifiers=("copy", "original"))),
        # menu paths with different arrows and quotes
        (
            Record(
                RecordType.STEP, "支付宝:进入“市民中心”→“医疗保险”", 0, menu_path=("“市民中心”", "“医疗保险”")
            ),
            Record(
                RecordType.STEP, "支付宝:进入「市民中心」-「医保」", 0, menu_path=("「市民中心」", "「医保」")
            ),
        ),
    ],
)
def test_same_record_key(a: Record, b: Record) -> None:
    names = JINAN + XINING
    assert fp.record_key(a, names) == fp.record_key(b, names)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # 15 vs 20 个工作日 (text and value)
        (
            OFFLINE_15,
            _with(OFFLINE_15, text="线下办理:医保部门审核通过后,20个工作日内完成转移接续。", value_max=20),
        ),
        # same text, different parsed number: the fields count, not only the text
        (OFFLINE_15, _with(OFFLINE_15, value_max=20)),
        # different unit
        (OFFLINE_15, _with(OFFLINE_15, unit="day")),
        # 1-3 vs 1-5 个工作日
        (
            Record(
                RecordType.TIMEFRAME,
                "线上办理:1-3个工作日内完成。",
                0,
                value_min=1,
                value_max=3,
                unit="workday",
            ),
            Record(
                RecordType.TIMEFRAME,
                "线上办理:1-5个工作日内完成。",
                0,
                value_min=1,
                value_max=5,
                unit="workday",
            ),
        ),
        # two documents from one materials line
        (ID_CARD, _with(ID_CARD, item="户口簿")),
        # 洗牙 vs 洁牙
        (
            Record(RecordType.EXCLUSION, "如洗牙等不可报销", 0, item="洗牙", category="美容类项目"),
            Record(RecordType.EXCLUSION, "如洁牙等不可报销", 0, item="洁牙", category="美容类项目"),
        ),
        # 原件 only vs 原件及复印件
        (ID_CARD, _with(ID_CARD, qualifiers=("original",))),
        # (如需) makes a material optional
        (ID_CARD, _with(ID_CARD, optional=True)),
        # same line, different record type
        (ID_CARD, _with(ID_CARD, type=RecordType.NOTE)),
    ],
)
def test_never_merge_record_key(a: Record, b: Record) -> None:
    assert fp.record_key(a, JINAN) != fp.record_key(b, JINAN)


def test_record_key_shape() -> None:
    # a short lowercase hex string a database column can index
    key = fp.record_key(OFFLINE_15)
    assert len(key) == fp.DIGEST_HEX_CHARS
    assert int(key, 16) >= 0


# ---------------------------------------------------------------------------------------------
# Section fingerprints on the seed pages
# ---------------------------------------------------------------------------------------------


def _seed_lines(name: str) -> list[str]:
    path = _first_existing(tuple(d / name for d in SEED_DIRS))
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def _gold() -> dict:
    return json.loads(_gold_text())


def _first_existing(paths: tuple[Path, ...]) -> Path:
    for path in paths:
        if path.exists():
            return path
    pytest.skip(f"seed data not found: {paths[0].name}")


@cache
def _seed_sections(name: str) -> dict[str, list[str]]:
    """The page's lines split at the gold headings; a section ends at the next heading or boilerplate."""
    headings = set(_gold()[name]["sections"])
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in _seed_lines(name):
        if line in headings:
            current = line
            sections[current] = []
        elif BOILERPLATE_DISCLAIMER.match(line) or BOILERPLATE_SITE_NOTICE.match(line):
            current = None
        elif current is not None:
            sections[current].append(line)
    assert set(sections) == headings
    return sections


def _section(name: str, heading: str) -> str:
    return fp.section_text(heading, _seed_sections(name)[heading], SEED_NAMES[name])


def _exact_jaccard(a: str, b: str) -> float:
    sa, sb = fp.section_shingles(a), fp.section_shingles(b)
    return len(sa & sb) / len(sa | sb)


def _gold_text() -> str:
    """The gold file; without it the pair tests below collect as skipped (empty parameter sets)."""
    for path in GOLD_FILES:
        if path.exists():
            return path.read_text(encoding="utf-8")
    return json.dumps({"dedup": {"same_section_cluster": [], "different_section_cluster": []}})


def _pairs(kind: str) -> list[tuple[str, str, str, str]]:
    return [tuple(p) for p in _gold()["dedup"][kind]]


@pytest.mark.parametrize("pair", _pairs("same_section_cluster"), ids=lambda p: f"{p[1][:6]}~{p[3][:6]}")
def test_seed_city_variants_cluster(pair: tuple[str, str, str, str]) -> None:
    # the gold's same-template pairs collide in a band and pass the Jaccard check, with margin
    a, b = _section(pair[0], pair[1]), _section(pair[2], pair[3])
    ma, mb = fp.section_minhash(a), fp.section_minhash(b)
    assert set(fp.band_keys(ma)) & set(fp.band_keys(mb))
    assert fp.estimate_jaccard(ma, mb) >= fp.JACCARD_THRESHOLD
    assert _exact_jaccard(a, b) >= fp.JACCARD_THRESHOLD + 0.2


@pytest.mark.parametrize("pair", _pairs("different_section_cluster"), ids=lambda p: f"{p[1][:6]}~{p[3][:6]}")
def test_seed_different_templates_do_not_cluster(pair: tuple[str, str, str, str]) -> None:
    # the gold's different-template pairs share no band and fail the Jaccard check, with margin
    a, b = _section(pair[0], pair[1]), _section(pair[2], pair[3])
    ma, mb = fp.section_minhash(a), fp.section_minhash(b)
    assert not set(fp.band_keys(ma)) & set(fp.band_keys(mb))
    assert fp.estimate_jaccard(ma, mb) < fp.JACCARD_THRESHOLD
    assert _exact_jaccard(a, b) <= fp.JACCARD_THRESHOLD - 0.2


def test_minhash_estimates_exact_jaccard() -> None:
    # the numpy shingle hashing hashes the same set section_shingles returns (estimate within 3 s.e.)
    pairs = _pairs("same_section_cluster") + _pairs("different_section_cluster")
    for a_name, a_head, b_name, b_head in pairs:
        a, b = _section(a_name, a_head), _section(b_name, b_head)
        exact = _exact_jaccard(a, b)
        estimate = fp.estimate_jaccard(fp.section_minhash(a), fp.section_minhash(b))
        assert abs(estimate - exact) <= 3 * max(np.sqrt(exact * (1 - exact) / fp.NUM_PERM), 0.02)


@pytest.mark.parametrize(
    "text", ["", "医保", '{城市}医保参保地怎么变更去哪里改\n线上变更:\n下载并登录"医保服务平台"app']
)
def test_fast_minhash_equals_datasketch_update_batch(text: str) -> None:
    # the vectorised permutations reproduce datasketch's own affine32 MinHash bit for bit
    reference = fp.reference_minhash().copy()
    hashes = fp._shingle_hashes(text, fp.SHINGLE_K)
    if hashes.size:
        reference.update_batch(hashes)
    assert np.array_equal(fp.section_minhash(text).hashvalues, reference.hashvalues)


# ---------------------------------------------------------------------------------------------
# Band keys
# ---------------------------------------------------------------------------------------------

BAND_TEXT = "{城市}医保参保地怎么变更去哪里改\n线下办理:医保部门审核通过后,15个工作日内完成转移接续"


def test_band_keys_shape() -> None:
    # one short "b{index}:{hex}" key per band, in band order
    keys = fp.band_keys(fp.section_minhash(BAND_TEXT))
    assert len(keys) == fp.LSH_BANDS
    assert [k.split(":")[0] for k in keys] == [f"b{i}" for i in range(fp.LSH_BANDS)]
    assert all(len(k.split(":")[1]) == 16 for k in keys)


def test_band_keys_need_enough_hash_values() -> None:
    # bands x rows larger than the signature is a configuration error, not silently fewer bands
    with pytest.raises(ValueError):
        fp.band_keys(fp.section_minhash(BAND_TEXT), bands=fp.NUM_PERM, rows=2)


def test_band_keys_deterministic_across_processes() -> None:
    # keys are stored in the DB: a new interpreter with another hash seed must produce the same keys
    keys = fp.band_keys(fp.section_minhash(BAND_TEXT))
    assert keys == fp.band_keys(fp.section_minhash(BAND_TEXT))
    code = (
        "import json, sys; from normalize import fingerprint as fp; "
        "print(json.dumps(fp.band_keys(fp.section_minhash(sys.argv[1]))))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code, BAND_TEXT], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == keys


# ---------------------------------------------------------------------------------------------
# Topics and article fingerprints
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "names", "expected"),
    [
        # province + city prefix
        ("山东济南医保参保地怎么变更去哪里改", JINAN, f"{CITY_MASK}医保参保地怎么变更去哪里改"),
        # city only: the two seeds' headings give the same topic
        ("西宁医保参保地怎么变更去哪里改", XINING, f"{CITY_MASK}医保参保地怎么变更去哪里改"),
        # wording and punctuation are kept (no synonym folding in a topic)
        ("西宁医疗保险报销范围有哪些?", XINING, f"{CITY_MASK}医疗保险报销范围有哪些?"),
        # a heading without the place is unchanged
        ("医保参保地怎么变更", XINING, "医保参保地怎么变更"),
    ],
)
def test_topic_from_heading(heading: str, names: tuple[str, ...], expected: str) -> None:
    assert fp.topic_from_heading(heading, names) == expected


def test_article_fingerprint() -> None:
    # width and whitespace do not matter; a different city (no masking) or a changed line does
    body = ["西宁医保参保地怎么变更去哪里改", "线下办理:15个工作日内完成。"]
    same = [
        "  西宁医保参保地怎么变更去哪里改 ",
        "",
        "线下办理\uff1a\uff11\uff15个工作日内完成。",
    ]  # full-width :15
    assert fp.article_fingerprint(body) == fp.article_fingerprint(same)
    assert fp.article_fingerprint(body) != fp.article_fingerprint(["济南医保参保地怎么变更去哪里改", body[1]])
    assert fp.article_fingerprint(body) != fp.article_fingerprint([body[0], "线下办理:20个工作日内完成。"])
