"""Turnaround: how long jobs took from intake to ready (or to collection), and where the time went.

Everything is computed from the append-only history (ARCHITECTURE.md): the moment a
job reached ``ready`` (or ``collected``) is its ``status`` event, kept on the job as
its milestone (``jobs.ready_at``, ``jobs.collected_at``, written in the same
transaction as the event, so the report reads one row per job instead of joining
the history), the intake is the job's creation, and the time in each status is the
gap between one status event and the job's next one, so a job that went on hold
twice counts both stays. The report covers jobs that reached the end point within the period.
SQL returns one row per job (or event) with moments as seconds since 1970;
grouping and percentiles happen in Python so SQLite and PostgreSQL give
identical figures.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select

from repairshop.db.tables import Device, Job, JobEvent, User
from repairshop.domain.devices import device_type_label
from repairshop.domain.opening_hours import (
    BusinessClock,
    LocalDays,
    OpeningHours,
    local_day_span,
    local_midnight_utc,
)
from repairshop.domain.roles import Permission
from repairshop.domain.statuses import JobStatus, job_type_label
from repairshop.i18n import N_, _, ngettext
from repairshop.services.reports.figures import (
    HOUR,
    Period,
    Summary,
    checked_filters,
    driver_rows,
    epoch,
    summarise,
)
from repairshop.services.shop.opening_hours import get_opening_hours
from repairshop.services.shop.users import require_actor
from repairshop.services.uow import UnitOfWork


class Grouping(StrEnum):
    TECHNICIAN = "technician"
    DEVICE_TYPE = "device_type"
    BRAND = "brand"
    JOB_TYPE = "job_type"
    MONTH = "month"
    STATUS = "status"

    @property
    def label(self) -> str:
        return _(GROUPING_LABELS[self])


GROUPING_LABELS: dict[Grouping, str] = {
    Grouping.TECHNICIAN: N_("Technician"),
    Grouping.DEVICE_TYPE: N_("Device type"),
    Grouping.BRAND: N_("Brand"),
    Grouping.JOB_TYPE: N_("Job type"),
    Grouping.MONTH: N_("Month"),
    Grouping.STATUS: N_("Status"),
}


class EndPoint(StrEnum):
    READY = "ready"
    COLLECTED = "collected"


@dataclass(frozen=True)
class TurnaroundQuery:
    period: Period = field(default_factory=Period)
    by: Grouping = Grouping.TECHNICIAN
    end_point: EndPoint = EndPoint.READY
    business_hours: bool = False
    technician: str | None = None
    """Only jobs assigned to this login."""
    device_type: str | None = None


@dataclass(frozen=True)
class TurnaroundRow:
    key: str | None
    """The group's stable key (login, device type key, ``2026-03``, status key); None: none."""
    label: str
    summary: Summary
    jobs: int
    """Jobs in the group (for ``status``, ``summary.count`` counts stays instead)."""
    on_time_share: float | None = None
    """Share of jobs with a promised day that were ready by the end of it (ready end point)."""

    @property
    def count(self) -> int:
        return self.summary.count


@dataclass(frozen=True)
class TurnaroundReport:
    query: TurnaroundQuery
    rows: tuple[TurnaroundRow, ...]
    total: TurnaroundRow
    distribution: tuple[tuple[str, int], ...] = field(default=())
    """How many jobs took how long (the total row's jobs), for the histogram."""


NO_TECHNICIAN = N_("Unassigned")

DISTRIBUTION_DAYS: tuple[int, ...] = (1, 2, 3, 5, 7, 14, 30)


def distribution_labels() -> tuple[str, ...]:
    """Labels of the histogram's bars: up to 1 day, 1-2 days, …, over 30 days."""
    first = DISTRIBUTION_DAYS[0]
    labels = [ngettext("up to {days} day", "up to {days} days", first).format(days=first)]
    for low, high in itertools.pairwise(DISTRIBUTION_DAYS):
        labels.append(days_span_label(low, high))
    labels.append(more_days_label(DISTRIBUTION_DAYS[-1]))
    return tuple(labels)


