"""Collection at the counter: the bill, the payments, the document, the job collected.

:func:`bill` is what the Collect dialog shows: the job's lines with VAT per rate, the
deposit still held, what is due and what that comes to in cash. :func:`collect` does it
all in one transaction: it issues the invoice (or, when the customer pays nothing, a
handover document that says why), records the payments with the cash rounding and the
change, puts the deposit on the document and moves the job to ``collected``. When the
payments do not cover what is due it is refused and nothing changes, not even the
invoice counter.

A paid repair costs its lines; one without any line costs its estimate, shown as a
single line. Warranty claims and complaints cost the customer nothing, and neither does
a job returned unrepaired without a line (a kept deposit is its diagnosis-fee line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from repairshop.db.tables import Job, Payment
from repairshop.domain.codes import normalise_ticket_code
from repairshop.domain.money import from_minor, to_minor
from repairshop.domain.payments import (
    DocumentKind,
    FreeReason,
    PaymentKind,
    PaymentMethod,
    Settlement,
    Tender,
    settle,
)
from repairshop.domain.statuses import JobStatus, JobType, Outcome
from repairshop.domain.vat import LineInput, PricedDocument, price_document, round_cash
from repairshop.i18n import N_, gettext_in, normalise_language
from repairshop.services.changes import Changes
from repairshop.services.jobs.evidence_store import store_signature
from repairshop.services.jobs.pricing import job_line_inputs
from repairshop.services.jobs.workflow import (
    check_collectable,
    check_version,
    hand_over,
    load_job,
    record_event,
)
from repairshop.services.money.invoices import issue
from repairshop.services.money.lines import JobLinesView, lines_view
from repairshop.services.money.payments import (
    add_payment,
    deposit_balance,
    settle_cancelled_deposit,
    takings_changes,
)
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.settings import get_rules
from repairshop.services.shop.tax import tax_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

ESTIMATE_LINE = N_("Repair of {device}")


@dataclass(frozen=True)
class PaymentInput:
    method: PaymentMethod
    amount: Decimal
    """What the customer hands over in this method (cash: before change)."""


@dataclass(frozen=True)
class CollectRequest:
    payments: tuple[PaymentInput, ...] = ()
    collected_by: str = ""
    """Empty: the customer; else the name of the person who takes the device."""
    id_note: str = ""
    """For a third person: the ID shown (kind and number)."""
    desk: str = ""
    expected_version: int | None = None
    keep_deposit: bool = False
    """A job returned unrepaired: keep its deposit as the diagnosis fee (else it goes back)."""
    signature: tuple[tuple[tuple[float, float], ...], ...] = ()
    """The customer's signature drawn on the screen at collection (strokes scaled to 0…1);
    empty: signed on paper, or not at all."""
    signature_aspect: float = 3.0
    signer: str = ""
    """Who signed; by default who takes the device (else the customer)."""


@dataclass(frozen=True)
class Bill:
    code: str
    job_id: int
    version: int
    status: JobStatus
    customer: str
    language: str
    kind: DocumentKind
    """An invoice, or a handover document when the customer pays nothing."""
    free_reason: FreeReason | None
    lines: JobLinesView
    gross: Decimal
    deposit: Decimal
    due: Decimal
    """Gross less deposit; negative: the shop pays the rest of the deposit back."""
    cash_due: Decimal
    """What ``due`` comes to when paid all in cash (the country's cash rounding)."""
    currency: str
    collectable: bool
    """Only a job that is ready can be collected."""
    deposit_keepable: bool = False
    """Returned unrepaired with a deposit held: it may be kept as the diagnosis fee."""


@dataclass(frozen=True)
class _Priced:
    kind: DocumentKind
    reason: FreeReason | None
    document: PricedDocument


def _free_reason(job: Job) -> FreeReason | None:
    job_type = JobType(job.job_type)
    if job_type is JobType.WARRANTY_CLAIM:
        return FreeReason.WARRANTY
    if job_type is JobType.COMPLAINT:
        return FreeReason.COMPLAINT
    return None


def _price(uow: UnitOfWork, job: Job) -> _Priced:
    tax = tax_settings(uow)
    rules = tax.rules(job.currency)
    free = _free_reason(job)
    inputs: list[LineInput] = [] if free else job_line_inputs(uow, job)
    unrepaired = job.outcome == Outcome.RETURNED_UNREPAIRED.value
    if not free and not inputs and job.estimate_minor and not unrepaired:
        language = normalise_language(job.customer.language)
        device = f"{job.device.brand} {job.device.model}".strip()
        inputs = [
            LineInput(
                gettext_in(language, ESTIMATE_LINE).format(device=device),
                1,
                job.estimate_minor,
                tax.default_rate,
                True,
            )
        ]
    document = price_document(inputs, rules)
    if document.gross > 0:
        return _Priced(DocumentKind.INVOICE, None, document)
    if free is None:
        free = FreeReason.UNREPAIRED if unrepaired else FreeReason.NO_CHARGE
    return _Priced(DocumentKind.HANDOVER, free, price_document([], rules))


def bill(uow: UnitOfWork, code: str) -> Bill:
    """What the customer pays to collect the job, as the Collect dialog shows it."""
    job = load_job(uow, code)
    priced = _price(uow, job)
    deposit = deposit_balance(uow, job.id)
    due = priced.document.gross - deposit
    rules = tax_settings(uow).rules(job.currency)

    def money(minor: int) -> Decimal:
        return from_minor(minor, job.currency)

    return Bill(
        code=job.code,
        job_id=job.id,
        version=job.version,
        status=JobStatus(job.status),
        customer=job.customer.name,
        language=job.customer.language,
        kind=priced.kind,
        free_reason=priced.reason,
        lines=lines_view(job, priced.document),
        gross=money(priced.document.gross),
        deposit=money(deposit),
        due=money(due),
        cash_due=money(round_cash(due, rules)),
        currency=job.currency,
        collectable=job.status == JobStatus.READY.value,
        deposit_keepable=deposit > 0 and job.outcome == Outcome.RETURNED_UNREPAIRED.value,
    )


@dataclass(frozen=True)
class Collected:
    code: str
    number: str
    kind: DocumentKind
    settlement: Settlement
    currency: str
    changes: Changes

    @property
    def change(self) -> Decimal:
        return from_minor(self.settlement.change_minor, self.currency)


def _warranty_until(uow: UnitOfWork, job: Job, kind: DocumentKind, today: date) -> date | None:
    if kind is not DocumentKind.INVOICE or job.outcome == Outcome.RETURNED_UNREPAIRED.value:
        return None
    days = get_rules(uow).repair_days
    return today + timedelta(days=days) if days else None


def collect(uow: UnitOfWork, code: str, request: CollectRequest, actor: str) -> Collected:
    """Issue the document, take the payments and hand the device over, or change nothing."""
    user = get_user(uow, actor)
    # Lock the job's row before reading it: another desk collecting it at the same moment
    # is then seen as having collected it, never as ready.
    uow.session.execute(
        select(Job.id).where(Job.code == normalise_ticket_code(code)).with_for_update()
    )
    job = load_job(uow, code)
    check_version(job, request.expected_version)
    if request.keep_deposit:
        settle_cancelled_deposit(uow, job.code, keep=True, actor=user.login)
    priced = _price(uow, job)
    deposit = deposit_balance(uow, job.id)
    due = priced.document.gross - deposit
    rules = tax_settings(uow).rules(job.currency)
    tenders = [
        Tender(payment.method, to_minor(payment.amount, job.currency))
        for payment in request.payments
    ]
    check_collectable(job)
    settlement = settle(due, tenders, rules, job.currency)
    collected_by = " ".join(request.collected_by.split())[:200]
    invoice = issue(
        uow,
        priced.kind,
        job,
        user,
        list(priced.document.lines),
        deposit_minor=deposit,
        due_minor=due,
        rounding_minor=settlement.rounding_minor,
        change_minor=settlement.change_minor,
        reason=priced.reason.value if priced.reason else "",
        collected_by=collected_by,
        collected_by_note=" ".join(request.id_note.split())[:200] if collected_by else "",
        warranty_until=_warranty_until(uow, job, priced.kind, shop_today(uow)),
        desk=request.desk,
    )
    changed = hand_over(uow, job.code, invoice, user.login)
    uow.session.execute(
        update(Payment)
        .where(Payment.job_id == job.id, Payment.invoice_id.is_(None))
        .values(invoice_id=invoice.id)
    )
    for tender in settlement.paid:
        cash = tender.method is PaymentMethod.CASH
        add_payment(
            uow,
            job,
            user,
            PaymentKind.PAYMENT if tender.amount_minor > 0 else PaymentKind.REFUND,
            tender,
            desk=request.desk,
            invoice_id=invoice.id,
            tendered_minor=(
                settlement.tendered_cash_minor if cash and tender.amount_minor > 0 else None
            ),
            change_minor=settlement.change_minor if cash else 0,
        )
    record_event(job, uow, user, priced.kind.value, to_value=invoice.number, note=collected_by)
    if request.signature:
        signed = store_signature(
            uow,
            job,
            user,
            "collection",
            request.signature,
            signer=request.signer or collected_by,
            aspect=request.signature_aspect,
        )
        record_event(job, uow, user, "signed", to_value="collection", note=signed.signer)
    uow.flush()
    return Collected(
        job.code,
        invoice.number,
        priced.kind,
        settlement,
        job.currency,
        changed.changes | takings_changes(job.id),
    )
