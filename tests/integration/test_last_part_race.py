"""Two technicians use the last screen in stock on two different jobs at the same moment.

Exactly one succeeds, the other is refused with OutOfStock, and on hand ends at
0, never -1: on a SQLite file and on PostgreSQL, each from its own process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from repairshop.bootstrap import open_database
from repairshop.errors import Conflict, OutOfStock
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.parts.job_parts import job_parts, receive_part, reserve_part, use_part
from repairshop.services.parts.stock import PartInput, add_part, ledger_totals, show_part
from tests.helpers import intake_document, postgres_schema

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
    root = Path(__file__).resolve().parents[2]
    desks = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, ",".join(codes[desk])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=root,
        )
        for desk in (0, 1)
    ]
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


def test_the_second_desk_waits_for_the_first_and_is_refused(db: Database) -> None:
    """Deterministic interleaving: desk A has taken the unit but not committed when B tries.

    B blocks (SQLite: on the write lock at BEGIN IMMEDIATE; PostgreSQL: on the row
    lock of the guarded UPDATE), and once A commits B sees nothing left.
    """
    with db.unit_of_work() as uow:
        add_part(uow, PartInput(sku="SCR-LAST", name="Last display"), "admin")
        receive_part(uow, "SCR-LAST", 1, "admin")
        first = intake(uow, intake_request_from_json(intake_document()), "admin").code
        second = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    outcome: list[BaseException | None] = []
    desk_b_started = threading.Event()

    def desk_b() -> None:
        desk_b_started.set()
        try:
            with db.unit_of_work() as uow:
                use_part(uow, second, "SCR-LAST", 1, "admin")
                uow.commit()
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    with db.unit_of_work() as uow:
        use_part(uow, first, "SCR-LAST", 1, "admin")
        thread = threading.Thread(target=desk_b)
        thread.start()
        desk_b_started.wait()
        time.sleep(0.5)
        assert outcome == []  # B is waiting for A
        uow.commit()
    thread.join(timeout=30)
    assert len(outcome) == 1
    assert isinstance(outcome[0], OutOfStock)
    with db.reader() as uow:
        view = show_part(uow, "SCR-LAST")
        assert (view.on_hand, view.reserved) == (0, 0)
        assert ledger_totals(uow, view.id) == (0, 0)


def test_two_desks_adding_the_same_part_to_one_job_never_double_book(db: Database) -> None:
    """Same job, same part, same moment: the second desk either sees the first's line
    (SQLite serialises writers) or is told the job changed (PostgreSQL): never a crash."""
    with db.unit_of_work() as uow:
        add_part(uow, PartInput(sku="BAT-1", name="Battery"), "admin")
        receive_part(uow, "BAT-1", 5, "admin")
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    outcome: list[BaseException | None] = []

    def desk_b() -> None:
        try:
            with db.unit_of_work() as uow:
                reserve_part(uow, code, "BAT-1", 1, "admin")
                uow.commit()
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    with db.unit_of_work() as uow:
        reserve_part(uow, code, "BAT-1", 1, "admin")
        thread = threading.Thread(target=desk_b)
        thread.start()
        time.sleep(0.5)
        uow.commit()
    thread.join(timeout=30)
    assert len(outcome) == 1
    assert outcome[0] is None or isinstance(outcome[0], Conflict), outcome[0]
    with db.reader() as uow:
        view = show_part(uow, "BAT-1")
        line = job_parts(uow, code).lines[0]
        assert ledger_totals(uow, view.id) == (5, view.reserved)
    assert line.reserved == view.reserved == (2 if outcome[0] is None else 1)
