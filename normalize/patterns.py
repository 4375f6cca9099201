"""Every text pattern the normalizers use, as data (compiled regexes and word tables), one comment each.

Logic lives in the other modules of this package; they import from here, so a new heading shape,
boilerplate line or synonym is a one-line change in one place.
"""

import re

# ---------------------------------------------------------------------------------------------
# BOILERPLATE: lines (or parts of lines) the site adds to every article; they carry no facts.
# ---------------------------------------------------------------------------------------------

# The intro's closing sentence, "下面随新社通小编一起来了解具体内容。" (the editor's name varies).
BOILERPLATE_INTRO_TAIL = re.compile(r"下面(?:就)?(?:随|跟|和)[^。!!]{0,12}小编[^。!!]{0,20}(?:了解|看看|来看)[^。!!]{0,12}[。!!]?")

# The closing disclaimer. "温馨提示:" followed by facts is a real sub-heading, so only this wording matches.
BOILERPLATE_DISCLAIMER = re.compile(r"^(?:温馨提示|提示|注意)[::]\s*(?:本|以上)(?:数据|资讯|文章|信息|内容)仅供参考.*$")

# ... or its clause closing a line of facts ("温馨提示:补卡工本费各地标准不同,本数据仅供参考!"): cut, the facts kept.
BOILERPLATE_DISCLAIMER_TAIL = re.compile(r"[,,]?\s*(?:本|以上)(?:数据|资讯|文章|信息|内容)仅供参考.*$")

# The site's copyright / complaint line, "社保网声明:资讯来源于网络,…投诉".
BOILERPLATE_SITE_NOTICE = re.compile(r"^社保网声明[::].*$")

# A related-article entry: "<title> 2025-05-02 14:22医保知识" (time + category glued).
RELATED_ARTICLE_ENTRY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}\s*[\u4e00-\u9fff]{2,6}(?:\s|$)")

# The "2025-10-06 13:01:26社保网" byline (mobile) or "2025-06-18 10:41 举报" (desktop).
BYLINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s+(\d{1,2}:\d{2}(?::\d{2})?)\s*(?:社保网|来源[::].*|举报)?\s*$")

# The text generator's leftover slot name glued before a paragraph or alone on a line:
# "医保可以转移吗首句医疗保险参保地变更适用于…" (SITE.md: generator glitches).
BOILERPLATE_GENERATOR_TOKEN = re.compile(r"^[\u4e00-\u9fff]{2,20}?首句")

# Footer banners: everything from one of these on is footer, not body ("【免责声明】…", "相关推荐", "诚聘英才").
FOOTER_START = re.compile(r"^(?:【?免责声明】?|相关(?:推荐|文章|阅读|资讯|问答)[::]?$|诚聘英才|热门(?:推荐|文章|标签)|猜你喜欢|推荐阅读|版权所有)")

# One tag of the tag list ending a page: a short line with no sentence punctuation ("医保断缴", "医保余额?").
TAG_LINE = re.compile(r"^[^,。;:,;:!!、()()“”\"]{2,14}[??]?$")

# A tag list is this many such lines in a row at the end of the body (one short last line is a fact).
TAG_LIST_MIN_LINES = 3

# Navigation and widget lines that leak into extracted bodies.
BOILERPLATE_WIDGET = re.compile(r"^(?:举报|投诉|分享到[::]?.*|相关(?:文章|阅读|推荐)[::]?|上一篇[::].*|下一篇[::].*|共\d+页.*|上一页|下一页|\d+)$")

# A title's trailing date or page mark: "(2025年10月6日)", "(05/02)", "(2026/01/05)", "(2)"; topics drop it.
TITLE_DATE_SUFFIX = re.compile(r"\s*[((][\d年月日/.\-\s]{1,14}[))]\s*$")

# ---------------------------------------------------------------------------------------------
# SYNONYMS: words the site's text spinner swaps; fingerprints and record identity map each to one form.
# ---------------------------------------------------------------------------------------------

# (spun form, canonical form); longest first so 医疗保险 is replaced before 医保-like prefixes.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("基本医疗保险", "基本医保"),
    ("医疗保险", "医保"),
    ("方案", "政策"),
    ("法规", "政策"),
    ("规定", "政策"),
    ("消息", "通知"),
)

# ---------------------------------------------------------------------------------------------
# CANONICAL FORM: what fingerprints fold away (fingerprint.canonical_text); digits, units and items stay.
# ---------------------------------------------------------------------------------------------

# Official suffixes dropped to derive short place spellings (济南市 → 济南) for masking.
PLACE_SUFFIXES: tuple[str, ...] = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")

# Every quote style the site uses, folded to one ASCII double quote.
QUOTES = re.compile("[“”„‟「」『』\"'‘’‚‛`]")

# A numeric range "1-3" / "1~3" / "1至3" / "1到3" → "1~3" (before dashes become arrows).
RANGE_SEPARATOR = re.compile(r"(\d)(?:[-~〜—–―−]+|至|到)(?=\d)")

# A menu-path separator: → ➔ ➜ ➡ ⇒ — – - > and runs such as "->" or "——" → "→".
ARROW = re.compile(r"[→➔➜➡⇒⟶—–―−>\-]+")

# Enclosed numerals that number list items (① ⑴ ⒈ ❶ ➀ ㈠ ㊀ ㉑ …), removed at a line's start before width
# folding: NFKC turns ① into 1, so "①15个工作日内" would otherwise read "115个工作日内".
ENCLOSED_LIST_MARKER = re.compile(
    r"^[^\S\n]*[\u2460-\u24ff\u2776-\u2793\u3220-\u3229\u3251-\u325f\u3280-\u3289\u32b1-\u32bf]+", re.MULTILINE
)

# Ordinal numbers a list marker is made of: Arabic 1-99 or Chinese 一..九十九.
_ORDINAL = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"

# Characters that, right after a bare number at a line's start, make it a quantity, not a marker:
# counters and units that rarely begin a sentence (个 年 月 日 天 周 岁 元 寸 张 份 次 项 楼 号 …),
# approximations (多 余 来 几) and 代 ("2代身份证"). Characters that also begin common words stay out
# (点击, 线下, 本人, 户口, 处理, 所需, 以下, 人社, 分别, 时间, 条件, 口腔 …): "15个工作日内" keeps its 15,
# "1点击…" loses its 1.
QUANTITY_FOLLOWERS = "个年月日天周号秒岁元角万千百十亿倍折寸张份次项类种件页级档届季段套层楼栋座室路站型险甲轮遍克斤米里度多余来几胎孩代码字小半星"

# A range after a bare number ("1至3个月", "1到3个工作日"): a quantity, though 到 also begins "到…办理".
_RANGE_AFTER = r"[至到~\-][\d零一二两三四五六七八九十]"

# A bare number glued to the text at a line's start ("1登录…", "12点击…"): a marker when 1-20 and not
# followed by a quantity character or a range; also before an opening book-title mark or quote
# ("1《申请表》"). "{" is the first character of the city mask.
_BARE_ORDINAL = rf"(?:1\d|20|[1-9])(?=[\u4e00-\u9fff{{《〈“「\"])(?![{QUANTITY_FOLLOWERS}]|{_RANGE_AFTER})"

# Bullet glyphs that start a list item: • · ・ ● ○ ◦ ◆ ◇ ■ □ ▪ ▫ ► ▶ ▸ ※ ★ ☆ ✓ ✔ √ - * (after NFKC).
_BULLET = r"[•·・●○◦◆◇■□▪▫►▶▸▲△▼▽➤※★☆✓✔√*\-]"

# A list marker at a line's start, in every numbering style, repeated ("1、(1)" is two): "第一步" "第1步"
# "步骤1" (with an optional ":"/"、"/"."), "(1)" "[1]" "【1】" "(一)", "1、" "1." "1)" "一、" "一." (not
# "1.5个月", "1、2级" or "一、二级医院": a digit or numeral after the stop makes it a number), bullets, and
# the bare ordinal above. Width folding runs first, so "（1）" and "１．" are covered.
LIST_MARKER = re.compile(
    rf"^(?:(?:(?:第{_ORDINAL}步|步骤{_ORDINAL})[:、.,]?"
    rf"|[(\[【]{_ORDINAL}[)\]】][:、.,]?"
    rf"|{_ORDINAL}[、.)](?![\d一二三四五六七八九十])"
    rf"|{_BULLET}"
    rf"|{_BARE_ORDINAL}"
    rf")[^\S\n]*)+",
    re.MULTILINE,
)

# Full stops ending a line ("。" is folded with the soft punctuation below; this is the ASCII one).
TRAILING_FULL_STOP = re.compile(r"\.+$", re.MULTILINE)

# List / sentence punctuation that does not change meaning; a run becomes one "," (not deleted,
# so "3、5" never collapses into "35").
SOFT_PUNCTUATION = re.compile(r"[、,,。;;!!??…]+")

# ---------------------------------------------------------------------------------------------
# NUMERALS: Chinese and Arabic numbers inside durations ("十五个工作日", "1-3个工作日", "10+5").
# ---------------------------------------------------------------------------------------------

# Value of each Chinese digit; 两 is the counting form of 二, 〇 the digit-by-digit zero ("二〇二五").
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}

# Value of each Chinese multiplier below 万 (larger ones never occur in durations).
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}

# A digit-by-digit numeral without a zero needs this many digits ("一九九八"; "三五" is not 35).
DIGIT_STRING_MIN_CHARS = 3

# 万 multiplies everything before it ("一万二千").
CN_WAN = "万"

# 半 alone is one half ("半年").
CN_HALF = "半"

# One number as printed: Arabic (with decimals) or a run of Chinese numeral characters.
NUMBER_TOKEN = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万半]+)"

# An Arabic number, the whole string.
ARABIC_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")

# "1-3", "1~3", "3至5", "一到两": a range between two numbers (dashes after NFKC plus em/en dashes).
NUMBER_RANGE = re.compile(rf"^\s*({NUMBER_TOKEN})\s*(?:-|~|～|至|到|—|–)\s*({NUMBER_TOKEN})\s*$")

# "10+5": a base duration plus an extension (the variant texts print it so).
NUMBER_PLUS = re.compile(rf"^\s*({NUMBER_TOKEN})\s*[+]\s*({NUMBER_TOKEN})\s*$")

# ---------------------------------------------------------------------------------------------
# SECTION HEADINGS: the city-prefixed question lines that split an article into sections.
# ---------------------------------------------------------------------------------------------

# A heading is a short line; longer lines are sentences.
HEADING_MAX_CHARS = 40

# Without city evidence a candidate must be at least this long ("多久到账" is a sub-heading).
HEADING_MIN_CHARS_SHAPE_ONLY = 7

# A heading ends in a question mark (ASCII after NFKC, full-width tolerated).
HEADING_QUESTION_END = re.compile(r"[?]$")

# Question words that make a heading even without "?" ("西宁医保参保地怎么变更去哪里改").
HEADING_QUESTION_WORD = re.compile(
    r"怎么|怎样|如何|哪些|哪里|哪儿|那里|哪个|吗|多久|多少|能否|可否|可以|是否|什么|何时|几年|几天|几个|为何|咋|有何|能不能|要不要|需不需要"
    # colloquial ("在哪办丨需要啥", "有啥区别", "这些费用报不了"), a length of time ("待遇多长时间有效"), a choice at
    # the end ("单位代领还是个人领")
    r"|哪(?=办|补|交|报|查|领|去|换)|啥|报不了|不给报|多长时间|多长|还是(?=[^,。?]{1,8}$)"
)

# Sentence punctuation never found inside a heading (a "?" between two questions is allowed).
HEADING_SENTENCE_PUNCT = re.compile(r"[。,;:]")

# A heading never ends like a sentence or a lead-in.
HEADING_BAD_END = re.compile(r"[。!:;,、…]$")

# Numbering some templates put before headings: "一、", "1.", "第一部分".
HEADING_NUMBER_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.](?!\d)|第[一二三四五六七八九十\d]{1,3}[部分章节步]*[、: ]?)\s*")

# A short lead before a heading's question, set off by a colon or a bar: "知识加油站:", "赣州医保知识丨".
HEADING_PREFIX = re.compile(r"^[^,。:?!]{2,10}[:丨|](?=\S{6,})")

# A tagline after a bar: "台州社保卡丢了怎么办丨先挂失再补办" (the question before the bar is the heading).
HEADING_BAR_TAIL = re.compile(r"\s*[丨|][^丨|]{2,16}$")

# Two questions joined by one comma: "曲靖慢特病怎么申请,多久能批下来?" (each half asks) ...
HEADING_QUESTION_PAIR_SPLIT = re.compile(r"[,]")

# ... or one asks and the other is a short tagline or time ("工伤医疗费哪些不报,这几项要自己出", "转移以后,在新疆交的
# 年限还算吗"), in a line this short ...
HEADING_TAGGED_QUESTION_MAX_CHARS = 24
HEADING_TAGLINE_MAX_CHARS = 10

# ... unless a half speaks to the reader: "你是否曾因…,面临…却不知如何操作?" is the intro's hook.
HEADING_READER_ADDRESS = re.compile(r"^(?:你|您|大家|很多人|不少人|有人)")

# A bold line that opens with a place and is this short is a heading whatever its ending ("泰州长护险不予支付的情形").
BOLD_PLACE_HEADING_MAX_CHARS = 32

# A hook after the question: "…?一文搞定", "…?看这里" (the question is the heading).
HEADING_HOOK_TAIL = re.compile(r"(?<=[?!])\s*(?:一文(?:搞定|读懂|看懂|说清|详解)|看这里|速看|建议收藏|收藏备用|附流程|附攻略)[!。]?$")

