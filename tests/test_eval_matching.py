"""The one matcher (eval/matching.py): exact items after the alias table; containment is reported, never a hit."""

from __future__ import annotations

import pytest

from eval.matching import score_status, score_type
from schema.records import Record
from schema.vocabulary import RecordType


def _material(item: str) -> Record:
    return Record(type=RecordType.MATERIAL, text=item, section_index=0, item=item)


@pytest.mark.parametrize(
    ("item", "key", "hit"),
    [
        ("户口簿", "户口本", True),  # an alias of the table
        ("身份证", "居民身份证", True),  # an alias of the table
        ("医保卡", "医疗保险卡", True),  # the spinner's 医保/医疗保险 swap
        ("申请表", "基本医疗保险关系转移接续申请表", False),  # a cut-down name is no hit
        ("电子社保卡", "社保卡", False),  # a different card
        ("ＩＣ卡", "IC卡", True),  # width folding
    ],
)
def test_exact_item_match(item: str, key: str, hit: bool) -> None:
    counts = score_type("material", [_material(item)], [key], "t")
    assert (counts.tp, counts.fn, counts.fp) == ((1, 0, 0) if hit else (0, 1, 1))


def test_containment_is_reported_not_counted() -> None:
    # 申请表 inside the full form name: a containment miss, still a false negative and a false positive
    counts = score_type("material", [_material("申请表")], ["基本医疗保险关系转移接续申请表"], "t")
    assert (counts.tp, counts.containment) == (0, 1)


def test_matching_is_one_to_one() -> None:
    # one record cannot satisfy two keys
    counts = score_type("material", [_material("身份证")], ["身份证", "居民身份证"], "t")
    assert (counts.tp, counts.fn) == (1, 1)


def test_non_current_timeframes_are_not_facts() -> None:
    # a superseded duration is not scored as the city's timeframe, and its status is checked
    old = Record(type=RecordType.TIMEFRAME, text="x", section_index=0, value_min=45, value_max=45, unit="workday",
                 status="superseded")
    assert score_type("timeframe", [old], [[45, 45, "workday"]], "t").tp == 0
    assert score_status([old], [[45, 45, "workday"]], "t").tp == 1
