"""Data classes that carry an article through the pipeline (extract → normalize → dedup → store)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from schema.vocabulary import RecordType


@dataclass(frozen=True, slots=True)
class Region:
    """Official names and the 6-digit adcode of the article's city (any part may be unknown)."""

    province: str | None = None
    city: str | None = None
    adcode: str | None = None
    # Every spelling of the city/province seen in the article ("山东济南", "济南", "山东"), for masking.
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    """One fact from one line of a section."""

    type: RecordType
    text: str  # the source line, as printed
    section_index: int  # 0-based position of its section in the article
    block: str | None = None  # the sub-heading the line sits under, without the colon
    item: str | None = None  # material / exclusion / coverage: the thing itself
    qualifiers: tuple[str, ...] = ()  # material: Qualifier values
    optional: bool = False  # material: 如需 / 如适用 / 如涉及
    category: str | None = None  # exclusion: from its block (美容类项目, 药品 ...)
    value_min: float | None = None  # timeframe
    value_max: float | None = None  # timeframe
    unit: str | None = None  # timeframe: Unit value
    bound: str | None = None  # timeframe: Bound value
    applies_to: str | None = None  # timeframe: AppliesTo value
    ordinal: int | None = None  # step: 1-based position in its block
    channel: str | None = None  # step: Channel value
    menu_path: tuple[str, ...] = ()  # step: "市民中心"→"医疗保险"→"参保地"
    actor: str | None = None  # step: Actor value (who acts)
    status: str | None = None  # timeframe: TimeframeStatus value (whose duration it is)


@dataclass(slots=True)
class Section:
    """A city-prefixed question heading and the lines under it (heading None: the lines before the first)."""

    index: int
    heading: str | None
    lines: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


class LineMark:
    """What the markup says about a body line (trafilatura's XML): a tagged heading, an all-bold line, or plain."""

    HEADING = "heading"
    BOLD = "bold"
    PLAIN = ""


@dataclass(slots=True)
class ExtractedArticle:
    """What extraction gets out of an article's pages, before normalization."""

    url: str
    title: str | None
    published_at: datetime | None  # timezone-aware (+08:00)
    category: str | None  # URL path category, e.g. "yiliao/yibaozhishi"
    body_lines: list[str]  # body paragraphs, boilerplate removed, in order
    problems: list[str] = field(default_factory=list)  # what was wrong but not fatal (bad date, no title)
    line_marks: list[str] = field(default_factory=list)  # LineMark of each body line ([] = all plain)

    @property
    def body_text(self) -> str:
        return "\n".join(self.body_lines)


@dataclass(slots=True)
class NormalizedArticle:
    """An extracted article with its region, sections and records."""

    article: ExtractedArticle
    region: Region
    intro: list[str]
    sections: list[Section]

    @property
    def records(self) -> list[Record]:
        return [r for s in self.sections for r in s.records]


@dataclass(slots=True)
class FetchedPage:
    """One page as the crawler received it (a continuation page has page_no > 1)."""

    url: str
    page_no: int
    status: int
    body: bytes
    content_type: str | None
    fetched_at: str  # ISO 8601, UTC
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class FetchedArticle:
    """All pages of one article, stitched by the spider; `url` is the first page's URL."""

    article_id: int
    url: str
    pages: list[FetchedPage]
    complete: bool = True  # False when a continuation page could not be fetched


@dataclass(slots=True)
class ArticleAliasSeen:
    """Another URL under which the crawl met an article it already has (host mirror)."""

    article_id: int
    url: str


@dataclass(slots=True)
class FetchFailure:
    """A URL the crawl could not fetch, and why."""

    url: str
    reason: str
    stage: str = "fetch"
