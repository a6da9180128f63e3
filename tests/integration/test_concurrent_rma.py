"""Two desks request RMAs at the same moment: every number is unique and consecutive, and
every part held for the supplier is held once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from repairshop.bootstrap import open_database
from repairshop.db.tables import Rma
from repairshop.services.parts.job_parts import receive_part
from repairshop.services.parts.stock import PartInput, add_part, ledger_totals, show_part
from tests.helpers import postgres_schema, race_desks

PER_PROCESS = 40

WORKER = textwrap.dedent(
    """
    import sys
    from repairshop.bootstrap import open_database
    from repairshop.services.aftersales.rma import open_rma

    db = open_database(sys.argv[1])
    sys.stdin.readline()  # start together
    for n in range(int(sys.argv[3])):
        with db.unit_of_work() as uow:
            view = open_rma(uow, "MobileParts", "SCR-S23", "admin",
                            reason=f"desk {sys.argv[2]} unit {n}")
            uow.commit()
        print(view.number, flush=True)
    """
)


def race(url: str) -> list[str]:
    db = open_database(url)
    with db.unit_of_work() as uow:
        add_part(uow, PartInput(sku="SCR-S23", name="Display", supplier="MobileParts"), "admin")
        receive_part(uow, "SCR-S23", 2 * PER_PROCESS, "admin")
        uow.commit()
    db.dispose()
    return race_desks(WORKER, *([url, str(desk), str(PER_PROCESS)] for desk in (1, 2)))


def assert_each_once(url: str, numbers: list[str]) -> None:
    expected = {f"RMA{n:05d}" for n in range(1, 2 * PER_PROCESS + 1)}
    assert len(numbers) == 2 * PER_PROCESS
    assert set(numbers) == expected
    db = open_database(url)
    with db.reader() as uow:
        assert set(uow.session.scalars(select(Rma.number))) == expected
        part = show_part(uow, "SCR-S23")
        assert (part.on_hand, part.reserved) == (2 * PER_PROCESS, 2 * PER_PROCESS)
        assert ledger_totals(uow, part.id) == (part.on_hand, part.reserved)
    db.dispose()


def test_two_desks_on_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    assert_each_once(url, race(url))


@pytest.mark.postgres
def test_two_desks_on_one_postgres_database() -> None:
    with postgres_schema() as url:
        assert_each_once(url, race(url))
