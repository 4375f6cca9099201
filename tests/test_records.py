"""Typed records from section lines (normalize.records), pattern family by pattern family, then the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalize.patterns import BOILERPLATE_DISCLAIMER, BOILERPLATE_INTRO_TAIL, BOILERPLATE_SITE_NOTICE, BYLINE
from normalize.records import (
    LineKind,
    classify_line,
    find_durations,
    section_records,
    split_label,
    split_list,
)
from normalize.sections import heading_candidates, split_sections
from schema.records import Record, Section
from schema.vocabulary import AppliesTo, Bound, Channel, Qualifier, RecordType, Unit

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD_PATH = SHARED / "gold" / "seed_expectations.json"
SEED_NAMES = {
    "000_d31b16e6720416bb.txt": ("山东济南", "济南", "山东", "济南市", "山东省"),
    "001_cf97d637fe11c84e.txt": ("西宁", "西宁市", "青海", "青海省"),
}
PROCEDURE_HEADING = "西宁医保参保地怎么变更去哪里改"
COVERAGE_HEADING = "西宁医疗保险报销范围有哪些?"


def records_of(lines: list[str], heading: str = PROCEDURE_HEADING, index: int = 0) -> list[Record]:
    return section_records(Section(index=index, heading=heading, lines=lines))


def of_type(records: list[Record], record_type: RecordType) -> list[Record]:
    return [r for r in records if r.type == record_type]


# ---------------------------------------------------------------------------------------------
# Line shapes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("有以下这些方式", LineKind.FILLER),  # list announcement
        ("有以下这些步骤", LineKind.FILLER),  # list announcement
        ("具体如下", LineKind.FILLER),  # list announcement
        ("分以下几种情况", LineKind.FILLER),  # list announcement
        ("以下是几种常见的方法:", LineKind.FILLER),  # lead-in with a colon
        ("准备材料:", LineKind.SUBHEADING),  # colon ending
        ("支付宝:", LineKind.SUBHEADING),  # a platform alone on its line
        ("办理时限：", LineKind.SUBHEADING),  # full-width colon
        ("等待期", LineKind.SUBHEADING),  # short label without colon
        ("注意事项", LineKind.SUBHEADING),  # short label without colon
        ("1.基本医疗保险的药品报销", LineKind.SUBHEADING),  # numbered label
        ("1、跨省转移:", LineKind.SUBHEADING),  # numbered colon sub-heading
        ("方式1~~线上办理:", LineKind.SUBHEADING),  # generator glitch prefix
        ("医保可以转移吗首句", LineKind.SUBHEADING),  # leftover token line: a label, never a fact
        ("6个月等待期", LineKind.ITEM),  # short, but it states a duration
        ("下载APP", LineKind.ITEM),  # short, but it is an action
        ("膳食费。", LineKind.ITEM),  # sentence punctuation
        ("支付宝:进入“市民中心”→“医疗保险”→“参保地”,选择目标参保地。", LineKind.ITEM),  # label:text
    ],
)
def test_classify_line(line: str, kind: LineKind) -> None:
    assert classify_line(line) is kind


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("支付宝:进入“市民中心”", ("支付宝", "进入“市民中心”")),  # platform label
        ("线上办理:一般即时生效。", ("线上办理", "一般即时生效。")),  # label naming a channel
        ("1.药品:属于医保目录内的药品。", ("药品", "属于医保目录内的药品。")),  # numbered label line
        ("身份证、户口簿或居住证原件及复印件。", (None, "身份证、户口簿或居住证原件及复印件。")),  # no label
        ("访问当地医保局的网站,通常网站会设有专门的查询入口:", (None, "访问当地医保局的网站,通常网站会设有专门的查询入口:")),  # comma before colon
    ],
)
def test_split_label(line: str, expected: tuple[str | None, str]) -> None:
    assert split_label(line) == expected


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("身份证、户口簿", ["身份证", "户口簿"]),  # 、
        ("户籍迁移证明或工作调动证明", ["户籍迁移证明", "工作调动证明"]),  # 或
        ("陪护费和护工费", ["陪护费", "护工费"]),  # 和
        ("身份证及户口簿", ["身份证", "户口簿"]),  # 及
        ("文娱活动费以及其他生活服务费用", ["文娱活动费", "其他生活服务费用"]),  # 以及
        ("参保凭证(如医保卡、缴费记录等)、身份证", ["参保凭证(如医保卡、缴费记录等)", "身份证"]),  # not inside brackets
        ("用中药材和中药饮片泡制的各类酒制剂", ["用中药材和中药饮片泡制的各类酒制剂"]),  # 和 inside a 的-modifier
    ],
)
def test_split_list(text: str, items: list[str]) -> None:
    assert split_list(text) == items


# ---------------------------------------------------------------------------------------------
# Timeframes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-3个工作日", [(1, 3, Unit.WORKDAY, Bound.RANGE)]),  # Arabic range
        ("15个工作日内完成", [(None, 15, Unit.WORKDAY, Bound.WITHIN)]),  # 内 suffix
        ("中断缴费3个月以上", [(3, None, Unit.MONTH, Bound.AT_LEAST)]),  # 以上 suffix
        ("十五个工作日内完成", [(None, 15, Unit.WORKDAY, Bound.WITHIN)]),  # Chinese numeral
        ("即时生效", [(0, 0, Unit.DAY, Bound.IMMEDIATELY)]),  # immediate effect
        ("余额即时可用", [(0, 0, Unit.DAY, Bound.IMMEDIATELY)]),  # immediately usable
        ("即办件当场办结", [(0, 0, Unit.DAY, Bound.IMMEDIATELY)]),  # done on the spot
        ("住院前留观7日内的医疗费用", [(None, 7, Unit.DAY, Bound.WITHIN)]),  # 日 as a day
        ("补缴后设置6个月等待期", [(6, 6, Unit.MONTH, Bound.EXACT)]),  # exact
        ("一般即时生效或1-3个工作日内完成", [(0, 0, Unit.DAY, Bound.IMMEDIATELY), (1, 3, Unit.WORKDAY, Bound.RANGE)]),  # two
        ("缴费满15年", [(15, None, Unit.YEAR, Bound.AT_LEAST)]),  # 满 prefix
        ("不超过45个工作日", [(None, 45, Unit.WORKDAY, Bound.WITHIN)]),  # 不超过 prefix
        ("24小时内办结", [(None, 24, Unit.HOUR, Bound.WITHIN)]),  # 小时
        ("5天内", [(None, 5, Unit.DAY, Bound.WITHIN)]),  # 天
        ("30个自然日", [(30, 30, Unit.DAY, Bound.EXACT)]),  # 自然日 counts as days
        ("2周左右", [(2, 2, Unit.WEEK, Bound.EXACT)]),  # 周
        ("两个星期", [(2, 2, Unit.WEEK, Bound.EXACT)]),  # 星期 with 两
        ("半年", [(0.5, 0.5, Unit.YEAR, Bound.EXACT)]),  # 半
        ("10+5个工作日", [(10, 15, Unit.WORKDAY, Bound.RANGE)]),  # base + extension
        ("3至5个工作日", [(3, 5, Unit.WORKDAY, Bound.RANGE)]),  # 至 range
        ("最短不少于1个月", [(1, None, Unit.MONTH, Bound.AT_LEAST)]),  # 不少于 prefix
        ("中断缴费3个月以内(含3个月)", [(None, 3, Unit.MONTH, Bound.WITHIN)]),  # the 含 aside is not counted again
        ("累计缴费满20年(男性25年)", [(20, None, Unit.YEAR, Bound.AT_LEAST), (25, None, Unit.YEAR, Bound.AT_LEAST)]),  # bracketed alternative keeps 满
        ("审核一般不超过6个月(跨省9个月)", [(None, 6, Unit.MONTH, Bound.WITHIN), (None, 9, Unit.MONTH, Bound.WITHIN)]),  # ... and 不超过
        ("转移审核需要3个多月", [(3, None, Unit.MONTH, Bound.AT_LEAST)]),  # 个多月: more than
        ("余额一般20多天到账", [(20, None, Unit.DAY, Bound.AT_LEAST)]),  # N多天: more than
        ("十几个工作日可以办结", [(11, 19, Unit.WORKDAY, Bound.RANGE)]),  # 十几: 11..19
        ("提交申请后次日生效", [(1, 1, Unit.DAY, Bound.EXACT)]),  # 次日生效: one day
        ("窗口受理后一般当天即可生效", [(0, 0, Unit.DAY, Bound.IMMEDIATELY)]),  # 当天生效: same day
        ("补齐欠费的,待遇当场恢复", [(0, 0, Unit.DAY, Bound.IMMEDIATELY)]),  # 恢复 on the spot
        ("资料齐全的最快当日出证", [(0, 0, Unit.DAY, Bound.IMMEDIATELY)]),  # 当日 + an outcome
        ("停保未超过两个月的,补缴后连续计算", [(None, 2, Unit.MONTH, Bound.WITHIN)]),  # 未超过 bounds from above
        ("自助制卡机可当场取卡", [(0, 0, Unit.DAY, Bound.IMMEDIATELY)]),  # 当场 + taking the card
        ("按孕周享受15天至42天不等", [(15, 42, Unit.DAY, Bound.RANGE)]),  # two durations of one unit joined by 至: one range
        ("绑定后当天即可使用", [(0, 0, Unit.DAY, Bound.IMMEDIATELY)]),  # 当天 + usable
    ],
)
def test_durations(text: str, expected: list[tuple]) -> None:
    got = [(d.value_min, d.value_max, d.unit, d.bound) for d in find_durations(text)]
    assert got == [(lo, hi, unit.value, bound.value) for lo, hi, unit, bound in expected]


@pytest.mark.parametrize(
    "text",
    [
        "选择缴费年度(如2025年)。",  # a calendar year
        "每年1月起缴费",  # a month name
        "2025年5月2日发布",  # a date
        "(25年5月2日)",  # a two-digit year followed by a month is a date
        "次年1月1日起享受待遇",  # a date with 次年
        "报销比例90%,起付线300元",  # ratios and money
        "第3年起",  # an ordinal
        "7×24小时服务",  # service hours
        "60周岁以上",  # an age
        "每多参保1年可以减少",  # a rate, not a duration
        "过几天再查询到账情况",  # 几 without a round ten is no number
    ],
)
def test_not_durations(text: str) -> None:
    assert find_durations(text) == []


@pytest.mark.parametrize(
    ("line", "block", "applies"),
    [
        ("线上办理:一般即时生效。", "办理时限:", AppliesTo.ONLINE),  # label
        ("线下办理:15个工作日内完成转移接续。", "办理时限:", AppliesTo.OFFLINE),  # label
        ("可能存在等待期(如中断缴费3个月以上)。", "等待期", AppliesTo.WAITING_PERIOD),  # 等待期 / 中断缴费
        ("余额一般3-5个工作日到账。", "多久到账:", AppliesTo.ARRIVAL),  # 到账
        ("材料齐全的,5个工作日内完成审核。", "注意:", AppliesTo.HANDLING),  # 审核 / 完成
        ("住院前留观7日内的医疗费用。", "住院费用:", AppliesTo.OTHER),  # anything else
    ],
)
def test_timeframe_applies_to(line: str, block: str, applies: AppliesTo) -> None:
    timeframes = of_type(records_of([block, line]), RecordType.TIMEFRAME)
    assert timeframes and {t.applies_to for t in timeframes} == {applies.value}


# ---------------------------------------------------------------------------------------------
# Materials
# ---------------------------------------------------------------------------------------------

BOTH = (Qualifier.ORIGINAL.value, Qualifier.COPY.value)
ORIGINAL = (Qualifier.ORIGINAL.value,)
COPY = (Qualifier.COPY.value,)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Three documents, qualifiers applying to all of them.
        ("身份证、户口簿或居住证原件及复印件。", [("身份证", BOTH, False), ("户口簿", BOTH, False), ("居住证", BOTH, False)]),
        # The parenthesis gives examples: one document.
        ("原参保地医保参保凭证(如医保卡、缴费记录等)。", [("医保参保凭证", (), False)]),  # issuing place dropped, printed name kept
        # 如需 / 如适用 mark optional documents; 如适用 covers both alternatives of its piece.
        (
            "身份证、医保卡、原参保地出具的参保证明(如需)、户籍迁移证明或工作调动证明(如适用)。",
            [("身份证", (), False), ("医保卡", (), False), ("参保证明", (), True), ("户籍迁移证明", (), True), ("工作调动证明", (), True)],
        ),
        ("身份证原件;", [("身份证", ORIGINAL, False)]),  # original only
        ("单位营业执照复印件;", [("单位营业执照", COPY, False)]),  # copy only, unknown document by suffix
        ("结婚证(如有)。", [("结婚证", (), True)]),  # (如有)
        ("诊断证明(如涉及转诊就医)。", [("诊断证明", (), True)]),  # 如涉及
        ("《异地就医备案表》;", [("异地就医备案表", (), False)]),  # a named form
        ("异地长期居住的居住证明或工作证明;", [("居住证明", (), False), ("工作证明", (), False)]),  # 居住证明 is not 居住证
        ("代办的需提供代办人身份证件和委托书。", [("代办人身份证", (), True), ("委托书", (), True)]),  # someone else's, conditional
        ("跨省就医的需提供转院证明。", [("转院证明", (), False)]),  # the verb before the document is not in the item
        ("材料需真实有效。", []),  # a remark, no document
        ("其他相关证明。", []),  # a generic word is not a document
    ],
)
def test_material_block_lines(line: str, expected: list[tuple]) -> None:
    materials = of_type(records_of(["准备材料:", line]), RecordType.MATERIAL)
    assert [(m.item, m.qualifiers, m.optional) for m in materials] == expected
    assert all(m.block == "准备材料" and m.text == line for m in materials)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["二、申请材料:", "1.身份证原件", "2.社会保障卡"], ["身份证", "社保卡"]),  # short numbered documents are items (aliased)
        (["办理时限:", "新卡10个工作日内制成,领取时需携带受理回执。"], ["受理回执"]),  # 回执 ends like a document
        (["准备材料:", "1、省内转移:身份证、医保卡。", "2、跨省转移:身份证、参保凭证。"], ["身份证", "医保卡", "参保凭证"]),  # once per section
        # A neutral sub-label under a material lead keeps listing documents.
        (["补办社保卡需准备以下材料:", "个体工商户:", "《参保人员信息变更表》(盖章)。", "营业执照副本。"], ["参保人员信息变更表", "营业执照副本"]),
        # A "携带以下材料" line announces the documents on the next line.
        (["异地就医:", "未能在医院直接结算的,携带以下材料回参保地申请。", "病历、费用清单、住院票据。"], ["病历", "费用清单", "住院票据"]),
        # A bare list of documents under a mismatched procedure sub-heading is still a list of documents.
        (["办理流程:", "身份证、户口本原件及复印件。"], ["身份证", "户口簿"]),  # 户口本 is 户口簿 (alias table)
        (["准备材料:", "门诊收费票据原件。"], ["门诊收费票据"]),  # 票据 ends like a document
        # Numbered document-only lines under a channel block are items, not sub-headings.
        (["社保服务大厅:", "1.居民身份证原件", "2.医保卡", "携带以上证件到大厅打印。"], ["身份证", "医保卡"]),  # 居民身份证 is 身份证 (alias table)
        # 持 / a clause opening with 提交 lists documents outside a material block.
        (["零星报销:", "出院后三个月内持住院发票、费用清单到经办窗口申请。"], ["住院发票", "费用清单"]),  # full name, not 发票
        (["窗口查询:", "提交户口簿及医保卡,在服务窗口打印参保证明。"], ["户口簿", "医保卡"]),
        # Two documents of one kind stay apart by their own words.
        (["准备材料:", "二级医院出具的出院病历或门诊病历;"], ["出院病历", "门诊病历"]),  # two full names
        (["准备材料:", "医保码截图。"], ["医保码截图"]),  # 截图 ends like a document
        (["准备材料:", "报销款将打入本人医保卡金融账户。"], []),  # a card's account is not the card
        # a bare "需提供" label lists documents; 本人 owns a 身份证 too (round 21)
        (["线下办理:", "需提供:本人及家属身份证、关系证明材料(如户口簿、结婚证)。"], ["身份证", "家属身份证", "关系证明材料"]),
        (["线下变更:", "准备好户口簿和居住证,到经办窗口办理。"], ["户口簿", "居住证"]),  # 准备好 opens a document list
        (["补办材料:", "近期免冠证件照。"], ["免冠证件照"]),  # 证件照 is a document (免冠 kept: the labellers keep it)
        (["办理补缴,准备以下材料:", "单位职工补缴:", "劳动合同;", "补缴期间的工资发放明细表。"], ["劳动合同", "工资发放明细表"]),  # a 的-modified document, not a 补缴 step
    ],
)
def test_material_lines_in_context(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


def test_material_from_carry_clause_outside_material_block() -> None:
    # "携带…等相关证件" lists documents even under a channel block; the line is also a step.
    line = "携带个人身份证、医保卡等相关证件,前往当地医保经办机构。"
    records = records_of(["医保经办机构:", line], heading="西宁医保缴费明细怎么查询?")
    assert [m.item for m in of_type(records, RecordType.MATERIAL)] == ["身份证", "医保卡"]
    assert len(of_type(records, RecordType.STEP)) == 1


@pytest.mark.parametrize(
    "line",
    [
        "输入个人身份证号、医保卡号或社保卡号等信息进行登录。",  # typed in, not brought
        "提交材料并填写《基本医疗保险关系转移接续申请表》。",  # a step outside a material block
        "搜索“我的医保凭证”小程序→“参保地”。",  # an app name containing 凭证
    ],
)
def test_no_material_from_steps(line: str) -> None:
    assert not of_type(records_of(["办理流程:", line]), RecordType.MATERIAL)


# ---------------------------------------------------------------------------------------------
# Steps: menu paths, channels, ordinals
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ("支付宝:进入“市民中心”→“医疗保险”→“参保地”,选择目标参保地。", ("市民中心", "医疗保险", "参保地")),  # →
        ("城市服务:依次点击“我”—“服务”—“城市服务”,输入信息。", ("我", "服务", "城市服务")),  # —
        ("市民中心:依次点击“市民中心”-“社保”-“社保缴费”。", ("市民中心", "社保", "社保缴费")),  # -
        ("点击“个人账户”>“账户余额”查看。", ("个人账户", "账户余额")),  # >
        ("微信:搜索“我的医疗保险凭证”小程序→“参保地”,切换至目标地区。", ("我的医疗保险凭证", "参保地")),  # tail word
        ("点击首页“医疗保险电子凭证”,进入详情页后选择“参保地”。", ()),  # quoted items without a separator
    ],
)
def test_menu_path(line: str, path: tuple[str, ...]) -> None:
    steps = of_type(records_of(["线上变更:", line]), RecordType.STEP)
    assert len(steps) == 1 and steps[0].menu_path == path


@pytest.mark.parametrize(
    ("block", "line", "channel"),
    [
        ("线上变更:", "支付宝:进入“市民中心”,选择目标参保地。", Channel.ALIPAY),  # the line's own label first
        ("微信等第三方平台:", "微信:搜索“我的医保凭证”小程序。", Channel.WECHAT),  # label
        ("医疗保险服务平台APP:", "下载并登录“医保服务平台”APP。", Channel.APP),  # block
        ("通过银行APP缴费:", "在APP中找到并点击“社保缴费”专区。", Channel.BANK_APP),  # 银行APP is not a plain app
        ("医保局网站:", "访问当地医保局的网站。", Channel.WEBSITE),  # website block
        ("电话查询:", "输入个人账号和密码后,即可查询。", Channel.PHONE),  # phone block
        ("办理流程:", "前往新参保地医疗保险经办机构。", Channel.OFFLINE),  # 前往 in the line
        ("医保公众号:", "关注当地医保公众号,进入社保服务专区。", Channel.WECHAT),  # 公众号
        ("线上办理:", "登录“国家医保服务平台”APP,点击“异地备案”。", Channel.APP),  # specific line beats generic block
        ("第三方平台:", "在支付宝或微信中,找到“城市服务”入口。", Channel.ALIPAY),  # first mentioned platform
    ],
)
def test_step_channel(block: str, line: str, channel: Channel) -> None:
    steps = of_type(records_of([block, line]), RecordType.STEP)
    assert [s.channel for s in steps] == [channel.value]


def test_offline_group_carries_to_procedure_block() -> None:
    # "线下变更:" sets the channel for the "办理流程:" block under it.
    lines = ["线下变更:", "有以下这些步骤", "准备材料:", "身份证。", "办理流程:", "提交材料并填写《申请表》。"]
    steps = of_type(records_of(lines), RecordType.STEP)
    assert [(s.channel, s.block) for s in steps] == [(Channel.OFFLINE.value, "办理流程")]


@pytest.mark.parametrize(
    ("lines", "block"),
    [
        (["方式一:线上办理", "登录“国家医保服务平台”APP。"], "线上办理"),  # enumerated label names the block
        (["方式1~~线上办理:", "登录“国家医保服务平台”APP。"], "线上办理"),  # glitch prefix dropped
        (["1、跨省转移:", "向新参保地医保经办机构提出转移接续申请。"], "跨省转移"),  # numbering dropped
    ],
)
def test_block_names(lines: list[str], block: str) -> None:
    steps = of_type(records_of(lines), RecordType.STEP)
    assert [s.block for s in steps] == [block]


@pytest.mark.parametrize(
    ("heading", "lines", "is_step"),
    [
        (PROCEDURE_HEADING, ["前往医保经办机构办理。"], True),  # a procedural heading, no block
        ("西宁生育保险待遇有哪些?", ["前往医保经办机构办理。"], False),  # neither heading nor block is a procedure
        (COVERAGE_HEADING, ["报销流程:", "携带发票到医保经办机构申请报销。"], True),  # a procedure block
        (PROCEDURE_HEADING, ["在网站上找到医保查询入口。"], True),  # place, then verb
        (PROCEDURE_HEADING, ["APP首页搜索“医保电子凭证”,点击激活。"], True),  # a quoted element acted on
        (PROCEDURE_HEADING, ["省内流动就业的,登录“粤医保”小程序办理。"], True),  # condition clause, then verb
        (PROCEDURE_HEADING, ["报销比例:", "按照医院级别确定报销比例。"], False),  # a policy block
    ],
)
def test_step_context(heading: str, lines: list[str], is_step: bool) -> None:
    assert bool(of_type(records_of(lines, heading=heading), RecordType.STEP)) is is_step


def test_step_ordinals_restart_per_block() -> None:
    # Ordinals count steps within a block; a label line is its own block.
    lines = [
        "医疗保险服务平台APP:",
        "下载并登录“医保服务平台”APP。",
        "点击首页“医疗保险电子凭证”,进入详情页后选择“参保地”。",
        "若原参保地未停保,需先通过APP或联系原参保地医疗保险部门办理停保手续。",
        "微信等第三方平台:",
        "支付宝:进入“市民中心”→“医疗保险”→“参保地”。",
        "办理流程:",
        "前往新参保地医疗保险经办机构。",
        "医疗保险部门审核通过后,办理参保地变更手续。",
    ]
    steps = of_type(records_of(lines), RecordType.STEP)
    assert [(s.block, s.ordinal) for s in steps] == [
        ("医疗保险服务平台APP", 1),
        ("医疗保险服务平台APP", 2),
        ("医疗保险服务平台APP", 3),
        ("支付宝", 1),
        ("办理流程", 1),
        ("办理流程", 2),
    ]


def test_action_labels_count_within_their_block() -> None:
    # "登录平台:…/选择服务:…" label actions of one procedure; a platform label starts its own count.
    lines = ["通过网站缴费:", "登录平台:登录当地医保局网站。", "选择服务:点击“居民缴费”。", "确认支付:核对金额后提交。", "支付宝:进入“市民中心”。"]
    steps = of_type(records_of(lines), RecordType.STEP)
    assert [(s.block, s.ordinal) for s in steps] == [("登录平台", 1), ("选择服务", 2), ("确认支付", 3), ("支付宝", 1)]


@pytest.mark.parametrize(
    ("heading", "block", "line", "channel"),
    [
        (PROCEDURE_HEADING, "温馨提示:", "如对结果有疑问,可拨打12393服务热线咨询。", Channel.PHONE),  # a hotline call in a note
        (COVERAGE_HEADING, "报销标准:", "具体标准可拨打当地医保热线咨询。", Channel.PHONE),  # ... in a coverage block
        (PROCEDURE_HEADING, "特殊情况说明:", "已在外地参保的,需先到原参保地办理停保手续。", None),  # condition, then action
        (PROCEDURE_HEADING, "办理时限:", "个人先行垫付的,应在出院后3个月内到经办机构申请报销。", Channel.OFFLINE),  # 应在…到…申请
        (PROCEDURE_HEADING, "办理流程:", "第二步:经办机构审核后出具联系函。", None),  # a numbered step label
        (PROCEDURE_HEADING, "办理流程:", "到户籍所在地社区服务中心递交申请表。", None),  # 到 + place + verb
        (PROCEDURE_HEADING, "区内转移:", "省内跨市流动的,只需在新参保地办理参保登记。", None),  # 只需 before a place + verb
        ("西宁医保断缴后补缴多久能报销?", "职工医保:", "个人补缴的,登录“青海医保”APP提交申请。", Channel.APP),  # 补缴 asks for a procedure
        (PROCEDURE_HEADING, "申领流程:", "用人单位登录当地医保网上服务大厅填报信息。", Channel.WEBSITE),  # a subject before the verb
        (PROCEDURE_HEADING, "办理流程:", "递交后留意短信提醒,按时到窗口取件。", None),  # 留意 after a verb + 后
        (PROCEDURE_HEADING, "办理流程:", "现场填写《参保信息登记表》并签名。", None),  # 现场 before the verb
        (PROCEDURE_HEADING, "温馨提示:", "初次使用该小程序需先完成人脸识别。", None),  # a one-clause condition, then the first action
        (PROCEDURE_HEADING, "线下办理:", "到本市各二级以上定点医院医保科或各县(区)医保服务中心提出申请。", Channel.OFFLINE),  # a long place
        (PROCEDURE_HEADING, "准备材料:", "前往区政务服务中心医保窗口递交上述材料。", Channel.OFFLINE),  # a procedure line under a mismatched heading
        (PROCEDURE_HEADING, "办理流程:", "到市民之家医保综合窗口取号排队。", Channel.OFFLINE),  # going to a place, whatever the verb
        (PROCEDURE_HEADING, "补缴流程:", "审核后通过“皖税通”APP缴纳欠费。", Channel.APP),  # a time phrase glued before the verb
        (PROCEDURE_HEADING, "支付宝:", "首页 > 城市服务 > 医保 > 参保查询,输入证件号码。", Channel.ALIPAY),  # an unquoted menu path
        (PROCEDURE_HEADING, "微信:", "我-服务-城市服务-医保缴费,按提示操作。", Channel.WECHAT),  # ... joined by dashes
        (PROCEDURE_HEADING, "经办窗口:", "所需证件:身份证、医保卡,到区医保服务站自助打印。", Channel.OFFLINE),  # documents, then where to go
        (PROCEDURE_HEADING, "线下:", "向参保地的二级以上定点医疗机构医保办或各县(区)医保中心服务窗口提出申请。", Channel.OFFLINE),  # a long 向-place
        (PROCEDURE_HEADING, "跨市调动:", "新单位办理参保后,职工本人在“江西医保”APP申请转移。", Channel.APP),  # two subject words before the place
        (PROCEDURE_HEADING, "注意事项:", "原单位有欠费的,需先补缴欠费再办理转移。", None),  # condition, then 补缴
    ],
)
def test_steps_in_context(heading: str, block: str, line: str, channel: Channel | None) -> None:
    steps = of_type(records_of([block, line], heading=heading), RecordType.STEP)
    assert len(steps) == 1
    if channel is not None:
        assert steps[0].channel == channel.value


def test_phone_step_and_contact() -> None:
    # A hotline line is both a phone step and a contact.
    line = "拨打当地医保服务热线(如12393等),根据语音提示选择相应的查询服务。"
    records = records_of(["电话查询:", line], heading="山东济南医疗保险缴费怎么查询缴费记录?")
    assert [(r.type, r.channel, r.item) for r in records] == [
        (RecordType.STEP, Channel.PHONE.value, None),
        (RecordType.CONTACT, None, "12393"),
    ]


@pytest.mark.parametrize(
    ("block", "line"),
    [
        ("线上变更:", "部分地区支持线上直接变更,部分地区需结合线下流程。"),  # a remark
        ("第三方支付平台:", "如支付宝、微信等,这些平台通常也提供了医保缴费记录查询的服务。"),  # examples
        ("下载并登录银行APP:", "如工商银行、农业银行、建设银行等银行的手机APP。"),  # examples
        ("注意事项:", "定点医疗机构:需选择医疗保险定点医院或诊所进行治疗,非定点机构可能无法报销。"),  # a warning
        ("其他注意事项:", "信息核对:缴费前请核对姓名、身份证号等信息。"),  # a caution without a condition clause
        ("特殊情况说明:", "急诊抢救的,可在出院结算前补办备案。"),  # 在 + verb + 前 is a time, not a place
        ("到账时间:", "转出地收到联系函后,在10个工作日内办理转出手续。"),  # 在 + a duration is a time, not a place
        ("生效时间:", "绑定成功后即时生效。"),  # verb + 后 without a following verb is a time clause
        ("线上办理限制", "部分地区尚未开通线上变更功能,需以当地医疗保险部门消息为准。"),  # a limitation
        ("个人账户余额", "职工医疗保险个人账户余额可随医疗保险关系转移,转入地医疗保险部门会同步接收。"),  # a fact, no action
        ("准备材料:", "如需代办,可拨打12393热线预约。"),  # nothing in a material list is a step
        ("准备材料:", "申请人户口本。"),  # a document whose owner starts like a verb (申请)
        ("报销方式:", "在本市定点医院出院时“一站式”结算,无需个人申请。"),  # the reader has nothing to do
        ("需到窗口的情形:", "需要补缴以前年度医保费的。"),  # one clause ending in 的 names a case
        ("居民医保:", "错过集中缴费期的,可在当年内补缴。"),  # 在 + a time (当年内) is no place
    ],
)
def test_not_steps(block: str, line: str) -> None:
    assert not of_type(records_of([block, line]), RecordType.STEP)


# ---------------------------------------------------------------------------------------------
# Filler, lead sentences and remarks: no core record
# ---------------------------------------------------------------------------------------------

CORE = {RecordType.STEP, RecordType.MATERIAL, RecordType.TIMEFRAME, RecordType.EXCLUSION}


@pytest.mark.parametrize(
    "line",
    [
        "医保参保地的变更可以通过线上和线下两种方式办理,具体步骤如下:",  # lead sentence
        "有以下这些方式",  # filler
        "有以下这些步骤",  # filler
        "具体如下",  # filler
        "分以下几种情况",  # filler
        "以下是几种常见的方法:",  # filler
        "牙科部分治疗项目可以医保报销,但具体报销范围和比例因地区和医保方案而异。以下是详细说明:",  # lead
        "医保报销范围可能因地区、医保类型(如职工医保、居民医保等)、医院级别等因素而有所不同。",  # remark
        "温馨提示:",  # a block header alone
    ],
)
def test_filler_and_leads_yield_no_core_record(line: str) -> None:
    assert not [r for r in records_of([line]) if r.type in CORE]


# ---------------------------------------------------------------------------------------------
# Exclusions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # A category sub-block under a "not covered" header; the line itself lists five items.
        (
            ["不可报销的牙科项目:", "具体如下", "美容类项目:", "如种植牙、烤瓷牙、牙齿矫正、牙齿美白、洗牙等,这些项目通常被视为牙齿美容或修复,不在医疗保险报销范围内。"],
            [(i, "美容类项目") for i in ("种植牙", "烤瓷牙", "牙齿矫正", "牙齿美白", "洗牙")],
        ),
        # "…不予支付…包括:" header: the category comes from the header.
        (
            ["基本医疗保险基金不予支付的生活服务项目和服务设施费用,主要包括:", "空调费、电视费、电话费、婴儿保温箱费、食品保温箱费。"],
            [(i, "服务设施") for i in ("空调费", "电视费", "电话费", "婴儿保温箱费", "食品保温箱费")],
        ),
        # The category is the header's noun ("检查项目"), not just a generic word in it.
        (["基本医保基金不予支付的检查项目包括:", "各种自用的保健检查。"], [("自用的保健检查", "检查项目")]),  # determiner 各种 dropped
        # A "…包括:" sub-label inside the list: its short lines are items of its category.
        (["不可报销的牙科项目:", "美容类项目包括:", "种植牙", "烤瓷牙"], [("种植牙", "美容类项目"), ("烤瓷牙", "美容类项目")]),
        # A short phrase is one item.
        (["不纳入基本医保报销范围的药品包括:", "主要起营养滋补作用的药品。"], [("主要起营养滋补作用的药品", "药品")]),
        # Asides in brackets are dropped, one-character insertions kept.
        (
            ["不纳入基本医保报销范围的药品包括:", "血液制品、蛋白类制品(特殊适应症与急救、抢救除外)。", "就(转)诊交通费、急救车费。"],
            [("血液制品", "药品"), ("蛋白类制品", "药品"), ("就(转)诊交通费", "药品"), ("急救车费", "药品")],
        ),
        # A 的-modifier clause on the last piece wraps the whole list: one item, the whole printed phrase.
        (["不予报销的费用:", "自杀、自残、打架斗殴所致的医疗费用;"], [("自杀、自残、打架斗殴所致的医疗费用", "费用")]),
        # "…等非治疗性费用": the words after 等 are the list's category.
        (["不予报销的费用:", "美容、整形、减肥、保健等非治疗性费用;"], [(i, "费用") for i in ("美容", "整形", "减肥", "保健")]),
        # A line-level negation outside any exclusion block; the item is the whole printed phrase, 的-modifier included.
        (["注意事项:", "材料限制:部分治疗中需要的进口材料不在报销范围内。"], [("部分治疗中需要的进口材料", "材料限制")]),
        # An event modifier over two things ("…使用的A或B") sets the scene: the things are the items (after blind21).
        (["注意事项:", "材料限制:部分治疗中使用的进口材料或特殊耗材不在报销范围内。"], [(i, "材料限制") for i in ("进口材料", "特殊耗材")]),
        # 属于-clause between the list and the negation.
        (["美容类项目:", "如牙齿正畸、镶牙、贴面等,属于美容或修复项目,不在医保报销范围内。"], [(i, "美容类项目") for i in ("牙齿正畸", "镶牙", "贴面")]),
        # No 如 before the list: the 这些-clause points back to it.
        (["美容类项目:", "种植牙、烤瓷牙等,这些项目通常被视为牙齿美容,不在医疗保险报销范围内。"], [(i, "美容类项目") for i in ("种植牙", "烤瓷牙")]),
        # A single item with a category tail.
        (["美容类项目:", "种植牙等项目不在医保报销范围内。"], [("种植牙", "美容类项目")]),
        # The payer is the subject of 不予报销: the label is the item.
        (["不可报销的牙科项目:", "种植牙:属于修复类项目,医保不予报销。"], [("种植牙", "牙科项目")]),
        # A colon-less short line under a "…包括:" header is an item, and a covered header ends the list.
        (["不予报销的费用主要包括:", "膳食费", "可报销的费用:", "住院床位费。"], [("膳食费", "费用")]),
        # A numbered topic sub-heading ends the list; numbered short items inside it are items.
        (
            ["以下费用医保不予报销:", "1、美容项目", "2、挂号费", "2.基本医疗服务设施报销", "住院床位费或门(急)诊留观床位费。"],
            [("美容项目", "费用"), ("挂号费", "费用")],
        ),
        # The payer's clause is last: the items are before the 属于-tail of the clause before it.
        (["不可报销的项目:", "美容类:", "牙齿漂白、贴面、正畸等属于美容项目,医保不予报销。"], [(i, "美容类") for i in ("牙齿漂白", "贴面", "正畸")]),
        # "不能支付:" opens a list of things not covered.
        (["不能支付:", "按摩费用、理疗仪器费用;"], [("按摩费用", None), ("理疗仪器费用", None)]),
        # In a "not covered" list, 需个人自付 negates; the generic 费用 after 的 is not the item.
        (["不予报销的材料:", "进口耗材、高值材料的费用需个人自付,医保不予支付。"], [("进口耗材", "材料"), ("高值材料", "材料")]),
        # A list inside a 的-modifier clause (…等应由…负担的, …引起的, 主要起…作用的) is one item, lead 因 included.
        (["不予报销的费用:", "因医疗事故、打架斗殴等应由他人负担的医疗费用;"], [("因医疗事故、打架斗殴等应由他人负担的医疗费用", "费用")]),
        (["不予报销的费用:", "因酒驾、斗殴引起的医疗费用;"], [("因酒驾、斗殴引起的医疗费用", "费用")]),
        (["不纳入报销范围的药品:", "主要起美白、减肥作用的药品。"], [("主要起美白、减肥作用的药品", "药品")]),
        # A referent subject ("这几类项目") points at the examples after the negation.
        (["温馨提示:", "这几类项目需个人全额承担,如镶金牙、牙齿贴面等。"], [("镶金牙", "温馨提示"), ("牙齿贴面", "温馨提示")]),
        # An adverb alone before the negation (同样) points back at the clause before it; 属于… is dropped.
        (["温馨提示:", "验光配镜属于生活消费,同样不在报销范围内。"], [("验光配镜", "温馨提示")]),
        # A named insurance scheme before 同样不予支付 is the payer, not the item.
        (["温馨提示:", "在境外体检发生的费用,工伤保险同样不予支付。"], [("在境外体检发生的费用", "温馨提示")]),
        # The example clause after a scope clause ("…中,如…等") is the subject; 但 opens no item.
        (["温馨提示:", "在超市能买到的用品中,如护腰带、暖宝宝等,均不能用个人账户支付。"], [("护腰带", "温馨提示"), ("暖宝宝", "温馨提示")]),
        (["温馨提示:", "普通号可以报销,但夜间急诊的加收费需个人自付。"], [("夜间急诊的加收费", "温馨提示")]),
        # Colloquial self-pay (都要自己掏钱) negates like 自费.
        (["温馨提示:", "如洗牙、牙齿美白等,都要自己掏钱。"], [("洗牙", "温馨提示"), ("牙齿美白", "温馨提示")]),
        # A cost another payer owes is one item with its printed payer list (the liability convention).
        (["不能支付:", "应由工伤保险、第三方责任人承担的费用。"], [("应由工伤保险、第三方责任人承担的费用", None)]),
        # A 属于-classification between the list and the payer's 不予报销.
        (["注意事项:", "如全瓷冠、隐形矫正等,属于美容项目,医保不予报销。"], [("全瓷冠", "注意事项"), ("隐形矫正", "注意事项")]),
        # The fund / the personal account does not pay, outside any "not covered" block.
        (["使用范围:", "购买护肤品、保健食品等非医疗支出,个人账户不予支付。"], [("护肤品", "使用范围"), ("保健食品", "使用范围")]),
        (["说明:", "整形美容、配镜等项目,医保基金不予支付。"], [("整形美容", "说明"), ("配镜", "说明")]),
        (["说明:", "假牙、牙齿美白需全部自费。"], [("假牙", "说明"), ("牙齿美白", "说明")]),  # fully self-paid
        # 不予报销 after the list.
        (["其他:", "挂号费以外的特需服务费、VIP诊疗费不予报销。"], [("挂号费以外的特需服务费", "其他"), ("VIP诊疗费", "其他")]),
        # "均由个人承担" negates; a 的 + generic noun inside the first piece stays in that piece.
        (
            ["三、服务设施:", "单人病房超出标准床位的部分、护工费、膳食费,均由个人承担。"],
            [("单人病房超出标准床位的部分", "服务设施"), ("护工费", "服务设施"), ("膳食费", "服务设施")],
        ),
        # A clause opening with 以及 continues the list of the clause before it.
        (["二、诊疗项目:", "美容、减肥类项目,以及不影响功能的矫形手术,需全部自费。"], [(i, "诊疗项目") for i in ("美容", "减肥类项目", "不影响功能的矫形手术")]),
        # A concession (虽…) and a bare 但 are not the subject.
        (["注意:", "种植牙及牙冠费用虽已集中采购降价,但仍由个人承担。"], [("种植牙", "注意"), ("牙冠费用", "注意")]),
        # "不能用个人账户支付" opens a list; its short lines are items.
        (["以下费用不能用个人账户支付:", "健身消费;", "购买化妆品、日用品;"], [(i, "费用") for i in ("健身消费", "化妆品", "日用品")]),
        # A clause ending in 基金 that carries a 的-phrase is the subject, not the payer.
        (["职工医保:", "断缴超过三个月的,等待期内的住院费用医保基金不予支付。"], [("等待期内的住院费用", "职工医保")]),
        # A condition head (未经…的) stays in the item.
        (["不予支付的费用:", "未经备案的异地就医费用不予支付;"], [("未经备案的异地就医费用", "费用")]),
        # A list inside an event modifier is one circumstance.
        (["不能报销的项目:", "出国、出境期间发生的医疗费用"], [("出国、出境期间发生的医疗费用", "项目")]),
        # Negation built from morphemes: modal + (adverb) + payment verb, chained verbs, patient as payer.
        (["说明:", "整形美容、减肥等费用医保一律不报销。"], [("整形美容", "说明"), ("减肥", "说明")]),
        (["说明:", "门诊挂号费、病历工本费不纳入报销。"], [("门诊挂号费", "说明"), ("病历工本费", "说明")]),
        (["说明:", "挂号费、病历本费由患者自理。"], [("挂号费", "说明"), ("病历本费", "说明")]),
        # A self-pay header ("需自费的项目") opens a list like any "not covered" header.
        (["需自费的项目:", "义齿制作、牙齿正畸;", "牙齿贴面。"], [(i, "项目") for i in ("义齿制作", "牙齿正畸", "牙齿贴面")]),
        # A denied use ("不得用于…"): the things are the verb's object; the lead verb 购买 is not part of an item.
        (["个人账户:", "个人账户可以用于支付家属的医疗费用,但不得用于购买保健品、生活用品。"], [("保健品", "个人账户"), ("生活用品", "个人账户")]),
        # "不能用于:" opens a list; lead verbs are stripped from its items.
        (["个人账户不能用于:", "购买化妆品;", "健身消费;"], [("化妆品", None), ("健身消费", None)]),
        # A lead stating a negation before its list clause: the statement is an exclusion, the case lines are not items.
        (
            ["等待期内发生的医疗费用医保基金不予支付,等待期按以下情况计算:", "首次参保:", "在集中缴费期外参保的,等待期为90天。"],
            [("等待期内发生的医疗费用", None)],
        ),
        # A "not covered" question line inside a section opens the list.
        (["哪些费用医保不能报销?", "近视矫正手术;", "整容手术。"], [("近视矫正手术", "费用"), ("整容手术", "费用")]),
        # A negative label names the list in its own text.
        (["注意事项:", "以下几种情况医保不报:交通事故、工伤。"], [("交通事故", "情况"), ("工伤", "情况")]),
        # Catch-alls ("其他…") name nothing; a trailing 的 of a case item is dropped.
        (["不予支付的费用:", "陪护费以及其他生活服务费用;", "在境外就医的。"], [("陪护费", "费用"), ("在境外就医", "费用")]),
        # A content modifier's 、 joins attributes of one thing.
        (["不予支付的药品:", "含珍贵、濒危动物药材的药品;"], [("含珍贵、濒危动物药材的药品", "药品")]),
        # The individual as payer at a clause end negates coverage anywhere, not only inside a "not covered" list.
        (["注意事项:", "等待期内发生的医疗费用需个人全额承担。"], [("等待期内发生的医疗费用", "注意事项")]),
        # A generic 钱 after 的 is not the item.
        (["温馨提示:", "停保期间看病花的钱,需全部自费。"], [("停保期间看病花的钱", "温馨提示")]),
        # The item keeps its 的-modifier: the printed phrase, not its head noun.
        (["温馨提示:", "以减重为目的的针灸疗程不予报销。"], [("以减重为目的的针灸疗程", "温馨提示")]),
        # ... and its generic tail ("…的费用") in a list line.
        (["不予支付的费用:", "在非定点眼镜店配镜的费用;"], [("在非定点眼镜店配镜的费用", "费用")]),
        # "均不纳入医保支付" negates without 范围; a determiner after 的 is dropped.
        (["温馨提示:", "主要起美容作用的外用药、用果汁调配的各类饮品,均不纳入医保支付。"],
         [("主要起美容作用的外用药", "温馨提示"), ("用果汁调配的饮品", "温馨提示")]),
        # A cost another payer owes, as a list line, is one item with its payer list.
        (["不予支付的费用:", "依法应由雇主、保险公司赔付的费用。"], [("依法应由雇主、保险公司赔付的费用", "费用")]),
    ],
)
def test_exclusions(lines: list[str], expected: list[tuple[str, str]]) -> None:
    exclusions = of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)
    assert [(e.item, e.category) for e in exclusions] == expected


@pytest.mark.parametrize(
    "lines",
    [
        ["可报销的牙科项目:", "补牙:因龋齿、外伤等造成的牙体组织缺损的充填治疗,基本材料费和治疗费可报销。"],  # covered
        ["甲类药品:全国基本统一的药物,纳入基本医疗保险基金给付范围。"],  # covered
        ["不可报销的牙科项目:", "服务费:", "部分地区的医疗保险方案可能覆盖牙片、化验、门诊小手术等项目。"],  # block disagrees
        ["不可报销的牙科项目:", "服务费:", "牙片、化验等项目可报销。"],  # a covered line under a "not covered" block
        ["注意事项:", "定点医疗机构:需选择定点医院进行治疗,非定点机构可能无法报销。"],  # a condition, not an item
        ["3.基本医疗保险诊疗项目报销", "属于职工基本医疗保险不予支付费用诊疗项目目录以内的,职工基本医疗保险基金不予支付。"],  # the fund
        ["注意事项:", "未办理异地备案的,医保基金不予支付。"],  # a condition, not an item
        ["不予报销的费用:", "报销方式:", "在定点医院出院时直接结算,无需个人申请。"],  # a procedure block ends the list
        ["不予报销的费用:", "所需材料:", "发票原件、费用清单。"],  # ... so does a materials block
        ["注意事项:", "乙类药品需先自付一定比例,并非完全不能报销。"],  # a hedge denies the negation
        ["特殊情况说明:", "未办理备案的,报销比例下调,并不是不能报销。"],  # ... so does 并不是
        ["注意事项:", "材料限制:部分治疗中使用的进口材料或特殊耗材可能不在报销范围内。"],  # 可能 only warns: a hedge
        ["特殊情况:", "出院时不能直接结算的,可持发票回参保地报销。"],  # a negated case clause ("…的,") is a condition
        ["温馨提示:", "断缴期间不能享受待遇,补缴后不予追溯报销。"],  # a time ("补缴后") is no excluded thing
        ["报销比例:", "起付线以下的费用由个人负担。"],  # nor is a threshold
        ["温馨提示:", "个人缴费部分由个人承担,政府补助部分由财政承担。"],  # nor a contribution
        ["温馨提示:", "乙类药品需个人先自付10%。"],  # a co-payment continues the clause: no clause-end predicate
        ["不予报销的情况:", "未办理异地就医备案的,报销比例降低10%。"],  # a case clause with a rate is no list item
        ["牙科治疗中,治疗性项目能报,美容修复类项目不能报。具体如下:", "补牙可报销。"],  # a class word sums up the list
        ["不予报销的项目:", "因外伤导致的牙齿修复可以报销。"],  # stated as covered inside a "not covered" list
        ["温馨提示:", "孩子看病的挂号费比想象的贵?其实是一些项目本来就不在报销范围。"],  # a vague referent after a question
        ["小贴士:", "个人账户可用于支付上述自费药品,但统筹基金不予报销。"],  # 上述 points back; the account pays
        ["不予报销的项目:", "术后半年内的复诊费用可以报销,不在上述范围。"],  # the subject is stated as covered
        ["不予报销的项目:", "个别地区对助听器有专项补贴,以当地规定为准。"],  # a hedge on where it may be covered
        ["个人账户不得用于:", "把社保卡转借他人属于违规行为,情节严重的将被暂停使用。"],  # a sentence of clauses is no item
        ["可能可以报的:", "部分康复项目正在试点纳入,可能能报一部分。"],  # "可以报的" opens a covered block
    ],
)
def test_not_exclusions(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


def test_covered_items_are_coverage() -> None:
    # Covered items may be typed coverage, never exclusion.
    records = records_of(["部分地区已将牙片、化验、门诊小手术等项目纳入医疗保险报销范围。"], heading=COVERAGE_HEADING)
    assert [(r.type, r.item) for r in records] == [(RecordType.COVERAGE, i) for i in ("牙片", "化验", "门诊小手术")]


def test_covered_label_line_is_coverage() -> None:
    # "补牙:…可报销" is a covered item named by its label.
    line = "补牙:因龋齿造成的牙体组织缺损的充填治疗,基本材料费和治疗费可报销。"
    records = records_of(["可报销的牙科项目:", "基础治疗:", line], heading="山东济南治疗牙齿可以走医保吗?")
    assert [(r.type, r.item) for r in records] == [(RecordType.COVERAGE, "补牙")]


def test_records_keep_source_text_and_section_index() -> None:
    # The original (full-width) line is kept verbatim in text; section_index comes from the section.
    line = "线上办理：一般即时生效或1-3个工作日内完成。"
    records = records_of(["办理时限：", line], index=3)
    assert len(records) == 2 and all(r.text == line and r.section_index == 3 for r in records)
    assert {r.block for r in records} == {"线上办理"}


# ---------------------------------------------------------------------------------------------
# The two real pages against shared/gold/seed_expectations.json
# ---------------------------------------------------------------------------------------------


def seed_body(text: str) -> list[str]:
    """A seed file as extraction hands it over: title, byline, intro tail, disclaimer and footer removed."""
    body: list[str] = []
    for raw in text.splitlines()[1:]:  # the first line is the title
        line = raw.strip()
        if BOILERPLATE_SITE_NOTICE.match(line):
            break  # the notice and the related-article list after it
        if not line or BYLINE.match(line) or BOILERPLATE_DISCLAIMER.match(line):
            continue
        line = BOILERPLATE_INTRO_TAIL.sub("", line).strip()
        if line:
            body.append(line)
    return body


def _matches(record_type: str, key: str | list, records: list[Record]) -> bool:
    """The gold file's matching rule for one expected key."""
    if record_type == "timeframe":
        value, unit = key
        return any(value in (r.value_min, r.value_max) and r.unit == unit for r in records)
    if record_type == "step":
        return any(key in r.text for r in records)
    return any(key in (r.item or "") or key in r.text for r in records)


