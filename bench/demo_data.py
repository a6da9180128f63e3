"""How long ``repairshop demo --jobs N`` takes on a new SQLite file (aim: 1M jobs ≤ 90 s).

    .venv/bin/python -m bench.demo_data [--jobs 1000000] [--keep PATH]

Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from repairshop.bootstrap import open_database
from repairshop.demo.jobs import DemoOptions, generate_demo


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the database here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.sqlite"
        db = open_database(f"sqlite:///{path}")
        started = time.perf_counter()
        result = generate_demo(db, DemoOptions(jobs=args.jobs))
        elapsed = time.perf_counter() - started
        db.dispose()
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(
        f"demo: {result.jobs:,} jobs, {result.customers:,} customers, {result.events:,} events "
        f"in {elapsed:.1f} s ({result.jobs / elapsed:,.0f} jobs/s); database {size / 1e9:.2f} GB"
    )


if __name__ == "__main__":
    main()
