"""The dashboard's tiles: what each counts and the job list its click opens.

Plain data, with no database layer: a start shows the tiles' numbers read by
:mod:`repairshop.services.first_look` before SQLAlchemy is loaded, and
:func:`repairshop.services.reports.workload.dashboard_counts` reads them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from repairshop.domain.complaints import DUE_SOON_DAYS as COMPLAINT_DUE_SOON_DAYS
from repairshop.domain.statuses import WORKSHOP_STATUSES, JobStatus
from repairshop.i18n import N_, _
from repairshop.services.jobs.filters import JobFilter


class Tile(StrEnum):
    """The dashboard's tiles; each names the job list it opens."""

    OVERDUE = "overdue"
    READY = "ready"
    AWAITING_PARTS = "awaiting_parts"
    TAKEN_IN_TODAY = "taken_in_today"
    COMPLAINTS_DUE = "complaints_due"

    @property
    def label(self) -> str:
        return _(TILE_LABELS[self])


TILE_LABELS: dict[Tile, str] = {
    Tile.OVERDUE: N_("Overdue now"),
    Tile.READY: N_("Ready for pickup"),
    Tile.AWAITING_PARTS: N_("Waiting for parts"),
    Tile.TAKEN_IN_TODAY: N_("Taken in today"),
    Tile.COMPLAINTS_DUE: N_("Complaints due in 3 days"),
}


def tile_filter(tile: Tile, today: date) -> JobFilter:
    """The job list a tile opens; the tile's number is this list's length."""
    if tile is Tile.OVERDUE:
        return JobFilter(statuses=WORKSHOP_STATUSES, overdue=True)
    if tile is Tile.READY:
        return JobFilter(statuses=frozenset({JobStatus.READY}))
    if tile is Tile.AWAITING_PARTS:
        return JobFilter(statuses=frozenset({JobStatus.AWAITING_PARTS}))
    if tile is Tile.COMPLAINTS_DUE:
        return JobFilter(complaints_due_within=COMPLAINT_DUE_SOON_DAYS)
    return JobFilter(created_from=today, created_to=today)


@dataclass(frozen=True)
class DashboardCounts:
    counts: dict[Tile, int]
    filters: dict[Tile, JobFilter]
    today: date