@pytest.mark.skipif(not GOLD_PATH.exists(), reason="shared/gold is not beside the project")
@pytest.mark.parametrize("seed", sorted(SEED_NAMES))
def test_seed_expectations(seed: str) -> None:
    gold = json.loads(GOLD_PATH.read_text(encoding="utf-8"))[seed]
    lines = seed_body((SHARED / "seeds" / seed).read_text(encoding="utf-8"))
    assert heading_candidates(lines)  # the region recogniser's input is not empty
    _, sections = split_sections(lines, SEED_NAMES[seed])
    sections = [s for s in sections if s.heading is not None]  # the untitled intro is checked in test_seed_gold
    assert [s.heading for s in sections] == list(gold["sections"])
    for section in sections:
        records = section_records(section)
        for record_type, keys in gold["sections"][section.heading].items():
            if record_type == "optional":
                continue
            typed = [r for r in records if r.type == record_type]
            if not keys:
                assert not typed, f"{section.heading}: unexpected {record_type} {typed}"
            missing = [key for key in keys if not _matches(record_type, key, typed)]
            assert not missing, f"{section.heading}: {record_type} missing {missing}"


# ---------------------------------------------------------------------------------------------
# Structural rules added after blind4 (each case fails without its rule)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "lines", "is_step"),
    [
        (PROCEDURE_HEADING, ["多久到账:", "跨省转移:转入地收到材料后办理接续手续,一般30个工作日内到账。"], False),  # ... carried over 后
        (PROCEDURE_HEADING, ["办理流程:", "在经办机构的窗口或自助服务机上,按照提示查询。"], True),  # an office noun used as a place
        (PROCEDURE_HEADING, ["挂失:", "临时挂失有效期为7天,7天内需到合作银行网点办理正式挂失。"], True),  # a later clause obliges the reader
        ("大病保险怎么报销?", ["报销方式:", "在定点医院就医的,出院时直接结算;未直接结算的,持票据到医保中心申请报销。"], True),  # 2nd sentence
        (PROCEDURE_HEADING, ["通过银行APP缴费:", "下载并登录手机银行:如工商银行、建设银行等银行的手机APP。"], True),  # action label + examples
        (PROCEDURE_HEADING, ["温馨提示:", "如遇操作问题,可咨询当地医保中心。"], False),  # advice to ask, no number to call
    ],
)
def test_step_structure(heading: str, lines: list[str], is_step: bool) -> None:
    assert bool(of_type(records_of(lines, heading=heading), RecordType.STEP)) is is_step


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        # A self-pay modifier inside a longer case is no "not covered" header: the block after it lists nothing.
        (["参保人员个人负担的医疗费用超过起付线的,由大病保险支付:", "起付线:", "大病保险起付线为2万元。"], []),
        # A condition modifier on the first piece covers the list: one item.
        (["以下情况需全部自费:", "与慢性病种无关的化验、药品费用;"], ["与慢性病种无关的化验、药品费用"]),
        # A cause-led modifier holding a list is one item too.
        (["不予报销:", "因斗殴、醉酒发生的医疗费用;"], ["因斗殴、醉酒发生的医疗费用"]),
        # Two sentences, two negations, two subjects; a time clause (补缴后) before the second is not its subject.
        (
            ["温馨提示:", "观察期内产生的医疗费用不予报销;欠费期间产生的医疗费用,补缴后也不能追溯报销。"],
            ["观察期内产生的医疗费用", "欠费期间产生的医疗费用"],
        ),
        # A 以及-clause continues the list a referent clause (均) points back to.
        (["美容类项目:", "烤瓷牙、洗牙,以及隐形矫正,均不在医保报销范围内。"], ["烤瓷牙", "洗牙", "隐形矫正"]),
        # Under a denied-use header the clause before "也不能用于…" lists objects too; a lead verb before 应由… is dropped,
        # the liability phrase is one item.
        (
            ["个人账户不得用于:", "购买健身卡、美容等非医疗消费,也不能用于支付应由工伤保险、意外伤害保险负担的费用。"],
            ["健身卡", "美容", "应由工伤保险、意外伤害保险负担的费用"],
        ),
    ],
)
def test_exclusion_structure(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


def test_document_after_who_provides_it() -> None:
    # "X人员提供Y": the person handing the document in is not part of its name.
    materials = of_type(records_of(["备案材料:", "异地务工人员提供用工单位证明。"]), RecordType.MATERIAL)
    assert [m.item for m in materials] == ["用工单位证明"]


def test_same_day_with_modal_is_immediate() -> None:
    # "当天即可 + any action" is immediate, whatever the verb.
    assert [(d.value_min, d.value_max, d.unit, d.bound) for d in find_durations("登记后当天即可缴费。")] == [
        (0, 0, Unit.DAY.value, Bound.IMMEDIATELY.value)
    ]


# ---------------------------------------------------------------------------------------------
# Structural rules added after blind5 (each case fails without its rule)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("缴费满男性28年、女性22年可退休享受", [(28, None, Unit.YEAR, Bound.AT_LEAST), (22, None, Unit.YEAR, Bound.AT_LEAST)]),  # bound over a short subject, then a 、-parallel
        ("审核最长不超过4个月/省外8个月", [(None, 4, Unit.MONTH, Bound.WITHIN), (None, 8, Unit.MONTH, Bound.WITHIN)]),  # a /-parallel keeps 不超过
        ("备案有效期一年半", [(1.5, 1.5, Unit.YEAR, Bound.EXACT)]),  # a half after the unit
        ("一般需要两个半月办结", [(2.5, 2.5, Unit.MONTH, Bound.EXACT)]),  # a half between 个 and the unit
        ("等待期为6个月至1年", [(6, 12, Unit.MONTH, Bound.RANGE)]),  # a range across units, in the smaller one
        ("满足条件3个月后生效", [(3, 3, Unit.MONTH, Bound.EXACT)]),  # 满足 is no 满 bound
    ],
)
def test_duration_grammar(text: str, expected: list[tuple]) -> None:
    got = [(d.value_min, d.value_max, d.unit, d.bound) for d in find_durations(text)]
    assert got == [(lo, hi, unit.value, bound.value) for lo, hi, unit, bound in expected]


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        # A colon-less notes label closes a "not covered" list; the advice under it is no item.
        (["下列费用由个人承担:", "陪护费、洗澡费。", "温馨提示", "住院时,应当先确认医院等级。"], ["陪护费", "洗澡费"]),
        # "这类" after the last piece names the list's category, not an item.
        (["不予报销的:", "烤瓷牙、隐形矫正这类美容项目,医保不予报销。"], ["烤瓷牙", "隐形矫正"]),
        # The colloquial 不管 at a clause end negates coverage in a header.
        (["下面几类费用医保不管:", "整容手术;", "健身费用。"], ["整容手术", "健身费用"]),
        # A condition modifier covers short bare pieces after it.
        (["以下情况需全部自费:", "不符合诊疗规范的检查、耗材;"], ["不符合诊疗规范的检查、耗材"]),
        # A scope modifier ("目录外的") on a list whose last piece carries a shared head is one item.
        (["不予支付的费用:", "药品目录外的药品、医用耗材费用;"], ["药品目录外的药品、医用耗材费用"]),
        # The part above a cap is excluded (a threshold below it is not).
        (["不予支付的:", "超出年度最高支付限额的部分由个人自付。"], ["超出年度最高支付限额的部分"]),
    ],
)
def test_exclusion_structure_blind5(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["线下办理:", "前往社保大厅,凭社会保障卡打印缴费清单。"], ["社保卡"]),  # 凭 + a document lists it (aliased)
        (["所需材料:", "本人身份证、户口簿(或居住证)。"], ["身份证", "户口簿", "居住证"]),  # a "(或X)" aside is an alternative
        (["所需材料:", "长期居住人员提供《承诺书》,无需其他证明材料。"], ["承诺书"]),  # 无需… names no document
        (["注意事项:", "视同缴费年限需提供人事档案。"], ["人事档案"]),  # 档案 ends like a document
    ],
)
def test_material_structure_blind5(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("heading", "lines", "is_step"),
    [
        (PROCEDURE_HEADING, ["线下:", "监护人携带户口簿到街道便民服务中心登记。"], True),  # carrying documents to a place
        (PROCEDURE_HEADING, ["转出:", "若单位尚未停保,需先由本人联系单位办理停保。"], True),  # the reader named as agent by 由
        (PROCEDURE_HEADING, ["网上查询:", "用身份证号或手机号注册个人账户。"], True),  # an instrument before the verb
        (PROCEDURE_HEADING, ["转入:", "或携带身份证到医保中心窗口提交申请。"], True),  # an alternative opening with 或
        (PROCEDURE_HEADING, ["申请流程:", "第二步:由接诊医院医生出具诊断意见。"], True),  # a stage handed to another party: a third-party step
    ],
)
def test_step_structure_blind5(heading: str, lines: list[str], is_step: bool) -> None:
    assert bool(of_type(records_of(lines, heading=heading), RecordType.STEP)) is is_step


