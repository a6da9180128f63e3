"""The loaner pool: devices the shop lends while a customer's own is in repair.

A loaner is lent to a job (at intake or later) with a due day, a deposit and its condition,
and comes back before the job is collected: :func:`~.evidence_store.guard_collection`
refuses the collection while it is out. Overdue loans show on the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from repairshop.db.tables import Job, Loan, Loaner
from repairshop.domain.money import from_minor, to_minor
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.evidence_store import LoanRequest, find_loaner, lend_to
from repairshop.services.jobs.workflow import (
    JobChanged,
    job_changes,
    load_job,
    record_event,
    refuse_if_collected,
)
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


@dataclass(frozen=True)
class LoanerRow:
    label: str
    name: str
    serial: str
    deposit: Decimal
    currency: str
    active: bool
    job: str | None
    """The job it is out with, if it is out."""
    customer: str | None
    due: date | None
    lent_at: datetime | None
    overdue: bool


def add_loaner(
    uow: UnitOfWork,
    label: str,
    name: str,
    actor: str,
    *,
    serial: str = "",
    deposit: Decimal | None = None,
    notes: str = "",
) -> Changes:
    get_user(uow, actor)
    key = label.strip().upper()
    if not key or len(key) > 20 or not all(c.isalnum() or c in "-_" for c in key):
        raise ValidationError(_("A loaner's label is 1–20 letters, digits, - or _."), field="label")
    if not name.strip():
        raise ValidationError(_("“{field}” is required.").format(field="name"), field="name")
    if uow.session.scalar(select(Loaner.id).where(Loaner.label == key)) is not None:
        raise ValidationError(
            _("There is already a loaner “{label}”.").format(label=key), field="label"
        )
    currency = get_settings(uow).currency
    if deposit is not None and deposit < 0:
        raise ValidationError(_("A deposit cannot be negative."), field="deposit")
    uow.session.add(
        Loaner(
            label=key,
            name=name.strip()[:200],
            serial=serial.strip()[:100],
            deposit_minor=to_minor(deposit, currency) if deposit is not None else 0,
            notes=notes.strip(),
            active=True,
            created_at=uow.now(),
        )
    )
    uow.flush()
    return Changes(kinds=frozenset({ChangeKind.JOB}))


def list_loaners(uow: UnitOfWork, *, overdue_only: bool = False) -> list[LoanerRow]:
    today = shop_today(uow)
    currency = get_settings(uow).currency
    out = {
        loan.loaner_id: loan
        for loan in uow.session.scalars(
            select(Loan)
            .where(Loan.returned_at.is_(None))
            .options(joinedload(Loan.job).joinedload(Job.customer))
        )
    }
    rows = []
    for loaner in uow.session.scalars(select(Loaner).order_by(Loaner.label)):
        loan = out.get(loaner.id)
        overdue = loan is not None and loan.due < today
        if overdue_only and not overdue:
            continue
        rows.append(
            LoanerRow(
                loaner.label,
                loaner.name,
                loaner.serial,
                from_minor(loaner.deposit_minor, currency),
                currency,
                loaner.active,
                loan.job.code if loan else None,
                loan.job.customer.name if loan else None,
                loan.due if loan else None,
                loan.lent_at if loan else None,
                overdue,
            )
        )
    return rows


def overdue_count(uow: UnitOfWork) -> int:
    return len(list_loaners(uow, overdue_only=True))


def lend(
    uow: UnitOfWork,
    code: str,
    label: str,
    actor: str,
    *,
    due: date | None = None,
    deposit: Decimal | None = None,
    condition: str = "",
) -> JobChanged:
    """Lend loaner ``label`` to job ``code`` until ``due`` (by default the promised day)."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    refuse_if_collected(job)
    loan = lend_to(
        uow,
        job,
        user,
        LoanRequest(
            label,
            due=due,
            deposit=deposit,
            condition=condition,
        ),
    )
    record_event(job, uow, user, "loaner", to_value=loan.loaner.label, note="lent")
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


def return_loaner(uow: UnitOfWork, label: str, actor: str, *, condition: str = "") -> JobChanged:
    """The loaner has come back (with its condition): its job may be collected."""
    user = get_user(uow, actor)
    loaner = find_loaner(uow, label)
    loan = uow.session.scalar(
        select(Loan).where(Loan.loaner_id == loaner.id, Loan.returned_at.is_(None)).limit(1)
    )
    if loan is None:
        raise ValidationError(
            _("Loaner {label} is not out.").format(label=loaner.label), field="loaner"
        )
    loan.returned_at = uow.now()
    loan.returned_by_id = user.id
    loan.condition_in = condition.strip()
    job = load_job(uow, loan.job.code)
    record_event(job, uow, user, "loaner", to_value=loaner.label, note="returned")
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))
