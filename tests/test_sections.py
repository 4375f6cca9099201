"""Section headings by shape and city, and the split of a body into intro + sections (normalize.sections)."""

from __future__ import annotations

import pytest

from normalize.sections import heading_candidates, is_heading_shape, is_marked_heading, split_sections
from schema.records import LineMark

XINING = ("西宁", "西宁市", "青海", "青海省")


@pytest.mark.parametrize(
    "line",
    [
        "山东济南治疗牙齿可以走医保吗?",  # province + city, ASCII ? after NFKC
        "西宁医疗保险报销范围有哪些?",  # city only
        "西宁医保参保地怎么变更去哪里改",  # no question mark, question words only
        "西宁医保缴费明细怎么查询?医保缴费明细从那里查询?",  # two questions in one heading
        "北京医保电子凭证怎么激活？",  # full-width ？ tolerated
        "医疗保险变更参保地去哪里更改?",  # no city at all: still heading-shaped
        "湖南张家界医保转移后个人账户余额何时到账?",  # 何时
        "一、西宁医保怎么直接网上缴费?",  # a numbering prefix
        "西宁医保断缴了还能补缴?",  # only the question mark
    ],
)
def test_heading_shapes(line: str) -> None:
    assert is_heading_shape(line)


@pytest.mark.parametrize(
    "line",
    [
        "医保参保地的变更可以通过线上和线下两种方式办理,具体步骤如下:",  # a lead sentence
        "以下是几种常见的网上缴费方式:",  # ends in a colon
        "线上办理:一般即时生效或1-3个工作日内完成。",  # label:text item
        "医疗保险参保地变更与社保转移接续有何区别?两地同时参保是否冲突?一文读懂!",  # intro hook ends in !
        "你是否曾因工作调动或搬家,面临医疗保险参保地变更却不知如何操作?",  # comma inside
        "准备材料:",  # sub-heading
        "等待期",  # a label without question words
        "山东济南医疗保险缴费怎么查询缴费记录以及缴费明细在哪里可以查到具体的每一笔缴费金额和缴费日期?",  # too long
    ],
)
def test_not_heading_shapes(line: str) -> None:
    assert not is_heading_shape(line)


def test_heading_candidates_keep_order_and_text() -> None:
    # Candidates come back as printed (stripped), in body order, sentences dropped.
    lines = ["简介一句话。", " 西宁医保怎么直接网上缴费? ", "登录平台:登录APP。", "医保可以转移吗?"]
    assert heading_candidates(lines) == ["西宁医保怎么直接网上缴费?", "医保可以转移吗?"]


def test_split_with_city_ignores_bare_sub_question() -> None:
    # A question line without the city inside a section is not a heading when headings carry the city.
    lines = [
        "医保参保地变更即调整个人医保账户的归属地。",
        "西宁医保参保地怎么变更去哪里改",
        "线上变更:",
        "医保可以转移吗?",
        "下载并登录“医保服务平台”APP。",
        "西宁医疗保险报销范围有哪些?",
        "膳食费。",
    ]
    intro, sections = split_sections(lines, XINING)
    assert intro == ["医保参保地变更即调整个人医保账户的归属地。"]
    assert [s.heading for s in sections] == [None, "西宁医保参保地怎么变更去哪里改", "西宁医疗保险报销范围有哪些?"]
    assert [s.index for s in sections] == [0, 1, 2]
    assert sections[0].lines == intro  # the intro is the untitled first section
    assert sections[1].lines == ["线上变更:", "医保可以转移吗?", "下载并登录“医保服务平台”APP。"]
    assert sections[2].lines == ["膳食费。"]
    assert all(not s.records for s in sections)


def test_split_without_city_in_headings_uses_shape() -> None:
    # No heading names the city: every heading-shaped line splits.
    lines = ["intro。", "医保参保地怎么变更?", "下载APP。", "医保缴费记录怎么查询?", "拨打12393。"]
    _, sections = split_sections(lines, XINING)
    assert [s.heading for s in sections if s.heading] == ["医保参保地怎么变更?", "医保缴费记录怎么查询?"]