# ---------------------------------------------------------------------------------------------
# Live-page shapes (issue 7): actors, timeframe status, full item names, label lines
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "actor"),
    [
        (["办理流程:", "提交材料后,工作人员审核材料并办理变更手续。"], "office"),  # staff act in the procedure
        (["办理流程:", "经办机构审核通过后,完成参保地变更。"], "office"),  # the office's time clause, then its act
        (["办理流程:", "申请提交后,医保系统自动完成参保地切换。"], "office"),  # the system is the office's
        (["办理流程:", "在新参保地提交申请后,原参保地医保经办机构审核转出信息。"], "office"),  # the office is the subject
        (["办理流程:", "需由用人单位登录单位网厅为职工办理增员。"], "employer"),  # the employer files
        (["办理流程:", "由定点医院医生填写诊断证明并盖章。"], "third_party"),  # the hospital acts
        (["办理流程:", "审核通过后,携带身份证前往窗口领取新卡。"], "applicant"),  # the reader acts again after the office
        (["办理流程:", "登录APP,点击参保地变更。"], "applicant"),  # a plain instruction
        (["认定流程:", "递交申请后,由医保部门组织专家评审。"], "office"),  # the office acts after the reader's filing
    ],
)
def test_step_actor(lines: list[str], actor: str) -> None:
    steps = of_type(records_of(lines), RecordType.STEP)
    assert [s.actor for s in steps] == [actor]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a deadline block: the office's deadline is a timeframe, not a step
        (["办理时限:", "经办机构应在受理后20个工作日内将费用拨付到个人账户。"], []),
        # an office line with no act ("到账") states a fact
        (["办理流程:", "转入地医保部门收到资金后,一般3-5个工作日到账。"], []),
    ],
)
def test_office_facts_are_not_steps(lines: list[str], expected: list) -> None:
    assert of_type(records_of(lines), RecordType.STEP) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("转移时间已由原来的45个工作日压缩至15个工作日。", [(45, "superseded"), (15, "current")]),  # old figure, new figure
        ("如果材料不全,可能延长至30天。", [(30, "hypothetical")]),  # a what-if
        ("可能存在等待期(如中断缴费3个月以上)。", [(3, "hypothetical")]),  # an example in brackets
        ("部分用户反馈线上申请后3天到账,此为个别案例。", [(3, "anecdotal")]),  # someone's experience
        ("如南京医保在转出后的30个工作日左右到账。", [(30, "other_place")]),  # another city's figure
        ("中断缴费超过3个月的,待遇等待期为6个月。", [(3, "current"), (6, "current")]),  # a firm rule is the city's
        ("办理时限一般为15个工作日。", [(15, "current")]),  # the plain case
    ],
)
def test_timeframe_status(line: str, expected: list[tuple[float, str]]) -> None:
    timeframes = of_type(section_records(Section(0, "西宁医保多久到账?", ["办理时限:", line]), ("西宁", "西宁市", "青海")),
                         RecordType.TIMEFRAME)
    assert [(t.value_max if t.value_max is not None else t.value_min, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["所需材料:", "住院病历、门诊病历。"], ["住院病历", "门诊病历"]),  # never cut to 病历
        (["所需材料:", "产前检查费用发票。"], ["产前检查费用发票"]),  # never cut to 发票
        (["所需材料:", "电子社保卡或医保电子凭证。"], ["电子社保卡", "医保电子凭证"]),  # 电子社保卡 is not 社保卡
        (["所需材料:", "《手术医疗证申领表》。"], ["手术医疗证申领表"]),  # a titled form is its title
        (["所需材料:", "填写完整的《医疗保险补缴申请表》。"], ["医疗保险补缴申请表"]),  # a form listed under 所需材料
        (["所需材料:", "医学诊断证明书、户口薄。"], ["诊断证明", "户口簿"]),  # aliases: one table
        (["材料准备:根据要求准备身份证、社保卡、缴费凭证等材料。"], ["身份证", "社保卡", "缴费凭证"]),  # label-then-content
        (["所需材料:", "锦州市居住证、本人身份证2张。"], ["居住证", "身份证"]),  # place, reader and quantity dropped
    ],
)
def test_full_item_names(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


def test_label_then_content_material_line_is_no_step() -> None:
    # "材料准备:…准备身份证…等材料" lists documents; it is not a step
    assert of_type(records_of(["材料准备:根据要求准备身份证、社保卡等材料。"]), RecordType.STEP) == []


@pytest.mark.parametrize(
    ("lines", "steps"),
    [
        # an unpunctuated action label above the sentence that spells it out: the sentence is the step
        (["线上办理:", "下载并登录医保服务平台APP", "在应用商店搜索并下载APP,注册后登录。"], ["在应用商店搜索并下载APP,注册后登录。"]),
        # short steps in a row are each a step
        (["线上办理:", "登录APP", "点击参保地变更"], ["登录APP", "点击参保地变更"]),
    ],
)
def test_unpunctuated_labels(lines: list[str], steps: list[str]) -> None:
    assert [s.text for s in of_type(records_of(lines), RecordType.STEP)] == steps


def test_subheading_with_duration_gives_timeframe() -> None:
    # "办理时间一般为15个工作日:" ends like a sub-heading but states a duration
    timeframes = of_type(records_of(["办理时间一般为15个工作日:", "线上办理更快。"]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit) for t in timeframes] == [(15, 15, "workday")]


def test_same_month_is_zero_months() -> None:
    # "缴费当月即可享受待遇": effective in the month of payment
    timeframes = of_type(records_of(["注意事项:", "补缴后,缴费当月即可享受待遇。"]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit) for t in timeframes] == [(0, 0, "month")]


@pytest.mark.parametrize(
    ("line", "channel", "path"),
    [
        ("若线上操作不便,可携带身份证到医保服务大厅窗口办理。", "offline", ()),  # the action's channel, not the condition's
        ("登录后选择《参保地变更》模块提交。", "online", ()),  # a 《…》 title is no menu path
        ("支付宝:进入“市民中心”→“医保”→“参保地”。", "alipay", ("市民中心", "医保", "参保地")),  # a quoted path
    ],
)
def test_step_channel_and_menu_path(line: str, channel: str, path: tuple[str, ...]) -> None:
    steps = of_type(records_of(["线上办理:", line]), RecordType.STEP)
    assert [(s.channel, s.menu_path) for s in steps] == [(channel, path)]


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["不予报销的项目:", "洗牙(龈上洁治)不属于治疗项目,医保不予支付。"], ["洗牙"]),  # a negated copula is not part of the item
        (["不予报销的项目:", "假牙、嵌体等修复项目,费用需自己承担。"], ["假牙", "嵌体"]),  # a bare 费用 points back at the list
        (["不予报销的项目:", "各类果味制剂不予报销。"], ["果味制剂"]),  # a determiner is not part of the name
        (["不予报销的项目:", "哪些牙科项目能用医保不予报销?"], []),  # a question is never an item
        (["不予报销的项目:", "大病保险起付标准为2万元,低保对象起付标准减半。"], []),  # a threshold is a condition
    ],
)
def test_exclusion_item_cleaning(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("线上办理:一般即时生效,最长不超过3个工作日。", [(0, 3, "workday", "current")]),  # one range from 0
        ("按照过去的规定,跨省转移最长要90个工作日,现已大幅缩短。", [(None, 90, "workday", "superseded")]),  # past, now over
        ("办理时限已从过去的45个工作日压减为15个工作日。", [(45, 45, "workday", "superseded"), (15, 15, "workday", "current")]),
        ("如未及时停保,变更可能延迟,个别情况下需等待一个月以上。", [(1, None, "month", "hypothetical")]),  # hedge earlier
    ],
)
def test_timeframe_round_two(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["认定流程:", "①参保人提交申请及材料;"], ["applicant"]),  # a circled number is a list marker
        (["认定流程:", "第二步,定点医院组织专科医师进行评审认定;"], ["third_party"]),  # 第N步 with a comma
        (["认定流程:", "第三步,医保部门备案后,待遇从认定次月起开始享受。"], ["office"]),  # the office's act carries on
        (["办理步骤:", "1.就诊后3个月内,到参保地医保经办窗口提交材料;"], ["applicant"]),  # a deadline, then the action
        (["银行代扣:", "签约后由银行在缴费期内从绑定账户自动扣缴医保费。"], ["third_party"]),  # the bank acts
        (["需准备的材料:", "携带上述材料到各县区医保服务窗口申请。"], ["applicant"]),  # carrying them somewhere is a step
        (["需准备的材料:", "工作人员核验身份及关系证明后办理绑定。"], ["office"]),  # an office act among documents
        (["办理方式:", "可选择以下途径"], []),  # filler
        (["办理时限:", "按照过去的规定,跨省转移最长要90个工作日,现已大幅缩短。"], []),  # a rules frame is no action
    ],
)
def test_step_round_two(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["所需材料:", "另需继承人身份证。"], ["继承人身份证"]),  # 另需 is a lead verb
        (["所需材料:", "住院病历首页、医疗费用发票。"], ["住院病历首页", "医疗费用发票"]),  # a page of a document keeps its name
        (["办理流程:", "经办机构向转出地发出联系函。"], []),  # a clause ending in a document is no material
        (["所需材料:", "身份证,不再要求提供纸质《参保凭证》。"], ["身份证"]),  # a document no longer required
        (["出院后可携带住院病历、医疗费用发票回原地申请报销。"], ["住院病历", "医疗费用发票"]),  # 回 ends the list
    ],
)
def test_material_round_two(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["不予报销的费用:", "因交通事故、工伤等应由第三方承担的医疗费用;"], ["因交通事故、工伤等应由第三方承担的医疗费用"]),  # one printed item
        (["不予报销的项目:", "以保健、养生为目的的推拿按摩;"], ["以保健、养生为目的的推拿按摩"]),  # the list is in the modifier
        (["不予报销的项目:", "种植体及其附属材料费用;"], ["种植体及其附属材料费用"]),  # 及其 joins no list
        (["不予报销的项目:", "洗牙若属于预防保健性质也不在报销范围内。"], []),  # a condition, not a statement
        (["不予报销的费用:", "洗牙属于预防保健项目,统筹基金不予支付。", "洗牙;"], ["洗牙"]),  # named twice, one fact
        (["报销范围:", "部分新增的诊疗项目可能暂不在报销范围内。"], []),  # a hedge
    ],
)
def test_exclusion_round_two(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


def test_third_party_stage_carries_its_actor() -> None:
    # "第二步:由接诊医院医生出具诊断意见" is the hospital's step, not the reader's
    steps = of_type(records_of(["申请流程:", "第二步:由接诊医院医生出具诊断意见。"]), RecordType.STEP)
    assert [s.actor for s in steps] == ["third_party"]


@pytest.mark.parametrize(
    ("lines", "headings"),
    [
        # an all-bold question line is a heading even without the city
        ((("bold", "西宁医保怎么转移?"), ("", "登录APP办理。"), ("bold", "转移后多久能到账?"), ("", "一般15个工作日。")),
         ["西宁医保怎么转移?", "转移后多久能到账?"]),
        # a bold sub-heading ending in a colon is not
        ((("bold", "西宁医保怎么转移?"), ("bold", "准备材料:"), ("", "身份证。")), ["西宁医保怎么转移?"]),
    ],
)
def test_bold_question_lines_are_headings(lines: tuple, headings: list[str]) -> None:
    marks = [mark for mark, _ in lines]
    _, sections = split_sections([text for _, text in lines], ("西宁", "西宁市"), marks)
    assert [s.heading for s in sections if s.heading] == headings


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["结算方式:", "就诊时出示医保电子凭证或社保卡。"], ["applicant"]),  # a time lead with 时, then the action
        (["办理步骤:", "1)原单位在医保系统中为职工办理停保。"], ["employer"]),  # 原单位 is the employer
        (["办理流程:", "出院时医院按规定直接结算。"], ["third_party"]),  # the subject after a time lead
        (["办理流程:", "保险公司审核后,将赔付款转入参保人银行账户。"], ["third_party"]),  # an insurer
        (["办理步骤:", "先为宝宝办理户口登记。"], ["applicant"]),  # 为 + beneficiary + verb
        (["办理前提:", "转入地已经办理参保登记。"], []),  # a state, not an act
        (["注意事项:", "两地不要重复缴费,提前确认转入地已经参保。"], []),  # the reader checks; no office acts
        (["线下备案:", "委托他人办理的,还需带上代办人身份证。"], []),  # a case's extra document is a material
        (["办理须知:", "跨省变更涉及关系转移接续的,办理时限为15个工作日内。"], []),  # a deadline statement
    ],
)
def test_step_round_four(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理流程:", "第三步,社区医保窗口确认接收后通知参保人。"], ["office"]),  # a comma-led numbered stage
        (["线上申请:", "登录小程序提交申请。", "新卡做好后,由邮政快递寄送至本人。"], ["applicant", "third_party"]),  # the post
        (["办理流程:", "审核无误后,将余额划入申请人的银行账户。"], ["office"]),  # money sent to the reader: the office
        (["办理流程:", "赔付款一般转入参保人本人账户。"], ["third_party"]),  # an insurer's payout
    ],
)
def test_step_round_seven(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("自缴费次月起享受待遇。", [(1, 1, "month", "current")]),  # from the next month
        ("原来这一环节需要45个工作日。", [(45, 45, "workday", "superseded")]),  # named as the old figure
        ("以往补卡要等20个工作日左右,目前大部分网点已能即时制卡。", [(20, 20, "workday", "superseded"), (0, 0, "day", "current")]),
        ("听一位宝妈说,她递交材料后两周就收到了津贴。", [(2, 2, "week", "anecdotal")]),  # hearsay
        ("转移时间已由原来的45个工作日压缩至15个工作日。", [(45, 45, "workday", "superseded"), (15, 15, "workday", "current")]),
    ],
)
def test_timeframe_round_five(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["所需材料:", "近半年的门诊病历和化验单。"], []),  # a window saying which records, not a duration
        (["注意事项:", "部分地区规定康复住院最长报销60天。"], [(None, 60, "day", "other_place")]),  # some places' figure
        # The same duration stated twice in a section is one fact.
        (["办理流程:", "工作人员当场办理登记。", "办理时限:", "材料齐全的一般当场办结。"], [(0, 0, "day", "current")]),
    ],
)
def test_timeframe_round_seven(lines: list[str], expected: list[tuple]) -> None:
    timeframes = of_type(records_of(lines), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["所需材料:", "就诊时出示社保卡,异地就医另需提供转诊证明。"], ["社保卡", "转诊证明"]),  # a case before 另需提供
        (["需要准备什么:", "材料准备:一般需准备身份证、居住证等材料。"], ["身份证", "居住证"]),  # an adverb before 需准备
        (["所需材料:", "户口簿首页及本人页复印件。"], ["户口簿"]),  # pages of the register are the register
    ],
)
def test_material_round_seven(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    "lines",
    [
        # Numbered cost phrases under a "not covered" lead are items, not topic sub-headings.
        ["住院期间发生的下列费用,医保基金不予支付:", "①在境外就医发生的费用", "②应当由工伤保险基金承担的住院费用"],
    ],
)
def test_numbered_cost_phrases_stay_in_the_list(lines: list[str]) -> None:
    items = [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)]
    assert items == ["在境外就医发生的费用", "应当由工伤保险基金承担的住院费用"]


