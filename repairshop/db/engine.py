"""Opening the database: the SQLite default or PostgreSQL, with the same behaviour.

SQLite gets WAL, foreign keys, a busy timeout, and write transactions that take
the write lock when they begin (``BEGIN IMMEDIATE``), so two processes never
interleave a read-modify-write. Read-only units of work begin ``DEFERRED`` so
searching never waits for a writer.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from repairshop.db.location import DATABASE_URL_VARIABLE, default_database_path

__all__ = [
    "DATABASE_URL_VARIABLE",
    "create_database_engine",
    "default_database_path",
    "is_sqlite",
    "normalise_url",
    "resolve_database_url",
    "sqlite_file",
]

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY = "repairshop_read_only"
"""Execution option that marks a connection as read-only (SQLite begins it deferred)."""


def resolve_database_url(explicit: str | None = None) -> str:
    """``--db`` wins over ``REPAIRSHOP_DATABASE_URL``, which wins over the default SQLite file."""
    url = explicit or os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        return normalise_url(url)
    return f"sqlite:///{default_database_path()}"


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and plain file paths; use psycopg 3 for PostgreSQL."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_file(url: str | URL) -> Path | None:
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def create_database_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with RepairShop's connection rules applied."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(parsed)
        if path is not None and on_read_only_medium(path):
            return _read_only_sqlite_engine(parsed, path, echo=echo)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            echo=echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            poolclass=NullPool if path is None else None,
        )
        _configure_sqlite(engine)
        return engine
    engine = create_engine(parsed, echo=echo, pool_pre_ping=True)
    event.listen(engine, "connect", _plan_for_each_run)
    return engine


def _plan_for_each_run(dbapi_connection: Any, _record: Any) -> None:
    """Every run of a statement planned for its own values. psycopg prepares a statement on
    the server at its fifth run (kept: the parsing is saved), and PostgreSQL would then
    settle on one generic plan for any values; the job list's plans depend on them (which
    statuses, how deep the keyset): a technician's queue ten pages down went from 11 ms to
    0.8 s that way."""
    dbapi_connection.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def on_read_only_medium(path: Path) -> bool:
    """An existing database file that cannot be written here: a write-protected medium or a
    file (or folder: WAL needs its side files) this user may not change."""
    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _read_only_sqlite_engine(parsed: URL, path: Path, *, echo: bool) -> Engine:
    """Open for looking things up only. SQLite's WAL mode would need to create its side files
    beside the database, so the file is opened as immutable: read as it is, never locked.
    Every write is refused by SQLite (``readonly``), which the unit of work says plainly."""
    uri = f"file:{path.as_posix()}?mode=ro&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine(parsed, echo=echo, creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN DEFERRED")

    return engine


SQLITE_CACHE_KIB = 64 * 1024
"""Each connection's page cache; it grows only as pages are read."""


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed intake survives a power cut (its receipt is already printed).
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # A page cache of up to 64 MiB per connection (SQLite's default is 2 MiB): a report
        # over a million jobs looks each one up, and a warm cache takes a third off it.
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")
