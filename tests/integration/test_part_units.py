"""A serialised part names its unit: the serial that went into the device is never guessed."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from repairshop.errors import UnitNotNamed, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import show_job
from repairshop.services.parts.job_parts import job_parts, receive_part, reserve_part, use_part
from repairshop.services.parts.stock import PartInput, add_part, ledger_totals, show_part
from tests.helpers import intake_document, postgres_schema
from tests.integration.test_cli import EXAMPLE, Shop

BOARD = PartInput(sku="MB-S23", name="Galaxy S23 mainboard", serialised=True, price=Decimal(0))


def stock_up(db: Database, *serials: str) -> str:
    """The board in the catalogue with these units on the shelf; a new job's code."""
    with db.unit_of_work() as uow:
        add_part(uow, BOARD, "admin")
        if serials:
            receive_part(uow, BOARD.sku, len(serials), "admin", serials=list(serials))
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    return code


def fitted(db: Database, code: str) -> tuple[str, ...]:
    with db.reader() as uow:
        lines = job_parts(uow, code).lines
        part = show_part(uow, BOARD.sku)
        assert ledger_totals(uow, part.id) == (part.on_hand, part.reserved)
    return lines[0].serials if lines else ()


def use(db: Database, code: str, quantity: int = 1, serials: tuple[str, ...] = ()) -> None:
    with db.unit_of_work() as uow:
        use_part(uow, code, BOARD.sku, quantity, "admin", serials=serials)
        uow.commit()


def test_several_units_and_none_named_is_refused_with_the_units_listed(db: Database) -> None:
    code = stock_up(db, "SN-A", "SN-B", "SN-C")
    with pytest.raises(UnitNotNamed) as refused:
        use(db, code)
    assert refused.value.serials == ("SN-A", "SN-B", "SN-C")
    assert (refused.value.quantity, refused.value.reserved) == (1, 0)
    assert "say which unit went in (1 of 3: SN-A, SN-B, SN-C)" in refused.value.message
    with db.reader() as uow:
        assert show_part(uow, BOARD.sku).serials_in_stock == ("SN-A", "SN-B", "SN-C")
    assert fitted(db, code) == ()

    use(db, code, serials=("SN-B",))
    assert fitted(db, code) == ("SN-B",)
    with db.reader() as uow:
        part = show_part(uow, BOARD.sku)
        history = show_job(uow, code, "admin").history
    assert (part.on_hand, part.reserved, part.serials_in_stock) == (2, 0, ("SN-A", "SN-C"))
    assert history[-1].note == "Galaxy S23 mainboard, serial SN-B"


def test_the_only_unit_it_can_be_needs_no_name(db: Database) -> None:
    code = stock_up(db, "SN-A")
    use(db, code)
    assert fitted(db, code) == ("SN-A",)

    other = stock_up_more(db, "SN-B", "SN-C")
    with db.unit_of_work() as uow:
        reserve_part(uow, other, BOARD.sku, 1, "admin", serials=["SN-C"])
        uow.commit()
    use(db, other)  # the job's own reservation is the unit, though SN-B is on the shelf
    assert fitted(db, other) == ("SN-C",)


def stock_up_more(db: Database, *serials: str) -> str:
    with db.unit_of_work() as uow:
        if serials:
            receive_part(uow, BOARD.sku, len(serials), "admin", serials=list(serials))
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    return code


def test_a_scanned_unit_from_the_shelf_stands_in_for_the_reserved_one(db: Database) -> None:
    code = stock_up(db, "SN-A", "SN-B")
    with db.unit_of_work() as uow:
        reserve_part(uow, code, BOARD.sku, 1, "admin", serials=["SN-A"])
        uow.commit()
    use(db, code, serials=("SN-B",))
    assert fitted(db, code) == ("SN-B",)
    with db.reader() as uow:
        part = show_part(uow, BOARD.sku)
        line = job_parts(uow, code).lines[0]
    assert (part.on_hand, part.reserved, part.serials_in_stock) == (1, 0, ("SN-A",))
    assert (line.reserved, line.used) == (0, 1)


def test_two_reserved_and_one_used_must_say_which(db: Database) -> None:
    code = stock_up(db, "SN-A", "SN-B", "SN-C")
    with db.unit_of_work() as uow:
        reserve_part(uow, code, BOARD.sku, 2, "admin", serials=["SN-C", "SN-A"])
        uow.commit()
    with pytest.raises(UnitNotNamed) as refused:
        use(db, code)
    assert refused.value.serials == ("SN-A", "SN-C", "SN-B")
    assert refused.value.reserved == 2
    use(db, code, serials=("SN-C",))
    with db.reader() as uow:
        line = job_parts(uow, code).lines[0]
        part = show_part(uow, BOARD.sku)
    assert (line.reserved, line.used, sorted(line.serials)) == (1, 1, ["SN-A", "SN-C"])
    assert (part.on_hand, part.reserved) == (2, 1)


def test_a_unit_reserved_for_another_job_or_gone_is_refused(db: Database) -> None:
    code = stock_up(db, "SN-A", "SN-B")
    other = stock_up_more(db)
    with db.unit_of_work() as uow:
        reserve_part(uow, other, BOARD.sku, 1, "admin", serials=["SN-A"])
        uow.commit()
    with pytest.raises(ValidationError, match=f"SN-A is reserved for job {other}"):
        use(db, code, serials=("SN-A",))
    with pytest.raises(ValidationError, match="no unit with serial SN-Z"):
        use(db, code, serials=("SN-Z",))
    with pytest.raises(ValidationError, match="given twice"):
        use(db, code, 2, serials=("SN-B", "SN-B"))
    assert fitted(db, code) == ()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shop]:
    if request.param == "sqlite":
        yield Shop(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    else:
        with postgres_schema() as url:
            yield Shop(url)


def test_the_command_line_names_the_unit_with_serial(shop: Shop) -> None:
    assert shop.run("parts", "add", "MB-S23", "--name", "Board", "--serialised").returncode == 0
    received = shop.run("parts", "receive", "MB-S23", "2", "--serial", "SN-1", "--serial", "SN-2")
    assert received.returncode == 0, received.stderr
    code = shop.run("intake", str(EXAMPLE)).stdout.strip()

    refused = shop.run("job", "use-part", code, "MB-S23")
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1
    assert "MB-S23 is serialised: say which unit went in (1 of 2: SN-1, SN-2)" in refused.stderr
    assert shop.json("parts", "show", "MB-S23")["serials_in_stock"] == ["SN-1", "SN-2"]

    assert shop.run("job", "use-part", code, "MB-S23", "--serial", "SN-2").returncode == 0
    job = shop.json("job", "show", code)
    assert [part["serials"] for part in job["parts"]] == [["SN-2"]]
    assert shop.json("parts", "show", "MB-S23")["serials_in_stock"] == ["SN-1"]
