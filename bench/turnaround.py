"""How long the turnaround report takes over a 1M-job SQLite database (aim: ≤ 2 s).

    .venv/bin/python -m bench.turnaround DATABASE.sqlite [--repeat 3] [--by technician ...]

Opens the database read-only in spirit (nothing is written; the migration
check finds it up to date) and prints, for each grouping, the best of
``--repeat`` runs of the report, against a raw ``sqlite3`` scan of
``job_events`` (every row read, nothing computed): the ratio says how much
the report costs beyond reading the history once. Not a pass/fail test.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

from repairshop.bootstrap import open_database
from repairshop.services.reports.export import collect_reports
from repairshop.services.reports.figures import Period
from repairshop.services.reports.turnaround import Grouping, TurnaroundQuery, turnaround_report


def raw_scan_seconds(path: Path) -> float:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        started = time.perf_counter()
        connection.execute(
            "SELECT count(*), max(at), count(to_value) FROM job_events WHERE kind <> ''"
        ).fetchall()
        return time.perf_counter() - started
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--by",
        action="append",
        choices=[grouping.value for grouping in Grouping],
        help="groupings to time (default: technician)",
    )
    parser.add_argument("--business-hours", action="store_true")
    parser.add_argument(
        "--view-days",
        type=int,
        default=30,
        help="also time what the Reports view computes for this many days (0: skip)",
    )
    args = parser.parse_args()
    db = open_database(f"sqlite:///{args.database.resolve()}")
    scan = min(raw_scan_seconds(args.database) for _ in range(args.repeat))
    print(f"raw sqlite3 scan of job_events: {scan:.2f} s")
    for by in args.by or [Grouping.TECHNICIAN.value]:
        query = TurnaroundQuery(by=Grouping(by), business_hours=args.business_hours)
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            with db.reader() as uow:
                report = turnaround_report(uow, query)
            best = min(best, time.perf_counter() - started)
        hours = "business" if args.business_hours else "calendar"
        print(
            f"turnaround --by {by} ({hours} hours): {report.total.jobs:,} jobs, "
            f"{len(report.rows)} rows in {best:.2f} s; {best / scan:.1f}× the raw scan"
        )
    if args.view_days:
        with db.reader() as uow:
            today = uow.now().date()
        period = Period.last_days(today, args.view_days)
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            with db.reader() as uow:
                collect_reports(uow, period)
            best = min(best, time.perf_counter() - started)
        print(
            f"Reports view, last {args.view_days} days (turnaround by technician and device "
            f"type, time in each status, workload): {best:.2f} s; {best / scan:.1f}× the raw scan"
        )
    db.dispose()


if __name__ == "__main__":
    main()
