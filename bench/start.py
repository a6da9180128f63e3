"""How long the app and the command line take to start, against bare floors started the same way.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.start PATH.sqlite [--runs 5]

- the app: a new process, from nothing to the main window shown with the Jobs list's
  first page painted and the dashboard tiles' numbers in (``--child app``), against a new
  process showing a bare PySide6 ``QMainWindow`` (``--child bare``);
- the command line: ``repairshop job find x`` in a new process, against a new Python
  process that runs the same kind of query with ``sqlite3`` (``--child raw``).

Each figure is the median wall time of ``--runs`` processes. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _app_child(path: str) -> None:
    """Start as ``ui.app.main`` does, up to the first window's list and tiles, then leave."""
    from repairshop.bootstrap import open_database
    from ui.app import WindowKeeper, make_context
    from ui.qt import QApplication, QSettings

    app = QApplication([sys.argv[0]])
    app.setApplicationName("RepairShop")
    db = open_database(f"sqlite:///{path}")
    context = make_context(db, QSettings("RepairShop-bench", "RepairShop-bench"))
    keeper = WindowKeeper(context)
    keeper.window.show()
    model = keeper.window.views["jobs"].model  # type: ignore[attr-defined]
    tiles = keeper.window.tiles
    while model.is_loading or tiles.counts is None or model.rowCount() == 0:
        app.processEvents()
        time.sleep(0.001)
    model.data(model.index(0, 0))  # the first page's rows are asked for when painted
    while context.tasks.busy:
        app.processEvents()
        time.sleep(0.001)
    keeper.window.grab()  # painted
    print(f"jobs={model.rowCount()} tiles={sorted(tiles.counts.counts.values())}", flush=True)
    os._exit(0)


def _bare_child() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.grab()
    os._exit(0)


def _raw_child(path: str) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute(
        "SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH '\"xyz\"' LIMIT 50"
    ).fetchall()
    os._exit(0)


def timed_process(arguments: list[str], runs: int) -> float:
    """Median seconds a new process with ``arguments`` takes, from start to exit."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(arguments, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def start_figures(path: Path, runs: int) -> list[tuple[str, float, str, float, str]]:
    """(figure, seconds, floor, floor seconds, target) for the app and the command line."""
    me = [sys.executable, "-m", "bench.start", str(path), "--child"]
    app = timed_process([*me, "app"], runs)
    bare = timed_process([*me, "bare"], runs)
    cli = timed_process(
        [sys.executable, "-m", "repairshop", "--db", f"sqlite:///{path}", "job", "find", "x"],
        runs,
    )
    raw = timed_process([*me, "raw"], runs)
    return [
        ("start to the window, first page and tiles", app, "a bare QMainWindow", bare, "≤ 2.5×"),
        ("`repairshop job find x`", cli, "python + sqlite3 query", raw, ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=("app", "bare", "raw"))
    args = parser.parse_args()
    if args.child == "app":
        _app_child(str(args.path))
    elif args.child == "bare":
        _bare_child()
    elif args.child == "raw":
        _raw_child(str(args.path))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name, seconds, floor, floor_seconds, target in start_figures(args.path, args.runs):
        print(
            f"{name}: {seconds:.2f} s; {floor}: {floor_seconds:.2f} s; "
            f"×{seconds / floor_seconds:.1f} {target}"
        )


if __name__ == "__main__":
    main()
