"""Shared test helpers: databases on SQLite and PostgreSQL, a settable clock, intake documents."""

from __future__ import annotations

import atexit
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from repairshop.bootstrap import open_database
from repairshop.services.database import Database

POSTGRES_ADMIN_URL = os.environ.get(
    "REPAIRSHOP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


class SettableClock:
    """A clock the test moves by hand; starts on a Tuesday morning."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def postgres_reachable_or_fail() -> None:
    """PostgreSQL tests fail, never skip, when the server is down (docs/ARCHITECTURE.md, tests)."""
    try:
        with psycopg.connect(
            POSTGRES_ADMIN_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=5
        ):
            pass
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {POSTGRES_ADMIN_URL} is unreachable: {exc}")


@contextmanager
def postgres_schema(*, migrated: bool = False) -> Iterator[str]:
    """A fresh schema in the test database; yields a URL whose search_path points at it.
    ``migrated``: the schema already at the newest revision (a copy of this process's
    migrated template), else empty."""
    postgres_reachable_or_fail()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    template = postgres_template() if migrated else None
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        if template is None:
            connection.execute(f"CREATE SCHEMA {schema}")
        else:
            name, script = template
            with connection.transaction():  # one commit for the whole schema
                connection.execute(script.replace(name, schema))
    try:
        yield _schema_url(schema)
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def _schema_url(schema: str) -> str:
    # A test's commits need not wait for the server's disk (it is not a power-cut test).
    return (
        POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://")
        + f"?options=-csearch_path%3D{schema},public%20-csynchronous_commit%3Doff"
    )


_POSTGRES_TEMPLATE: list[tuple[str, str] | None] = []


def postgres_template() -> tuple[str, str] | None:
    """This process's migrated schema as SQL (its name, ``pg_dump``'s script), made once:
    a test's schema is made from it in a fraction of the migrations' time. None when
    ``pg_dump`` is not installed (every test schema is then migrated)."""
    if not _POSTGRES_TEMPLATE:
        script = None
        with postgres_schema() as url:
            open_database(url).dispose()
            name = url.split("search_path%3D", 1)[1].split(",", 1)[0]
            pg_dump = shutil.which("pg_dump")
            try:
                dumped = subprocess.run(
                    [pg_dump or "pg_dump", "--schema", name, "--inserts", "--no-owner",
                     "--no-privileges", POSTGRES_ADMIN_URL],
                    capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip
            except (OSError, subprocess.CalledProcessError):  # none, or older than the server
                dumped = None
            if dumped is not None:  # psql's own commands (\restrict) are not SQL
                script = "\n".join(
                    line for line in dumped.splitlines() if not line.startswith("\\")
                )
        _POSTGRES_TEMPLATE.append((name, script) if script is not None else None)
    return _POSTGRES_TEMPLATE[0]


_SQLITE_TEMPLATE: list[Path] = []
"""This process's SQLite shop at the newest schema, built once (the migrations run there)."""


def sqlite_template() -> Path:
    """A new shop's SQLite file as the migrations leave it, made once per test process: a test
    gets a copy in a few milliseconds instead of running every migration again."""
    if not _SQLITE_TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="repairshop-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.sqlite"
        open_database(f"sqlite:///{path}").dispose()
        with closing(sqlite3.connect(path)) as connection:  # one file: the WAL written back
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _SQLITE_TEMPLATE.append(path)
    return _SQLITE_TEMPLATE[0]


@contextmanager
def shop_url(kind: str, tmp_path: Any, name: str = "shop.sqlite") -> Iterator[str]:
    """The URL of a new shop at the newest schema: a SQLite file ``name`` in ``tmp_path``, or
    a PostgreSQL schema of its own (dropped afterwards)."""
    if kind == "sqlite":
        path = Path(tmp_path) / name
        shutil.copyfile(sqlite_template(), path)
        yield f"sqlite:///{path}"
        return
    with postgres_schema(migrated=True) as url:
        yield url


@contextmanager
def database(kind: str, tmp_path: Any, clock: SettableClock | None = None) -> Iterator[Database]:
    """A new shop, at the newest schema, on a SQLite file in ``tmp_path`` or in a PostgreSQL
    schema of its own (dropped afterwards)."""
    clock_arg = {"clock": clock} if clock is not None else {}
    with shop_url(kind, tmp_path) as url:
        db = open_database(url, **clock_arg)
        try:
            yield db
        finally:
            db.dispose()


