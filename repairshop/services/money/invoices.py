"""Documents issued at the counter: invoices, credit notes and handover documents.

A document is written once and never edited; a credit note corrects an invoice. Each
kind is numbered per calendar year from its own ``counters`` row (``invoice:2026``),
inserted when the year's first document is issued and bumped inside the transaction
that issues the document, like ticket codes: two desks issuing at the same moment get
consecutive numbers, and a refused action rolls its number back with everything else,
so no number is ever skipped or reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from repairshop.db.counters import next_value
from repairshop.db.tables import Invoice, InvoiceLine, Job, Payment, User
from repairshop.domain.money import from_minor
from repairshop.domain.payments import (
    DocumentKind,
    FreeReason,
    PaymentKind,
    PaymentMethod,
    Tender,
    document_number,
    normalise_document_number,
)
from repairshop.domain.roles import Permission, require
from repairshop.domain.vat import LineAmounts, round_cash
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _
from repairshop.services.jobs.pricing import basis_points, rate_from_basis_points
from repairshop.services.jobs.workflow import JobChanged, job_changes, record_event
from repairshop.services.money.lines import lines_json
from repairshop.services.money.payments import add_payment, check_desk, takings_changes
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.tax import tax_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


def next_sequence(uow: UnitOfWork, kind: DocumentKind, year: int) -> int:
    """The next number of ``kind`` in ``year``, taken inside this transaction."""
    return next_value(uow.session, f"{kind.value}:{year}", create=True)


def issue(
    uow: UnitOfWork,
    kind: DocumentKind,
    job: Job,
    user: User,
    lines: list[LineAmounts],
    **values: object,
) -> Invoice:
    """A new document of ``kind`` for ``job`` with its lines, numbered now."""
    today = shop_today(uow)
    sequence = next_sequence(uow, kind, today.year)
    fields: dict[str, object] = {
        "customer_name": job.customer.name,
        "customer_language": job.customer.language,
        **values,
    }
    fields["desk"] = check_desk(str(fields.get("desk") or ""))
    invoice = Invoice(
        number=document_number(kind, today.year, sequence),
        kind=kind.value,
        year=today.year,
        sequence=sequence,
        job_id=job.id,
        issued_at=uow.now(),
        issued_on=today,
        currency=job.currency,
        net_minor=sum(line.net for line in lines),
        vat_minor=sum(line.vat for line in lines),
        gross_minor=sum(line.gross for line in lines),
        created_by_id=user.id,
        **fields,
    )
    uow.session.add(invoice)
    uow.flush()
    for position, line in enumerate(lines, start=1):
        uow.session.add(
            InvoiceLine(
                invoice_id=invoice.id,
                position=position,
                description=line.description,
                quantity=line.quantity,
                unit_price_minor=line.unit_price_minor,
                vat_rate_bp=basis_points(line.vat_rate),
                price_includes_vat=line.price_includes_vat,
                net_minor=line.net,
                vat_minor=line.vat,
                gross_minor=line.gross,
            )
        )
    return invoice


@dataclass(frozen=True)
class DocumentLine:
    description: str
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal
    price_includes_vat: bool
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class RateSum:
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class PaidView:
    method: PaymentMethod
    amount: Decimal
    tendered: Decimal
    change: Decimal


@dataclass(frozen=True)
class InvoiceView:
    number: str
    kind: DocumentKind
    issued: date
    issued_at: datetime
    job: str
    customer: str
    language: str
    currency: str
    lines: tuple[DocumentLine, ...]
    vat_by_rate: tuple[RateSum, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal
    deposit: Decimal
    paid: tuple[PaidView, ...]
    due: Decimal
    """The gross less the deposit: what was to pay at collection (before cash rounding)."""
    rounding: Decimal
    change: Decimal
    reason: str
    """A handover document's :class:`FreeReason` key, or a credit note's reason."""
    collected_by: str
    collected_by_note: str
    warranty_until: date | None
    desk: str
    issued_by: str
    credits: str | None
    """The invoice a credit note corrects."""
    credited_by: str | None
    """The credit note that corrects this invoice, if any."""

    @property
    def free_reason(self) -> FreeReason | None:
        try:
            return FreeReason(self.reason) if self.kind is DocumentKind.HANDOVER else None
        except ValueError:
            return None


def _load(uow: UnitOfWork, number: str) -> Invoice:
    key = normalise_document_number(number)
    invoice = uow.session.scalar(
        select(Invoice)
        .where(Invoice.number == key)
        .options(selectinload(Invoice.lines), selectinload(Invoice.created_by))
    )
    if invoice is None:
        raise NotFound(_("There is no invoice {number}.").format(number=number.strip()))
    return invoice


def invoice_view(uow: UnitOfWork, invoice: Invoice) -> InvoiceView:
    currency = invoice.currency

    def money(minor: int) -> Decimal:
        return from_minor(minor, currency)

    job_code = uow.session.scalar(select(Job.code).where(Job.id == invoice.job_id))
    payments = uow.session.scalars(
        select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.id)
    ).all()
    credits = (
        None
        if invoice.credits_id is None
        else uow.session.scalar(select(Invoice.number).where(Invoice.id == invoice.credits_id))
    )
    credited_by = uow.session.scalar(select(Invoice.number).where(Invoice.credits_id == invoice.id))
    rates: dict[int, list[InvoiceLine]] = {}
    for line in invoice.lines:
        rates.setdefault(line.vat_rate_bp, []).append(line)
    return InvoiceView(
        number=invoice.number,
        kind=DocumentKind(invoice.kind),
        issued=invoice.issued_on,
        issued_at=invoice.issued_at,
        job=job_code or "",
        customer=invoice.customer_name,
        language=invoice.customer_language,
        currency=currency,
        lines=tuple(
            DocumentLine(
                line.description,
                line.quantity,
                money(line.unit_price_minor),
                rate_from_basis_points(line.vat_rate_bp),
                line.price_includes_vat,
                money(line.net_minor),
                money(line.vat_minor),
                money(line.gross_minor),
            )
            for line in invoice.lines
        ),
        vat_by_rate=tuple(
            RateSum(
                rate_from_basis_points(rate),
                money(sum(line.net_minor for line in lines)),
                money(sum(line.vat_minor for line in lines)),
                money(sum(line.gross_minor for line in lines)),
            )
            for rate, lines in sorted(rates.items())
        ),
        net=money(invoice.net_minor),
        vat=money(invoice.vat_minor),
        gross=money(invoice.gross_minor),
        deposit=money(invoice.deposit_minor),
        paid=tuple(
            PaidView(
                PaymentMethod(payment.method),
                money(payment.amount_minor),
                money(payment.tendered_minor),
                money(payment.change_minor),
            )
            for payment in payments
            if payment.kind != PaymentKind.DEPOSIT.value
        ),
        due=money(invoice.due_minor),
        rounding=money(invoice.rounding_minor),
        change=money(invoice.change_minor),
        reason=invoice.reason,
        collected_by=invoice.collected_by,
        collected_by_note=invoice.collected_by_note,
        warranty_until=invoice.warranty_until,
        desk=invoice.desk,
        issued_by=invoice.created_by.display_name,
        credits=credits,
        credited_by=credited_by,
    )


def show_invoice(uow: UnitOfWork, number: str) -> InvoiceView:
    return invoice_view(uow, _load(uow, number))


def job_documents(uow: UnitOfWork, job_id: int) -> list[InvoiceView]:
    """The documents issued for a job, oldest first."""
    invoices = uow.session.scalars(
        select(Invoice)
        .where(Invoice.job_id == job_id)
        .order_by(Invoice.id)
        .options(selectinload(Invoice.lines), selectinload(Invoice.created_by))
    ).all()
    return [invoice_view(uow, invoice) for invoice in invoices]


def invoice_to_json(view: InvoiceView) -> dict[str, object]:
    return {
        "number": view.number,
        "kind": view.kind.value,
        "issued": view.issued.isoformat(),
        "job": view.job,
        "customer": view.customer,
        "currency": view.currency,
        **lines_json(view.lines, view.vat_by_rate),
        "net": str(view.net),
        "vat": str(view.vat),
        "gross": str(view.gross),
        "deposit": str(view.deposit),
        "paid": [{"method": paid.method.value, "amount": str(paid.amount)} for paid in view.paid],
        "due": str(view.due),
        "rounding": str(view.rounding),
        "change": str(view.change),
        "reason": view.reason,
        "collected_by": view.collected_by or None,
        "warranty_until": None if view.warranty_until is None else view.warranty_until.isoformat(),
        "desk": view.desk,
        "issued_by": view.issued_by,
        "credits": view.credits,
        "credited_by": view.credited_by,
    }


@dataclass(frozen=True)
class Credited:
    number: str
    job: JobChanged


def credit_invoice(
    uow: UnitOfWork,
    number: str,
    reason: str,
    actor: str,
    *,
    refund: PaymentMethod | None = None,
    desk: str = "",
) -> Credited:
    """A credit note for the whole of an invoice; with ``refund``, the money paid back."""
    user = get_user(uow, actor)
    require(user.role, Permission.CREDIT_INVOICE, user.display_name)
    original = _load(uow, number)
    if original.kind != DocumentKind.INVOICE.value:
        raise ValidationError(
            _("{number} is not an invoice; only an invoice can be credited.").format(
                number=original.number
            )
        )
    if not reason.strip():
        raise ValidationError(_("A credit note needs a reason."), field="reason")
    already = uow.session.scalar(select(Invoice.number).where(Invoice.credits_id == original.id))
    if already is not None:
        raise ValidationError(
            _("Invoice {number} was already credited by {credit}.").format(
                number=original.number, credit=already
            )
        )
    job = uow.session.get(Job, original.job_id)
    assert job is not None
    lines = [
        LineAmounts(
            line.description,
            line.quantity,
            -line.unit_price_minor,
            rate_from_basis_points(line.vat_rate_bp),
            line.price_includes_vat,
            -line.net_minor,
            -line.vat_minor,
            -line.gross_minor,
        )
        for line in original.lines
    ]
    back = -original.gross_minor
    rounding = 0
    if refund is PaymentMethod.CASH:
        rules = tax_settings(uow).rules(job.currency)
        rounded = round_cash(back, rules)
        rounding, back = rounded - back, rounded
    credit = issue(
        uow,
        DocumentKind.CREDIT_NOTE,
        job,
        user,
        lines,
        credits_id=original.id,
        deposit_minor=0,
        due_minor=-original.gross_minor,
        rounding_minor=rounding,
        change_minor=0,
        reason=reason.strip(),
        collected_by="",
        collected_by_note="",
        warranty_until=None,
        desk=desk,
        customer_name=original.customer_name,
        customer_language=original.customer_language,
    )
    if refund is not None and back:
        add_payment(
            uow,
            job,
            user,
            PaymentKind.REFUND,
            Tender(refund, back),
            desk=desk,
            invoice_id=credit.id,
        )
    record_event(
        job,
        uow,
        user,
        "credit_note",
        from_value=original.number,
        to_value=credit.number,
        note=reason.strip(),
    )
    uow.flush()
    return Credited(
        credit.number, JobChanged(job.code, job.version, takings_changes(job.id) | job_changes(job))
    )
