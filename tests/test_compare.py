"""`shebao compare`: the fact × city matrix of one topic, as text, CSV and an HTML page a real browser shows."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from sqlalchemy import Engine

from crawler.cli import main
from db.compare import Comparison, compare_topic, duration, render_html, write_comparison
from tests.builders import Fact, Page, insert_pages
from tests.conftest import service_unavailable

HOSTILE_NOTE = "<script>document.title='owned'</script><b>粗体</b>"


def _id_card() -> Fact:
    return Fact("material", "身份证原件", {"item": "身份证"}, record_id="r-id-card")


def _register() -> Fact:
    return Fact("material", "户口簿", {"item": "户口簿"}, record_id="r-register")


def _offline(days: int) -> Fact:
    return Fact("timeframe", f"线下{days}个工作日内办结", {"value_max": float(days), "unit": "workday",
                "bound": "within", "applies_to": "offline"}, record_id=f"r-offline-{days}")


def _waiting() -> Fact:
    return Fact("timeframe", "中断3个月以上有等待期", {"value_min": 3.0, "unit": "month", "bound": "at_least",
                "applies_to": "waiting_period"}, record_id="r-waiting")


@pytest.fixture
def cities_db(engine: Engine, sqlite_url: str) -> str:
    """Three cities in one cluster: two facts common to all, two that differ; a smaller matching cluster;
    a re-post whose extra fact must not count; a note with markup in it."""
    insert_pages(engine, [
        Page(1, "西宁市", [_id_card(), _waiting(), _offline(15), _register()]),
        Page(2, "海东市", [_id_card(), _waiting(), _offline(15), _register(),
                           Fact("note", HOSTILE_NOTE, record_id="r-hostile")]),
        Page(3, "兰州市", [_id_card(), _waiting(), _offline(20)]),
        Page(4, "兰州市", [Fact("material", "结婚证", {"item": "结婚证"})], duplicate_of="http://x/3.html"),
        Page(5, "银川市", [_id_card()], cluster_id="c-small", topic="{城市}医保参保地怎么变更(旧版)"),
    ])
    return sqlite_url


def _compare(url: str, **options: str) -> Comparison:
    return compare_topic(url, options.pop("topic", "参保地"), **options)


def test_common_facts_come_first(cities_db: str) -> None:
    # the facts every city states alike lead, the differing ones follow
    comparison = _compare(cities_db)
    groups = [row.common for row in comparison.rows]
    assert groups == sorted(groups, reverse=True)
    assert {row.label for row in comparison.common} == {"身份证", "waiting_period"}
    assert [(row.type, row.label[:8]) for row in comparison.differing] == [  # one city lacks each of these
        ("material", "户口簿"), ("timeframe", "offline"), ("note", HOSTILE_NOTE[:8])]


def test_differing_values_side_by_side(cities_db: str) -> None:
    # the offline duration differs: both values, each with its cities, most cities first
    from db.compare import values_side_by_side

    offline = next(row for row in _compare(cities_db).differing if row.label == "offline")
    assert offline.values == [("15个工作日内", ["海东市", "西宁市"]), ("20个工作日内", ["兰州市"])]
    assert values_side_by_side(offline) == "15个工作日内 ×2 vs 20个工作日内 ×1"
    assert offline.cells["兰州市"] == ("20个工作日内",)


def test_reposts_are_left_out(cities_db: str) -> None:
    # the re-post's extra material is not a fact of 兰州市
    comparison = _compare(cities_db)
    assert comparison.cities == ["兰州市", "海东市", "西宁市"]
    assert all(row.label != "结婚证" for row in comparison.rows)


def test_largest_cluster_is_chosen_and_the_others_named(cities_db: str) -> None:
    # two clusters match: the one with most cities is shown, the other is named with its id
    comparison = _compare(cities_db)
    assert comparison.cluster.section_cluster_id == "c-test"
    assert "c-small" in (comparison.choice_note() or "")
    assert _compare(cities_db, cluster_id="c-small").cities == ["银川市"]


def test_type_filter(cities_db: str) -> None:
    # --type keeps one kind of fact
    assert {row.type for row in _compare(cities_db, record_type="timeframe").rows} == {"timeframe"}


@pytest.mark.parametrize(("args", "expected"), [
    ((None, 15.0, "workday", "within"), "15个工作日内"),  # at most
    ((3.0, None, "month", "at_least"), "3个月以上"),  # at least
    ((1.0, 3.0, "workday", "range"), "1-3个工作日"),  # a range
    ((7.0, 7.0, "day", "exact"), "7天"),  # exact
    ((0.0, 0.0, "day", "immediately"), "即时"),  # immediately
    ((0.5, 0.5, "month", "exact"), "0.5个月"),  # fractions stay
])
def test_duration_wording(args: tuple, expected: str) -> None:
    assert duration(*args) == expected


def test_html_escapes_page_text(cities_db: str, tmp_path: Path) -> None:
    # page text is untrusted: markup in a record is shown as text, never parsed as HTML
    page = render_html(_compare(cities_db))
    assert "<script>document" not in page and "<b>粗体" not in page
    assert "&lt;script&gt;document.title=" in page


def test_csv_output_is_formula_safe(engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    # the CSV matrix follows export's rule: a cell starting with = gets a leading '
    insert_pages(engine, [Page(1, "西宁市", [Fact("note", "=HYPERLINK(1)")]), Page(2, "海东市", [_id_card()])])
    out = tmp_path / "m.csv"
    write_comparison(_compare(sqlite_url), str(out))
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert rows[0].keys() >= {"group", "type", "fact", "values", "西宁市", "海东市"}
    assert any(row["西宁市"] == "'=HYPERLINK(1)" for row in rows)


@pytest.mark.parametrize(("argv", "message"), [
    (["--topic", "不存在的话题"], "no section cluster has a topic containing"),  # nothing matches
    (["--topic", "参保地", "--out", "x.pdf"], "--out must end in .html or .csv"),  # unknown output kind
    (["--topic", "参保地", "--out", "/nonexistent-dir/m.html"], "cannot write"),  # unwritable path
    (["--topic", "参保地", "--cluster", "nope"], "is not among"),  # a cluster that did not match
])
def test_cli_errors_are_messages(cities_db: str, capsys: pytest.CaptureFixture[str], argv: list[str],
                                 message: str) -> None:
    assert main(["compare", "--db", cities_db, *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_text_summary(cities_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    # without --out the matrix is summarised on standard output, and the choice among clusters on stderr
    assert main(["compare", "--db", cities_db, "--topic", "参保地"]) == 0
    captured = capsys.readouterr()
    assert "offline: 15个工作日内 ×2 vs 20个工作日内 ×1" in captured.out
    assert "2 section clusters match" in captured.err


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_page_in_a_real_browser(cities_db: str, tmp_path: Path) -> None:
    # headless Chromium loads the file (no server) and its DOM holds the differing values side by side,
    # common facts before differing ones, and the hostile note as text, not as a script element
    browser = _chromium()
    if browser is None:
        service_unavailable("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    out = tmp_path / "compare.html"
    write_comparison(_compare(cities_db), str(out))
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", out.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = lxml_html.fromstring(result.stdout)
    assert [tbody.get("class") for tbody in dom.xpath("//table[@id='matrix']/tbody")] == ["common", "differs"]
    offline = dom.xpath("//tbody[@class='differs']/tr[td[@class='fact']='offline']")
    assert len(offline) == 1
    assert offline[0].xpath(".//td[@class='values']/span[@class='value']/text()") == ["15个工作日内", "20个工作日内"]
    assert len(dom.xpath("//tbody[@class='differs']/tr[contains(@class, 'fact')]")) >= 2
    assert not dom.xpath("//body//script") and dom.xpath("//title/text()")[0] != "owned"
    assert HOSTILE_NOTE in dom.text_content()


def test_compare_on_postgres(postgres_url: str) -> None:
    # the same matrix from PostgreSQL (LIKE with an escape character, optional type condition)
    from db.migrations import upgrade
    from db.session import make_engine

    engine = make_engine(postgres_url)
    upgrade(engine)
    insert_pages(engine, [Page(1, "西宁市", [_id_card(), _offline(15)]), Page(2, "兰州市", [_id_card(), _offline(20)])])
    engine.dispose()
    comparison = compare_topic(postgres_url, "参保地", "timeframe")
    assert [(row.label, row.values) for row in comparison.rows] == [
        ("offline", [("15个工作日内", ["西宁市"]), ("20个工作日内", ["兰州市"])])]