# Generator debris in a heading ("{", "}"), ignored by the shape test.
HEADING_DEBRIS = re.compile(r"[{}]")

# Endings of a place-led heading with no question word: "…的详细步骤来了!", "…,简单几步搞定", "…指南".
PLACE_HEADING_END = re.compile(r"(?:!|搞定|来了|看这里|攻略|指南|流程|教程|步骤|方法|办法|全解|详解|须知|一览|汇总|必看|收藏)$")

# A place-led heading is about insurance: it names one of these (a place-led sentence about anything
# else, "上海则为10个工作日", is not a heading).
PLACE_HEADING_TOPIC = re.compile(r"医保|医疗保险|社保|参保|报销|缴费|医疗|生育|养老|公积金|门诊|住院|看牙|异地|备案|电子凭证|账户|余额|共济|长护险|护理保险|补缴|断缴|津贴")

# A figure in a place-led line makes it a statement ("上海则为10个工作日,较其他城市更快"), not a title.
PLACE_HEADING_DIGIT = re.compile(r"\d")

# A place-led heading may hold one comma ("南京…变更医保参保地,简单几步搞定") but stays this short.
PLACE_HEADING_MAX_CHARS = 32

# With the city known, a colon-less city-prefixed line naming a topic is a heading even without a
# question word ("信阳合作医疗报销流程"); the topic must be at least this long after the city name.
CITY_HEADING_MIN_TOPIC_CHARS = 4

# ... and it ends like a topic title ("…报销流程", "…办理指南"), not like a place or office name; a tagline after
# a bar ("…补办流程丨银行网点即时制卡") is read past.
CITY_TOPIC_END = re.compile(r"(?:流程|步骤|方法|方式|指南|攻略|标准|条件|范围|比例|材料|时间|时限|规定|政策|待遇|须知|途径|渠道|新规|消息|一览|汇总|详解|解读|问答)(?:\s*[丨|][^丨|,。:;]{2,16})?$")

# ---------------------------------------------------------------------------------------------
# LINE SHAPES: how a line inside a section is classified (filler / sub-heading / label:text / item).
# ---------------------------------------------------------------------------------------------

# Filler lines that only announce a list ("有以下这些方式", "具体如下", "以下是几种常见的方法:").
FILLER_LINE = re.compile(
    r"^(?:有以下(?:这些|几种|几个)?(?:方式|步骤|方法|途径|渠道|情况|材料|几点|内容)|具体(?:步骤|方式|流程|内容|操作)?如下|分以下(?:几种)?情况"
    r"|以下是[^,。]{0,20}(?:方法|方式|步骤|途径|渠道|情况|流程|内容|说明)|主要(?:有|包括)以下[^,。]{0,10}|详情如下|如下所示|如下"
    r"|(?:可|可以)?(?:选择|通过|按|按照)以下(?:几种)?(?:途径|方式|步骤|渠道|流程)(?:办理|进行|申请|操作)?)[:。!]?$"
)

# A sub-heading ends in a colon ("准备材料:", "支付宝:" alone on its line).
SUBHEADING_COLON_END = re.compile(r"[:]$")

# Generator glitch before a sub-heading: "方式1~~线上办理:".
SUBHEADING_GLITCH_PREFIX = re.compile(r"^方式\s*\d+\s*[~～]+\s*")

# Item / sub-heading numbering: "1.", "1、", "(1)", "①", "一、", a bullet glyph other than "-"/"*" ("◆挂号费")
# (not "1.5个月", not "1-3").
ITEM_NUMBER_PREFIX = re.compile(
    r"^(?:\d{1,2}\s*(?:[.、)]|\.(?!\d))|[(]\d{1,2}[)]|[①-⑳]|[一二三四五六七八九十]{1,2}\s*[、.]|第[一二三四五六七八九十\d]{1,2}步(?:\s*[,、]|\s+)"
    r"|[•·・●○◦◆◇■□▪▫►▶▸▲△▼▽➤※★☆✓✔√]"
    # "(一)伙食费": a numeral in brackets
    r"|[(][一二三四五六七八九十]{1,2}[)]"
    # "一是与认定病种无关的用药;二是…": an enumeration in words
    r"|[一二三四五六七八九十]是(?=[\u4e00-\u9fff]{2}))\s*"
)

# A bullet glyph opening a line: a list item, never a numbered topic heading.
BULLET_START = re.compile(r"^\s*[•·・●○◦◆◇■□▪▫►▶▸▲△▼▽➤※★☆✓✔√]")

# A circled list number ("①"), which width folding would turn into a bare digit glued to the text.
CIRCLED_NUMBER_START = re.compile(r"^\s*([①-⑳])")

# A colon-less label line ("等待期", "注意事项") is short ...
SHORT_LABEL_MAX_CHARS = 14

# ... or a little longer when numbered ("1.基本医疗保险的药品报销").
NUMBERED_LABEL_MAX_CHARS = 24

# An action label without a colon ("下载并登录医保服务平台APP", "提交转移申请") above the sentence that spells
# it out: a short line with none of these characters, followed by a longer line that has them.
UNPUNCTUATED_LABEL_FORBIDDEN = re.compile(r"[,。;:!?、()\d]")

# ... at most this long, and the line after it at least this much longer.
UNPUNCTUATED_LABEL_MAX_CHARS = 16
UNPUNCTUATED_LABEL_NEXT_EXTRA_CHARS = 6

# Characters a colon-less label never contains (it would be a sentence or a list).
SHORT_LABEL_FORBIDDEN = re.compile(r"[。,;!?:、“”\"]")

# "label:text" item line; the label is short and has no sentence punctuation (a quoted name may open it:
# "“出生一件事”联办:…").
LABEL_TEXT = re.compile(r"^(?P<label>(?:“[^“”:,。]{1,10}”)?[^:。,;!?“”]{1,16}|“[^“”:,。]{1,10}”)[:]\s*(?P<text>\S.*)$")

# Clause separators inside one line.
CLAUSE_SPLIT = re.compile(r"[,;。!?]")

# Punctuation to trim from the end of an item.
TRAILING_PUNCT = re.compile(r"[\s。.,;!、:]+$")

# A parenthesised aside: "(如需)", "(如医保卡、缴费记录等)", "(转)".
PARENTHESIS = re.compile(r"[(]([^()]*)[)]")

# EXCLUSION ITEMS: cleaning what a "not covered" statement names.

# Determiners before an excluded item ("各类果味制剂", "所有健康体检", "…炮制的各类酒制剂"): not part of its name.
EXCLUSION_DETERMINER = re.compile(r"(?:^|(?<=的))(?:各类|各种|各项|一切|所有|全部|任何)")

# "因交通事故、工伤等应由第三方承担的医疗费用": one item, the liability phrase; the causes before it are examples.
# "以保健、养生为目的的推拿按摩", "在养老机构、康养中心发生的生活照护费用": the list sits inside the
# modifier, so the whole phrase is one item.
MODIFIER_HOLDS_LIST = re.compile(r"^(?:以|在|因|用于)?[^,。;的]{1,24}?(?:为目的|发生|产生|引起|导致|所致)的[^,。;、的]{2,14}$")

# The end of a 的-modifier that is a clause wrapped around a list ("以保健、养生为目的的", "因斗殴、醉驾受伤产生的",
# "药品目录、诊疗项目目录以外的"): the whole phrase is one item. A noun before 的 ("…以及活动义齿的材料费用")
# belongs to the last piece only.
MODIFIER_CLAUSE_END = re.compile(
    r"(?:为目的|目的|发生|产生|引起|导致|所致|造成|承担|负担|支付|赔付|以外|之外|进行|作用|期间|受伤|伤害|就医)$"
)

THIRD_PARTY_LIABILITY = re.compile(r"应(?:当)?由第三(?:方|人)(?:承担|负担|支付|赔付)(?:的[^,。;、]{0,4}?(?:费用|费|部分))?")

# What is never an excluded item: a question ("哪些…"), a bare class word ("药品", "费用"), a phrase ending
# in a predicate ("费用再多"). ("等待期内" stays: what falls in the waiting period is not covered.)
EXCLUSION_NOT_ITEM = re.compile(
    r"^(?:哪些|什么|怎样|如何).*|.*[?]$|^(?:药品|费用|项目|部分|医疗费用|花费)$|.*(?:再多|再高|多少)$"
    r"|.*(?:可能|(?:请|可|可以|建议|需|需要|先)咨询|咨询(?:当地|医保|经办|窗口|社保|热线)|想知道|哪些|若|如果).*"
    # a vague quantifier opening it ("有些费用刷了卡也是…"), or a vague referent ("其实是一些项目"): the items
    # are named elsewhere, if at all
    r"|^(?:有些|有的|某些)|.*(?:多久|怎么|如何)"
    r"|.*(?:一些|有些|某些|这些|那些)(?:项目|费用|药品|东西)$"
)

# TIMEFRAME STATUS (schema.vocabulary.TimeframeStatus): whose duration a timeframe is.

# Before a superseded figure: "由原来的45个工作日…", "以前需要…".
SUPERSEDED_BEFORE = re.compile(r"原来|原先|以前|以往|过去|此前|之前|原为|旧规|改革前|老规定|曾经|曾|去年|往年|前几年|前些年|早些年|\d{4}年(?:以前|之前)")

# After a superseded figure, in its clause: "…压缩至15个工作日", "…缩短为…".
SUPERSEDED_AFTER = re.compile(r"^[^,;。]{0,6}?(?:压缩|压减|缩短|减少|降低|降|调整|提速|缩减|优化)(?:至|为|到|成)")

# Later in the sentence, the figure is said to be past: "…90个工作日,现已大幅缩短", "…,目前已恢复正常".
SUPERSEDED_NOW = re.compile(
    r"(?:现已|现在已|目前已|如今已|现在[^,;。]{0,8}?已经?)[^,;。]{0,6}?(?:缩短|压缩|压减|减少|优化|恢复|取消|提速|调整|按新|统一|放宽)|\d{4}年起"
    r"|(?:现|目前|现在)(?:已)?按(?:新|全国|统一)|目前[^,;。]{0,12}?已(?:能|可|经)|现在(?:已)?改为|现在大多|现在一般|如今大多"
)

# A what-if or hedge in the duration's clause: "如果材料不全,可能延长至30天", "或许需要…".
HYPOTHETICAL_MARK = re.compile(r"如果|假如|假设|万一|倘若|若是|可能|或许|也许|有望|有可能|预计最快")

# An example in brackets: "(如7个工作日)", "(如中断缴费3个月以上)".
EXAMPLE_ASIDE = re.compile(r"[(]\s*(?:如|例如|比如|像)[^()]*$")

# Someone's experience, not the rule: "部分用户反馈…3天到账", "有网友反映等了两个月".
ANECDOTE_MARK = re.compile(
    r"(?:网友|用户|群众|读者|市民|参保人|不少人|有人|家长|患者|宝妈|职工)[^,。]{0,8}?(?:反馈|反映)|有(?:位|个|些)?(?:家长|网友|市民|参保人|读者)[^,。]{0,6}?说|告诉(?:小编|记者)|朋友|亲戚|同事|网友|病友|有人|个别案例|个例|据说|听说|亲身|经历|实测|等了|才拿到|才到账|读者|宝妈|听[^,。]{0,10}说|据[^,。]{0,14}说"
)

# A later comment that calls the figure before it one person's case ("…一周左右就到账了,不过这只是个例").
ANECDOTE_COMMENT = re.compile(r"个例|个别案例|个别情况|只是个人经历")

# Words that make a list piece a statement, not an item ("需要注意的是", "部分统筹区按月给予定额补助", "并非全部自付",
# "符合规定的仍可申请报销", "…次月起不能再使用…", "共济关系解除后").
ITEM_PREDICATE = re.compile(r"可以|可(?:申请|纳入|报销|享受|使用)|给予|仍|并非|注意的是|说明的是|不能|不得|不再|(?:后|时)$"
                            r"|需(?:要)?(?:提供|提交|携带)|按[^,。;]{0,8}?(?:标准|比例|规定)|直接(?:联网)?结算")

# The present after a past opening ("前几年…两个月左右,现在大多一个月左右"): the figures after it are current.
NOW_MARK = re.compile(r"现在|目前|如今|现已|眼下")

# How far into a sentence a place name makes it that place's sentence ("兰州市区窗口…").
OPENING_PLACE_CHARS = 8

# A sentence that opens in the past ("2023年以前是按季度集中评审,最多要等3个月", "按老规定,…一拖就是90天"):
# its figures are the old ones.
SUPERSEDED_SENTENCE_START = re.compile(r"^(?:\d{4}年(?:以前|之前)|按(?:照)?(?:老|旧|原来的|以前的|过去的)规定|老规定|前几年|前些年|早些年|早几年|以往|过去|以前(?:是|的)?)")

# A figure said to be the old one by a word right before it in its clause ("原来这一环节需要45个工作日").
SUPERSEDED_PLAIN = re.compile(r"原来|原先|以往|此前|以前|过去|前几年|前些年|早些年|老规定|\d{4}年(?:以前|之前)")

# ... unless another figure or a change word stands between that word and the duration.
STATUS_FIGURE_BETWEEN = re.compile(r"\d|压缩|缩短|减少|压减|至|改为")

# ---------------------------------------------------------------------------------------------
# STEPS: one action of a procedure, its channel and its menu path.
# ---------------------------------------------------------------------------------------------

