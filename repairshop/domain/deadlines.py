"""Whether a job is past the day promised to the customer, or about to be.

Job lists and the workshop queue mark rows with this, the dashboard counts
"overdue now" with the same rule, so a job is never overdue in one place and
on time in another.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from repairshop.domain.statuses import WORKSHOP_STATUSES, JobStatus
from repairshop.i18n import N_, _

DUE_SOON_DAYS = 1
"""A job promised for today or tomorrow is due soon."""


class Due(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return _(DUE_LABELS[self])


DUE_LABELS: dict[Due, str] = {
    Due.ON_TIME: N_("On time"),
    Due.DUE_SOON: N_("Due soon"),
    Due.OVERDUE: N_("Overdue"),
}


def due_state(
    status: JobStatus | str,
    promised: date | None,
    today: date,
    soon_days: int = DUE_SOON_DAYS,
) -> Due:
    """Overdue once the promised day has passed and the job is still in the workshop.

    A job that is ready or collected kept its promise as far as the queue is
    concerned; a job with no promised day is never overdue.
    """
    if promised is None or JobStatus(status) not in WORKSHOP_STATUSES:
        return Due.ON_TIME
    if promised < today:
        return Due.OVERDUE
    if promised <= today + timedelta(days=soon_days):
        return Due.DUE_SOON
    return Due.ON_TIME