def test_split_shape_only_drops_intro_hook_before_heading() -> None:
    # Without a city, a question line directly followed by another is the intro's hook.
    lines = ["介绍。", "家庭共济怎么绑定?参保地变了要不要重新办?", "宿迁医保个人账户家庭共济怎么办理?", "登录APP。"]
    intro, sections = split_sections(lines)
    assert intro == ["介绍。", "家庭共济怎么绑定?参保地变了要不要重新办?"]
    assert [s.heading for s in sections if s.heading] == ["宿迁医保个人账户家庭共济怎么办理?"]


def test_split_city_topic_heading_without_question_word() -> None:
    # "信阳合作医疗报销流程" is a heading because it starts with the city and names a topic.
    lines = ["信阳农村合作医疗报销比例怎么算?", "乡镇卫生院:起付线100元", "信阳合作医疗报销流程", "出院时直接结算。"]
    _, sections = split_sections(lines, ("信阳", "信阳市"))
    assert [s.heading for s in sections if s.heading] == ["信阳农村合作医疗报销比例怎么算?", "信阳合作医疗报销流程"]


def test_split_city_topic_heading_with_bar_tagline() -> None:
    # "遵义社保卡换领流程丨线上线下都能办": a city topic title, then a tagline after a bar (round 16)
    lines = ["遵义社保卡换领要带什么?", "身份证", "遵义社保卡换领流程丨线上线下都能办", "到网点申请换卡。"]
    _, sections = split_sections(lines, ("遵义", "遵义市"))
    assert [s.heading for s in sections if s.heading] == ["遵义社保卡换领要带什么?", "遵义社保卡换领流程丨线上线下都能办"]


def test_split_city_topic_heading_ending_in_exclamation() -> None:
    # "南阳失业保险金申领条件!": a city topic title closed by "!" (round 20)
    lines = ["介绍。", "南阳失业保险金申领条件!", "缴费满1年。"]
    _, sections = split_sections(lines, ("南阳", "南阳市"))
    assert [s.heading for s in sections if s.heading] == ["南阳失业保险金申领条件!"]


def test_split_numbered_city_topic_heading() -> None:
    # The numbering before a city-prefixed topic title does not hide the city.
    lines = ["一、信阳合作医疗报销比例", "乡镇卫生院:报销比例90%", "二、信阳合作医疗报销流程", "出院时直接结算。"]
    _, sections = split_sections(lines, ("信阳",))
    assert [s.heading for s in sections if s.heading] == ["一、信阳合作医疗报销比例", "二、信阳合作医疗报销流程"]


def test_split_city_prefixed_office_name_is_not_heading() -> None:
    # A city-prefixed place name inside a section is not a topic title.
    lines = ["西宁医保怎么缴费?", "西宁市医保服务中心", "前往窗口缴费。"]
    _, sections = split_sections(lines, XINING)
    assert [s.heading for s in sections if s.heading] == ["西宁医保怎么缴费?"]


def test_split_full_width_punctuation() -> None:
    # Un-normalised full-width text splits the same way and keeps its printed heading.
    lines = ["介绍，一句话。", "北京医保电子凭证怎么激活？", "医保电子凭证可以通过以下多个渠道激活，任选其一即可："]
    intro, sections = split_sections(lines, ("北京", "北京市"))
    assert intro == ["介绍，一句话。"]
    assert [s.heading for s in sections if s.heading] == ["北京医保电子凭证怎么激活？"]


def test_split_no_heading_is_one_untitled_section() -> None:
    # A body without headings is one untitled section, so its lines are still typed.
    intro, sections = split_sections(["一句话。", "又一句话。"], XINING)
    assert intro == ["一句话。", "又一句话。"]
    assert [(s.index, s.heading, s.lines) for s in sections] == [(0, None, ["一句话。", "又一句话。"])]


def test_split_with_city_drops_stacked_intro_hook() -> None:
    # A city question directly followed by the first real heading is the intro's hook, not an empty section.
    lines = ["介绍。", "西宁参保人怎么备案、要带什么?", "西宁医保异地就医备案怎么办理?", "登录APP。"]
    intro, sections = split_sections(lines, XINING)
    assert intro == ["介绍。", "西宁参保人怎么备案、要带什么?"]
    assert [s.heading for s in sections if s.heading] == ["西宁医保异地就医备案怎么办理?"]


