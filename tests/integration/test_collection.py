"""Collection at the counter: bill, payments, invoice, credit note, takings, on both databases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from repairshop.db.tables import Base, Setting
from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.payments import DocumentKind, FreeReason, PaymentMethod
from repairshop.domain.statuses import JobStatus as S
from repairshop.errors import Conflict, InvalidTransition, PermissionDenied, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.workflow import JobEdit, add_note, edit_job, show_job
from repairshop.services.money.approval import approve
from repairshop.services.money.collection import CollectRequest, PaymentInput, bill, collect
from repairshop.services.money.invoices import credit_invoice, invoice_to_json, show_invoice
from repairshop.services.money.lines import LineRequest, add_line
from repairshop.services.money.payments import settle_cancelled_deposit
from repairshop.services.money.takings import cash_up, takings, takings_csv
from repairshop.services.shop.users import add_user
from tests.helpers import SettableClock
from tests.integration.test_money import commit, move, new_job

CASH, CARD, TRANSFER = PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.TRANSFER


def czech_shop(db: Database) -> None:
    with db.unit_of_work() as uow:
        for key, value in {"currency": "CZK", "region": "CZ", "shop.country": "CZ"}.items():
            uow.session.merge(Setting(key=key, value=value))
        uow.commit()


def ready_job(db: Database, *lines: tuple[str, str], **intake: Any) -> str:
    """A paid repair with these text lines, approved, repaired and ready."""
    code = new_job(db, **intake)
    for text, price in lines:
        commit(db, lambda uow, t=text, p=price: add_line(
            uow, code, LineRequest(text=t, price=Decimal(p)), "admin"))  # fmt: skip
    with db.reader() as uow:
        price = show_job(uow, code, "admin").price
    commit(db, lambda uow: approve(uow, code, price or Decimal(0), ApprovalMethod.PHONE, "admin"))
    for status in (S.DIAGNOSING, S.IN_REPAIR, S.TESTING, S.READY):
        move(db, code, status)
    return code


def pay(*tenders: tuple[PaymentMethod, str], **values: Any) -> CollectRequest:
    return CollectRequest(
        payments=tuple(PaymentInput(method, Decimal(amount)) for method, amount in tenders),
        desk="desk-1",
        **values,
    )


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: to show that a refused action changed nothing."""
    with db.reader() as uow:
        return {
            table.name: sorted(
                (tuple(map(str, row)) for row in uow.session.execute(select(table)).all()),
            )
            for table in Base.metadata.sorted_tables
        }


