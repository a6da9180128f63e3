"""Two technicians use the last screen in stock on two different jobs at the same moment.

Exactly one succeeds, the other is refused with OutOfStock, and on hand ends at
0, never -1: on a SQLite file and on PostgreSQL, each from its own process.
"""

from __future__ import annotations

import _sqlite3
import ctypes
import sqlite3
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from repairshop.bootstrap import open_database
from repairshop.db.engine import SQLITE_BUSY_TIMEOUT_MS
from repairshop.errors import Conflict, OutOfStock
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.parts.job_parts import job_parts, receive_part, reserve_part, use_part
from repairshop.services.parts.stock import PartInput, add_part, ledger_totals, show_part
from repairshop.services.uow import UnitOfWork
from tests.helpers import intake_document, postgres_schema, start_desks

ROUNDS = 5

WORKER = textwrap.dedent(
    """
    import sys
    from repairshop.errors import OutOfStock
    from repairshop.bootstrap import open_database
    from repairshop.services.parts.job_parts import use_part

    db = open_database(sys.argv[1])
    codes = sys.argv[2].split(",")
    for line in sys.stdin:  # one "go" per round: both desks start together
        sku = line.strip()
        try:
            with db.unit_of_work() as uow:
                use_part(uow, codes.pop(0), sku, 1, "admin")
                uow.commit()
            print("used", flush=True)
        except OutOfStock as refused:
            print("refused", refused.message, flush=True)
    """
)


def prepare(url: str) -> list[list[str]]:
    """One part with one unit per round, and a job per desk per round."""
    db = open_database(url)
    codes: list[list[str]] = [[], []]
    with db.unit_of_work() as uow:
        for round_ in range(ROUNDS):
            sku = f"SCR-{round_}"
            add_part(uow, PartInput(sku=sku, name=f"Display {round_}"), "admin")
            receive_part(uow, sku, 1, "admin")
            for desk in (0, 1):
                request = intake_request_from_json(intake_document())
                codes[desk].append(intake(uow, request, "admin").code)
        uow.commit()
    db.dispose()
    return codes


def race(url: str) -> list[tuple[str, str]]:
    codes = prepare(url)
    desks = start_desks(WORKER, *([url, ",".join(codes[desk])] for desk in (0, 1)))
    outcomes: list[tuple[str, str]] = []
    for round_ in range(ROUNDS):
        for desk in desks:
            assert desk.stdin is not None
            desk.stdin.write(f"SCR-{round_}\n")
            desk.stdin.flush()
        answers = []
        for desk in desks:
            assert desk.stdout is not None
            answers.append(desk.stdout.readline().strip())
        outcomes.append((answers[0], answers[1]))
    for desk in desks:
        _out, err = desk.communicate(timeout=120)
        assert desk.returncode == 0, err
    return outcomes


def assert_one_winner_per_part(url: str, outcomes: list[tuple[str, str]]) -> None:
    for first, second in outcomes:
        assert sorted([first.split()[0], second.split()[0]]) == ["refused", "used"]
        refusal = first if first.startswith("refused") else second
        assert "0 available" in refusal
    db = open_database(url)
    with db.reader() as uow:
        for round_ in range(ROUNDS):
            view = show_part(uow, f"SCR-{round_}")
            assert (view.on_hand, view.reserved) == (0, 0)
            assert ledger_totals(uow, view.id) == (0, 0)
    db.dispose()


def test_the_last_unit_is_used_once_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    assert_one_winner_per_part(url, race(url))


@pytest.mark.postgres
def test_the_last_unit_is_used_once_on_postgresql() -> None:
    with postgres_schema() as url:
        assert_one_winner_per_part(url, race(url))


class DeskB:
    """Desk B: its own connection, in its own thread, seen waiting on desk A's lock.

    Waiting is observed, not guessed from time: on PostgreSQL the server lists desk A's
    session among those blocking desk B's (``pg_blocking_pids``); on SQLite desk B's busy
    handler runs, which SQLite calls only when the write lock is taken by someone else.
    """

    def __init__(self, db: Database, work: Callable[[UnitOfWork], object]) -> None:
        url = db.engine.url.render_as_string(hide_password=False)
        self.db = open_database(url, migrate=False, clock=db.clock)
        self.work = work
        self.waited = threading.Event()
        self.pid: int | None = None
        self.outcome: list[BaseException | None] = []
        self.thread = threading.Thread(target=self._run)
        if db.dialect == "sqlite":
            watch_busy_handler(self.db.engine, self.waited)

    def _run(self) -> None:
        try:
            with self.db.unit_of_work() as uow:
                if uow.dialect == "postgresql":
                    self.pid = backend_pid(uow)
                self.work(uow)
                uow.commit()
            self.outcome.append(None)
        except BaseException as error:
            self.outcome.append(error)

    def start_and_wait_until_blocked_by(self, desk_a: UnitOfWork) -> None:
        self.thread.start()
        if desk_a.dialect == "sqlite":
            assert self.waited.wait(timeout=60), "desk B never waited for the write lock"
        else:
            holder = backend_pid(desk_a)
            assert wait_until(lambda: holder in self.blocking_pids()), (
                "desk B never waited for desk A's lock"
            )
        assert self.outcome == []  # still waiting: desk A holds the lock

    def blocking_pids(self) -> list[int]:
        """The server sessions desk B is waiting for."""
        if self.pid is None:
            return []
        with self.db.engine.connect() as watcher:
            blocking = watcher.execute(text("SELECT pg_blocking_pids(:pid)"), {"pid": self.pid})
            return list(blocking.scalar_one())

    def finish(self) -> BaseException | None:
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()
        self.db.dispose()
        assert len(self.outcome) == 1
        return self.outcome[0]


