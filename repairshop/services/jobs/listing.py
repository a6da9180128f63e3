"""The job list's queries: filtered and sorted in SQL, ids first, rows on demand.

A list over a million jobs keeps only ids in memory (cf. Anki's browser table):
:func:`job_ids` returns the ordered ids of every matching job in one query, and
:func:`job_rows` fetches the few rows a screen shows. :func:`job_page` and
:func:`count_jobs` serve callers that page instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from repairshop.db.tables import Complaint, Customer, Device, Job, User
from repairshop.domain.deadlines import DUE_SOON_DAYS, Due
from repairshop.domain.devices import DeviceType
from repairshop.domain.opening_hours import local_midnight_utc
from repairshop.domain.statuses import WORKSHOP_STATUSES, JobStatus, JobType
from repairshop.services.jobs.search import matching_job_ids
from repairshop.services.jobs.workflow import JobSummary, summaries
from repairshop.services.shop.opening_hours import get_opening_hours, shop_today
from repairshop.services.uow import UnitOfWork

T = TypeVar("T")

_CAN_BE_OVERDUE = sorted(status.value for status in WORKSHOP_STATUSES)
"""Only a job still in the workshop can be overdue (the rule of ``deadlines.due_state``)."""


class JobColumn(StrEnum):
    """The job list's columns; each sorts in SQL."""

    CODE = "code"
    STATUS = "status"
    JOB_TYPE = "job_type"
    CUSTOMER = "customer"
    DEVICE_TYPE = "device_type"
    DEVICE = "device"
    ASSIGNEE = "assignee"
    PROMISED = "promised"
    CREATED = "created"


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


@dataclass(frozen=True)
class JobSort:
    column: JobColumn = JobColumn.CODE
    descending: bool = True


NEWEST_FIRST = JobSort()

STABLE_COLUMNS: frozenset[JobColumn] = frozenset(
    {JobColumn.CODE, JobColumn.CUSTOMER, JobColumn.DEVICE_TYPE, JobColumn.DEVICE, JobColumn.CREATED}
)
"""Columns no action on a job changes: a list sorted by one can be updated in place."""


def queue_filter(login: str) -> JobFilter:
    """A technician's queue: their jobs that still need work."""
    return JobFilter(statuses=WORKSHOP_STATUSES, assignee=login)


WAITING_FOR_TECHNICIAN: frozenset[JobStatus] = frozenset(
    {JobStatus.RECEIVED, JobStatus.DIAGNOSING, JobStatus.IN_REPAIR, JobStatus.TESTING}
)
"""Statuses in which the next step is a technician's (not the customer's, nor a supplier's)."""


def waiting_filter() -> JobFilter:
    """Jobs nobody has taken yet whose next step is a technician's: new work to pick up."""
    return JobFilter(statuses=WAITING_FOR_TECHNICIAN, unassigned=True)


QUEUE_SORT = JobSort(JobColumn.PROMISED, descending=False)
"""The queue's order: the earliest promise first."""


def _filtered(uow: UnitOfWork, statement: Select[T], where: JobFilter) -> Select[T]:
    conditions: list[ColumnElement[bool]] = []
    if where.statuses:
        conditions.append(Job.status.in_(sorted(status.value for status in where.statuses)))
    if where.unassigned:
        conditions.append(Job.assignee_id.is_(None))
    elif where.assignee:
        login = where.assignee.strip().lower()
        conditions.append(Job.assignee_id.in_(select(User.id).where(User.login == login)))
    if where.device_type is not None:
        conditions.append(
            Job.device_id.in_(
                select(Device.id).where(Device.device_type == where.device_type.value)
            )
        )
    if where.job_type is not None:
        conditions.append(Job.job_type == where.job_type.value)
    if where.overdue:
        today = shop_today(uow)
        conditions.append(and_(Job.promised < today, Job.status.in_(_CAN_BE_OVERDUE)))
    if where.created_from is not None or where.created_to is not None:
        zone = get_opening_hours(uow).zone()
        if where.created_from is not None:
            conditions.append(Job.created_at >= local_midnight_utc(where.created_from, zone))
        if where.created_to is not None:
            end = where.created_to + timedelta(days=1)
            conditions.append(Job.created_at < local_midnight_utc(end, zone))
    if where.text.strip():
        conditions.append(Job.id.in_(matching_job_ids(uow, where.text)))
    if where.complaints_due_within is not None:
        limit = shop_today(uow) + timedelta(days=where.complaints_due_within)
        conditions.append(
            Job.id.in_(
                select(Complaint.job_id).where(
                    Complaint.decided_at.is_(None), Complaint.first_due <= limit
                )
            )
        )
    return statement.where(*conditions) if conditions else statement


