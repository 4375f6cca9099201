"""City variants of one article template for the record-identity tests, written for this project.

Every city gets the same facts in its own typography: a numbering style for its lists (1、 / (1) / ①
/ 第一步 / bullets / none ...), the spinner's 医保 or 医疗保险, its own place names. `FACT_LINES` are
the template's fact lines (city-free, unnumbered); `variant_articles` renders them per city.
"""

from __future__ import annotations

from collections.abc import Callable

from crawler.fixture_site.content import HEADING, PARAGRAPH, SUBHEADING, FixtureArticle

# (province short name, city short name): the region recogniser reads "广东汕头" from title and heading.
CITIES: tuple[tuple[str, str], ...] = (
    ("广东", "汕头"), ("江苏", "宿迁"), ("江西", "九江"), ("湖北", "襄阳"), ("四川", "绵阳"),
    ("河南", "洛阳"), ("浙江", "嘉兴"), ("福建", "泉州"), ("山东", "潍坊"), ("湖南", "岳阳"),
    ("安徽", "芜湖"), ("河北", "保定"), ("广西", "桂林"), ("云南", "曲靖"), ("贵州", "遵义"), ("陕西", "宝鸡"),
    ("甘肃", "天水"), ("辽宁", "鞍山"), ("黑龙江", "大庆"), ("山西", "大同"),
)

_CN = "一二三四五六七八九十"

# One numbering style per entry: item index (0-based) → the marker printed before the item.
NUMBERING_STYLES: dict[str, Callable[[int], str]] = {
    "1、": lambda i: f"{i + 1}、",
    "1.": lambda i: f"{i + 1}.",
    "1)": lambda i: f"{i + 1})",
    "(1)": lambda i: f"({i + 1})",
    "（1）": lambda i: f"（{i + 1}）",
    "①": lambda i: "①②③④⑤⑥⑦⑧⑨⑩"[i],
    "一、": lambda i: f"{_CN[i]}、",
    "(一)": lambda i: f"({_CN[i]})",
    "第一步": lambda i: f"第{_CN[i]}步:",
    "第1步": lambda i: f"第{i + 1}步:",
    "步骤1": lambda i: f"步骤{i + 1}:",
    "1 (bare)": lambda i: f"{i + 1}",
    "•": lambda i: "• ",
    "·": lambda i: "· ",
    "-": lambda i: "- ",
    "*": lambda i: "* ",
    "●": lambda i: "● ",
    "１．(full width)": lambda i: f"{chr(0xFF10 + i + 1)}．",
    "none": lambda i: "",
}

# The template: (kind, text, numbered). {城市} is the city, {医保} the spinner's word. Step, material and
# exclusion lists are numbered; the timeframe lines are "label: text" lines, never numbered.
TEMPLATE: tuple[tuple[str, str, bool], ...] = (
    (PARAGRAPH, "在外地长期工作或居住的参保人,就医前需要先办理异地就医备案。", False),
    (HEADING, "{城市}{医保}异地就医备案怎么办理?", False),
    (SUBHEADING, "线上办理步骤:", False),
    (PARAGRAPH, "下载并登录国家{医保}服务平台APP,进入“异地就医备案”页面。", True),
    (PARAGRAPH, "填写参保人信息和就医地,上传长期居住证明的照片。", True),
    (PARAGRAPH, "提交申请后,在APP中查看审核进度。", True),
    (SUBHEADING, "线下所需材料:", False),
    (PARAGRAPH, "有效身份证件原件。", True),
    (PARAGRAPH, "《异地就医备案申请表》。", True),
    (PARAGRAPH, "户口簿首页及本人页复印件。", True),
    (SUBHEADING, "办理时限:", False),
    (PARAGRAPH, "线上办理:资料齐全的,审核通过后3个工作日内生效。", False),
    (PARAGRAPH, "线下办理:{医保}经办机构受理后10个工作日内办结。", False),
    (HEADING, "{城市}{医保}不予支付的费用有哪些?", False),
    (SUBHEADING, "下列费用{医保}基金不予支付:", False),
    (PARAGRAPH, "美容整形类项目的费用。", True),
    (PARAGRAPH, "在境外就医发生的费用。", True),
    (PARAGRAPH, "应当由工伤保险基金支付的费用。", True),
)


def _render(text: str, province: str, city: str, long_word: bool) -> str:
    return text.replace("{城市}", province + city).replace("{医保}", "医疗保险" if long_word else "医保")


def variant_article(article_id: int, index: int, style: str) -> FixtureArticle:
    """The template for CITIES[index] in one numbering style (odd cities say 医疗保险, even ones 医保)."""
    province, city = CITIES[index]
    long_word = index % 2 == 1
    marker = NUMBERING_STYLES[style]
    paragraphs: list[tuple[str, str]] = []
    position = 0
    for kind, text, numbered in TEMPLATE:
        if kind != PARAGRAPH or not numbered:
            position = 0  # each list is numbered from one
            paragraphs.append((kind, _render(text, province, city, long_word)))
            continue
        paragraphs.append((kind, marker(position) + _render(text, province, city, long_word)))
        position += 1
    return FixtureArticle(
        id=article_id,
        category="yiliao/yibaozhishi",
        published=f"2025-06-{index + 1:02d} 09:30:00",
        title=_render("{城市}{医保}异地就医备案怎么办理?", province, city, long_word),
        paragraphs=tuple(paragraphs),
    )


def variant_articles(styles: list[str], first_id: int = 5_100_000) -> list[FixtureArticle]:
    """One article per style, each for the next city of CITIES."""
    return [variant_article(first_id + index, index, style) for index, style in enumerate(styles)]
