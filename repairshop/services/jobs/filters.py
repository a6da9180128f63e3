"""What a job list shows: the filter the Jobs view, the dashboard tiles and the command line
share. Plain data, so a start can hold a tile's filter before the database layer is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from repairshop.domain.devices import DeviceType
from repairshop.domain.statuses import JobStatus, JobType


@dataclass(frozen=True)
class JobFilter:
    """What the list shows; empty fields do not filter."""

    statuses: frozenset[JobStatus] = frozenset()
    assignee: str | None = None
    """A technician's login."""
    unassigned: bool = False
    device_type: DeviceType | None = None
    job_type: JobType | None = None
    overdue: bool = False
    """Past its promised day and still in the workshop, by the shop's calendar."""
    created_from: date | None = None
    created_to: date | None = None
    """Inclusive: jobs taken in on this day are shown."""
    text: str = ""
    """Searched as the search box does (code, customer, contacts, serial, IMEI, device)."""
    complaints_due_within: int | None = None
    """Open complaints whose first deadline is at most this many days away (or past)."""