def _sorted(statement: Select[tuple[int]], order: JobSort) -> Select[tuple[int]]:
    column = order.column
    if column is JobColumn.CUSTOMER:
        statement = statement.join(Customer, Customer.id == Job.customer_id)
        keys: list[Any] = [Customer.name]
    elif column in (JobColumn.DEVICE_TYPE, JobColumn.DEVICE):
        statement = statement.join(Device, Device.id == Job.device_id)
        keys = (
            [Device.device_type]
            if column is JobColumn.DEVICE_TYPE
            else [Device.brand, Device.model]
        )
    elif column is JobColumn.ASSIGNEE:
        statement = statement.outerjoin(User, User.id == Job.assignee_id)
        keys = [User.display_name]
    else:
        simple: dict[JobColumn, list[Any]] = {
            JobColumn.CODE: [],
            JobColumn.STATUS: [Job.status],
            JobColumn.JOB_TYPE: [Job.job_type],
            JobColumn.PROMISED: [Job.promised],
            JobColumn.CREATED: [Job.created_at],
        }
        keys = simple[column]
    # Nulls (no technician, no promise) sort last going up, first going down, on both databases.
    ordering: list[Any] = [
        key.desc().nulls_first() if order.descending else key.asc().nulls_last() for key in keys
    ]
    ordering.append(Job.id.desc() if order.descending else Job.id.asc())
    return statement.order_by(*ordering)


def job_ids(uow: UnitOfWork, where: JobFilter, order: JobSort = NEWEST_FIRST) -> list[int]:
    """The ids of every job ``where`` selects, in ``order``: one query, ids only."""
    statement = _sorted(_filtered(uow, select(Job.id), where), order)
    return list(uow.session.scalars(statement))


def matching_ids(uow: UnitOfWork, where: JobFilter, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` ``where`` selects: a list updates in place after a change to a few jobs."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    statement = _filtered(uow, select(Job.id), where).where(Job.id.in_(wanted))
    return set(uow.session.scalars(statement))


def count_jobs(uow: UnitOfWork, where: JobFilter) -> int:
    statement = _filtered(uow, select(func.count(Job.id)), where)
    return int(uow.session.scalar(statement) or 0)


def has_jobs(uow: UnitOfWork) -> bool:
    """Whether there is any job at all: one row looked up, never a count of a million."""
    return uow.session.scalar(select(Job.id).limit(1)) is not None


def due_counts(uow: UnitOfWork, where: JobFilter) -> dict[Due, int]:
    """How many of the jobs ``where`` selects are overdue, due soon and on time."""
    today = shop_today(uow)
    state = case(
        (Job.promised.is_(None) | Job.status.not_in(_CAN_BE_OVERDUE), Due.ON_TIME.value),
        (Job.promised < today, Due.OVERDUE.value),
        (Job.promised <= today + timedelta(days=DUE_SOON_DAYS), Due.DUE_SOON.value),
        else_=Due.ON_TIME.value,
    )
    rows = uow.session.execute(_filtered(uow, select(state, func.count()), where).group_by(state))
    counts = dict.fromkeys(Due, 0)
    for value, count in rows:
        counts[Due(value)] += int(count)
    return counts


def job_page(
    uow: UnitOfWork, where: JobFilter, order: JobSort, offset: int, limit: int
) -> list[JobSummary]:
    """One page of rows, for callers that page rather than hold every id."""
    statement = _sorted(_filtered(uow, select(Job.id), where), order).offset(offset).limit(limit)
    return summaries(uow, list(uow.session.scalars(statement)))


def job_rows(uow: UnitOfWork, ids: list[int]) -> list[JobSummary]:
    """The rows for ``ids`` (the visible part of a list), in the order given."""
    return summaries(uow, ids)
