"""The job list's keyset pages: every row exactly once, in order, for every order and filter.

On SQLite and PostgreSQL. The jobs are made to tie on every sort key (customers of one
name, devices of one make, one day's intake) and to leave the nullable keys empty (no
promise, no technician), so each page boundary falls inside runs of equal keys and
between the empty and the filled ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select, update

from repairshop.db.tables import Customer, Device, Job, User
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.domain.devices import DeviceType
from repairshop.domain.statuses import OPEN_STATUSES, JobStatus, JobType
from repairshop.services.database import Database
from repairshop.services.jobs import listing
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import (
    JobColumn,
    JobCursor,
    JobFilter,
    JobSort,
    count_jobs,
    first_page,
    job_ids,
    next_page,
)
from repairshop.services.jobs.search import refresh_search_text
from repairshop.services.jobs.sort_keys import refresh_sort_keys
from tests.helpers import intake_document

JOBS = 60
FILTERS = (
    JobFilter(),
    JobFilter(statuses=frozenset(OPEN_STATUSES)),
    JobFilter(device_type=DeviceType.PHONE, job_type=JobType.PAID_REPAIR),
    JobFilter(unassigned=True),
    JobFilter(text="zzz-none"),
    JobFilter(text="samsung galaxy"),
    JobFilter(statuses=frozenset(OPEN_STATUSES), text="apple"),
    # Words held by every job at one end of an order (a brand, a customer's name).
    JobFilter(text="apple"),
    JobFilter(text="cyril"),
    # A word in brands and in customers' names; in models only.
    JobFilter(text="sams"),
    JobFilter(text="galax"),
    JobFilter(assignee="tomas"),
    JobFilter(statuses=frozenset(OPEN_STATUSES), assignee="tomas"),
    JobFilter(statuses=frozenset(OPEN_STATUSES), device_type=DeviceType.PHONE),
    # The collected jobs are not in the status-first indexes (revision 0029).
    JobFilter(statuses=frozenset({JobStatus.COLLECTED})),
    JobFilter(
        statuses=frozenset({JobStatus.READY, JobStatus.COLLECTED}), device_type=DeviceType.PHONE
    ),
    JobFilter(device_type=DeviceType.OTHER),
    JobFilter(job_type=JobType.PAID_REPAIR),
    JobFilter(overdue=True),
    JobFilter(created_from=date(2026, 3, 1), created_to=date(2026, 3, 1)),
    # Days read first, a status at a time (PostgreSQL: one materialised read per status).
    JobFilter(
        statuses=frozenset(OPEN_STATUSES),
        created_from=date(2026, 3, 1),
        created_to=date(2026, 3, 13),
    ),
)


def tied_shop(db: Database) -> None:
    """Demo jobs whose sort keys tie and are empty often (plain ASCII: every collation agrees)."""
    generate_demo(db, DemoOptions(jobs=JOBS, now=datetime(2026, 3, 13, 12, tzinfo=UTC)))
    with db.unit_of_work() as uow:
        session = uow.session
        names = ("adam", "bora", "adam", "cyril", "samsonov")
        for customer_id in session.scalars(select(Customer.id)):
            session.execute(
                update(Customer)
                .where(Customer.id == customer_id)
                .values(name=names[customer_id % len(names)])
            )
        for device_id in session.scalars(select(Device.id)):
            session.execute(
                update(Device)
                .where(Device.id == device_id)
                .values(
                    brand=("apple", "samsung")[device_id % 2],
                    model=("x", "galaxy", "x")[device_id % 3],
                )
            )
        # Written past the services: the jobs' copies of the names are made again, as
        # every write of them does.
        refresh_sort_keys(
            uow,
            customer_ids=session.scalars(select(Customer.id)),
            device_ids=session.scalars(select(Device.id)),
        )
        for customer in session.scalars(select(Customer)).all():  # and what finds them
            refresh_search_text(uow, customer)
        users = list(session.scalars(select(User.id).order_by(User.id)))
        for user_id in users:
            session.execute(update(User).where(User.id == user_id).values(display_name="tech"))
        tech = users[-1]
        for job_id in session.scalars(select(Job.id)):
            values: dict[str, Any] = {
                "promised": None if job_id % 3 == 0 else date(2026, 3, 1 + job_id % 4),
                "assignee_id": None if job_id % 4 == 0 else users[job_id % len(users)],
            }
            if job_id % 5 == 0:
                values["created_at"] = datetime(2026, 3, 1, 9, tzinfo=UTC)
                values["assignee_id"] = tech
            session.execute(update(Job).where(Job.id == job_id).values(**values))
        # The renames and the assignments above, past the services likewise.
        refresh_sort_keys(uow, job_ids=session.scalars(select(Job.id)))
        uow.commit()


def paged(db: Database, where: JobFilter, order: JobSort, size: int) -> list[int]:
    ids: list[int] = []
    after: JobCursor | None = None
    with db.reader() as uow:
        page = first_page(uow, where, order, size)
        while True:
            assert len(page.rows) <= size
            ids += page.ids
            if page.next is None:
                return ids
            assert len(page.rows) == size  # only the last page is short
            after = page.next
            page = next_page(uow, where, order, after, size)


def expected(db: Database, where: JobFilter, order: JobSort) -> list[int]:
    """The order worked out here from the rows: empty keys last going up, first going down."""
    with db.reader() as uow:
        wanted = set(job_ids(uow, where, JobSort()))
        rows = uow.session.execute(
            select(
                Job.id,
                Job.status,
                Job.job_type,
                Customer.name,
                Customer.id,
                Device.device_type,
                Device.brand,
                Device.model,
                Device.id,
                User.display_name,
                User.id,
                Job.promised,
                Job.created_at,
            )
            .join(Customer, Customer.id == Job.customer_id)
            .join(Device, Device.id == Job.device_id)
            .outerjoin(User, User.id == Job.assignee_id)
        ).all()
    keys: dict[JobColumn, Any] = {
        JobColumn.CODE: lambda r: (),
        JobColumn.STATUS: lambda r: (r[1],),
        JobColumn.JOB_TYPE: lambda r: (r[2],),
        JobColumn.CUSTOMER: lambda r: (r[3], r[4]),
        JobColumn.DEVICE_TYPE: lambda r: (r[5], r[8]),
        JobColumn.DEVICE: lambda r: (r[6], r[7], r[8]),
        JobColumn.ASSIGNEE: lambda r: (r[9] is None, r[9] or "", r[10] or 0),
        JobColumn.PROMISED: lambda r: (r[11] is None, r[11] or date.min),
        JobColumn.CREATED: lambda r: (r[12],),
    }
    key = keys[order.column]
    chosen = [row for row in rows if row[0] in wanted]
    chosen.sort(key=lambda r: (*key(r), r[0]), reverse=order.descending)
    return [row[0] for row in chosen]


@pytest.mark.parametrize(
    ("few", "walk", "others"),
    [(listing.FEW, listing.WALK, listing.OTHERS), (0, listing.WALK, 0), (0, 2, listing.OTHERS)],
    ids=["as-counted", "all-broad", "all-broad-short-walk"],
)
def test_every_order_and_filter_pages_every_job_once_in_order(
    db: Database, few: int, walk: int, others: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the filters read as SQLite reads few matches (through their own index, then
    sorted), and as it reads many (``FEW`` 0: the order's index walked, each job tested;
    a search word's page not found in the first ``WALK`` jobs is looked for among the
    search index's matches: ``WALK`` 2, nearly every page, with statuses too); a search
    word in the device orders read by the brands and models that hold it, but in
    ``all-broad`` (``OTHERS`` 0: too many other jobs hold it) walked."""
    monkeypatch.setattr(listing, "FEW", few)
    monkeypatch.setattr(listing, "OTHERS", others)
    monkeypatch.setattr(listing, "WALK", walk)
    if walk < listing.WALK:
        monkeypatch.setattr(listing, "SCOPE", 0)
    tied_shop(db)
    for where in FILTERS:
        if walk < listing.WALK and not where.text:
            continue  # WALK and SCOPE are a search word's: the rest is all-broad again
        for column in JobColumn:
            for descending in (False, True):
                order = JobSort(column, descending)
                whole = expected(db, where, order)
                if where == JobFilter():
                    assert len(whole) == JOBS
                if JobStatus.COLLECTED in where.statuses:  # read past the status indexes
                    assert whole, where
                with db.reader() as uow:
                    assert job_ids(uow, where, order) == whole, (where, order)
                for size in (1, 7, JOBS):
                    assert paged(db, where, order, size) == whole, (where, order, size)
        with db.reader() as uow:  # a bounded count stops where it is told
            assert count_jobs(uow, where, at_most=5) == min(5, len(whole))
            assert count_jobs(uow, where, at_most=JOBS + 1) == count_jobs(uow, where)