# Verbs that open an instruction ("下载并登录…", "前往…", "拨打…").
_STEP_VERB = (
    r"(?:下载|安装|登录|登陆|注册|点击|点开|进入|打开|搜索|选择|切换|前往|去往|到达|提交|递交|填写|填报|访问|输入|关注|拨打|致电|携带"
    r"|找到|按照|按[^,。]{0,6}?(?:提示|要求|页面|步骤|流程|语音|通知)|按(?![^,。;]{0,10}(?:法规|规定|政策|方案|标准))[^,。;]{1,8}?(?:缴纳|补缴|缴费)|根据(?:提示|要求|页面|语音)|核对|确认|扫描|扫码|刷脸|上传|绑定|授权|领取|激活|查看|开具|打印|为[^,。;]{1,6}?(?:办理|缴纳|申请|登记)"
    r"|交给|交到|送交|(?:将|把)[^,。;]{1,16}?(?:交给|交到|交至|送交|送至|提交|递交|寄给|报送|推送给)"
    r"|缴纳|联系|通过|申请|办理|添加|录入|完善|勾选|签署|出示|使用|咨询|返回|结算|留意|提出|向[^,。]{1,40}?(?:提出|提交|申请|申报)"
    r"|补缴|补交|补足|签订|取消|撤销|垫付|与[^,。;]{1,8}?(?:签订|签署)|设置(?=[^,。;]{0,4}密码)|查询(?!结果)|(?<![未非])选定(?!的)|完成(?=人脸|实名|认证|注册|签约)|持(?!续)|凭(?!证)|带上|带齐|带好|亮出|点(?=[“\"「])"
    # "回参保地申请手工报销": going back to a place is the reader's move
    r"|回(?=(?:原)?(?:参保地|户籍地|户籍所在地|原单位|当地)[^,。;]{0,6}?(?:申请|办理|提交|递交)))"
)

# Adverbs / subjects allowed before the verb ("您可以前往…", "需先通过…", "依次点击…").
_STEP_ADVERB = (
    r"(?:或者|或)?(?:您|你|用户|参保人|个人|本人|参保人员|用人单位|单位|灵活就业人员|职工|居民|申请人|代办人|家长|父母一方|父母|监护人|患者|微信|支付宝|手机|首页|页面|新卡"
    r"|(?:或|和|及)其?(?:近亲属|家属|亲属|监护人|代办人|他人|家人)){0,3}"
    r"(?:可以|可|只需|仅需|只要|需要|需|须|要(?=先|再|到|去|回|带|持)|请|应|先|再|然后|并|即可|直接|依次|最后|随后|之后|接着|同时|也|还|首先|其次|现场|一次性|及时|尽快|提前|主动|按时|自行"
    # a deadline after a modal, before the verb ("可在事故发生之日起1年内直接申请")
    r"|(?<=[可以需须应])在[^,。;]{0,12}?\d+个?(?:工作日|日|天|月|年)(?:内|以内)"
    # a period ("在每年集中征缴期内通过…缴费")
    r"|在[^,。;]{1,10}?期(?:内|间)"
    # the reader named as agent ("需先由本人联系单位…"), an instrument ("用身份证号注册…").
    # "按缴费单通过银行缴纳": the office's notice as the instrument
    r"|按(?:照)?[^,。;“”]{0,4}?(?:缴费单|核定单|通知单|通知书|缴费通知)(?:上的金额|金额)?"
    r"|由(?:本人|个人|参保人|监护人|家属|子女|亲属|代办人|他人|家长|父母一方|父母)(?:(?:或|和|及|或其)(?:本人|个人|参保人|监护人|家属|子女|亲属|代办人|他人|家长|父母))?|按(?:月|年|季度|季)(?:或按(?:月|年|季度|季))?|用(?![于来作])[^,。;“”]{1,10}?(?=[一-鿿]{2}))*"
)

# A clause that starts with an instruction verb.
STEP_START = re.compile(rf"^{_STEP_ADVERB}{_STEP_VERB}")

# ... but a verb followed by 的 modifies a noun ("使用的自费药品", "提交的材料"): no instruction.
STEP_VERB_AS_MODIFIER = re.compile(rf"^{_STEP_ADVERB}(?!按|根据|通过){_STEP_VERB}的")

# A clause naming the people a case applies to ("单位已注销或本人已失业的女职工"): a condition when the reader is then
# sent somewhere or told to bring something (STEP_CASE_ACTION), not before what they "can" do (an eligibility statement).
STEP_CASE_SUBJECT = re.compile(r"的(?:女职工|职工|参保人员|参保人|人员|居民|群众|患者|申请人|老人|学生|家庭|灵活就业人员)$")
STEP_CASE_ACTION = re.compile(r"^(?:可|可以|需|须|应|请|需要)?(?:携带|持|带上|带齐|前往|到(?![账帐期时])|去|向)")

# "在网站上找到…", "应在…到经办机构申请", "到网点提交…": a place (在/到/去), then the verb; 到账/到期 are no place.
# Neither "在10个工作日内办理" / "在当年内补缴" (a time, not a place) nor "在出院结算前" (a verb + 前/后 is a time clause) counts.
STEP_LOCATIVE = re.compile(
    rf"^{_STEP_ADVERB}(?:在|到(?![账帐期时])|去)(?![\d一二三四五六七八九十两半])[^,。;]{{1,40}}?(?<![年月日天期周]内)(?<![前后时])[,]?{_STEP_ADVERB}{_STEP_VERB}"
    r"(?!前|后|时|之前|之后|以后)"
)

# "到…经办大厅综合窗口取号", "去社区服务中心登记": in a procedure, going to a place is an instruction whatever verb follows.
STEP_GO_TO = re.compile(rf"^{_STEP_ADVERB}(?:到(?![账帐期时了])|去(?![年世掉除]))[^,。;]{{2,}}")

# "父母一方携带户口簿…到…便民服务中心办理": carrying documents to a place is the reader's action, whoever is named first.
STEP_CARRY_TO = re.compile(r"^[^,。;]{0,10}?(?:携带|带上|带齐|带好|带|持)[^,。;]{1,40}?[,]?(?:到|前往|去|回(?!执))(?![账帐期时])[^,。;]{2,}")

# "核定后通过…缴纳", "出院前通过小程序补办": a short time phrase glued before the verb (not "在…前", a time by STEP_LOCATIVE).
STEP_TIME_LEAD = re.compile(
    # ... and a deadline after it ("出院后6个月内回参保地申请")
    r"^(?![在到])[^,。;“”\"]{0,8}?(?:后|之后|以后|前|之前|时|期间|次月起)(?:\d+个?(?:工作日|日|天|周|月)(?:内|以内)(?![^,。;]*的(?:[,。;]|$)))?(?=[^,。;])"
)

# An unquoted menu path: three or more short items joined by >, →, — or -, or two joined by > / → (never 》:
# a 《…》 title is a document or a module name, not a path)
# ("支付宝首页 > 市民中心 > 社保", "我—服务—医疗健康—医保码").
BARE_MENU_PATH = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,12}(?:\s*(?:>|→)\s*[\u4e00-\u9fffA-Za-z]{1,12})+"
    r"|[\u4e00-\u9fffA-Za-z]{1,12}(?:\s*(?:—+|-)\s*[\u4e00-\u9fffA-Za-z]{1,12}){2,}"
)

# One item of an unquoted menu path.
BARE_MENU_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,12}")

# "在即时制卡网点办理的,…": a locative clause ending in 的 is a condition, not an instruction.
STEP_LOCATIVE_CONDITION = re.compile(r"的$")

# "绑定成功后即时生效": a verb followed by 后 opens a time clause; it is an instruction only if another verb follows.
STEP_VERB_THEN_AFTER = re.compile(rf"^{_STEP_ADVERB}{_STEP_VERB}[^,。;]{{0,6}}?(?:成功|完成|到账|到帐|通过|完毕)?(?:后|之后|以后|期间(?!的)|时(?=[,]|由|需|须|可|请|应|$))(?P<rest>.*)$")

# "提交申请后,由专家组进行审核": after the reader's action, the office acts; the line describes the office's work.
STEP_THEN_OFFICE_ACTS = re.compile(r"^(?:[^,。;]{1,12}(?:后|之后|以后))[,]?(?:由|经)[^,。;]{1,14}?(?:进行|负责|组织|审核|鉴定|核实|办理)")

# "首次使用某平台需先注册…": a one-clause condition (first use, need) followed by what must be done first.
STEP_INLINE_CONDITION = re.compile(rf"^(?:首次|初次|第一次|如需|若需|如要)[^,。;]{{1,14}}?(?:需要|需|须|应|请)先?(?:{_STEP_VERB}|完成|进行)")

# "转出地收到联系函后办理", "由转入地向…发送联系函", "常德市医保经办机构核对…": a clause whose subject is an office
# (not the reader, not an employer, whose filing is the reader's step) describes the office's work; a place noun after it
# ("医保经办机构窗口…", "在经办机构的窗口上…") makes it a place, not a subject.
OFFICE_SUBJECT = re.compile(
    r"^(?:由|经(?!办|过))?(?:所在|[^,。;在到去向往从于的与和跟同给过按]){0,8}?(?:经办机构|医保部门|医疗保险部门|医保局|医疗保险局|医疗保障局|医保中心|转出地|转入地|系统|税务部门|社保服务站|服务站|社保所|社保中心|人社部门|人社局|社保部门|社保局|医保分中心|分中心|医保站|医保所|制卡中心|社保卡中心|社保卡管理中心|社保机构|医保机构|社会保险行政部门|行政部门|等部门|相关部门)"
    r"(?:会|将|则|即|再|也|统一|自动)*(?!窗口|大厅|网站|官网|APP|App|app|公众号|小程序|网点|柜台|服务|的|[,。;]|$)"
)

# An office handling the reader's case ("受理后当场完成参保登记"): outside a procedure block still a step.
OFFICE_PROCEDURE_VERB = re.compile(r"完成[^,。;]{0,6}?(?:登记|变更|转移|备案|绑定|制卡)|(?:办理|办结)[^,。;]{0,8}?手续|(?:完成|予以)(?:登记|备案)")

# ... so is an office or a third party delivering the result to the reader ("将报销款转入参保人社保卡", "通过短信告知
# 申请人结果", "安排评估人员上门评估").
CASE_HANDLING_VERB = re.compile(
    r"(?:转入|打入|拨付|划入)[^,。;]{0,8}?(?:社保卡|银行|账户|帐户)|(?:告知|通知)[^,。;]{0,6}?(?:申请人|参保人|本人|结果)|上门|制卡"
    r"|发放[^,。;]{0,6}?(?:保险金|津贴|待遇)"
)

# A label naming a procedure or a channel ("申请渠道:…", "办理流程:…"), not a statement about one ("报销流程相同:…").
PROCEDURE_LABEL_END = re.compile(r"(?:流程|程序|步骤|方式|方法|途径|渠道|入口|平台|办理|申请|操作)$")

# Verbs only an office performs ("公示5个工作日,无异议后作出评估结论", "决定书…送达单位和职工"): with no one named, the
# office acts ("15日内即可作出决定" states how fast, "公示期为5个工作日" names a period).
OFFICE_ONLY_VERB = re.compile(
    r"(?<!即可)(?:公示(?!期)|作出[^,。;]{0,6}?(?:结论|决定)|送达(?=[^,。;]{0,4}(?:单位|职工|申请人|本人|当事人))|调查核实|调查取证)"
)

# "一般在3个工作日内完成信息登记", "一般1-2个工作日内完成备案": how long the office takes, a timeframe, not a step.
DEADLINE_STATEMENT = re.compile(r"(?:一般|通常|大约|约|最快)(?:在)?[^,。;]{0,6}?\d+[^,。;]{0,6}?(?:内|以内)(?:完成|办结|到账|生效)")

# "自受理之日起60日内作出…决定": counted from the office's receipt, the act is the office's.
OFFICE_DEADLINE_LEAD = re.compile(r"^自(?:受理|收到|接到)[^,。;]{0,10}?(?:之日)?起")

# ACTORS of a step (schema.vocabulary.Actor): who acts in a procedure line. Office actions inside a
# procedure are steps too, with their actor.

# An office (or its staff, or its system) as a clause's subject: OFFICE_SUBJECT, or these staff words.
OFFICE_STAFF_SUBJECT = re.compile(
    # (not "异地工作人员", "常驻异地工作人员": readers working elsewhere)
    r"^(?!(?:常驻)?异地|外地|在职)(?:由|经(?!办|过))?(?:[^,。;在到去向往从于的]{0,8}?(?:工作人员|经办人员|窗口人员|审核人员)|[^,。;在到去向往从于的]{0,6}?窗口(?=受理|审核|初审|核对|办理|确认|接收)|(?:原参保地|新参保地|参保地|转出地|转入地)(?:医保)?(?=需|须|应|会|将|在|于|核对|核实|接收|办理|审核|受理|划转|发出|出具))"
)

# The employer acts: "由用人单位…", "用人单位登录…为职工办理增员", "需由单位人事部门办理停保".
EMPLOYER_SUBJECT = re.compile(r"(?:^|由)(?:原|新)?(?:用人单位|所在单位|工作单位|单位人事部门|单位|公司|雇主)(?!开具|出具|证明|的|缴纳部分)")

# Money or word delivered to the reader ("将余额转入申请人银行账户", "通知参保人"): the reader does not send it to
# themself, so with no subject named the office acts.
DELIVERY_TO_READER = re.compile(
    # after a short subject or time ("报销款打入参保人…", "一般在20个工作日内拨付到个人…"), not an application
    r"^(?![^,。;]*(?:申请(?!人)|(?<!申)请|您|可))[^,。;]{0,14}?(?:将[^,。;]{1,10}?)?(?:转入|划入|划拨|拨付|打入|发放|退还|返还|寄送|寄至|寄到|通知|转发给|支付到|支付至|送达)"
    r"(?:至|到|给)?(?:申请人|参保人|参保人员|职工|本人|您|个人|用人单位|单位)"
    # a record the office's system produces ("审核通过后生成补缴核定单")
    r"|^(?:系统)?(?:自动)?生成(?=[^,。;]{0,10}(?:单|凭证|证明|记录|回执))"
    # word sent by text message ("以短信形式告知…", "审核结果会通过短信通知申请人")
    r"|(?:以|通过)短信(?:的)?(?:形式|方式)?(?:告知|通知|发送|推送)"
)

