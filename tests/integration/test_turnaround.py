"""Turnaround figures for a hand-built week whose answers are known (tests/report_history.py)."""

from __future__ import annotations

from datetime import date

import pytest

from repairshop.services.database import Database
from repairshop.services.reports.figures import Period
from repairshop.services.reports.turnaround import (
    EndPoint,
    Grouping,
    TurnaroundQuery,
    TurnaroundReport,
    turnaround_report,
    turnaround_reports,
)
from tests.helpers import SettableClock
from tests.report_history import build_week


def report(db: Database, **query: object) -> TurnaroundReport:
    with db.reader() as uow:
        return turnaround_report(uow, TurnaroundQuery(**query))  # type: ignore[arg-type]


def figures(found: TurnaroundReport) -> dict[str | None, tuple[object, ...]]:
    rows = {
        row.key: (
            row.summary.count,
            row.summary.median_hours,
            row.summary.p90_hours,
            row.summary.mean_hours,
        )
        for row in found.rows
    }
    total = found.total.summary
    rows["TOTAL"] = (total.count, total.median_hours, total.p90_hours, total.mean_hours)
    return rows


@pytest.fixture
def week_db(db: Database, clock: SettableClock) -> Database:
    build_week(db, clock)
    return db


def test_hours_to_ready_per_technician(week_db: Database) -> None:
    found = report(week_db)
    # tomas: A 25 h, B 79 h; marek: C 24 h, D 68 h. The 90th percentile interpolates
    # between the closest ranks: (25 + 9 * 79) / 10 = 73.6.
    assert figures(found) == {
        "tomas": (2, 52.0, 73.6, 52.0),
        "marek": (2, 46.0, 63.6, 46.0),
        "TOTAL": (4, 46.5, 75.7, 49.0),
    }
    assert [row.label for row in found.rows] == ["Marek Kubíček", "Tomáš Hrubý"]
    # B was promised for Thursday and was ready on Friday; the others were on time.
    assert {row.key: row.on_time_share for row in found.rows} == {"tomas": 0.5, "marek": 1.0}
    assert found.total.on_time_share == 0.75


def test_business_hours_skip_nights_and_the_weekend(week_db: Database) -> None:
    found = report(week_db, business_hours=True)
    # A 10 h, B 34 h, C 9 h, D 5 h (Friday 15-17 and Monday 08-11).
    assert figures(found) == {
        "tomas": (2, 22.0, 31.6, 22.0),
        "marek": (2, 7.0, 8.6, 7.0),
        "TOTAL": (4, 9.5, 26.8, 14.5),
    }


def test_to_collection_counts_only_collected_jobs(week_db: Database) -> None:
    found = report(week_db, end_point=EndPoint.COLLECTED, by=Grouping.DEVICE_TYPE)
    # A collected after 49 h, C (returned unrepaired) after 27 h; both phones.
    assert figures(found) == {"phone": (2, 38.0, 46.8, 38.0), "TOTAL": (2, 38.0, 46.8, 38.0)}
    assert found.rows[0].label == "Phone"
    assert found.total.on_time_share is None


def test_grouped_by_device_type_brand_job_type_and_month(week_db: Database) -> None:
    by_type = figures(report(week_db, by=Grouping.DEVICE_TYPE))
    assert by_type["phone"] == (2, 24.5, 24.9, 24.5)
    assert by_type["laptop"] == (2, 73.5, 77.9, 73.5)
    assert set(figures(report(week_db, by=Grouping.BRAND))) == {"Samsung", "Lenovo", "TOTAL"}
    assert figures(report(week_db, by=Grouping.JOB_TYPE))["paid_repair"][0] == 4
    assert figures(report(week_db, by=Grouping.MONTH))["2026-03"] == (4, 46.5, 75.7, 49.0)


def test_time_in_each_status_counts_every_stay(week_db: Database) -> None:
    found = report(week_db, by=Grouping.STATUS)
    rows = {row.key: row for row in found.rows}
    assert list(rows) == [
        "received",
        "diagnosing",
        "awaiting_parts",
        "in_repair",
        "testing",
        "on_hold",
        "cancelled",
    ]
    # A diagnosed twice (2 h before the hold, 1 h after), B, C (4 h), D (0.5 h).
    assert (rows["diagnosing"].summary.count, rows["diagnosing"].jobs) == (5, 4)
    assert rows["diagnosing"].summary.median_hours == 1.0
    # B waited for parts twice: 48 h and 24 h.
    parts = rows["awaiting_parts"]
    assert (parts.summary.count, parts.jobs, parts.summary.mean_hours) == (2, 1, 36.0)
    assert rows["on_hold"].summary.mean_hours == 4.0
    assert rows["cancelled"].summary.mean_hours == 18.0
    assert rows["in_repair"].summary.count == 4  # A 16 h, B 2 h twice, D 65.5 h
    assert rows["in_repair"].summary.median_hours == 9.0
    # The stays of each job add up to its turnaround.
    assert found.total.summary.mean_hours == 49.0
    assert found.total.summary.count == 4


def test_the_period_is_the_day_the_job_became_ready(week_db: Database) -> None:
    wednesday = report(week_db, period=Period(date(2026, 3, 11), date(2026, 3, 11)))
    assert figures(wednesday)["TOTAL"] == (2, 24.5, 24.9, 24.5)  # C and A
    only_marek = report(week_db, technician="marek")
    assert figures(only_marek)["TOTAL"] == (2, 46.0, 63.6, 46.0)
    laptops = report(week_db, device_type="laptop", by=Grouping.STATUS)
    assert laptops.total.summary.count == 2
    empty = report(week_db, period=Period(date(2026, 2, 1), date(2026, 2, 28)))
    assert empty.rows == ()
    assert empty.total.summary.count == 0
    assert empty.total.summary.median_hours is None


def test_distribution_of_turnaround(week_db: Database) -> None:
    counts = dict(report(week_db).distribution)
    # 24 h is "up to 1 day"; 25 h is "1-2 days"; 68 h "2-3 days"; 79 h "3-5 days".
    assert counts["up to 1 day"] == 1
    assert counts["1–2 days"] == 1
    assert counts["2–3 days"] == 1
    assert counts["3–5 days"] == 1
    assert sum(counts.values()) == 4


def test_several_groupings_from_one_pass_match_the_single_reports(week_db: Database) -> None:
    wanted = (Grouping.TECHNICIAN, Grouping.DEVICE_TYPE, Grouping.MONTH, Grouping.STATUS)
    query = TurnaroundQuery(business_hours=True)
    with week_db.reader() as uow:
        together = turnaround_reports(uow, query, wanted)
    for grouping in wanted:
        alone = report(week_db, by=grouping, business_hours=True)
        assert figures(together[grouping]) == figures(alone)
        assert together[grouping].query.by is grouping