@pytest.mark.parametrize("column", [JobColumn.CODE, JobColumn.STATUS, JobColumn.PROMISED])
def test_a_job_added_or_changed_between_pages_is_neither_lost_nor_doubled(
    db: Database, column: JobColumn
) -> None:
    """Pages read after a change go on from the last row's keys, not from an offset."""
    tied_shop(db)
    order = JobSort(column, descending=True)
    with db.reader() as uow:
        page = first_page(uow, JobFilter(), order, 10)
    assert page.next is not None
    seen = page.ids
    with db.unit_of_work() as uow:
        added = intake(uow, intake_request_from_json(intake_document()), "admin")
        moved = seen[3]
        # Moved to the other end of the status and promise orders.
        uow.session.execute(
            update(Job)
            .where(Job.id == moved)
            .values(status=JobStatus.AWAITING_APPROVAL.value, promised=date(2026, 1, 1))
        )
        uow.commit()
    after: JobCursor | None = page.next
    with db.reader() as uow:
        while after is not None:
            page = next_page(uow, JobFilter(), order, after, 10)
            seen += page.ids
            after = page.next
        now = job_ids(uow, JobFilter(), order)
    added_id = uow_id(db, added.code)
    # What stayed put is met exactly once and in order: the pages go on from the last
    # row's keys, not from an offset the change shifted. The job that moved may be met
    # again where it now falls (the list drops a row it already shows); the refreshed
    # list (a first page) has everything once.
    unchanged = [job for job in now if job not in (added_id, moved)]
    assert [job for job in seen if job not in (added_id, moved)] == unchanged
    assert len(now) == JOBS + 1
    assert paged(db, JobFilter(), order, 10) == now