# A hospital, bank or other body acts: "由定点医院医生填写…", "银行将…退回".
THIRD_PARTY_SUBJECT = re.compile(
    r"(?:^|由[^,。;到去向对和]{0,10}?)(?:保险公司|商业保险公司|承办保险公司|承办机构|商保公司|承保公司|定点医院|评定医院|指定医院|承办医院|定点医疗机构|医疗机构|医院|主治医生|接诊医生|经治医生|医生|合作银行|发卡银行|承办银行|银行|定点药店|药店|税务部门|邮政|快递|物流"
    r"|定点评估机构|第三方评估机构|评估机构|评定机构|护理服务机构|护理机构|定点护理机构|学校|幼儿园|中小学|高校|柜员)(?!窗口|网点|柜台|APP|App|的)"
    r"|^银行(?:网点)?(?:柜员|工作人员)|^银行网点(?=受理|审核|核对|核验|制卡|办理)"
    r"|通过[^,。;]{0,4}?银行(?=转入|打入|发放|拨付|退回)"
    r"|^(?:将)?(?:赔付款|理赔款)(?=[^,。;]{0,4}?(?:转入|打入|发放|拨付))"  # an insurer's payout
)

# What an office, employer or third party does in a procedure (a line about them without one of these
# verbs only states a fact: "转入地医保部门收到资金后,一般3-5个工作日到账").
ACTOR_ACTION_VERB = re.compile(
    r"(?<!已)(?<!已经)(?:审核|审批|核对|核实|核验|核定|办理|完成|受理|划转|划入|划拨|拨付|转入|转出|记入|计入|打入|存入|发放|清0|清零|出具|发送|寄送|发出"
    r"|录入|增员|减员|停保|申报|报送|收齐|登记|确认|退回|返还|填写|结算|扣缴|扣款|通知|备案|组织|评审|认定|鉴定|初审|复审|计算|核算"
    r"|提出|制卡|寄送|作出|扣除|提交|登录|开具|转发|恢复|告知|比对|生成|评定|评估|公示|调查|汇总|报送|推送|寄出|派|上门|收集"
    r"|上传|减免|抵扣|配送|送达|校验|支付(?=到|至|给))(?![的地])"
)

# Verbs only the reader performs: after an office's time clause ("审核通过后,携带…领取") the reader acts again.
READER_ONLY_VERB = re.compile(r"^(?:可|可以|需|须|请|再|即可)?(?:携带|前往|登录|下载|点击|填写|提交|领取|拨打|关注|搜索|进入|选择|上传|缴纳|咨询|打开|扫码|申请)")

# A state already reached ("转入地已经办理参保登记", "原参保地已停保"): a precondition, not an act.
ALREADY_DONE = re.compile(r"已经|已(?=[\u4e00-\u9fff])")

# Blocks about deadlines: an office's deadline there is a timeframe, not a step ("经办机构应在20个工作日内拨付").
DEADLINE_BLOCK = re.compile(r"时限|期限|时间|多久|时效|到账|用时|多长时间")

# A condition clause opening a line ("若线上操作不便,…", "如需…"): the channel is the one of the clauses after it.
LEADING_CONDITION_CLAUSE = re.compile(r"^(?:若|如果|假如|如遇|如|倘若)[^,。;]*[,]")

# "还需带上…", "另需提交…": adverbs before a document verb in a case's extra requirement.
OBLIGATION_LEAD_ADVERBS = re.compile(r"^(?:还|另|也|并|同时|另外)(?=需|须|要|得|应|带|提)")

# Showing a card at the counter ("出示医保电子凭证或社保卡"): an act, not a list of extra documents.
SHOW_VERB = re.compile(r"^(?:需|须|请)?(?:出示|刷)")

# "…即可" closing a clause ("出示社保卡即可"): it adds no action.
ENOUGH_TAIL = re.compile(r"(?:即可|就可以|就行)[。!]?$")

# An obligation in an action clause ("需先到…办理"): outside procedure blocks only these conditional lines are steps.
OBLIGATION_MODAL = re.compile(r"(?:需|须|应|要|请|务必)")

# A verb used as a noun, then a statement about it ("激活一般即时完成", "补缴当月即可报销"): no instruction.
VERB_AS_NOUN_STATEMENT = re.compile(
    r"^[\u4e00-\u9fff]{2,6}?(?:一般|通常|大约|约|最快|最长|预计|当月|当天|当日|次月|是)"
    r"|^[\u4e00-\u9fff]{2,4}(?:时限|时间|期限|周期)|^[\u4e00-\u9fff]{2,4}(?:流程|费用)(?:为|是|一般)"
    # a form named after its procedure, listed first ("补缴申请表、劳动合同…"): a document, not a verb
    r"|^(?:补缴|申请|登记|变更|转移|参保|备案|缴费|退费|报销|办理)[^,。;、的]{0,6}?(?:申请表|登记表|审批表|申请书|表|书)(?=[、,。;或和及(]|$)"
)

# A case clause where someone has not acted ("单位未按时申请的"): it names who failed, not who acts next
# ("县级医保部门审核同意的,将资金打到…": the office approving goes on acting).
CASE_NEGATION = re.compile(r"未|没|不|无")

# A clause opening with a condition word: its subject is a case, not who acts ("如果原参保地系统还没有停保").
CONDITION_WORD_START = re.compile(r"^(?:若|如果|假如|倘若|如)")

# A leading deadline clause ("就诊后3个月内,到…窗口提交材料"): the instruction is the rest of the line.
DEADLINE_LEAD_CLAUSE = re.compile(r"^[^,。;]{0,12}?(?:\d+|[一二三四五六七八九十两半]+)\s*个?(?:工作日|日|天|周|月|年)(?:内|以内|之内)$")

# A frame that cites the rules ("按照过去的规定", "根据相关政策"): no action by itself.
FRAME_CLAUSE = re.compile(r"^(?:按照|按|根据|依照|依据)[^,。;]{0,10}(?:规定|政策|法规|方案|标准)$")

# A document name holding a verb or a preposition is a clause, not a name ("经办机构向转出地发出联系函").
DOCUMENT_CLAUSE_MARK = re.compile(r"向|将|把|由|发出|寄出|发送|办理|申请(?!表|书|人)|出具(?!的)|开展|进行")

# "一般即时生效,最长不超过3个工作日": the immediate case and the longest wait are one range from 0.
IMMEDIATE_THEN_LONGEST = re.compile(r"^[,\s]*[^。;]{0,6}?(?:最长|最迟|最多|最晚|个别情况|少数情况|特殊情况|如遇特殊情况)")

# "5天内需到银行网点办理…", "出院前须…": a later clause that obliges the reader (after an optional deadline) is an instruction.
# "跨省转移需通过…提交线上申请": a short topic, then what the reader must do to move it along.
TOPIC_OBLIGATION_LEAD = re.compile(r"^[^,。;“”\"]{2,6}?(?:需要|需|须|应当|应)(?=通过|到|前往|携带|登录|向)")

STEP_OBLIGATION_LEAD = re.compile(r"^(?:[^,。;“”\"]{1,8}?(?:内|前|之前|以前))?(?:需要|需|须|应当|应|请|务必)(?=[^,。;])")

# A sentence boundary inside a line: each sentence ("…直接结算;未直接结算的,持…申请") is judged on its own.
SENTENCE_SPLIT = re.compile(r"[;。!?]")

# "如遇操作问题,可咨询当地医保局": in a notes block, asking for help without a number to call is advice, not a step.
STEP_HELP_ONLY = re.compile(r"^(?:可以|可|请|也可|也可以)?(?:咨询|询问)[^,。;]*$")

# "下载并登录银行APP:如农业银行、…": an action label whose text only gives examples is a step by its label.
EXAMPLE_BODY = re.compile(r"^(?:如|例如|比如|譬如|以[^,。;]{1,12}为例)")

# "…参保人无需重复申请": a numbered stage that tells the reader to do nothing is the office's work, not a step.
NO_ACTION_NEEDED = re.compile(r"(?:无需|无须|不需要|不需|不必|不用)(?:个人|本人|参保人)?(?:重复|再次|另行|另外|单独)?(?:申请|办理|操作)")

# Why something happened ("被退回一般是因为…"), who qualifies ("…满10个月…的,可以享受生育津贴"), a what-if
# ("如果…可能还要再等3个月") or a deadline rule ("转出地应在受理后10个工作日内完成转出"): no action.
STEP_EXPLANATION = re.compile(r"是因为|原因是|常见原因|^(?:如果|假如|若是)[^。;]*可能|应(?:当)?(?:在|于)[^,。;]{0,14}?(?:\d+|[一二三四五六七八九十两])个?(?:工作日|日|天|周|月|年)(?:内|以内)(?:提出|完成|办结|受理)|(?:满(?=\d|[一二三四五六七八九十两])|达到|符合)[^。;]{0,30}?的,[^。;]{0,12}?(?:享受|领取|申领)|须在[^,。;]{0,10}?(?:连续)?缴纳[^,。;]{0,10}?满")

# "第二步:转入地审核…", "步骤3:…": a line labelled as a numbered step is a step whatever its verb.
STEP_ORDINAL_LABEL = re.compile(r"^(?:第[一二三四五六七八九十\d]{1,2}步|步骤[一二三四五六七八九十\d]{1,2})$")

# "第四步,窗口确认接收后通知参保人": the same numbered stage, led by a comma instead of a colon.
STEP_ORDINAL_LEAD = re.compile(r"^(?:第[一二三四五六七八九十\d]{1,2}步|步骤[一二三四五六七八九十\d]{1,2})[,、]")

# "可拨打12333热线咨询", "致电当地医保部门": a line asking to call a hotline is a phone step in any block.
HOTLINE_CALL = re.compile(r"(?:拨打|致电|打电话)[^,。;]{0,12}?(?:\d{5}|热线|电话)")

# "由定点医院医生填写…": 由 + an agent other than the reader opens a clause about someone else's work.
THIRD_PARTY_AGENT = re.compile(r"^由(?!本人|个人|参保人|申请人|您|你|监护人|家属|子女|亲属|代办人|他人)")

# A clause that only states a condition; the instruction follows it ("若…未停保,需先…", "审核通过后,办理…",
# "备案后如需变更就医地,需先…").
STEP_CONDITION_CLAUSE = re.compile(r"^(?:[^,。;]{1,6}?(?:后|时)(?=如需|如果|若))?(?:若|如果|假如|如|当|待)|(?:后|时|之后|以后|的)$")

# A quoted interface element being acted on anywhere in the line ("首页搜索“医保电子凭证”").
STEP_UI_ACTION = re.compile(r"(?:点击|搜索|进入|选择|找到|打开|关注|登录|下载)[“\"「]")

# Block names under which lines are never steps (materials, deadlines, warnings, special cases); a
# conditional instruction ("原参保地未停保的,需先…办理停保手续") or a hotline call is still one outside material blocks.
NON_STEP_BLOCK_STRONG = re.compile(r"材料|证件|资料|时限|期限|注意|提示|须知|特殊情况|等待期|余额|年限|限制|条件|说明")

# A block lead announcing conditions ("同时满足以下条件的,可以申领失业保险金"): its lines are conditions, whatever it ends with.
CONDITIONS_LEAD = re.compile(r"(?:满足|符合|具备)(?:以下|下列|如下)?[^,。;]{0,4}条件")

# Block names that list documents: no step at all under them, not even a conditional one.
NON_STEP_BLOCK_MATERIAL = re.compile(r"材料|证件|资料")

# Block names that announce a procedure or a channel.
PROCEDURE_BLOCK = re.compile(
    r"流程|程序|步骤|方式|方法|途径|渠道|办理|手续|操作|入口|平台|APP|App|app|网站|网上|线上|线下|微信|支付宝|公众号|小程序|电话|热线|窗口|大厅"
    r"|经办机构|服务点|查询|缴费|激活|申领|登录|下载|进入|输入|确认|核对|选择|变更|转移|支付|如何|怎么|怎样|补缴|补办|挂失|备案|申报|绑定|解绑|领取"
)

# Block names about coverage, costs or policy: no steps there either.
NON_STEP_BLOCK_WEAK = re.compile(r"范围|项目|药品|费用|区别|标准|比例|待遇|政策|法规|方案|好处|作用|治疗")

# Section headings that ask for a procedure (so lines outside any block can be steps).
# A section heading that asks which documents to bring ("…报销材料有哪些?", "…要带什么"): its lines list them.
MATERIAL_HEADING = re.compile(r"材料|证件|资料|带什么|带哪些|准备什么|准备哪些")

PROCEDURE_HEADING = re.compile(r"怎么(?!样)|如何|怎样|流程|步骤|办理|查询|查|缴费|补缴|变更|转移|激活|申请|申领|去哪|哪里|改|操作|提取|领取|绑定")