def backend_pid(uow: UnitOfWork) -> int:
    return int(uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one())


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


BusyHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
handlers: list[object] = []
"""Busy handlers SQLite may still call: kept alive for as long as the tests run."""


def watch_busy_handler(engine: Engine, waited: threading.Event) -> None:
    """Give each new connection of ``engine`` a busy handler that sets ``waited``.

    Python's sqlite3 has no hook for it, so this is SQLite's own ``sqlite3_busy_handler``
    (reached through the library Python's sqlite3 module links); the handler retries every
    millisecond for as long as the app's busy timeout, as that timeout would.
    """
    library = ctypes.CDLL(_sqlite3.__file__)
    library.sqlite3_busy_handler.argtypes = [ctypes.c_void_p, BusyHandler, ctypes.c_void_p]
    library.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    library.sqlite3_db_filename.restype = ctypes.c_char_p

    @BusyHandler
    def on_busy(_argument: object, attempts: int) -> int:
        waited.set()
        if attempts >= SQLITE_BUSY_TIMEOUT_MS:
            return 0
        time.sleep(0.001)
        return 1

    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # The connection object's first field after the object header is its sqlite3*.
        handle = ctypes.c_void_p.from_address(id(dbapi_connection) + object.__basicsize__)
        database_file = library.sqlite3_db_filename(handle, b"main")
        assert database_file is not None
        assert Path(database_file.decode()) == Path(str(engine.url.database))
        library.sqlite3_busy_handler(handle, on_busy, None)

    event.listen(engine, "connect", on_connect)
    handlers.append(on_busy)


def test_the_second_desk_waits_for_the_first_and_is_refused(db: Database) -> None:
    """Desk A has taken the last unit but not committed when desk B tries.

    B waits (SQLite: for the write lock at BEGIN IMMEDIATE; PostgreSQL: for the row lock
    of the guarded UPDATE), and once A commits B sees nothing left.
    """
    with db.unit_of_work() as uow:
        add_part(uow, PartInput(sku="SCR-LAST", name="Last display"), "admin")
        receive_part(uow, "SCR-LAST", 1, "admin")
        first = intake(uow, intake_request_from_json(intake_document()), "admin").code
        second = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    desk_b = DeskB(db, lambda uow: use_part(uow, second, "SCR-LAST", 1, "admin"))
    with db.unit_of_work() as uow:
        use_part(uow, first, "SCR-LAST", 1, "admin")
        desk_b.start_and_wait_until_blocked_by(uow)
        uow.commit()
    assert isinstance(desk_b.finish(), OutOfStock)
    with db.reader() as uow:
        view = show_part(uow, "SCR-LAST")
        assert (view.on_hand, view.reserved) == (0, 0)
        assert ledger_totals(uow, view.id) == (0, 0)


def test_two_desks_adding_the_same_part_to_one_job_never_double_book(db: Database) -> None:
    """Same job, same part, same moment: desk B waits for desk A, then either sees A's line
    (SQLite serialises writers) or is told the job changed (PostgreSQL): never a crash."""
    with db.unit_of_work() as uow:
        add_part(uow, PartInput(sku="BAT-1", name="Battery"), "admin")
        receive_part(uow, "BAT-1", 5, "admin")
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    desk_b = DeskB(db, lambda uow: reserve_part(uow, code, "BAT-1", 1, "admin"))
    with db.unit_of_work() as uow:
        reserve_part(uow, code, "BAT-1", 1, "admin")
        desk_b.start_and_wait_until_blocked_by(uow)
        uow.commit()
    outcome = desk_b.finish()
    assert outcome is None or isinstance(outcome, Conflict), outcome
    with db.reader() as uow:
        view = show_part(uow, "BAT-1")
        line = job_parts(uow, code).lines[0]
        assert ledger_totals(uow, view.id) == (5, view.reserved)
    assert line.reserved == view.reserved == (2 if outcome is None else 1)
