"""Every figure of "a million jobs and still instant" in one table, each with its floor.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.issue17 [PATH.sqlite] [--rebuild]

Builds the million-job demo database at PATH (default ``/tmp/repairshop-1m.sqlite``) when it
is missing or ``--rebuild`` is given (then the demo's own time is a row of the table), and
reuses it otherwise. Each row: the figure, its floor measured in the same run, the ratio,
the target, and the load average when it was taken (the machine is shared; under load the
ratios say more than the seconds). Not a pass/fail test.

Figures not here have their own scripts: ``bench.search`` (search as you type, per query),
``bench.scan_to_card`` (the same scan figures with their CPU time, and a card's statements),
``bench.job_list`` (scrolling, sorting and filtering the Jobs list), ``bench.printing``
(receipt and label PDFs), ``bench.live_refresh`` (another desk's change on screen).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bench.demo_data import run as build_demo
from bench.scan_to_card import scan_rows
from bench.start import start_figures
from repairshop.bootstrap import open_database
from repairshop.services.jobs.listing import NEWEST_FIRST, JobFilter, job_ids, job_rows
from repairshop.services.jobs.workflow import find_jobs
from repairshop.services.reports.figures import Period
from repairshop.services.reports.turnaround import Grouping, TurnaroundQuery, turnaround_report
from repairshop.services.reports.workload import WorkloadQuery, workload_report
from repairshop.services.shop.opening_hours import get_opening_hours

Row = tuple[str, float, str, float, str, float]
"""(figure, seconds, floor, floor seconds, target, load average)."""


def best_of(action: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def median_of(action: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def load() -> float:
    return os.getloadavg()[0]


def report_rows(path: Path) -> list[Row]:
    """Turnaround and workload over the database, against raw scans of the status events."""
    db = open_database(f"sqlite:///{path}")
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows: list[Row] = []
    with db.reader() as uow:
        today = uow.now().date()
        zone = get_opening_hours(uow).zone()
    half_year = Period(today - timedelta(days=182), today)
    low, high = (
        moment.replace(tzinfo=None).isoformat(sep=" ") if moment else None
        for moment in half_year.utc_bounds(zone)
    )

    def raw_ready_scan() -> object:
        """The floor: the status events to ready in the period, with the jobs' intake."""
        return raw.execute(
            "SELECT e.job_id, e.at, j.created_at, j.assignee_id FROM job_events e"
            " JOIN jobs j ON j.id = e.job_id"
            " WHERE e.kind = 'status' AND e.to_value = 'ready' AND e.at >= ? AND e.at < ?",
            (low, high),
        ).fetchall()

    def turnaround() -> object:
        with db.reader() as uow:
            return turnaround_report(uow, TurnaroundQuery(period=half_year, by=Grouping.TECHNICIAN))

    floor = best_of(raw_ready_scan)
    rows.append(
        (
            "report turnaround --by technician, six months",
            best_of(turnaround),
            "raw scan of the ready events",
            floor,
            "≤ 1×",
            load(),
        )
    )
    month = Period.last_days(today, 30)

    def workload() -> object:
        with db.reader() as uow:
            return workload_report(uow, WorkloadQuery(period=month))

    def raw_moved_scan() -> object:
        start = (today - timedelta(days=29)).isoformat()
        return raw.execute(
            "SELECT to_value, at FROM job_events WHERE kind = 'status'"
            " AND to_value IN ('ready', 'collected') AND at >= ?",
            (start,),
        ).fetchall()

    rows.append(
        (
            "workload report, 30 days",
            best_of(workload),
            "raw scan of that month's ready/collected events",
            best_of(raw_moved_scan),
            "≤ 1×",
            load(),
        )
    )
    for query in ("novak", "nováková", "777 12", "35332611"):

        def search(text: str = query) -> object:
            with db.reader() as uow:
                return find_jobs(uow, text, limit=50)

        def raw_search(text: str = query) -> object:
            return raw.execute(
                "SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ? LIMIT 50",
                ('"' + text.replace('"', "") + '"',),
            ).fetchall()

        rows.append(
            (
                f"search first page “{query}”",
                median_of(search),
                "raw FTS5 query",
                median_of(raw_search),
                "≤ 30 ms",
                load(),
            )
        )
    with db.reader() as uow:
        ids = job_ids(uow, JobFilter(), NEWEST_FIRST)
    middle = max(len(ids) // 2 - 100, 0)

    def page() -> object:
        """What the Jobs list asks for as it scrolls: the rows of a block of its ids."""
        with db.reader() as uow:
            return job_rows(uow, ids[middle : middle + 200])

    def load_ids() -> object:
        with db.reader() as uow:
            return job_ids(uow, JobFilter(), NEWEST_FIRST)

    def raw_ids() -> object:
        return raw.execute("SELECT id FROM jobs ORDER BY created_at DESC").fetchall()

    def raw_page() -> object:
        marks = ",".join("?" for _id in ids[middle : middle + 200])
        return raw.execute(
            f"SELECT * FROM jobs WHERE id IN ({marks})", ids[middle : middle + 200]
        ).fetchall()

    page_row: Row = (
        "job list page (200 rows mid-list)",
        median_of(page),
        "raw rows by id",
        median_of(raw_page),
        "≤ 10 ms",
        load(),
    )
    rows.append(page_row)
    rows.append(
        ("job list ids, newest first (a sort or filter)", best_of(load_ids), "raw ids query",
         best_of(raw_ids), "≤ 100 ms", load())
    )  # fmt: skip
    raw.close()
    db.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path, nargs="?", default=Path("/tmp/repairshop-1m.sqlite"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="processes per start figure")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows: list[Row] = []
    if args.rebuild or not args.path.exists():
        for leftover in args.path.parent.glob(args.path.name + "*"):
            leftover.unlink()
        before = load()
        result, _marks, elapsed = build_demo(args.path, 1_000_000)
        rows.append(
            (f"demo --jobs {result.jobs:,}", elapsed, "(none)", 0.0, "≤ 60 s", max(before, load()))
        )
    for name, seconds, floor, floor_seconds, target in start_figures(args.path, args.runs):
        rows.append((name, seconds, floor, floor_seconds, target, load()))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows.append(("peak RSS of a started app (MiB)", peak, "", 0.0, "≤ 200 MiB", load()))
    for name, seconds, floor, floor_seconds, target in scan_rows(args.path, 8):
        rows.append((name, seconds, floor, floor_seconds, target, load()))
    rows.extend(report_rows(args.path))
    print(f"| figure | value | floor | floor value | ratio | target | load |\n|{'---|' * 7}")
    for name, value, floor, floor_value, target, load_average in rows:
        unit = "" if "MiB" in name else " s" if value >= 1 else " ms"
        shown = value if unit != " ms" else value * 1000
        floor_shown = floor_value if unit != " ms" else floor_value * 1000
        ratio = f"{value / floor_value:.1f}×" if floor_value else ""
        floor_text = f"{floor_shown:.2f}{unit}" if floor_value else ""
        print(
            f"| {name} | {shown:.2f}{unit} | {floor} | {floor_text} | {ratio} | {target} "
            f"| {load_average:.1f} |"
        )


if __name__ == "__main__":
    main()