# Channels, most specific first; a text's channel is the one mentioned earliest.
CHANNEL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"银行[^,。、]{0,4}(?:APP|App|app|客户端)|手机银行|网上银行|网银"), "bank_app"),
    (re.compile(r"支付宝"), "alipay"),
    (re.compile(r"微信|公众号|小程序"), "wechat"),
    (re.compile(r"网站|官网|网上服务大厅|网上办事大厅|网厅|政务服务网"), "website"),
    (re.compile(r"电话|热线|拨打|致电"), "phone"),
    (re.compile(r"APP|App|app|客户端|云闪付|(?:医保|医疗保险)服务平台"), "app"),
    (re.compile(r"线下|窗口|经办机构|服务大厅|社保大厅|便民服务点|服务中心|网点|柜台|现场|前往|自助(?:服务)?(?:终端|机)"), "offline"),
    (re.compile(r"线上|网上|在线|第三方|手机上|掌上"), "online"),
)

# A sub-heading about notes, deadlines or special cases ends the channel group above it ("温馨提示:").
GROUP_CHANNEL_RESET = re.compile(r"注意|提示|须知|特殊情况|说明|时限|期限|等待期")

# A sub-heading that opens a group of blocks sharing its channel ("线下变更:", "通过银行APP缴费:");
# a plain platform label ("医保局网站:") names only its own block.
CHANNEL_GROUP_BLOCK = re.compile(r"通过|方式|方法|途径|渠道|变更|办理|线上|线下|网上")

# Channels that only say online/offline; a more specific one in the line wins over them.
GENERIC_CHANNELS: frozenset[str] = frozenset({"online", "offline"})

# A menu path: at least two quoted items joined by →, —, -, >, with a short tail allowed ("“…”小程序→“…”").
MENU_PATH = re.compile(
    r"[“\"「]([^”\"」]{1,20})[”\"」][^“\"「,。;]{0,5}?(?:\s*(?:→|->|—+|-|>|》)\s*[“\"「]([^”\"」]{1,20})[”\"」][^“\"「,。;→>—-]{0,5}?)+"
)

# One quoted menu item inside a menu path.
MENU_ITEM = re.compile(r"[“\"「]([^”\"」]{1,20})[”\"」]")

# ---------------------------------------------------------------------------------------------
# MATERIALS: documents the reader brings, their form (原件/复印件) and whether they are optional.
# ---------------------------------------------------------------------------------------------

# Block / label names whose lines list documents (a bare "需提供" label too).
MATERIAL_BLOCK = re.compile(r"材料|证件|资料|携带|准备|需要提供|所需|带齐|(?:需要|需|须|请|应)(?:提供|提交|出示)$")

# Outside a material block, a clause that lists documents to bring ("携带个人身份证、医保卡等相关证件", "持发票、清单到…",
# a clause opening "提交身份证及社保卡"); the list ends at a place (到 / 前往) or at 并 + the next action, and may go on
# after a comma with 以及 ("携带社保卡、身份证,以及户口簿或结婚证,到…").
MATERIAL_TRIGGER = re.compile(
    r"(?:携带|带上|带齐|带好|加带|(?<=后)带|(?:^|(?<=[,;]))带(?![来动领头走回])|亮出|准备好|准备(?!工作)|备齐|备好|需提供|须提供|请提供|需要提供|需提交|须提交|凭借|凭(?![证借])|(?<!支|坚|维|保|主)持(?![续卡有])|出示|上传"
    # "将填好的表格连同住院病历、检查报告交到…": what goes along with the form
    r"|连同"
    # "所需材料为代办人身份证、…": the documents named after the word 材料
    r"|(?:所需)?材料(?:为|是|包括)[:]?"
    # "将出生医学证明、住院病历交给单位经办人": what the reader hands over
    r"|(?:^|(?<=[,;])|(?<=后))(?:将|把)(?=[^,。;]{2,40}?(?:交给|交到|交至|送交|递交))"
    # "转诊的另带转诊证明": one more document for a case
    r"|另带|需另带"
    r"|(?:^|(?<=[,;]))(?:提交|提供))(?P<list>[^,。;]{2,60}?(?:,(?:以及|还有)[^,。;]{2,30}?)?)"
    r"(?:等(?:相关|有效)?(?:证件|材料|资料|证明)?)?"
    r"(?=[,。;]|前往|到|去|回(?!执)|并|即可|代为|交到|交给|送到|送交|递交|一起|一并|后(?:提交|点击|确认|办理|递交)|$)"
)

# A line announcing that the documents follow on the next lines ("携带以下材料到…申请", "需准备下列证件:").
MATERIAL_ANNOUNCE = re.compile(r"(?:携带|带上|带齐|备齐|准备|提供|提交|需要|需)好?(?:以下|下列|如下)(?:相关)?(?:材料|证件|资料|证明)")

# A sub-heading that ends a material group: a procedure, place, deadline, note or coverage block; a neutral
# sub-label under a material lead ("职工补缴:", "灵活就业人员:") keeps listing documents.
MATERIAL_GROUP_RESET = re.compile(
    r"流程|步骤|方式|方法|途径|渠道|办理|地点|窗口|线上|线下|网上|时限|期限|时间|多久|注意|提示|须知|说明|特殊情况|等待期|范围|比例|标准|条件|费用|报销"
)

# Verbs that hand in a document: a material line may open with them ("提交身份证复印件"); a line under a material
# sub-heading opening with any other instruction verb ("前往…窗口", "填写…申请表") is a misplaced step.
DOCUMENT_VERB_START = re.compile(
    r"^(?:[^,。;的]{0,6}?(?:人|人员|者|家属))?(?:[^,。;的]{1,4}?(?:后|前|时))?(?:根据(?:要求|需要|规定|当地要求)|按(?:照)?要求)?(?:需要|需|须|请|应|还需|另需|只需|仅需|还要|要|并)?(?:提交|提供|携带|准备好|准备|整理好|出示|带上|带齐|带好|备好|备齐|复印|递交)"
)

# Known documents, longest first so 参保凭证 wins over 凭证; the item is normalised to these names.
KNOWN_DOCUMENTS: tuple[str, ...] = (
    "出生医学证明", "户籍迁移证明", "工作调动证明", "参保缴费凭证", "居民身份证", "社会保障卡", "医疗保险卡",
    "诊断证明书", "转移接续函", "参保凭证", "参保证明", "缴费凭证", "缴费证明", "出生证明", "诊断证明",
    "费用清单", "出院小结", "劳动合同", "户口簿", "户口本", "户口薄", "居住证", "身份证", "社保卡", "医保卡",
    "结婚证", "证件照", "银行卡", "退休证", "残疾证", "委托书", "申请表", "转移单", "联系函", "存折", "病历", "发票", "照片",
)

# Two verbs sharing one document name ("解除或终止劳动合同证明"): a first alternative this short that names no
# document is part of the name, not an alternative.
SHARED_NAME_ALTERNATIVE_MAX_CHARS = 3

# A document name is not a document when a number or data follows it ("身份证号", "身份证信息").
DOCUMENT_NOT_FOLLOWED_BY = re.compile(r"^(?:号|信息|上的|中的|明|金融|账户|帐户|账号|余额|密码)")

# "部分地区规定单次最长报销90天": a figure some places set, not the page's city's own.
SOME_PLACES_MARK = re.compile(r"(?:部分|有的|个别|少数|一些)(?:试点)?(?:地区|地方|城市|省份|县区|区县)|外地(?!户籍|户口|人员|务工|工作|就医|居住)")

# "近一年的住院病历", "近两年内的门诊病历": a time window saying which records to bring, not a duration.
DOCUMENT_WINDOW_BEFORE = re.compile(r"(?:近|最近)$")
DOCUMENT_WINDOW_AFTER = re.compile(r"^(?:内|以内|之内)?的")

# A page of the household register named after it ("户口簿首页", "户口本本人页"): the document is the register.
DOCUMENT_PAGE_SUFFIX = re.compile(r"(?<=户口簿|户口本|户口薄)(?:首页|本人页|户主页|内页|索引页)$")

# A prefix that makes a document someone else's ("代办人身份证"): keep it in the item.
DOCUMENT_OWNER_PREFIX = re.compile(r"(?:代办人|代理人|受托人|委托人|监护人|家属|家庭成员|配偶|父母|子女|新生儿|参保人|职工)$")

# An unknown document still ends like one.
DOCUMENT_SUFFIX = re.compile(r"(?:证明|证明材料|证|卡|簿|本|表|书|单|函|凭证|回执|照片|发票|票据|收据|清单|病历|合同|协议|存折|执照|证书|报告|记录|说明|截图|打印件|扫描件|档案|首页|单据|流水|资料|明细)$")

# A verb left in front of a document name ("需提供转诊证明", "携带受理回执"), with the person who hands it in before it
# ("异地工作人员提供单位派出证明"): not part of the item.
DOCUMENT_LEAD_VERB = re.compile(
    # a short case or adverb before an obligation ("手工报销另需提供…", "一般需准备…")
    r"^[^,。;的]{1,6}?(?:另需|还需|需要|需|须)(?:同时|另外|一并|再|还)?(?:提供|携带|提交|准备|出示|带上|附上)"
    # someone else gathering them ("由单位经办人收集职工身份证")
    r"|^由[^,。;、]{1,8}?(?:收集|准备|提供|提交|整理)"
    r"|^(?:[^,。;的]{0,8}?(?:人员|人|者|家属))?(?:(?:另需|还需|只需|仅需|还要|也要|另要)(?:同时|另外|一并|再|还)?"
    r"(?:提供|携带|提交|准备|出示|带上|附上|带)?|备好|备齐|准备好|(?:需要|需|须|请|应)?(?:同时|另外|一并|再|还)?(?:提供|携带|提交|准备|出示|带上|加带|另附|附上|附))"
)

# Words before a document's own name that say whose or which it is, not what it is: the issuing place
# ("原参保地医保缴费凭证" is the 医保缴费凭证 from there), the reader ("本人身份证"), 有效 ("有效身份证件") and
# determiners (相关, 其他).
DOCUMENT_PLACE_PREFIX = re.compile(
    r"^(?:历年|原参保地|新参保地|转出地|转入地|参保地|户籍所在地|户籍地|就医地|居住地|当地|本地|本市|本县|本区|有效|相关|其他|其它|近期|最近|(?:新|原)?(?:工作)?单位(?:开具|出具))+"
)

# The form a document is handed in as, after its name ("身份证正反面照片", "承诺书扫描件"): not part of the item.
DOCUMENT_FORM_SUFFIX = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:正反面)?(?:照片|扫描件|电子版|图片|复印件)$")

# The employer as the issuer of a certificate ("用人单位派驻证明" is the 派驻证明 it issues).
DOCUMENT_ISSUER_BEFORE_PROOF = re.compile(r"^(?:用人单位|工作单位|所在单位)(?=[^,。;]{1,6}证明$)")

# The reader named before a known document ("本人身份证", "个人社保卡"): dropped, but only before a known
# document ("个人承诺书" is a document of its own name).
DOCUMENT_READER_PREFIX = re.compile(r"^(?:本人|个人)(?:的)?")

# A count of copies or pages after or before a document ("2张", "一式两份", "复印件2份").
DOCUMENT_QUANTITY = re.compile(r"(?:一式)?(?:\d+|[一二两三四五六七八九十]+)(?:张|份|本|页|枚|寸(?=照片|证件照))")

# The generic tail of a list of documents ("…等材料", "…等相关证件"): not part of the last item.
DOCUMENT_LIST_TAIL = re.compile(r"(?:等|等等)(?:相关|有效|必要|其他)?(?:证件|材料|资料|证明材料)$|(?:相关|有效|必要|其他)(?:证件|材料|资料)$")

# Longest full document name kept as printed; a longer piece keeps only the known document at its end.
DOCUMENT_FULL_MAX_CHARS = 16

# A known document followed by at most this many characters is still one name ("住院病历首页"); more is a
# clause after it ("社会保障卡打印缴费清单").
DOCUMENT_TAIL_MAX_CHARS = 2

# "填写完整的《…申请表》" under 所需材料: a filled-in form listed with the documents is a material, not a step.
FORM_FILL_START = re.compile(r"^(?:需|须|请)?(?:填写|填好|填妥|签署|打印)(?:完整|完毕|好)?(?:的|并签字的)?《")

# A document printed with book-title marks is a named form ("《异地就医备案表》"), whatever its length.
TITLED_DOCUMENT = re.compile(r"《([^《》]{2,40})》")

# Longest unknown document name accepted (longer pieces are sentences).
DOCUMENT_MAX_CHARS = 12

# Outside a material block, a line is a bare list of documents only if each unknown document is this short
# ("外伤情况说明") ...
BARE_UNKNOWN_DOCUMENT_MAX_CHARS = 6

# ... and each known one has at most this many characters before it besides a 的-modifier ("原件身份证", "本人社保卡").
BARE_DOCUMENT_PREFIX_MAX_CHARS = 4

# Generic words that are not a document by themselves.
# A conjunction opening a clause of a list ("…,以及应当由工伤保险支付的费用"): not part of the item.
LIST_LEADING_CONJUNCTION = re.compile(r"^(?:以及|还有)")

# Groups of a list set off by semicolons ("住院期间的护工费、生活用品费;因自杀、自残产生的医疗费用;…"): read one by one.
LIST_GROUP_SPLIT = re.compile(r"[;]")

# A piece of a list opening with a cause ("因车祸" in "…、因车祸、医疗事故等应当由他人负担的医疗费用、…"): it and the pieces
# up to the next 的 are one wrapped item.
WRAPPED_ITEM_LEAD = re.compile(r"^(?:因为|因|由于)")

# How many pieces a wrapped item may span.
WRAPPED_ITEM_MAX_PIECES = 5

# An exception in brackets after an item ("…的医疗费用(突发疾病导致的除外)"): not part of the item.
EXCEPTION_ASIDE = re.compile(r"[((][^()()]*除外[))]")

