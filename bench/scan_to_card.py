"""A scanned code + Enter to its job card's window title, against a bare Qt window doing the same.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.scan_to_card PATH.sqlite|DATABASE_URL
        [--runs 15] [--sql] [--profile FILE]

- the floor: a bare ``QMainWindow`` with a ``QLineEdit`` and a ``QTabWidget``; the line edit's
  ``returnPressed`` adds a new ``QWidget`` as a tab and sets the window's title to the code;
- the app: the real main window on the database (started and settled first: the Jobs list's
  first page and the dashboard in), a ticket code typed into Find and Enter pressed, until the
  window's title names the code (the card is in front), processing events all the while;
- the same through ``AppContext.open_job`` — what the Jobs list (double-click, Enter), My
  queue, the customer card and the other views call;
- how long after that the card's panels (parts, money, evidence, claim, earlier visits,
  complaint) have their rows in and the worker is idle again.

Each figure is the median of ``--runs`` different jobs (spread over the ids), the card closed
after each. Floor and app alternate per code, so the load of the shared machine falls on both
alike. ``--sql`` prints every statement of one card open with its time; ``--profile FILE``
writes a cProfile of the GUI thread during the app's runs (``python -m pstats FILE``;
the worker's share: ``--sql``, or py-spy). Not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RouteTimes = dict[str, list[float]]


def _wait(app: Any, done: Callable[[], bool], limit: float = 60.0) -> float:
    """Process events until ``done()``; the seconds it took."""
    started = time.perf_counter()
    while not done():
        app.processEvents()
        if time.perf_counter() - started > limit:
            raise TimeoutError("the card did not come")
        time.sleep(0.0002)
    return time.perf_counter() - started


def _settle(app: Any, window: Any) -> None:
    """The closed card deleted and the window laid out and painted now, not during the next
    figure (``processEvents`` alone leaves the deferred deletes to the next event loop)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    window.repaint()
    app.processEvents()


def _wait_for_title(window: Any, code: str, limit: float = 60.0) -> None:
    """Run the event loop until ``window``'s title names ``code`` (no polling: its signal)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if code in window.windowTitle():
        return
    loop = QEventLoop()

    def titled(title: str) -> None:
        if code in title:
            loop.quit()

    window.windowTitleChanged.connect(titled)
    QTimer.singleShot(int(limit * 1000), loop.quit)
    loop.exec()
    window.windowTitleChanged.disconnect(titled)
    if code not in window.windowTitle():
        raise TimeoutError("the card did not come")


def database_url(path: Path | str) -> str:
    """A database URL as given, or a SQLite file's."""
    return str(path) if "://" in str(path) else f"sqlite:///{path}"


