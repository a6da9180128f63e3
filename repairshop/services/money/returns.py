"""Money paid back for goods a customer returned (the handler of ``CustomerReturnRefunded``).

With the invoice the goods were sold on, the refund is a credit note on that invoice for
the amount paid back (one line, at the VAT rate of the invoice's line for the item, else
the shop's default rate) and a refund payment against it, made the way the invoice was
paid. Without an invoice it is a refund payment alone, tied to no job, in the day's
takings like any other.
"""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy import func, select

from repairshop.db.tables import Invoice, Job, Payment
from repairshop.domain.money import from_minor
from repairshop.domain.payments import (
    DocumentKind,
    PaymentKind,
    PaymentMethod,
    Tender,
    parse_payment_method,
)
from repairshop.domain.roles import Permission, require
from repairshop.domain.vat import LineAmounts, round_cash, round_half_up
from repairshop.errors import ValidationError
from repairshop.i18n import _, format_money
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.events import CustomerReturnRefunded
from repairshop.services.jobs.pricing import rate_from_basis_points
from repairshop.services.jobs.workflow import record_event
from repairshop.services.money.invoices import issue
from repairshop.services.money.payments import add_payment, check_desk
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.tax import tax_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


def _method(
    uow: UnitOfWork, event: CustomerReturnRefunded, invoice: Invoice | None
) -> PaymentMethod:
    if event.method:
        return parse_payment_method(event.method)
    if invoice is not None:
        paid = uow.session.scalar(
            select(Payment.method)
            .where(Payment.invoice_id == invoice.id, Payment.kind == PaymentKind.PAYMENT.value)
            .order_by(Payment.amount_minor.desc(), Payment.id)
            .limit(1)
        )
        if paid:
            return PaymentMethod(paid)
    return PaymentMethod.CASH


def refund_customer_return(uow: UnitOfWork, event: CustomerReturnRefunded) -> Changes:
    user = get_user(uow, event.actor)
    require(user.role, Permission.CREDIT_INVOICE, user.display_name)
    invoice = uow.session.get(Invoice, event.invoice_id) if event.invoice_id else None
    method = _method(uow, event, invoice)
    amount = event.amount_minor
    if invoice is None:
        back = -amount
        if method is PaymentMethod.CASH:
            back = round_cash(back, tax_settings(uow).rules(get_settings(uow).currency))
        uow.session.add(
            Payment(
                job_id=None,
                invoice_id=None,
                kind=PaymentKind.REFUND.value,
                method=method.value,
                amount_minor=back,
                tendered_minor=back,
                change_minor=0,
                currency=get_settings(uow).currency,
                at=uow.now(),
                day=shop_today(uow),
                desk=check_desk(event.desk),
                user_id=user.id,
                note=event.number,
            )
        )
        uow.flush()
        return Changes(kinds=frozenset({ChangeKind.TAKINGS}))
    credited = -int(
        uow.session.scalar(
            select(func.coalesce(func.sum(Invoice.gross_minor), 0)).where(
                Invoice.credits_id == invoice.id
            )
        )
        or 0
    )
    if amount > invoice.gross_minor - credited:
        raise ValidationError(
            _("Invoice {number} leaves {left} to credit; {amount} is more.").format(
                number=invoice.number,
                left=format_money(
                    from_minor(invoice.gross_minor - credited, invoice.currency), invoice.currency
                ),
                amount=format_money(from_minor(amount, invoice.currency), invoice.currency),
            ),
            field="amount",
        )
    job = uow.session.get(Job, invoice.job_id)
    assert job is not None
    tax = tax_settings(uow)
    rules = tax.rules(invoice.currency)
    name = event.item_name.strip().lower()
    rate_bp = next(
        (line.vat_rate_bp for line in invoice.lines if name and name in line.description.lower()),
        None,
    )
    rate = rate_from_basis_points(rate_bp) if rate_bp is not None else tax.default_rate
    share = Fraction(rate) / 100
    vat = round_half_up(amount * share / (1 + share), rules.amount_step)
    line = LineAmounts(event.description, 1, -amount, rate, True, -(amount - vat), -vat, -amount)
    back = -amount
    rounding = 0
    if method is PaymentMethod.CASH:
        rounded = round_cash(back, rules)
        rounding, back = rounded - back, rounded
    credit = issue(
        uow,
        DocumentKind.CREDIT_NOTE,
        job,
        user,
        [line],
        credits_id=invoice.id,
        deposit_minor=0,
        due_minor=-amount,
        rounding_minor=rounding,
        change_minor=0,
        reason=_("Goods returned: {number}").format(number=event.number),
        collected_by="",
        collected_by_note="",
        warranty_until=None,
        desk=event.desk,
        customer_name=invoice.customer_name,
        customer_language=invoice.customer_language,
    )
    add_payment(
        uow,
        job,
        user,
        PaymentKind.REFUND,
        Tender(method, back),
        desk=event.desk,
        invoice_id=credit.id,
    )
    record_event(
        job,
        uow,
        user,
        "credit_note",
        from_value=invoice.number,
        to_value=credit.number,
        note=event.number,
    )
    uow.flush()
    return Changes(
        kinds=frozenset({ChangeKind.TAKINGS, ChangeKind.JOB}),
        job_ids=(job.id,),
        extra={"refund_document": credit.number},
    )
