"""What a job's card shows about money: its lines, the price now, and the approval.

One read for the card's Money panel: the lines as an invoice lists them, the job's
price now, what the customer approved (the last approval, else the amount pre-approved
at intake) and where the price stands against it, and the services of the price list
that fit the job's device.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from repairshop.db.tables import Invoice
from repairshop.domain.approval import ApprovalState, approval_state, approved_amount
from repairshop.domain.money import from_minor
from repairshop.domain.statuses import JobStatus, JobType, is_editable
from repairshop.services.jobs.pricing import price_job
from repairshop.services.jobs.views import ApprovalView, approval_view
from repairshop.services.jobs.workflow import load_job_row
from repairshop.services.money.lines import JobLinesView, lines_view
from repairshop.services.money.price_list import ServiceView, list_services
from repairshop.services.uow import UnitOfWork


@dataclass(frozen=True)
class JobMoney:
    job_id: int
    lines: JobLinesView
    price: Decimal | None
    """What the job costs now: its lines' total, else the estimate."""
    approved: Decimal | None
    """What the customer agreed to pay: the last approval, else the intake pre-approval."""
    approval: ApprovalView | None
    """The last approval recorded (``None``: only the pre-approval, or nothing)."""
    state: ApprovalState
    closed: bool
    """Collected: nothing more can be added or approved."""
    services: tuple[ServiceView, ...]
    """The services of the price list for the job's device, in its currency."""
    ready: bool = False
    """Ready for collection: the card offers Collect."""
    documents: tuple[str, ...] = ()
    """The numbers of the documents issued for the job (invoice, handover, credit notes)."""

    @property
    def currency(self) -> str:
        return self.lines.currency


def job_money(uow: UnitOfWork, code: str) -> JobMoney:
    job = load_job_row(uow, code)
    priced = price_job(uow, job)
    price_minor = priced.price_minor
    approved_minor = approved_amount(job.approved_minor, job.preapproved_minor)
    currency = job.currency
    services = list_services(uow, device_type=job.device.device_type, brand=job.device.brand)
    return JobMoney(
        job_id=job.id,
        lines=lines_view(job, priced.document),
        price=None if price_minor is None else from_minor(price_minor, currency),
        approved=None if approved_minor is None else from_minor(approved_minor, currency),
        approval=approval_view(job),
        state=approval_state(JobType(job.job_type), price_minor, approved_minor),
        closed=not is_editable(JobStatus(job.status)),
        services=tuple(service for service in services if service.currency == currency),
        ready=job.status == JobStatus.READY.value,
        documents=tuple(
            uow.session.scalars(
                select(Invoice.number).where(Invoice.job_id == job.id).order_by(Invoice.id)
            )
        ),
    )
