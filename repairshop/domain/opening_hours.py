"""The shop's opening hours and closed days, and time counted only while the shop is open.

Business time between two moments is the open time that lies between them. It
is computed from a sorted list of the open intervals as UTC seconds and the
open time accumulated before each boundary, so one moment costs one binary
search however long the span: the turnaround report counts it for a million
jobs. Local days come from the shop's time zone, so a daylight-saving change
moves the opening time correctly.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from repairshop.errors import ValidationError
from repairshop.i18n import _

Interval = tuple[time, time]
"""An opening interval on one day: from (inclusive) to (exclusive), local time."""

WEEKDAY_KEYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_WORKDAY: tuple[Interval, ...] = ((time(8), time(18)),)
_SATURDAY: tuple[Interval, ...] = ((time(8), time(12)),)


def _default_week() -> tuple[tuple[Interval, ...], ...]:
    return (_WORKDAY, _WORKDAY, _WORKDAY, _WORKDAY, _WORKDAY, _SATURDAY, ())


@dataclass(frozen=True)
class OpeningHours:
    """When the shop is open: intervals per weekday (Monday first), closed days, time zone."""

    week: tuple[tuple[Interval, ...], ...] = field(default_factory=_default_week)
    closed_days: frozenset[date] = frozenset()
    """Public holidays and other days the shop is shut whatever the weekday."""
    timezone: str = ""
    """An IANA zone such as ``Europe/Prague``; empty means this computer's zone."""

    def zone(self) -> tzinfo:
        return shop_zone(self.timezone)

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        if day in self.closed_days:
            return ()
        return self.week[day.weekday()]


def shop_zone(name: str) -> tzinfo:
    """The zone named ``name``; empty means this computer's own zone."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                _("“{value}” is not a time zone such as Europe/Prague.").format(value=name),
                field="timezone",
            ) from None
    variable = os.environ.get("TZ", "").lstrip(":")
    if variable:
        try:
            return ZoneInfo(variable)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else UTC


def parse_intervals(text: str) -> tuple[Interval, ...]:
    """``"08:00-12:00, 13:00-18:00"`` to intervals; empty or ``closed`` means closed."""
    cleaned = text.strip().lower()
    if cleaned in ("", "closed", "-"):
        return ()
    intervals: list[Interval] = []
    for part in cleaned.split(","):
        try:
            start_text, end_text = part.split("-")
            start = _clock_time(start_text)
            end = _clock_time(end_text)
        except ValueError:
            raise ValidationError(
                _("“{value}” is not opening hours such as 08:00-12:00, 13:00-18:00.").format(
                    value=text
                ),
                field="opening_hours",
            ) from None
        intervals.append((start, end))
    return check_intervals(tuple(intervals))


def _clock_time(text: str) -> time:
    """``8:00`` or ``08:00`` (or ``8``) as a time of day; ValueError otherwise."""
    hour_text, _sep, minute_text = text.strip().partition(":")
    return time(int(hour_text), int(minute_text or "0"))


def check_intervals(intervals: tuple[Interval, ...]) -> tuple[Interval, ...]:
    ordered = tuple(sorted(intervals))
    previous_end: time | None = None
    for start, end in ordered:
        if end <= start or (previous_end is not None and start < previous_end):
            raise ValidationError(
                _("Opening hours must run forward and must not overlap: {value}.").format(
                    value=format_intervals(ordered)
                ),
                field="opening_hours",
            )
        previous_end = end
    return ordered


def format_intervals(intervals: tuple[Interval, ...]) -> str:
    return ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in intervals)


class LocalDays:
    """Which local day a UTC second falls on, by binary search over midnights."""

    def __init__(self, zone: tzinfo, first: date, last: date) -> None:
        self.first = first
        self.days = [first + timedelta(days=n) for n in range((last - first).days + 2)]
        self.starts = [_local_epoch(day, time(0), zone) for day in self.days]

    def day_of(self, epoch: float) -> date:
        index = bisect_right(self.starts, epoch) - 1
        if index < 0 or index >= len(self.days) - 1:
            raise ValueError(f"moment {epoch} is outside {self.first}..{self.days[-2]}")
        return self.days[index]


def local_day_span(zone: tzinfo, *epochs: float) -> tuple[date, date]:
    """The first and last local day touched by ``epochs`` (with a day's margin)."""
    low = datetime.fromtimestamp(min(epochs), zone).date() - timedelta(days=1)
    high = datetime.fromtimestamp(max(epochs), zone).date() + timedelta(days=1)
    return low, high


class BusinessClock:
    """Open seconds between two UTC moments within the local days ``first``..``last``."""

    def __init__(self, hours: OpeningHours, first: date, last: date) -> None:
        zone = hours.zone()
        bounds: list[float] = []
        day = first
        while day <= last:
            for start, end in hours.intervals_on(day):
                bounds.append(_local_epoch(day, start, zone))
                bounds.append(_local_epoch(day, end, zone))
            day += timedelta(days=1)
        before = [0.0]
        for index in range(1, len(bounds)):
            open_part = bounds[index] - bounds[index - 1] if index % 2 == 1 else 0.0
            before.append(before[-1] + open_part)
        self._bounds = bounds
        self._before = before

    def position(self, epoch: float) -> float:
        """Open seconds from the start of the span up to ``epoch``."""
        index = bisect_right(self._bounds, epoch)
        if index == 0:
            return 0.0
        if index % 2 == 1:  # inside an opening interval
            return self._before[index - 1] + (epoch - self._bounds[index - 1])
        return self._before[index - 1]

    def seconds(self, start: float, end: float) -> float:
        return self.position(end) - self.position(start)


def _local_epoch(day: date, moment: time, zone: tzinfo) -> float:
    return datetime.combine(day, moment, tzinfo=zone).timestamp()


def local_midnight_utc(day: date, zone: tzinfo) -> datetime:
    """The UTC moment when local ``day`` begins."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
