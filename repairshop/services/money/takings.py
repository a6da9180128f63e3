"""The day's takings per desk and payment method, with the documents behind them; cash-up.

Every payment row of the shop's local day counts: deposits, payments at collection and
refunds (negative). A cash-up compares the cash a manager counted at a desk with the cash
the payments say should be there; it is kept, never changed (count again: a new row).
The CSV is for the accountant: one payment a row, amounts as plain decimals.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from repairshop.db.tables import CashUp, Invoice, Job, Payment, User
from repairshop.domain.money import from_minor, to_minor
from repairshop.domain.payments import PaymentKind, PaymentMethod
from repairshop.domain.roles import Permission, require
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.money.payments import check_desk
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


@dataclass(frozen=True)
class TakingsEntry:
    at: datetime
    desk: str
    method: PaymentMethod
    kind: PaymentKind
    amount: Decimal
    job: str
    document: str | None
    """The invoice or credit note it belongs to; ``None`` for a deposit not yet collected."""
    user: str


@dataclass(frozen=True)
class TakingsRow:
    desk: str
    method: PaymentMethod
    total: Decimal
    count: int
    documents: tuple[str, ...]
    """Document numbers, and the ticket codes of deposits not yet on a document."""


@dataclass(frozen=True)
class CashUpView:
    day: date
    desk: str
    expected: Decimal
    counted: Decimal
    difference: Decimal
    """Counted less expected: negative is cash missing."""
    user: str
    at: datetime
    note: str


@dataclass(frozen=True)
class Takings:
    day: date
    currency: str
    rows: tuple[TakingsRow, ...]
    entries: tuple[TakingsEntry, ...]
    by_method: dict[PaymentMethod, Decimal]
    total: Decimal
    cash_ups: tuple[CashUpView, ...]

    def expected_cash(self, desk: str) -> Decimal:
        return sum(
            (
                row.total
                for row in self.rows
                if row.desk == desk and row.method is PaymentMethod.CASH
            ),
            Decimal(0),
        )

    @property
    def desks(self) -> tuple[str, ...]:
        return tuple(sorted({row.desk for row in self.rows}))


def _expected_cash_minor(uow: UnitOfWork, day: date, desk: str) -> int:
    total = uow.session.scalar(
        select(func.coalesce(func.sum(Payment.amount_minor), 0)).where(
            Payment.day == day, Payment.desk == desk, Payment.method == PaymentMethod.CASH.value
        )
    )
    return int(total or 0)


def takings(uow: UnitOfWork, day: date) -> Takings:
    currency = get_settings(uow).currency
    rows = uow.session.execute(
        select(Payment, Job.code, Invoice.number, User.login)
        .outerjoin(Job, Job.id == Payment.job_id)
        .join(User, User.id == Payment.user_id)
        .outerjoin(Invoice, Invoice.id == Payment.invoice_id)
        .where(Payment.day == day)
        .order_by(Payment.at, Payment.id)
    ).all()
    entries = tuple(
        TakingsEntry(
            at=payment.at,
            desk=payment.desk,
            method=PaymentMethod(payment.method),
            kind=PaymentKind(payment.kind),
            amount=from_minor(payment.amount_minor, payment.currency),
            job=code or "",
            document=(number if payment.kind != PaymentKind.DEPOSIT.value else None)
            or (payment.note if code is None else None),
            user=login,
        )
        for payment, code, number, login in rows
    )
    zero = from_minor(0, currency)
    groups: dict[tuple[str, PaymentMethod], list[TakingsEntry]] = {}
    for entry in entries:
        groups.setdefault((entry.desk, entry.method), []).append(entry)
    summary = tuple(
        TakingsRow(
            desk,
            method,
            sum((entry.amount for entry in group), zero),
            len(group),
            tuple(dict.fromkeys(entry.document or entry.job for entry in group)),
        )
        for (desk, method), group in sorted(groups.items())
    )
    by_method = {
        method: sum((row.total for row in summary if row.method is method), zero)
        for method in PaymentMethod
    }
    cash_ups = uow.session.execute(
        select(CashUp, User.login)
        .join(User, User.id == CashUp.user_id)
        .where(CashUp.day == day)
        .order_by(CashUp.id)
    ).all()
    return Takings(
        day=day,
        currency=currency,
        rows=summary,
        entries=entries,
        by_method=by_method,
        total=sum(by_method.values(), zero),
        cash_ups=tuple(_cash_up_view(row, login) for row, login in cash_ups),
    )


def _cash_up_view(row: CashUp, login: str) -> CashUpView:
    expected = from_minor(row.expected_minor, row.currency)
    counted = from_minor(row.counted_minor, row.currency)
    return CashUpView(
        row.day, row.desk, expected, counted, counted - expected, login, row.at, row.note
    )


@dataclass(frozen=True)
class CashedUp:
    view: CashUpView
    changes: Changes


def cash_up(
    uow: UnitOfWork, day: date, desk: str, counted: Decimal, actor: str, *, note: str = ""
) -> CashedUp:
    """Record the cash counted at ``desk`` at the end of ``day`` against what is expected."""
    user = get_user(uow, actor)
    require(user.role, Permission.CLOSE_DAY, user.display_name)
    if counted < 0:
        raise ValidationError(
            _("An amount cannot be negative: {value}.").format(value=counted), field="counted"
        )
    desk = check_desk(desk)
    currency = get_settings(uow).currency
    row = CashUp(
        day=day,
        desk=desk,
        currency=currency,
        expected_minor=_expected_cash_minor(uow, day, desk),
        counted_minor=to_minor(counted, currency),
        note=note.strip(),
        user_id=user.id,
        at=uow.now(),
    )
    uow.session.add(row)
    uow.flush()
    return CashedUp(_cash_up_view(row, user.login), Changes(kinds=frozenset({ChangeKind.TAKINGS})))


def takings_to_json(view: Takings) -> dict[str, object]:
    return {
        "date": view.day.isoformat(),
        "currency": view.currency,
        "total": str(view.total),
        "by_method": {method.value: str(amount) for method, amount in view.by_method.items()},
        "rows": [
            {
                "desk": row.desk,
                "method": row.method.value,
                "total": str(row.total),
                "count": row.count,
                "documents": list(row.documents),
            }
            for row in view.rows
        ],
        "payments": [
            {
                "at": entry.at.isoformat(),
                "desk": entry.desk,
                "method": entry.method.value,
                "kind": entry.kind.value,
                "amount": str(entry.amount),
                "job": entry.job,
                "document": entry.document,
                "user": entry.user,
            }
            for entry in view.entries
        ],
        "cash_ups": [
            {
                "desk": cash.desk,
                "expected": str(cash.expected),
                "counted": str(cash.counted),
                "difference": str(cash.difference),
                "user": cash.user,
                "at": cash.at.isoformat(),
                "note": cash.note,
            }
            for cash in view.cash_ups
        ],
    }


CSV_COLUMNS = (
    "date",
    "time_utc",
    "desk",
    "method",
    "kind",
    "amount",
    "currency",
    "job",
    "document",
    "user",
)


def takings_csv(view: Takings) -> str:
    """One payment a row for the accountant (amounts with a dot, times in UTC)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in view.entries:
        writer.writerow(
            (
                view.day.isoformat(),
                entry.at.strftime("%H:%M:%S"),
                entry.desk,
                entry.method.value,
                entry.kind.value,
                str(entry.amount),
                view.currency,
                entry.job,
                entry.document or "",
                entry.user,
            )
        )
    return out.getvalue()
