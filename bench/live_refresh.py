"""How soon another desk's change reaches this desk's views, on SQLite and PostgreSQL.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.live_refresh [--changes N] [--postgres URL]
        [--edit note|part|customer ...]

This desk is the app's own context (the commit listener, the look for what changed on
the one worker, the ``changed`` signal every view follows), with its safety-net look an
hour away; the other desk is a second engine on the same database, writing a note on a
job from a thread of its own, one change at a time (``--edit part``: renaming a part,
``--edit customer``: the customer's consent to be contacted, edits that add no history or
ledger line). The delay is from the other desk's commit returning to this desk's
``changed`` naming the job (the part, the customer). Prints the distribution per
database in milliseconds. PostgreSQL runs in a fresh schema of the given database
(default: the test server at 127.0.0.1:5432, database ``test``).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg

from repairshop.bootstrap import open_database
from repairshop.db.tables import Customer
from repairshop.services.changes import Changes
from repairshop.services.customers.card import set_consent
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import add_note, show_job
from repairshop.services.parts.stock import PartInput, add_part, update_part
from repairshop.services.uow import UnitOfWork
from tests.helpers import intake_document
from ui.app import make_context
from ui.qt import QApplication, QSettings

PAUSE_S = 0.3
"""Between changes, so each is measured on its own (not caught up by the last look)."""
EDITS = ("note", "part", "customer")


def wait(app: QApplication, done: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.001)
    if not done():  # type: ignore[operator]
        raise SystemExit("timed out waiting for the change to arrive")


def measure(url: str, changes: int, folder: Path, edit: str = "note") -> list[float]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    db, other = open_database(url), open_database(url)
    with other.unit_of_work() as uow:
        taken = intake(uow, intake_request_from_json(intake_document()), "admin")
        part = add_part(uow, PartInput(sku="BENCH-1", name="Part 0"), "admin")
        uow.commit()
    part_id = part.changes.part_ids[0]
    with other.reader() as uow:
        customer_id = show_job(uow, taken.code, "admin").customer.id
    job_id = taken.changes.job_ids[0]

    def change(uow: UnitOfWork, n: int) -> None:
        if edit == "part":
            update_part(uow, PartInput(sku="BENCH-1", name=f"Part {n + 1}"), "admin")
        elif edit == "customer":
            customer = uow.session.get(Customer, customer_id)
            assert customer is not None
            set_consent(uow, customer_id, not customer.consent_to_contact, "admin")
        else:
            add_note(uow, taken.code, f"Bench note {n}", "admin")

    def named(found: Changes) -> bool:
        if edit == "part":
            return part_id in found.part_ids
        if edit == "customer":
            return customer_id in found.customer_ids
        return job_id in found.job_ids

    state = QSettings(str(folder / f"{uuid.uuid4().hex}.ini"), QSettings.Format.IniFormat)
    context = make_context(db, state)
    context.watch_other_desks(interval_ms=3_600_000)
    wait(app, lambda: context.listener is not None and context.listener.listening.is_set())
    wait(app, lambda: not context.tasks.busy)
    arrived: list[float] = []
    context.changed.connect(
        lambda found, _initiator: arrived.append(time.perf_counter()) if named(found) else None
    )
    delays: list[float] = []
    try:
        for n in range(changes):
            arrived.clear()
            committed: list[float] = []

            def commit(n: int = n, committed: list[float] = committed) -> None:
                with other.unit_of_work() as uow:
                    change(uow, n)
                    uow.commit()
                committed.append(time.perf_counter())

            threading.Thread(target=commit).start()
            wait(app, lambda committed=committed: bool(arrived) and bool(committed))
            delays.append((arrived[0] - committed[0]) * 1000)
            pause = time.monotonic() + PAUSE_S
            wait(app, lambda pause=pause: time.monotonic() >= pause)
    finally:
        context.stop_watching()
        context.tasks.shutdown()
        db.dispose()
        other.dispose()
    return delays


def report(name: str, delays: list[float]) -> None:
    ordered = sorted(delays)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    print(
        f"{name:<20} n={len(ordered):<3} min {ordered[0]:6.0f}  median "
        f"{statistics.median(ordered):6.0f}  p90 {p90:6.0f}  max {ordered[-1]:6.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--edit", choices=EDITS, nargs="+", default=list(EDITS))
    args = parser.parse_args()
    for edit in args.edit:
        with tempfile.TemporaryDirectory() as folder:
            sqlite = f"sqlite:///{folder}/shop.sqlite"
            report(f"SQLite {edit}", measure(sqlite, args.changes, Path(folder), edit))
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f"CREATE SCHEMA {schema}")
                admin.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            try:
                url = args.postgres + f"?options=-csearch_path%3D{schema},public"
                report(f"PostgreSQL {edit}", measure(url, args.changes, Path(folder), edit))
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as admin:
                    admin.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
