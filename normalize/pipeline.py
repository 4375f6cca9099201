"""The thin orchestrator of normalization: raw pages → extracted article → region → sections → records."""

from __future__ import annotations

from collections.abc import Sequence

from normalize.extract import RawPage, extract_article
from normalize.records import section_records
from normalize.records.walk import LineTrace
from normalize.region import recognize_region
from normalize.sections import heading_candidates, split_sections
from schema.records import ExtractedArticle, NormalizedArticle


def normalize_article(article: ExtractedArticle, traces: dict[int, list[LineTrace]] | None = None) -> NormalizedArticle:
    """Find the region from title + heading-shaped lines, then split with the city's names, then type lines.
    With `traces`, each section's line traces (which rule typed each line) are put there by section index."""
    region = recognize_region(article.title, heading_candidates(article.body_lines, article.line_marks))
    intro, sections = split_sections(article.body_lines, region.names, article.line_marks)
    for section in sections:
        trace = traces.setdefault(section.index, []) if traces is not None else None
        try:
            section.records = section_records(section, region.names, trace)
        except Exception as error:  # one hostile section (a freak line) costs its records, not the article
            section.records = []
            article.problems.append(f"section {section.index + 1}: records not read ({type(error).__name__}: {error})"[:300])
    return NormalizedArticle(article=article, region=region, intro=intro, sections=sections)


def process_pages(pages: Sequence[RawPage]) -> NormalizedArticle:
    """Everything normalization does for one article, from its raw pages (first page first)."""
    return normalize_article(extract_article(pages))
