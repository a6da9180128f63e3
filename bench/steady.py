"""What a desk does again and again, after warm-up: wall and CPU milliseconds of each figure.

    .venv/bin/python -m bench.steady PATH.sqlite|DATABASE_URL [--runs 20]

The figures of ``bench.issue17`` a desk repeats all day (a list page while scrolling, the
first page, a label and a receipt read and drawn, the search's first page, saving an
intake), each run ten times first and then ``--runs`` times (intakes: four), the median of
those printed with the process's CPU time beside (on PostgreSQL the server's share is the
difference). Warm, as a desk that has been open a while is: on PostgreSQL a statement run
five times is prepared and its plan reused. Run it on both databases in turns, so that the
shared machine's load falls on both alike. Saving an intake adds jobs. Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from sqlalchemy import func, select

from bench.issue17 import CLERK, intake_document
from repairshop.bootstrap import open_database
from repairshop.db.tables import Job
from repairshop.printing.documents import (
    PrintSettings,
    job_label,
    job_receipt,
    load_job_for_label,
    load_job_for_printing,
)
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import (
    NEWEST_FIRST,
    JobCursor,
    JobFilter,
    first_page,
    next_page,
)
from repairshop.services.jobs.workflow import find_jobs

WARM_UP = 10
SEARCHES = ("novak", "nováková", "777 12", "35332611")


def measure(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``runs`` runs."""
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", help="a SQLite file or a database URL")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = args.path if "://" in args.path else f"sqlite:///{args.path}"
    db = open_database(url, migrate=False)
    with db.reader() as uow:
        newest = int(uow.session.scalar(select(func.max(Job.id))) or 0)
        code = uow.session.scalar(select(Job.code).where(Job.id == newest)) or ""
    middle = JobCursor(0, (), newest // 2)
    printing = PrintSettings()

    def page() -> object:
        with db.reader() as uow:
            return next_page(uow, JobFilter(), NEWEST_FIRST, middle)

    def first() -> object:
        with db.reader() as uow:
            return first_page(uow, JobFilter(), NEWEST_FIRST)

    def search(query: str) -> Callable[[], object]:
        def run() -> object:
            with db.reader() as uow:
                return find_jobs(uow, query, limit=50)

        return run

    saved = [0]

    def save() -> object:
        saved[0] += 1
        request = intake_request_from_json(intake_document(saved[0]))
        with db.unit_of_work(CLERK) as uow:
            taken = intake(uow, request, CLERK)
            uow.commit()
        return taken

    figures: list[tuple[str, Callable[[], object], int]] = [
        ("job list page while scrolling", page, args.runs),
        ("job list first page, newest first", first, args.runs),
        ("device label PDF (read and drawn)", lambda: job_label(
            load_job_for_label(db, code, CLERK), printing), args.runs),
        ("receipt PDF (read and drawn)", lambda: job_receipt(
            load_job_for_printing(db, code, CLERK), printing), args.runs),
        *((f"search first page “{query}”", search(query), args.runs) for query in SEARCHES),
        ("saving an intake (new customer and device)", save, 4),
    ]  # fmt: skip
    print(f"| figure | wall ms | CPU ms | load |  ({db.dialect})\n|---|---|---|---|")
    for name, action, runs in figures:
        for _ in range(WARM_UP if runs > 4 else 1):
            action()
        wall, cpu = measure(action, runs)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {os.getloadavg()[0]:.1f} |", flush=True)
    db.dispose()


if __name__ == "__main__":
    main()
