"""The whole path of the money, for any mix: lines, VAT rates, a deposit and split payments.

From intake (a deposit paid in any method) through the job's lines and the approval to the
collection (card, transfer and cash, with the Czech cash rounding and the change): the
invoice's totals are its lines', the payments cover what is due, and the day's takings grow
by exactly the payments taken, method by method.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.payments import PaymentMethod
from repairshop.domain.statuses import JobStatus as S
from repairshop.services.database import Database
from repairshop.services.jobs.workflow import show_job
from repairshop.services.money.approval import approve
from repairshop.services.money.collection import CollectRequest, PaymentInput, bill, collect
from repairshop.services.money.invoices import show_invoice
from repairshop.services.money.lines import LineRequest, add_line
from repairshop.services.money.takings import Takings, takings
from repairshop.services.shop.opening_hours import shop_today
from tests.integration.test_collection import czech_shop
from tests.integration.test_money import commit, move, new_job

CASH, CARD, TRANSFER = PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.TRANSFER

LINES = st.lists(
    st.tuples(
        st.integers(1, 4),  # quantity
        st.integers(1, 300_000),  # unit price in hellers
        st.sampled_from(["0", "10", "12", "21"]),
    ),
    min_size=1,
    max_size=4,
)
SHARE = st.integers(0, 100)  # percent


def day_takings(db: Database) -> Takings:
    with db.reader() as uow:
        return takings(uow, shop_today(uow))


def by_method(day: Takings) -> dict[PaymentMethod, Decimal]:
    return {method: day.by_method.get(method, Decimal(0)) for method in PaymentMethod}


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=LINES,
    deposit_share=SHARE,
    deposit_method=st.sampled_from(list(PaymentMethod)),
    card_share=SHARE,
    transfer_share=SHARE,
    cash_extra=st.integers(0, 2_000),
)
def test_any_mix_of_lines_rates_and_payments_adds_up_from_intake_to_the_days_takings(
    db: Database,
    *,
    lines: list[tuple[int, int, str]],
    deposit_share: int,
    deposit_method: PaymentMethod,
    card_share: int,
    transfer_share: int,
    cash_extra: int,
) -> None:
    czech_shop(db)
    gross_minor = sum(quantity * cents for quantity, cents, _rate in lines)  # prices with VAT
    deposit = Decimal(gross_minor * deposit_share // 100) / 100
    before = day_takings(db)

    code = new_job(
        db, estimate=str(Decimal(gross_minor) / 100), deposit=str(deposit),
        deposit_method=deposit_method.value,
    )  # fmt: skip
    for quantity, cents, rate in lines:
        request = LineRequest(
            text="Item", price=Decimal(cents) / 100, quantity=quantity, vat_rate=Decimal(rate)
        )
        commit(db, lambda uow, r=request: add_line(uow, code, r, "admin"))
    with db.reader() as uow:
        price = show_job(uow, code, "admin").price or Decimal(0)
    commit(db, lambda uow: approve(uow, code, price, ApprovalMethod.SIGNED, "admin"))
    for status in (S.DIAGNOSING, S.IN_REPAIR, S.TESTING, S.READY):
        move(db, code, status)

    with db.reader() as uow:
        shown = bill(uow, code)
    due = shown.due
    card = (due * card_share / 100).quantize(Decimal("0.01"))
    transfer = ((due - card) * transfer_share / 100).quantize(Decimal("0.01"))
    cash = shown.cash_due - card - transfer  # the rest in cash, rounded as CZ does
    cash = max(cash, Decimal(0)) + Decimal(cash_extra)  # and more handed over: change
    tenders = [(CARD, card), (TRANSFER, transfer), (CASH, cash)]
    request = CollectRequest(
        payments=tuple(PaymentInput(method, amount) for method, amount in tenders if amount),
        desk="desk-1",
    )
    done = commit(db, lambda uow: collect(uow, code, request, "admin"))

    with db.reader() as uow:
        invoice = show_invoice(uow, done.number)
    # The invoice's totals are its lines'.
    assert invoice.gross == price == shown.gross
    assert invoice.net == sum((line.net for line in invoice.lines), Decimal(0))
    assert invoice.vat == sum((line.vat for line in invoice.lines), Decimal(0))
    assert invoice.gross == sum((line.gross for line in invoice.lines), Decimal(0))
    assert all(line.net + line.vat == line.gross for line in invoice.lines)
    assert sum((rate.gross for rate in invoice.vat_by_rate), Decimal(0)) == invoice.gross
    # The deposit and the payments cover what is due, exactly after the cash rounding.
    paid = sum((payment.amount for payment in invoice.paid), Decimal(0))
    assert invoice.deposit == deposit
    assert invoice.due == invoice.gross - invoice.deposit
    assert paid == invoice.due + invoice.rounding
    assert abs(invoice.rounding) < 1  # whole crowns in cash
    assert invoice.change == done.change >= 0

    # The day's takings grew by the deposit and the payments, method by method.
    after = day_takings(db)
    taken = dict.fromkeys(PaymentMethod, Decimal(0))
    taken[deposit_method] += deposit
    for payment in invoice.paid:
        taken[payment.method] += payment.amount
    grown = {m: by_method(after)[m] - by_method(before)[m] for m in PaymentMethod}
    assert grown == taken
    assert after.total - before.total == invoice.gross + invoice.rounding
    assert after.total == sum((entry.amount for entry in after.entries), Decimal(0))
    assert after.total == sum((row.total for row in after.rows), Decimal(0))
