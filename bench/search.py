"""Search-as-you-type over a big database: what the scan/search box costs per keystroke.

    .venv/bin/python -m bench.search PATH_TO_DEMO.sqlite

Prints milliseconds per query (median of 5) and, for scale, a raw sqlite3 LIKE scan.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time

from repairshop.bootstrap import open_database
from repairshop.services.jobs.workflow import find_jobs

QUERIES = (
    "R000042",
    "R0999",
    "nov",
    "novák",
    "kowalska 601",
    "iphone 13",
    "+420777",
    "353326",
    "s2",
    "Кузнецова",
    "galaxy s23 ultra",
    "zzzz-no-match",
)


def _median_ms(run: object, repeat: int = 5) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    path = sys.argv[1]
    db = open_database(f"sqlite:///{path}", migrate=False)
    with db.reader() as uow:
        for query in QUERIES:
            count = len(find_jobs(uow, query, limit=50))
            ms = _median_ms(lambda q=query: find_jobs(uow, q, limit=50))
            print(f"{query!r:<22} {count:>3} rows  {ms:8.1f} ms")
    raw = sqlite3.connect(path)
    ms = _median_ms(
        lambda: raw.execute(
            "SELECT id FROM jobs WHERE search_text LIKE '%kowalska%' ORDER BY id DESC LIMIT 50"
        ).fetchall()
    )
    print(f"raw sqlite3 LIKE scan for comparison: {ms:.1f} ms")


if __name__ == "__main__":
    main()