def test_a_job_is_collected_with_cash_rounding_and_change_and_an_invoice(
    db: Database, clock: SettableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPAIRSHOP_DESK", "front")
    czech_shop(db)
    code = ready_job(db, ("Display", "3000.40"), ("Labour", "489.70"), estimate="4000")
    with db.reader() as uow:
        shown = bill(uow, code)
    assert shown.kind is DocumentKind.INVOICE
    assert (shown.gross, shown.deposit, shown.due) == (
        Decimal("3490.10"), Decimal("500.00"), Decimal("2990.10"),
    )  # fmt: skip
    assert shown.cash_due == Decimal("2990.00")  # whole crowns in cash
    done = commit(db, lambda uow: collect(uow, code, pay((CASH, "3000")), "admin"))
    assert done.number == f"{clock.now.year}-00001"
    assert done.change == Decimal("10.00")
    with db.reader() as uow:
        invoice = invoice_to_json(show_invoice(uow, done.number))
        assert show_job(uow, code, "admin").status is S.COLLECTED
    assert invoice["gross"] == "3490.10"
    assert invoice["deposit"] == "500.00"
    assert invoice["due"] == "2990.10"
    assert invoice["rounding"] == "-0.10"
    assert invoice["change"] == "10.00"
    assert invoice["paid"] == [{"method": "cash", "amount": "2990.00"}]
    assert invoice["job"] == code
    assert invoice["customer"] == "Jiří Dvořák"
    assert invoice["currency"] == "CZK"
    assert [line["gross"] for line in invoice["lines"]] == ["3000.40", "489.70"]
    lines: list[dict[str, str]] = invoice["lines"]  # type: ignore[assignment]
    assert sum(Decimal(line["net"]) + Decimal(line["vat"]) for line in lines) == Decimal("3490.10")
    assert invoice["warranty_until"] is not None

    with db.reader() as uow:
        today = takings(uow, clock.now.date())
    assert today.by_method[CASH] == Decimal("3490.00")  # the deposit and the payment
    assert [(row.desk, row.total, row.documents) for row in today.rows] == [
        ("desk-1", Decimal("2990.00"), (done.number,)),
        ("front", Decimal("500.00"), (code,)),
    ]


def test_split_payment_card_and_cash_and_a_refused_collection_changes_nothing(
    db: Database,
) -> None:
    czech_shop(db)
    code = ready_job(db, ("Display", "3000"), estimate="3000", deposit="0")
    before = dump(db)
    with pytest.raises(ValidationError, match="does not cover"):
        commit(db, lambda uow: collect(uow, code, pay((CARD, "2000"), (CASH, "900")), "admin"))
    with pytest.raises(ValidationError, match="more than"):
        commit(db, lambda uow: collect(uow, code, pay((CARD, "3100")), "admin"))
    assert dump(db) == before
    done = commit(db, lambda uow: collect(uow, code, pay((CARD, "2000"), (CASH, "1000")), "admin"))
    assert done.number.endswith("-00001")  # the refused tries took no number
    with db.reader() as uow:
        paid = show_invoice(uow, done.number).paid
    assert [(p.method, p.amount) for p in paid] == [
        (CARD, Decimal("2000.00")),
        (CASH, Decimal("1000.00")),
    ]


def test_only_a_ready_job_is_collected(db: Database) -> None:
    code = new_job(db)
    before = dump(db)
    with pytest.raises(InvalidTransition):
        commit(db, lambda uow: collect(uow, code, pay((CASH, "10000")), "admin"))
    assert dump(db) == before


def test_a_warranty_job_gets_a_handover_document_and_its_deposit_back(db: Database) -> None:
    code = new_job(db, job_type="warranty_claim", purchase_date="2026-01-10", deposit="0")
    for status in (S.DIAGNOSING, S.IN_REPAIR, S.TESTING, S.READY):
        move(db, code, status)
    done = commit(db, lambda uow: collect(uow, code, pay(), "admin"))
    assert done.kind is DocumentKind.HANDOVER
    assert done.number.startswith("HO")
    with db.reader() as uow:
        view = show_invoice(uow, done.number)
    assert view.free_reason is FreeReason.WARRANTY
    assert view.gross == 0


def test_a_cancelled_jobs_deposit_is_kept_as_the_diagnosis_fee_or_refunded(
    db: Database, clock: SettableClock
) -> None:
    kept = new_job(db, deposit="300")
    refunded = new_job(db, deposit="300")
    for code in (kept, refunded):
        move(db, code, S.CANCELLED)
    commit(db, lambda uow: settle_cancelled_deposit(uow, kept, keep=True, actor="admin"))
    commit(db, lambda uow: settle_cancelled_deposit(uow, refunded, keep=False, actor="admin"))
    with pytest.raises(ValidationError, match="no deposit"):
        commit(db, lambda uow: settle_cancelled_deposit(uow, refunded, keep=False, actor="admin"))
    for code in (kept, refunded):
        move(db, code, S.READY)
    fee = commit(db, lambda uow: collect(uow, kept, pay(), "admin"))
    back = commit(db, lambda uow: collect(uow, refunded, pay(), "admin"))
    with db.reader() as uow:
        invoice = show_invoice(uow, fee.number)
        handover = show_invoice(uow, back.number)
        today = takings(uow, clock.now.date())
    assert invoice.kind is DocumentKind.INVOICE
    assert [(line.description, line.gross) for line in invoice.lines] == [
        ("Poplatek za diagnostiku", Decimal("300.00"))
    ]
    assert (invoice.deposit, invoice.due) == (Decimal("300.00"), Decimal(0))
    assert handover.free_reason is FreeReason.UNREPAIRED
    assert today.by_method[CASH] == Decimal("300.00")  # two deposits in, one refunded


def test_an_invoice_is_credited_once_and_the_refund_is_in_the_takings(
    db: Database, clock: SettableClock
) -> None:
    code = ready_job(db, ("Battery", "1200"), deposit="0", estimate="1200")
    done = commit(db, lambda uow: collect(uow, code, pay((CARD, "1200")), "admin"))
    commit(db, lambda uow: add_user(uow, "eva", "Eva", "clerk", "admin"))
    with pytest.raises(PermissionDenied):
        commit(db, lambda uow: credit_invoice(uow, done.number, "wrong", "eva"))
    with pytest.raises(ValidationError, match="reason"):
        commit(db, lambda uow: credit_invoice(uow, done.number, " ", "admin"))
    credited = commit(
        db,
        lambda uow: credit_invoice(
            uow, done.number, "Battery returned", "admin", refund=CARD, desk="desk-1"
        ),
    )
    assert credited.number.startswith("CN")
    with pytest.raises(ValidationError, match="already credited"):
        commit(db, lambda uow: credit_invoice(uow, done.number, "again", "admin"))
    with db.reader() as uow:
        original = show_invoice(uow, done.number)
        note = show_invoice(uow, credited.number)
        today = takings(uow, clock.now.date())
    assert original.credited_by == credited.number
    assert note.credits == done.number
    assert note.gross == Decimal("-1200.00")
    assert today.by_method[CARD] == 0
    csv_text = takings_csv(today)
    assert csv_text.splitlines()[0].startswith("date,time_utc,desk,method")
    assert credited.number in csv_text


def test_a_cash_up_counts_the_desks_cash(db: Database, clock: SettableClock) -> None:
    code = ready_job(db, ("Battery", "1200"), deposit="0", estimate="1200")
    commit(db, lambda uow: collect(uow, code, pay((CASH, "1500")), "admin"))
    counted = commit(
        db, lambda uow: cash_up(uow, clock.now.date(), "desk-1", Decimal("1190"), "admin")
    )
    assert (counted.view.expected, counted.view.difference) == (
        Decimal("1200.00"), Decimal("-10.00"),
    )  # fmt: skip
    with db.reader() as uow:
        assert [c.counted for c in takings(uow, clock.now.date()).cash_ups] == [Decimal("1190.00")]


def test_a_deposit_added_on_the_card_is_a_payment(db: Database, clock: SettableClock) -> None:
    code = new_job(db, deposit="0")
    with db.reader() as uow:
        version = show_job(uow, code, "admin").version
    commit(db, lambda uow: edit_job(uow, code, JobEdit(deposit=Decimal(200)), "admin",
                                    expected_version=version))  # fmt: skip
    with db.reader() as uow:
        assert bill(uow, code).deposit == Decimal("200.00")
        assert takings(uow, clock.now.date()).by_method[CASH] == Decimal("200.00")


def test_a_deposit_is_kept_as_the_fee_when_the_unrepaired_device_is_collected(
    db: Database, clock: SettableClock
) -> None:
    code = new_job(db, deposit="250")
    move(db, code, S.CANCELLED)
    move(db, code, S.READY)
    with db.reader() as uow:
        shown = bill(uow, code)
    assert shown.deposit_keepable
    assert shown.kind is DocumentKind.HANDOVER  # as it stands, the deposit goes back
    clock.advance(minutes=5)
    request = CollectRequest(keep_deposit=True, expected_version=shown.version)
    done = commit(db, lambda uow: collect(uow, code, request, "admin"))
    with db.reader() as uow:
        invoice = show_invoice(uow, done.number)
    assert invoice.kind is DocumentKind.INVOICE
    assert (invoice.gross, invoice.deposit, invoice.due) == (
        Decimal("250.00"), Decimal("250.00"), Decimal("0.00"),
    )  # fmt: skip
    assert invoice.paid == ()


MIXES = st.lists(
    st.tuples(
        st.integers(1, 5),
        st.integers(1, 500_000),
        st.sampled_from(["0", "10", "12", "21"]),
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=MIXES)
def test_an_issued_invoices_totals_are_the_sums_of_its_stored_lines(
    sqlite_db: Database, lines: list[tuple[int, int, str]]
) -> None:
    db = sqlite_db
    code = new_job(db, deposit="0", estimate="1")
    for quantity, cents, rate in lines:
        request = LineRequest(
            text="Part", price=Decimal(cents) / 100, quantity=quantity, vat_rate=Decimal(rate)
        )
        commit(db, lambda uow, r=request: add_line(uow, code, r, "admin"))
    with db.reader() as uow:
        price = show_job(uow, code, "admin").price
    commit(db, lambda uow: approve(uow, code, price or Decimal(0), ApprovalMethod.PHONE, "admin"))
    for status in (S.DIAGNOSING, S.IN_REPAIR, S.TESTING, S.READY):
        move(db, code, status)
    pay = (PaymentInput(CARD, price or Decimal(0)),)
    done = commit(db, lambda uow: collect(uow, code, CollectRequest(payments=pay), "admin"))
    with db.reader() as uow:
        invoice = show_invoice(uow, done.number)
    assert invoice.gross == price
    assert invoice.net == sum((line.net for line in invoice.lines), Decimal(0))
    assert invoice.vat == sum((line.vat for line in invoice.lines), Decimal(0))
    assert invoice.gross == sum((line.gross for line in invoice.lines), Decimal(0))
    assert invoice.net + invoice.vat == invoice.gross
    assert all(line.net + line.vat == line.gross for line in invoice.lines)
    assert sum((rate.gross for rate in invoice.vat_by_rate), Decimal(0)) == invoice.gross
    assert [p.amount for p in invoice.paid] == [invoice.gross]


def test_a_bill_read_before_another_desks_change_is_not_collected(
    db: Database, clock: SettableClock
) -> None:
    code = ready_job(db, ("Battery", "1200"), deposit="0", estimate="1200")
    with db.reader() as uow:
        shown = bill(uow, code)
    clock.advance(minutes=1)
    commit(db, lambda uow: add_note(uow, code, "Customer called", "admin"))
    before = dump(db)
    stale = pay((CARD, "1200"), expected_version=shown.version)
    with pytest.raises(Conflict):
        commit(db, lambda uow: collect(uow, code, stale, "admin"))
    assert dump(db) == before
