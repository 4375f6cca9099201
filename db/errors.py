"""One-line explanations of the errors a user can cause (a bad --db, a missing folder, a corrupt file).

The CLI prints these instead of a traceback and exits 2; anything not recognised here is a bug and keeps
its traceback.
"""

from __future__ import annotations

from sqlalchemy import exc

from db.migrations import SchemaError

# (substring of the driver's message, what it means and what to do), first match wins
DATABASE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("unable to open database file", "cannot open the SQLite file: its folder does not exist or is not writable"),
    ("file is not a database", "the file is not a SQLite database (corrupt, truncated or another format): "
                               "restore it from a backup or point --db at another file"),
    ("database disk image is malformed", "the SQLite file is corrupt or truncated: restore it from a backup "
                                         "or point --db at another file"),
    ("readonly database", "the database is read-only and this command needs to write to it"),
    ("database or disk is full", "the disk is full: free some space and run the same command again"),
    ("connection refused", "cannot connect to the database server (connection refused): is it running, "
                           "and are host and port in --db right?"),
    ("could not translate host name", "cannot resolve the database server's host name in --db"),
    ("timeout expired", "the database server did not answer in time: is it running and reachable?"),
    ("does not exist", "the database (or its user) does not exist on the server: create it or fix --db"),
    ("password authentication failed", "the database server refused the user and password in --db"),
)


def user_error_message(error: BaseException) -> str | None:
    """What went wrong and what to do, in one line; None when `error` is not a user error."""
    if isinstance(error, SchemaError | ValueError):
        return str(error)
    if isinstance(error, exc.NoSuchModuleError | exc.ArgumentError):
        return (f"unknown database URL or driver ({str(error).splitlines()[0]}): use sqlite:///FILE or "
                "postgresql+psycopg://USER@HOST/DB (pip install 'shebao-pipeline[postgres]')")
    if isinstance(error, exc.DBAPIError):
        text = str(error.orig if error.orig is not None else error).lower()
        for needle, message in DATABASE_MESSAGES:
            if needle in text:
                return message
        return None
    if isinstance(error, ModuleNotFoundError) and error.name in {"psycopg", "psycopg2"}:
        return f"the database driver {error.name} is not installed: pip install 'shebao-pipeline[postgres]'"
    if isinstance(error, OSError) and error.filename:
        return f"cannot write or read {error.filename}: {error.strerror or error}"
    return None
