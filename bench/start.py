"""How long the app and the command line take to start, against bare floors started the same way.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.start PATH.sqlite [--runs 5]

- the app, in a new process each, against a new process showing a bare PySide6
  ``QMainWindow`` (``--child bare``): from nothing to the first window painted with the
  dashboard tiles' numbers (``--child first``: :func:`ui.start.first_window`, before the
  database layer loads); to the desk ready on it — the database opened, the window attached,
  the view it opens on (Intake) built, the tiles read again (``--child desk``); and to the
  Jobs list's first page painted after that (``--child app``);
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


def _first_child(path: str) -> None:
    """Start as ``ui.start.main`` does, up to its first window painted with the tiles'
    numbers (read by the first look), then leave: what the person sees first."""
    from ui.qt import QApplication, QSettings
    from ui.start import first_window

    app = QApplication([sys.argv[0]])
    app.setApplicationName("RepairShop")
    window = first_window(app, path, QSettings("RepairShop-bench", "RepairShop-bench"))
    assert window is not None, "no first look"
    assert window.tiles.counts is not None
    window.grab()  # painted
    os._exit(0)


def _app_child(path: str, *, jobs: bool) -> None:
    """Start as ``ui.start.main`` does, up to the desk attached to its first window with the
    view it opens on built and the tiles read again by the database layer (``jobs``: and the
    Jobs list's first page painted), then leave."""
    from ui.qt import QApplication, QSettings
    from ui.start import first_window

    app = QApplication([sys.argv[0]])
    app.setApplicationName("RepairShop")
    state = QSettings("RepairShop-bench", "RepairShop-bench")
    first = first_window(app, path, state)
    assert first is not None, "no first look"
    from repairshop.bootstrap import open_database
    from ui.app import WindowKeeper, make_context

    db = open_database(_url(path))
    context = make_context(db, state)
    keeper = WindowKeeper(context, first)
    keeper.window.show()
    tiles = keeper.window.tiles
    read = tiles.counts
    while context.tasks.busy or tiles.counts is read:
        app.processEvents()
        time.sleep(0.001)
    rows = 0
    if jobs:
        model = keeper.window.show_view("jobs").model  # type: ignore[attr-defined]
        while model.is_loading or model.rowCount() == 0:
            app.processEvents()
            time.sleep(0.001)
        model.data(model.index(0, 0))  # the first page's rows are asked for when painted
        while context.tasks.busy:
            app.processEvents()
            time.sleep(0.001)
        rows = model.rowCount()
    keeper.window.grab()  # painted
    print(f"jobs={rows} tiles={sorted(tiles.counts.counts.values())}", flush=True)
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


CPU_SECONDS: dict[str, float] = {}
"""The median CPU seconds (user + system) of each timed command, by its last argument: under
load they say more than the wall time."""
PEAK_RSS_MIB: dict[str, float] = {}
"""The largest resident set of each kind of child process started by :func:`timed_process`."""


def timed_process(arguments: list[str], runs: int) -> float:
    """Median seconds a new process with ``arguments`` takes, from start to exit."""
    times = []
    cpu = []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(arguments, stdout=subprocess.DEVNULL)
        # The child's own usage (wait4), not every child's of this process: a demo built in
        # the same run would otherwise be its peak memory.
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        times.append(time.perf_counter() - started)
        if child.returncode != 0:
            raise subprocess.CalledProcessError(child.returncode, arguments)
        cpu.append(usage.ru_utime + usage.ru_stime)
        PEAK_RSS_MIB[arguments[-1]] = max(
            PEAK_RSS_MIB.get(arguments[-1], 0.0), usage.ru_maxrss / 1024
        )
    CPU_SECONDS[arguments[-1]] = statistics.median(cpu)
    return statistics.median(times)


def _url(path: str) -> str:
    return path if "://" in path else f"sqlite:///{path}"


def start_figures(path: str, runs: int) -> list[tuple[str, float, str, float, str]]:
    """(figure, seconds, floor, floor seconds, target) for the app and the command line
    (``path``: a SQLite file, or a PostgreSQL URL — then the app's figures only)."""
    me = [sys.executable, "-m", "bench.start", path, "--child"]
    first = timed_process([*me, "first"], runs)
    desk = timed_process([*me, "desk"], runs)
    app = timed_process([*me, "app"], runs)
    bare = timed_process([*me, "bare"], runs)
    figures = [
        ("start to the first window with the tiles", first, "a bare QMainWindow", bare, "≤ 2.5×"),
        ("… to the desk ready (Intake built, tiles read again)", desk, "the bare", bare, ""),
        ("… and the Jobs list's first page shown", app, "the bare", bare, ""),
    ]
    if "://" in path:
        return figures
    cli = timed_process(
        [sys.executable, "-m", "repairshop", "--db", f"sqlite:///{path}", "job", "find", "x"],
        runs,
    )
    raw = timed_process([*me, "raw"], runs)
    return [*figures, ("`repairshop job find x`", cli, "python + sqlite3 query", raw, "")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", help="a SQLite file, or a PostgreSQL URL")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=("first", "desk", "app", "bare", "raw"))
    args = parser.parse_args()
    if args.child == "first":
        _first_child(args.path)
    elif args.child in ("desk", "app"):
        _app_child(args.path, jobs=args.child == "app")
    elif args.child == "bare":
        _bare_child()
    elif args.child == "raw":
        _raw_child(args.path)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name, seconds, floor, floor_seconds, target in start_figures(args.path, args.runs):
        print(
            f"{name}: {seconds:.2f} s; {floor}: {floor_seconds:.2f} s; "
            f"×{seconds / floor_seconds:.1f} {target}"
        )
    cpu = ", ".join(f"{child} {seconds:.2f} s" for child, seconds in CPU_SECONDS.items())
    print(f"CPU seconds (median): {cpu}; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
