"""Shared fixtures: a fresh database per test, the fixture site on loopback, and service gates."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from crawler.fixture_site.render import FixtureSite, build_site
from crawler.fixture_site.server import base_url, serve_site
from db.migrations import upgrade
from db.session import make_engine

SHARED = Path(__file__).resolve().parents[2] / "shared"
# CI sets this so a test that needs PostgreSQL fails instead of skipping when the server is absent.
REQUIRE_SERVICES = os.environ.get("SHEBAO_REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get("SHEBAO_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def service_unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@contextmanager
def fresh_postgres_database(prefix: str = "shebao_test") -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards (skip or fail when there is no server)."""
    admin_url = make_url(POSTGRES_URL)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    except Exception as error:  # no server, no driver, no rights
        service_unavailable(f"PostgreSQL at {POSTGRES_URL} is not usable: {error}")
        return
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def site() -> FixtureSite:
    return build_site()


@pytest.fixture
def served_site(site: FixtureSite) -> Iterator[tuple[FixtureSite, str]]:
    with serve_site(site) as server:
        yield site, base_url(server)


def run_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run `shebao ...` in a fresh interpreter (Twisted's reactor runs once per process)."""
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, f"shebao {' '.join(args)} failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    return result


def crawl(db_url: str, *start_urls: str) -> subprocess.CompletedProcess[str]:
    starts = [a for url in start_urls for a in ("--start-url", url)]
    return run_cli("crawl", *starts, "--db", db_url, "--no-throttle", "--log-level", "WARNING")
