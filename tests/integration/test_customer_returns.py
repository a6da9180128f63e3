"""Goods a customer brings back (take-backs): the item's way through the stock ledger, the
money decided once (credit note, refund payment, exchange, refusal), on both databases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.customer_returns import RefundDecision, ReturnState
from repairshop.domain.payments import PaymentMethod
from repairshop.domain.statuses import JobStatus
from repairshop.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from repairshop.services.aftersales.customer_returns import (
    exchange_return,
    list_returns,
    open_return,
    refund_return,
    refuse_return,
    restock_return,
    return_to_json,
    return_to_supplier,
    scrap_return,
    show_return,
)
from repairshop.services.aftersales.rma import show_rma
from repairshop.services.database import Database
from repairshop.services.jobs.workflow import change_status, show_job
from repairshop.services.money.approval import approve
from repairshop.services.money.collection import collect
from repairshop.services.money.invoices import credit_invoice, show_invoice
from repairshop.services.money.takings import takings
from repairshop.services.parts.job_parts import receive_part, reserve_part, use_part
from repairshop.services.parts.stock import PartInput, add_part, ledger_totals, movements, show_part
from repairshop.services.shop.users import add_user
from repairshop.services.uow import UnitOfWork
from tests.helpers import SettableClock
from tests.integration.test_collection import dump, pay, ready_job
from tests.integration.test_money import commit, new_job

PHONE = "+420 777 123 456"
SUPPLIER = "MobileParts s.r.o."
CASE = PartInput(sku="CASE-S23", name="Galaxy S23 case", price=Decimal("390"), supplier=SUPPLIER)
BOARD = PartInput(
    sku="MB-S23",
    name="Galaxy S23 mainboard",
    price=Decimal("6900"),
    serialised=True,
    supplier=SUPPLIER,
)


def stock_of(db: Database, sku: str) -> tuple[int, int]:
    """(on hand, reserved), checked against the sum of the ledger."""
    with db.reader() as uow:
        view = show_part(uow, sku)
        assert ledger_totals(uow, view.id) == (view.on_hand, view.reserved)
    return view.on_hand, view.reserved


def ledger(db: Database, sku: str) -> list[tuple[str, int, int, str]]:
    with db.reader() as uow:
        return [
            (m.kind.value, m.on_hand_delta, m.reserved_delta, m.reason) for m in movements(uow, sku)
        ]


def sold_case(db: Database, clock: SettableClock) -> str:
    """A case sold on an invoice (paid by card) to the intake's customer; its number."""
    commit(db, lambda uow: add_part(uow, CASE, "admin"))
    commit(db, lambda uow: receive_part(uow, "CASE-S23", 2, "admin"))
    code = ready_job(db, ("Galaxy S23 case", "390"), ("Labour", "500"), deposit="0", estimate="890")
    done = commit(db, lambda uow: collect(uow, code, pay((PaymentMethod.CARD, "890")), "admin"))
    return str(done.number)


