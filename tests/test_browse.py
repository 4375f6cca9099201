"""`shebao browse`: Datasette metadata built from the data dictionary, checked in Datasette itself
(its in-process client: no server, no port)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect

from crawler.cli import main
from db.browse import FACET_COLUMNS, datasette_command, datasette_metadata
from db.dictionary import EXAMPLE_QUERIES
from db.views import VIEW_NAMES
from tests.builders import Fact, Page, insert_pages


def test_metadata_covers_every_view_column(engine: Engine) -> None:
    # every column of every view, as the database has it, has a description; nothing stale is described
    tables = datasette_metadata("test")["databases"]["test"]["tables"]
    inspector = inspect(engine)
    for view in VIEW_NAMES:
        actual = [c["name"] for c in inspector.get_columns(view)]
        assert list(tables[view]["columns"]) == actual, view
        assert all(description.strip() for description in tables[view]["columns"].values())


def test_metadata_is_json_with_facets_and_queries() -> None:
    # it survives JSON (what Datasette reads), facets only name columns the view has, queries are the README's
    metadata = json.loads(json.dumps(datasette_metadata("shebao")))
    tables = metadata["databases"]["shebao"]["tables"]
    assert tables["record_view"]["facets"] == list(FACET_COLUMNS)
    assert tables["article_view"]["facets"] == ["city"]
    for table in tables.values():
        assert set(table["facets"]) <= set(table["columns"])
    assert {q["sql"] for q in metadata["databases"]["shebao"]["queries"].values()} == {q.sql for q in EXAMPLE_QUERIES}


def test_datasette_command_stays_on_loopback(tmp_path: Path) -> None:
    # the default serves this machine only, with the metadata file
    command = datasette_command(tmp_path / "x.db", tmp_path / "m.json", "127.0.0.1", 8001, False)
    assert command[command.index("--host") + 1] == "127.0.0.1" and "--metadata" in command


async def _datasette_pages(path: Path, *urls: str) -> list[tuple[int, Any]]:
    from datasette.app import Datasette

    datasette = Datasette([str(path)], metadata=datasette_metadata(path.stem))
    await datasette.invoke_startup()
    pages = []
    for url in urls:
        response = await datasette.client.get(url)
        pages.append((response.status_code, response.json()))
    return pages


def test_datasette_reads_the_metadata(engine: Engine, tmp_path: Path) -> None:
    # Datasette itself accepts the metadata: views facet on city/type/topic, canned queries run
    pytest.importorskip("datasette", reason="the [browse] extra is not installed")
    insert_pages(engine, [Page(1, "西宁市", [Fact("material", "身份证", {"item": "身份证"})])])
    record_view, query, described = asyncio.run(_datasette_pages(
        tmp_path / "test.db",
        "/test/record_view.json?_size=1",
        f"/test/{EXAMPLE_QUERIES[0].name}.json",
        "/-/metadata.json",
    ))
    assert record_view[0] == 200 and set(record_view[1]["facet_results"]) == set(FACET_COLUMNS)
    assert query[0] == 200 and query[1]["rows"] == [["material", "身份证", None, None, None, "身份证"]]
    assert described[1]["databases"]["test"]["tables"]["record_view"]["columns"]["city"].startswith("text")


@pytest.mark.parametrize(("db", "message"), [
    ("postgresql+psycopg://u@127.0.0.1/x", "SQLite database files only"),  # a server database
    ("sqlite:////nonexistent-dir/none.db", "no database at"),  # a file that is not there
])
def test_browse_errors_are_messages(capsys: pytest.CaptureFixture[str], db: str, message: str) -> None:
    assert main(["browse", "--db", db]) == 2
    assert message in capsys.readouterr().err
