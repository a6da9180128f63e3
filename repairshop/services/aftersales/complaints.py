"""Complaints: opened about an earlier job, counted down to their legal deadline, decided.

A complaint is a job of the type ``complaint`` linked to the job it is about; intake (the
jobs room) opens it and fixes its deadlines from the shop's rules the day it is received
(:mod:`repairshop.services.jobs.complaint_facts`). Here a complaint is opened straight from
the original job, decided (accepted with a remedy, or rejected with the reason), and listed
by deadline: every list, the dashboard and the reports count "due" and "overdue" with the
same rule (:mod:`repairshop.domain.complaints`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from repairshop.db.tables import Complaint, Customer, Device, Job
from repairshop.domain.complaints import ComplaintOutcome, Remedy, days_left
from repairshop.domain.roles import Permission, require
from repairshop.domain.statuses import JobStatus, JobType
from repairshop.errors import ValidationError
from repairshop.i18n import _, format_day
from repairshop.services.jobs.complaint_facts import complained_job
from repairshop.services.jobs.intake import (
    CustomerInput,
    DeviceInput,
    IntakeRequest,
    IntakeResult,
    intake,
)
from repairshop.services.jobs.workflow import JobChanged, job_changes, load_job, record_event
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


def open_complaint(
    uow: UnitOfWork,
    original_code: str,
    actor: str,
    *,
    fault: str | None = None,
    remedy: Remedy | None = None,
) -> IntakeResult:
    """Open a complaint about job ``original_code``: same customer and device, its deadline
    counted from today; the fault defaults to the one the original job repaired."""
    original = complained_job(uow, original_code)
    customer, device = original.customer, original.device
    request = IntakeRequest(
        customer=CustomerInput(
            name=customer.name,
            phone=customer.phone,
            email=customer.email,
            language=customer.language,
            consent_to_contact=customer.consent_to_contact,
        ),
        customer_id=customer.id,
        device=DeviceInput(
            type=device.device_type,
            brand=device.brand,
            model=device.model,
            serial=device.serial,
            imei=device.imei,
            colour=device.colour,
            sold_by_us=device.sold_by_us,
        ),
        fault=fault if fault is not None and fault.strip() else original.fault,
        job_type=JobType.COMPLAINT.value,
        purchase_date=original.purchase_date,
        proof_of_purchase=original.proof_of_purchase,
        complaint_of=original.code,
        remedy=remedy.value if remedy else None,
    )
    return intake(uow, request, actor)


def decide_complaint(
    uow: UnitOfWork,
    code: str,
    outcome: ComplaintOutcome,
    actor: str,
    *,
    reason: str,
    remedy: Remedy | None = None,
) -> JobChanged:
    """Record the decision: accepted with how it is settled (the remedy asked unless another
    is given), or rejected with the reason. A complaint is decided once."""
    user = get_user(uow, actor)
    require(user.role, Permission.DECIDE_COMPLAINT, user.display_name)
    job = load_job(uow, code)
    complaint = job.complaint
    if complaint is None:
        raise ValidationError(
            _("Job {code} is not a complaint about another job.").format(code=job.code)
        )
    if complaint.decided_on is not None:
        raise ValidationError(
            _("The complaint {code} was already decided on {date}.").format(
                code=job.code, date=format_day(complaint.decided_on)
            )
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Give the reason for the decision (--reason): the customer reads it."),
            field="reason",
        )
    if outcome is ComplaintOutcome.REJECTED:
        if remedy is not None:
            raise ValidationError(
                _("A rejected complaint is not settled with a remedy."), field="remedy"
            )
        settled = None
    else:
        settled = remedy or (Remedy(complaint.remedy) if complaint.remedy else None)
        if settled is None:
            raise ValidationError(
                _("Say how the accepted complaint is settled: {keys}.").format(
                    keys=", ".join(item.value for item in Remedy)
                ),
                field="remedy",
            )
    complaint.decided_at = uow.now()
    complaint.decided_on = shop_today(uow)
    complaint.outcome = outcome.value
    complaint.settled_by = settled.value if settled else None
    complaint.reason = reason
    complaint.decided_by = user
    record_event(
        job,
        uow,
        user,
        "complaint",
        to_value=outcome.value if settled is None else f"{outcome.value} {settled.value}",
        note=reason,
    )
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


@dataclass(frozen=True)
class ComplaintRow:
    """One complaint in a list, with its countdown."""

    code: str
    of: str
    status: JobStatus
    customer_name: str
    device: str
    received: date
    remedy: Remedy | None
    decide_by: date
    reply_by: date | None
    first_due: date
    decided_on: date | None
    outcome: ComplaintOutcome | None
    days_left: int | None
    """Until the first deadline, for an open complaint; negative once overdue."""

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def list_complaints(
    uow: UnitOfWork,
    *,
    overdue: bool = False,
    due_within: int | None = None,
    open_only: bool = False,
) -> list[ComplaintRow]:
    """Complaints by their first deadline, the most urgent first.

    ``overdue``: open ones past their deadline; ``due_within``: open ones whose deadline
    is at most that many days away (overdue ones included); ``open_only``: every open one.
    """
    original = aliased(Job)
    statement = (
        select(Complaint, Job, original.code, Customer.name, Device.brand, Device.model)
        .join(Job, Job.id == Complaint.job_id)
        .join(original, original.id == Job.complaint_of_id)
        .join(Customer, Customer.id == Job.customer_id)
        .join(Device, Device.id == Job.device_id)
    )
    today = shop_today(uow)
    if overdue or due_within is not None or open_only:
        statement = statement.where(Complaint.decided_at.is_(None))
    if overdue:
        statement = statement.where(Complaint.first_due < today)
    elif due_within is not None:
        statement = statement.where(Complaint.first_due <= today + timedelta(days=due_within))
    statement = statement.order_by(
        Complaint.decided_at.is_not(None), Complaint.first_due, Complaint.id
    )
    rows: list[ComplaintRow] = []
    for complaint, job, of_code, customer, brand, model in uow.session.execute(statement):
        open_ = complaint.decided_on is None
        rows.append(
            ComplaintRow(
                code=job.code,
                of=of_code,
                status=JobStatus(job.status),
                customer_name=customer,
                device=f"{brand} {model}".strip(),
                received=complaint.received,
                remedy=Remedy(complaint.remedy) if complaint.remedy else None,
                decide_by=complaint.decide_by,
                reply_by=complaint.reply_by,
                first_due=complaint.first_due,
                decided_on=complaint.decided_on,
                outcome=ComplaintOutcome(complaint.outcome) if complaint.outcome else None,
                days_left=days_left(complaint.first_due, today) if open_ else None,
            )
        )
    return rows


def count_due(uow: UnitOfWork, within_days: int) -> int:
    """Open complaints whose deadline is at most ``within_days`` away, overdue ones included:
    the dashboard's "complaints due in 3 days"."""
    limit = shop_today(uow) + timedelta(days=within_days)
    return int(
        uow.session.scalar(
            select(func.count(Complaint.id)).where(
                Complaint.decided_at.is_(None), Complaint.first_due <= limit
            )
        )
        or 0
    )