@pytest.mark.parametrize(
    "line",
    [
        "南京手机上轻松变更医保参保地,简单几步搞定",  # a comma inside, no question mark
        "江苏无锡手机上更改医保参保地的详细步骤来了!",  # ends in "!"
        "知识加油站:深圳看牙能走医疗保险报销吗?",  # a lead before the question
        "赣州医保知识丨职工医保参保地怎么变更?",  # a "丨" separator
        "许昌如何线上转移异地医保余额?一文搞定",  # a hook after the question
        "{泉州医保断缴了怎么补缴?",  # generator debris
        "洛阳医保卡余额怎么转移?转出后多久到账?",  # two questions in one line
    ],
)
def test_live_heading_shapes(line: str) -> None:
    assert is_heading_shape(line)


@pytest.mark.parametrize(
    "line",
    [
        "上海则为10个工作日,较其他城市更快",  # a place-led sentence about a figure
        "南京医保局提醒,办理前请先确认参保状态。",  # a place-led sentence
        "医保参保地变更后,如何查询新参保信息?医保服务平台APP、微信、支付宝全渠道教程!",  # an intro hook
    ],
)
def test_place_led_sentences_are_not_headings(line: str) -> None:
    assert not is_heading_shape(line)


def test_marked_heading_splits_whatever_its_shape() -> None:
    # an <h2> line is a heading even without city or question mark; plain lines stay inside
    lines = ["介绍。", "参保地变更一图看懂", "登录APP。", "多久到账?", "一般3个工作日。"]
    marks = [LineMark.PLAIN, LineMark.HEADING, LineMark.PLAIN, LineMark.PLAIN, LineMark.PLAIN]
    _, sections = split_sections(lines, XINING, marks)
    assert [s.heading for s in sections] == [None, "参保地变更一图看懂"]


def test_marked_subheading_is_not_a_section() -> None:
    # an <h3> that ends in a colon is a sub-heading
    lines = ["西宁医保怎么转移?", "准备材料:", "身份证。"]
    marks = [LineMark.HEADING, LineMark.HEADING, LineMark.PLAIN]
    _, sections = split_sections(lines, XINING, marks)
    assert [s.heading for s in sections] == ["西宁医保怎么转移?"]


@pytest.mark.parametrize(
    ("line", "shape"),
    [
        ("温州社保卡掉了怎么办丨先挂失后补办", True),  # the question before a bar tagline (round 17)
        ("衢州慢特病怎么申请,多久能批下来?", True),  # two questions joined by a comma
        ("湖州失业金能领多久,每月领多少!", True),  # ... ending in "!"
        ("您是否遇到过医保断缴,不知道怎么补缴?", False),  # a half that speaks to the reader is a hook
        ("湖州长护险待遇多长时间有效", True),  # 多长时间 asks
        ("工伤认定流程,第几步最关键?", True),  # a topic title, then the question (round 18)
        ("湖州工伤认定申请时限,单位不申报怎么办", True),  # ... with the city
        ("工伤医疗费哪些不报,这几项要自己出", True),  # a question, then a short tagline (round 21)
        ("转移以后,在外地交的年限还算吗", True),  # a short time, then the question
        ("断缴后补缴能否马上享受待遇,分以下几种情况:", False),  # a lead sentence
        ("家庭共济可以线上办理,也可以到窗口办理", False),  # 可以 alone does not ask
        ("失业保险金能领多久!", True),  # a question closed by "!" (round 25)
    ],
)
def test_heading_shapes_round_seventeen(line: str, shape: bool) -> None:
    assert is_heading_shape(line) is shape


def test_a_bold_place_led_line_is_a_heading() -> None:
    # bold and opening with the city: a heading whatever its ending; a bold label is not
    assert is_marked_heading("湖州长护险不予支付的情形", LineMark.BOLD)
    assert not is_marked_heading("温馨提示", LineMark.BOLD)


def test_a_bare_question_after_a_city_heading_is_a_heading() -> None:
    # "补办后还要激活吗?" drops the city, the heading before it names it: a heading of its own (round 17)
    lines = ["介绍。", "温州社保卡怎么补办?", "到网点申请。", "补办后还要激活吗?", "到银行激活。"]
    _, sections = split_sections(lines, ("温州", "温州市"))
    assert [s.heading for s in sections if s.heading] == ["温州社保卡怎么补办?", "补办后还要激活吗?"]
