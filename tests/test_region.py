"""Tests for normalize/region.py: which city an article's title and headings name."""

import dataclasses
import json
from pathlib import Path

import pytest

from normalize import region as region_module
from normalize.region import (
    recognize_region,
    region_for_adcode,
    region_names_for,
    short_name,
)
from schema.records import Region

GOLD = Path("/work/shared/gold/seed_expectations.json")


def _gold(seed: str) -> dict:
    if not GOLD.exists():
        pytest.skip("gold file not available")
    return json.loads(GOLD.read_text(encoding="utf-8"))[seed]


@pytest.mark.parametrize("seed", ["000_d31b16e6720416bb.txt", "001_cf97d637fe11c84e.txt"])
def test_seed_pages_match_gold(seed: str) -> None:
    # The two real pages: 济南 (title names no city, headings say 山东济南) and 西宁.
    gold = _gold(seed)
    region = recognize_region(gold["title"], list(gold["sections"]))
    assert (region.province, region.city) == (gold["province"], gold["city"])


@pytest.mark.parametrize(
    ("title", "headings", "expected"),
    [
        # Seed 济南: province + city prefix; the title names no place.
        ("医疗保险参保地怎么变更?(05/02)", ["山东济南医保参保地怎么变更去哪里改", "山东济南治疗牙齿可以走医保吗?"],
         ("山东省", "济南市", "370100")),
        # Seed 西宁: city alone, province implied.
        ("西宁医保地区可以更改吗怎么改?(2025年10月6日)", ["西宁医保参保地怎么变更去哪里改", "西宁医疗保险报销范围有哪些?"],
         ("青海省", "西宁市", "630100")),
        # Full official province and city names.
        (None, ["山东省济南市医保怎么缴费"], ("山东省", "济南市", "370100")),
        # Short autonomous-region names as prefixes.
        (None, ["新疆乌鲁木齐医保怎么缴费"], ("新疆维吾尔自治区", "乌鲁木齐市", "650100")),
        (None, ["内蒙古包头医保怎么缴费"], ("内蒙古自治区", "包头市", "150200")),
        (None, ["内蒙呼和浩特医保怎么缴费"], ("内蒙古自治区", "呼和浩特市", "150100")),
        (None, ["广西防城港医疗保险家庭共济怎么绑定?"], ("广西壮族自治区", "防城港市", "450600")),
        (None, ["宁夏银川医保怎么缴费"], ("宁夏回族自治区", "银川市", "640100")),
        (None, ["西藏拉萨医保怎么缴费"], ("西藏自治区", "拉萨市", "540100")),
        (None, ["广西壮族自治区柳州市医保怎么缴费"], ("广西壮族自治区", "柳州市", "450200")),
        # Municipalities: the city is the municipality, adcode xx0000.
        (None, ["北京医保卡余额怎么转移"], ("北京市", "北京市", "110000")),
        (None, ["上海市医保怎么缴费"], ("上海市", "上海市", "310000")),
        (None, ["天津医保怎么缴费"], ("天津市", "天津市", "120000")),
        (None, ["重庆医保怎么缴费"], ("重庆市", "重庆市", "500000")),
        # A district after a municipality is not a city of its own.
        (None, ["北京朝阳医保怎么缴费"], ("北京市", "北京市", "110000")),
        # 自治州 / 地区 / 盟 by short name, derived from the data.
        (None, ["恩施医保怎么缴费"], ("湖北省", "恩施土家族苗族自治州", "422800")),
        (None, ["延边医保怎么缴费"], ("吉林省", "延边朝鲜族自治州", "222400")),
        (None, ["阿勒泰如果医保想更换参保地该如何更换?"], ("新疆维吾尔自治区", "阿勒泰地区", "654300")),
        (None, ["大兴安岭医保怎么缴费"], ("黑龙江省", "大兴安岭地区", "232700")),
        (None, ["锡林郭勒医保怎么缴费"], ("内蒙古自治区", "锡林郭勒盟", "152500")),
        # "兴安盟" is its own 盟, not a piece of 大兴安岭.
        (None, ["兴安盟医保怎么缴费"], ("内蒙古自治区", "兴安盟", "152200")),
        # Ethnic names without 族 (蒙古, 哈萨克) are stripped too.
        (None, ["博尔塔拉医保怎么缴费"], ("新疆维吾尔自治区", "博尔塔拉蒙古自治州", "652700")),
        (None, ["伊犁医保怎么缴费"], ("新疆维吾尔自治区", "伊犁哈萨克自治州", "654000")),
        # The everyday "恩施州" spelling.
        (None, ["恩施州医保怎么缴费"], ("湖北省", "恩施土家族苗族自治州", "422800")),
        # Bare 吉林 is the province; the city needs 吉林吉林 / 吉林市.
        (None, ["吉林医保怎么缴费"], ("吉林省", None, None)),
        (None, ["吉林吉林医保断缴后补缴多久能用?"], ("吉林省", "吉林市", "220200")),
        (None, ["吉林市医保怎么缴费"], ("吉林省", "吉林市", "220200")),
        (None, ["吉林省吉林市医保怎么缴费"], ("吉林省", "吉林市", "220200")),
        # Same rule for 海南: bare is the province, after 青海 it is 海南藏族自治州.
        (None, ["海南医保怎么缴费"], ("海南省", None, None)),
        (None, ["青海海南医保怎么缴费"], ("青海省", "海南藏族自治州", "632500")),
        # 朝阳: only 辽宁's is prefecture-level (the 朝阳区 districts do not count).
        (None, ["朝阳医保怎么缴费"], ("辽宁省", "朝阳市", "211300")),
        (None, ["辽宁朝阳治疗牙齿可以走医保吗?"], ("辽宁省", "朝阳市", "211300")),
        # County-level cities directly under a province keep their own code.
        (None, ["仙桃医保怎么缴费"], ("湖北省", "仙桃市", "429004")),
        (None, ["济源医保怎么缴费"], ("河南省", "济源市", "419001")),
        (None, ["石河子医保怎么缴费"], ("新疆维吾尔自治区", "石河子市", "659001")),
        (None, ["湖北潜江医保怎么缴费"], ("湖北省", "潜江市", "429005")),
        (None, ["天门医保怎么缴费"], ("湖北省", "天门市", "429006")),
        (None, ["神农架医保怎么缴费"], ("湖北省", "神农架林区", "429021")),
        # Exact lookups: 长沙 is not 长春.
        (None, ["长沙医保怎么缴费"], ("湖南省", "长沙市", "430100")),
        # A year or numbering before the place.
        (None, ["2025年西宁医保缴费标准"], ("青海省", "西宁市", "630100")),
        (None, ["1、西宁医保怎么缴费"], ("青海省", "西宁市", "630100")),
        # Province-only evidence: no city, no adcode.
        (None, ["山东医保怎么缴费", "山东医保卡怎么激活"], ("山东省", None, None)),
        # Title-only evidence, city at the start.
        ("宿迁医保卡里的钱家人也能用?(7月18日)", ["医保个人账户家庭共济怎么办理?"], ("江苏省", "宿迁市", "321300")),
        # Title-only evidence, place in the middle.
        ("如何查询个人参保信息、医保缴费记录?(以河北石家庄为例)", ["医保缴费怎么查询?"], ("河北省", "石家庄市", "130100")),
        # Title scan: 湖南京… is 湖南, not 南京.
        ("湖南京剧团医保怎么交", [], ("湖南省", None, None)),
        # Title scan: 医保山东 is 山东, not 保山 (云南).
        ("异地医保山东怎么报销", [], ("山东省", None, None)),
        # Headings beat the title.
        ("西宁医保怎么缴费", ["山东济南医保怎么缴费"], ("山东省", "济南市", "370100")),
        # Province-only headings, the title names a city of that province.
        ("济南医保参保地怎么变更", ["山东医保怎么缴费"], ("山东省", "济南市", "370100")),
        # Province-only headings, the title's city is elsewhere: it is ignored.
        ("西宁医保参保地怎么变更", ["山东医保怎么缴费"], ("山东省", None, None)),
        # Conflicting headings: the majority wins.
        (None, ["山东济南医保怎么缴费", "济南医保卡怎么激活", "青岛医保怎么报销"], ("山东省", "济南市", "370100")),
        # Tie between two cities of one province: the title breaks it.
        ("青岛医保知识", ["济南医保怎么缴费", "青岛医保怎么报销"], ("山东省", "青岛市", "370200")),
        # Tie the title cannot break: province kept, city left None.
        (None, ["济南医保怎么缴费", "青岛医保怎么报销"], ("山东省", None, None)),
        # Tie across provinces, the title breaks it.
        ("西宁医保知识", ["济南医保怎么缴费", "西宁医保怎么报销"], ("青海省", "西宁市", "630100")),
    ],
)
def test_recognize_region(title: str | None, headings: list[str], expected: tuple) -> None:
    region = recognize_region(title, headings)
    assert (region.province, region.city, region.adcode) == expected