# A modifier before a generic proof that names what it proves ("解除或终止劳动合同的证明"): the whole phrase is the
# name; an issuer before it ("单位出具的证明") or a list of examples ("结婚证等能证明亲属关系的材料") is not.
PROOF_ISSUER_MODIFIER = re.compile(r"出具|开具|提供|盖章|签字|签章|填写|等|能|可以|可|用于")

GENERIC_DOCUMENT = re.compile(r"^(?:相关|有效|其他|其它|以上|以下|上述|下列|个人|本人|申请|报销|办理|所需|所有|全部|书面|纸质|证明|备案)*(?:证件|材料|资料|证明材料|证明)$")

# A parenthesised alternative document ("户口簿(或结婚证)"): the aside names a document of its own.
ALTERNATIVE_ASIDE = re.compile(r"^(?:或者|或)(?P<document>.+)$")

# A piece that says a document is NOT needed ("无需其他证明材料") names none.
NO_DOCUMENT_NEEDED = re.compile(r"^(?:无需|无须|不需要|不需|不用|不必|免于?(?!冠)|不再(?:要求|需要)?)(?:提供|提交|携带)?")

# The original document.
QUALIFIER_ORIGINAL = re.compile(r"原件")

# A photocopy.
QUALIFIER_COPY = re.compile(r"复印件|复印本")

# Marks of an optional document ("(如需)", "(如适用)", "如涉及").
OPTIONAL_MARK = re.compile(r"如需|如适用|如涉及|如有|若有|如需要|如果有|如果需要|视情况|可选|非必需|必要时|若需|适用|时提供|的提供")

# A line that starts with a condition makes all its documents optional ("如需委托他人办理,…").
OPTIONAL_LINE_START = re.compile(r"^(?:如需|如涉及|如有|若有|若需|如果|若|委托他人|代办)")

# Separators between list items (top level, outside parentheses).
LIST_SEPARATOR = re.compile(r"[、,;/]")

# Conjunctions between list items ("户口簿或居住证", "陪护费以及…").
LIST_CONJUNCTION = re.compile(r"以及|或者|或|和|及(?!其)|与")

# ---------------------------------------------------------------------------------------------
# TIMEFRAMES: durations (not dates, not years, not ages) with their bound and what they measure.
# ---------------------------------------------------------------------------------------------

# A short subject between a prefix bound and its number ("满男25年", "不超过跨省9个月"): at most three characters,
# none a numeral, a unit, a clause mark, a time word or 足 of 满足 (so the bound still reads on the number that follows).
_BOUND_SUBJECT_GAP = r"(?:[^\W\d零〇一二两三四五六七八九十百千万半第每的后前内时年月日天周个足]{1,3}?)?"

# A duration: optional prefix bound (and a short subject after it), number / range / sum, an approximation
# ("30多天", "十几天", "3个多月"), unit with an optional half ("一个半月", "一年半"), optional suffix bound.
DURATION = re.compile(
    rf"(?:(?P<pre>不得超过|不能超过|不应超过|未超过|没有超过|没超过|不超过|不少于|不低于|不足|未满|不满|至少|最多|最长|最快|最迟|最晚|长达|超过|满){_BOUND_SUBJECT_GAP})?"
    rf"(?P<num>{NUMBER_TOKEN}(?:\s*(?:-|~|～|至|到|—|–|[+])\s*{NUMBER_TOKEN})?)(?P<approx>多|几)?"
    r"\s*(?P<unit>个[多半]?工作日|工作日|个多?自然日|自然日|个[多半]?小时|小时|个[多半]?星期|星期|周(?![岁年])|个[多半]?月|月|天|日|年(?!龄|级|度))"
    r"(?P<half>半(?![年月天日个小周星]))?"
    # ("3个月(含)以内": the bound includes the figure)
    r"(?:[((]含[))])?(?P<suf>以内|之内|内|及以上|或以上|以上|之上|以下|左右|起)?"
)

# "一个半月", "一年半": a half inside or after the unit adds one half to the number.
HALF_MARK = "半"

# Two durations of different units joined into one range ("6个月至1年"): the larger unit in the smaller one.
UNIT_CONVERSIONS: dict[tuple[str, str], float] = {("year", "month"): 12, ("week", "day"): 7}

# "15天至42天": two durations of one unit joined by a range word are one range.
DURATION_RANGE_JOIN = re.compile(r"^\s*(?:-|~|～|至|到|—|–)\s*$")

# "3个多月", "30多天": more than the number (an approximation mark inside the unit or after the number).
APPROX_MORE = "多"

# "十几天", "二十几个工作日": one of the nine numbers after a round ten.
APPROX_SOME = "几"

# "次日生效", "第二天到账": the next day, a duration of one day.
# "缴费当月即可享受待遇": effective in the same month, 0 months.
SAME_MONTH = re.compile(r"当月(?:即可|就能|就|即|起)?(?:享受|生效|到账|到帐|可用|恢复|发放)")

# "自缴费次月起享受待遇": from the next month, one month.
NEXT_MONTH = re.compile(r"次月(?:\d{1,2}日)?(?:起|即可|开始|就能|就)?(?:按月|可以|可|即可|才能|才可|按[^,。;]{1,8}?)?(?:在[^,。;]{1,8}?|通过[^,。;]{1,16}?)?(?:享受|生效|恢复|到账|到帐|记入|划入|可查|能查|可用|开始享受|停止|暂停|支付|发放|计发|缴费|代扣)")

NEXT_DAY = re.compile(r"(?:次日|第二天|隔天|隔日)(?:起)?(?:即可|就能|就|可|不能再|不再)?(?:在[^,。;]{1,8}?)?(?:生效|到账|到帐|可用|办结|恢复|使用|激活|查询|查到|享受)")

# Unit words → Unit values.
DURATION_UNITS: dict[str, str] = {
    "个工作日": "workday", "工作日": "workday", "个自然日": "day", "自然日": "day", "天": "day", "日": "day",
    "个小时": "hour", "小时": "hour", "个星期": "week", "星期": "week", "周": "week", "个月": "month",
    "月": "month", "年": "year",
}

# Prefixes / suffixes that make a duration a minimum.
AT_LEAST_MARK = re.compile(r"^(?:不少于|不低于|至少|超过|满|长达|及以上|或以上|以上|之上|起)$")

# Prefixes / suffixes that make a duration a maximum.
WITHIN_MARK = re.compile(r"^(?:不得超过|不能超过|不应超过|未超过|没有超过|没超过|不超过|不足|未满|不满|最多|最长|最迟|最晚|以内|之内|内|以下)$")

# Characters before a number that make it an ordinal, a date part or a product ("第3年", "7×24小时").
DURATION_BAD_BEFORE = re.compile(r"(?:[第×xX*/.\d年月含]|每[^,。]{0,4})$")

# Between a bounded duration and an alternative that shares its bound: an opening bracket and a short qualifier
# ("满25年(女性20年)"), or a list mark and a short parallel subject ("满男25年、女20年", "不超过6个月/跨省9个月").
DURATION_ALTERNATIVE_GAP = re.compile(r"^\s*(?:[(][^()\d,。;]{0,6}|[、/]\s*[^()\d,。;、/]{0,3})$")

# A year number followed by a month is a date ("25年5月2日"); so is a month followed by a day.
DATE_CONTINUATION = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[月日号]")

# "N月" without 个 is a month name unless a bound follows ("3月内" is rare but a duration).
BARE_MONTH_BOUND = frozenset({"以内", "之内", "内", "以上", "及以上"})

# A number of years at or above this is a calendar year ("2025年").
CALENDAR_YEAR_MIN = 100

# Immediate effect: "即时生效", "立即到账", "实时办结", "当场办结", "当天即可生效", "待遇当场恢复", "最快当天"
# (not "非即时制卡网点", the other case).
IMMEDIATE = re.compile(
    r"(?<!非)(?:即时|立即|实时|当场|即刻|当天|当日)(?:即可|可以|可|就|即)?(?:生效|办结|到账|办理|完成|处理|受理|领取|转移|可用|恢复|出证|拿到|领到|使用|(?:领|取|拿|制|出|发)卡(?!网点|点)|发放|录入|出具|打印|报销|绑定|认定|审核|核定|出结果)"
    r"|最快(?:当天|当日)|即时更新|立等可取"
    # "当场为其完成登记", "出院时当场抵扣"
    r"|(?<!非)(?:当场|即时)(?:为[^,。;]{1,4}?)?(?:完成|抵扣|扣减|减免|结清)"
    # "办理后当天即可缴费": same-day with a modal, whatever the action.
    r"|(?:当天|当日|当场)(?:即可|就可以|就能|可以|即能)(?=[\u4e00-\u9fff])"
)

# What the duration measures: waiting periods (等待期, 中断缴费 ...).
APPLIES_WAITING = re.compile(r"等待期|中断缴费|断缴|断保|停保|待遇等待")

# ... arrival of funds.
APPLIES_ARRIVAL = re.compile(r"到账|到帐|划入|划转|结转|资金")

# ... online handling (from the line's label or block).
APPLIES_ONLINE = re.compile(r"线上|网上|在线")

# ... offline handling.
APPLIES_OFFLINE = re.compile(r"线下|窗口|现场|经办机构|柜台")

# ... handling without a channel.
APPLIES_HANDLING = re.compile(r"办理|办结|审核|受理|完成|生效|处理|转移接续|时限|审批")

# ---------------------------------------------------------------------------------------------
# EXCLUSIONS AND COVERAGE: what is / is not reimbursed.
# ---------------------------------------------------------------------------------------------

# The negation of coverage is built from morphemes: a modal that denies, an optional payer / instrument / adverb,
# and a verb of paying; or a scope word before 范围; or the individual as payer. One table, three shapes.

# Modals that deny an action; "可能无法报销" only warns (a hedge; so does "可能不在…范围", see NEGATION_HEDGE).
NEGATION_MODALS: tuple[str, ...] = (
    "不予以", "不予", "不能够", "不能", "不可以", "不可", "不得", "(?<!可能)无法", "不给予", "不给", "不再", "概不", "一律不", "均不", "都不",
)

# The bare negation, allowed only directly before a payment verb.
BARE_NEGATION = "不"

# Verbs of paying for or covering a cost, two may chain ("不纳入报销"); 报 alone as in "医保不报" (not 报名 / 报到 / 报告).
PAYMENT_VERBS: tuple[str, ...] = (
    "报销", "支付", "给付", "结算", "赔付", "保障", "承担", "负担", "纳入", "覆盖", "列入", "计入", "购买", "报(?![名到告道送考备])",
    # medical assistance paying the rest ("下列费用不予救助")
    "救助",
    # the colloquial 管 ("大病保险不管"), only at a clause end ("不管是否…" means "regardless").
    "管(?=[,。;:!]|$)",
    # paying with a card or account ("不能刷个人账户")
    "刷(?:个人账户|医保卡|社保卡|医保|卡)",
    # "医保同样不付钱"
    "付钱|给钱",
    # "不能走统筹": paid through the pool
    "走(?:统筹|医保|报销)",
)

# Between modal and verb: a payer or instrument ("用个人账户", "由统筹基金", "从…"), or an adverb ("追溯", "予以").
NEGATION_INFIX = r"(?:(?:用|使用|由|从|通过|以|在|按|走)[^,。;:]{1,12}?|追溯|予以|给予|再|直接|全部|全额|重复)?"

# Scope words that put the thing outside a 范围 ("不属于…支付范围", "不在报销范围内", "未纳入…范围").
SCOPE_NEGATIONS: tuple[str, ...] = ("不属于", "不在", "不纳入", "未纳入", "不列入", "未列入", "不计入")

# Who pays instead of the fund ("由个人承担", "患者自理").
SELF_PAYERS: tuple[str, ...] = (
    "住院患者个人", "患者个人", "参保人个人", "参保人员", "参保人", "个人自己", "本人自己", "个人", "患者家属", "住院患者", "患者",
    "家属", "家人", "本人", "自己",
)

# Verbs of paying oneself; with a payer word before them they negate coverage ("个人承担").
SELF_PAY_VERBS: tuple[str, ...] = ("自费", "自付", "自理", "承担", "负担", "支付", "买单", "掏钱", "掏腰包", "出钱")

# Self-paying verbs that need no payer word ("需自费", "全部自理").
SELF_ONLY_VERBS: tuple[str, ...] = ("自费", "自付", "自理", "自掏腰包")

# Adverbs and modals before a self-pay verb, part of the predicate ("仍需", "同样需全部", "均由").
SELF_PAY_ADVERBS: tuple[str, ...] = (
    "必须", "需要", "需", "须", "要", "应当", "应", "均", "都", "仍然", "仍", "同样", "也", "一律", "则", "全额", "全部", "完全", "自行",
)

# Uses a fund or account may not be put to; the thing follows the verb ("个人账户不得用于健身消费").
USE_VERBS: tuple[str, ...] = ("用于", "用来", "用作", "购买", "支付")

_NEG_MODAL = "|".join(NEGATION_MODALS)
_PAY_VERB = "|".join(PAYMENT_VERBS)

# modal + (payer / instrument / adverb) + payment verb: "不予报销", "不能用个人账户支付", "一律不报销", "不予追溯报销".
_NEG_PAYMENT = rf"(?:(?:{_NEG_MODAL}){NEGATION_INFIX}|{BARE_NEGATION})(?:{_PAY_VERB}){{1,2}}"

# scope word … 范围: "不属于医保支付范围", "不在报销范围内"; or … a payment at the clause end: "均不纳入医保支付".
_NEG_SCOPE = rf"(?:{'|'.join(SCOPE_NEGATIONS)})[^,。;:]{{0,16}}?(?:范围[内之外]*|之列|行列|目录[内之外]*|(?:支付|报销|结算|(?<!的)费用|计算)(?=[,。;!]|$))"

