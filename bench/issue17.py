"""Every figure of "a million jobs and still instant" in one table, each with its floor.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.issue17 [PATH.sqlite] [--rebuild]
    .venv/bin/python -m bench.issue17 --postgres postgresql+psycopg://USER@HOST/DATABASE

Builds the million-job demo database at PATH (default ``/tmp/repairshop-1m.sqlite``) when it
is missing or ``--rebuild`` is given (then the demo's own time is a row of the table), and
reuses it otherwise. With ``--postgres`` it reads a PostgreSQL database that already holds
demo data (``repairshop --db URL db upgrade``, then ``repairshop --db URL demo --jobs N``;
use a database of its own, not the test suite's) and prints the same table, without the
app's start (``bench.start`` starts the app on SQLite files) but with the scan to a card.
Saving an intake adds jobs to the database measured (four a run).

Each row: the figure, its floor measured in the same run, the ratio, the target, and the
load average when it was taken (the machine is shared; under load the ratios say more than
the seconds). Not a pass/fail test.

Figures not here have their own scripts: ``bench.search`` (search as you type, per query),
``bench.scan_to_card`` (the same scan figures with their CPU time, and a card's statements),
``bench.job_list`` (scrolling, sorting and filtering the Jobs list), ``bench.printing``
(receipt and label PDFs), ``bench.live_refresh`` (another desk's change on screen).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Connection, func, select, text

from bench.demo_data import run as build_demo
from bench.scan_to_card import scan_rows
from bench.start import PEAK_RSS_MIB, start_figures, timed_process
from repairshop.bootstrap import open_database
from repairshop.db.engine import READ_ONLY
from repairshop.db.tables import Job
from repairshop.demo.catalogue import CLERKS
from repairshop.printing.documents import (
    PrintSettings,
    job_label,
    job_receipt,
    load_job_for_label,
    load_job_for_printing,
)
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import (
    NEWEST_FIRST,
    JobCursor,
    JobFilter,
    first_page,
    next_page,
)
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


def report_rows(url: str) -> list[Row]:
    """Turnaround and workload over the database, against raw scans of the status events."""
    db = open_database(url, migrate=False)
    raw = db.engine.connect().execution_options(**{READ_ONLY: True})
    sqlite = db.dialect == "sqlite"
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
            text(
                "SELECT e.job_id, e.at, j.created_at, j.assignee_id FROM job_events e"
                " JOIN jobs j ON j.id = e.job_id"
                " WHERE e.kind = 'status' AND e.to_value = 'ready'"
                " AND e.at >= :low AND e.at < :high"
            ),
            {"low": low, "high": high},
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
            text(
                "SELECT to_value, at FROM job_events WHERE kind = 'status'"
                " AND to_value IN ('ready', 'collected') AND at >= :start"
            ),
            {"start": start},
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

        def raw_search(typed: str = query) -> object:
            if sqlite:
                return raw.execute(
                    text("SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :match LIMIT 50"),
                    {"match": '"' + typed.replace('"', "") + '"'},
                ).fetchall()
            return raw.execute(
                text("SELECT id FROM jobs WHERE search_text LIKE :like LIMIT 50"),
                {"like": f"%{typed}%"},
            ).fetchall()

        rows.append(
            (
                f"search first page “{query}”",
                median_of(search),
                "raw FTS5 query" if sqlite else "raw trigram LIKE query",
                median_of(raw_search),
                "≤ 30 ms",
                load(),
            )
        )
    with db.reader() as uow:
        newest = int(uow.session.scalar(select(func.max(Job.id))) or 0)
    middle = JobCursor(0, (), newest // 2)  # half way down the newest-first list

    def first() -> object:
        """What a sort or filter change loads: the first page of the new order."""
        with db.reader() as uow:
            return first_page(uow, JobFilter(), NEWEST_FIRST)

    def page() -> object:
        """What the Jobs list asks for as it scrolls: the 200 rows after the last shown."""
        with db.reader() as uow:
            return next_page(uow, JobFilter(), NEWEST_FIRST, middle)

    def raw_first() -> object:
        return raw.execute(text("SELECT * FROM jobs ORDER BY id DESC LIMIT 200")).fetchall()

    def raw_page() -> object:
        return raw.execute(
            text("SELECT * FROM jobs WHERE id < :below ORDER BY id DESC LIMIT 200"),
            {"below": newest // 2},
        ).fetchall()

    rows.append(
        ("job list page while scrolling (200 rows after mid-list)", median_of(page),
         "raw rows by keyset", median_of(raw_page), "≤ 10 ms", load())
    )  # fmt: skip
    rows.append(
        ("job list first page, newest first (a sort or filter)", median_of(first),
         "raw first rows", median_of(raw_first), "≤ 100 ms", load())
    )  # fmt: skip
    raw.rollback()
    with db.engine.connect() as writer:
        rows.extend(counter_rows(db, writer))
    raw.close()
    db.dispose()
    return rows


CLERK = CLERKS[0][0]
"""A clerk of the demo data: who takes the device in and prints."""


def intake_document(n: int) -> dict[str, object]:
    """A new customer's phone brought to the counter (a new phone number every time)."""
    stamp = time.time_ns() // 1000 % 10**6
    return {
        "customer": {
            "name": "Zdeňka Benchová",
            "phone": f"+420 605 {stamp // 1000:03d} {(stamp + n) % 1000:03d}",
            "language": "cs",
        },
        "device": {
            "type": "phone",
            "brand": "Apple",
            "model": "iPhone 13",
            "serial": f"BENCH{stamp:06d}{n}",
        },
        "job_type": "paid_repair",
        "fault": "Cracked screen after a fall",
        "accessories": ["case"],
        "condition": "Scratches on the frame",
        "passcode": "",
        "estimate": "3490",
        "deposit": "0",
    }