@pytest.mark.parametrize(
    ("title", "headings"),
    [
        # No place anywhere.
        ("医疗保险参保地怎么变更?(05/02)", ["医保参保地怎么变更去哪里改"]),
        # Nothing at all.
        (None, []),
        # 医保定点 holds 保定 (河北) but names no place.
        ("医保定点医院怎么选?", []),
        # A place mid-heading is not a heading prefix (the body's "如“合肥医保”" style).
        (None, ["关注当地医保公众号(如合肥医保)"]),
        # Tie across provinces with no title: nothing is guessed.
        (None, ["济南医保怎么缴费", "西宁医保怎么报销"]),
        # County-level names under a prefecture (昆山 → 苏州) are not recognized.
        (None, ["昆山医保怎么缴费"]),
    ],
)
def test_no_region(title: str | None, headings: list[str]) -> None:
    assert recognize_region(title, headings) == Region()


@pytest.mark.parametrize(
    ("title", "headings", "expected"),
    [
        # Every spelling seen plus official and short names, longest first.
        ("医疗保险参保地怎么变更?(05/02)", ["山东济南医保参保地怎么变更去哪里改"],
         ("山东济南", "济南市", "山东省", "济南", "山东")),
        # Province short name added though only the city was printed.
        ("西宁医保怎么缴费", ["西宁医保参保地怎么变更去哪里改"], ("西宁市", "青海省", "西宁", "青海")),
        # Province only: the province's names.
        (None, ["吉林医保怎么缴费"], ("吉林省", "吉林")),
        # A municipality's one name pair.
        (None, ["北京医保卡余额怎么转移"], ("北京市", "北京")),
    ],
)
def test_names(title: str | None, headings: list[str], expected: tuple[str, ...]) -> None:
    assert recognize_region(title, headings).names == expected