def days_span_label(low: int, high: int) -> str:
    """Such as "3–7 days"; the plural form follows the upper number, as people say it."""
    return ngettext("{low}–{high} day", "{low}–{high} days", high).format(low=low, high=high)


def more_days_label(days: int) -> str:
    return ngettext("over {days} day", "over {days} days", days).format(days=days)


def turnaround_report(uow: UnitOfWork, query: TurnaroundQuery) -> TurnaroundReport:
    return turnaround_reports(uow, query, (query.by,))[query.by]


def turnaround_reports(
    uow: UnitOfWork, query: TurnaroundQuery, groupings: Sequence[Grouping]
) -> dict[Grouping, TurnaroundReport]:
    """The report for each of ``groupings`` (``query.by`` is ignored), reading the history once.

    The Reports view shows several groupings of the same jobs; one pass over the
    events serves them all.
    """
    require_actor(uow, Permission.SEE_REPORTS)
    technician, device_type = checked_filters(uow, query.technician, query.device_type)
    query = replace(query, technician=technician, device_type=device_type)
    hours = get_opening_hours(uow)
    zone = hours.zone()
    reports: dict[Grouping, TurnaroundReport] = {}
    if Grouping.STATUS in groupings:
        reports[Grouping.STATUS] = _status_report(
            uow, replace(query, by=Grouping.STATUS), hours, zone
        )
    by_job = [grouping for grouping in groupings if grouping is not Grouping.STATUS]
    if not by_job:
        return reports
    rows = driver_rows(uow, _job_rows(query, zone, by_job))
    start = len(by_job)
    clock = _business_clock(hours, zone, rows, start, start + 1) if query.business_hours else None
    deadlines = _Deadlines(zone)
    technicians = _technicians(uow) if Grouping.TECHNICIAN in by_job else {}
    for index, grouping in enumerate(by_job):
        months = _local_days(zone, rows, start + 1) if grouping is Grouping.MONTH else None
        groups, tallies = _collect(rows, index, start, clock, months, deadlines)
        reports[grouping] = _grouped_report(
            replace(query, by=grouping), groups, tallies, technicians
        )
    return reports


def _grouped_report(
    query: TurnaroundQuery,
    groups: dict[Any, list[float]],
    tallies: dict[Any, list[int]],
    technicians: dict[int, tuple[str, str]],
) -> TurnaroundReport:
    if query.by is Grouping.TECHNICIAN:
        groups = {technicians[key][0] if key else None: v for key, v in groups.items()}
        tallies = {technicians[key][0] if key else None: v for key, v in tallies.items()}
    names = dict(technicians.values())
    ready = query.end_point is EndPoint.READY

    def share(keys: Iterable[Any]) -> float | None:
        with_promise = sum(tallies[key][0] for key in keys if key in tallies)
        if not ready or not with_promise:
            return None
        return round(sum(tallies[key][1] for key in keys if key in tallies) / with_promise, 4)

    report_rows = [
        TurnaroundRow(
            key=None if key is None else str(key),
            label=_label(query.by, key, names),
            summary=summarise(values),
            jobs=len(values),
            on_time_share=share((key,)),
        )
        for key, values in groups.items()
    ]
    report_rows.sort(key=_row_order(query.by))
    # The groups are sorted now: their concatenation is a few sorted runs, which
    # sorts in linear time.
    every: list[float] = []
    for values in groups.values():
        every.extend(values)
    total = TurnaroundRow(
        key=None,
        label=_("All jobs"),
        summary=summarise(every),
        jobs=len(every),
        on_time_share=share(groups),
    )
    return TurnaroundReport(query, tuple(report_rows), total, _distribution(every))


