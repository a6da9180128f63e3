"""What the turnaround and workload reports share.

- :class:`Period`: the local days a report covers, turned into UTC bounds.
- :func:`epoch`: a stored moment as seconds since 1970 in SQL, the same number on
  SQLite and PostgreSQL, so durations are subtracted as plain floats.
- :func:`summarise`: count, median, 90th percentile and mean, computed in Python
  with :mod:`statistics` so both databases give the very same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Float, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from repairshop.db.tables import User
from repairshop.domain.devices import parse_device_type
from repairshop.domain.opening_hours import local_midnight_utc
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _
from repairshop.services.uow import UnitOfWork

HOUR = 3600.0


class epoch(FunctionElement[float]):  # noqa: N801 - reads as the SQL function it stands for
    """Seconds since 1970-01-01 UTC of a stored (naive UTC) moment."""

    type = Float()
    inherit_cache = True


@compiles(epoch, "sqlite")
def _epoch_sqlite(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch, "postgresql")
def _epoch_postgresql(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS FLOAT)"


@dataclass(frozen=True)
class Period:
    """Local days ``start``..``end``, both included; ``None`` leaves that side open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValidationError(
                _("The report period starts ({start}) after it ends ({end}).").format(
                    start=self.start.isoformat(), end=self.end.isoformat()
                ),
                field="from",
            )

    def utc_bounds(self, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
        """``[from, to)`` in UTC: local midnight of ``start`` and of the day after ``end``."""
        low = local_midnight_utc(self.start, zone) if self.start else None
        high = local_midnight_utc(self.end + timedelta(days=1), zone) if self.end else None
        return low, high

    @classmethod
    def last_days(cls, today: date, days: int) -> Period:
        return cls(today - timedelta(days=days - 1), today)


def parse_day(text: str | None, what: str) -> date | None:
    """A ``YYYY-MM-DD`` day typed on the command line or in a filter; None stays None."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            _("“{value}” is not a date for {what}: use YYYY-MM-DD, such as 2026-03-31.").format(
                value=text.strip(), what=what
            ),
            field=what,
        ) from None


def checked_filters(
    uow: UnitOfWork, technician: str | None, device_type: str | None
) -> tuple[str | None, str | None]:
    """The technician's login and the device type key, refused clearly when unknown.

    A former technician (no longer active) still has figures, so any user counts.
    """
    login = technician.strip().lower() if technician else None
    if login is not None and uow.session.scalar(select(User.id).where(User.login == login)) is None:
        raise NotFound(_("There is no user “{login}”.").format(login=technician))
    kind = parse_device_type(device_type).value if device_type else None
    return login, kind


@dataclass(frozen=True)
class Summary:
    count: int
    median_hours: float | None
    p90_hours: float | None
    mean_hours: float | None


def summarise(hours: list[float]) -> Summary:
    """Count, median, 90th percentile and mean, rounded to 0.01 h; sorts ``hours`` in place.

    Median and percentile are :mod:`statistics`' (``median`` and ``quantiles``
    with the "inclusive" method: linear interpolation between the closest
    ranks), written out so the list is sorted once: at a million jobs
    :mod:`statistics` would sort it three times.
    """
    if not hours:
        return Summary(0, None, None, None)
    hours.sort()
    return Summary(
        count=len(hours),
        median_hours=round(_median(hours), 2),
        p90_hours=round(percentile_sorted(hours, 9, 10), 2),
        mean_hours=round(math.fsum(hours) / len(hours), 2),
    )


def _median(ordered: Sequence[float]) -> float:
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile_sorted(ordered: Sequence[float], part: int, parts: int) -> float:
    """Cut point ``part`` of ``parts`` of sorted data, as ``quantiles(method="inclusive")``."""
    if len(ordered) == 1:
        return ordered[0]
    index, delta = divmod(part * (len(ordered) - 1), parts)
    if delta == 0:
        return ordered[index]
    return (ordered[index] * (parts - delta) + ordered[index + 1] * delta) / parts


def driver_rows(uow: UnitOfWork, statement: Executable) -> list[Any]:
    """All rows as the database driver returns them, without SQLAlchemy's row objects.

    A report reads up to a million rows; making a ``Row`` and running the type
    processors for each costs more than the query. Callers take raw values:
    moments come as :func:`epoch` floats, dates as ``date`` (PostgreSQL) or
    ISO text (SQLite).
    """
    result = uow.session.connection().execute(statement)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()