def test_a_bare_list_word_names_nothing() -> None:
    from normalize.records.lines import list_items

    # A subject that is only "等" once cleaned must not crash the section (it did: an empty piece list).
    assert list_items("等") == []


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["线上办理:", "提交后由户籍所在区社保经办机构在线审核。"], ["office"]),  # 所在 inside the office's name
        (["线上办理:", "审核通过的,以短信形式告知办理结果。"], ["office"]),  # word sent by text message
        (["办理流程:", "4、审核结果会通过短信通知申请人。"], ["office"]),  # ... after a subject
        (["办理流程:", "补缴费用到账后,系统自动恢复参保人的参保状态。"], ["office"]),  # the system restores
        (["办理流程:", "单位收到款项后及时转发给职工本人。"], ["employer"]),  # the employer passes it on
        (["办理流程:", "第三步,审核通过后,报销款打入参保人社保卡银行账户。"], ["office"]),  # money to the reader
        (["报销方式:", "因故未能直接结算的,出院后3个月内回参保地申请手工报销。"], ["applicant"]),  # a deadline after 后
        (["结算方式:", "看完病缴费时亮出医保电子凭证,在收费窗口直接结算即可。"], ["applicant"]),  # 亮出 is showing
        (["政策说明:", "退休人员经本人申请,可将个人账户资金划入本人银行账户。"], []),  # a policy, not an office act
        (["参保须知:", "新生儿在出生后90天内办理参保缴费的,自出生之日起享受待遇。"], []),  # a case, not an instruction
    ],
)
def test_step_round_eight(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["结算方式:", "看完病缴费时亮出医保电子凭证或社保卡。"], ["医保电子凭证", "社保卡"]),  # shown at the counter
        (["线上办理:", "上传身份证照片后提交。"], ["身份证"]),  # the photo is the form, 后提交 the next act
        (["办理流程:", "申请人将填好的表格连同出院小结、费用清单交到医院医保办。"], ["出院小结", "费用清单"]),  # 连同
        (["准备材料:", "窗口工作人员核验材料,符合条件的当场出具受理回执。"], []),  # issued by the office, not brought
    ],
)
def test_material_round_eight(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("银行柜员核对身份后制卡,新卡当场发放。", [(0, 0, "day", "current")]),  # handed out on the spot
        ("现场办理的一般当天完成;线上申请的3个工作日内反馈审核结果。",
         [(0, 0, "day", "current"), (None, 3, "workday", "current")]),  # 反馈 of a result is no hearsay
        ("有参保人反映,当地同类转移一般20个工作日就能办完。", [(20, 20, "workday", "anecdotal")]),  # hearsay
        ("以前要先回参保地开证明,前后得折腾一周,现在这一要求已经取消。", [(1, 1, "week", "superseded")]),  # now abolished
    ],
)
def test_timeframe_round_eight(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        # 统一 is an adverb (a bare time before a list sets the scene: dropped, settled after blind24)
        (["温馨提示:", "住院期间的伙食费、护工费,统一由个人承担。"], ["伙食费", "护工费"]),
        (["温馨提示:", "家属陪床的折叠床费也不在报销之列。"], ["家属陪床的折叠床费"]),  # 不在…之列 negates
        (["温馨提示:", "目录外药品,结算时直接划入自费。"], ["目录外药品"]),  # 划入自费; the time clause is no subject
        (["温馨提示:", "代煎药的加工费也不在报销范围内,配送费同样需要自理。"], ["代煎药的加工费", "配送费"]),  # two statements
        (["温馨提示:", "保健品、营养粉也需要个人自己掏钱。"], ["保健品", "营养粉"]),  # 个人自己 is the payer
        (["这几类耗材需全额自付:", "如一次性冰袋、可重复使用的护腰等。"], ["一次性冰袋", "可重复使用的护腰"]),  # examples keep their 的
        # A list closed by 等 + a category qualified by a 的-clause is one thing; before a bare 项目 the items.
        (["不予报销:", "单人间、套间等特需病房超出标准的差价。"], ["单人间、套间等特需病房超出标准的差价"]),
        (["不予报销:", "种植牙、烤瓷牙等美容性质的项目。"], ["种植牙", "烤瓷牙"]),
        (["计算大病保险时,不计入合规费用的有:", "◆院外自行购药的费用;", "◆挂号费。"], ["院外自行购药的费用", "挂号费"]),  # 不计入; bullets
    ],
)
def test_exclusion_round_nine(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("新参保的一般次日即可激活,最长不超过3天。", [(1, 3, "day", "current")]),  # usual day to the longest
        ("2022年以前是按季度集中审核,最多要等3个月。", [(None, 3, "month", "superseded")]),  # opens in the past
        ("按老规定,零星报销一拖就是60天。", [(60, 60, "day", "superseded")]),  # ... by the old rule
        ("前几年要两个月左右,现在大多一个月左右就能办结。", [(2, 2, "month", "superseded"), (1, 1, "month", "current")]),
        ("住院费用随出院结算即时报销。", [(0, 0, "day", "current")]),  # reimbursed on the spot
        ("评估结论作出后,从次月起按月享受待遇。", [(1, 1, "month", "current")]),  # next month, monthly
    ],
)
def test_timeframe_round_nine(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理流程:", "审核通过后生成补缴核定单,推送至税务系统。"], ["office"]),  # the office's system produces it
        (["办理流程:", "系统自动比对户籍信息,比对一致的即时绑定成功。"], ["office"]),  # the system compares
        (["国家医保服务平台APP:", "注册登录后,在首页点“医保码”,按提示录入身份信息。"], ["applicant"]),  # 点“…”
        (["办理流程:", "被退回一般是因为转出地还未办理停保。"], []),  # a cause, not an action
        (["申领条件:", "单位为职工连续缴费满10个月,且分娩时处于参保状态的,可以享受生育津贴。"], []),  # eligibility
    ],
)
def test_step_round_nine(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


def test_a_sentence_opening_on_another_city_is_that_citys_figure() -> None:
    # On a 天水 page, "兰州…当天就能转入" is 兰州's figure, not 天水's.
    section = Section(index=0, heading="天水医保转移多久", lines=["办理时限:", "兰州的窗口推出了即时办,当天就能转入。"])
    timeframes = of_type(section_records(section, ("天水", "天水市", "甘肃", "甘肃省")), RecordType.TIMEFRAME)
    assert [(t.value_min, t.unit, t.status) for t in timeframes] == [(0, "day", "other_place")]


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["不予报销:", "洁牙,因牙周病治疗需要的龈上洁治除外。"], ["洁牙"]),  # an exception clause is covered
        (["不予报销:", "在境外就医的费用和体检费用。"], ["在境外就医的费用", "体检费用"]),  # two closed noun phrases
        (["不予报销:", "健身房、游泳馆的会员费。"], ["健身房、游泳馆的会员费"]),  # possessors of one thing
        (["不予报销:", "用于养生调理的膏方。"], ["用于养生调理的膏方"]),  # the verb is inside the modifier
        (["温馨提示:", "阿胶、燕窝这类滋补品,就算在定点药店买也不能刷个人账户。"], ["阿胶", "燕窝"]),  # 就算…; 刷
        (["温馨提示:", "另外,做试管婴儿的费用,泸州暂未纳入生育保险支付范围。"], ["做试管婴儿的费用"]),  # the city is no item
        (["慢特病待遇按病种支付,下面几种情况不能按慢特病结算:", "一是与认定病种无关的用药;", "二是医保目录外的药品。"],
         ["与认定病种无关的用药", "医保目录外的药品"]),  # 不能按…结算; 一是/二是 numbering
    ],
)
def test_exclusion_round_ten(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    "lines",
    [
        ["温馨提示:", "入院超过72小时仍未办理医保登记的,本次住院费用不能直接结算。"],  # a settlement mode, nothing excluded
        ["温馨提示:", "无痛分娩的麻醉费用,有的医院可以走生育保险结算,有的需要自付。"],  # some hospitals: a hedge
        ["温馨提示:", "口腔治疗到底能不能刷医保,一直是大家关心的话题。"],  # a question
        ["温馨提示:", "住院期间发生的费用走住院报销,不再按慢特病门诊结算。"],  # paid by another route
        ["以下费用不纳入计算:", "在未备案的机构就医的,费用可能无法全部计入,由医保部门认定。"],  # a hedged denial
        ["温馨提示:", "以上内容仅供参考,办理前请以当地医保部门公布的规定为准。"],  # a disclaimer
    ],
)
def test_not_exclusions_round_ten(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


def test_intro_hook_names_no_exclusions() -> None:
    # The untitled intro's rhetorical hook ("…有的全算自费…?…小编…") is no statement of what is excluded.
    section = Section(index=0, heading=None, lines=["补牙、拔牙,结账时有的走了统筹、有的全算自费,到底怎么回事?小编来说说。"])
    assert not of_type(section_records(section), RecordType.EXCLUSION)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["个人离职后断缴的:", "带身份证、医保卡到医保服务大厅窗口办理参保登记。"], ["身份证", "医保卡"]),  # 带 carries
        (["补缴要准备的材料:", "补缴申请表、劳动合同、工资发放记录。"], ["补缴申请表", "劳动合同", "工资发放记录"]),  # a form first
        (["首次参保需提供:", "户口簿、学生证;外地户籍的另需提供居住证。"], ["户口簿", "学生证", "居住证"]),  # 需提供: a list
    ],
)
def test_material_round_ten(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


def test_a_materials_question_section_lists_documents() -> None:
    # Under a heading asking for documents, a bare list line with a second clause still lists them.
    section = Section(index=1, heading="报销材料有哪些?", lines=["身份证、出院记录;在外地住院的,还需提供备案表。"])
    items = [m.item for m in of_type(section_records(section), RecordType.MATERIAL)]
    assert items == ["身份证", "出院记录", "备案表"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("连续缴费不满12个月的,不享受生育津贴。", [(None, 12, "month", "current")]),  # 不满: less than
        ("窗口人员核对后,当场为其完成登记。", [(0, 0, "day", "current")]),  # on the spot, for them
        ("首次缴费后,次月起可以享受待遇。", [(1, 1, "month", "current")]),  # next month, with a modal
        ("解除共济关系的,次月起停止共享。", [(1, 1, "month", "current")]),  # ... or stopping
    ],
)
def test_timeframe_round_ten(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["手机办理:", "家长在公众号选择新生儿参保登记,填写宝宝姓名。"], ["applicant"]),  # the parent is the reader
        (["缴费:", "登记成功后,按月或按年通过税务APP缴纳医保费。"], ["applicant"]),  # 按月或按年 is how
        (["办理流程:", "转出地应在受理后10个工作日内完成转出。"], []),  # a deadline rule, a timeframe
        (["温馨提示:", "如果断缴超过6个月,补缴后可能还要再等3个月。"], []),  # a what-if
    ],
)
def test_step_round_ten(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["不予报销:", "▲日用品", "▲保健食品"], ["日用品", "保健食品"]),  # ▲ bullets
        (["不予报销:", "康复治疗超出限定次数、限定天数的部分。"], ["康复治疗超出限定次数、限定天数的部分"]),  # 超出… clause
        (["不予报销:", "已由商业保险、慈善机构赔付的部分。"], ["已由商业保险、慈善机构赔付的部分"]),  # 已… clause
        (["温馨提示:", "种植体、烤瓷冠也要自掏腰包。"], ["种植体", "烤瓷冠"]),  # 自掏腰包
        (["计入大病保险的只有合规费用,下面这些不算:", "在非定点医疗机构就医的费用;"], ["在非定点医疗机构就医的费用"]),  # 不算
        (["温馨提示:", "另外,像器官移植的供体费用,也不纳入大病保险合规费用。"], ["器官移植的供体费用"]),  # 不纳入…费用
        (["温馨提示:", "住院期间的护理费用,长护险不予支付。"], ["住院期间的护理费用"]),  # 长护险 is the payer
    ],
)
def test_exclusion_round_eleven(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    "lines",
    [
        ["不予报销:", "护理床、轮椅能否给租赁补贴,要看当年公布的服务目录。"],  # a question, "depends"
        ["不予报销:", "血糖仪能不能刷,各地规定不一样,有的城市可以刷。"],  # places differ
        ["不予报销:", "门诊慢特病的政策范围内自付费用,同样可以申请救助。"],  # covered another way
    ],
)
def test_not_exclusions_round_eleven(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["代办材料:", "委托他人办理的,还要带上代办人身份证。"], ["代办人身份证"]),  # 还要带上 is a lead
        (["所需材料:", "本市居住证。"], ["居住证"]),  # the issuing place is dropped
    ],
)
def test_material_round_eleven(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("早几年规定的是出生后28天内参保,现在已经放宽。", [(None, 28, "day", "superseded")]),  # an old rule
        ("一位家长告诉小编,他两天就查到了参保信息。", [(2, 2, "day", "anecdotal")]),  # hearsay
    ],
)
def test_timeframe_round_eleven(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理流程:", "评估机构对失能程度进行评定。"], ["third_party"]),  # an assessment body acts
        (["办理流程:", "经办机构对评估结论进行公示,公示期满无异议的,次月起享受待遇。"], ["office"]),  # publishes
        (["办理流程:", "银行网点柜员受理申请后制卡。"], ["third_party"]),  # a bank clerk
        (["申领条件:", "申领生育津贴,须在分娩前连续缴纳生育保险满9个月。"], []),  # eligibility
    ],
)
def test_step_round_eleven(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["不予支付:", "(一)伙食费;", "(二)住院期间发生的护理费用。"], ["伙食费", "住院期间发生的护理费用"]),  # (一) numbering
        (["温馨提示:", "此外,成人纸尿裤、护理垫这类耗材需要家属自费购买。"], ["成人纸尿裤", "护理垫"]),  # 家属 pays; 此外
        (["温馨提示:", "另外,这几项也要个人全额承担,如陪护费、营养餐费等。"], ["陪护费", "营养餐费"]),  # 这几项 points ahead
        (["温馨提示:", "但普惠健康保以外的商业保险保费不能支付。"], ["普惠健康保以外的商业保险保费"]),  # a premium as an item
        (["以下费用不纳入支付范围:", "1、不属于基本医保政策范围内的费用;"], ["不属于基本医保政策范围内的费用"]),  # a modifier
        (["温馨提示:", "至于护工费,大病保险同样不支付。"], ["护工费"]),  # 至于 opens no item
        (["不予报销:", "特需病房、VIP病房超出普通床位收费标准的部分。"], ["特需病房、VIP病房超出普通床位收费标准的部分"]),
        (["温馨提示:", "角膜塑形镜虽然能延缓近视,但属于自费的医疗器械,不在报销范围。"], ["角膜塑形镜"]),  # 但属于… points back
    ],
)
def test_exclusion_round_twelve(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("以前是每季度集中评审一次,最长要等3个月,今年起改为随到随审。", [(None, 3, "month", "superseded")]),
        ("部分县区承诺10个工作日办结。", [(10, 10, "workday", "other_place")]),  # some counties
        ("一家人在眼科上的花费一年比一年多。", []),  # a comparison, not a duration
    ],
)
def test_timeframe_round_twelve(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["温馨提示:", "还有几项产检套餐外的检查需要自掏腰包,比如胎儿心电图、羊水穿刺等。"], ["胎儿心电图", "羊水穿刺"]),
        (["温馨提示:", "这几类诊疗项目医保同样不付钱,比如基因检测、心理咨询等。"], ["基因检测", "心理咨询"]),  # 不付钱
        (["温馨提示:", "因酗酒、斗殴导致住院的医疗费用,医保不予报销。"], ["因酗酒、斗殴导致住院的医疗费用"]),  # a cause clause
        (["温馨提示:", "防控近视用的低浓度滴眼液,目前也不在医保目录内,需要自费购买。"], ["防控近视用的低浓度滴眼液"]),  # 目录内
    ],
)
def test_exclusion_round_thirteen(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    "lines",
    [
        ["不予报销:", "养老金每年调整一次,具体涨幅以人社部门通知为准。"],  # a pointer to the official word
        ["温馨提示:", "有些费用刷了卡也是全自费。"],  # a vague quantifier names nothing
        ["温馨提示:", "材料不全需要补正的,补正时间不计入。"],  # a time is no excluded thing
    ],
)
def test_not_exclusions_round_thirteen(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["银行网点即时制卡:", "3、柜员核验身份后即时制卡,当场领取。"], ["third_party"]),  # a bank clerk
        (["线上申领邮寄到家:", "卡片制好后由邮政EMS寄出。"], ["third_party"]),  # 寄出 by the post
        (["办理流程:", "幼儿园统一收集学生名单,汇总后报送医保部门。"], ["third_party"]),  # a school gathers and sends
        (["办理流程:", "登记成功后,社保服务站当场为参保人核定缴费档次。"], ["office"]),  # a local service station
    ],
)
def test_step_round_thirteen(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["温馨提示:", "种植牙、牙齿漂白均属于个人自费范围。"], ["种植牙", "牙齿漂白"]),  # classed as self-paid
        (["温馨提示:", "陪护费、营养餐费由住院患者个人承担。"], ["陪护费", "营养餐费"]),  # a chained payer
        (["温馨提示:", "也有人问能不能报体检费,答案是健康体检费用同样需要自理。"], ["健康体检费用"]),  # 答案是
        (["温馨提示:", "故意自伤、自残产生的医疗费用,以及在境外发生的医疗费用,均不予赔付。"],
         ["故意自伤、自残产生的医疗费用", "在境外发生的医疗费用"]),  # 以及 continues with a whole phrase
        (["温馨提示:", "和在职职工一样,以下费用不报:在国外就医的费用、住院伙食费。"], ["在国外就医的费用", "住院伙食费"]),
    ],
)
def test_exclusion_round_fourteen(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("高血压这类慢病,一年到头都离不开药。", []),  # an idiom, not a duration
        ("我有个朋友在外市交了两个月就能报了。", [(2, 2, "month", "anecdotal")]),  # a friend's story
    ],
)
def test_timeframe_round_fourteen(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


def test_a_question_line_in_a_list_is_no_item() -> None:
    # "绑定后多久生效" under a "not covered" list is the next sub-question, not an excluded thing
    lines = ["下列费用不能用共济账户支付:", "给非近亲属支付的医疗费用", "绑定后多久生效"]
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == ["给非近亲属支付的医疗费用"]


def test_a_not_covered_heading_opens_its_list() -> None:
    # "…这些费用不予支付" as the section heading: the numbered lines under it are the excluded items
    section = Section(index=2, heading="大同长护险这些费用不予支付",
                      lines=["1、在非协议护理机构发生的护理费用;", "2、餐饮费、住宿费等生活费用;"])
    items = [e.item for e in of_type(section_records(section), RecordType.EXCLUSION)]
    assert items == ["在非协议护理机构发生的护理费用", "餐饮费", "住宿费"]


def test_another_payers_route_is_no_subject() -> None:
    # "…,由医保按住院待遇结算,长护险不再重复支付": the route clause names no excluded thing
    lines = ["温馨提示:", "住院期间发生的护理费用,由医保按住院待遇结算,长护险不再重复支付。"]
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == ["住院期间发生的护理费用"]


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理流程:", "由本人或监护人向社区服务中心提出评估申请。"], ["applicant"]),  # the reader named with 或
        (["办理流程:", "③ 非即时发卡网点受理的,由人社局统一制卡后寄送。"], ["office"]),  # 人社局 is an office
        (["办理流程:", "2、银行工作人员核对信息后,采集人像并提交申请。"], ["third_party"]),  # the clerk's time clause
        (["单位办理:", "单位登录医保单位网厅填报生育津贴申请。"], ["employer"]),  # the employer, with a reader's verb
        (["办理流程:", "单位按核定单通过银行划缴补缴款。"], ["employer"]),  # 按 + the office's notice
        (["办理流程:", "孩子出生后,将出生证明、出院小结交给单位经办人。"], ["applicant"]),  # 将 + a long object + 交给
        (["个人申请:", "已离职的女职工,可携带身份证、银行卡到医保窗口申请。"], ["applicant"]),  # a case subject first
        (["办理流程:", "按核定单通过银行柜台缴纳费用。"], ["applicant"]),  # 按 + a notice is no statement
    ],
)
def test_step_round_sixteen(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    "lines",
    [
        ["报销范围:", "参加职工医保的参保人员,可以通过共济账户为家人缴纳居民医保费。"],  # eligibility, not an act
        ["办理流程:", "住院期间使用的进口耗材由个人全额负担。"],  # 使用的 modifies a noun
    ],
)
def test_not_steps_round_sixteen(lines: list[str]) -> None:
    assert not of_type(records_of(lines), RecordType.STEP)


