"""How the Jobs view copes with a big database: first pages, filters, sorts, scrolling, painting.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.job_list PATH.sqlite

Use a copy of a demo database (``repairshop demo --jobs 1000000``). Prints
figures, with raw ``sqlite3`` and a bare Qt table over 200 in-memory rows as
the yardsticks; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from repairshop.bootstrap import open_database
from repairshop.domain.devices import DeviceType
from repairshop.domain.statuses import WORKSHOP_STATUSES, JobStatus
from repairshop.i18n import set_ui_language
from repairshop.services.jobs.listing import JobColumn, JobFilter, JobSort, count_jobs, job_page
from repairshop.services.jobs.workflow import change_status
from repairshop.services.shop.users import list_users
from ui.app import make_context
from ui.context import AppContext
from ui.job_list import JobsView
from ui.models.job_table import COLUMNS, JobTableModel
from ui.operations import WriteOp
from ui.qt import QApplication, QSettings, QStandardItem, QStandardItemModel, QTableView


def timed(action: Callable[[], object], repeat: int = 3) -> float:
    """The median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def wait_for_worker(app: QApplication, context: AppContext) -> None:
    while context.tasks.busy:
        app.processEvents()
        time.sleep(0.002)


def settled(
    app: QApplication, context: AppContext, model: JobTableModel, change: Callable[[], object]
) -> str:
    """Make ``change``; how long the GUI thread was busy, and until the new list showed."""
    started = time.perf_counter()
    change()
    blocked = (time.perf_counter() - started) * 1000
    while model.is_loading or context.tasks.busy:
        app.processEvents()
        time.sleep(0.002)
    shown = (time.perf_counter() - started) * 1000
    return f"GUI busy {blocked:5.0f} ms, shown after {shown:5.0f} ms"


def paint(table: QTableView) -> None:
    table.viewport().repaint()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    set_ui_language("en")
    app = QApplication([])
    db = open_database(f"sqlite:///{args.database}")
    with tempfile.TemporaryDirectory() as folder:
        state = QSettings(str(Path(folder) / "state.ini"), QSettings.Format.IniFormat)
        context = make_context(db, state)
        with db.reader() as uow:
            total = count_jobs(uow, JobFilter())
            technician = list_users(uow, technicians_only=True)[0].login
            received = JobFilter(statuses=frozenset({JobStatus.RECEIVED}))
            code = job_page(uow, received, JobSort(), 0, 1)[0].code
        raw = sqlite3.connect(args.database)
        raw_ms = timed(lambda: raw.execute("SELECT id FROM jobs ORDER BY id DESC").fetchall())
        print(f"jobs: {total:,}")
        print(f"raw sqlite3, all ids newest first: {raw_ms:.0f} ms")

        started = time.perf_counter()
        view = JobsView(context)
        view.resize(1280, 740)
        view.show()
        app.processEvents()
        built = (time.perf_counter() - started) * 1000
        model, table = view.model, view.table
        settled(app, context, model, lambda: None)
        print(
            f"Jobs view built and shown in {built:.0f} ms; "
            f"first page shown after {(time.perf_counter() - started) * 1000:.0f} ms"
        )

        bare = QStandardItemModel(200, len(COLUMNS))
        for row in range(200):
            for column in range(len(COLUMNS)):
                bare.setItem(row, column, QStandardItem(f"cell {row}.{column}"))
        bare_table = QTableView()
        bare_table.setModel(bare)
        bare_table.resize(1280, 740)
        bare_table.show()
        app.processEvents()
        bare_ms = timed(lambda: paint(bare_table), repeat=5)
        print(f"bare Qt table, 200 in-memory rows, one paint: {bare_ms:.1f} ms")

        paints = []
        for fraction in (0.0, 0.001, 0.25, 0.5, 0.75, 0.999):
            row = int((model.rowCount() - 1) * fraction)

            def scroll_and_paint(row: int = row) -> None:
                table.scrollTo(model.index(row, 0))
                paint(table)
                wait_for_worker(app, context)  # the rows painted arrive from the worker
                paint(table)

            first = timed(scroll_and_paint, repeat=1)
            again = timed(scroll_and_paint, repeat=3)
            paints.append(first)
            print(
                f"  scroll to row {row:>9,} and paint: "
                f"rows fetched and painted {first:6.1f} ms, cached {again:5.1f} ms"
            )
        print(
            f"scrolling: worst first paint {max(paints):.1f} ms "
            f"= {max(paints) / bare_ms:.1f}x a bare table's paint"
        )

        filters = {
            "status = ready": JobFilter(statuses=frozenset({JobStatus.READY})),
            "needs work": JobFilter(statuses=frozenset(WORKSHOP_STATUSES)),
            f"technician = {technician}": JobFilter(assignee=technician),
            "device type = laptop": JobFilter(device_type=DeviceType.LAPTOP),
            "overdue": JobFilter(overdue=True),
            "text 'novák'": JobFilter(text="novák"),
            "text 'iphone 13' + needs work": JobFilter(
                text="iphone 13", statuses=frozenset(WORKSHOP_STATUSES)
            ),
            "everything": JobFilter(),
        }
        for name, where in filters.items():
            figures = settled(app, context, model, lambda where=where: model.set_filter(where))
            print(f"  filter {name:<32} {model.rowCount():>9,} rows: {figures}")
        for key, _title in COLUMNS:
            for descending in (False, True):
                order = JobSort(JobColumn(key), descending)
                figures = settled(
                    app,
                    context,
                    model,
                    lambda order=order: (setattr(model, "order", order), model.reload()),
                )
                arrow = "↓" if descending else "↑"
                print(f"  sort all {model.rowCount():,} by {key:<12}{arrow}: {figures}")
        settled(app, context, model, lambda: model.set_filter(JobFilter()))
        settled(app, context, model, lambda: (setattr(model, "order", JobSort()), model.reload()))
        user = context.user

        def move() -> None:
            WriteOp(
                context,
                None,
                lambda uow: change_status(uow, code, JobStatus.DIAGNOSING, user),
                lambda result: result.changes,
            ).run()
            wait_for_worker(app, context)

        ms = timed(move, repeat=1)
        print(f"a status move, committed and shown in the 1M list (in place): {ms:.0f} ms")
        context.tasks.shutdown()
    db.dispose()


if __name__ == "__main__":
    main()