def _collect(  # noqa: PLR0917 - the hot loop's inputs, private
    rows: Sequence[Any],
    key_index: int,
    start_index: int,
    clock: BusinessClock | None,
    months: LocalDays | None,
    deadlines: _Deadlines,
) -> tuple[dict[Any, list[float]], dict[Any, list[int]]]:
    """Hours per group, and per group [jobs with a promised day, of them ready in time].

    The hot loop of the report (one pass per job), kept free of calls where it can be.
    Each row is the grouping keys, then start and end (seconds) and the promised day.
    """
    groups: dict[Any, list[float]] = defaultdict(list)
    tallies: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    cached = deadlines.cache
    end_index = start_index + 1
    promised_index = start_index + 2
    for row in rows:
        start = row[start_index]
        end = row[end_index]
        seconds = clock.seconds(start, end) if clock else end - start
        group = months.day_of(end).strftime("%Y-%m") if months else row[key_index]
        groups[group].append(seconds / HOUR)
        promised = row[promised_index]
        if promised is not None:
            tally = tallies[group]
            tally[0] += 1
            deadline = cached.get(promised)
            if deadline is None:
                deadline = deadlines.end_of(promised)
            if end < deadline:
                tally[1] += 1
    return groups, tallies


def _job_rows(query: TurnaroundQuery, zone: tzinfo, groupings: Sequence[Grouping]) -> Select[Any]:
    """One row per job that reached the end point in the period.

    Columns: one key per grouping, then intake and end as seconds, and the promised day.
    The end is the job's milestone: a job reaches ``ready`` once and ``collected`` once
    (ready leads only to collected, which is final), so this is the events' answer.
    """
    jobs = Job.__table__
    devices = Device.__table__
    keys: list[Any] = []
    needs_device = query.device_type is not None
    for grouping in groupings:
        if grouping is Grouping.TECHNICIAN:
            keys.append(jobs.c.assignee_id)
        elif grouping in (Grouping.DEVICE_TYPE, Grouping.BRAND):
            is_type = grouping is Grouping.DEVICE_TYPE
            keys.append(devices.c.device_type if is_type else devices.c.brand)
            needs_device = True
        elif grouping is Grouping.JOB_TYPE:
            keys.append(jobs.c.job_type)
        else:  # the month comes from the end moment
            keys.append(jobs.c.id)
    end = _milestone(jobs, query.end_point)
    source: Any = jobs
    if needs_device:
        source = source.join(devices, devices.c.id == jobs.c.device_id)
    statement = (
        select(*keys, epoch(jobs.c.created_at), epoch(end), jobs.c.promised)
        .select_from(source)
        .where(end.is_not(None))
    )
    return _filtered(statement, query, zone, end, jobs, devices)


def _milestone(jobs: Any, end_point: EndPoint) -> Any:
    """The job's column holding the moment it reached ``end_point``."""
    return jobs.c.ready_at if end_point is EndPoint.READY else jobs.c.collected_at


def _filtered(  # noqa: PLR0917 - one private helper for both queries
    statement: Select[Any],
    query: TurnaroundQuery,
    zone: tzinfo,
    moment: Any,
    jobs: Any,
    devices: Any,
) -> Select[Any]:
    low, high = query.period.utc_bounds(zone)
    if low is not None:
        statement = statement.where(moment >= low)
    if high is not None:
        statement = statement.where(moment < high)
    if query.technician is not None:
        statement = statement.where(
            jobs.c.assignee_id
            == select(User.id).where(User.login == query.technician).scalar_subquery()
        )
    if query.device_type is not None:
        statement = statement.where(devices.c.device_type == query.device_type)
    return statement


def _status_report(
    uow: UnitOfWork, query: TurnaroundQuery, hours: OpeningHours, zone: tzinfo
) -> TurnaroundReport:
    """Time in each status, every stay counted, for the jobs that reached the end point.

    A stay runs from one status event to the job's next one. The events come
    ordered by job and time and the gaps are taken in Python: on SQLite that is
    twice as fast as ``LEAD() OVER (PARTITION BY job_id ...)``, which has to
    materialise and sort the window first.
    """
    rows = driver_rows(uow, _status_event_rows(query, zone))
    clock = _business_clock(hours, zone, rows, 2, 2) if query.business_hours else None
    end_value = query.end_point.value
    groups: dict[str, list[float]] = defaultdict(list)
    jobs_in: dict[str, set[int]] = defaultdict(set)
    per_job: dict[int, float] = defaultdict(float)
    previous_job, previous_status, previous_at = None, "", 0.0
    for job_id, status, moment in rows:
        if job_id == previous_job and previous_status != end_value:
            seconds = clock.seconds(previous_at, moment) if clock else moment - previous_at
            groups[previous_status].append(seconds / HOUR)
            jobs_in[previous_status].add(job_id)
            per_job[job_id] += seconds / HOUR
        if job_id != previous_job or previous_status != end_value:
            previous_job, previous_status, previous_at = job_id, status, moment
    order = list(JobStatus)
    report_rows = sorted(
        (
            TurnaroundRow(
                key=status,
                label=JobStatus(status).label,
                summary=summarise(values),
                jobs=len(jobs_in[status]),
            )
            for status, values in groups.items()
        ),
        key=lambda row: order.index(JobStatus(row.key or JobStatus.RECEIVED)),
    )
    every = list(per_job.values())
    total = TurnaroundRow(key=None, label=_("All jobs"), summary=summarise(every), jobs=len(every))
    return TurnaroundReport(query, tuple(report_rows), total, _distribution(every))