def test_a_case_line_gives_its_materials() -> None:
    # "将X、Y交给…": the things handed over are materials
    records = records_of(["办理流程:", "孩子出生后,将出生医学证明、出院小结交给单位经办人。"])
    assert [m.item for m in of_type(records, RecordType.MATERIAL)] == ["出生医学证明", "出院小结"]


def test_a_conditional_cancel_outside_a_procedure_is_a_step() -> None:
    # "如需…,可在APP…中先取消…,再…" under a "how long" block: an instruction on a named platform
    lines = ["多久生效:", "如需更换定点医院,可在APP“我的定点”中先取消原选定,再重新选择。"]
    assert [s.channel for s in of_type(records_of(lines), RecordType.STEP)] == ["app"]


def test_the_other_case_of_immediate_is_no_duration() -> None:
    # "非即时制卡网点…": 非即时 names the other case, only the 15 workdays are a duration
    timeframes = of_type(records_of(["办理时限:", "非即时制卡网点一般15个工作日可领卡。"]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit) for t in timeframes] == [(15, 15, "workday")]


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["温馨提示:", "另外,住院期间产生的陪护费、营养费也不在报销范围内。"], ["陪护费", "营养费"]),  # an event modifier sets the scene
        (["温馨提示:", "门诊期间使用的自费药品和目录外的医用耗材,由个人全额负担。"], ["自费药品", "目录外的医用耗材"]),  # ... over 和
        (["下列费用不予救助:", "医疗美容、非治疗性质的健康体检"], ["医疗美容", "非治疗性质的健康体检"]),  # a kind-of 的 is the last one's
        (["下列费用不予救助:", "科研性、试验性的诊疗项目"], ["科研性、试验性的诊疗项目"]),  # ... unless every piece is a kind
        (["不纳入合规费用的有:目录外耗材、特需病房费用、基本医疗保险起付标准以下的自付部分。"],
         ["目录外耗材", "特需病房费用", "基本医疗保险起付标准以下的自付部分"]),  # a longer last 的-phrase
        (["温馨提示:", "种植牙、烤瓷牙以及活动假牙的加工费用不予报销。"], ["种植牙", "烤瓷牙", "活动假牙的加工费用"]),  # 以及 joins items
    ],
)
def test_exclusion_round_sixteen(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("累计缴费满1年不足5年的,最长领取12个月。", [(1, 5, "year"), (None, 12, "month")]),  # 满…不足… is one range
        ("停工留薪期一般不超过6个月,延长不得超过6个月。", [(None, 6, "month")]),  # 不得超过 bounds from above
        ("绑定后次日起即可使用。", [(1, 1, "day")]),  # 次日起即可
        ("缴费次月起才能享受待遇。", [(1, 1, "month")]),  # 次月起才能
        ("特殊病种可申请当天认定。", [(0, 0, "day")]),  # same-day decision
    ],
)
def test_timeframe_round_seventeen(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["注意事项:", "备案后如需更换就医地,需先撤销原备案再重新申请。"], ["applicant"]),  # a time lead before 如需
        (["办理流程:", "4、选择机构:评定为失能的,自行选择护理机构签订协议。"], ["applicant"]),  # 自行
        (["办理流程:", "医院工作人员将出生信息同步上传至医保系统,无需家长另跑。"], ["third_party"]),  # 上传 by the hospital
        (["办理流程:", "出院时由医院直接减免大病保险部分,无需个人申请。"], ["third_party"]),  # nothing to do, but the hospital acts
        (["办理流程:", "单位未按时申请的,职工本人或其近亲属可在事故发生之日起1年内直接申请。"], ["applicant"]),  # 或其近亲属
        (["办理流程:", "4、作出决定:自受理之日起60日内作出认定决定。"], ["office"]),  # counted from the office's receipt
        (["办理流程:", "医保分中心核验关系后当场完成绑定。"], ["office"]),  # a branch centre is an office
    ],
)
def test_step_round_seventeen(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


def test_a_conditions_label_under_a_materials_heading_is_no_step() -> None:
    # "申领条件:…" in a "条件及所需材料" section states who qualifies; the employer's payment in it is no step
    records = records_of(["申领条件:用人单位为职工连续缴纳生育保险满12个月。"], heading="湖州生育津贴申领条件及所需材料")
    assert not of_type(records, RecordType.STEP)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["材料准备:身份证、社保卡,户籍迁入的还要带户口簿。"], ["身份证", "社保卡", "户口簿"]),  # 还要带
        (["需要准备:身份证,以及单位出具的解除或终止劳动合同证明。"], ["身份证", "解除或终止劳动合同证明"]),  # two verbs, one name
        (["办理流程:", "携带社保卡、身份证,以及户口簿或结婚证,到窗口办理。"], ["社保卡", "身份证", "户口簿", "结婚证"]),  # ,以及
        (["需要准备:其他劳动关系证明。"], ["劳动关系证明"]),  # 其他 is a determiner
    ],
)
def test_material_round_seventeen(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["医保不支付:保健品、化妆品等非医疗用品,健身卡,均不得使用个人账户支付。"], ["保健品", "化妆品", "健身卡"]),  # clause by clause
        (["温馨提示:", "另外,医疗美容、减肥瘦身等非治疗目的的费用,以及商业保险保费,也不能用共济资金支付。"],
         ["医疗美容", "减肥瘦身", "商业保险保费"]),  # a bare adverb clause is no subject
        (["温馨提示:", "下列费用基金不予支付:不符合诊疗项目目录的费用、未经批准到统筹地区以外就医的费用。"],
         ["不符合诊疗项目目录的费用", "未经批准到统筹地区以外就医的费用"]),  # longer 的-phrases with a head noun
        (["医保不支付:健身卡、体检套餐中的非必要项目。"], ["健身卡", "体检套餐中的非必要项目"]),  # 中的 is no possessor
    ],
)
def test_exclusion_round_seventeen(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


def test_a_which_question_heading_opens_its_list() -> None:
    # "…哪些费用不给报?" as the section heading: the bare lines under it are the excluded items
    section = Section(index=2, heading="生育保险哪些费用不给报?", lines=["产后康复按摩;", "月子中心服务费。"])
    assert [e.item for e in of_type(section_records(section), RecordType.EXCLUSION)] == ["产后康复按摩", "月子中心服务费"]


def test_a_label_that_says_covered_lists_no_exclusions() -> None:
    # "可以支付的费用包括:…" inside a "not covered" block lists what is paid
    lines = ["个人账户不得用于以下支出:", "美容美发消费", "可以支付的费用包括:近亲属就医的自付费用。"]
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == ["美容美发消费"]


def test_an_owner_before_a_conjunction_owns_one_too() -> None:
    # "本人及家属身份证": 本人 is an owner, not a verb sharing the name: two documents, the reader's and the family's
    items = [m.item for m in of_type(records_of(["需要准备:本人及家属身份证。"]), RecordType.MATERIAL)]
    assert items == ["身份证", "家属身份证"]


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["温馨提示:", "各类保健品、营养品以及主要起滋补作用的药材,医保不予支付。"],
         ["保健品", "营养品", "主要起滋补作用的药材"]),  # 以及 joins items; the last opens its own modifier (round 18)
        (["温馨提示:", "因酗酒、斗殴以及吸毒所致的医疗费用,医保不予支付。"], ["因酗酒、斗殴以及吸毒所致的医疗费用"]),  # 以及 inside a wrapped modifier
        (["温馨提示:", "但洗牙、冷光美白这几类项目需要个人全额承担。"], ["洗牙", "冷光美白"]),  # 这几类 names the category
        (["温馨提示:", "门特待遇只支付与病种相关的费用,与病种无关的检查费用、超出年度限额的部分,由个人自付。"],
         ["与病种无关的检查费用", "超出年度限额的部分"]),  # 与…无关 opens an item; above the cap stays
        (["温馨提示:", "以下费用不计入:目录外的自费药品、特需病房超出普通床位标准的床位费差价。"],
         ["目录外的自费药品", "特需病房超出普通床位标准的床位费差价"]),  # 差价 heads a longer item
        (["温馨提示:", "酒后驾驶、自残导致的伤亡,不得认定为工伤。"], ["酒后驾驶、自残导致的伤亡"]),  # not a work injury
    ],
)
def test_exclusion_round_eighteen(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


def test_a_denied_self_payment_is_no_exclusion() -> None:
    # "…经备案后可以纳入报销,不属于自费范围": covered, nothing excluded
    lines = ["温馨提示:", "部分慢病患者使用的特殊药品,经备案后可以纳入报销,不属于自费范围。"]
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("中断缴费3个月(含)以内的可以补缴。", [(None, 3, "month")]),  # (含) before the bound
        ("参保信息次日可在APP查询。", [(1, 1, "day")]),  # 次日可在…查询
    ],
)
def test_timeframe_round_eighteen(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理流程:", "受理后,定点评估机构派专家上门开展评估。"], ["third_party"]),  # 定点评估机构
        (["办理流程:", "需要核实的,工作人员到单位开展调查取证;"], ["office"]),  # 调查取证 is no document
    ],
)
def test_step_round_eighteen(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


def test_an_office_registering_is_a_step_outside_a_procedure() -> None:
    # "…窗口受理后当场完成参保登记" under a "how long" heading: the office's act is still a step
    records = records_of(["医保窗口受理后当场完成参保登记。"], heading="湖州新生儿医保多久生效")
    assert [s.actor for s in of_type(records, RecordType.STEP)] == ["office"]


@pytest.mark.parametrize(
    ("lines", "heading", "actors"),
    [
        # an office paying out in a "how long" section (round 19)
        (["医保经办机构审核后在20个工作日内将报销款转入参保人社保卡。"], "湖州报销款多久到账", ["office"]),
        (["评估结论出具后,区医保中心在5个工作日内通过短信告知申请人结果。"], "湖州长护险评估要多久", ["office"]),
        (["受理后,评估机构会在10个工作日内安排评估人员上门评估;"], "湖州长护险评估要多久", ["third_party"]),
        (["2、申请渠道:本人或代办人可通过APP提交申请,也可到服务中心现场申请。"], "湖州长护险评估要多久", ["applicant"]),
        (["第三步:合作银行收到申请后统一制卡。"], "湖州社保卡怎么补办", ["third_party"]),
    ],
)
def test_step_round_nineteen(lines: list[str], heading: str, actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines, heading=heading), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    "lines",
    [
        ["报销流程相同:使用电子医保卡或实体卡报销时,均需在定点医院就医。"],  # a statement about the procedure
        ["领取失业金期间,医保费由失业保险基金代缴,个人不需要缴费。"],  # 领取…期间 only dates the statement
        ["目录外药品全部由个人负担,医生使用前应当告知,并由患者签字确认。"],  # 告知 without the reader's result
    ],
)
def test_not_steps_round_nineteen(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading="湖州医保报销比例是多少"), RecordType.STEP)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["线下办理:携带身份证、社保卡及解除或终止劳动合同的证明,前往窗口申请。"],
         ["身份证", "社保卡", "解除或终止劳动合同的证明"]),  # what a proof proves is its name
        (["需要准备:户口簿或结婚证等能证明亲属关系的材料。"], ["户口簿", "结婚证"]),  # an example before 等 names it
        (["需要准备:单位出具的证明。"], []),  # an issuer is no name
    ],
)
def test_material_round_nineteen(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["温馨提示:", "住院期间的护工费、交通费由个人负担。"], ["护工费", "交通费"]),  # a bare time sets the scene
        (["温馨提示:", "挂号费(部分医院可按规定报销)不在报销范围内。"], ["挂号费"]),  # a bracketed hedge keeps the item
    ],
)
def test_exclusion_round_nineteen(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    "lines",
    [
        ["温馨提示:", "补牙、拔牙属于治疗性项目,可以按规定报销。"],  # 可以按规定报销 says covered
        ["温馨提示:", "基本医保报销后个人自付的合规费用,才是大病保险的报销对象。"],  # 才是…报销对象
    ],
)
def test_not_exclusions_round_nineteen(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading="湖州牙科项目,哪些能报哪些不能报?"), RecordType.EXCLUSION)


