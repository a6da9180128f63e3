"""Only a manager or an administrator changes the shop's prices: the services price list, and
a catalogue part's sale price, cost and a supplier's cost once set. A clerk still adds a new
part with its first prices (a delivery of a part never stocked), and saves a part's other
details with its prices as they are. Each price change is in the audit log, old → new."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from repairshop.errors import PermissionDenied
from repairshop.services.database import Database
from repairshop.services.money.price_list import (
    ServiceInput,
    add_service,
    show_service,
    update_service,
)
from repairshop.services.parts.csv_import import ImportRefused, import_catalogue, preview_import
from repairshop.services.parts.stock import (
    PartInput,
    add_part,
    get_part,
    link_supplier,
    show_part,
    update_part,
)
from repairshop.services.shop.audit_log import AuditLine, AuditQuery, audit_entries
from repairshop.services.shop.users import add_user
from tests.helpers import run_in_process

SCREEN = PartInput(sku="SCR-1", name="Screen", price=Decimal(50), cost=Decimal(30))


def _shop(db: Database) -> None:
    with db.unit_of_work(actor="admin") as uow:
        add_user(uow, "kasia", "Kasia Nowak", "clerk", "admin")
        add_user(uow, "tomas", "Tomáš Hrubý", "technician", "admin")
        add_user(uow, "marta", "Marta Veselá", "manager", "admin")
        add_service(uow, ServiceInput(code="DIAG", name="Diagnosis", price=Decimal(20)), "admin")
        add_part(uow, SCREEN, "admin")
        link_supplier(
            uow, get_part(uow, "SCR-1"), "Mobilní díly", "MD-1", Decimal(28), actor="admin"
        )
        uow.commit()


def _changes(db: Database, kind: str, label: str) -> list[dict[str, list[object]]]:
    with db.reader(actor="admin") as uow:
        lines: list[AuditLine] = audit_entries(uow, AuditQuery())
    return [line.changes for line in lines if (line.kind, line.label) == (kind, label)]


@pytest.mark.parametrize("login", ["kasia", "tomas"])
def test_a_clerk_or_technician_is_refused_a_price_change(db: Database, login: str) -> None:
    _shop(db)
    new_price = ServiceInput(code="DIAG", name="Diagnosis", price=Decimal(25))
    attempts = [
        lambda uow: update_service(uow, new_price, login),
        lambda uow: add_service(
            uow, ServiceInput(code="CLEAN", name="Cleaning", price=Decimal(9)), login
        ),
        lambda uow: update_part(
            uow, PartInput(sku="SCR-1", name="Screen", price=Decimal(55)), login
        ),
        lambda uow: update_part(
            uow, PartInput(sku="SCR-1", name="Screen", cost=Decimal(31)), login
        ),
        lambda uow: link_supplier(
            uow, get_part(uow, "SCR-1"), "Mobilní díly", "MD-1", Decimal(27), actor=login
        ),
    ]
    for attempt in attempts:
        with db.unit_of_work(actor=login) as uow, pytest.raises(PermissionDenied):
            attempt(uow)
    with db.unit_of_work(actor=login) as uow, pytest.raises(ImportRefused):
        import_catalogue(uow, "sku,name,price\nSCR-1,,59\n", login)
    with db.reader() as uow:
        assert show_service(uow, "DIAG").price == Decimal(20)
        part = show_part(uow, "SCR-1")
    assert (part.price, part.cost, part.suppliers[0].cost) == (50, 30, 28)


def test_the_refusal_names_the_part_and_who_may(db: Database) -> None:
    _shop(db)
    with db.unit_of_work(actor="kasia") as uow, pytest.raises(PermissionDenied) as refused:
        update_part(uow, PartInput(sku="SCR-1", name="Screen", price=Decimal(55)), "kasia")
    assert refused.value.message == (
        "Kasia Nowak (Counter clerk) may not change the prices of SCR-1; "
        "that is for: Manager, Administrator."
    )


def test_a_clerk_adds_a_part_with_its_first_prices_and_edits_the_rest(db: Database) -> None:
    _shop(db)
    with db.unit_of_work(actor="kasia") as uow:
        add_part(
            uow,
            PartInput(
                sku="BAT-1",
                name="Battery",
                price=Decimal(40),
                cost=Decimal(15),
                supplier="GSM Parts",
                supplier_sku="G-7",
            ),
            "kasia",
        )
        # the part dialog sends the prices shown: the same prices are no change
        update_part(
            uow,
            PartInput(
                sku="SCR-1",
                name="Screen 6.1″",
                location="A-03",
                price=Decimal(50),
                cost=Decimal(30),
                supplier="Mobilní díly",
                supplier_sku="MD-1B",
            ),
            "kasia",
        )
        import_catalogue(uow, "sku,name,price\nSCR-1,Screen 6.1 inch,50\n", "kasia")
        uow.commit()
    with db.reader() as uow:
        battery = show_part(uow, "BAT-1")
        screen = show_part(uow, "SCR-1")
    assert (battery.price, battery.cost, battery.suppliers[0].cost) == (40, 15, 15)
    assert (screen.name, screen.location, screen.price, screen.cost) == (
        "Screen 6.1 inch",
        "A-03",
        50,
        30,
    )
    assert (screen.suppliers[0].supplier_sku, screen.suppliers[0].cost) == ("MD-1B", 28)


def test_a_clerk_s_import_names_the_rows_that_would_change_a_price(db: Database) -> None:
    _shop(db)
    csv = "sku,name,price,location\nSCR-1,,59,A-01\nBAT-1,Battery,40,B-02\nSCR-1X,,,\n"
    with db.unit_of_work(actor="kasia") as uow, pytest.raises(ImportRefused) as refused:
        import_catalogue(uow, csv, "kasia")
    assert refused.value.preview.report() == (
        "line 2: Changing the prices of SCR-1 is for: Manager, Administrator.\n"
        "line 4: A part needs a name."
    )
    with db.unit_of_work(actor="kasia") as uow:
        result = import_catalogue(uow, csv, "kasia", good_rows_only=True)
        uow.commit()
    assert (result.added, result.updated, result.skipped) == (1, 0, 2)
    with db.reader() as uow:
        assert show_part(uow, "SCR-1").price == 50
        assert preview_import(uow, csv, "marta").rows[0].action == "update"


def test_a_manager_changes_prices_and_the_log_has_old_and_new(db: Database) -> None:
    _shop(db)
    with db.unit_of_work(actor="marta") as uow:
        update_service(uow, ServiceInput(code="DIAG", name="Diagnosis", price=Decimal(25)), "marta")
        update_part(
            uow,
            PartInput(sku="SCR-1", name="Screen", price=Decimal(55), cost=Decimal(32)),
            "marta",
        )
        link_supplier(
            uow, get_part(uow, "SCR-1"), "Mobilní díly", "MD-1", Decimal(27), actor="marta"
        )
        uow.commit()
    with db.reader() as uow:
        assert show_service(uow, "DIAG").price == Decimal(25)
        part = show_part(uow, "SCR-1")
    assert (part.price, part.cost, part.suppliers[0].cost) == (55, 32, 27)
    assert {"price_minor": [2000, 2500]} in _changes(db, "price", "DIAG")
    assert {"price_minor": [5000, 5500], "cost_minor": [3000, 3200]} in _changes(
        db, "part", "SCR-1"
    )
    assert {"cost_minor": [2800, 2700]} in _changes(db, "part_supplier", "SCR-1")


def test_the_command_line_refuses_a_clerk_a_price_change(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'prices.sqlite'}"
    env: dict[str, str | None] = {"LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": url}
    assert run_in_process(["db", "upgrade"], env=env).returncode == 0
    added = run_in_process(["user", "add", "kasia", "--name", "Kasia", "--role", "clerk"], env=env)
    assert added.returncode == 0, added.stderr
    service = ["services", "add", "DIAG", "--name", "Diagnosis", "--price", "20"]
    assert run_in_process(service, env=env).returncode == 0
    part = ["parts", "add", "SCR-1", "--name", "Screen", "--price", "50"]
    assert run_in_process(part, env=env).returncode == 0

    for refused in (
        ["--user", "kasia", "services", "edit", "DIAG", "--price", "25"],
        ["--user", "kasia", "services", "add", "CLEAN", "--name", "Cleaning", "--price", "9"],
    ):
        result = run_in_process(refused, env=env)
        assert result.returncode == 1
        assert result.stderr == "repairshop: Kasia (Counter clerk) may not do this.\n"
    imported = run_in_process(
        ["--user", "kasia", "parts", "import", "-"], stdin="sku,name,price\nSCR-1,,55\n", env=env
    )
    assert imported.returncode == 1
    assert imported.stdout == (
        "line 2: Changing the prices of SCR-1 is for: Manager, Administrator.\n"
    )
    link = ["parts", "supplier", "Mobilní díly", "--part", "SCR-1", "--supplier-sku", "MD-1"]
    assert run_in_process([*link, "--cost", "28"], env=env).returncode == 0
    relinked = run_in_process(["--user", "kasia", *link, "--cost", "25"], env=env)
    assert relinked.returncode == 1
    assert "may not change the prices of SCR-1" in relinked.stderr
    same = run_in_process(["--user", "kasia", *link, "--cost", "28"], env=env)
    assert same.returncode == 0, same.stderr
    clerk_part = ["--user", "kasia", "parts", "add", "BAT-1", "--name", "Battery", "--price", "40"]
    assert run_in_process(clerk_part, env=env).returncode == 0
    edited = run_in_process(["services", "edit", "DIAG", "--price", "25"], env=env)
    assert edited.returncode == 0, edited.stderr
    assert "25" in run_in_process(["services", "show", "DIAG"], env=env).stdout