def test_a_part_sold_on_an_invoice_is_restocked_and_refunded_by_a_credit_note(
    db: Database, clock: SettableClock
) -> None:
    invoice = sold_case(db, clock)
    assert stock_of(db, "CASE-S23") == (2, 0)
    opened = commit(
        db,
        lambda uow: open_return(
            uow, PHONE, "case-s23", "admin", reason="Does not fit", invoice=invoice
        ),
    )
    year = clock.now.year
    assert opened.number == f"CR{year}-0001"
    assert (opened.state, opened.decision, opened.invoice) == (ReturnState.RECEIVED, None, invoice)
    assert stock_of(db, "CASE-S23") == (2, 0)  # received at the counter: not on the shelf yet
    clock.advance(hours=1)
    commit(db, lambda uow: restock_return(uow, "cr" + opened.number[2:], "admin"))
    assert stock_of(db, "CASE-S23") == (3, 0)
    assert ledger(db, "CASE-S23")[0] == (
        "taken_back", 1, 0, f"{opened.number}: Does not fit"
    )  # fmt: skip
    clock.advance(hours=1)
    refunded = commit(db, lambda uow: refund_return(uow, opened.number, "admin"))
    assert refunded.decision is RefundDecision.REFUNDED
    assert refunded.refund == Decimal("390.00")
    assert refunded.refund_document is not None
    with db.reader() as uow:
        note = show_invoice(uow, refunded.refund_document)
        original = show_invoice(uow, invoice)
        today = takings(uow, clock.now.date())
        data = return_to_json(show_return(uow, opened.number))
    assert note.credits == invoice
    assert note.gross == Decimal("-390.00")
    assert original.credited_by == note.number
    assert today.by_method[PaymentMethod.CARD] == Decimal("500.00")  # 890 in, 390 back
    assert [(h["kind"], h["from"], h["to"], h["user"]) for h in data["history"]] == [  # type: ignore[attr-defined]
        ("item", None, "received", "admin"),
        ("item", "received", "restocked", "admin"),
        ("money", None, "refunded", "admin"),
    ]
    assert data["open"] is False
    assert data["moves"] == data["decisions"] == []
    # The whole invoice can no longer be credited a second time over.
    with pytest.raises(ValidationError, match="already credited"):
        commit(db, lambda uow: credit_invoice(uow, invoice, "again", "admin"))


def test_a_unit_fitted_on_a_job_goes_to_the_supplier_under_a_linked_rma(
    db: Database, clock: SettableClock
) -> None:
    commit(db, lambda uow: add_part(uow, BOARD, "admin"))
    code = new_job(db, deposit="0")
    commit(db, lambda uow: receive_part(uow, "MB-S23", 1, "admin", serials=["SN-1"]))
    with pytest.raises(ValidationError, match="has not sold it"):
        commit(
            db, lambda uow: open_return(uow, PHONE, "MB-S23", "admin", reason="x", serial="SN-1")
        )
    with pytest.raises(ValidationError, match="serialised"):
        commit(db, lambda uow: open_return(uow, PHONE, "MB-S23", "admin", reason="dead"))
    commit(db, lambda uow: _fit(uow, code))
    assert stock_of(db, "MB-S23") == (0, 0)
    opened = commit(
        db, lambda uow: open_return(uow, PHONE, "MB-S23", "admin", reason="Dead", serial="SN-1")
    )
    moved = commit(db, lambda uow: return_to_supplier(uow, opened.number, "admin"))
    assert moved.state is ReturnState.TO_SUPPLIER
    assert moved.rma is not None
    assert moved.history[-1].note.startswith(moved.rma)
    assert stock_of(db, "MB-S23") == (1, 1)  # back in the shop, held for the supplier
    with db.reader() as uow:
        rma = show_rma(uow, moved.rma)
    assert (rma.supplier, rma.serial, rma.from_stock) == (SUPPLIER, "SN-1", True)
    assert opened.number in rma.reason
    # A refund without an invoice is a refund payment in the day's takings, on no job.
    commit(
        db,
        lambda uow: refund_return(
            uow, opened.number, "admin", amount=Decimal("6900"), method="cash"
        ),
    )
    with db.reader() as uow:
        today = takings(uow, clock.now.date())
    assert today.by_method[PaymentMethod.CASH] == Decimal("-6900.00")
    assert any(opened.number in row.documents for row in today.rows)


def _fit(uow: UnitOfWork, code: str) -> None:
    """Diagnose, the customer approves, the mainboard unit SN-1 is fitted."""
    change_status(uow, code, JobStatus.DIAGNOSING, "admin")
    reserve_part(uow, code, "MB-S23", 1, "admin", serials=["SN-1"])
    change_status(uow, code, JobStatus.AWAITING_APPROVAL, "admin")
    price = show_job(uow, code, "admin").price
    assert price is not None
    approve(uow, code, price, ApprovalMethod.IN_PERSON, "admin")
    change_status(uow, code, JobStatus.IN_REPAIR, "admin")
    use_part(uow, code, "MB-S23", 1, "admin")