# the individual pays: "由个人承担", "患者自理", "需全部自费" (not "自付一定比例", "自付10%": those continue the clause).
_SELF_PAY = (
    rf"(?:{'|'.join(SELF_PAY_ADVERBS)})*(?:由)?(?:{'|'.join(SELF_PAYERS)})(?:全额|全部|完全|自行)?(?:{'|'.join(SELF_PAY_VERBS)})"
    rf"|(?:{'|'.join(SELF_PAY_ADVERBS)})*(?:{'|'.join(SELF_ONLY_VERBS)})"
    # "结算时直接划入自费": put on the self-paid side of the bill
    r"|(?:划入|列入|计入|归入)自费"
)

# A clause ends after the predicate (it is a statement, not a modifier "不予支付的费用").
_CLAUSE_END = r"(?=[,。;!]|$)"

# A sentence-final 的/了 may follow it ("…是不予报销的。"); "…不能直接结算的," is a case clause, not a statement.
_SENTENCE_END = r"(?=[。;!]|$)"

# Inside a line: the predicate saying its subject is not covered (modal + verb, scope, or self-pay at a clause end).
LINE_NEGATION = re.compile(
    # (a scope denial before 的 is a modifier: "不属于…范围内的费用" names the thing)
    rf"(?:{_NEG_SCOPE})(?![内之外]*的)|(?:{_NEG_PAYMENT}|{_SELF_PAY})(?:购买|支付)?(?:{_CLAUSE_END}|(?:了|的){_SENTENCE_END})"
    # "…均属于个人自费范围": classed as self-paid
    rf"|(?:均|都)?属于(?:个人)?(?:自费|自付)(?:范围|项目)?{_CLAUSE_END}"
    # "…导致的伤亡,不得认定为工伤": not recognised as a work injury (nothing is paid for it)
    rf"|(?:不得|不予|不能|不)认定为?工伤{_CLAUSE_END}"
    # "…由工伤保险基金支付,不走基本医保": not paid by this route
    rf"|不走(?:基本)?医保(?:报销)?{_CLAUSE_END}"
    # "…在此期间发生的…费用由用人单位负担": another party is liable, the fund does not pay
    rf"|由(?:用人单位|所在单位|单位|第三方|第三人|肇事方)(?:承担|负担){_CLAUSE_END}"
)

# A scope negation that denies self-payment ("不属于自费范围"): the thing is covered, no exclusion.
SELF_PAY_DENIAL_SCOPE = re.compile(r"^不(?:属于|在)(?:个人)?(?:自费|自付)")  # matched from the char before the negation

# "个人账户不得用于健身消费、美容": a use the fund or account is denied; the things are the object after the verb.
USE_NEGATION = re.compile(rf"(?:{_NEG_MODAL}|{BARE_NEGATION})(?:{'|'.join(USE_VERBS)})(?P<object>[^的,。;:][^。;:]*)?$")

# A block header that opens a list of things not covered: any negation of coverage in it, a self-pay noun
# ("自费项目", "需个人承担的费用"; not "自付比例", nor a modifier inside a longer case, "个人负担的合规费用超过起付线的"),
# or an exclusion word ("除外", "排除", "不包括").
NEGATIVE_BLOCK = re.compile(
    rf"{_NEG_SCOPE}|{_NEG_PAYMENT}|(?:{_NEG_MODAL}|{BARE_NEGATION})(?:{'|'.join(USE_VERBS)})|(?:{_SELF_PAY})(?!比例|标准|额|金额|线|段|部分比例|的[^,。;:]+的)"
    r"|除外|排除|不包括|不包含|不含|不计入|不列入|不纳入|未纳入|不算(?:在内)?$|不计算在内"
    # "以下支出不能使用共济资金": a fund or account that may not pay
    r"|不(?:能|得|可)使用[^,。;:]{0,8}(?:资金|账户|帐户|余额|额度)"
)

# A section heading asking which things are not covered ("生育保险哪些费用不给报?"): the lines under it list them ...
NEGATIVE_WHICH_QUESTION = re.compile(r"哪些|哪几|什么")

# ... unless it asks both ways ("牙科项目,哪些能报哪些不能报?"): its lines say which is which.
BOTH_WAYS_QUESTION = re.compile(r"(?<!不)(?:能|可以|可)报.{0,8}?不(?:能|可以|可)?报")

# A block header about things covered; it ends an exclusion group.
POSITIVE_BLOCK = re.compile(r"可报销|可以报销|能报销|(?<!不)(?:可以|可|能)报(?:的)?$|报销范围|纳入|覆盖|支付范围|给付范围|甲类|乙类|报销条件|注意|提示|条件|说明|特殊情况|比例|(?<!不)(?:可以|可|能)支付")

# In a "not covered" list, a line that states a case or a quantity is a condition, not an item: a "…的," case clause
# followed by more ("中断缴费1年以内的,等待期为3个月"), or a percentage ("报销比例降低10%").
LIST_CONDITION_LINE = re.compile(
    r"^[^,;。]{1,30}的[,;]\s*\S|\d+(?:\.\d+)?\s*(?:%|万元|元)|起付|封顶|比例|标准为"
    # a warning about misuse ("转借他人属于违规行为,情节严重的…") states a sanction, not an item
    r"|属于违规|违规行为|情节严重|骗保|套现"
    # a hedged denial ("费用可能无法全部计入") says what may happen, not what is excluded
    r"|可能(?:无法|不能|不会|不予|不)"
    # a pointer to the official word ("具体涨幅以人社部门通知为准")
    r"|以[^,。;]{0,14}为准"
)

# A verb or preposition left before an item ("因打架斗殴", "用于减肥", "购买保健品"): the item is the noun phrase after it.
ITEM_LEAD_VERB = re.compile(r"^(?:因为|因|由于|用于|用来|用作|购买|支付|缴纳)(?=[^,。;]{2})")

# A choice before an excluded thing ("主动选择单人间、VIP病房等…的床位差价"): not part of the item.
ITEM_CHOICE_LEAD = re.compile(r"^(?:主动|自行|自愿)?选择(?=[^,。;]{2})")

# A 的 closing a case item ("在境外就医的"): the item is the phrase before it.
ITEM_TRAILING_DE = re.compile(r"(?<=[^,。;]{2})的$")

# In a lead's statement ("治疗性项目能报,美容修复类项目不能报。具体如下:"), a class word sums up the list that follows.
SUMMARY_CATEGORY_ITEM = re.compile(r"类(?:项目|费用|药品|服务|治疗)?$")

# A 的-modifier opening with a content verb ("含国家珍贵、濒危野生动植物药材的药品"): its 、 joins attributes, one item.
CONTENT_MODIFIER_LEAD = re.compile(r"^(?:含有|含|添加|加入|掺入)")

# A word closing a list that names its category ("洗牙这类修复项目", "补牙等治疗项目"): what follows is no item.
LIST_CATEGORY_TAIL = re.compile(r"等|这几类|这几种|这两类|这类|此类|这些|之类|这样的")

# A condition modifier on a list's first piece covers short bare pieces after it ("不符合目录的药品、耗材"):
# each piece at most this long.
SHARED_MODIFIER_PIECE_MAX_CHARS = 4

# A colon-less short line naming notes ("注意事项", "温馨提示") closes a "not covered" list; it is never an item of it.
NOTE_LABEL = re.compile(r"(?:注意事项|注意|提示|须知|说明|小贴士)$")

# A catch-all at the end of a list ("其他生活服务费用"): it names no thing of its own.
CATCH_ALL_ITEM = re.compile(r"^(?:其他|其它|其余|另外|以及其他)")

# Words right before a negation that deny or weaken it ("并非完全不能报销", "…可能不在报销范围内"): a hedge, not an exclusion.
# "本次住院费用不能直接结算": a settlement mode denied (the claim goes the manual way), nothing excluded.
SETTLEMENT_MODE_NEGATION = re.compile(r"(?:直接|即时|实时|联网|现场)结算")

NEGATION_HEDGE = re.compile(r"(?:并非|并不是|不是|并不|未必|不一定|可能|或许|也许)(?:暂|暂时|会|完全|全部|都|一定)?$"
                            # "有的医院可以走…结算,有的需要自付": some places, not a rule
                            r"|(?:^|[,;])有的[^,;。]{0,6}$"
                            # "能不能刷医保": a question, not a denial
                            r"|能$")

# A bare connective left as the clause before a negation ("…,但仍由个人承担"): it is not the subject.
SUBJECT_CONNECTIVE = re.compile(r"^(?:但|但是|却|而|则|可|不过|此外|另外|其实|至于|还有)$")

# An intro hook line ("…有的全算自费,不少人心里没底?…小编…"): rhetoric before the answer, no excluded item.
INTRO_HOOK_LINE = re.compile(r"[?]|小编|一起来看|跟着")

# "洁牙,因牙周病治疗需要的龈上洁治除外": an exception inside a "not covered" list line is covered, no item.
EXCEPTION_CLAUSE = re.compile(r"[,;][^,;。]*除外[。;]?$")

# Longest possessor noun before 的 in "健身房、游泳馆的会员费" (a longer piece is a clause, read elsewhere) ...
POSSESSOR_MAX_CHARS = 6

# ... and a place inside a thing or a time is no possessor of the list ("健身卡、体检套餐中的非必要项目", "挂号费、住院期间的
# 陪护费和伙食费": the 的 is the last one's).
LOCATIVE_POSSESSOR_END = re.compile(r"(?:中|内|里|期间)$")

# A kind-of modifier in the last piece of a list ("美容整形、非治疗性质的体检", "自费药品、超标准的医用耗材"): it qualifies
# that piece only.
ATTRIBUTE_MODIFIER = re.compile(r"^非[^、的]{1,8}$|^超[^、的]{1,6}$|^[^、的]{1,8}(?:性质|性|类)$")

# An act named as the thing paid for ("出具诊断证明的费用"): before a generic head, the 的 is that act's own.
ITEM_ACT_PHRASE = re.compile(r"^(?:出具|开具|办理|复印|邮寄|打印|鉴定|制作)")

# Head nouns that let a 的-phrase item run longer than a bare one ("特需病房超出普通床位标准的床位费差价").
ITEM_HEAD_NOUN = re.compile(r"(?:费用|费|药品|项目|部分|耗材|材料|差价|差额|饮片|器具|用品|服务)$")

# 以及 between two items of a list ("…的药品以及超出年度限额的部分"), unless it sits inside a modifier wrapped
# around the list: a lead before it ("因自杀、自残以及…") or a cause/event verb before the last 的 ("…以及…所致的").
LIST_ALSO = "以及"

# ... a last part opening a modifier of its own ("…以及主要起营养滋补作用的中药饮片") is its own item whatever its tail.
ITEM_OWN_MODIFIER_LEAD = re.compile(r"^(?:主要起|起|因为|因|由于|以|在|用于|应当由|应由|应当从|应从)")

# Head nouns that end an item on both sides of a 和/及 ("在境外就医的费用和体检费用"): two items, not one modifier.
CONJOINED_ITEM_HEAD = re.compile(r"(?:费用|费|药品|项目|部分|耗材|材料)$")

# "住院期间发生的护理费用,由医保按住院待遇结算,长护险不再重复支付": the route another payer takes is no subject.
OTHER_PAYER_ROUTE = re.compile(r"^由(?:基本)?(?:医保|医疗保险|统筹基金|医保基金|工伤保险|生育保险)[^,。;]{0,12}(?:结算|支付|报销)$")

# A connective opening the subject clause ("但知名专家特需门诊的诊查费需个人自付"): not part of the item.
SUBJECT_LEADING_CONNECTIVE = re.compile(r"^(?:但是|但|而且|而|不过|可是|另外|此外|至于|还有|答案是)")

# "这几类项目需个人全额承担,如烤瓷冠…等", "但以下项目不在支付范围内,如…等": a subject pointing at a list given after
# the negation; the items are the examples that follow.
SUBJECT_POINTS_AHEAD = re.compile(r"^(?:还有|另外|此外)?(?:这几类|这几种|这几项|几项)[^,。;]{0,12}$|(?:这几类|这几种|这几项|这几样|以下几项|这些|以下|下列|如下|这类|此类|几类|几种|几项)[^,。;]{0,4}?(?:项目|费用|情况|药品|服务)?$")

# A concession inside the subject clause ("种植体费用虽执行集采价格"): the subject is the part before it.
SUBJECT_CONCESSION = re.compile(r"(?:虽然|虽|尽管|即使|即便|就算|哪怕).*$")

# A clause continuing the list of the clause before it ("美容、健美类项目,以及不影响功能的整容手术").
SUBJECT_CONTINUATION = re.compile(r"^(?:以及|及|和|与(?![^,。;]{1,12}?(?:无关|相关|有关))|或|还有|或者)")

# A head before 的 that is a condition on the thing ("未经转诊备案的省外就医费用", "与病种无关的检查"): the whole phrase is the item.
NEGATED_CONDITION_HEAD = re.compile(r"^(?:未经|未|没有|无|非|超出|超过|不符合|违反|与[^的,。]{1,12}?无关)")

# A scope modifier ("基本医保目录外的药品、诊疗项目费用") on a list's first piece is a condition over the whole list.
SCOPE_OUTSIDE_HEAD = re.compile(r"^[^的,。]{2,12}(?:以外|之外|外)$")

# The payer glued to the end of a negated list ("…口腔保健用品费用医保不予支付").
SUBJECT_PAYER_TAIL = re.compile(r"(?:基本医疗保险|医疗保险|医保|统筹)(?:基金)?$")

