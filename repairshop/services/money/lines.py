"""A job's lines: services from the price list, free-text lines, and the parts on the job.

Each line has a quantity, a unit price (entered with or without VAT) and a VAT rate;
the job's lines are priced as one document (net, VAT and gross per line, VAT per rate,
the total), the same document an invoice is made from. Adding a line never rewrites
the estimate, and a line that takes the price above what the customer approved is
refused until a new approval covers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select

from repairshop.db.tables import Job, JobLine
from repairshop.domain.money import from_minor, to_minor
from repairshop.domain.vat import PricedDocument
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.jobs.permissions import require_price_change
from repairshop.services.jobs.pricing import (
    basis_points,
    current_price_minor,
    guard_price_rise,
    price_job,
    rate_from_basis_points,
)
from repairshop.services.jobs.workflow import (
    JobChanged,
    job_changes,
    load_job,
    record_event,
    refuse_if_collected,
)
from repairshop.services.money.price_list import fits_device, get_service
from repairshop.services.parts.stock import parse_quantity
from repairshop.services.shop.tax import tax_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

MAX_LINE_TEXT = 500


@dataclass(frozen=True)
class LineRequest:
    """A service from the price list (``service``), or a free-text line with its price."""

    service: str | None = None
    text: str | None = None
    price: Decimal | None = None
    quantity: int = 1
    vat_rate: Decimal | None = None
    """``None``: the service's own rate, else the shop's default rate."""


def _load_for_update(uow: UnitOfWork, code: str) -> Job:
    job = load_job(uow, code)
    uow.session.execute(select(Job.id).where(Job.id == job.id).with_for_update())
    return job


def add_line(uow: UnitOfWork, code: str, request: LineRequest, actor: str) -> JobChanged:
    """Put a service or a text line on the job (an event in its history)."""
    require_price_change(uow, code, actor)
    user = get_user(uow, actor)
    job = _load_for_update(uow, code)
    refuse_if_collected(job)
    quantity = parse_quantity(request.quantity)
    tax = tax_settings(uow)
    before = current_price_minor(uow, job)
    if request.service:
        if request.text or request.price is not None:
            raise ValidationError(
                _("A line is either a service from the price list or a text with its price."),
                field="service",
            )
        item = get_service(uow, request.service)
        if not fits_device(item, job.device.device_type, job.device.brand):
            raise ValidationError(
                _("The service “{name}” is not for a {device}.").format(
                    name=item.name, device=f"{job.device.brand} {job.device.model}".strip()
                ),
                field="service",
            )
        if item.currency != job.currency:
            raise ValidationError(
                _(
                    "The service “{name}” is priced in {currency}, the job in {job_currency}."
                ).format(name=item.name, currency=item.currency, job_currency=job.currency),
                field="service",
            )
        description, unit_minor = item.name, item.price_minor
        includes_vat, service_id = item.price_includes_vat, item.id
        rate_bp = item.vat_rate_bp
    else:
        description = (request.text or "").strip()
        if not description:
            raise ValidationError(_("A line needs a service or a text."), field="text")
        if len(description) > MAX_LINE_TEXT:
            raise ValidationError(
                _("A line's text is at most {count} characters.").format(count=MAX_LINE_TEXT),
                field="text",
            )
        if request.price is None:
            raise ValidationError(_("A text line needs a price."), field="price")
        if request.price < 0:
            raise ValidationError(
                _("An amount cannot be negative: {value}.").format(value=request.price),
                field="price",
            )
        unit_minor = to_minor(request.price, job.currency)
        includes_vat, service_id, rate_bp = tax.prices_include_vat, None, None
    if request.vat_rate is not None:
        rate_bp = basis_points(request.vat_rate)
    if rate_bp is None:
        rate_bp = basis_points(tax.default_rate)
    uow.session.add(
        JobLine(
            job_id=job.id,
            service_id=service_id,
            description=description,
            quantity=quantity,
            unit_price_minor=unit_minor,
            vat_rate_bp=rate_bp,
            price_includes_vat=includes_vat,
            created_by_id=user.id,
            created_at=uow.now(),
        )
    )
    record_event(
        job,
        uow,
        user,
        "line",
        to_value=f"{quantity} × {description}",
        note=f"{from_minor(unit_minor, job.currency)} {job.currency}",
    )
    guard_price_rise(uow, job, before)
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    quantity: int
    unit_price: Decimal
    price_includes_vat: bool
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class VatTotal:
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class JobLinesView:
    code: str
    currency: str
    lines: tuple[InvoiceLine, ...]
    vat_by_rate: tuple[VatTotal, ...]
    net: Decimal
    vat: Decimal
    total: Decimal
    estimate: Decimal | None
    approved: Decimal | None


def lines_view(job: Job, document: PricedDocument) -> JobLinesView:
    currency = job.currency

    def money(minor: int) -> Decimal:
        return from_minor(minor, currency)

    return JobLinesView(
        code=job.code,
        currency=currency,
        lines=tuple(
            InvoiceLine(
                line.description,
                line.quantity,
                money(line.unit_price_minor),
                line.price_includes_vat,
                line.vat_rate,
                money(line.net),
                money(line.vat),
                money(line.gross),
            )
            for line in document.lines
        ),
        vat_by_rate=tuple(
            VatTotal(rate.vat_rate, money(rate.net), money(rate.vat), money(rate.gross))
            for rate in document.by_rate
        ),
        net=money(document.net),
        vat=money(document.vat),
        total=money(document.gross),
        estimate=None if job.estimate_minor is None else money(job.estimate_minor),
        approved=None if job.approved_minor is None else money(job.approved_minor),
    )


def job_lines(uow: UnitOfWork, code: str) -> JobLinesView:
    """The job's lines as an invoice lists them, with VAT per rate and the total."""
    job = load_job(uow, code)
    return lines_view(job, price_job(uow, job).document)


def rate_text(rate: Decimal) -> str:
    return str(rate_from_basis_points(basis_points(rate)))


class RateTotal(Protocol):
    """What a bill's lines at one VAT rate come to."""

    @property
    def vat_rate(self) -> Decimal: ...
    @property
    def net(self) -> Decimal: ...
    @property
    def vat(self) -> Decimal: ...
    @property
    def gross(self) -> Decimal: ...


class PricedLine(RateTotal, Protocol):
    """A line as a bill prices it (an invoice's, or a job's before it is invoiced)."""

    @property
    def description(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def price_includes_vat(self) -> bool: ...


def lines_json(lines: Sequence[PricedLine], by_rate: Sequence[RateTotal]) -> dict[str, object]:
    """A bill's ``lines`` and its ``vat_by_rate`` as JSON, amounts as exact decimal strings."""
    return {
        "lines": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "unit_price_includes_vat": line.price_includes_vat,
                "vat_rate": rate_text(line.vat_rate),
                "net": str(line.net),
                "vat": str(line.vat),
                "gross": str(line.gross),
            }
            for line in lines
        ],
        "vat_by_rate": [
            {
                "vat_rate": rate_text(rate.vat_rate),
                "net": str(rate.net),
                "vat": str(rate.vat),
                "gross": str(rate.gross),
            }
            for rate in by_rate
        ],
    }


def lines_to_json(view: JobLinesView) -> dict[str, object]:
    return {
        "code": view.code,
        "currency": view.currency,
        **lines_json(view.lines, view.vat_by_rate),
        "net": str(view.net),
        "vat": str(view.vat),
        "total": str(view.total),
        "estimate": None if view.estimate is None else str(view.estimate),
        "approved": None if view.approved is None else str(view.approved),
    }
