"""Workload: jobs in and out per day, work in progress per technician, how old the open jobs are.

Also the dashboard's counts (overdue now, ready for pickup, waiting for parts,
taken in today): each tile's number is ``count_jobs`` of the very
:class:`~repairshop.services.jobs.listing.JobFilter` its click opens in the Jobs
view, so the number and the list behind it cannot disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import case, func, select

from repairshop.db.tables import Device, Job, User, status_among
from repairshop.domain.opening_hours import LocalDays, local_day_span
from repairshop.domain.roles import Permission
from repairshop.domain.statuses import WORKSHOP_STATUSES, JobStatus
from repairshop.i18n import _
from repairshop.services.jobs.listing import count_jobs
from repairshop.services.reports.figures import Period, checked_filters, driver_rows, epoch
from repairshop.services.reports.tiles import DashboardCounts as DashboardCounts  # noqa: PLC0414
from repairshop.services.reports.tiles import Tile as Tile  # noqa: PLC0414 (re-exported)
from repairshop.services.reports.tiles import tile_filter
from repairshop.services.reports.turnaround import NO_TECHNICIAN, days_span_label, more_days_label
from repairshop.services.shop.opening_hours import get_opening_hours, shop_today
from repairshop.services.shop.users import require_actor
from repairshop.services.uow import UnitOfWork

DAY = 86_400.0

AGEING_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 2), (3, 7), (8, 14), (15, 30), (31, None))
"""Whole days since intake, both ends included; the last bucket is open-ended."""


def ageing_label(low: int, high: int | None) -> str:
    return more_days_label(low - 1) if high is None else days_span_label(low, high)


@dataclass(frozen=True)
class WorkloadQuery:
    period: Period = field(default_factory=Period)
    technician: str | None = None
    device_type: str | None = None


@dataclass(frozen=True)
class DayFlow:
    day: date
    taken_in: int
    ready: int
    collected: int


@dataclass(frozen=True)
class TechnicianLoad:
    login: str | None
    """None: jobs nobody is assigned to yet."""
    name: str
    open_jobs: int
    overdue: int
    by_status: dict[str, int]


@dataclass(frozen=True)
class AgeingBucket:
    low: int
    high: int | None
    jobs: int

    @property
    def label(self) -> str:
        return ageing_label(self.low, self.high)


@dataclass(frozen=True)
class WorkloadReport:
    query: WorkloadQuery
    days: tuple[DayFlow, ...]
    technicians: tuple[TechnicianLoad, ...]
    ageing: tuple[AgeingBucket, ...]
    today: date


def workload_report(uow: UnitOfWork, query: WorkloadQuery) -> WorkloadReport:
    require_actor(uow, Permission.SEE_REPORTS)
    technician, device_type = checked_filters(uow, query.technician, query.device_type)
    query = replace(query, technician=technician, device_type=device_type)
    zone = get_opening_hours(uow).zone()
    now = uow.now()
    today = now.astimezone(zone).date()
    period = Period(query.period.start or today - timedelta(days=29), query.period.end or today)
    return WorkloadReport(
        query=query,
        days=_flows(uow, query, period, zone),
        technicians=_loads(uow, query, today),
        ageing=_ageing(uow, query, now, zone),
        today=today,
    )


def _scoped(statement: Any, query: WorkloadQuery) -> Any:
    if query.technician is not None:
        statement = statement.where(
            Job.assignee_id
            == select(User.id).where(User.login == query.technician).scalar_subquery()
        )
    if query.device_type is not None:
        statement = statement.where(
            Job.device_id.in_(select(Device.id).where(Device.device_type == query.device_type))
        )
    return statement


def _flows(
    uow: UnitOfWork, query: WorkloadQuery, period: Period, zone: tzinfo
) -> tuple[DayFlow, ...]:
    assert period.start is not None
    assert period.end is not None
    low, high = period.utc_bounds(zone)
    taken = driver_rows(
        uow,
        _scoped(
            select(epoch(Job.created_at)).where(Job.created_at >= low, Job.created_at < high),
            query,
        ),
    )
    # The jobs' milestones: the moments their status events to ready and collected carry.
    out: dict[str, Counter[date]] = defaultdict(Counter)
    days = LocalDays(zone, period.start, period.end)
    for status, milestone in (
        (JobStatus.READY.value, Job.ready_at),
        (JobStatus.COLLECTED.value, Job.collected_at),
    ):
        moved = driver_rows(
            uow,
            _scoped(select(epoch(milestone)).where(milestone >= low, milestone < high), query),
        )
        out[status] = Counter(days.day_of(row[0]) for row in moved)
    taken_in = Counter(days.day_of(row[0]) for row in taken)
    flows = []
    day = period.start
    while day <= period.end:
        flows.append(DayFlow(day, taken_in[day], out["ready"][day], out["collected"][day]))
        day += timedelta(days=1)
    return tuple(flows)


def _loads(uow: UnitOfWork, query: WorkloadQuery, today: date) -> tuple[TechnicianLoad, ...]:
    """Jobs still in the workshop (not ready, not collected) per technician and status."""
    workshop = [status.value for status in WORKSHOP_STATUSES]
    rows = uow.session.execute(
        _scoped(
            select(
                User.login,
                User.display_name,
                Job.status,
                func.count(),
                func.sum(_overdue_flag(today)),
            )
            .select_from(Job)
            .outerjoin(User, User.id == Job.assignee_id)
            .where(status_among(workshop))
            .group_by(User.login, User.display_name, Job.status),
            query,
        )
    ).all()
    loads: dict[str | None, dict[str, Any]] = {}
    for login, name, status, count, overdue in rows:
        load = loads.setdefault(
            login, {"name": name or _(NO_TECHNICIAN), "open": 0, "overdue": 0, "by_status": {}}
        )
        load["open"] += count
        load["overdue"] += int(overdue or 0)
        load["by_status"][status] = count
    order = list(JobStatus)
    result = [
        TechnicianLoad(
            login=login,
            name=load["name"],
            open_jobs=load["open"],
            overdue=load["overdue"],
            by_status=dict(
                sorted(load["by_status"].items(), key=lambda i: order.index(JobStatus(i[0])))
            ),
        )
        for login, load in loads.items()
    ]
    result.sort(key=lambda load: (load.login is None, load.name.casefold()))
    return tuple(result)


def _overdue_flag(today: date) -> Any:
    return case((Job.promised < today, 1), else_=0)


def _ageing(
    uow: UnitOfWork, query: WorkloadQuery, now: datetime, zone: tzinfo
) -> tuple[AgeingBucket, ...]:
    """Open jobs (still in the workshop) by whole local days since intake."""
    workshop = [status.value for status in WORKSHOP_STATUSES]
    rows = driver_rows(
        uow, _scoped(select(epoch(Job.created_at)).where(status_among(workshop)), query)
    )
    counts = [0] * len(AGEING_BUCKETS)
    if rows:
        first, last = local_day_span(zone, min(r[0] for r in rows), now.timestamp())
        days = LocalDays(zone, first, last)
        today = now.astimezone(zone).date()
        for (created,) in rows:
            age = (today - days.day_of(created)).days
            for index, (low, high) in enumerate(AGEING_BUCKETS):
                if age >= low and (high is None or age <= high):
                    counts[index] += 1
                    break
    return tuple(
        AgeingBucket(low, high, count)
        for (low, high), count in zip(AGEING_BUCKETS, counts, strict=True)
    )


def dashboard_counts(uow: UnitOfWork) -> DashboardCounts:
    """The number on each tile, with the job-list filter its click opens (indexed counts)."""
    today = shop_today(uow)
    filters = {tile: tile_filter(tile, today) for tile in Tile}
    counts = {tile: count_jobs(uow, where) for tile, where in filters.items()}
    return DashboardCounts(counts, filters, today)
