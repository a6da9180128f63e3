"""The job list's queries: filtered and sorted in SQL, ids first, rows on demand.

A list over a million jobs reads a page at a time by keyset: :func:`first_page`
and :func:`next_page` read the rows after the last one shown (``ORDER BY keys, id``
with ``WHERE (keys, id) > last``), a range of one index however deep the page, and
never count. :func:`job_ids` returns every matching id in the same order (for the
command line and small selections), :func:`job_rows` the rows of given ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from functools import cache
from typing import Any, Literal, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    literal_column,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op
from sqlalchemy.types import NullType

from repairshop.db.tables import Complaint, Job, User, status_among
from repairshop.domain.deadlines import DUE_SOON_DAYS, Due
from repairshop.domain.opening_hours import local_midnight_utc
from repairshop.domain.statuses import WORKSHOP_STATUSES, JobStatus
from repairshop.services.jobs.filters import JobFilter as JobFilter  # noqa: PLC0414 (re-exported)
from repairshop.services.jobs.search import (
    SEARCHED,
    Term,
    device_term,
    held_elsewhere,
    in_device_text,
    indexed_matches,
    many_matches,
    matching_job_ids,
    row_matches,
)
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


BROAD = 0.25
"""How many of the jobs SQLite is told a broad condition matches (see :func:`_broad`)."""

FEW = 10_000
"""Fewer matches than this and a condition is read through its own index and sorted."""

TextTest = Literal["sorted", "row", "ids"]
"""How a search word is tested: the search index's matches read and sorted (few), each job's
own text tested while the order's index is walked (many), or each job's id looked up among
the search index's matches during that walk (:func:`_text_page`)."""

WALK = 4_000
"""How many jobs of the order's index a page of a common search word tests on their own
text before it tests the rest against the search index's matches instead (see
:func:`_text_page`)."""


def _broad(
    uow: UnitOfWork,
    column: Any,
    condition: Callable[[Any], ColumnElement[bool]],
    scope: ColumnElement[bool] | None = None,
) -> ColumnElement[bool]:
    """``condition`` on ``column`` (the type of job or device, a technician, the intake
    days); for SQLite, when it matches many jobs, not read through an index of its own.

    Without statistics SQLite takes an equality on an indexed column for a few rows: it
    read every paid repair (three jobs in four) through ``jobs(job_type, id)`` and sorted
    them for the customer order of a page, 0.4 s at a million, where walking the order's
    index and testing each job's type finds the page in a few hundred rows. But a
    condition that matches few jobs (a type nobody brings, a new technician, one day)
    would make that walk read the whole index for a page; so the matches are counted
    first, up to :data:`FEW`, in the condition's own index (a millisecond): fewer, and
    the condition stays as it is, read through its index and sorted. More, and it is
    written on ``+column`` (SQLite's way of saying "no index for this term": else the
    status indexes, ``(status, device_type, …)``, would read every open phone and sort
    them) and ``likelihood`` tells the planner it matches many. Not for the order by that
    column (or the ticket order under a job type), which its own index reads as a range.
    PostgreSQL has statistics.
    """
    plain = condition(column)
    if uow.session.get_bind().dialect.name != "sqlite":
        return plain
    if _many(uow, plain, scope):
        unindexed = UnaryExpression(column, operator=custom_op("+"), type_=column.type)
        return _unlikely_not(condition(unindexed))
    # Few: their ids first (through the condition's index, with the statuses'), then sorted;
    # as a plain condition SQLite might still walk the order's index and test each job.
    few = select(Job.id).where(plain)
    return Job.id.in_(few.where(scope) if scope is not None else few)


def _reaches(uow: UnitOfWork, at_least: int, *conditions: ColumnElement[bool]) -> bool:
    """Whether ``at_least`` jobs meet ``conditions``: counted through an index, no further."""
    matches: Select[Any] = select(literal_column("1")).select_from(Job).where(*conditions)
    probe = matches.limit(at_least).subquery()
    return (uow.session.scalar(select(func.count()).select_from(probe)) or 0) >= at_least


def _many(
    uow: UnitOfWork, condition: ColumnElement[bool], scope: ColumnElement[bool] | None = None
) -> bool:
    """Whether SQLite finds :data:`FEW` jobs or more for ``condition`` among those of
    ``scope`` (the statuses chosen: the open desktops are few, the desktops are not);
    never on PostgreSQL."""
    if uow.session.get_bind().dialect.name != "sqlite":
        return False
    return _reaches(uow, FEW, condition, *([scope] if scope is not None else []))


SCOPE = 50_000
"""With statuses that hold fewer jobs than this, a common search word is tested on each
job's text the whole walk (:func:`_text_page` is for the others)."""


def _many_in_statuses(uow: UnitOfWork, statuses: Iterable[JobStatus]) -> bool:
    """Whether the jobs of ``statuses`` are :data:`SCOPE` or more (counted in
    ``jobs(status, id)``, no further)."""
    return _reaches(uow, SCOPE, status_among(status.value for status in statuses))


