"""Stored excerpts of live pages (`../shared/live/NN.txt`: URL on line 1, then the page's text) as raw pages.

The excerpts are plain text with no markup, so each line becomes a `<p>` of the site's template for
its host (`normalize.extract.page_from_text`): the pipeline sees them as it would see a page whose
headings carry no tags.
"""

from __future__ import annotations

from pathlib import Path

from normalize.extract import RawPage, page_from_text

LIVE_DIR = Path(__file__).resolve().parents[2] / "shared" / "live"


def excerpt_page(path: Path) -> RawPage:
    """The excerpt as one raw HTML page of the site's template."""
    url, _, text = path.read_text(encoding="utf-8").partition("\n")
    return page_from_text(text, url.strip())


def live_excerpts(directory: Path = LIVE_DIR) -> dict[str, RawPage]:
    """Every excerpt by file name ("01.txt"); empty when ../shared/live is absent."""
    if not directory.is_dir():
        return {}
    return {path.name: excerpt_page(path) for path in sorted(directory.glob("*.txt"))}
