"""The `shebao` command line: help, errors, export, and `scrapy crawl` from the project root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.cli import main
from crawler.fixture_site.content import load_seeds
from crawler.fixture_site.render import build_site
from crawler.fixture_site.server import base_url, serve_site
from db.models import Article, ProcessJob
from db.session import make_engine
from tests.conftest import crawl, run_cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--help"], "article_view"),  # the top level names the views
        (["crawl", "--help"], "--start-url"),  # crawl explains its options
        (["crawl", "--help"], "conditional requests"),  # and how re-runs behave
        (["export", "--help"], "Excel"),  # export says why the BOM
        (["export", "--help"], "formula"),  # and what it does to formula-like cells
        (["compare", "--help"], "side by side"),  # compare says what the matrix shows
        (["browse", "--help"], "Datasette"),  # browse names the tool and its extra
    ],
)
def test_help(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    assert expected in capsys.readouterr().out


def test_memory_database_refused_with_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    # the crawl and its worker are two processes: an in-memory SQLite cannot be shared
    assert main(["crawl", "--db", "sqlite://", "--start-url", "http://127.0.0.1:9/"]) == 2
    assert "file or server database" in capsys.readouterr().err


def test_export_csv_has_bom_and_rows(tmp_path: Path) -> None:
    # export writes UTF-8 with a BOM (Excel) and one row per article
    db_url = f"sqlite:///{tmp_path / 'x.db'}"
    with serve_site(build_site(load_seeds(), traps=False)) as server:
        crawl(db_url, base_url(server))
    out = tmp_path / "articles.csv"
    assert main(["export", "--db", db_url, "--view", "article_view", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("url,title,published_at") and len(lines) == 3
    assert any("西宁市" in line for line in lines)


def _scrapy_crawl(db_url: str, start_url: str, *settings: str) -> None:
    """Run `scrapy crawl shebao` from the project root, as an operator would."""
    options = [a for setting in ("AUTOTHROTTLE_ENABLED=0", "LOG_LEVEL=WARNING", *settings) for a in ("-s", setting)]
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "shebao", "-a", f"start_urls={start_url}",
         "-s", f"SHEBAO_DB_URL={db_url}", *options],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_scrapy_crawl_from_project_root(tmp_path: Path) -> None:
    # `scrapy crawl shebao` works from the project root and processes what it fetched
    db_url = f"sqlite:///{tmp_path / 'scrapy.db'}"
    with serve_site(build_site(load_seeds(), traps=False)) as server:
        _scrapy_crawl(db_url, base_url(server))
    engine = make_engine(db_url)
    with engine.connect() as connection:
        processed = connection.scalar(select(func.count()).select_from(Article).where(Article.city.is_not(None)))
    engine.dispose()
    assert processed == 2


def test_pages_stored_without_worker_are_processed_later(tmp_path: Path) -> None:
    # with the worker switched off (NotConfigured), pages wait in the queue; `shebao process` finishes them
    db_url = f"sqlite:///{tmp_path / 'later.db'}"
    with serve_site(build_site(load_seeds(), traps=False)) as server:
        _scrapy_crawl(db_url, base_url(server), "SHEBAO_WORKER_ENABLED=0")
    engine = make_engine(db_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Article)) == 0
    assert main(["process", "--db", db_url]) == 0
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Article)) == 2
    engine.dispose()


def test_max_pages_stops_early(tmp_path: Path) -> None:
    # --max-pages ends the crawl after about that many responses; what was fetched is still processed
    db_url = f"sqlite:///{tmp_path / 'max.db'}"
    site = build_site()
    with serve_site(site) as server:
        run_cli("crawl", "--start-url", base_url(server), "--db", db_url, "--no-throttle", "--max-pages", "12",
                "--log-level", "WARNING")
    engine = make_engine(db_url)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Article))
        pending = connection.scalar(select(func.count()).select_from(ProcessJob).where(ProcessJob.state == "pending"))
    engine.dispose()
    assert 0 < stored < len(site.articles) // 2
    assert pending == 0


def test_retry_failed_never_rolls_an_article_back(tmp_path: Path) -> None:
    # an old failed job is not re-queued once a newer job of the same article succeeded
    from db.migrations import upgrade
    from db.session import session_scope
    from db.store import store_fetched_article
    from schema.records import FetchedArticle, FetchedPage

    db_url = f"sqlite:///{tmp_path / 'retry.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    url = "http://127.0.0.1/yiliao/yibaozhishi/202505/5.html"
    good = ("<html><body><h1 id='articleTitle'>西宁医保参保地怎么变更?(05/02)</h1>"
            "<div id='articleText'><p>西宁医保参保地怎么变更去哪里改</p><p>新内容:15个工作日内完成。</p></div></body></html>")
    for body, exit_code in (("", 1), (good, 0)):  # the first version fails (empty page), the second succeeds
        with session_scope(engine) as session:
            page = FetchedPage(url, 1, 200, body.encode(), "text/html", "2026-01-01T00:00:00+00:00")
            store_fetched_article(session, FetchedArticle(5, url, [page]))
        assert main(["process", "--db", db_url]) == exit_code
    assert main(["process", "--db", db_url, "--retry-failed"]) == 0
    with engine.connect() as connection:
        body_text = connection.scalar(select(Article.body_text))
    engine.dispose()
    assert "新内容" in body_text