def uow_id(db: Database, code: str) -> int:
    with db.reader() as uow:
        job_id = uow.session.scalar(select(Job.id).where(Job.code == code))
    assert job_id is not None
    return job_id


@pytest.mark.parametrize("column", [JobColumn.DEVICE, JobColumn.DEVICE_TYPE])
def test_a_word_of_brands_and_names_is_read_by_the_brands_and_models_that_hold_it(
    db: Database, column: JobColumn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sams`` is a brand (samsung) and a customer's name (samsonov): by device, or by type,
    its pages come from the ranges of the brands and models that hold it and the few other
    jobs that hold it elsewhere, never from a walk of the order (which is made to fail)."""
    monkeypatch.setattr(listing, "FEW", 0)  # counted as a common word on SQLite too
    tied_shop(db)
    answers: list[object] = []
    by_groups = listing._group_page

    def spied(*args: Any, **kwargs: Any) -> object:
        answer = by_groups(*args, **kwargs)
        answers.append(answer)
        return answer

    def no_walk(*_args: Any, **_kwargs: Any) -> object:
        raise AssertionError("walked")

    monkeypatch.setattr(listing, "_group_page", spied)
    monkeypatch.setattr(listing, "_text_page", no_walk)
    for descending in (False, True):
        order = JobSort(column, descending)
        where = JobFilter(text="sams")
        whole = expected(db, where, order)
        assert 0 < len(whole) < JOBS
        assert paged(db, where, order, 4) == whole
    assert answers
    assert all(answer is not None for answer in answers)