def _status_event_rows(query: TurnaroundQuery, zone: tzinfo) -> Select[Any]:
    """Status events (and the intake) of the jobs that reached the end point, in order."""
    jobs = Job.__table__
    devices = Device.__table__
    source: Any = jobs
    if query.device_type is not None:
        source = source.join(devices, devices.c.id == jobs.c.device_id)
    end = _milestone(jobs, query.end_point)
    finished = _filtered(
        select(jobs.c.id).select_from(source).where(end.is_not(None)),
        query,
        zone,
        end,
        jobs,
        devices,
    )
    event = JobEvent.__table__.alias("s")
    return (
        select(event.c.job_id, event.c.to_value, epoch(event.c.at))
        .where(event.c.kind.in_(("created", "status")), event.c.job_id.in_(finished))
        .order_by(event.c.job_id, event.c.at, event.c.id)
    )


def _business_clock(
    hours: OpeningHours, zone: tzinfo, rows: Sequence[Any], start: int, end: int
) -> BusinessClock | None:
    if not rows:
        return None
    low = min(row[start] for row in rows)
    high = max(row[end] for row in rows)
    first, last = local_day_span(zone, low, high)
    return BusinessClock(hours, first, last)


def _local_days(zone: tzinfo, rows: Sequence[Any], column: int) -> LocalDays | None:
    if not rows:
        return None
    first, last = local_day_span(
        zone, min(row[column] for row in rows), max(row[column] for row in rows)
    )
    return LocalDays(zone, first, last)


class _Deadlines:
    """The UTC second a promised day ends, cached per day (there are few distinct days)."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.cache: dict[date | str, float] = {}

    def end_of(self, promised: date | str) -> float:
        found = self.cache.get(promised)
        if found is None:
            day = date.fromisoformat(promised) if isinstance(promised, str) else promised
            found = local_midnight_utc(day + timedelta(days=1), self.zone).timestamp()
            self.cache[promised] = found
        return found


def _technicians(uow: UnitOfWork) -> dict[int, tuple[str, str]]:
    """Every user's id with login and name (a shop has tens of users, not thousands)."""
    return {
        row[0]: (row[1], row[2])
        for row in uow.session.execute(select(User.id, User.login, User.display_name))
    }


def _label(by: Grouping, key: Any, names: dict[str, str]) -> str:
    if by is Grouping.TECHNICIAN:
        return names.get(key, _(NO_TECHNICIAN)) if key is not None else _(NO_TECHNICIAN)
    if by is Grouping.DEVICE_TYPE:
        return device_type_label(key)
    if by is Grouping.JOB_TYPE:
        return job_type_label(key)
    return str(key)


def _row_order(by: Grouping) -> Any:
    if by is Grouping.MONTH:
        return lambda row: row.key or ""
    return lambda row: (row.key is None, row.label.casefold())


def _distribution(ordered: Sequence[float]) -> tuple[tuple[str, int], ...]:
    """Jobs per bar of the histogram, from hours sorted ascending (a bar includes its upper end)."""
    cuts = [bisect_right(ordered, days * 24.0) for days in DISTRIBUTION_DAYS] + [len(ordered)]
    counts = [high - low for low, high in zip([0, *cuts], cuts, strict=False)]
    return tuple(zip(distribution_labels(), counts, strict=True))
