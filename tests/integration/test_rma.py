"""Returns to suppliers (RMA): numbers, states, and the stock each move changes, via the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from repairshop.db.tables import Rma, RmaEvent, StockMovement
from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.rma import RmaState
from repairshop.domain.statuses import JobStatus
from repairshop.errors import InvalidTransition, OutOfStock, ValidationError
from repairshop.services.aftersales.rma import (
    close_rma,
    list_rmas,
    open_rma,
    receive_rma,
    rma_to_json,
    send_rma,
    show_rma,
)
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status, show_job
from repairshop.services.money.approval import approve
from repairshop.services.parts.job_parts import receive_part, reserve_part, use_part
from repairshop.services.parts.purchasing import create_order, receive_order, send_order
from repairshop.services.parts.stock import (
    PartInput,
    add_part,
    ledger_totals,
    movements,
    show_part,
)
from repairshop.services.uow import UnitOfWork
from repairshop.services.watch import changes_since, start_watch
from tests.helpers import SettableClock, intake_document

SUPPLIER = "MobileParts s.r.o."
SCREEN = PartInput(
    sku="SCR-S23",
    name="Samsung Galaxy S23 display",
    price=Decimal("2490"),
    cost=Decimal("1500"),
    supplier=SUPPLIER,
    supplier_sku="MP-S23-LCD",
)
BOARD = PartInput(
    sku="MB-S23",
    name="Galaxy S23 mainboard",
    price=Decimal("6900"),
    serialised=True,
    supplier=SUPPLIER,
)


def stock_of(db: Database, sku: str = "SCR-S23") -> tuple[int, int]:
    """(on hand, reserved), checked against the sum of the ledger."""
    with db.reader() as uow:
        view = show_part(uow, sku)
        assert ledger_totals(uow, view.id) == (view.on_hand, view.reserved)
    return view.on_hand, view.reserved


def shelf(db: Database, data: PartInput = SCREEN, stock: int = 3) -> None:
    with db.unit_of_work() as uow:
        add_part(uow, data, "admin")
        if stock:
            receive_part(uow, data.sku, stock, "admin")
        uow.commit()


def new_rma(db: Database, sku: str = "SCR-S23", **options: str) -> str:
    with db.unit_of_work() as uow:
        view = open_rma(uow, SUPPLIER, sku, "admin", reason="Dead pixels out of the box", **options)
        uow.commit()
    return view.number


def counts(db: Database) -> tuple[int, int]:
    with db.reader() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(StockMovement)) or 0,
            uow.session.scalar(select(func.count()).select_from(RmaEvent)) or 0,
        )


def test_a_replacement_holds_the_part_sends_it_and_takes_the_new_one_into_stock(
    db: Database, clock: SettableClock
) -> None:
    shelf(db)
    number = new_rma(db)
    assert number == "RMA00001"
    assert stock_of(db) == (3, 1)  # held for the supplier: no longer available
    clock.advance(days=1)
    with db.unit_of_work() as uow:
        send_rma(uow, number, "admin", note="DPD 123")
        uow.commit()
    assert stock_of(db) == (2, 0)
    clock.advance(days=7)
    with db.unit_of_work() as uow:
        receive_rma(uow, "1", "replaced", "admin")
        uow.commit()
    assert stock_of(db) == (3, 0)
    with db.reader() as uow:
        data = rma_to_json(show_rma(uow, "rma00001"))
        ledger = [
            (m.kind.value, m.on_hand_delta, m.reserved_delta) for m in movements(uow, "SCR-S23")
        ]
    assert {key: data[key] for key in ("number", "state", "supplier", "sku", "serial", "job")} == {
        "number": "RMA00001",
        "state": "replaced",
        "supplier": SUPPLIER,
        "sku": "SCR-S23",
        "serial": None,
        "job": None,
    }
    assert [(h["from"], h["to"], h["at"]) for h in data["history"]] == [  # type: ignore[attr-defined]
        (None, "requested", "2026-03-10T09:00:00Z"),
        ("requested", "sent", "2026-03-11T09:00:00Z"),
        ("sent", "replaced", "2026-03-18T09:00:00Z"),
    ]
    assert data["moves"] == []
    assert ledger[:3] == [("received", 1, 0), ("returned", -1, -1), ("reserved", 0, 1)]


def test_a_credit_leaves_the_part_gone_and_numbers_follow_on(db: Database) -> None:
    shelf(db)
    first = new_rma(db)
    second = new_rma(db)
    assert (first, second) == ("RMA00001", "RMA00002")
    assert stock_of(db) == (3, 2)
    with db.unit_of_work() as uow:
        send_rma(uow, second, "admin")
        close_rma(uow, second, "credited", "admin", note="Credit note 2026/114")
        uow.commit()
    assert stock_of(db) == (2, 1)
    with db.reader() as uow:
        assert [view.number for view in list_rmas(uow, open_only=True)] == [first]
        assert [view.number for view in list_rmas(uow, state=RmaState.CREDITED)] == [second]
        assert show_rma(uow, second).history[-1].note == "Credit note 2026/114"


def test_a_rejection_releases_the_hold_or_brings_the_part_back(db: Database) -> None:
    shelf(db)
    refused_at_once = new_rma(db)
    with db.unit_of_work() as uow:
        close_rma(uow, refused_at_once, "rejected", "admin", note="Outside their warranty")
        uow.commit()
    assert stock_of(db) == (3, 0)
    inspected = new_rma(db)
    with db.unit_of_work() as uow:
        send_rma(uow, inspected, "admin")
        uow.commit()
    assert stock_of(db) == (2, 0)
    with db.unit_of_work() as uow:
        receive_rma(uow, inspected, "rejected", "admin", note="No fault found")
        uow.commit()
    assert stock_of(db) == (3, 0)
    with db.reader() as uow:
        assert show_rma(uow, inspected).state is RmaState.REJECTED


@pytest.mark.parametrize(
    ("moves", "action", "message"),
    [
        ([], ("receive", "replaced"), "“Requested”: it cannot receive from the supplier"),
        ([], ("close", "credited"), "Allowed: send sent, close rejected"),
        (["send"], ("send", "sent"), "“Sent”: it cannot send to the supplier"),
        (["send", "credited"], ("receive", "replaced"), "Allowed: none: it is settled"),
    ],
)
def test_a_move_the_state_does_not_allow_is_refused_and_changes_nothing(
    db: Database, moves: list[str], action: tuple[str, str], message: str
) -> None:
    shelf(db)
    number = new_rma(db)
    with db.unit_of_work() as uow:
        for move in moves:
            if move == "send":
                send_rma(uow, number, "admin")
            else:
                close_rma(uow, number, move, "admin")
        uow.commit()
    before = (counts(db), stock_of(db))
    with db.reader() as uow:
        state = show_rma(uow, number).state
    verb, outcome = action
    with db.unit_of_work() as uow:
        with pytest.raises(InvalidTransition, match=message) as refused:
            attempt(uow, number, verb, outcome)
        uow.commit()
    assert str(refused.value).count("\n") == 0
    assert (counts(db), stock_of(db)) == before
    with db.reader() as uow:
        assert show_rma(uow, number).state is state


def attempt(uow: UnitOfWork, number: str, verb: str, outcome: str) -> None:
    if verb == "send":
        send_rma(uow, number, "admin")
    elif verb == "receive":
        receive_rma(uow, number, outcome, "admin")
    else:
        close_rma(uow, number, outcome, "admin")


def test_bad_requests_are_refused_with_a_reason_and_no_number_used(db: Database) -> None:
    shelf(db, stock=1)
    shelf(db, BOARD, stock=0)
    with pytest.raises(ValidationError, match="Say why"), db.unit_of_work() as uow:
        open_rma(uow, SUPPLIER, "SCR-S23", "admin", reason="  ")
    with pytest.raises(ValidationError, match="give the serial"), db.unit_of_work() as uow:
        open_rma(uow, SUPPLIER, "MB-S23", "admin", reason="dead")
    with pytest.raises(ValidationError, match="no unit with serial X9"), db.unit_of_work() as uow:
        open_rma(uow, SUPPLIER, "MB-S23", "admin", reason="dead", serial="X9")
    new_rma(db)
    with pytest.raises(OutOfStock, match="0 available"), db.unit_of_work() as uow:
        open_rma(uow, SUPPLIER, "SCR-S23", "admin", reason="second one")
    with db.reader() as uow:
        assert uow.session.scalars(select(Rma.number)).all() == ["RMA00001"]


def test_a_serialised_unit_names_its_order_and_the_replacement_its_new_serial(
    db: Database,
) -> None:
    shelf(db, BOARD, stock=0)
    with db.unit_of_work() as uow:
        order = create_order(uow, SUPPLIER, [("MB-S23", 2, Decimal("4000"))], "admin")
        send_order(uow, order.number, "admin")
        receive_order(uow, order.number, "admin", serials={"MB-S23": ["SN-A", "SN-B"]})
        uow.commit()
    number = new_rma(db, "MB-S23", serial="SN-B")
    with db.unit_of_work() as uow:
        send_rma(uow, number, "admin")
        uow.commit()
    with (
        pytest.raises(ValidationError, match="replacement unit's serial"),
        db.unit_of_work() as uow,
    ):
        receive_rma(uow, number, "replaced", "admin")
    with db.unit_of_work() as uow:
        view = receive_rma(uow, number, "replaced", "admin", serial="SN-C")
        uow.commit()
    assert (view.serial, view.purchase_order, view.replacement_serial) == (
        "SN-B",
        order.number,
        "SN-C",
    )
    with db.reader() as uow:
        assert show_part(uow, "MB-S23").serials_in_stock == ("SN-A", "SN-C")
    assert stock_of(db, "MB-S23") == (2, 0)


def test_a_part_used_on_a_job_goes_back_without_touching_stock_until_replaced(
    db: Database,
) -> None:
    shelf(db, BOARD, stock=0)
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        receive_part(uow, "MB-S23", 1, "admin", serials=["SN-1"])
        change_status(uow, code, JobStatus.DIAGNOSING, "admin")
        reserve_part(uow, code, "MB-S23", 1, "admin", serials=["SN-1"])
        change_status(uow, code, JobStatus.AWAITING_APPROVAL, "admin")
        price = show_job(uow, code, "admin").price
        assert price is not None
        approve(uow, code, price, ApprovalMethod.IN_PERSON, "admin")  # the customer says yes
        change_status(uow, code, JobStatus.IN_REPAIR, "admin")
        use_part(uow, code, "MB-S23", 1, "admin")
        uow.commit()
    assert stock_of(db, "MB-S23") == (0, 0)
    number = new_rma(db, "MB-S23", serial="SN-1")
    with db.unit_of_work() as uow:
        send_rma(uow, number, "admin")
        view = show_rma(uow, number)
        uow.commit()
    assert (view.job, view.from_stock) == (code, False)
    assert stock_of(db, "MB-S23") == (0, 0)
    with db.unit_of_work() as uow:
        receive_rma(uow, number, "replaced", "admin", serial="SN-2")
        uow.commit()
    assert stock_of(db, "MB-S23") == (1, 0)


def test_another_desk_sees_a_credit_that_moved_no_stock(db: Database) -> None:
    shelf(db)
    number = new_rma(db)
    with db.unit_of_work() as uow:
        send_rma(uow, number, "admin")
        uow.commit()
    with db.reader() as uow:
        mark = start_watch(uow)
        part_id = show_part(uow, "SCR-S23").id
    with db.unit_of_work() as uow:
        close_rma(uow, number, "credited", "admin")
        uow.commit()
    with db.reader() as uow:
        mark, changes = changes_since(uow, mark)
        assert changes.touches(ChangeKind.PART)
        assert changes.part_ids == (part_id,)
        assert changes_since(uow, mark)[1] == Changes()


def test_a_shelf_part_names_the_order_it_came_on_and_a_part_from_a_device_none(
    db: Database,
) -> None:
    shelf(db, stock=0)
    with db.unit_of_work() as uow:
        order = create_order(uow, SUPPLIER, [("SCR-S23", 2, Decimal("1500"))], "admin")
        send_order(uow, order.number, "admin")
        receive_order(uow, order.number, "admin")
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    with db.unit_of_work() as uow:
        from_shelf = open_rma(uow, SUPPLIER, "SCR-S23", "admin", reason="Faulty")
        from_device = open_rma(
            uow, SUPPLIER, "SCR-S23", "admin", reason="Original screen", job_code=code
        )
        uow.commit()
    assert (from_shelf.purchase_order, from_shelf.from_stock) == (order.number, True)
    assert (from_device.purchase_order, from_device.from_stock, from_device.job) == (
        None,
        False,
        code,
    )
    assert stock_of(db) == (2, 1)