def test_names_cover_autonomous_spellings() -> None:
    # The 自治州 is masked under its full name, short name and 州 form.
    names = recognize_region("恩施如何办理医保转移手续?", ["湖北恩施医疗保险参保地怎么变更去哪里改"]).names
    assert {"恩施土家族苗族自治州", "湖北恩施", "恩施州", "恩施", "湖北省", "湖北"} <= set(names)
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)


def test_names_leave_out_the_losing_city() -> None:
    # The outvoted 青岛 must not be masked as if it were the article's city.
    names = recognize_region(None, ["济南医保怎么缴费", "济南医保卡怎么激活", "青岛医保怎么报销"]).names
    assert "济南" in names and "青岛" not in names


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("济南市", "济南"),  # plain 市
        ("阿勒泰地区", "阿勒泰"),  # 地区
        ("锡林郭勒盟", "锡林郭勒"),  # 盟
        ("恩施土家族苗族自治州", "恩施"),  # two ethnic names
        ("伊犁哈萨克自治州", "伊犁"),  # ethnic name without 族
        ("新疆维吾尔自治区", "新疆"),  # autonomous region
        ("内蒙古自治区", "内蒙古"),  # 蒙古 is not stripped from 内蒙古
        ("白沙黎族自治县", "白沙"),  # autonomous county under 海南
        ("神农架林区", "神农架"),  # 林区
    ],
)
def test_short_name(full: str, short: str) -> None:
    assert short_name(full) == short


@pytest.mark.parametrize(
    ("adcode", "expected"),
    [
        ("370100", Region("山东省", "济南市", "370100", ("济南市", "山东省", "济南", "山东"))),  # a city
        ("110000", Region("北京市", "北京市", "110000", ("北京市", "北京"))),  # a municipality
        ("370000", Region("山东省", None, None, ("山东省", "山东"))),  # a province: no city
        ("110105", Region()),  # a district is not a city here
    ],
)
def test_region_for_adcode(adcode: str, expected: Region) -> None:
    assert region_for_adcode(adcode) == expected


def test_region_names_for_without_names() -> None:
    # Names can be rebuilt from the official names alone (e.g. a Region read back from the database).
    region = Region(province="新疆维吾尔自治区", city="阿勒泰地区", adcode="654300")
    assert region_names_for(region) == ("新疆维吾尔自治区", "阿勒泰地区", "阿勒泰", "新疆")


def test_only_province_names_are_ambiguous() -> None:
    # Data guard: in the 2025 data no two cities share a spelling; only 吉林 and 海南 are also provinces.
    gaz = region_module._gazetteer()
    assert [name for name, codes in gaz.cities.items() if len(codes) > 1] == []
    assert sorted(name for name in gaz.cities if name in gaz.provinces) == ["吉林", "海南"]


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        # Shared name, no province anywhere: no guess.
        (["朝阳医保怎么缴费"], (None, None)),
        # A province prefix picks one.
        (["辽宁朝阳医保怎么缴费"], ("辽宁省", "朝阳市")),
        # Another heading's province picks one.
        (["朝阳医保怎么缴费", "辽宁医保卡怎么激活"], ("辽宁省", "朝阳市")),
    ],
)
def test_shared_city_name(monkeypatch: pytest.MonkeyPatch, headings: list[str], expected: tuple) -> None:
    # Pretend 长春 (220100) were also spelled 朝阳, making the name shared by two cities.
    gaz = region_module._gazetteer()
    cities = {**gaz.cities, "朝阳": gaz.cities["朝阳"] | {"220100"}}
    monkeypatch.setattr(region_module, "_gazetteer", lambda: dataclasses.replace(gaz, cities=cities))
    region = recognize_region(None, headings)
    assert (region.province, region.city) == expected
