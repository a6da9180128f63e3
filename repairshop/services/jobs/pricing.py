"""What a job costs now, and the guard that keeps it within what the customer approved.

A job's price is the gross total of its lines (services and free-text lines) and its
parts (reserved, used or awaited), priced with VAT as the shop's country rounds it;
a job without any line yet costs its estimate, the figure the clerk set at intake.
The approved amount and the lines are rows about the job, so the guard lives here,
below the parts and money rooms that change them: each calls :func:`guard_price_rise`
after its change, and :func:`~.workflow.change_status` calls :func:`guard_start_of_repair`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from repairshop.db.tables import Job, JobLine, JobPart, Part
from repairshop.domain.approval import (
    approved_amount,
    check_price_approved,
    repair_started,
)
from repairshop.domain.statuses import JobStatus, JobType
from repairshop.domain.vat import LineInput, PricedDocument, price_document
from repairshop.services.shop.tax import TaxSettings, tax_settings
from repairshop.services.uow import UnitOfWork


def rate_from_basis_points(basis_points: int) -> Decimal:
    rate = Decimal(basis_points) / 100
    return rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate.normalize()


def basis_points(rate: Decimal) -> int:
    return int(rate * 100)


@dataclass(frozen=True)
class JobPrice:
    currency: str
    document: PricedDocument
    estimate_minor: int | None

    @property
    def has_lines(self) -> bool:
        return bool(self.document.lines)

    @property
    def price_minor(self) -> int | None:
        """The lines' total, or the clerk's estimate while the job has no line."""
        return self.document.gross if self.has_lines else self.estimate_minor


def job_line_inputs(uow: UnitOfWork, job: Job, tax: TaxSettings | None = None) -> list[LineInput]:
    """The job's lines as an invoice lists them: its services and text lines, then its parts.

    ``tax``: the shop's tax settings when the caller has read them already."""
    tax = tax if tax is not None else tax_settings(uow)
    inputs = [
        LineInput(
            line.description,
            line.quantity,
            line.unit_price_minor,
            rate_from_basis_points(line.vat_rate_bp),
            line.price_includes_vat,
        )
        for line in uow.session.scalars(
            select(JobLine).where(JobLine.job_id == job.id).order_by(JobLine.id)
        )
    ]
    parts = uow.session.execute(
        select(Part.name, Part.currency, JobPart.reserved, JobPart.used, JobPart.waiting)
        .join(Part, Part.id == JobPart.part_id)
        .add_columns(JobPart.price_minor)
        .where(JobPart.job_id == job.id)
        .order_by(JobPart.id)
    ).all()
    for name, currency, reserved, used, waiting, price_minor in parts:
        quantity = reserved + used + waiting
        if quantity and currency == job.currency:
            inputs.append(
                LineInput(name, quantity, price_minor, tax.default_rate, tax.prices_include_vat)
            )
    return inputs


def price_job(uow: UnitOfWork, job: Job) -> JobPrice:
    uow.flush()
    tax = tax_settings(uow)
    document = price_document(job_line_inputs(uow, job, tax), tax.rules(job.currency))
    return JobPrice(job.currency, document, job.estimate_minor)


def current_price_minor(uow: UnitOfWork, job: Job) -> int:
    return price_job(uow, job).price_minor or 0


def guard_price_rise(uow: UnitOfWork, job: Job, before_minor: int) -> None:
    """After a change: refuse it if it raised the price above the approved amount."""
    after = current_price_minor(uow, job)
    if after <= before_minor:
        return
    status = JobStatus(job.status)
    resume = JobStatus(job.resume_status) if job.resume_status else None
    check_price_approved(
        job.code,
        JobType(job.job_type),
        price_minor=after,
        approved_minor=approved_amount(job.approved_minor, job.preapproved_minor),
        currency=job.currency,
        required=repair_started(status, resume),
    )


def guard_start_of_repair(uow: UnitOfWork, job: Job) -> None:
    """Before the move into repair: the price must be approved (paid repairs and estimates)."""
    check_price_approved(
        job.code,
        JobType(job.job_type),
        price_minor=current_price_minor(uow, job),
        approved_minor=approved_amount(job.approved_minor, job.preapproved_minor),
        currency=job.currency,
        required=True,
    )
