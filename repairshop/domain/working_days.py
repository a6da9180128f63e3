"""Which days count as working days in the shop's country, and deadlines counted in them.

A working day is a weekday of the country's working week that is not one of its public
holidays (from the ``holidays`` package, which also knows the weekend days that are worked
in lieu in Hungary or Russia) and not one of the shop's own closed days.

Deadlines count from the day after the event, the way the civil codes count them
(CZ občanský zákoník §605, PL kodeks cywilny art. 111, DE BGB §187: the day of the
event itself is not counted). A deadline counted in calendar days that ends
on a day off ends on the next working day instead (CZ §607, PL art. 115, DE §193,
RU ГК art. 193).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the holiday tables load when a deadline is first counted
    import holidays


@cache
def _public_holidays(country: str) -> holidays.HolidayBase:
    import holidays

    try:
        return holidays.country_holidays(country)
    except NotImplementedError:
        return holidays.HolidayBase()


@dataclass(frozen=True)
class WorkingCalendar:
    """The working days of a shop: its country's working week and holidays, its closed days."""

    country: str
    closed_days: frozenset[date] = frozenset()

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on ``day``, by its English name, if there is one."""
        name = _public_holidays(self.country).get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        if day in self.closed_days:
            return False
        return bool(_public_holidays(self.country).is_working_day(day))

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
        day = start
        for _count in range(days):
            day = self.next_working_day(day + timedelta(days=1))
        return day

    def add_days(self, start: date, days: int, *, working: bool) -> date:
        """A deadline ``days`` after ``start``: working days, or calendar days whose last
        day moves off a day off onto the next working day."""
        if working:
            return self.add_working_days(start, days)
        return self.next_working_day(start + timedelta(days=days))
