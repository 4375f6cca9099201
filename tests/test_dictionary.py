"""The data dictionary (db/dictionary.py) matches the views and the README."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect

from db.dictionary import EXAMPLE_QUERIES, VIEWS, markdown_dictionary
from db.views import VIEW_NAMES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_dictionary_describes_every_view_column(engine: Engine) -> None:
    # a column added to a view fails here until it is described (and its export type known)
    inspector = inspect(engine)
    assert set(VIEWS) == set(VIEW_NAMES)
    for name in VIEW_NAMES:
        assert [c.name for c in VIEWS[name].columns] == [c["name"] for c in inspector.get_columns(name)], name


def test_readme_holds_the_dictionary() -> None:
    # the README's data dictionary is the rendered module, word for word
    assert markdown_dictionary() in README


def test_readme_holds_the_example_queries() -> None:
    # Datasette's canned queries are the README's examples, verbatim
    for query in EXAMPLE_QUERIES:
        assert query.sql in README, query.name
