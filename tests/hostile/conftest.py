"""Fixtures of the hostile-input tests: a small fixture site (the bundled articles, no traps)."""

from __future__ import annotations

from crawler.fixture_site.content import load_articles
from crawler.fixture_site.render import FixtureSite, build_site


def small_site() -> FixtureSite:
    """The bundled articles only, without the built-in traps: quick to crawl on a loaded machine."""
    return build_site(load_articles("articles"), traps=False)
