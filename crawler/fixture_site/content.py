"""Load the fixture site's articles: the bundled article files, the evaluation sets and the real seed pages.

Article files (`articles/*.txt` in this package, `eval/sets/<set>/*.txt` in a source checkout) have
`key: value` header lines, a `---` line, then one paragraph per line; `# ` marks a section heading
and `## ` a sub-heading. Seed files are real pages as plain text (title, byline, body, footer,
related-article list); they are third-party text, so they are read from `../shared/seeds/` beside
the checkout and never bundled.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

# Paragraph kinds a fixture article is made of.
PARAGRAPH = "p"
HEADING = "h"
SUBHEADING = "sub"

# Where each real seed page lives on the fixture site (id and category chosen to match its date).
SEED_PLACEMENT: dict[str, tuple[int, str]] = {
    "000_d31b16e6720416bb.txt": (1093915, "yiliao/yibaozhishi"),
    "001_cf97d637fe11c84e.txt": (1976231, "yiliao/yibaozhishi"),
}

_SEED_BYLINE = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?)\s*社保网$")
_SEED_FOOTER = re.compile(r"^(?:温馨提示[::]本数据仅供参考|社保网声明[::])")
_RELATED_ENTRY = re.compile(r"(.+?)\s(\d{4}-\d{2}-\d{2} \d{2}:\d{2})(医保知识)\s*")


@dataclass(frozen=True)
class FixtureArticle:
    """One article of the fixture site, before rendering."""

    id: int
    category: str
    published: str  # "YYYY-MM-DD HH:MM:SS", Beijing time
    title: str
    paragraphs: tuple[tuple[str, str], ...]  # (kind, text)
    related: tuple[tuple[str, str], ...] = field(default=())  # (title, "YYYY-MM-DD HH:MM") from a seed

    @property
    def month(self) -> str:
        return self.published[:4] + self.published[5:7]

    @property
    def path(self) -> str:
        return f"/{self.category}/{self.month}/{self.id}.html"

    def with_id(self, new_id: int, **changes: object) -> FixtureArticle:
        return replace(self, id=new_id, **changes)


def parse_article_file(text: str) -> FixtureArticle:
    """Parse the `key: value` / `---` / body format of `articles/*.txt`."""
    header, _, body = text.partition("\n---\n")
    meta = dict(line.split(":", 1) for line in header.strip().splitlines() if ":" in line)
    meta = {k.strip(): v.strip() for k, v in meta.items()}
    paragraphs: list[tuple[str, str]] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            paragraphs.append((SUBHEADING, line[3:].strip()))
        elif line.startswith("# "):
            paragraphs.append((HEADING, line[2:].strip()))
        else:
            paragraphs.append((PARAGRAPH, line))
    published = meta["published"]
    if len(published) == len("YYYY-MM-DD HH:MM"):
        published += ":00"  # the site prints seconds; an article file may leave them out
    return FixtureArticle(
        id=int(meta["id"]),
        category=meta.get("category", "yiliao/yibaozhishi").strip("/"),
        published=published,
        title=meta["title"],
        paragraphs=tuple(paragraphs),
    )


def parse_seed_file(name: str, text: str) -> FixtureArticle:
    """Turn a real page saved as text into a fixture article (headings stay plain paragraphs)."""
    article_id, category = SEED_PLACEMENT.get(name, (1000000 + zlib.crc32(name.encode()) % 100000, "yiliao/yibaozhishi"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, byline, rest = lines[0], lines[1], lines[2:]
    match = _SEED_BYLINE.match(byline)
    published = match.group(1) if match else "2025-01-01 00:00:00"
    if len(published) == 16:
        published += ":00"
    body: list[tuple[str, str]] = []
    related: list[tuple[str, str]] = []
    in_footer = False
    for line in rest:
        if _SEED_FOOTER.match(line):
            in_footer = True
            continue
        if in_footer:
            related.extend((m.group(1).strip(), m.group(2)) for m in _RELATED_ENTRY.finditer(line))
            continue
        kind = SUBHEADING if line.endswith((":", ":")) else PARAGRAPH
        body.append((kind, line))
    return FixtureArticle(article_id, category, published, title, tuple(body), tuple(related))


# A source checkout: the evaluation sets live in eval/sets/, the shared inputs (seed pages) beside it.
CHECKOUT = Path(__file__).resolve().parents[2]
EVAL_SETS_DIR = CHECKOUT / "eval" / "sets"
SEEDS_DIR = CHECKOUT.parent / "shared" / "seeds"


def load_article_dir(directory: Path) -> list[FixtureArticle]:
    """The article files of one folder, sorted by id."""
    articles = [parse_article_file(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.txt"))]
    return sorted(articles, key=lambda a: a.id)


def load_articles(folder: str = "articles") -> list[FixtureArticle]:
    """The bundled articles (`articles`), or an evaluation set of a source checkout (`blind7`)."""
    if folder == "articles":
        return load_article_dir(Path(str(resources.files("crawler.fixture_site") / folder)))
    return load_article_dir(EVAL_SETS_DIR / folder)


def eval_set_names() -> list[str]:
    """The evaluation sets present in this checkout (none in an installed package)."""
    return sorted(p.name for p in EVAL_SETS_DIR.iterdir() if p.is_dir()) if EVAL_SETS_DIR.is_dir() else []


# The fixture site's clock: evaluation-set writers date articles as they like (some after the day a test runs),
# and a publish time in the future is a quality warning the tests count; the site serves them a year earlier.
LATEST_SERVED_PUBLISHED = "2026-06-30 23:59:59"


def _served_date(article: FixtureArticle) -> FixtureArticle:
    """The article as the site serves it: a well-formed publish time after the site's clock moves back by whole
    years (a malformed one is kept: the bad-date trap)."""
    published = article.published
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", published) or published <= LATEST_SERVED_PUBLISHED:
        return article
    year = int(published[:4])
    while f"{year}{published[4:]}" > LATEST_SERVED_PUBLISHED:
        year -= 1
    return replace(article, published=f"{year}{published[4:]}")


def load_all_articles() -> list[FixtureArticle]:
    """Everything the test fixture site serves: the seed pages (when ../shared is there), the bundled
    articles and every evaluation set of the checkout (evaluation articles dated after the site's clock
    are served a year earlier, see LATEST_SERVED_PUBLISHED)."""
    eval_articles = [_served_date(a) for name in eval_set_names() for a in load_articles(name)]
    return load_seeds() + load_articles("articles") + eval_articles


def load_seeds(directory: Path | None = None) -> list[FixtureArticle]:
    """The real seed pages from ../shared/seeds (or another folder); none when it is absent."""
    directory = directory or SEEDS_DIR
    if not directory.is_dir():
        return []
    return [parse_seed_file(p.name, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.txt"))]
