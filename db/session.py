"""Engines and sessions for any SQLAlchemy URL; SQLite gets WAL and a busy timeout for the crawl + worker pair."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

T = TypeVar("T")

DEFAULT_DB_URL = "sqlite:///shebao.db"
DB_ENV_VAR = "SHEBAO_DB"


def default_db_url() -> str:
    """`$SHEBAO_DB`, else a SQLite file in the working directory."""
    return os.environ.get(DB_ENV_VAR) or DEFAULT_DB_URL


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN itself
    cursor = dbapi_connection.cursor()
    # WAL lets the crawler write while the worker reads and writes. Switching is a write, so it is done
    # only when needed and skipped on a read-only file or URL (mode=ro): reading and exporting still work.
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        with contextlib.suppress(sqlite3.OperationalError):  # read-only: keep the file's journal mode
            cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


WRITE_OPTION = "shebao_write"  # execution option marking connections that will write


def _begin(connection) -> None:  # type: ignore[no-untyped-def]
    # A writer takes the lock when its transaction starts: a WAL reader that later tries to write fails
    # at once (SQLITE_BUSY_SNAPSHOT) if another process wrote meanwhile, and busy_timeout cannot help.
    # Readers begin deferred, so they never wait for the lock.
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine, for transactions that write (on SQLite they take the write lock at BEGIN)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def make_engine(url: str, pooled: bool = True) -> Engine:
    """An engine for `url`; SQLite connections get the pragmas that let two processes share the file.
    `pooled=False` keeps no connection open between uses (for a thread of a process that forks workers)."""
    pool: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A writing session that commits on success and rolls back on error."""
    session = sessionmaker(writer(engine), expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


IN_LIST_LIMIT = 500  # bound parameters per IN (...) list: well inside every backend's limit


def in_chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """`values` in slices small enough for one IN (...) list."""
    for start in range(0, len(values), IN_LIST_LIMIT):
        yield values[start : start + IN_LIST_LIMIT]


def utc_now() -> str:
    """The current time as ISO 8601 text (UTC), the form every *_at column uses for machine times."""
    return datetime.now(UTC).isoformat(timespec="seconds")