# The generic noun after a subject's last 的 ("进口材料、特殊耗材的费用"): the items are before it.
NEGATED_GENERIC_NOUN = re.compile(r"^(?:医疗|住院|门诊|就医|看病)?(?:费用|项目|部分|支出|钱|花费|开销|开支)$")

# A 的-modifier wrapped around a whole list ("因打架斗殴、酗酒造成伤害的", "购买食品、化妆品的", "主要起减肥、美容作用的"):
# the words opening it ...
MODIFIER_LIST_LEAD = re.compile(r"^(?:(?:主要)?起(?=.*(?:作用|功效)$)|因为|因|由于|应当由|应由)")

# ... and the words closing it, so the items in between are left.
MODIFIER_LIST_TAIL = re.compile(r"(?:(?:所致|造成|导致|引起|引发|发生|产生)[^、]{0,6}|作用|功效|(?:基金)?(?:支付|承担|负担))$")

# A head noun the last piece of a list carries for every piece ("与病种无关的检查、药品费用"; each of "A费用、B费用" has its own).
LIST_SHARED_HEAD = re.compile(r"(?:费用|项目|支出|部分)$")

# A modifier opening with a cause ("因自杀、自残发生的医疗费用"): its list names causes, one item each, even before an event.
CAUSE_LEAD = re.compile(r"^(?:因为|因|由于)")

# A clause that only dates the negation after it ("断缴期间的费用,补缴后也不能追溯报销"): the subject is the clause before.
SUBJECT_TIME_CLAUSE = re.compile(r"(?:时|后|之后|以后|前|之前)$")

# A modifier of the first of two or more listed things that ends in an event ("入住护理机构产生的床位费、伙食费",
# "住院期间使用的自费药品和…耗材", "住院期间的陪护费、护工费"), or names whose they are ("新生儿的奶粉、纸尿裤"): it
# sets the scene for all of them, the things are the items (settled after blind24: three of five labellers drop a bare time, two kept it).
SHARED_EVENT_MODIFIER = re.compile(r"(?:产生|发生|使用|购买|期间|^新生儿|^婴儿|^孩子|^患者|^家属)$")

# A bare time before the first item ("住院期间的伙食费、…"): a scene for the whole list even when later items have
# modifiers of their own.
SCENE_TIME_MODIFIER = re.compile(r"^[^,。;]{1,6}期间$")

# ... unless the first thing is a generic cost this short ("…就医发生的自付费用": the modifier is its whole content).
GENERIC_HEAD_MAX_CHARS = 4

# A head ending in an event before the generic noun ("等待期内发生的医疗费用"): the whole phrase is the item.
NEGATED_EVENT_HEAD = re.compile(r"(?:发生|产生|支出|花|花费)$")

# A copula tail after a negated list ("种植牙、洁治等属于美容或修复项目"): the items are before it.
SUBJECT_COPULA_TAIL = re.compile(r"(?:等)?(?:均|都)?(?:不属于|属于|不属|均属|被视为|均为|不是)[^,。]*$")

# A clause that classifies the list before it ("种植牙、…等,属于美容项目,医保不予报销"): the list is the subject.
SUBJECT_CLASSIFICATION = re.compile(r"^(?:均|都)?(?:属于|属|被视为|系)")

# A clause that only states a condition or a classification cannot be the negated subject ("属于…以内的").
SUBJECT_CONDITION = re.compile(r"^(?:属于|若|如果|凡)|的$")

# A negated subject that is a time or case ("补缴后", "出院时"), a threshold ("起付线以下的费用") or a contribution
# ("个人缴费部分由个人承担") names no excluded thing.
NOT_EXCLUDED_SUBJECT = re.compile(r"(?:时|后|之后|以后|前|之前)$|起付|封顶|限额|比例|缴费(?:部分|基数|金额|标准)|^(?:医保|社保|个人)?保费$"
                                  # ... nor one pointing back at items named elsewhere ("上述自费项目")
                                  r"|上述|前述|以上|(?:时间|期间|时限)$"
                                  # ... nor a vague quantity ("也有一部分费用明确…", "有些药")
                                  r"|^(?:但|也|还|其实)*(?:有)?(?:一部分|部分|有些|一些|不少|很多)(?:费用|项目|药品|药|支出)"
                                  # ... nor a price ("单颗全流程费用不超过4500元")
                                  r"|\d+元")

# ... except the part above a cap ("超过病种年度支付限额的部分由个人负担"): the fund stops there, so that part is excluded.
ABOVE_CAP_SUBJECT = re.compile(r"^(?:超过|超出|高于)[^,。;]*(?:限额|封顶)")

# A sub-heading naming a procedure, documents or a deadline ends a "not covered" list ("报销方式:", "所需材料:").
NEGATIVE_GROUP_RESET = re.compile(r"流程|步骤|方式|方法|途径|渠道|办理|(?:所需|准备|申请|提交|携带)(?:的)?(?:材料|证件|资料)|时限|期限|时间|多久|申请|申领|备案|如何|怎么|怎样")

# In a "not covered" list, a line saying it may be covered somewhere ("部分地区…可能纳入报销") is a hedge, not an item.
HEDGED_COVERED = re.compile(r"(?:可能|部分地区|个别地区|有的地区|有些地方|正在试点)[^,。;]{0,12}?(?:纳入|报销|能报|可报|支付|补助|补贴)"
                            # a question or a "depends" ("能否给补贴,要看…", "各地规定不一样", "可以申请救助")
                            r"|能否|能不能|是否|要看|视情况|各地[^,。;]{0,4}不(?:一|同)|(?<!不)可以(?:报|申请|刷|享受)")

# "按规定应由工伤保险、生育保险基金支付的费用": a cost another payer owes, one item with its printed payer list.
OTHER_PAYER_LIABILITY = re.compile(r"^(?:按规定|依法)?应(?:当)?(?:由|从)[^,。;的]{2,20}?(?:支付|负担|承担|赔付)的[^,。;、的]{0,8}?(?:费用|费|部分)$")

# A line saying something IS covered (vetoes an exclusion block that does not fit the line).
POSITIVE_LINE = re.compile(
    # "住院期间发生的费用走住院报销": paid by another route
    r"(?<!不)(?<!不能)走[^,。;]{1,6}?(?:报销|结算)|"
    r"可报销|可以报销|能报销|予以报销|(?<!不)纳入[^,。]{0,14}范围|覆盖|(?<!不)(?:可以|可|能)用于|按[^,。]{0,12}(?:比例|标准)(?:报销|执行|支付)|给付范围|视同住院|可享受|可以享受"
    # "…的费用可以使用,这部分不受限制": an allowed use
    r"|(?<!不)(?:可以|可|能)使用(?=[,。;]|$)|不受限制|(?<!不)(?:可以|能)支付的费用(?:包括|有)|(?<!不)(?:可以|可|能)用[^,。;]{1,8}?支付"
    r"|(?<!不)(?:可以|可|能)(?:按规定)?纳入[^,。;]{0,8}报销|(?<!不)(?:可以|可|能)(?:按规定|按比例|正常)报销|才是[^,。;]{0,10}(?:报销|支付)(?:对象|范围)"
    # "…仍属于医保支付范围", "…按规定从工伤保险基金支付" (not "应从…基金支付的费用", another payer's liability)
    # "门特待遇只支付与认定病种相关的药品": what is paid (the rest is excluded elsewhere); "由…基金按规定支付"
    r"|(?:只|仅)(?:支付|报销)|(?<![应当])由[^,。;的]{1,10}?基金(?:按规定|按标准)?支付(?=[,。;]|$)"
    r"|(?<!不)属于[^,。;]{0,8}(?:支付|报销)范围(?![内]*的)|(?<![应当不])(?:按规定)?从[^,。;的]{1,10}?基金(?:中)?支付(?=[,。;]|$)"
)

# A clause that refers back to the listed items ("这些项目通常…").
SUBJECT_REFERENT = re.compile(r"^(?:这些|此类|以上|上述|该类|这类|该等|属于|被视为|通常|一般|均|都|是|系)")

# Words before a list of examples ("如种植牙、…", "购买化妆品、…").
LIST_LEAD = re.compile(r"^(?:如|例如|比如|像|包括|主要包括|诸如|其中|购买)")

# Leads that give examples ("如一次性冰袋、…、可重复使用的护具等"): concrete things, so a 的 in the last one is its own.
EXAMPLE_LEAD = re.compile(r"^(?:如|例如|比如|像|诸如)")

# "康复治疗超出医保限定次数、限定天数的部分", "已由商业保险、慈善机构赔付或捐助的部分": a list inside a modifier
# clause (超出…, 已…赔付) with a generic head is one item.
MODIFIER_CLAUSE_START = re.compile(r"超出|超过|高于|高出|以外|之外|^已(?:经)?|^由|获得|应由|应当由|^因(?:为)?|^不符合")

# "单人间、套间等特需病房超出普通床位标准的差价": a list closed by 等 + a category that a 的-modifier goes on to
# qualify is one thing, the whole printed phrase (before a generic 项目/费用 the listed items are the things).
LIST_CATEGORY_MODIFIER = re.compile(r"等[^、的,。;]{1,16}的")

# Words after a list ("…洗牙等", "…等项目").
LIST_TAIL = re.compile(r"(?:等等|等)(?:[^、,。;]{0,10}的)?(?:项目|费用|药品|治疗|服务|情况|检查)?$")

# Adverbs between a subject and its negation ("…特殊耗材可能不在…").
SUBJECT_ADVERB_TAIL = re.compile(r"(?:可能|通常|一般|均|都|也|则|将|是|仍|亦|同样|统一|直接|暂时|暂|尚|目前|被视为|原则上|一律|一概|全部|本来就|本来|本就|就)+$")

# The noun a negative header is about ("不纳入…范围的药品包括" → 药品).
NEGATIVE_HEADER_NOUN = re.compile(
    rf"(?:{_NEG_SCOPE}|{_NEG_PAYMENT}|{_SELF_PAY})[^的,:]{{0,16}}?的(?P<noun>[^,:]{{1,20}}?)"
    r"(?:[,])?(?:主要|一般)?(?:包括|有|如下)?$"
)

# Categories recognised inside a header noun, first match wins.
EXCLUSION_CATEGORIES: tuple[str, ...] = ("服务设施", "诊疗项目", "医用材料", "医用耗材", "药品", "生活服务", "牙科项目", "美容")

# Generic categories for a negative header without a "不…的X" noun ("以下费用医保不予报销", "自费项目").
EXCLUSION_GENERIC_CATEGORIES: tuple[str, ...] = ("费用", "项目", "情况")

# Longest exclusion / coverage item kept from a list (longer pieces are clauses).
EXCLUSION_ITEM_MAX_CHARS = 15

# ... except a 的-phrase ending in an item's head noun ("未经批准到统筹地区以外就医的费用"), which may run this long.
EXCLUSION_HEADED_ITEM_MAX_CHARS = 18

# Longest whole line taken as one exclusion item when it is not a list.
EXCLUSION_LINE_MAX_CHARS = 32

# Brackets kept inside an item: a one-character insertion like "就(转)诊", "干(水)果类".
KEPT_PARENTHESIS_MAX_CHARS = 1

# "将牙片、化验等项目纳入…范围" / "覆盖牙片、化验…等项目": things covered, listed inside a sentence.
COVERAGE_LIST = re.compile(r"(?:将|把)(?P<a>[^,。]{2,40}?)纳入|覆盖(?P<b>[^,。]{2,40})")

# ---------------------------------------------------------------------------------------------
# CONTACTS: service hotlines.
# ---------------------------------------------------------------------------------------------

# A hotline number: the 123xx service numbers, 95xxx, landlines, 400 numbers.
HOTLINE = re.compile(r"(?<!\d)(?:123\d{2}|95\d{3}|0\d{2,3}-\d{7,8}|400-?\d{3}-?\d{4})(?!\d)")

# The line must talk about calling for a number to count as a hotline.
HOTLINE_CONTEXT = re.compile(r"热线|电话|拨打|致电|咨询")

# ---------------------------------------------------------------------------------------------
# RECORD HELPERS: small shapes used while walking a section's lines.
# ---------------------------------------------------------------------------------------------

# "方式一:线上办理": an enumerated label whose text is the real sub-heading.
ENUMERATED_LABEL = re.compile(r"^(?:(?:方式|方法|途径|渠道|情况|类型|步骤)[一二三四五六七八九十\d]{1,2}|第[一二三四五六七八九十\d]{1,2}步)$")

# "③在境外就医发生的费用": a cost named with its 的-modifier is a list item, never a topic.
ITEM_COST_PHRASE = re.compile(r"的[^,。;的]{0,6}?(?:费用|费|部分)$")

# A numbered colon-less line that is a topic sub-heading, not a list item ("2.基本医疗服务设施报销").
NUMBERED_TOPIC = re.compile(r"报销|范围|支付|待遇|费用$")

# A sub-heading that is a lead sentence listing items ("…包括:", "…如下:"): its short lines are items.
LIST_HEADER_END = re.compile(r"(?:包括|如下|有|以下)$")

# Subjects of a negation that are the payer, not the thing excluded ("医保基金不予报销").
PAYER_SUBJECT = re.compile(r"^(?:[^,。的费]{0,10}(?:基金|账户|帐户|资金)|医保|医疗保险|基本医疗保险|基本医保|统筹|社保|医保卡|社保卡"
                           r"|(?:职工|居民|城乡居民)?(?:医保|医疗保险)|生育保险|工伤保险|大病保险|长护险|长期护理保险)$")
