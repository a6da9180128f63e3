"""The shop's opening hours, kept in the ``settings`` key/value table.

Keys: ``opening_hours.mon`` … ``opening_hours.sun`` (``08:00-12:00, 13:00-18:00``,
empty when closed), ``opening_hours.closed_days`` (ISO dates, comma separated)
and ``opening_hours.timezone`` (an IANA zone; empty: this computer's zone). A
database without them gets :class:`OpeningHours`' defaults.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from repairshop.db.tables import Setting
from repairshop.domain.opening_hours import (
    WEEKDAY_KEYS,
    OpeningHours,
    check_intervals,
    format_intervals,
    parse_intervals,
    shop_zone,
)
from repairshop.domain.roles import Permission, require
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

PREFIX = "opening_hours."
CLOSED_DAYS_KEY = PREFIX + "closed_days"
TIMEZONE_KEY = PREFIX + "timezone"


def get_opening_hours(uow: UnitOfWork) -> OpeningHours:
    rows = dict(
        uow.session.execute(
            select(Setting.key, Setting.value).where(Setting.key.startswith(PREFIX))
        ).all()
    )
    defaults = OpeningHours()
    week = tuple(
        parse_intervals(rows[PREFIX + key]) if PREFIX + key in rows else defaults.week[n]
        for n, key in enumerate(WEEKDAY_KEYS)
    )
    return OpeningHours(
        week=week,
        closed_days=parse_closed_days(rows.get(CLOSED_DAYS_KEY, "")),
        timezone=rows.get(TIMEZONE_KEY, "").strip(),
    )


def shop_today(uow: UnitOfWork) -> date:
    """Today in the shop's own time zone, by the database's clock.

    Overdue marks, the dashboard and "taken in today" all use this day, so a
    workstation whose clock runs in another zone agrees with the rest.
    """
    return uow.now().astimezone(get_opening_hours(uow).zone()).date()


def parse_closed_days(text: str) -> frozenset[date]:
    days: set[date] = set()
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        try:
            days.add(date.fromisoformat(part.strip()))
        except ValueError:
            raise ValidationError(
                _("“{value}” is not a date such as 2026-12-24.").format(value=part.strip()),
                field="closed_days",
            ) from None
    return frozenset(days)


def validate_opening_hours(hours: OpeningHours) -> OpeningHours:
    if len(hours.week) != 7:
        raise ValidationError(_("Opening hours need all seven weekdays."), field="opening_hours")
    shop_zone(hours.timezone)
    return OpeningHours(
        week=tuple(check_intervals(day) for day in hours.week),
        closed_days=hours.closed_days,
        timezone=hours.timezone.strip(),
    )


def save_opening_hours(uow: UnitOfWork, hours: OpeningHours, actor: str) -> Changes:
    user = get_user(uow, actor)
    require(user.role, Permission.EDIT_SETTINGS, user.display_name)
    write_opening_hours(uow, validate_opening_hours(hours))
    return Changes(kinds=frozenset({ChangeKind.SETTINGS}))


def write_opening_hours(uow: UnitOfWork, hours: OpeningHours) -> None:
    """Store the opening hours (no permission check: for set-up, demo data and tests)."""
    pairs = {PREFIX + key: format_intervals(hours.week[n]) for n, key in enumerate(WEEKDAY_KEYS)}
    pairs[CLOSED_DAYS_KEY] = ",".join(day.isoformat() for day in sorted(hours.closed_days))
    pairs[TIMEZONE_KEY] = hours.timezone
    for key, value in pairs.items():
        uow.session.merge(Setting(key=key, value=value))
    uow.flush()