def start_desks(worker: str, *desks: Sequence[str]) -> list[subprocess.Popen[str]]:
    """One Python process a desk, each running ``worker`` with its own arguments from the
    repository's root, its standard input, output and error piped."""
    root = Path(__file__).resolve().parents[1]
    return [
        subprocess.Popen(
            [sys.executable, "-c", worker, *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=root,
        )
        for arguments in desks
    ]


def race_desks(worker: str, *desks: Sequence[str]) -> list[str]:
    """Start a process a desk (:func:`start_desks`), let them all go at once (a line on their
    standard input) and give every word they printed, desk by desk; each must end well."""
    started = start_desks(worker, *desks)
    for desk in started:
        assert desk.stdin is not None
        desk.stdin.write("go\n")
        desk.stdin.flush()
    words: list[str] = []
    for desk in started:
        out, err = desk.communicate(timeout=300)
        assert desk.returncode == 0, err
        words += out.split()
    return words


def intake_document(**overrides: Any) -> dict[str, Any]:
    """A phone brought in at the counter; keyword arguments replace top-level keys."""
    document: dict[str, Any] = {
        "customer": {
            "name": "Jiří Dvořák",
            "phone": "+420 777 123 456",
            "email": "jiri.dvorak@seznam.cz",
            "language": "cs",
        },
        "device": {
            "type": "phone",
            "brand": "Samsung",
            "model": "Galaxy S23",
            "serial": "R5CW12ABCDE",
            "imei": "353326111702413",
        },
        "job_type": "paid_repair",
        "fault": "Cracked screen after a fall",
        "accessories": ["case", "SIM card"],
        "condition": "Scratches on the frame",
        "passcode": "1234",
        "estimate": "3490",
        "deposit": "500",
    }
    document.update(overrides)
    return document


# The environment a command line sees: only these are set or removed for one run.
_CLI_ENVIRONMENT = ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "REPAIRSHOP_DATABASE_URL")


def run_in_process(
    args: list[str],
    *,
    stdin: str | None = None,
    env: dict[str, str | None] | None = None,
    text: bool = True,
) -> subprocess.CompletedProcess[Any]:
    """``repairshop *args`` run by ``repairshop.cli.main`` in this process, its output caught
    as ``subprocess.run(..., text=True)`` would give it: the same exit status, stdout and
    stderr as ``python -m repairshop`` without two seconds of interpreter start per call.
    ``env`` names the variables the run sees (None unsets one; those of _CLI_ENVIRONMENT
    not named are unset, and so is REPAIRSHOP_USER, a clerk's own setting); ``text=False``
    gives stdout and stderr as bytes."""
    from repairshop import cli

    wanted: dict[str, str | None] = {
        "REPAIRSHOP_USER": None,
        **dict.fromkeys(_CLI_ENVIRONMENT),
        **(env or {}),
    }
    saved = {name: os.environ.get(name) for name in wanted}
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.StringIO()
    streams = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.StringIO(stdin or "")
    sys.stdout, sys.stderr = out, err
    try:
        for name, value in wanted.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        try:
            status = cli.main(args)
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    output: bytes = out.buffer.getvalue()  # type: ignore[attr-defined]
    if text:
        return subprocess.CompletedProcess(
            ["repairshop", *args], status, output.decode("utf-8"), err.getvalue()
        )
    return subprocess.CompletedProcess(
        ["repairshop", *args], status, output, err.getvalue().encode("utf-8")
    )


def collect_paid(uow: Any, code: str, actor: str = "admin") -> Any:
    """Collect a ready job at the counter: its bill paid exactly by card (nothing if free).

    A job reaches ``collected`` only with its document; tests that only need a collected job
    go through the counter as a clerk would.
    """
    from repairshop.domain.payments import PaymentMethod
    from repairshop.services.money.collection import CollectRequest, PaymentInput, bill, collect

    due = bill(uow, code).due
    payments = (PaymentInput(PaymentMethod.CARD, due),) if due > 0 else ()
    return collect(uow, code, CollectRequest(payments=payments), actor)


def move_or_collect(uow: Any, code: str, target: Any, actor: str = "admin", **kw: Any) -> Any:
    """``change_status``, except that ``collected`` goes through :func:`collect_paid`."""
    from repairshop.domain.statuses import JobStatus
    from repairshop.services.jobs.workflow import change_status

    if target is JobStatus.COLLECTED:
        return collect_paid(uow, code, actor)
    return change_status(uow, code, target, actor, **kw)