def counter_rows(db: Database, raw: Connection) -> list[Row]:
    """Saving an intake, its receipt and its label, against the database and PDF floors."""
    codes: list[str] = []

    def save(n: int) -> object:
        request = intake_request_from_json(intake_document(n))
        with db.unit_of_work(CLERK) as uow:
            codes.append(intake(uow, request, CLERK).code)
            uow.commit()
        return codes[-1]

    def raw_save() -> float:
        """The floor: the rows an intake writes, by hand, in one committed transaction (its
        seconds); then taken out again (not timed)."""
        started = time.perf_counter()
        with raw.begin():
            customer = raw.execute(
                text(
                    "INSERT INTO customers (name, phone, language, consent_to_contact, notes,"
                    " created_at) VALUES ('Bench Floor', '+420605000000', 'cs', false, '',"
                    " CURRENT_TIMESTAMP) RETURNING id"
                )
            ).scalar_one()
            device = raw.execute(
                text(
                    "INSERT INTO devices (customer_id, device_type, brand, model, serial, colour,"
                    " created_at) VALUES (:c, 'phone', 'Apple', 'iPhone 13', 'BENCHFLOOR', '',"
                    " CURRENT_TIMESTAMP) RETURNING id"
                ),
                {"c": customer},
            ).scalar_one()
            job = raw.execute(
                text(
                    "INSERT INTO jobs (code, customer_id, device_id, job_type, status, fault,"
                    " accessories, condition, passcode, deposit_minor, currency,"
                    " proof_of_purchase, created_by_id, created_at, status_changed_at,"
                    " updated_at, search_text, search_device, version, customer_name,"
                    " device_type, device_brand, device_model) VALUES ('Z0000001', :c, :d,"
                    " 'paid_repair', 'received', 'Cracked screen', 'case', '', '', 0, 'CZK', '',"
                    " (SELECT MIN(id) FROM users), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                    " CURRENT_TIMESTAMP, 'z0000001 bench floor +420605000000 benchfloor',"
                    " 'apple iphone 13', 1,"
                    " 'Bench Floor', 'phone', 'Apple', 'iPhone 13')"
                    " RETURNING id"
                ),
                {"c": customer, "d": device},
            ).scalar_one()
            raw.execute(
                text(
                    "INSERT INTO job_events (job_id, at, user_id, kind, to_value, note) VALUES"
                    " (:j, CURRENT_TIMESTAMP, (SELECT MIN(id) FROM users), 'created',"
                    " 'received', '')"
                ),
                {"j": job},
            )
            raw.execute(text("UPDATE counters SET value = value WHERE name = 'ticket'"))
        seconds = time.perf_counter() - started
        with raw.begin():
            raw.execute(text("DELETE FROM job_events WHERE job_id = :j"), {"j": job})
            raw.execute(text("DELETE FROM jobs WHERE id = :j"), {"j": job})
            raw.execute(text("DELETE FROM devices WHERE id = :d"), {"d": device})
            raw.execute(text("DELETE FROM customers WHERE id = :c"), {"c": customer})
        return seconds

    save(0)  # warm-up: the first intake loads what the rest reuse
    saves = []
    for n in range(1, 4):
        started = time.perf_counter()
        save(n)
        saves.append(time.perf_counter() - started)
    raw_save()
    raw_floor = statistics.median(raw_save() for _run in range(3))
    rows: list[Row] = [
        (
            "saving an intake (new customer and device, committed)",
            statistics.median(saves),
            "raw INSERTs of its rows, committed",
            raw_floor,
            "≤ 50 ms",
            load(),
        )
    ]
    code = codes[-1]
    printing = PrintSettings()
    job_receipt(load_job_for_printing(db, code, CLERK), printing)
    job_label(load_job_for_label(db, code, CLERK), printing)

    def blank_pdf() -> object:
        """The floor: a ReportLab page with one line of text."""
        from io import BytesIO

        from reportlab.pdfgen.canvas import Canvas

        out = BytesIO()
        page = Canvas(out)
        page.drawString(72, 720, code)
        page.save()
        return out.getvalue()

    floor = median_of(blank_pdf, 20)
    rows.append(
        (
            "receipt PDF of a new job (read from the database and drawn)",
            median_of(lambda: job_receipt(load_job_for_printing(db, code, CLERK), printing), 20),
            "a one-line ReportLab page",
            floor,
            "≤ 20 ms",
            load(),
        )
    )
    rows.append(
        (
            "device label PDF of a new job (read and drawn)",
            median_of(lambda: job_label(load_job_for_label(db, code, CLERK), printing), 20),
            "a one-line ReportLab page",
            floor,
            "≤ 10 ms",
            load(),
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path, nargs="?", default=Path("/tmp/repairshop-1m.sqlite"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="processes per start figure")
    parser.add_argument("--postgres", metavar="URL", help="measure this PostgreSQL database")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows: list[Row] = []
    if args.postgres:
        url = args.postgres
        cli = timed_process(
            [sys.executable, "-m", "repairshop", "--db", url, "job", "find", "x"], args.runs
        )
        rows.append(("`repairshop job find x`", cli, "", 0.0, "", load()))
        for name, seconds, floor, floor_seconds, target in scan_rows(url, 8):
            rows.append((name, seconds, floor, floor_seconds, target, load()))
        rows.extend(report_rows(url))
        print_table(rows)
        return
    if args.rebuild or not args.path.exists():
        for leftover in args.path.parent.glob(args.path.name + "*"):
            leftover.unlink()
        before = load()
        result, _marks, elapsed = build_demo(f"sqlite:///{args.path}", 1_000_000)
        rows.append(
            (f"demo --jobs {result.jobs:,}", elapsed, "(none)", 0.0, "≤ 60 s", max(before, load()))
        )
    for name, seconds, floor, floor_seconds, target in start_figures(str(args.path), args.runs):
        rows.append((name, seconds, floor, floor_seconds, target, load()))
    peak = max(PEAK_RSS_MIB.get(kind, 0.0) for kind in ("first", "desk", "app"))
    rows.append(("peak RSS of a started app (MiB)", peak, "", 0.0, "≤ 200 MiB", load()))
    for name, seconds, floor, floor_seconds, target in scan_rows(args.path, 8):
        rows.append((name, seconds, floor, floor_seconds, target, load()))
    rows.extend(report_rows(f"sqlite:///{args.path}"))
    print_table(rows)


def print_table(rows: list[Row]) -> None:
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
