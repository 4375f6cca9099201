"""Stored excerpts of live pages (`../shared/live/NN.txt`: URL on line 1, then the page's text) as raw pages.

The excerpts are plain text with no markup, so each line becomes a `<p>` of the site's template for
its host (mobile for m., desktop otherwise): the pipeline sees them as it would see a page whose
headings carry no tags. A first line followed by a byline is the title (`<h1>`).
"""

from __future__ import annotations

import html
from pathlib import Path

from normalize.extract import RawPage
from normalize.patterns import BYLINE

LIVE_DIR = Path(__file__).resolve().parents[2] / "shared" / "live"


def excerpt_page(path: Path) -> RawPage:
    """The excerpt as one raw HTML page of the site's template."""
    url, *rest = path.read_text(encoding="utf-8").splitlines()
    lines = [line.strip() for line in rest if line.strip()]
    title = ""
    if len(lines) > 1 and BYLINE.match(lines[1]):
        title, lines = lines[0], lines[2:]
    elif lines and BYLINE.match(lines[0]):
        lines = lines[1:]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    heading = f'<h1 id="articleTitle">{html.escape(title)}</h1>' if title else ""
    container = ('<div class="articleCon">' if "//m." in url else '<div class="content" id="articleText">') + body + "</div>"
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div class="article">{heading}{container}</div></body></html>'
    return RawPage(url.strip(), page.encode("utf-8"), "text/html; charset=utf-8")


def live_excerpts(directory: Path = LIVE_DIR) -> dict[str, RawPage]:
    """Every excerpt by file name ("01.txt"); empty when ../shared/live is absent."""
    if not directory.is_dir():
        return {}
    return {path.name: excerpt_page(path) for path in sorted(directory.glob("*.txt"))}
