"""`shebao explain`: which rule typed each line of a page, from a URL, an .html file or a text file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.fixture_site.content import load_articles
from crawler.fixture_site.render import build_site
from crawler.fixture_site.server import base_url, serve_site
from normalize.explain import SourceError, explain_pages, load_source
from tests.conftest import run_cli

TEXT_PAGE = "西宁医保参保地怎么变更?\n线上办理:\n登录APP,点击参保地变更。\n办理时限:\n一般15个工作日内完成。\n"


def test_text_file_is_explained_section_by_section(tmp_path: Path) -> None:
    # a text file: one paragraph per line; the heading splits, each line shows its rules and records
    source = tmp_path / "page.txt"
    source.write_text(TEXT_PAGE, encoding="utf-8")
    report = explain_pages(load_source(str(source)))
    assert "section 0: 西宁医保参保地怎么变更?" in report
    assert "step rule: instruction" in report
    assert "→ timeframe: max=15.0, unit=workday, status=current" in report


def test_url_line_first_is_a_live_excerpt(tmp_path: Path) -> None:
    # a first line holding a URL names the page, it is not body text
    source = tmp_path / "excerpt.txt"
    source.write_text("https://m.shebao.southmoney.com/yiliao/yibaozhishi/202508/1.html\n" + TEXT_PAGE, encoding="utf-8")
    pages = load_source(str(source))
    assert pages[0].url.endswith("/1.html") and "southmoney" not in explain_pages(pages)


def test_url_is_fetched() -> None:
    # an http URL is fetched (here the fixture site on loopback) and explained
    article = load_articles("articles")[0]
    with serve_site(build_site([article], traps=False)) as server:
        report = explain_pages(load_source(base_url(server) + article.path))
    assert "region:" in report and "section" in report


@pytest.mark.parametrize("source", ["/no/such/file.txt", "http://127.0.0.1:9/unreachable.html"])
def test_unreadable_source_is_a_clear_error(source: str) -> None:
    # a missing file or a refused connection is one SourceError with the source named
    with pytest.raises(SourceError, match="no such file|cannot fetch"):
        load_source(source)


def test_cli_explain_line() -> None:
    # the CLI prints the deciding rule and the record with its actor
    result = run_cli("explain", "--line", "需由用人单位登录单位网厅为职工办理增员。", "--block", "办理流程")
    assert "step rule: actor-action" in result.stdout and "actor=employer" in result.stdout