def test_next_month_pause_is_a_duration() -> None:
    # "从断缴次月起暂停享受待遇": from the next month, one month
    timeframes = of_type(records_of(["办理时限:", "从断缴次月起暂停享受待遇。"]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit) for t in timeframes] == [(1, 1, "month")]


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["下列费用不纳入:", "自费药品、超标准的医用耗材和目录外的诊疗项目;"],
         ["自费药品", "超标准的医用耗材", "目录外的诊疗项目"]),  # 和 between two 的-phrases with head nouns (round 20)
        (["下列费用不纳入:", "因酗酒、斗殴等导致的医疗费用(突发疾病导致的除外);"], ["因酗酒、斗殴等导致的医疗费用"]),  # (…除外)
        (["温馨提示:", "以下支出不能使用共济资金:保健品、化妆品。"], ["保健品", "化妆品"]),  # 不能使用…资金
        (["下列费用不纳入:", "住院期间的营养品费用和个人生活用品费用。"], ["营养品费用", "个人生活用品费用"]),  # not a generic head
        (["下列费用不纳入:", "在非定点医院发生的分娩费用、超出标准的产检项目。"],
         ["在非定点医院发生的分娩费用", "超出标准的产检项目"]),  # each piece keeps its own modifier
    ],
)
def test_exclusion_round_twenty(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    "lines",
    [
        ["下列费用不纳入:", "这些费用仍属于医保支付范围,只是需要回参保地手工报销。"],  # 仍属于…支付范围
        ["以下费用工伤保险基金不支付:", "经批准到外地就医的交通费用,按规定从工伤保险基金支付。"],  # 从…基金支付
    ],
)
def test_not_exclusions_round_twenty(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["材料准备:由单位经办人收集职工身份证、结婚证等材料。"], ["职工身份证", "结婚证"]),  # someone else gathers; 职工 owns
        (["线下申请:携带参保人身份证和病历资料到窗口申请。"], ["参保人身份证", "病历资料"]),  # 参保人 owns; 资料 ends a name
        (["办理流程:", "委托他人代办的,所需材料为代办人身份证和《补换卡申请表》。"], ["代办人身份证", "补换卡申请表"]),  # 材料为
        (["线上补办:在APP上传免冠照片。"], ["免冠照片"]),  # 免冠 is part of the name
    ],
)
def test_material_round_twenty(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("职工本人无需跑腿,次月起即可在新参保地享受医保待遇。", [(1, 1, "month", "current")]),  # 次月起…在…享受
        ("审核通过后,待遇从备案的次日起享受。", [(1, 1, "day", "current")]),  # 次日起享受
        ("核定待遇后,自次月起按月划入。", [(1, 1, "month", "current")]),  # 划入
        ("线下补办:前往即时制卡网点申请。", []),  # 即时制卡网点 is a place
        ("手工报销一般在20个工作日内到账,有市民反馈一周左右就收到了。",
         [(None, 20, "workday", "current"), (1, 1, "week", "anecdotal")]),  # the story after the rule is the anecdote
        ("有参保人说一周左右就到账了,不过这只是个例。", [(1, 1, "week", "anecdotal")]),  # 个例 comments on it
    ],
)
def test_timeframe_round_twenty(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["申请方式:", "评定医院组织专家评审,对符合条件的在系统中备案。"], ["third_party"]),  # 评定医院
        (["申请方式:", "备案成功后,患者需在评定医院选定一家定点机构。"], ["applicant"]),  # 选定
        (["线上申领:", "2、完成人脸识别,填写银行账号等信息后提交;"], ["applicant"]),  # 完成人脸识别
    ],
)
def test_step_round_twenty(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


def test_a_place_not_chosen_is_no_step() -> None:
    # "在未选定的医疗机构发生的门诊费用": 未选定 modifies a place, nobody acts
    assert not of_type(records_of(["不予报销:", "在未选定的医疗机构发生的门诊费用"]), RecordType.STEP)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["下列费用不予报销:在境外就医的费用、因车祸、工伤等应当由他人负担的医疗费用、挂号费。"],
         ["在境外就医的费用", "因车祸、工伤等应当由他人负担的医疗费用", "挂号费"]),  # a wrapped cause item inside a list (round 21)
        (["不予报销的费用:", "住院期间的陪护费、生活用品费;因自杀、自残产生的医疗费用。"],
         ["陪护费", "生活用品费", "因自杀、自残产生的医疗费用"]),  # semicolon groups read one by one
        (["温馨提示:", "共济资金不能用于购买保健品,不能支付健身、美容等费用。"], ["保健品", "健身", "美容"]),  # each denied use
    ],
)
def test_exclusion_round_twenty_one(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    "lines",
    [
        ["下列费用不予报销:", "住院伙食补助费由工伤保险基金按标准支付,不属于自付项目。"],  # 不属于自付: covered
        ["下列费用不予报销:", "基本医保报销后剩余的合规费用,可以按规定纳入大病保险报销。"],  # 可以按规定纳入…报销
    ],
)
def test_not_exclusions_round_twenty_one(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["办理流程:", "第二步:医院医生在系统中上传诊断资料和检查结果。"], []),  # the doctor uploads: no document of the reader's
        (["所需材料:", "银行卡(用于代扣缴费)"], ["银行卡"]),  # a listed document whatever its aside
        (["备案材料:", "常驻异地工作人员提供用人单位派驻证明。"], ["派驻证明"]),  # 异地工作人员 is the reader
        (["单位职工:由单位携带劳动合同和工资发放明细到窗口申报。"], ["劳动合同", "工资发放明细"]),  # 明细 ends a name
        (["材料准备:离职证明(因工作调动的)或户口簿(因户籍迁移的)。"], ["离职证明", "户口簿"]),  # asides are no shared verb
    ],
)
def test_material_round_twenty_one(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("银行制卡并当场发卡。", [(0, 0, "day")]),  # 当场发卡
        ("符合条件的当月发放失业保险金。", [(0, 0, "month")]),  # 当月发放
        ("登记成功后,次月起按月通过税务APP缴费。", [(1, 1, "month")]),  # 次月起…通过…缴费
    ],
)
def test_timeframe_round_twenty_one(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理流程:", "灵活就业人员的生育医疗费,可由本人携带医保卡到窗口申请报销。"], ["applicant"]),  # carrying, after a topic
        (["办理流程:", "1. 银行网点受理后,核对申请人身份信息;"], ["third_party"]),  # the branch as subject
        (["办理流程:", "5、送达:认定决定作出后20日内送达单位和职工。"], ["office"]),  # 送达 to the parties
        (["办理流程:", "商保公司收到数据后进行复核,将报销款打入参保人银行账户。"], ["third_party"]),  # 商保公司
        (["办理方式:", "4. 登记成功后,次月起按月通过银行代扣缴费。"], ["applicant"]),  # 次月起 leads the verb
    ],
)
def test_step_round_twenty_one(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["温馨提示:", "主动选择单人间、特需病房等超出普通病房标准的床位差价,医保不予报销。"],
         ["单人间、特需病房等超出普通病房标准的床位差价"]),  # a choice before the item is no part of it (round 22)
        (["温馨提示:", "但婴儿的奶粉、尿不湿等生活用品费用,医保不予支付。"], ["奶粉", "尿不湿"]),  # whose they are sets the scene
        (["以下费用不纳入:", "目录外的药品费用,以及因斗殴、酗酒等违法行为导致伤病产生的医疗费用;"],
         ["目录外的药品费用", "因斗殴、酗酒等违法行为导致伤病产生的医疗费用"]),  # 以及 before a wrapped cause item
        (["下列费用不纳入:", "属于工伤认定范围的医疗费用,由工伤保险基金支付,不走基本医保。"],
         ["属于工伤认定范围的医疗费用"]),  # another payer's route is no subject; 不走医保 negates
    ],
)
def test_exclusion_round_twenty_two(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    "lines",
    [
        ["温馨提示:", "但也有一部分费用明确不在支付范围内,看病前要弄清楚。"],  # a vague quantity names nothing
        ["哪些药不能报:", "门特待遇只支付与认定病种相关的药品。"],  # 只支付 says what is paid
        ["下列费用不予支付:", "符合诊疗目录的费用,由工伤保险基金按规定支付。"],  # 由…基金按规定支付
    ],
)
def test_not_exclusions_round_twenty_two(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


def test_support_is_no_carrying() -> None:
    # "部分网点支持即时制卡": 支持 holds 持, but nothing is carried
    assert not of_type(records_of(["部分银行网点支持即时制卡,当场就能拿到新卡。"]), RecordType.MATERIAL)


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理流程:", "第三步,结果公示:评估结果公示5个工作日,无异议后作出评估结论。"], ["office"]),  # office-only verbs
        (["办理流程:", "第四步,认定决定书在作出之日起20日内送达单位和职工。"], ["office"]),  # 送达 to the parties
        (["激活方式:", "新卡领取后须到银行网点或通过APP完成激活。"], ["applicant"]),  # a time, then going somewhere
        (["办理流程:", "外地工作的职工,由所在单位统一向医保部门申报备案,个人不用另外办理。"], ["employer"]),  # the employer acts
    ],
)
def test_step_round_twenty_two(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    "lines",
    [
        ["同时满足以下条件的,可以申领失业保险金:", "1、失业前用人单位和本人已经缴纳失业保险费满1年;"],  # a condition
        ["办理流程:", "事实清楚的简单案件,15日内即可作出决定。"],  # how fast, not an act
        ["评估流程:", "公示期为5个工作日,公示期内无异议的,按评估结论认定。"],  # 公示期 names a period
        ["结算方式:", "出院时在医院直接结算,不需要另外申请。"],  # nothing to do
    ],
)
def test_not_steps_round_twenty_two(lines: list[str]) -> None:
    assert not of_type(records_of(lines), RecordType.STEP)


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理流程:", "1、新参保地社保机构受理申请后,向原参保地发出联系函;"], ["office"]),  # 社保机构 (round 23)
        (["办理流程:", "2、原参保地核对参保信息,办理转出手续;"], ["office"]),  # a place acting as the office
        (["申请流程:", "5.护理服务机构按照护理计划上门提供服务。"], ["third_party"]),  # 护理服务机构
        (["激活方式:", "社保功能:在APP或银行网点设置初始密码即可启用。"], ["applicant"]),  # 设置…密码
        (["办理流程:", "缴费成功后,家长可在APP查询宝宝的参保状态。"], ["applicant"]),  # 查询
        (["零星报销:", "第一步:将材料交至参保地医保经办窗口;"], ["applicant"]),  # 交至
        (["结算方式:", "在定点医院就诊时,出示医保电子凭证或社保卡即可结算。"], ["applicant"]),  # showing a card is an act
        (["办理流程:", "3. 医保部门审核通过后,一般在3个工作日内完成参保登记。"], ["office"]),  # numbered: a step
    ],
)
def test_step_round_twenty_three(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    "lines",
    [
        ["参保缴费后,医保系统一般在3个工作日内完成信息登记。"],  # unnumbered, under "多久": how long it takes
        ["集中缴费期结束后参保的,设置3个月等待期。"],  # a policy, not setting a password
    ],
)
def test_not_steps_round_twenty_three(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading="湖州新生儿医保多久能生效"), RecordType.STEP)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["申请材料:", "申请人身份证、社保卡,委托他人代办的,另需代办人身份证和委托书。"],
         ["申请人身份证", "社保卡", "代办人身份证", "委托书"]),  # 申请人 is an owner; documents first
        (["备案方式:", "转诊转院的,还需提供医院开具的转诊证明,也可由医院直接为患者办理备案。"], ["转诊证明"]),  # the reader first
        (["办理流程:", "第二步:窗口工作人员核对身份并采集信息,提交制卡。"], []),  # the office's 提交 hands in nothing
    ],
)
def test_material_round_twenty_three(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("窗口受理后当场核定。", [(0, 0, "day", "current")]),  # 当场核定
        ("解除后次日起不能再使用账户余额。", [(1, 1, "day", "current")]),  # 次日起不能再使用
        ("有家长在网上说孩子参保晚了两周,结果没能报销。", [(2, 2, "week", "anecdotal")]),  # 有家长…说
    ],
)
def test_timeframe_round_twenty_three(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["下列费用不纳入:应当从工伤保险基金中支付的费用、应当由第三人负担的费用、在境外就医的费用。"],
         ["应当由第三人负担的费用", "应当从工伤保险基金中支付的费用", "在境外就医的费用"]),  # an earlier 的-item is no cause (round 24)
        (["以下费用不纳入:入住护理机构期间发生的床位费、伙食费,以及应当由工伤保险、生育保险支付的费用。"],
         ["床位费", "伙食费", "应当由工伤保险、生育保险支付的费用"]),  # 以及 before a liability item
        (["温馨提示:", "此外,基金不予支付超出协议服务项目的费用,以及外出就医产生的交通费、住宿费。"],
         ["超出协议服务项目的费用", "交通费", "住宿费"]),  # the denied object goes on after 以及 (an event sets the scene)
    ],
)
def test_exclusion_round_twenty_four(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    "lines",
    [
        ["不予支付:", "需要注意的是,居家护理使用的纸尿裤,部分统筹区按月给予定额补助,并非全部自付。"],  # a sentence in the list
        ["不予支付:", "在非定点医院急诊抢救发生的费用,符合规定的仍可申请报销。"],  # 仍可申请报销
        ["不予支付:", "共济关系解除后,次月起不能再使用对方账户资金。"],  # a time and a rule, no item
    ],
)
def test_not_exclusions_round_twenty_four(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理方式:", "3、津贴拨付至用人单位基本账户。"], ["office"]),  # paid to the employer (round 24)
        (["办理渠道:", "3. 登记完成后,与银行签订委托代扣协议。"], ["applicant"]),  # 与…签订
        (["办理渠道:", "社保经办机构审核后,一般3个工作日内完成参保登记。"], ["office"]),  # in a procedure block: a step
        (["办理退休医保待遇:", "灵活就业人员需本人携带身份证到医保窗口办理待遇核定。"], ["applicant"]),  # a longer subject
        (["待遇发放:", "经办机构自受理之日起10日内完成核定,符合条件的按月发放失业保险金。"], ["office"]),  # 发放…保险金
    ],
)
def test_step_round_twenty_four(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines, heading="湖州失业金怎么领"), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["温馨提示:", "种植牙、烤瓷牙以及以矫正牙齿为目的的正畸治疗,医保不予报销。"],
         ["种植牙", "烤瓷牙", "以矫正牙齿为目的的正畸治疗"]),  # 以及 before an item with its own modifier (round 25)
        (["温馨提示:", "单人间、套间等特需病房高出普通床位标准的部分,需个人承担。"],
         ["单人间、套间等特需病房高出普通床位标准的部分"]),  # 高出…的部分 is one thing
        (["以下费用不纳入:", "4.住院期间的伙食费、交通费和超出限价标准的一次性医用材料。"],
         ["伙食费", "交通费", "超出限价标准的一次性医用材料"]),  # a bare time sets the scene; 和 before a 的-item
    ],
)
def test_exclusion_round_twenty_five(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


def test_a_clause_list_of_limits_stays_one_item() -> None:
    # "超出规定服务项目和服务时长的护理费用": the 和 sits inside the 超出-modifier
    lines = ["以下费用不纳入:", "超出规定服务项目和服务时长的护理费用。"]
    items = [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)]
    assert items == ["超出规定服务项目和服务时长的护理费用"]


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["申请流程:", "接诊医生填写申请表并将病历资料上传至医保系统。"], ["third_party"]),  # 接诊医生 (round 25)
        (["线上补办:", "第三步,省社保卡中心审核后统一制卡,由邮政寄送到家。"], ["office"]),  # 社保卡中心 first
        (["申请流程:", "(2)评定机构在受理后组织评估人员上门开展失能评估;"], ["third_party"]),  # 评定机构
        (["办理渠道:", "窗口工作人员审核后录入系统,一般当场办结。"], ["office"]),  # the lead names who acts
        (["办理方式:", "提交后由公安、卫健、医保等部门联合审核,办结后短信通知。"], ["office"]),  # 等部门
        (["报销流程:", "医保窗口受理后,由承办大病保险的商业保险公司复核。"], ["third_party"]),  # a longer 由-phrase
        (["认定流程:", "第三步:受理后根据需要进行调查核实,用人单位应当予以协助;"], ["office"]),  # an office-only verb first
        (["认定流程:", "③调查核实:必要时由工作人员到单位和医疗机构调查核实。"], ["office"]),  # the agent is the nearest
        (["激活方式:", "新卡需到银行网点或通过自助机激活。"], ["applicant"]),  # 新卡 as the topic
    ],
)
def test_step_round_twenty_five(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["以下费用不纳入:", "自费药品、自费诊疗项目、超标准的医用耗材;"],
         ["自费药品", "自费诊疗项目", "超标准的医用耗材"]),  # 超标准 qualifies the last one only (round 26)
        (["以下费用不予支付:", "以康复疗养为目的的服务费用,以及上门服务产生的交通费、误餐补贴等。"],
         ["以康复疗养为目的的服务费用", "交通费", "误餐补贴"]),  # 以及 after a whole item; an event sets the scene
        (["温馨提示:", "超过时限提出的,在此期间发生的工伤待遇等有关费用由用人单位负担。"],
         ["在此期间发生的工伤待遇等有关费用"]),  # another party is liable
    ],
)
def test_exclusion_round_twenty_six(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


@pytest.mark.parametrize(
    "lines",
    [
        ["以下费用不予支付:", "产前检查费用报销时需提供发票和检查结果报告单。"],  # what to bring is no excluded thing
        ["以下费用不予支付:", "参保职工在定点医院分娩,住院费用直接联网结算,产前检查按定额标准补助。"],  # how it is paid
        ["温馨提示:", "其实有不少项目需要个人全额承担。"],  # a vague quantity
    ],
)
def test_not_exclusions_round_twenty_six(lines: list[str]) -> None:
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["申报步骤:", "第一步:职工出院后将出生医学证明、结婚证交给单位经办人。"], ["出生医学证明", "结婚证"]),  # 后将…交给
        (["窗口办理:携带社保卡,转诊的另带转诊证明,到窗口办理。"], ["社保卡", "转诊证明"]),  # 另带
    ],
)
def test_material_round_twenty_six(lines: list[str], items: list[str]) -> None:
    assert [m.item for m in of_type(records_of(lines), RecordType.MATERIAL)] == items


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["办理方式:", "跨省转移需通过服务平台提交线上申请。"], ["applicant"]),  # a topic, then what the reader must do
        (["报销流程:", "由承办的商业保险公司在15个工作日内将款项支付到账。"], ["third_party"]),  # 支付到账
        (["办理流程:", "绑定时由系统自动校验亲属关系。"], ["office"]),  # 校验
    ],
)
def test_step_round_twenty_six(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines), RecordType.STEP)] == actors


