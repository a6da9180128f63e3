"""Workload, dashboard tiles and the job lists they open, for the hand-built week."""

from __future__ import annotations

from datetime import date

import pytest

from repairshop.domain.opening_hours import OpeningHours
from repairshop.services.database import Database
from repairshop.services.jobs.listing import QUEUE_SORT, job_ids
from repairshop.services.jobs.workflow import summaries
from repairshop.services.reports.figures import Period
from repairshop.services.reports.workload import (
    Tile,
    WorkloadQuery,
    dashboard_counts,
    workload_report,
)
from repairshop.services.shop.opening_hours import get_opening_hours, write_opening_hours
from tests.helpers import SettableClock
from tests.report_history import OPENING, Week, build_week


@pytest.fixture
def week(db: Database, clock: SettableClock) -> Week:
    return build_week(db, clock)


def test_jobs_in_and_out_per_day(db: Database, week: Week) -> None:
    with db.reader() as uow:
        found = workload_report(uow, WorkloadQuery(Period(date(2026, 3, 10), date(2026, 3, 16))))
    flows = {flow.day.day: (flow.taken_in, flow.ready, flow.collected) for flow in found.days}
    assert flows == {
        10: (4, 0, 0),  # A, B, C, E taken in
        11: (0, 2, 1),  # C and A ready, C collected
        12: (0, 0, 1),  # A collected
        13: (1, 1, 0),  # D taken in, B ready
        14: (0, 0, 0),
        15: (0, 0, 0),
        16: (1, 1, 0),  # F taken in, D ready
    }


def test_work_in_progress_and_ageing(db: Database, week: Week) -> None:
    with db.reader() as uow:
        found = workload_report(uow, WorkloadQuery())
    loads = {load.login: load for load in found.technicians}
    assert set(loads) == {"tomas", None}
    assert (loads["tomas"].open_jobs, loads["tomas"].overdue) == (1, 1)  # E, promised Thursday
    assert loads["tomas"].by_status == {"awaiting_parts": 1}
    assert (loads[None].name, loads[None].open_jobs, loads[None].overdue) == ("Unassigned", 1, 0)
    ages = {bucket.label: bucket.jobs for bucket in found.ageing}
    assert ages == {
        "0–2 days": 1,  # F, taken in today
        "3–7 days": 1,  # E, six days old
        "8–14 days": 0,
        "15–30 days": 0,
        "over 30 days": 0,
    }
    assert found.days[-1].day == date(2026, 3, 16)
    assert len(found.days) == 30


def test_dashboard_tiles_count_what_their_lists_show(db: Database, week: Week) -> None:
    with db.reader() as uow:
        dashboard = dashboard_counts(uow)
        lists = {tile: job_ids(uow, dashboard.filters[tile], QUEUE_SORT) for tile in Tile}
    assert dashboard.counts == {
        Tile.OVERDUE: 1,
        Tile.READY: 2,
        Tile.AWAITING_PARTS: 1,
        Tile.TAKEN_IN_TODAY: 1,
        Tile.COMPLAINTS_DUE: 0,
    }
    codes = week.codes
    with db.reader() as uow:
        shown = {tile: [s.code for s in summaries(uow, ids)] for tile, ids in lists.items()}
    assert shown[Tile.OVERDUE] == [codes["E"]]
    assert shown[Tile.READY] == [codes["B"], codes["D"]]
    assert shown[Tile.AWAITING_PARTS] == [codes["E"]]
    assert shown[Tile.TAKEN_IN_TODAY] == [codes["F"]]
    assert shown[Tile.COMPLAINTS_DUE] == []


def test_opening_hours_round_trip_through_settings(db: Database, week: Week) -> None:
    with db.reader() as uow:
        assert get_opening_hours(uow) == OPENING
    changed = OpeningHours(closed_days=frozenset({date(2026, 12, 24)}), timezone="Europe/Prague")
    with db.unit_of_work() as uow:
        write_opening_hours(uow, changed)
        uow.commit()
    with db.reader() as uow:
        assert get_opening_hours(uow) == changed
