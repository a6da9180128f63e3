"""What a job costs and the customer's approval, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from repairshop.db.tables import JobEvent, JobLine, Setting, StockMovement
from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.statuses import JobStatus as S
from repairshop.errors import ApprovalRequired, InvalidTransition, NotFound, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.views import job_to_json
from repairshop.services.jobs.workflow import change_status, show_job
from repairshop.services.money.approval import approve
from repairshop.services.money.lines import LineRequest, add_line, job_lines, lines_to_json
from repairshop.services.money.price_list import (
    ServiceInput,
    add_service,
    list_services,
    show_service,
)
from repairshop.services.parts.job_parts import (
    receive_part,
    reserve_part,
    use_part,
    wait_for_part,
)
from repairshop.services.parts.stock import PartInput, add_part
from repairshop.services.uow import UnitOfWork
from tests.helpers import SettableClock, intake_document, move_or_collect

SCREEN = PartInput(sku="SCR-S23", name="Samsung Galaxy S23 display", price=Decimal("3000"))


def commit(db: Database, action: Callable[[UnitOfWork], Any]) -> Any:
    with db.unit_of_work() as uow:
        result = action(uow)
        uow.commit()
    return result


def settings(db: Database, **values: str) -> None:
    with db.unit_of_work() as uow:
        for key, value in values.items():
            uow.session.merge(Setting(key=key.replace("_", ".", 1), value=value))
        uow.commit()


def new_job(db: Database, **overrides: Any) -> str:
    document = intake_document(**{"estimate": "6800", **overrides})
    return str(
        commit(db, lambda uow: intake(uow, intake_request_from_json(document), "admin").code)
    )


def with_screens(db: Database, stock: int = 3) -> None:
    def action(uow: UnitOfWork) -> None:
        add_part(uow, SCREEN, "admin")
        receive_part(uow, "SCR-S23", stock, "admin")

    commit(db, action)


def line(db: Database, code: str, **request: Any) -> None:
    commit(db, lambda uow: add_line(uow, code, LineRequest(**request), "admin"))


def approve_(
    db: Database, code: str, amount: str, by: ApprovalMethod = ApprovalMethod.PHONE
) -> None:
    commit(db, lambda uow: approve(uow, code, Decimal(amount), by, "admin", note="agreed"))


def move(db: Database, code: str, target: S) -> None:
    commit(db, lambda uow: move_or_collect(uow, code, target))


def snapshot(db: Database) -> tuple[int, ...]:
    with db.reader() as uow:
        return tuple(
            uow.session.scalar(select(func.count()).select_from(table)) or 0
            for table in (JobEvent, JobLine, StockMovement)
        )


def price(db: Database, code: str) -> tuple[Decimal | None, Decimal | None]:
    with db.reader() as uow:
        view = show_job(uow, code, "admin")
    return view.estimate, view.price


def refused(db: Database, action: Callable[[UnitOfWork], Any], match: str = "approved") -> str:
    before = snapshot(db)
    with pytest.raises(ApprovalRequired, match=match) as error:
        commit(db, action)
    assert snapshot(db) == before  # nothing changed
    return error.value.message


def test_the_price_list_has_services_for_every_device_and_for_one_brand(db: Database) -> None:
    commit(
        db, lambda uow: add_service(uow, ServiceInput("diag", "Diagnosis", Decimal(490)), "admin")
    )
    commit(
        db,
        lambda uow: add_service(
            uow,
            ServiceInput(
                "SCR-IP13",
                "Screen replacement iPhone 13",
                Decimal(2900),
                Decimal(21),
                "phone",
                "Apple",
            ),
            "admin",
        ),
    )
    with pytest.raises(ValidationError, match="already on the price list"):
        commit(db, lambda uow: add_service(uow, ServiceInput("DIAG", "Again", Decimal(1)), "admin"))
    with db.reader() as uow:
        assert [s.code for s in list_services(uow)] == ["DIAG", "SCR-IP13"]
        assert [s.code for s in list_services(uow, device_type="laptop")] == ["DIAG"]
        assert [s.code for s in list_services(uow, brand="apple")] == ["DIAG", "SCR-IP13"]
        assert [s.code for s in list_services(uow, brand="Samsung")] == ["DIAG"]
        screen = show_service(uow, "scr-ip13")
        with pytest.raises(NotFound):
            show_service(uow, "NOPE")
    assert (screen.price, screen.vat_rate, screen.device_type, screen.brand) == (
        Decimal("2900.00"),
        Decimal(21),
        "phone",
        "Apple",
    )
    assert screen.price_includes_vat


def test_a_jobs_lines_are_priced_as_on_an_invoice_with_its_parts(db: Database) -> None:
    settings(db, shop_country="CZ")
    with_screens(db)
    commit(
        db, lambda uow: add_service(uow, ServiceInput("DIAG", "Diagnosis", Decimal(499)), "admin")
    )
    code = new_job(db)
    line(db, code, service="DIAG")
    line(db, code, text="Data backup", price=Decimal(1), quantity=1)
    line(db, code, text="Screen protector", price=Decimal(200), quantity=2, vat_rate=Decimal(12))
    commit(db, lambda uow: reserve_part(uow, code, "SCR-S23", 1, "admin"))
    with db.reader() as uow:
        document = lines_to_json(job_lines(uow, code))
    assert [
        (
            item["description"],
            item["quantity"],
            item["unit_price"],
            item["vat_rate"],
            item["net"],
            item["vat"],
            item["gross"],
        )
        for item in document["lines"]
    ] == [
        # 499 + 1 + 3000 at 21 %: 3500 × 21/121 = 607.438… → 607.44 on the document, shared out.
        ("Diagnosis", 1, "499.00", "21", "412.40", "86.60", "499.00"),
        ("Data backup", 1, "1.00", "21", "0.82", "0.18", "1.00"),
        ("Screen protector", 2, "200.00", "12", "357.14", "42.86", "400.00"),
        ("Samsung Galaxy S23 display", 1, "3000.00", "21", "2479.34", "520.66", "3000.00"),
    ]
    assert document["vat_by_rate"] == [
        {"vat_rate": "12", "net": "357.14", "vat": "42.86", "gross": "400.00"},
        {"vat_rate": "21", "net": "2892.56", "vat": "607.44", "gross": "3500.00"},
    ]
    assert (document["net"], document["vat"], document["total"]) == ("3249.70", "650.30", "3900.00")
    assert price(db, code) == (Decimal("6800.00"), Decimal("3900.00"))


def test_net_prices_get_the_default_rate_added_as_the_settings_say(db: Database) -> None:
    settings(db, shop_country="HU", prices_include_vat="false", currency="HUF")
    code = new_job(db)
    line(db, code, text="Javítás", price=Decimal("1000.40"))
    with db.reader() as uow:
        document = lines_to_json(job_lines(uow, code))
    # 1 000 Ft net (whole forints) + 27 % = 1 270 Ft.
    assert [
        (item["net"], item["vat"], item["gross"], item["vat_rate"]) for item in document["lines"]
    ] == [("1000.00", "270.00", "1270.00", "27")]
    settings(db, tax_default_rate="5")
    line(db, code, text="Tisztítás", price=Decimal(100))
    with db.reader() as uow:
        assert lines_to_json(job_lines(uow, code))["lines"][1]["vat_rate"] == "5"


def test_a_service_for_another_device_is_refused(db: Database) -> None:
    commit(
        db,
        lambda uow: add_service(
            uow, ServiceInput("KB-MAC", "MacBook keyboard", Decimal(3000), None, "laptop"), "admin"
        ),
    )
    code = new_job(db)
    before = snapshot(db)
    with pytest.raises(ValidationError, match="not for a Samsung Galaxy S23"):
        line(db, code, service="KB-MAC")
    with pytest.raises(ValidationError, match="needs a price"):
        line(db, code, text="Cleaning")
    assert snapshot(db) == before


def test_reserving_a_part_never_rewrites_the_approved_figure(db: Database) -> None:
    """A job went from 6,800 to 9,800 without anyone asking: no more."""
    with_screens(db)
    code = new_job(db)
    line(db, code, text="Screen replacement", price=Decimal(6800))
    move(db, code, S.DIAGNOSING)
    approve_(db, code, "6800")
    message = refused(db, lambda uow: reserve_part(uow, code, "SCR-S23", 1, "admin"))
    assert "9,800.00" in message
    assert "6,800.00" in message
    assert price(db, code) == (Decimal("6800.00"), Decimal("6800.00"))
    approve_(db, code, "9800", ApprovalMethod.SIGNED)
    commit(db, lambda uow: reserve_part(uow, code, "SCR-S23", 1, "admin"))
    assert price(db, code) == (Decimal("6800.00"), Decimal("9800.00"))
    with db.reader() as uow:
        history = show_job(uow, code, "admin").history
    assert [e for e in history if e.kind == "price"] == []
    assert [(e.from_value, e.to_value, e.note) for e in history if e.kind == "approval"] == [
        (None, "680000", "phone: agreed"),
        ("680000", "980000", "signed: agreed"),
    ]


def test_every_step_that_raises_the_price_is_refused_above_the_approval(db: Database) -> None:
    with_screens(db, stock=5)
    code = new_job(db)
    move(db, code, S.DIAGNOSING)
    commit(db, lambda uow: reserve_part(uow, code, "SCR-S23", 1, "admin"))  # a quote: free
    approve_(db, code, "3000")
    refused(
        db, lambda uow: add_line(uow, code, LineRequest(text="Glue", price=Decimal(1)), "admin")
    )
    refused(db, lambda uow: reserve_part(uow, code, "SCR-S23", 1, "admin"))
    refused(db, lambda uow: wait_for_part(uow, code, "SCR-S23", 1, "admin"))
    move(db, code, S.IN_REPAIR)
    commit(
        db, lambda uow: use_part(uow, code, "SCR-S23", 1, "admin")
    )  # the reserved one: same price
    refused(db, lambda uow: use_part(uow, code, "SCR-S23", 1, "admin"))  # one more from the shelf
    approve_(db, code, "3100")
    line(db, code, text="Glue", price=Decimal(100))
    assert price(db, code)[1] == Decimal("3100.00")


def test_the_move_into_repair_needs_an_approval_that_covers_the_price(db: Database) -> None:
    code = new_job(db)
    move(db, code, S.DIAGNOSING)
    line(db, code, text="Battery replacement", price=Decimal(1500))
    move(db, code, S.AWAITING_APPROVAL)
    refused(db, lambda uow: change_status(uow, code, S.IN_REPAIR, "admin"), "not approved a price")
    approve_(db, code, "1000")
    refused(db, lambda uow: change_status(uow, code, S.IN_REPAIR, "admin"), "more than")
    move(db, code, S.AWAITING_PARTS)  # waiting for a part keeps the question open
    refused(db, lambda uow: change_status(uow, code, S.IN_REPAIR, "admin"))
    approve_(db, code, "1500")
    move(db, code, S.IN_REPAIR)
    with db.reader() as uow:
        document = job_to_json(show_job(uow, code, "admin"))
    assert document["price"] == "1500.00"
    assert document["approval"] == {
        "amount": "1500.00",
        "by": "phone",
        "at": "2026-03-10T09:00:00Z",
        "user": "admin",
    }


def test_diagnosis_straight_to_repair_within_the_pre_approved_amount(
    db: Database, clock: SettableClock
) -> None:
    code = new_job(db, preapproved="2000")
    move(db, code, S.DIAGNOSING)
    line(db, code, text="Charging port", price=Decimal(1800))
    refused(
        db,
        lambda uow: add_line(uow, code, LineRequest(text="Cleaning", price=Decimal(300)), "admin"),
    )
    move(db, code, S.IN_REPAIR)  # 1 800 within the 2 000 pre-approved at intake
    with db.reader() as uow:
        assert job_to_json(show_job(uow, code, "admin"))["approval"] is None
    other = new_job(db, preapproved="1000")
    move(db, other, S.DIAGNOSING)
    line(db, other, text="Charging port", price=Decimal(1800))
    with db.reader() as uow:
        assert S.IN_REPAIR not in show_job(uow, other, "admin").allowed_moves
    refused(db, lambda uow: change_status(uow, other, S.IN_REPAIR, "admin"), "more than")


@pytest.mark.parametrize("job_type", ["warranty_claim", "complaint"])
def test_warranty_and_complaint_jobs_at_no_charge_are_not_blocked(
    db: Database, job_type: str
) -> None:
    with_screens(db)
    code = new_job(db, job_type=job_type, estimate=None, purchase_date="2025-12-01")
    move(db, code, S.DIAGNOSING)
    move(db, code, S.IN_REPAIR)
    commit(db, lambda uow: use_part(uow, code, "SCR-S23", 1, "admin"))
    line(db, code, text="Labour", price=Decimal(500))


def test_a_job_in_repair_without_approval_takes_no_more_cost(db: Database) -> None:
    code = new_job(db, preapproved="7000")
    move(db, code, S.DIAGNOSING)
    move(db, code, S.IN_REPAIR)  # the 6 800 estimate is within the pre-approval
    line(db, code, text="Labour", price=Decimal(7000))
    refused(
        db, lambda uow: add_line(uow, code, LineRequest(text="More", price=Decimal(1)), "admin")
    )


def test_an_approval_needs_a_job_that_is_still_in_the_shop(db: Database) -> None:
    with pytest.raises(NotFound):
        approve_(db, "R999999", "100")
    code = new_job(db)
    with pytest.raises(ValidationError, match="negative"):
        approve_(db, code, "-1")
    with pytest.raises(InvalidTransition):
        move(db, code, S.COLLECTED)