@pytest.mark.parametrize(
    "lines",
    [
        ["备案多久生效:", "线上备案一般即时生效,最长不超过3个工作日;窗口办理的当场办结。"],  # no act after the actor
        ["申领条件:", "申领生育津贴需在分娩前连续缴纳生育保险满12个月。"],  # a condition
    ],
)
def test_not_steps_round_twenty_six(lines: list[str]) -> None:
    assert not of_type(records_of(lines), RecordType.STEP)


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["温馨提示:", "长护险基金只支付护理服务费用,以下费用不予支付:入住机构产生的床位费、伙食费;在境外发生的护理费用。"],
         ["床位费", "伙食费", "在境外发生的护理费用"]),  # a "not covered" lead after what is paid (round 27)
        (["2、不能支付的项目:这几类消费个人账户不能支付,如健身卡、美容护理等。"], ["健身卡", "美容护理"]),  # examples after a negated clause
        (["温馨提示:", "门诊就医时,挂号费和出具诊断证明的费用由个人自付。"], ["挂号费", "出具诊断证明的费用"]),  # the cost of an act
        (["温馨提示:", "挂号费、院外购药费用、住院期间的陪护费和伙食费由个人负担。"],
         ["挂号费", "院外购药费用", "陪护费", "伙食费"]),  # a time before the last items only
    ],
)
def test_exclusion_round_twenty_seven(lines: list[str], items: list[str]) -> None:
    assert [e.item for e in of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)] == items


