"""The job list's keyset pages for every order it offers, both ways, with and without a filter.

    .venv/bin/python -m bench.job_pages PATH.sqlite|DATABASE_URL [--deep 10] [--filter open]

For each sort column and direction: the first page (what a sort or filter change loads)
and a page ``--deep`` pages down (what scrolling asks for), in milliseconds (median of 3),
for all jobs, the open ones, the phones, the paid repairs and the complaints (``--filter``
chooses); the load average is printed beside. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from repairshop.bootstrap import open_database
from repairshop.domain.devices import DeviceType
from repairshop.domain.statuses import OPEN_STATUSES, JobType
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--deep", type=int, default=10, help="pages down for the scrolling figure")
    parser.add_argument(
        "--filter",
        choices=("all", "open", "phones", "paid", "complaints"),
        action="append",
        help="only these filters (repeatable)",
    )
    args = parser.parse_args()
    db = open_database(args.path if "://" in args.path else f"sqlite:///{args.path}")
    filters = {
        "all": JobFilter(),
        "open": JobFilter(statuses=frozenset(OPEN_STATUSES)),
        "phones": JobFilter(device_type=DeviceType.PHONE),
        "paid": JobFilter(job_type=JobType.PAID_REPAIR),
        "complaints": JobFilter(job_type=JobType.COMPLAINT),
    }
    if args.filter:
        filters = {name: where for name, where in filters.items() if name in args.filter}
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
