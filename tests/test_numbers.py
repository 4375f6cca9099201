"""Chinese and Arabic numbers as the articles print them (normalize.numbers)."""

from __future__ import annotations

import pytest

from normalize.numbers import chinese_to_int, parse_number, parse_plus, parse_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1),  # a single digit
        ("两", 2),  # the counting form of 二
        ("十", 10),  # bare ten
        ("十五", 15),  # bare 十 at the start means 一十
        ("三十", 30),  # digit times ten
        ("二十五", 25),  # tens and units
        ("一百二十", 120),  # hundreds and tens
        ("一百零五", 105),  # a 零 placeholder
        ("一千零五", 1005),  # a 零 bridging two places
        ("一万二千", 12000),  # 万 multiplies what precedes it
        ("二〇二五", 2025),  # a year read digit by digit
        ("二零二五", 2025),  # the same with 零
        ("一九九八", 1998),  # four digits without a zero are still a year
    ],
)
def test_chinese_to_int(text: str, expected: int) -> None:
    assert chinese_to_int(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",  # nothing
        "十百",  # multipliers must decrease
        "三五",  # two digits with no multiplier and no zero is not a number
        "个月",  # not numerals at all
    ],
)
def test_chinese_to_int_rejects(text: str) -> None:
    assert chinese_to_int(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15", 15.0),  # Arabic integer
        ("1.5", 1.5),  # Arabic decimal
        ("十五", 15.0),  # Chinese
        ("半", 0.5),  # 半 (half a year)
        ("abc", None),  # not a number
    ],
)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-3", (1.0, 3.0)),  # ASCII hyphen (full-width dashes are NFKC-normalised to it)
        ("3~5", (3.0, 5.0)),  # tilde
        ("3至5", (3.0, 5.0)),  # 至
        ("一到两", (1.0, 2.0)),  # Chinese ends with 到
        ("5-3", None),  # a reversed range is not a range
        ("15", None),  # a single number is not a range
    ],
)
def test_parse_range(text: str, expected: tuple[float, float] | None) -> None:
    assert parse_range(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10+5", (10.0, 15.0)),  # base and base + extension
        ("十+五", (10.0, 15.0)),  # Chinese operands
        ("10-5", None),  # not a sum
    ],
)
def test_parse_plus(text: str, expected: tuple[float, float] | None) -> None:
    assert parse_plus(text) == expected