def _unlikely_not(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``condition`` marked for SQLite's planner as true of many jobs (``likelihood``)."""
    # A constant, as likelihood() asks, and untyped: a Boolean would be written "… = 1",
    # which hides the hint from SQLite's planner.
    return func.likelihood(condition, literal_column(repr(BROAD)), type_=NullType())


def _technician(
    uow: UnitOfWork, login: str, by: JobColumn | None, scope: ColumnElement[bool] | None
) -> ColumnElement[bool]:
    """The jobs of the technician ``login``."""
    login = login.strip().lower()
    if by in (None, JobColumn.CODE):  # a range of (assignee_id, id), or of (status, …)
        return Job.assignee_id.in_(select(User.id).where(User.login == login))
    user_id = uow.session.scalar(select(User.id).where(User.login == login))
    if user_id is None:
        return false()
    return _broad(uow, Job.assignee_id, lambda column: column == user_id, scope)


def _plan(where: JobFilter, order: JobSort) -> JobSort:
    """``order`` as read under ``where``: the technician order of one technician's jobs is
    their ticket order (one name, one id), read as such (a range of ``(assignee_id, id)``)."""
    if order.column is JobColumn.ASSIGNEE and where.assignee and not where.unassigned:
        return replace(order, column=JobColumn.CODE)
    return order


def _filtered(
    uow: UnitOfWork,
    statement: Select[T],
    where: JobFilter,
    by: JobColumn | None = None,
    *,
    text_test: TextTest | None = None,
) -> Select[T]:
    """``statement`` with the conditions of ``where``; ``by``, the order it is read in;
    ``text_test``, how a search word is tested when already decided (:func:`_page_ids`)."""
    conditions: list[ColumnElement[bool]] = []
    scope = None
    if where.statuses:
        values = sorted(status.value for status in where.statuses)
        if JobStatus.COLLECTED in where.statuses and by not in (
            None,
            JobColumn.CODE,
            JobColumn.STATUS,
        ):
            # The status-first indexes hold the jobs still in the shop only (revision
            # 0029): with the collected jobs (nearly all of them) the order's own index is
            # walked, each job's status tested, unless they are few.
            scope = _broad(uow, Job.status, lambda column: column.in_(values))
        else:
            scope = status_among(values)
        conditions.append(scope)
    if where.unassigned:
        if by in (None, JobColumn.CODE, JobColumn.ASSIGNEE):
            conditions.append(Job.assignee_id.is_(None))
        else:
            conditions.append(_broad(uow, Job.assignee_id, lambda column: column.is_(None), scope))
    elif where.assignee:
        conditions.append(_technician(uow, where.assignee, by, scope))
    if where.device_type is not None:  # the device's type as copied onto the job (0024)
        device_type = where.device_type.value
        # In its own order and the device's, a range of (device_type, …) indexes; but with
        # statuses (read one at a time, :func:`_narrowed`) the device order walks each
        # status's (status, device_brand, …) range, else a rare status's branch would walk
        # every phone to find its few.
        own: tuple[JobColumn, ...] = (
            (JobColumn.DEVICE_TYPE,)
            if where.statuses
            else (JobColumn.DEVICE_TYPE, JobColumn.DEVICE)
        )
        if by is None or by in own:
            conditions.append(Job.device_type == device_type)
        else:
            conditions.append(
                _broad(uow, Job.device_type, lambda column: column == device_type, scope)
            )
    if where.job_type is not None:
        job_type = where.job_type.value
        # In its own order, the ticket order and the promise order, a range of
        # (job_type, id) or (job_type, promised, id) (revision 0026) — but with statuses
        # that walks every complaint to the first open one.
        own = (
            (JobColumn.JOB_TYPE,)
            if where.statuses
            else (JobColumn.JOB_TYPE, JobColumn.CODE, JobColumn.PROMISED)
        )
        if by is None or by in own:
            conditions.append(Job.job_type == job_type)
        else:
            conditions.append(_broad(uow, Job.job_type, lambda column: column == job_type, scope))
    if where.overdue:
        today = shop_today(uow)
        conditions.append(and_(Job.promised < today, status_among(_CAN_BE_OVERDUE)))
    if where.created_from is not None or where.created_to is not None:
        zone = get_opening_hours(uow).zone()
        start = None if where.created_from is None else local_midnight_utc(where.created_from, zone)
        end = None
        if where.created_to is not None:
            end = local_midnight_utc(where.created_to + timedelta(days=1), zone)

        def taken_in(column: Any) -> ColumnElement[bool]:
            return and_(
                *([column >= start] if start is not None else []),
                *([column < end] if end is not None else []),
            )

        # The orders by name only: in the others (their index's last key is the id, or the
        # status or promise, which follow the intake's day) the days' jobs are bunched, and
        # a walk would read every job before them.
        if by in (JobColumn.CUSTOMER, JobColumn.DEVICE):
            conditions.append(_broad(uow, Job.created_at, taken_in, scope))
        else:
            conditions.append(taken_in(Job.created_at))
    if where.text.strip():
        found = Job.id.in_(matching_job_ids(uow, where.text))
        indexed = indexed_matches(where.text) if text_test == "ids" else None
        if text_test is None and by is not None:
            text_test = "row" if many_matches(uow, where.text, FEW) else "sorted"
        if by is not None and indexed is not None:
            # The order's index walked and each job's id looked up among the search index's
            # matches (read once): no job's row is read.
            unindexed = UnaryExpression(
                Job.id.expression, operator=custom_op("+"), type_=Job.id.type
            )
            conditions.append(_unlikely_not(unindexed.in_(indexed)))
        elif by is not None and text_test == "row":
            # A word many jobs hold ("apple": a fifth of them): the order's index walked and
            # each job's own text tested, a few hundred for a page, rather than every match
            # the search index gives sorted (0.3-0.9 s at a million).
            conditions.append(_unlikely_not(row_matches(where.text)))
        else:
            conditions.append(found)
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


@dataclass(frozen=True)
class _Segment:
    """A run of the list in one order: the jobs ``where`` admits, sorted by ``keys`` then id.

    A column that can be empty (no promise, no technician) makes two runs, the empty
    ones by id alone, so that each run is read by one index in order (a keyset page is a
    range of that index) and no page needs an ``OR`` of nulls.
    """

    keys: tuple[Any, ...]
    where: ColumnElement[bool] | None = None


def _segments(order: JobSort) -> list[_Segment]:
    """The runs of the list in ``order``: nulls last going up, first going down."""
    column = order.column
    if column is JobColumn.CUSTOMER:
        # The customer's name and id as copied onto the job (services/jobs/sort_keys.py):
        # one customer's jobs together, namesakes apart, each order a range of one index
        # of jobs, with a status filter as without.
        runs = [_Segment((Job.customer_name, Job.customer_id))]
    elif column is JobColumn.DEVICE_TYPE:
        runs = [_Segment((Job.device_type, Job.device_id))]
    elif column is JobColumn.DEVICE:
        runs = [_Segment((Job.device_brand, Job.device_model, Job.device_id))]
    elif column is JobColumn.ASSIGNEE:
        # The technician's name and id as copied onto the job (revision 0026): empty
        # exactly when the job has no technician.
        runs = [
            _Segment((Job.assignee_name, Job.assignee_id), where=Job.assignee_name.is_not(None)),
            _Segment((), where=Job.assignee_id.is_(None)),
        ]
    elif column is JobColumn.PROMISED:
        runs = [
            _Segment((Job.promised,), where=Job.promised.is_not(None)),
            _Segment((), where=Job.promised.is_(None)),
        ]
    else:
        simple: dict[JobColumn, tuple[Any, ...]] = {
            JobColumn.CODE: (),
            JobColumn.STATUS: (Job.status,),
            JobColumn.JOB_TYPE: (Job.job_type,),
            JobColumn.CREATED: (Job.created_at,),
        }
        runs = [_Segment(simple[column])]
    return runs[::-1] if order.descending else runs


def _in_segment(statement: Select[T], segment: _Segment) -> Select[T]:
    return statement.where(segment.where) if segment.where is not None else statement


def _segment_order(segment: _Segment, descending: bool) -> list[Any]:
    keys = [*segment.keys, Job.id]
    return [key.desc() if descending else key.asc() for key in keys]


def _sorted(statement: Select[tuple[int]], order: JobSort) -> Select[tuple[int]]:
    """``statement`` in ``order`` as one query (the runs of :func:`_segments` one after another)."""
    runs = _segments(order)
    if len(runs) == 1:
        return _in_segment(statement, runs[0]).order_by(*_segment_order(runs[0], order.descending))
    # Two runs: a column that can be empty. The empty ones come last going up, first going down.
    if order.column is JobColumn.ASSIGNEE:
        empty: Any = Job.assignee_id.is_(None)
    else:
        empty = Job.promised.is_(None)
    keys = [*next(run.keys for run in runs if run.keys), Job.id]
    ordering: list[Any] = [empty.desc() if order.descending else empty.asc()]
    ordering += [key.desc() if order.descending else key.asc() for key in keys]
    return statement.order_by(*ordering)


def job_ids(uow: UnitOfWork, where: JobFilter, order: JobSort = NEWEST_FIRST) -> list[int]:
    """The ids of every job ``where`` selects, in ``order``: one query, ids only.

    For the command line and reports over a small selection; the job list pages
    (:func:`first_page`, :func:`next_page`) instead of holding every id.
    """
    order = _plan(where, order)
    statement = _sorted(_filtered(uow, select(Job.id), where, order.column), order)
    return list(uow.session.scalars(statement))


@dataclass(frozen=True)
class JobCursor:
    """Where a page ended: the run, the last row's sort keys and its id (a keyset)."""

    segment: int
    keys: tuple[Any, ...]
    job_id: int


@dataclass(frozen=True)
class JobPage:
    rows: list[JobSummary]
    next: JobCursor | None
    """Where the next page starts; ``None`` when this page was the last."""

    @property
    def ids(self) -> list[int]:
        return [row.id for row in self.rows]


def _run_page(
    uow: UnitOfWork,
    where: JobFilter,
    order: JobSort,
    run: _Segment,
    *,
    after: tuple[Any, ...] | None,
    limit: int,
    text_test: TextTest | None = None,
    id_only: bool = False,
    composable: bool = False,
) -> Select[Any]:
    """The first ``limit`` rows (id, then the run's keys) of ``run`` after the keyset ``after``
    (``id_only``: after the id ``after`` holds alone, the keys being one value;
    ``composable``: a query of the jobs themselves, never rows read first into a CTE, for
    the caller to add their columns)."""
    filtered = _filtered(uow, select(Job.id), where, order.column, text_test=text_test)
    statement = _in_segment(filtered.add_columns(*run.keys), run)
    if after is not None and id_only:
        (edge,) = after
        statement = statement.where(Job.id < edge if order.descending else Job.id > edge)
        after = None
    if not composable and (
        _days_apart(uow, where, order) or _few_unassigned(uow, where, order, run)
    ):
        return _materialised_page(statement, run, order, after=after, limit=limit)
    if after is not None:
        statement = statement.where(_beyond(run, after, order.descending))
    return statement.order_by(*_segment_order(run, order.descending)).limit(limit)


def _days_apart(uow: UnitOfWork, where: JobFilter, order: JobSort) -> bool:
    """Whether PostgreSQL is to read a range of intake days first and sort its jobs: with
    another order it takes the days' jobs for spread evenly over the order's index and walks
    it, but the order's key follows the intake day (a week's jobs are promised last), so the
    walk read 950,000 jobs for a page (0.26-0.43 s at a million)."""
    return (
        uow.session.get_bind().dialect.name == "postgresql"
        and (where.created_from is not None or where.created_to is not None)
        and order.column is not JobColumn.CREATED
    )


def _few_unassigned(uow: UnitOfWork, where: JobFilter, order: JobSort, run: _Segment) -> bool:
    """Whether PostgreSQL is to read the jobs without a technician first and sort them (the
    unassigned filter, or the technician order's run of jobs without one), when they are
    fewer than :data:`FEW`.

    Its statistics take them for spread over the order's index, but they are the newest
    (a job gets its technician when diagnosis begins), at one end of every order that
    follows time: it walked the promise index for the unassigned by promise, 980,000 jobs
    for a page (0.6 s at a million), and the ticket index for the unassigned by ticket
    (0.3 s: ``assignee_id IS NULL`` is no equality to it, so ``(assignee_id, id)`` does not
    give the ids in order) and for the collected jobs without a technician (there are
    none: 0.3 s). Read first, there are a few thousand.
    """
    if uow.session.get_bind().dialect.name != "postgresql" or where.text.strip():
        return False  # a search word's matches are read their own ways
    empty_run = order.column is JobColumn.ASSIGNEE and not run.keys
    if not (where.unassigned or empty_run):
        return False
    return not _reaches(uow, FEW, Job.assignee_id.is_(None))


def _materialised_page(
    statement: Select[Any],
    run: _Segment,
    order: JobSort,
    *,
    after: tuple[Any, ...] | None,
    limit: int,
) -> Select[Any]:
    """``statement``'s rows (id, keys) read first as a materialised CTE, then the page sorted
    out of them: no index of the jobs can give the order, so the planner cannot walk one
    (PostgreSQL: a range of intake days, the matches of a search word)."""
    read = statement.cte().prefix_with("MATERIALIZED")  # anonymous: one per status
    return _sorted_out_of(read, run, order.descending, after=after, limit=limit)


def _sorted_out_of(
    read: Any, run: _Segment, descending: bool, *, after: tuple[Any, ...] | None, limit: int
) -> Select[Any]:
    """The first ``limit`` rows after ``after`` of a CTE of rows (id, then ``run``'s keys),
    sorted in ``run``'s order."""
    keyed = [*list(read.c)[1:], read.c[0]]  # the keys, then the id, as ``run``'s columns
    page = select(*read.c)
    if after is not None:
        page = page.where(_past(keyed, [*run.keys, Job.id], after, descending))
    return page.order_by(*(key.desc() if descending else key.asc() for key in keyed)).limit(limit)


def _beyond(
    run: _Segment, keyset: tuple[Any, ...], descending: bool, *, inclusive: bool = False
) -> ColumnElement[bool]:
    """The jobs of ``run`` after the keyset (keys, id) in its order (or at it: ``inclusive``)."""
    columns = [*run.keys, Job.id]
    return _past(columns, columns, keyset, descending, inclusive=inclusive)


def _past(
    position: list[Any],
    typed: list[Any],
    keyset: tuple[Any, ...],
    descending: bool,
    *,
    inclusive: bool = False,
) -> ColumnElement[bool]:
    """``position`` (columns) after ``keyset`` in the order, its values typed as ``typed``."""
    here = tuple_(*position)
    values = tuple_(
        *(literal(value, type_=column.type) for value, column in zip(keyset, typed, strict=True))
    )
    if descending:
        return here <= values if inclusive else here < values
    return here >= values if inclusive else here > values


def _text_page(
    uow: UnitOfWork,
    where: JobFilter,
    order: JobSort,
    run: _Segment,
    *,
    after: tuple[Any, ...] | None,
    limit: int,
) -> list[Any]:
    """:func:`_run_page`'s rows for a search word many jobs hold, on SQLite.

    Walking the order's index and testing each job's own text finds a page of a word
    spread through the order in a few hundred jobs; but a word bunched at one end of it
    ("apple" by device going down: every Apple after the other brands) reads every job
    before the bunch, each job's row for its text (1.4 s at a million). So the first
    :data:`WALK` jobs are tested on their text (and three times as many more if a quarter
    of the page is among them); if the page is not among them, the walk starts again and
    tests each job's id against the search index's matches, read once (a few tens of ms
    for 200,000), in the order's index alone: about a tenth of the cost of a row per job.
    """
    rest = replace(where, text="")

    def walked(start: tuple[Any, ...] | None, jobs: int, wanted: int) -> list[Any]:
        """The matches among the first ``jobs`` of the run after ``start``, tested on their
        text (the walk is a sub-query limited to them: its end is a count, not a keyset,
        which SQLite would only apply to the keys before the id)."""
        inner = (
            _run_page(uow, rest, order, run, after=start, limit=jobs, composable=True)
            .add_columns(*SEARCHED)
            .subquery()
        )
        job_id, *keys = list(inner.c)[: -len(SEARCHED)]
        texts = list(inner.c)[-len(SEARCHED) :]
        ordering = [*keys, job_id]
        statement = (
            select(job_id, *keys)
            .where(row_matches(where.text, texts))
            .order_by(*(key.desc() if order.descending else key.asc() for key in ordering))
            .limit(wanted)
        )
        return list(uow.session.execute(statement))

    def last_walked(start: tuple[Any, ...] | None, jobs: int) -> tuple[Any, ...] | None:
        """The keyset of the last of those ``jobs``; ``None`` if the run ends before it."""
        row = uow.session.execute(
            _run_page(uow, rest, order, run, after=start, limit=1, composable=True).offset(jobs - 1)
        ).first()
        return None if row is None else (*row[1:], row[0])

    # A quarter of the walk first; then as far as the density met so far says the rest of
    # the page needs (a third more), up to four walks in all while a quarter of the page is
    # met in the first; a bunch that is not met within one walk is left to the ids.
    rows: list[Any] = []
    start, walked_jobs, jobs = after, 0, WALK // 4 or 1
    while True:
        rows += walked(start, jobs, limit - len(rows))
        walked_jobs += jobs
        if len(rows) == limit:
            return rows
        edge = last_walked(start, jobs)
        if edge is None:  # the run ends within the walk
            return rows
        start = edge
        thin = len(rows) * 4 < limit
        if walked_jobs >= 4 * WALK or (thin and walked_jobs >= WALK):
            break
        if thin:
            jobs = WALK - walked_jobs
        else:
            needed = (limit - len(rows)) * walked_jobs * 4 // (3 * len(rows)) + 1
            jobs = min(4 * WALK - walked_jobs, needed)
    if uow.dialect != "sqlite":
        # PostgreSQL: the word is rare, or bunched in this order; its matches, read first
        # (the planner took them for spread and walked the order's index, testing each job:
        # 0.65 s for "michalski" by customer, 1.2 s for "nova" by status at a million).
        # The word tested on each job's own row, which the trigram indexes read as a bitmap:
        # as ``id IN (matches)`` the planner joined the whole order's index to them.
        filtered = _filtered(uow, select(Job.id), rest, order.column).where(row_matches(where.text))
        matches = _in_segment(filtered.add_columns(*run.keys), run)
        return list(
            uow.session.execute(_materialised_page(matches, run, order, after=after, limit=limit))
        )
    return list(
        uow.session.execute(
            _run_page(uow, where, order, run, after=after, limit=limit, text_test="ids")
        )
    )


GROUPS = 300
"""At most this many brands and models holding a search word are read as ranges (see
:func:`_group_page`); a word in more (three letters most models share) is walked."""

OTHERS = 10_000
"""At most this many jobs holding a search word elsewhere than in their brand and model are
read and merged with the ranges of those that hold it there (:func:`_group_page`)."""

_DISTINCT = """
WITH RECURSIVE g({names}) AS (
  SELECT * FROM (SELECT {columns} FROM jobs ORDER BY {columns} LIMIT 1) AS first_group
  UNION ALL
  SELECT {of_job} FROM g JOIN jobs j ON j.id = (
    SELECT k.id FROM jobs k WHERE ({of_k}) > ({of_g}) ORDER BY {of_k} LIMIT 1)
)
SELECT {names} FROM g
"""
"""PostgreSQL's skip scan: each group the first of the index after the one before (a row
value compared in one look-up)."""


def _device_groups(uow: UnitOfWork, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every distinct value of ``columns`` (the leading columns of an index of jobs: the
    device's type, brand and model, never empty) in the database's order: a look-up in the
    index for each (a hundred at a million demo jobs: a millisecond or two), not a read of
    the index."""
    if uow.dialect != "sqlite":
        names = [f"c{number}" for number in range(len(columns))]
        statement = _DISTINCT.format(
            names=", ".join(names),
            columns=", ".join(columns),
            of_job=", ".join(f"j.{column}" for column in columns),
            of_k=", ".join(f"k.{column}" for column in columns),
            of_g=", ".join(f"g.{name}" for name in names),
        )
        return [tuple(row) for row in uow.session.execute(text(statement))]
    # SQLite seeks a row value by its first column only (then reads on through the brand's
    # jobs), so one column at a time: the next value after the last one under the same
    # values before it, else one column up; with the driver's own cursor (a few µs each).
    driver = uow.session.connection().connection.driver_connection
    assert driver is not None  # a connection checked out of the pool
    cursor = driver.cursor()

    def least(prefix: tuple[str, ...], above: str | None = None) -> str | None:
        level = len(prefix)
        tests = [f"{column} = ?" for column in columns[:level]]
        if above is not None:
            tests.append(f"{columns[level]} > ?")
        row = cursor.execute(
            f"SELECT {columns[level]} FROM jobs WHERE {' AND '.join(tests) or '1'} "
            f"ORDER BY {', '.join(columns[: level + 1])} LIMIT 1",
            (*prefix, *([above] if above is not None else [])),
        ).fetchone()
        return None if row is None else str(row[0])

    def completed(prefix: tuple[str, ...]) -> tuple[str, ...]:
        while len(prefix) < len(columns):
            value = least(prefix)
            assert value is not None  # a value of a column before has a job
            prefix = (*prefix, value)
        return prefix

    first = least(())
    groups = [] if first is None else [completed((first,))]
    while True:
        last = groups[-1] if groups else None
        if last is None:
            return groups
        for level in reversed(range(len(columns))):
            value = least(last[:level], last[level])
            if value is not None:
                groups.append(completed((*last[:level], value)))
                break
        else:
            return groups


def _searched_alone(where: JobFilter) -> bool:
    """Whether ``where`` has no condition besides its search and statuses."""
    return not _narrowed(where) and not where.overdue and where.complaints_due_within is None


def _by_groups(where: JobFilter, order: JobSort) -> bool:
    """Whether a page may be read by :func:`_group_page`: a search of one word (of three
    letters or more) in the order by device or by the device's type, with no condition but
    statuses (which must hold many jobs: the caller counts them)."""
    return (
        order.column in (JobColumn.DEVICE, JobColumn.DEVICE_TYPE)
        and device_term(where.text) is not None
        and _searched_alone(where)
    )


def _others_page(
    uow: UnitOfWork,
    term: Term,
    run: _Segment,
    statuses: Sequence[ColumnElement[bool]],
    *,
    after: tuple[Any, ...] | None,
    limit: int,
    descending: bool,
) -> list[tuple[Any, ...]] | None:
    """The first ``limit`` rows (id, keys) after ``after`` of the jobs that hold ``term``
    elsewhere than in their brand and model; ``None`` if :data:`OTHERS` or more do. One
    query: those jobs read first (at most :data:`OTHERS`, as a materialised CTE), counted,
    and the page sorted out of them."""
    held = (
        select(Job.id, *run.keys)
        .where(held_elsewhere(uow, term), *statuses)
        .limit(OTHERS)
        .cte("others")
        .prefix_with("MATERIALIZED")
    )
    total = select(func.count().label("total")).select_from(held).subquery()
    sorted_page = _sorted_out_of(held, run, descending, after=after, limit=limit).subquery()
    rows = uow.session.execute(
        select(total.c.total, *sorted_page.c).select_from(total.outerjoin(sorted_page, true()))
    ).all()
    if not rows or rows[0][0] >= OTHERS:
        return None
    return [tuple(row[1:]) for row in rows if row[1] is not None]


def _group_page(
    uow: UnitOfWork,
    where: JobFilter,
    order: JobSort,
    *,
    after: tuple[Any, ...] | None,
    limit: int,
) -> list[Any] | None:
    """:func:`_run_page`'s rows for one search word in the order by device or by type, read
    by the brands and models that hold it; ``None`` when the word is not for it.

    A word a fifth of the jobs hold is nearly always a brand ("apple"), and in these orders
    its jobs are bunched: by device going down, every Apple comes after the other brands,
    and a walk of the order's index read 750,000 other jobs first (0.17 s on SQLite, 2.2 s
    on PostgreSQL at a million). But a job matches a word in its brand and model exactly
    when its ``search_device`` holds it, and that is kept with ``device_brand`` and
    ``device_model``; so the jobs of the brands and models (and types) that hold the word
    are ranges of an index — ``jobs(device_brand, device_model, device_id, id)`` or
    ``jobs(device_type, device_brand, device_model, device_id, id)`` — read in the order,
    a band at a time (one brand and model, or one type), until the page is full. The other
    jobs that hold the word hold it elsewhere in their text (``search_text``, its own
    search index): if they are fewer than :data:`OTHERS`, they are read and merged in.

    Both orders run by a band's key (brand and model, or type), then ``device_id`` and the
    id; the bands come in the database's order (:func:`_device_groups`), so the merge
    compares numbers only, not names under a collation Python does not know.
    """
    term = device_term(where.text)
    assert term is not None
    run = _segments(order)[0]
    key_count = len(run.keys) - 1  # the band's key, before device_id
    # A group: the band's key and then the brand and model (the band's key already, by device).
    group_columns = tuple(
        dict.fromkeys((*run.keys[:key_count], Job.device_brand, Job.device_model))
    )
    groups = _device_groups(uow, tuple(column.key for column in group_columns))
    matching = [group for group in groups if in_device_text(term, *group[-2:])]
    if len(matching) > GROUPS:
        return None
    bands = list(dict.fromkeys(group[:key_count] for group in groups))
    position = {band: number for number, band in enumerate(bands)}
    in_band: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in matching:
        in_band.setdefault(group[:key_count], []).append(group)
    descending = order.descending
    statuses = [status_among(status.value for status in where.statuses)] if where.statuses else []
    others = _others_page(uow, term, run, statuses, after=after, limit=limit, descending=descending)
    if others is None:
        return None
    here = None if after is None else tuple(after[:key_count])
    if here is not None and here not in position:
        return None  # renamed since the page before: the walk answers it
    ordering = [*run.keys[key_count:], Job.id]  # within a band: device_id, then the id

    def branch(group: tuple[str, ...], keyset: tuple[Any, ...] | None, wanted: int) -> Any:
        equal = [column == value for column, value in zip(group_columns, group, strict=True)]
        statement = select(Job.id, *run.keys).where(*equal, *statuses)
        if keyset is not None:
            statement = statement.where(_past(ordering, ordering, keyset, descending))
        statement = statement.order_by(
            *(key.desc() if descending else key.asc() for key in ordering)
        ).limit(wanted)
        return select(statement.subquery()) if uow.dialect == "sqlite" else statement

    chosen = sorted(in_band, key=position.__getitem__, reverse=descending)
    if here is not None:
        chosen = [
            band
            for band in chosen
            if (
                position[band] <= position[here] if descending else position[band] >= position[here]
            )
        ]
    rows: list[Any] = []
    batch = 1
    while chosen and len(rows) < limit:
        taken, chosen = chosen[:batch], chosen[batch:]
        branches = [
            branch(group, tuple(after[key_count:]) if band == here and after else None, limit)
            for band in taken
            for group in in_band[band]
        ]
        statement: Any = union_all(*branches) if len(branches) > 1 else branches[0]
        rows.extend(uow.session.execute(statement))
        batch *= 4
    rows.extend(others)
    placed: dict[int, tuple[tuple[int, int, int], Any]] = {}  # by id: a job met twice, once
    for row in rows:
        band = tuple(row[1 : 1 + key_count])
        if band not in position:
            return None  # a brand or model new since the groups were read
        placed[row[0]] = ((position[band], row[-1], row[0]), row)
    in_order = sorted(placed.values(), key=lambda placing: placing[0], reverse=descending)
    return [row for _place, row in in_order][:limit]


def _status_keysets(
    uow: UnitOfWork, statuses: list[JobStatus], after: tuple[Any, ...], descending: bool
) -> dict[JobStatus, tuple[Any, ...] | None]:
    """For the status order read a status at a time: each status's keyset after ``after``
    (status, id) — the id alone at its own status, none after it, left out before it. The
    database compares the statuses (its collation, not Python's)."""
    edge_status, edge_id = after
    compared = select(
        *(
            (literal(status.value) < literal(edge_status))
            if descending
            else (literal(status.value) > literal(edge_status))
            for status in statuses
        )
    )
    later = uow.session.execute(compared).one()
    keysets: dict[JobStatus, tuple[Any, ...] | None] = {}
    for status, is_later in zip(statuses, later, strict=True):
        if status.value == edge_status:
            keysets[status] = (edge_id,)
        elif is_later:
            keysets[status] = None
    return keysets


def _merged_by_status(
    uow: UnitOfWork,
    where: JobFilter,
    order: JobSort,
    run: _Segment,
    *,
    after: tuple[Any, ...] | None,
    limit: int,
) -> Select[Any]:
    """:func:`_run_page` as one range per status, merged: PostgreSQL reads ``status IN (…)``
    with an order as one scan of the order's index filtered by status, or every match
    sorted, where each status's ``(status, keys, id)`` index holds its first rows in order
    (SQLite merges the statuses' ranges itself, but not always with another condition:
    :func:`_narrowed`)."""
    statuses = sorted(where.statuses)
    keysets: dict[JobStatus, tuple[Any, ...] | None] = dict.fromkeys(statuses, after)
    by_own_status = (
        order.column is JobColumn.STATUS
        and after is not None
        and not _days_apart(uow, where, order)
    )
    if by_own_status and after is not None:
        # Each branch is one status: wholly before the page's keyset, at it (then the id
        # alone bounds it) or after it (unbounded). As a row value (status, id) the bound
        # started PostgreSQL's scan of (status, job_type, id) at the keyset's status and
        # read on through the others: 32 ms a branch for the open complaints.
        keysets = _status_keysets(uow, statuses, after, order.descending)
    branches = [
        _run_page(
            uow,
            replace(where, statuses=frozenset({status})),
            order,
            run,
            after=keysets[status],
            limit=limit,
            id_only=by_own_status and keysets[status] is not None,
        )
        for status in statuses
        if status in keysets
    ]
    if not branches:
        return select(Job.id, *run.keys).where(false())
    if uow.session.get_bind().dialect.name == "sqlite":  # a compound's parts take no LIMIT
        branches = [select(branch.subquery()) for branch in branches]
    merged = union_all(*branches).subquery()
    job_id, *keys = merged.c
    ordering = [*keys, job_id]
    return (
        select(*merged.c)
        .order_by(*(key.desc() if order.descending else key.asc() for key in ordering))
        .limit(limit)
    )


def _narrowed(where: JobFilter) -> bool:
    """Whether ``where`` has a condition besides the statuses that an index could read.

    SQLite reads the statuses of ``status IN (…)`` each through the order's
    ``(status, key, id)`` index, stopping each once it can no longer reach the page — when
    that index is the one it picks. With another condition it may pick another
    ``(status, …)`` index and sort every match (all the open jobs, for the open phones by
    customer); one status at a time (:func:`_merged_by_status`), the order's index is the
    only one that needs no sort.
    """
    return bool(
        where.assignee
        or where.unassigned
        or where.device_type is not None
        or where.job_type is not None
        or where.created_from is not None
        or where.created_to is not None
    )


def _page_ids(
    uow: UnitOfWork, where: JobFilter, order: JobSort, after: JobCursor | None, limit: int
) -> tuple[list[int], JobCursor | None]:
    """Up to ``limit`` ids after ``after`` in ``order``, and the cursor after the last of them."""
    order = _plan(where, order)
    runs = _segments(order)
    ids: list[int] = []
    last: JobCursor | None = None
    more = False
    postgresql = uow.session.get_bind().dialect.name == "postgresql"
    if postgresql and where.overdue and not where.statuses:
        # Only a job in the workshop is overdue: PostgreSQL took the overdue ones for many
        # and walked the order's index to find a few hundred (70-160 ms at 100,000 jobs);
        # one workshop status at a time, each a short range.
        where = replace(where, statuses=WORKSHOP_STATUSES)
    if (
        postgresql
        and order.column is JobColumn.STATUS
        and not where.statuses
        and _narrowed(where)
        and not _days_apart(uow, where, order)  # the days are read first anyway
    ):
        # The status order under a type or technician filter, a status at a time: as one
        # range of (status, id) with the filter tested, PostgreSQL took the keyset's row
        # comparison for a wide range and read every job after it (0.2-0.3 s for the
        # complaints' tenth page, deep in the collected ones).
        where = replace(where, statuses=frozenset(JobStatus))
    # A text filter is a search of its own, few matches: sorted at once, not searched again
    # for each status.
    per_status = (
        len(where.statuses) > 1
        and not where.text.strip()
        and (postgresql or (_narrowed(where) and order.column is not JobColumn.CODE))
    )
    # A search word: counted once for the page (a few ms in the search index).
    common_word = False
    text_test: TextTest | None = None
    # Whether the statuses chosen hold many jobs: counted once, if asked.
    wide = cache(lambda: not where.statuses or _many_in_statuses(uow, where.statuses))
    grouped = bool(where.text.strip()) and _by_groups(where, order) and wide()
    if where.text.strip() and not postgresql:
        if not many_matches(uow, where.text, FEW):
            text_test = "sorted"
            grouped = False
        elif indexed_matches(where.text) is None:  # short terms: no index has them
            text_test = "row"
        else:
            # Within statuses that hold few jobs (the open ones: 4 %) the walk tests only
            # theirs, and reading every match of the word would cost more than it saves.
            common_word = wide()
            text_test = None if common_word else "row"
    elif where.text.strip():
        # PostgreSQL has no count of a word's matches as cheap as SQLite's: every page of a
        # search walks the order's index a little first (the counted walk of _text_page),
        # then, if the page is not there, sorts the matches the trigram indexes give. Not
        # with a narrower condition, which the planner reads through its own index.
        common_word = _searched_alone(where) and wide()
    start = after.segment if after is not None else 0
    for number in range(start, len(runs)):
        run = runs[number]
        wanted = limit - len(ids) + 1  # one more than fits: is there a next page?
        keyset = None
        if after is not None and after.segment == number:
            keyset = (*after.keys, after.job_id)
        grouped_rows = None
        if grouped:
            grouped_rows = _group_page(uow, where, order, after=keyset, limit=wanted)
        if grouped_rows is not None:
            rows = grouped_rows
        elif common_word:
            rows = _text_page(uow, where, order, run, after=keyset, limit=wanted)
        else:
            if per_status:
                statement = _merged_by_status(uow, where, order, run, after=keyset, limit=wanted)
            else:
                statement = _run_page(
                    uow, where, order, run, after=keyset, limit=wanted, text_test=text_test
                )
            rows = list(uow.session.execute(statement))
        for row in rows:
            if len(ids) == limit:
                more = True
                break
            ids.append(row[0])
            last = JobCursor(number, tuple(row[1:]), row[0])
        if more:
            break
    return ids, (last if more else None)


def first_page(
    uow: UnitOfWork, where: JobFilter, order: JobSort = NEWEST_FIRST, limit: int = 200
) -> JobPage:
    """The first ``limit`` rows ``where`` selects in ``order``: a keyset page, never a count."""
    return next_page(uow, where, order, None, limit)


def next_page(
    uow: UnitOfWork, where: JobFilter, order: JobSort, after: JobCursor | None, limit: int = 200
) -> JobPage:
    """The ``limit`` rows after ``after`` (an index range per run: as fast deep as at the top)."""
    ids, cursor = _page_ids(uow, where, order, after, limit)
    return JobPage(summaries(uow, ids), cursor)


def matching_ids(uow: UnitOfWork, where: JobFilter, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` ``where`` selects: a list updates in place after a change to a few jobs."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    statement = _filtered(uow, select(Job.id), where).where(Job.id.in_(wanted))
    return set(uow.session.scalars(statement))


def count_jobs(uow: UnitOfWork, where: JobFilter, at_most: int | None = None) -> int:
    """How many jobs ``where`` selects; with ``at_most``, counting stops there.

    A bounded count reads at most ``at_most`` index entries: the job list says "10,000+"
    rather than read (and cache) an index of a million to say how many.
    """
    if at_most is None:
        statement = _filtered(uow, select(func.count(Job.id)), where)
    else:
        chosen = _filtered(uow, select(Job.id), where).limit(at_most).subquery()
        statement = select(func.count()).select_from(chosen)
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
    order = _plan(where, order)
    by = order.column
    statement = (
        _sorted(_filtered(uow, select(Job.id), where, by), order).offset(offset).limit(limit)
    )
    return summaries(uow, list(uow.session.scalars(statement)))


def job_rows(uow: UnitOfWork, ids: list[int]) -> list[JobSummary]:
    """The rows for ``ids`` (the visible part of a list), in the order given."""
    return summaries(uow, ids)
