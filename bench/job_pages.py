"""The job list's keyset pages for every order it offers, both ways, with and without a filter.

    .venv/bin/python -m bench.job_pages PATH.sqlite|DATABASE_URL [--deep 10] [--filter open]

For each sort column and direction: the first page (what a sort or filter change loads)
and a page ``--deep`` pages down (what scrolling asks for), in milliseconds (median of 3),
for all jobs, the open ones, the phones, the paid repairs and the complaints by default;
``--filter`` chooses among those and every other filter the Jobs view offers (``workshop``,
``status:NAME``, ``type:NAME``, ``device:NAME``, ``technician`` (the first one), ``unassigned``,
``overdue``, ``week`` (the jobs taken in during one week, two months before the newest),
``complaints-due``, ``text:WORDS``, and ``open+phones``, ``open+technician``, ``queue``
(the workshop's statuses and a technician), ``open+desktops``, ``open+complaints`` for two at
once; ``every`` for all of them but the text); the load average is printed beside. Prints
figures; not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from repairshop.bootstrap import open_database
from repairshop.db.tables import Job, User
from repairshop.domain.devices import DeviceType
from repairshop.domain.statuses import OPEN_STATUSES, WORKSHOP_STATUSES, JobStatus, JobType
from repairshop.services.database import Database
from repairshop.services.jobs.listing import (
    JobColumn,
    JobCursor,
    JobFilter,
    JobSort,
    first_page,
    next_page,
)


def median_ms(action: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


DEFAULT = ("all", "open", "phones", "paid", "complaints")


def _filters(db: Database, wanted: list[str]) -> dict[str, JobFilter]:
    """The filters named in ``wanted`` (the default five if none; ``every`` for all)."""
    with db.reader() as uow:
        technician = uow.session.scalar(
            select(User.login).where(User.role == "technician").order_by(User.id).limit(1)
        )
        newest = uow.session.scalar(select(func.max(Job.created_at)))
    filters = {
        "all": JobFilter(),
        "open": JobFilter(statuses=frozenset(OPEN_STATUSES)),
        "phones": JobFilter(device_type=DeviceType.PHONE),
        "paid": JobFilter(job_type=JobType.PAID_REPAIR),
        "complaints": JobFilter(job_type=JobType.COMPLAINT),
        "workshop": JobFilter(statuses=frozenset(WORKSHOP_STATUSES)),
        "technician": JobFilter(assignee=technician),
        "unassigned": JobFilter(unassigned=True),
        "overdue": JobFilter(overdue=True),
        "complaints-due": JobFilter(complaints_due_within=3),
        "open+phones": JobFilter(statuses=frozenset(OPEN_STATUSES), device_type=DeviceType.PHONE),
        "open+technician": JobFilter(statuses=frozenset(OPEN_STATUSES), assignee=technician),
        "queue": JobFilter(statuses=frozenset(WORKSHOP_STATUSES), assignee=technician),
        "open+desktops": JobFilter(
            statuses=frozenset(OPEN_STATUSES), device_type=DeviceType.DESKTOP
        ),
        "open+complaints": JobFilter(statuses=frozenset(OPEN_STATUSES), job_type=JobType.COMPLAINT),
    }
    if newest is not None:
        start = newest.date() - timedelta(days=60)
        filters["week"] = JobFilter(created_from=start, created_to=start + timedelta(days=6))
    for status in JobStatus:
        filters[f"status:{status.value}"] = JobFilter(statuses=frozenset({status}))
    for job_type in JobType:
        filters[f"type:{job_type.value}"] = JobFilter(job_type=job_type)
    for device_type in DeviceType:
        filters[f"device:{device_type.value}"] = JobFilter(device_type=device_type)
    chosen: dict[str, JobFilter] = {}
    for name in wanted or DEFAULT:
        if name == "every":
            chosen.update(filters)
        elif name.startswith("text:"):
            chosen[name] = replace(JobFilter(), text=name.removeprefix("text:"))
        else:
            chosen[name] = filters[name]
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--deep", type=int, default=10, help="pages down for the scrolling figure")
    parser.add_argument(
        "--filter",
        action="append",
        help="only these filters (repeatable)",
    )
    args = parser.parse_args()
    db = open_database(args.path if "://" in args.path else f"sqlite:///{args.path}")
    filters = _filters(db, args.filter or [])
    print("| order | filter | first page | page after scrolling | load |\n|---|---|---|---|---|")
    for column in JobColumn:
        for descending in (False, True):
            order = JobSort(column, descending)
            for name, where in filters.items():
                with db.reader() as uow:
                    after: JobCursor | None = first_page(uow, where, order).next
                    for _ in range(args.deep - 1):
                        if after is None:
                            break
                        after = next_page(uow, where, order, after).next

                def first(where: JobFilter = where, order: JobSort = order) -> object:
                    with db.reader() as uow:
                        return first_page(uow, where, order)

                def deeper(
                    where: JobFilter = where,
                    order: JobSort = order,
                    after: JobCursor | None = after,
                ) -> object:
                    with db.reader() as uow:
                        return next_page(uow, where, order, after)

                arrow = "↓" if descending else "↑"
                print(
                    f"| {column.value} {arrow} | {name} | {median_ms(first):.1f} ms "
                    f"| {median_ms(deeper):.1f} ms | {os.getloadavg()[0]:.1f} |",
                    flush=True,
                )
    db.dispose()


if __name__ == "__main__":
    main()
