"""``repairshop db upgrade`` and ``repairshop demo``."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.i18n import _
from repairshop.services.database import Database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help=_("database schema"))
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help=_("create or migrate the schema"))
    upgrade.set_defaults(handler=upgrade_command)

    demo = commands.add_parser("demo", help=_("fill an empty database with demo data"))
    demo.add_argument("--jobs", type=int, default=2000, help=_("number of jobs (default 2000)"))
    demo.add_argument("--seed", type=int, default=1, help=_("random seed (default 1)"))
    demo.add_argument("--quiet", action="store_true", help=_("no progress bar"))
    demo.set_defaults(handler=demo_command)


def upgrade_command(args: argparse.Namespace, db: Database) -> int:
    # Opening the database already migrated it (see repairshop.cli.main).
    print(_("The database is up to date: {url}").format(url=db.url))
    return 0


def demo_command(args: argparse.Namespace, db: Database) -> int:
    started = time.perf_counter()
    progress = None if args.quiet else ProgressBar(sys.stderr)
    result = generate_demo(db, DemoOptions(jobs=args.jobs, seed=args.seed), progress=progress)
    if progress:
        progress.finish()
    elapsed = time.perf_counter() - started
    print(
        _(
            "Demo data: {jobs} jobs, {customers} customers, {events} events in {seconds:.1f} s."
        ).format(
            jobs=result.jobs, customers=result.customers, events=result.events, seconds=elapsed
        )
    )
    return 0


class ProgressBar:
    """A one-line progress bar on a terminal: ``Jobs [#####-----] 20,000/100,000 3.1 s``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.started = time.perf_counter()
        self.last = -1.0

    def __call__(self, done: int, total: int, stage: str) -> bool:
        now = time.perf_counter()
        if now - self.last < 0.2 and done < total:
            return True
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.out.write(f"\r{stage:<12} [{bar}] {done:>9,}/{total:,}  {now - self.started:6.1f} s")
        self.out.flush()
        return True

    def finish(self) -> None:
        self.out.write("\n")
