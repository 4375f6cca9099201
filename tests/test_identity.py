"""Record identity (issue 8): one fact, one id across cities and typography; different facts never share one."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import replace

import pytest

from crawler.fixture_site.render import render_article_page
from normalize import fingerprint as fp
from normalize.extract import RawPage
from normalize.pipeline import process_pages
from schema.records import Record
from schema.vocabulary import RecordType
from tests.identity_fixtures import CITIES, NUMBERING_STYLES, variant_article

# Place spellings per city, as the region recogniser reports them ("广东汕头", "汕头市", "广东省", ...).
PLACES = {city: (province + city, city + "市", province + "省", city, province) for province, city in CITIES}

# The same step line in the spinner's two spellings; {城市} is the city.
STEP_SPELLINGS = (
    "登录{城市}医保局官方网站,进入“个人查询”栏目。",
    "登录{城市}医疗保险局官方网站，进入「个人查询」栏目",
)


def _marker(style: str) -> str:
    return NUMBERING_STYLES[style](0)


def _step(text: str, **fields: object) -> Record:
    values: dict[str, object] = {"block": "线上办理", "ordinal": 1, "channel": "website", "actor": "applicant"}
    return Record(RecordType.STEP, text, 0, **{**values, **fields})


def _timeframe(text: str, **fields: object) -> Record:
    values: dict[str, object] = {"value_max": 15, "unit": "workday", "bound": "within", "applies_to": "offline",
                                 "status": "current"}
    return Record(RecordType.TIMEFRAME, text, 0, block="办理时限", **{**values, **fields})


def _material(item: str, text: str = "", **fields: object) -> Record:
    return Record(RecordType.MATERIAL, text or item, 0, block="所需材料", item=item, **fields)


# ---------------------------------------------------------------------------------------------
# Property: every marker style x spinner spelling x city gives one id
# ---------------------------------------------------------------------------------------------


def test_same_step_line_one_id_in_every_style_spelling_and_city() -> None:
    # 19 marker styles x 2 spellings x 20 cities: the fact is the line, not its marker, word or city
    keys = set()
    for style, spelling, (province, city) in itertools.product(NUMBERING_STYLES, STEP_SPELLINGS, CITIES):
        text = _marker(style) + spelling.replace("{城市}", province + city)
        ordinal = 1 + len(keys) % 5  # the position in its list is a field, not identity
        keys.add(fp.record_key(_step(text, ordinal=ordinal), PLACES[city]))
    assert len(keys) == 1


def test_same_timeframe_and_material_one_id_in_every_style() -> None:
    # the same holds for a timeframe line and for a material (identified by its item)
    timeframes, materials = set(), set()
    for style, (province, city) in itertools.product(NUMBERING_STYLES, CITIES):
        marker = _marker(style)
        timeframes.add(fp.record_key(_timeframe(f"{marker}线下办理:{city}医保局受理后15个工作日内办结。"), PLACES[city]))
        materials.add(fp.record_key(_material(f"{marker}《{province}{city}医疗保险参保地变更申请表》"), PLACES[city]))
    assert len(timeframes) == 1
    assert len(materials) == 1


# Each change below is one field of the fact; the key must move whatever the marker style.
FACT_CHANGES: dict[str, tuple[Record, Record]] = {
    "number in text and value": (_timeframe("15个工作日内办结"), _timeframe("20个工作日内办结", value_max=20)),
    "parsed number only": (_timeframe("15个工作日内办结"), _timeframe("15个工作日内办结", value_max=20)),
    "unit": (_timeframe("15个工作日内办结"), _timeframe("15个工作日内办结", unit="day")),
    "bound": (_timeframe("15个工作日内办结"), _timeframe("15个工作日内办结", bound="exact")),
    "status": (_timeframe("15个工作日内办结"), _timeframe("15个工作日内办结", status="superseded")),
    "channel": (_step("登录网站查询"), _step("登录网站查询", channel="app")),
    "actor": (_step("登录网站查询"), _step("登录网站查询", actor="office")),
    "step text": (_step("登录网站查询"), _step("登录网站打印")),
    "item": (_material("身份证"), _material("户口簿")),
    "item 洗牙/洁牙": (
        Record(RecordType.EXCLUSION, "洗牙", 0, item="洗牙"),
        Record(RecordType.EXCLUSION, "洁牙", 0, item="洁牙"),
    ),
    "leading quantity of an item": (_material("1寸照片"), _material("2寸照片")),
}


@pytest.mark.parametrize("change", sorted(FACT_CHANGES))
@pytest.mark.parametrize("style", ["1、", "(1)", "①", "第一步", "1 (bare)", "•", "none"])
def test_changed_fact_gets_another_id(change: str, style: str) -> None:
    # a change of number, unit, bound, status, channel, actor, text or item moves the id, in any style
    before, after = FACT_CHANGES[change]
    marker = _marker(style)
    before, after = replace(before, text=marker + before.text), replace(after, text=marker + after.text)
    assert fp.record_key(before, PLACES["汕头"]) != fp.record_key(after, PLACES["汕头"])


# ---------------------------------------------------------------------------------------------
# Items: the alias table decides, forms and cards never merge
# ---------------------------------------------------------------------------------------------


def test_three_application_forms_three_ids() -> None:
    # three differently titled forms are three facts, though all end in 申请表
    forms = ("《医疗保险参保地变更申请表》", "《基本医疗保险关系转移接续申请表》", "《异地就医备案申请表》")
    assert len({fp.record_key(_material(form)) for form in forms}) == 3


@pytest.mark.parametrize(
    "spellings",
    [
        ("户口本", "户口簿", "户口薄", "《户口簿》", "居民户口簿"),  # the household register, four spellings
        ("身份证", "居民身份证", "二代身份证", "身份证。"),  # the ID card, with its long names
        ("医疗保险卡", "医保卡", "①医保卡"),  # the spinner's swap and a list marker inside the item
    ],
)
def test_aliases_one_id(spellings: tuple[str, ...]) -> None:
    assert len({fp.record_key(_material(item)) for item in spellings}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("电子社保卡", "社保卡"),  # the electronic card is another document
        ("医保电子凭证", "医保卡"),  # the e-voucher is not the card
        ("身份证", "身份证复印件说明"),  # a longer name is another item
    ],
)
def test_different_items_never_merge(a: str, b: str) -> None:
    assert fp.record_key(_material(a)) != fp.record_key(_material(b))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第1步:登录网站", "登录网站"),  # 第1步 with a colon
        ("步骤一、登录网站", "登录网站"),  # 步骤一 with 、
        ("1、(1)登录网站", "登录网站"),  # two markers in a row
        ("【2】登录网站", "登录网站"),  # bracketed number
        ("⑴登录网站", "登录网站"),  # parenthesised digit character
        ("①15个工作日内办结", "15个工作日内办结"),  # ① is not glued to the 15
        ("15个工作日内办结", "15个工作日内办结"),  # a leading quantity is not a marker
        ("3月1日起执行", "3月1日起执行"),  # nor a date
        ("1.5个月内", "1.5个月内"),  # nor a decimal
        ("1、2级医院", "1,2级医院"),  # nor "1、2" (two numbers)
        ("一、二级医院", "一,二级医院"),  # nor "一、二"
        ("1至3个月", "1~3个月"),  # nor a range
        ("21登录网站", "21登录网站"),  # a bare number above 20 is content
        ("登录网站.", "登录网站"),  # trailing ASCII full stop
    ],
)
def test_canonical_text_markers(text: str, expected: str) -> None:
    assert fp.canonical_text(text) == expected


# ---------------------------------------------------------------------------------------------
# Done when: on city variants with mixed numbering, same-fact pairs share an id >= 0.98, different never
# ---------------------------------------------------------------------------------------------


def _folded(text: str) -> str:
    # as extraction hands lines on: a circled list number becomes "N、" before width folding
    text = re.sub(r"^\s*([①-⑳])", lambda m: f"{ord(m.group(1)) - ord('①') + 1}、", text)
    return unicodedata.normalize("NFKC", text).strip()


def _facts_by_city(styles: list[str]) -> dict[tuple[int, str, int], dict[int, str]]:
    """(template line, record type, n-th record of that type on the line) → city index → record id.

    The fact a record states is known from the fixture, never from the code under test: the line it
    was extracted from (its position in the template) and its type and rank on that line.
    """
    facts: dict[tuple[int, str, int], dict[int, str]] = defaultdict(dict)
    for index, style in enumerate(styles):
        article = variant_article(5_200_000 + index, index % len(CITIES), style)
        html = render_article_page(article, list(article.paragraphs)).encode()
        result = process_pages([RawPage(f"http://fixture/{article.id}.html", html, "text/html; charset=utf-8")])
        # extraction may fold a line's width ("（1）" → "(1)"), so lines are matched width-folded
        line_of = {_folded(text): position for position, (_, text) in enumerate(article.paragraphs)}
        seen: dict[tuple[int, str], int] = defaultdict(int)
        for record in result.records:
            key = (line_of[_folded(record.text)], str(record.type))
            facts[(*key, seen[key])][index] = fp.record_key(record, result.region.names)
            seen[key] += 1
    return facts


def test_city_variants_with_mixed_numbering_share_ids() -> None:
    # every numbering style once, each for another city: >= 98% of same-fact pairs share an id, and no
    # two different facts share one
    facts = _facts_by_city(list(NUMBERING_STYLES))
    same_pairs = shared = 0
    for by_city in facts.values():
        for a, b in itertools.combinations(sorted(by_city), 2):
            same_pairs += 1
            shared += by_city[a] == by_city[b]
    owners: dict[str, set[tuple[int, str, int]]] = defaultdict(set)
    for fact, by_city in facts.items():
        for record_id in by_city.values():
            owners[record_id].add(fact)
    assert same_pairs > 500  # the measure is over enough pairs to mean something
    assert shared / same_pairs >= 0.98
    assert all(len(fact_set) == 1 for fact_set in owners.values())
