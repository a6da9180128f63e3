"""Business time, local days, percentiles and the overdue rule, without a database."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairshop.domain.deadlines import Due, due_state
from repairshop.domain.opening_hours import (
    BusinessClock,
    LocalDays,
    OpeningHours,
    parse_intervals,
)
from repairshop.domain.statuses import JobStatus
from repairshop.errors import ValidationError
from repairshop.services.reports.figures import Period, parse_day, percentile_sorted, summarise

DAY = ((time(8), time(12)), (time(13), time(17)))
HOURS = OpeningHours(week=(DAY,) * 5 + ((), ()), timezone="UTC")


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> float:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC).timestamp()


def test_business_time_skips_lunch_nights_and_weekend() -> None:
    clock = BusinessClock(HOURS, date(2026, 3, 1), date(2026, 3, 31))
    assert clock.seconds(utc(10, 9), utc(10, 14)) == 4 * 3600  # 09-12 and 13-14
    assert clock.seconds(utc(10, 12, 30), utc(10, 12, 45)) == 0  # lunch
    assert clock.seconds(utc(13, 16), utc(16, 9)) == 2 * 3600  # Friday 16-17, Monday 08-09
    assert clock.seconds(utc(14, 10), utc(15, 10)) == 0  # all weekend
    assert clock.seconds(utc(10, 6), utc(10, 20)) == 8 * 3600


def test_a_closed_day_counts_no_time() -> None:
    holiday = OpeningHours(
        week=HOURS.week, closed_days=frozenset({date(2026, 3, 16)}), timezone="UTC"
    )
    clock = BusinessClock(holiday, date(2026, 3, 1), date(2026, 3, 31))
    assert clock.seconds(utc(13, 16), utc(17, 9)) == 2 * 3600  # Friday 1 h, Tuesday 1 h


def test_daylight_saving_change_moves_opening_in_utc() -> None:
    prague = OpeningHours(week=(((time(8), time(17)),),) * 7, timezone="Europe/Prague")
    clock = BusinessClock(prague, date(2026, 3, 27), date(2026, 3, 31))
    # Before the change 08:00 Prague is 07:00 UTC; after it (29 March) 06:00 UTC.
    assert clock.seconds(utc(28, 7), utc(28, 8)) == 3600
    assert clock.seconds(utc(30, 6), utc(30, 7)) == 3600
    days = LocalDays(prague.zone(), date(2026, 3, 27), date(2026, 3, 31))
    assert days.day_of(utc(29, 22, 30)) == date(2026, 3, 30)  # 00:30 local, summer time
    assert days.day_of(utc(28, 22, 30)) == date(2026, 3, 28)  # 23:30 local, winter time


def test_opening_hours_are_read_forgivingly_and_refused_clearly() -> None:
    assert parse_intervals("13:00-17:00, 8:00-12:00") == ((time(8), time(12)), (time(13), time(17)))
    assert parse_intervals("closed") == ()
    with pytest.raises(ValidationError, match="08:00-12:00"):
        parse_intervals("eight to noon")
    with pytest.raises(ValidationError, match="overlap"):
        parse_intervals("08:00-13:00, 12:00-17:00")
    with pytest.raises(ValidationError, match="time zone"):
        OpeningHours(timezone="Mars/Olympus").zone()


@given(st.lists(st.floats(min_value=0, max_value=1e5, allow_nan=False), min_size=2))
def test_percentile_and_median_are_the_statistics_modules(values: list[float]) -> None:
    ordered = sorted(values)
    expected = statistics.quantiles(ordered, n=10, method="inclusive")[-1]
    assert percentile_sorted(ordered, 9, 10) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    summary = summarise(list(values))
    assert summary.median_hours == round(statistics.median(values), 2)
    assert summary.count == len(values)


def test_summary_of_known_values() -> None:
    summary = summarise([79.0, 25.0, 68.0, 24.0])
    assert (summary.count, summary.median_hours, summary.p90_hours, summary.mean_hours) == (
        4,
        46.5,
        75.7,
        49.0,
    )
    assert summarise([5.0]).p90_hours == 5.0
    assert summarise([]).median_hours is None


def test_bad_days_and_periods_are_refused_with_one_clear_message() -> None:
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        parse_day("31/03/2026", "--from")
    with pytest.raises(ValidationError, match="starts"):
        Period(date(2026, 3, 31), date(2026, 3, 1))
    assert parse_day(" ", "--to") is None


@pytest.mark.parametrize(
    ("status", "promised", "expected"),
    [
        (JobStatus.IN_REPAIR, date(2026, 3, 9), Due.OVERDUE),
        (JobStatus.IN_REPAIR, date(2026, 3, 10), Due.DUE_SOON),
        (JobStatus.AWAITING_PARTS, date(2026, 3, 11), Due.DUE_SOON),
        (JobStatus.RECEIVED, date(2026, 3, 12), Due.ON_TIME),
        (JobStatus.READY, date(2026, 3, 1), Due.ON_TIME),
        (JobStatus.COLLECTED, date(2026, 3, 1), Due.ON_TIME),
        (JobStatus.ON_HOLD, None, Due.ON_TIME),
    ],
)
def test_due_state(status: JobStatus, promised: date | None, expected: Due) -> None:
    assert due_state(status, promised, today=date(2026, 3, 10)) is expected
