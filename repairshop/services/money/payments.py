"""Money taken or paid back at a desk: deposits, and a cancelled job's deposit kept or refunded.

A deposit taken at intake (or added on the job card) is a ``deposit`` payment at the desk,
in the day's takings, with the intake receipt as its receipt; the bill at collection
deducts what is left of it. A cancelled job's deposit is either refunded (a negative
``refund`` payment) or kept as the diagnosis fee (a line on the job, so the document at
collection shows it), and either is an event in the job's history.
"""

from __future__ import annotations

import os
import socket

from sqlalchemy import func, select, text

from repairshop.db.tables import Job, JobLine, Payment, User
from repairshop.domain.money import from_minor
from repairshop.domain.payments import PaymentKind, PaymentMethod, Tender
from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.errors import ValidationError
from repairshop.i18n import N_, _, format_money, gettext_in, normalise_language
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.events import DepositChanged
from repairshop.services.jobs.pricing import basis_points
from repairshop.services.jobs.workflow import (
    JobChanged,
    job_changes,
    load_job,
    record_event,
    refuse_if_collected,
)
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.tax import tax_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

DESK_VARIABLE = "REPAIRSHOP_DESK"
MAX_DESK = 64
DIAGNOSIS_FEE = N_("Diagnosis fee")


def default_desk() -> str:
    """This workstation's desk name: ``REPAIRSHOP_DESK``, else the computer's name."""
    return (os.environ.get(DESK_VARIABLE) or socket.gethostname() or "").strip()[:MAX_DESK]


def check_desk(desk: str | None) -> str:
    return (desk or "").strip()[:MAX_DESK] or default_desk()


def takings_changes(job_id: int) -> Changes:
    return Changes(kinds=frozenset({ChangeKind.JOB, ChangeKind.TAKINGS}), job_ids=(job_id,))


def add_payment(
    uow: UnitOfWork,
    job: Job,
    user: User,
    kind: PaymentKind,
    tender: Tender,
    *,
    desk: str,
    invoice_id: int | None = None,
    tendered_minor: int | None = None,
    change_minor: int = 0,
    note: str = "",
) -> Payment:
    method, amount_minor = tender.method, tender.amount_minor
    payment = Payment(
        job_id=job.id,
        invoice_id=invoice_id,
        kind=kind.value,
        method=method.value,
        amount_minor=amount_minor,
        tendered_minor=amount_minor if tendered_minor is None else tendered_minor,
        change_minor=change_minor,
        currency=job.currency,
        at=uow.now(),
        day=shop_today(uow),
        desk=check_desk(desk),
        user_id=user.id,
        note=note,
    )
    uow.session.add(payment)
    return payment


def deposit_balance(uow: UnitOfWork, job_id: int) -> int:
    """The deposit still held for the job: deposits less refunds, not yet on a document."""
    uow.flush()
    total = uow.session.scalar(
        select(func.coalesce(func.sum(Payment.amount_minor), 0)).where(
            Payment.job_id == job_id,
            Payment.invoice_id.is_(None),
            Payment.kind.in_((PaymentKind.DEPOSIT.value, PaymentKind.REFUND.value)),
        )
    )
    return int(total or 0)


def record_deposit_change(uow: UnitOfWork, event: DepositChanged) -> Changes:
    """The handler of :class:`DepositChanged`: the difference as a cash deposit or refund."""
    difference = event.new_minor - event.old_minor
    if not difference:
        return Changes()
    job = uow.session.get(Job, event.job_id)
    assert job is not None
    user = get_user(uow, event.actor)
    kind = PaymentKind.DEPOSIT if difference > 0 else PaymentKind.REFUND
    tender = Tender(PaymentMethod(event.method), difference)
    add_payment(uow, job, user, kind, tender, desk=default_desk())
    return Changes(kinds=frozenset({ChangeKind.TAKINGS}), job_ids=(job.id,))


def settle_cancelled_deposit(
    uow: UnitOfWork,
    code: str,
    *,
    keep: bool,
    actor: str,
    method: PaymentMethod = PaymentMethod.CASH,
    desk: str = "",
) -> JobChanged:
    """A cancelled job's deposit: refunded to the customer, or kept as the diagnosis fee."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    refuse_if_collected(job)
    cancelled = job.status == JobStatus.CANCELLED.value or (
        job.status == JobStatus.READY.value and job.outcome == Outcome.RETURNED_UNREPAIRED.value
    )
    if not cancelled:
        raise ValidationError(
            _("Job {code} was not cancelled: its deposit is deducted at collection.").format(
                code=job.code
            )
        )
    held = deposit_balance(uow, job.id)
    if held <= 0:
        raise ValidationError(_("Job {code} holds no deposit.").format(code=job.code))
    amount = format_money(from_minor(held, job.currency), job.currency)
    if keep:
        tax = tax_settings(uow)
        language = normalise_language(job.customer.language)
        uow.session.add(
            JobLine(
                job_id=job.id,
                description=gettext_in(language, DIAGNOSIS_FEE),
                quantity=1,
                unit_price_minor=held,
                vat_rate_bp=basis_points(tax.default_rate),
                price_includes_vat=True,
                created_by_id=user.id,
                created_at=uow.now(),
            )
        )
        record_event(job, uow, user, "deposit", to_value="kept", note=amount)
    else:
        add_payment(
            uow,
            job,
            user,
            PaymentKind.REFUND,
            Tender(method, -held),
            desk=desk,
            note=_("deposit refunded"),
        )
        record_event(job, uow, user, "deposit", to_value="refunded", note=amount)
    uow.flush()
    return JobChanged(job.code, job.version, takings_changes(job.id) | job_changes(job))


def record_deposits_taken(uow: UnitOfWork) -> int:
    """Jobs still in the shop whose deposit has no payment yet (written in bulk, as demo data
    is) get a cash deposit on the day they were taken in, by whoever took them in."""
    day = "date(j.created_at)" if uow.dialect == "sqlite" else "j.created_at::date"
    result = uow.session.execute(
        text(
            "INSERT INTO payments (job_id, kind, method, amount_minor, tendered_minor,"
            " change_minor, currency, at, day, desk, user_id, note)"
            " SELECT j.id, :kind, :method, j.deposit_minor, j.deposit_minor, 0, j.currency,"
            f" j.created_at, {day}, '', j.created_by_id, ''"
            " FROM jobs j WHERE j.deposit_minor > 0 AND j.status <> :collected"
            " AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.job_id = j.id)"
        ),
        {
            "kind": PaymentKind.DEPOSIT.value,
            "method": PaymentMethod.CASH.value,
            "collected": JobStatus.COLLECTED.value,
        },
    )
    return int(getattr(result, "rowcount", 0) or 0)