def test_a_price_is_no_excluded_thing() -> None:
    # "单颗全流程费用不超过4500元,但仍需个人承担": a capped price, not an item
    lines = ["不可报销的项目:", "种植牙价格已集中采购,单颗全流程费用不超过4500元,但仍需个人承担。"]
    assert not of_type(records_of(lines, heading=COVERAGE_HEADING), RecordType.EXCLUSION)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("外地户籍人员在本市连续居住满6个月的也可参保。", [(6, None, "month", "current")]),  # 外地户籍 is a person (round 27)
        ("认定通过后,从次月1日起享受待遇。", [(1, 1, "month", "current")]),  # 次月1日起
        ("现场制卡的网点立等可取。", [(0, 0, "day", "current")]),  # 立等可取
        ("据不少职工反映,从申请到拿到认定书大概要40天左右。", [(40, 40, "day", "anecdotal")]),  # 职工反映
    ],
)
def test_timeframe_round_twenty_seven(line: str, expected: list[tuple]) -> None:
    timeframes = of_type(records_of(["办理时限:", line]), RecordType.TIMEFRAME)
    assert [(t.value_min, t.value_max, t.unit, t.status) for t in timeframes] == expected


@pytest.mark.parametrize(
    ("lines", "actors"),
    [
        (["申请方式:", "4、线上申请:通过“冀时办”APP上传诊断书照片,在线提交认定申请。"], ["applicant"]),  # 时 inside a name
        (["能办吗:", "窗口工作人员当场审核并办结绑定手续。"], ["office"]),  # 办结…手续 (round 27)
        (["报销流程:", "材料齐全的,承办保险公司在20个工作日内将报销款打入社保卡账户。"], ["third_party"]),  # 承办保险公司
    ],
)
def test_step_round_twenty_seven(lines: list[str], actors: list[str]) -> None:
    assert [s.actor for s in of_type(records_of(lines, heading="海东家庭共济线下能办吗"), RecordType.STEP)] == actors


def test_a_photo_of_materials_is_no_document() -> None:
    # "上传诊断材料照片": the materials named elsewhere, in another form
    assert not of_type(records_of(["线上申请:通过APP上传诊断材料照片。"]), RecordType.MATERIAL)
