"""What a desk's first window shows, read before the database layer is loaded.

Importing SQLAlchemy, the tables and the services is most of a start (about 0.7 s of
CPU against 0.1 s for a bare Qt window). The first window needs little of it: who works
at this desk (and in which role, for the tabs) and the dashboard tiles' numbers. A start
reads those here with the driver alone — ``sqlite3`` for a file, psycopg for the shop's
server — shows the window, and only then loads the database layer, which reads
everything again (the tiles included) the usual way.

:func:`first_look` answers ``None`` whenever a start must go the usual way: a file that
is not there (the app asks before making one), a server that does not answer at once, a
schema that is not the newest (it is migrated first), a shop whose desks sign in (nobody
is at the desk yet), or any error reading. The numbers are those
:func:`repairshop.services.reports.workload.dashboard_counts` gives for the same database
and moment; the tests compare both, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from repairshop.db.open_jobs import OPEN_JOBS
from repairshop.db.revisions import head_revision
from repairshop.domain.opening_hours import local_midnight_utc, shop_zone
from repairshop.domain.statuses import WORKSHOP_STATUSES, JobStatus
from repairshop.errors import ValidationError
from repairshop.services.reports.tiles import DashboardCounts, Tile, tile_filter

DEFAULT_USER = "admin"
"""Who a desk works as when it chose nobody (or its choice has left), as in the app."""

TIMEZONE_SETTING = "opening_hours.timezone"
"""The shop's time zone (``repairshop.services.shop.opening_hours.TIMEZONE_KEY``)."""

SERVER_TIMEOUT_S = 2
"""A server slower than this to answer gets the usual start (which says what is wrong)."""

_MOMENT = "%Y-%m-%d %H:%M:%S.%f"
"""How a UTC moment is stored in SQLite (SQLAlchemy's text form of a DATETIME)."""


@dataclass(frozen=True)
class FirstLook:
    """The desk's person and the tiles, as the database holds them at the start."""

    user: str
    role: str | None
    """``None``: no such person (yet); the desk offers what no role needs."""
    tiles: DashboardCounts


class _Cursor(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...

    def fetchone(self) -> Any: ...


class _Reader:
    """One driver's connection: its placeholder, and how a day and a UTC moment are bound."""

    def __init__(
        self,
        cursor: _Cursor,
        placeholder: str,
        day: Callable[[date], object],
        moment: Callable[[datetime], object],
    ) -> None:
        self.cursor = cursor
        self.placeholder = placeholder
        self.day = day
        self.moment = moment

    def one(self, sql: str, *parameters: object) -> Any:
        self.cursor.execute(sql.replace("?", self.placeholder), parameters)
        return self.cursor.fetchone()


def first_look(
    source: Path | str | None,
    saved_user: str | None,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> FirstLook | None:
    """The first window's data from ``source`` — a SQLite file, or the libpq connection
    string of the shop's server — or ``None`` (see above)."""
    if isinstance(source, str):
        return _from_server(source, saved_user, clock)
    if source is None or not source.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return None
    try:
        reader = _Reader(
            connection.cursor(),
            "?",
            lambda day: day.isoformat(),
            lambda moment: moment.strftime(_MOMENT),
        )
        return _read(reader, saved_user, clock())
    except (sqlite3.Error, ValidationError, ValueError):
        return None
    finally:
        connection.close()


def _from_server(
    conninfo: str, saved_user: str | None, clock: Callable[[], datetime]
) -> FirstLook | None:
    import psycopg

    try:
        with (
            psycopg.connect(conninfo, connect_timeout=SERVER_TIMEOUT_S, autocommit=True) as server,
            server.cursor() as cursor,
        ):
            reader = _Reader(cursor, "%s", lambda day: day, lambda moment: moment)
            return _read(reader, saved_user, clock())
    except (psycopg.Error, ValidationError, ValueError):
        return None


def _read(reader: _Reader, saved_user: str | None, now: datetime) -> FirstLook | None:
    version = reader.one("SELECT version_num FROM alembic_version")
    if version is None or version[0] != head_revision():
        return None
    signs_in = reader.one("SELECT 1 FROM users WHERE active AND password_hash IS NOT NULL LIMIT 1")
    if signs_in is not None:
        return None
    user, role = _person(reader, saved_user)
    return FirstLook(user, role, _tiles(reader, now))


def _person(reader: _Reader, saved: str | None) -> tuple[str, str | None]:
    """The desk's person as :func:`ui.app.make_context` chooses them."""
    for login in (saved, DEFAULT_USER):
        if not login:
            continue
        row = reader.one(
            "SELECT login, role FROM users WHERE login = ? AND active", login.strip().lower()
        )
        if row is not None:
            return str(row[0]), str(row[1])
    return DEFAULT_USER, None


def _tiles(reader: _Reader, now: datetime) -> DashboardCounts:
    setting = reader.one("SELECT value FROM settings WHERE key = ?", TIMEZONE_SETTING)
    zone = shop_zone(str(setting[0]).strip() if setting else "")
    today = now.astimezone(zone).date()
    workshop = sorted(status.value for status in WORKSHOP_STATUSES)
    marks = ", ".join("?" * len(workshop))
    begins = local_midnight_utc(today, zone).replace(tzinfo=None)
    ends = local_midnight_utc(today + timedelta(days=1), zone).replace(tzinfo=None)
    filters = {tile: tile_filter(tile, today) for tile in Tile}
    due_within = filters[Tile.COMPLAINTS_DUE].complaints_due_within or 0
    queries: dict[Tile, tuple[str, tuple[object, ...]]] = {
        Tile.OVERDUE: (
            f"SELECT count(*) FROM jobs WHERE status IN ({marks}) AND {OPEN_JOBS} AND promised < ?",
            (*workshop, reader.day(today)),
        ),
        Tile.READY: ("SELECT count(*) FROM jobs WHERE status = ?", (JobStatus.READY.value,)),
        Tile.AWAITING_PARTS: (
            "SELECT count(*) FROM jobs WHERE status = ?",
            (JobStatus.AWAITING_PARTS.value,),
        ),
        Tile.TAKEN_IN_TODAY: (
            "SELECT count(*) FROM jobs WHERE created_at >= ? AND created_at < ?",
            (reader.moment(begins), reader.moment(ends)),
        ),
        Tile.COMPLAINTS_DUE: (
            "SELECT count(*) FROM jobs WHERE id IN (SELECT job_id FROM complaints"
            " WHERE decided_at IS NULL AND first_due <= ?)",
            (reader.day(today + timedelta(days=due_within)),),
        ),
    }
    counts = {
        tile: int(reader.one(sql, *parameters)[0]) for tile, (sql, parameters) in queries.items()
    }
    return DashboardCounts(counts, filters, today)