def pick_codes(path: Path | str, count: int) -> list[str]:
    """``count`` ticket codes spread evenly over the jobs' ids (old and new jobs alike)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(path))
    try:
        with engine.connect() as raw:
            highest = raw.execute(text("SELECT MAX(id) FROM jobs")).scalar_one()
            codes = []
            for step in range(count):
                wanted = 1 + (highest - 1) * (step * 2 + 1) // (count * 2)
                row = raw.execute(
                    text("SELECT code FROM jobs WHERE id >= :wanted ORDER BY id LIMIT 1"),
                    {"wanted": wanted},
                )
                codes.append(row.scalar_one())
        return codes
    finally:
        engine.dispose()


class Floor:
    """A bare Qt window: Enter in a line edit opens a titled widget as a tab."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QLineEdit, QMainWindow, QTabWidget, QToolBar, QWidget

        self.window = QMainWindow()
        self.field = QLineEdit(self.window)
        bar = QToolBar(self.window)
        bar.addWidget(self.field)
        self.window.addToolBar(bar)
        self.tabs = QTabWidget(self.window)
        self.window.setCentralWidget(self.tabs)
        self.window.resize(1280, 800)

        def open_card() -> None:
            code = self.field.text().strip()
            self.field.clear()
            card = QWidget(self.tabs)
            card.setWindowTitle(code)
            self.tabs.setCurrentIndex(self.tabs.addTab(card, code))
            self.window.setWindowTitle(f"RepairShop — {code}")

        self.field.returnPressed.connect(open_card)
        self._widget = QWidget
        self.window.show()

    def scan(self, app: Any, code: str) -> tuple[float, float]:
        """Wall and CPU seconds (the process's, all threads) from Enter to the title."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.field.setFocus()
        QTest.keyClicks(self.field, code)
        app.processEvents()
        cpu, started = time.process_time(), time.perf_counter()
        QTest.keyClick(self.field, Qt.Key.Key_Return)
        _wait_for_title(self.window, code)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        self.tabs.currentWidget().deleteLater()
        self.tabs.removeTab(self.tabs.currentIndex())
        _settle(app, self.window)
        return seconds, cpu


class App:
    """The real main window on ``path`` (a SQLite file or a database URL), settled after its
    start."""

    def __init__(self, app: Any, path: Path | str, *, echo_sql: bool = False) -> None:
        from repairshop.bootstrap import open_database
        from ui.app import WindowKeeper, make_context
        from ui.qt import QSettings

        self.db = open_database(database_url(path))
        self.statements: list[tuple[float, str, str, Any]] | None = None
        self.context = make_context(self.db, QSettings("RepairShop-bench", "RepairShop-bench"))
        self.keeper = WindowKeeper(self.context)
        self.window = self.keeper.window
        self.window.show()
        _wait(app, lambda: not self.context.tasks.busy, limit=600)
        if echo_sql:
            self._log_statements()

    def _log_statements(self) -> None:
        from sqlalchemy import event

        engine = self.db.engine
        local = threading.local()

        @event.listens_for(engine, "before_cursor_execute")
        def before(*_args: object) -> None:
            local.started = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def after(
            _conn: object, _cursor: object, statement: str, params: object, *_rest: object
        ) -> None:
            if self.statements is not None:
                took = time.perf_counter() - local.started
                self.statements.append((took, threading.current_thread().name, statement, params))

    def open(self, app: Any, code: str, route: str) -> tuple[float, float, float]:
        """Seconds to the card's title, the CPU seconds of that (the process's, all threads),
        then seconds more until its panels are in."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        window = self.window
        if route == "scan":
            window.search.setFocus()
            QTest.keyClicks(window.search, code)
            app.processEvents()
            cpu, started = time.process_time(), time.perf_counter()
            QTest.keyClick(window.search, Qt.Key.Key_Return)
        else:
            cpu, started = time.process_time(), time.perf_counter()
            self.context.open_job(code)
        _wait_for_title(window, code)
        at_title, cpu = time.perf_counter() - started, time.process_time() - cpu
        _wait(app, lambda: not self.context.tasks.busy)
        settled = time.perf_counter() - started - at_title
        window._close_tab(window.tabs.currentIndex())  # as Ctrl+W does
        window.show_view("jobs")  # the next code is scanned from the Jobs list, as at the desk
        _wait(app, lambda: not self.context.tasks.busy)
        _settle(app, window)
        return at_title, cpu, settled


def print_statements(path: Path | str, statements: list[tuple[float, str, str, Any]]) -> None:
    """Each statement with its time, and the tables the database reads whole for it (a full
    scan: SQLite's ``SCAN`` without an index, PostgreSQL's ``Seq Scan``)."""
    for took, thread, statement, params in statements:
        print(f"{took * 1000:8.2f} ms  {thread[-4:]}  {' '.join(statement.split())[:160]} {params}")
    if "://" in str(path):
        for line in _postgres_full_scans(str(path), statements):
            print(line)
    else:
        import sqlite3

        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for _took, _thread, statement, params in statements:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                plan = raw.execute(f"EXPLAIN QUERY PLAN {statement}", params).fetchall()
                for _id, _parent, _unused, detail in plan:
                    if detail.startswith("SCAN") and "USING" not in detail:
                        print(f"full scan: {detail}  in  {' '.join(statement.split())[:100]}")
        raw.close()
    total = sum(took for took, *_rest in statements) * 1000
    print(f"{len(statements)} statements, {total:.1f} ms")


