"""How long ``repairshop demo --jobs N`` takes on a new SQLite file (aim: 1M jobs ≤ 60 s).

    .venv/bin/python -m bench.demo_data [--jobs 1000000] [--keep PATH]
    .venv/bin/python -m bench.demo_data --url postgresql+psycopg://postgres@127.0.0.1/demo

With ``--url``, the run fills that database instead (made with ``repairshop --db URL db
upgrade``, with no jobs; PostgreSQL's aim is twice SQLite's, 120 s); the CPU seconds of the
database server's processes are then among the other processes'.

Prints the wall time of each stage (rows, indexes and the search index, the rest), the CPU
seconds of this process and of the processes that make the rows, the load average and, on
Linux, the CPU seconds the rest of the machine used meanwhile (the machine is shared: the
CPU seconds say more than the wall time under load, and the others' seconds say how much
the wall time was stretched). Not a pass/fail test.

With ``--against-filed``, the same bench of the demo code as issue 17 measured it
(:data:`FILED_AT`, whose million-job demo took :data:`FILED_SECONDS` then) runs afterwards on
a new SQLite file in a temporary git worktree, and the run is also given as a ratio of it
and at the speed of the machine the issue was measured on: the development machine's speed
changes from day to day (the same code's demo took 92 s when the issue was filed and 114 s
on another day), and that older code is the one floor whose time on the issue's machine is
known. It does less work than today's demo (no complaints, 1.2 million fewer history
rows), so the ratio flatters the older code.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from repairshop.bootstrap import open_database
from repairshop.demo.jobs import DemoOptions, DemoResult, generate_demo

FILED_AT = "9306af1"
"""Demo code as it was when issue 17 measured the demo at 92 s. That run made 7.67 million
history rows and 699,000 customers; this commit's demo makes 7.65 million and 700,600. The
next change to the demo (complaints about earlier repairs) made 8.9 million and 666,000."""
FILED_SECONDS = 92.0
"""The issue's figure for that demo on the development machine of the day."""


def reference_seconds(commit: str, jobs: int) -> float:
    """This bench's demo time at ``commit``, run now on this machine (a new SQLite file), from
    a temporary git worktree of this checkout."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "tree"
        git = ["git", "-C", str(root), "worktree"]
        subprocess.run(
            [*git, "add", "--detach", str(tree), commit], check=True, capture_output=True
        )
        try:
            printed = subprocess.run(
                [sys.executable, "-m", "bench.demo_data", "--jobs", str(jobs)],
                cwd=tree,
                env={**os.environ, "PYTHONPATH": str(tree)},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        finally:
            subprocess.run([*git, "remove", "--force", str(tree)], check=False, capture_output=True)
    found = re.search(r" in ([0-9.]+) s ", printed)
    if found is None:
        raise RuntimeError(f"no time in the output of {commit}'s bench: {printed!r}")
    return float(found[1])


def cpu_seconds() -> tuple[float, float]:
    """(this process, its finished children) user + system seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def machine_seconds() -> float | None:
    """CPU seconds every process on the machine has used since it started (Linux), or None."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run(url: str, jobs: int) -> tuple[DemoResult, dict[str, float], float]:
    """Fill the database at ``url``; the seconds each stage took, and the whole run's seconds."""
    db = open_database(url)
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(done: int, total: int, stage: str) -> bool:
        marks.setdefault(stage, time.perf_counter() - started)
        return True

    result = generate_demo(db, DemoOptions(jobs=jobs), progress)
    elapsed = time.perf_counter() - started
    db.dispose()
    return result, marks, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the database here and keep it")
    parser.add_argument("--url", help="fill this empty database instead of a new SQLite file")
    parser.add_argument(
        "--against-filed",
        action="store_true",
        help=f"then time the demo of {FILED_AT} (as issue 17 measured it) here as the floor",
    )
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds()
    machine_before = machine_seconds()
    size = ""
    with tempfile.TemporaryDirectory() as folder:
        if args.url:
            result, marks, elapsed = run(args.url, args.jobs)
        else:
            path = args.keep or Path(folder) / "bench.sqlite"
            result, marks, elapsed = run(f"sqlite:///{path}", args.jobs)
            written = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
            size = f"; database {written / 1e9:.2f} GB"
    own, children = (now - then for now, then in zip(cpu_seconds(), cpu_before, strict=True))
    machine_after = machine_seconds()
    others = ""
    if machine_before is not None and machine_after is not None:
        others = f"; other processes {machine_after - machine_before - own - children:.1f} s"
    rows_done = marks.get("Indexing", elapsed)
    indexed = marks.get("Saving", elapsed)
    print(
        f"demo: {result.jobs:,} jobs, {result.customers:,} customers, {result.events:,} events "
        f"in {elapsed:.1f} s ({result.jobs / elapsed:,.0f} jobs/s){size}\n"
        f"  rows {rows_done:.1f} s, indexes and search index {indexed - rows_done:.1f} s, "
        f"parts, deposits and commit {elapsed - indexed:.1f} s\n"
        f"  CPU: this process {own:.1f} s, the row makers {children:.1f} s{others}; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    if args.against_filed:
        floor = reference_seconds(FILED_AT, args.jobs)
        print(
            f"  against the demo issue 17 measured ({FILED_AT}), run next on this "
            f"machine: {floor:.1f} s, so {elapsed / floor:.2f}× of it; at the speed of the "
            f"machine that took {FILED_SECONDS:.0f} s for it then: "
            f"{elapsed / floor * FILED_SECONDS:.1f} s"
        )


if __name__ == "__main__":
    main()
