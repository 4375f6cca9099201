"""The controlled vocabulary: record types, units, bounds, channels, qualifiers.

Every other layer (data classes, database CHECK constraints, validation, views) imports these
tuples instead of repeating the strings, so a new unit or channel is added in exactly one place.
"""

from enum import StrEnum


class RecordType(StrEnum):
    """What kind of fact a record states."""

    STEP = "step"  # one action of a procedure
    MATERIAL = "material"  # one document to bring
    TIMEFRAME = "timeframe"  # a duration (processing time, waiting period, ...)
    EXCLUSION = "exclusion"  # one thing that is not covered
    CONTACT = "contact"  # a hotline or service number
    COVERAGE = "coverage"  # one thing that is covered / reimbursed
    NOTE = "note"  # a factual remark that is none of the above


class Unit(StrEnum):
    """Unit of a timeframe's value_min/value_max."""

    HOUR = "hour"
    DAY = "day"
    WORKDAY = "workday"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class Bound(StrEnum):
    """How a timeframe's numbers bound the duration."""

    WITHIN = "within"  # 15个工作日内: at most value_max
    AT_LEAST = "at_least"  # 3个月以上: at least value_min
    RANGE = "range"  # 1-3个工作日: value_min..value_max
    EXACT = "exact"  # 7日: value_min == value_max
    IMMEDIATELY = "immediately"  # 即时生效: 0


class Channel(StrEnum):
    """Where a step is carried out."""

    ONLINE = "online"  # online without a more specific platform
    OFFLINE = "offline"  # at a counter / office
    PHONE = "phone"  # a hotline
    APP = "app"  # an official app (医保服务平台 APP ...)
    ALIPAY = "alipay"  # 支付宝
    WECHAT = "wechat"  # 微信 (公众号, 小程序)
    BANK_APP = "bank_app"  # a bank's app
    WEBSITE = "website"  # an official website


class Qualifier(StrEnum):
    """Form in which a material is handed in."""

    ORIGINAL = "original"  # 原件
    COPY = "copy"  # 复印件


class AppliesTo(StrEnum):
    """What a timeframe measures."""

    ONLINE = "online"  # online handling time
    OFFLINE = "offline"  # offline handling time
    WAITING_PERIOD = "waiting_period"  # 等待期 / 中断缴费
    ARRIVAL = "arrival"  # arrival of funds (到账)
    HANDLING = "handling"  # handling time without a channel
    OTHER = "other"  # any other duration


class Actor(StrEnum):
    """Who carries out a step."""

    APPLICANT = "applicant"  # the reader (default for instructions)
    OFFICE = "office"  # the insurance office / its staff ("经办机构审核通过后…")
    EMPLOYER = "employer"  # the reader's employer ("用人单位…办理增员")
    THIRD_PARTY = "third_party"  # a hospital, bank or other body


class TimeframeStatus(StrEnum):
    """Whose duration a timeframe is: only `current` is a fact about the page's city now."""

    CURRENT = "current"  # the city's duration as the page states it
    SUPERSEDED = "superseded"  # an earlier figure ("由原来的45个工作日压缩至…")
    HYPOTHETICAL = "hypothetical"  # a what-if or hedged example ("如果材料不全,可能延长至30天")
    OTHER_PLACE = "other_place"  # another city's or province's figure
    ANECDOTAL = "anecdotal"  # someone's experience ("有网友反映等了两个月")


class JobState(StrEnum):
    """Where a processing job is in its life."""

    PENDING = "pending"  # queued, nobody works on it
    RUNNING = "running"  # claimed by a worker until its lease ends
    DONE = "done"  # processed (or superseded by a newer job)
    FAILED = "failed"  # gave up after the allowed attempts; the reason is kept


class RunStatus(StrEnum):
    """How a `shebao crawl` run stands."""

    RUNNING = "running"  # holds the run lock and beats its heartbeat
    FINISHED = "finished"  # ended normally
    INTERRUPTED = "interrupted"  # stopped early (signal, killed: heartbeat went stale)
    FAILED = "failed"  # ended with an error


RECORD_TYPES: tuple[str, ...] = tuple(t.value for t in RecordType)
# The four types the analysts asked for; the others are extras.
CORE_RECORD_TYPES: tuple[str, ...] = ("material", "timeframe", "step", "exclusion")
UNITS: tuple[str, ...] = tuple(u.value for u in Unit)
BOUNDS: tuple[str, ...] = tuple(b.value for b in Bound)
CHANNELS: tuple[str, ...] = tuple(c.value for c in Channel)
QUALIFIERS: tuple[str, ...] = tuple(q.value for q in Qualifier)
APPLIES_TO: tuple[str, ...] = tuple(a.value for a in AppliesTo)
ACTORS: tuple[str, ...] = tuple(a.value for a in Actor)
TIMEFRAME_STATUSES: tuple[str, ...] = tuple(s.value for s in TimeframeStatus)
JOB_STATES: tuple[str, ...] = tuple(s.value for s in JobState)
RUN_STATUSES: tuple[str, ...] = tuple(s.value for s in RunStatus)

# Shown in place of a masked city or province name (fingerprints, topics).
CITY_MASK = "{城市}"

# Published times on the site are Beijing time.
SITE_UTC_OFFSET_HOURS = 8