def test_scrapped_is_written_off_and_exchange_takes_one_off_the_shelf(
    db: Database, clock: SettableClock
) -> None:
    sold_case(db, clock)
    first = commit(db, lambda uow: open_return(uow, PHONE, "CASE-S23", "admin", reason="Cracked"))
    commit(db, lambda uow: scrap_return(uow, first.number, "admin"))
    assert stock_of(db, "CASE-S23") == (2, 0)
    assert [line[:3] for line in ledger(db, "CASE-S23")[:2]] == [
        ("adjusted", -1, 0),
        ("taken_back", 1, 0),
    ]
    exchanged = commit(db, lambda uow: exchange_return(uow, first.number, "admin"))
    assert exchanged.decision is RefundDecision.EXCHANGED
    assert stock_of(db, "CASE-S23") == (1, 0)
    second = commit(
        db, lambda uow: open_return(uow, "1", "CASE-S23", "admin", reason="Changed mind")
    )
    refused = commit(
        db, lambda uow: refuse_return(uow, second.number, "admin", reason="Opened and used")
    )
    assert (refused.decision, refused.decision_note) == (RefundDecision.REFUSED, "Opened and used")
    with db.reader() as uow:
        assert [v.number for v in list_returns(uow, open_only=True)] == [second.number]
        assert [v.number for v in list_returns(uow)] == [second.number, first.number]


def test_a_refused_move_or_decision_changes_nothing(db: Database, clock: SettableClock) -> None:
    invoice = sold_case(db, clock)
    opened = commit(
        db, lambda uow: open_return(uow, PHONE, "CASE-S23", "admin", reason="x", invoice=invoice)
    )
    commit(db, lambda uow: restock_return(uow, opened.number, "admin"))
    commit(db, lambda uow: refuse_return(uow, opened.number, "admin", reason="Worn"))
    commit(db, lambda uow: add_user(uow, "eva", "Eva", "clerk", "admin"))
    second = commit(
        db, lambda uow: open_return(uow, PHONE, "CASE-S23", "admin", reason="y", invoice=invoice)
    )
    before = dump(db)
    refusals = [
        (InvalidTransition, lambda uow: scrap_return(uow, opened.number, "admin")),
        (InvalidTransition, lambda uow: refund_return(uow, opened.number, "admin")),
        (InvalidTransition, lambda uow: exchange_return(uow, opened.number, "admin")),
        (ValidationError, lambda uow: refuse_return(uow, second.number, "admin", reason=" ")),
        (
            ValidationError,
            lambda uow: refund_return(uow, second.number, "admin", amount=Decimal("5000")),
        ),
        (PermissionDenied, lambda uow: refund_return(uow, second.number, "eva")),
        (NotFound, lambda uow: return_to_supplier(uow, second.number, "admin", supplier="Nobody")),
        (NotFound, lambda uow: show_return(uow, "CR2020-0099")),
        (
            NotFound,
            lambda uow: open_return(uow, "+420 600 000 000", "CASE-S23", "admin", reason="z"),
        ),
        (ValidationError, lambda uow: open_return(uow, PHONE, "CASE-S23", "admin", reason=" ")),
    ]
    for error, action in refusals:
        with pytest.raises(error):
            commit(db, action)
    assert dump(db) == before
    assert stock_of(db, "CASE-S23") == (3, 0)


@pytest.mark.parametrize(
    "typed",
    [
        ("", "CASE-S23", "customer", "Give the customer"),
        ("  ", "", "customer", "Give the customer"),
        (PHONE, " ", "sku", "Give the SKU"),
    ],
)
def test_an_empty_take_back_form_asks_for_what_is_missing(
    db: Database, clock: SettableClock, typed: tuple[str, str, str, str]
) -> None:
    """Not "There is no customer “”": the clerk left the field empty."""
    customer, sku, field, said = typed
    sold_case(db, clock)
    before = dump(db)
    with pytest.raises(ValidationError) as refused:
        commit(db, lambda uow: open_return(uow, customer, sku, "admin", reason="broken"))
    assert refused.value.field == field
    assert refused.value.message.startswith(said)
    assert dump(db) == before
