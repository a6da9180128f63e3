"""What a desk's first window shows, read before the database layer is loaded.

Importing SQLAlchemy, the tables and the services is most of a start (about 0.7 s of
CPU against 0.1 s for a bare Qt window). The first window needs little of it: who works
at this desk (and in which role, for the tabs) and the dashboard tiles' numbers. A start
reads those here with the SQLite driver alone, shows the window, and only then loads the
database layer, which reads everything again (the tiles included) the usual way.

:func:`first_look` answers ``None`` whenever a start must go the usual way: a server
database (its driver and credentials belong to the database layer), a file that is not
there (the app asks before making one), a schema that is not the newest (it is migrated
first), a shop whose desks sign in (nobody is at the desk yet), or any error reading.
The numbers are those :func:`repairshop.services.reports.workload.dashboard_counts`
gives for the same database and moment; the tests compare both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from repairshop.db.revisions import head_revision
from repairshop.domain.opening_hours import local_midnight_utc, shop_zone
from repairshop.domain.statuses import WORKSHOP_STATUSES, JobStatus
from repairshop.errors import ValidationError
from repairshop.services.reports.tiles import DashboardCounts, Tile, tile_filter

DEFAULT_USER = "admin"
"""Who a desk works as when it chose nobody (or its choice has left), as in the app."""

TIMEZONE_SETTING = "opening_hours.timezone"
"""The shop's time zone (``repairshop.services.shop.opening_hours.TIMEZONE_KEY``)."""

_MOMENT = "%Y-%m-%d %H:%M:%S.%f"
"""How a UTC moment is stored in SQLite (SQLAlchemy's text form of a DATETIME)."""


@dataclass(frozen=True)
class FirstLook:
    """The desk's person and the tiles, as the database holds them at the start."""

    user: str
    role: str | None
    """``None``: no such person (yet); the desk offers what no role needs."""
    tiles: DashboardCounts


def first_look(
    path: Path | None,
    saved_user: str | None,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> FirstLook | None:
    """The first window's data from the SQLite file at ``path``, or ``None`` (see above)."""
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return None
    try:
        return _read(connection, saved_user, clock())
    except (sqlite3.Error, ValidationError, ValueError):
        return None
    finally:
        connection.close()


def _read(
    connection: sqlite3.Connection, saved_user: str | None, now: datetime
) -> FirstLook | None:
    version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if version is None or version[0] != head_revision():
        return None
    signs_in = connection.execute(
        "SELECT 1 FROM users WHERE active AND password_hash IS NOT NULL LIMIT 1"
    ).fetchone()
    if signs_in is not None:
        return None
    user, role = _person(connection, saved_user)
    return FirstLook(user, role, _tiles(connection, now))


def _person(connection: sqlite3.Connection, saved: str | None) -> tuple[str, str | None]:
    """The desk's person as :func:`ui.app.make_context` chooses them."""
    for login in (saved, DEFAULT_USER):
        if not login:
            continue
        row = connection.execute(
            "SELECT login, role FROM users WHERE login = ? AND active",
            (login.strip().lower(),),
        ).fetchone()
        if row is not None:
            return str(row[0]), str(row[1])
    return DEFAULT_USER, None


def _tiles(connection: sqlite3.Connection, now: datetime) -> DashboardCounts:
    setting = connection.execute(
        "SELECT value FROM settings WHERE key = ?", (TIMEZONE_SETTING,)
    ).fetchone()
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
            f"SELECT count(*) FROM jobs WHERE status IN ({marks}) AND promised < ?",
            (*workshop, today.isoformat()),
        ),
        Tile.READY: ("SELECT count(*) FROM jobs WHERE status = ?", (JobStatus.READY.value,)),
        Tile.AWAITING_PARTS: (
            "SELECT count(*) FROM jobs WHERE status = ?",
            (JobStatus.AWAITING_PARTS.value,),
        ),
        Tile.TAKEN_IN_TODAY: (
            "SELECT count(*) FROM jobs WHERE created_at >= ? AND created_at < ?",
            (begins.strftime(_MOMENT), ends.strftime(_MOMENT)),
        ),
        Tile.COMPLAINTS_DUE: (
            "SELECT count(*) FROM jobs WHERE id IN (SELECT job_id FROM complaints"
            " WHERE decided_at IS NULL AND first_due <= ?)",
            ((today + timedelta(days=due_within)).isoformat(),),
        ),
    }
    counts = {
        tile: int(connection.execute(sql, parameters).fetchone()[0])
        for tile, (sql, parameters) in queries.items()
    }
    return DashboardCounts(counts, filters, today)
