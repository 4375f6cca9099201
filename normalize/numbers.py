"""Turn the numbers printed in article text (Arabic or Chinese, single, ranges, sums) into floats.

Pure functions only; the character tables and regexes live in normalize.patterns.
"""

from __future__ import annotations

import math

from normalize.patterns import (
    ARABIC_NUMBER,
    CN_DIGITS,
    CN_HALF,
    CN_SMALL_UNITS,
    CN_WAN,
    DIGIT_STRING_MIN_CHARS,
    NUMBER_PLUS,
    NUMBER_RANGE,
)


def _digit_string(text: str) -> int | None:
    """"二〇二五" read digit by digit (years are printed this way); None if a non-digit appears."""
    # Two digits without a zero ("三五") is a colloquial range or a swallowed word, not a number.
    if len(text) < 2 or any(ch not in CN_DIGITS for ch in text):
        return None
    if len(text) < DIGIT_STRING_MIN_CHARS and not any(CN_DIGITS[ch] == 0 for ch in text):
        return None
    value = 0
    for ch in text:
        value = value * 10 + CN_DIGITS[ch]
    return value


def _below_wan(text: str) -> int | None:
    """A Chinese numeral below 10000 ("一百二十", "十五", "三千零五"); None if malformed."""
    total = 0
    pending: int | None = None  # a digit waiting for its multiplier
    last_unit = 10**9
    for ch in text:
        if ch in CN_DIGITS:
            if pending is not None and CN_DIGITS[ch] != 0:
                return None  # two digits in a row without a multiplier
            pending = None if CN_DIGITS[ch] == 0 else CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            if unit >= last_unit:
                return None  # multipliers must decrease ("十百" is not a number)
            # A bare 十 at the start means 一十 ("十五" = 15).
            total += (1 if pending is None else pending) * unit
            pending, last_unit = None, unit
        else:
            return None
    return total + (pending or 0)


# A numeral longer than this is not a quantity but a run of characters (a line of 3,000 "一" once made a
# 3,000-digit integer that float() could not hold, and failed the whole article).
MAX_NUMERAL_CHARS = 20


def chinese_to_int(text: str) -> int | None:
    """Convert a Chinese numeral ("十五" → 15, "两" → 2, "一百二十" → 120, "二〇二五" → 2025)."""
    text = text.strip()
    if not text or len(text) > MAX_NUMERAL_CHARS:
        return None
    if (digits := _digit_string(text)) is not None and not any(ch in CN_SMALL_UNITS for ch in text):
        return digits
    if CN_WAN in text:
        high, _, low = text.partition(CN_WAN)
        high_value = _below_wan(high) if high else 1
        low_value = _below_wan(low) if low else 0
        if high_value is None or low_value is None:
            return None
        return high_value * 10000 + low_value
    return _below_wan(text)


def parse_number(text: str) -> float | None:
    """One number, Arabic or Chinese ("15", "1.5", "十五", "半"); None if it is not one."""
    text = text.strip()
    if ARABIC_NUMBER.match(text):
        value = float(text)
        return value if math.isfinite(value) else None  # "1" x 400 is no quantity either
    if text == CN_HALF:
        return 0.5
    value = chinese_to_int(text)
    return None if value is None else float(value)


def parse_range(text: str) -> tuple[float, float] | None:
    """"1-3" / "3至5" / "一到两" → (low, high); None unless both ends are numbers and low <= high."""
    match = NUMBER_RANGE.match(text)
    if not match:
        return None
    low, high = parse_number(match.group(1)), parse_number(match.group(2))
    if low is None or high is None or low > high:
        return None
    return low, high


def parse_plus(text: str) -> tuple[float, float] | None:
    """"10+5" → (10, 15): the base duration and the base plus its extension."""
    match = NUMBER_PLUS.match(text)
    if not match:
        return None
    base, extra = parse_number(match.group(1)), parse_number(match.group(2))
    if base is None or extra is None:
        return None
    return base, base + extra