def _postgres_full_scans(url: str, statements: list[tuple[float, str, str, Any]]) -> list[str]:
    """The sequential scans in the plans of the statements that PostgreSQL costs above a
    thousand (a table of a dozen users is read whole, rightly)."""
    import re

    import psycopg

    found = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as raw:
        for _took, _thread, statement, params in statements:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                for (line,) in raw.execute(f"EXPLAIN {statement}", params).fetchall():
                    cost = re.search(r"Seq Scan .*cost=[\d.]+\.\.([\d.]+)", line)
                    if cost and float(cost.group(1)) > 1000:
                        short = " ".join(statement.split())[:100]
                        found.append(f"full scan: {line.strip()}  in  {short}")
    return found


def run(
    path: Path | str, runs: int, *, sql: bool = False, profile: Path | None = None
) -> RouteTimes:
    """The figures (seconds per code) by name; prints the statements of one open with ``sql``."""
    from ui.qt import QApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(["bench"])
    codes = pick_codes(path, runs * 2 + 1)
    floor = Floor()
    real = App(app, path, echo_sql=sql)
    times: RouteTimes = {
        name: [] for name in ("floor", "scan", "open_job", "panels", "floor CPU", "app CPU")
    }
    profiler = cProfile.Profile() if profile else None
    warm = codes.pop()
    real.open(app, warm, "scan")  # the first card builds what later ones reuse
    floor.scan(app, warm)
    if sql:
        real.statements = []
        real.open(app, codes[0], "scan")
        print_statements(path, real.statements)
        real.statements = None
    for number, code in enumerate(codes):
        route = "scan" if number % 2 == 0 else "open_job"
        floor_wall, floor_cpu = floor.scan(app, code)
        times["floor"].append(floor_wall)
        times["floor CPU"].append(floor_cpu)
        if profiler is not None:
            profiler.enable()
        at_title, cpu, settled = real.open(app, code, route)
        if profiler is not None:
            profiler.disable()
        times[route].append(at_title)
        times["app CPU"].append(cpu)
        times["panels"].append(settled)
    if profiler is not None and profile is not None:
        profiler.dump_stats(str(profile))
    real.context.tasks.shutdown()
    return times


def scan_rows(path: Path | str, runs: int) -> list[tuple[str, float, str, float, str]]:
    """(figure, seconds, floor, floor seconds, target) for bench.issue17's table."""
    times = run(path, runs)
    floor = statistics.median(times["floor"])
    return [
        (
            "scan to card title (Find + Enter)",
            statistics.median(times["scan"]),
            "a bare QMainWindow doing the same",
            floor,
            "≤ floor + 50 ms",
        ),
        (
            "open a card (Jobs list, My queue, customer card)",
            statistics.median(times["open_job"]),
            "a bare QMainWindow doing the same",
            floor,
            "≤ floor + 50 ms",
        ),
        ("then its panels in, worker idle", statistics.median(times["panels"]), "", 0.0, ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", help="a SQLite file or a database URL")
    parser.add_argument("--runs", type=int, default=15, help="codes per route")
    parser.add_argument("--sql", action="store_true", help="print one open's statements")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the app's opens")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    times = run(args.path, args.runs, sql=args.sql, profile=args.profile)
    floor = statistics.median(times["floor"])
    for name, values in times.items():
        median = statistics.median(values)
        extra = (
            f"; floor + {(median - floor) * 1000:.1f} ms" if name in ("scan", "open_job") else ""
        )
        print(
            f"{name}: median {median * 1000:.1f} ms (min {min(values) * 1000:.1f}, "
            f"max {max(values) * 1000:.1f}, n={len(values)}){extra}"
        )
    print(f"load average {load:.1f} → {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
