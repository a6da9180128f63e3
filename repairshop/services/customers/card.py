"""The customer card: everything about one customer, their consent, and merging duplicates.

:func:`customer_card` gathers a customer's contacts and consent (with when and by whom it
was last changed), their devices, every job, complaint, return (RMA), invoice and message,
and what they spent. :func:`set_consent` records a change of consent; :func:`merge_customers`
moves a duplicate's jobs, devices and messages to the customer kept (a manager's call; the
duplicate's row stays, marked as merged, so the history still names it, and the audit log
records every moved job).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select, update

from repairshop.db.tables import (
    Complaint,
    Customer,
    Device,
    Feedback,
    Invoice,
    Job,
    OutboxMessage,
    Rma,
)
from repairshop.domain.contacts import normalise_phone
from repairshop.domain.roles import Permission
from repairshop.domain.statuses import JobStatus
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.customers.outbox import LoggedMessage, logged_to_json, message_log
from repairshop.services.jobs.search import refresh_search_text
from repairshop.services.jobs.sort_keys import refresh_sort_keys
from repairshop.services.jobs.workflow import load_job
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.users import get_user, require_permission
from repairshop.services.uow import UnitOfWork

ANONYMISED_NAME = "Anonymised customer"
"""The name an anonymised customer keeps (in every language: it is stored, not shown)."""


@dataclass(frozen=True)
class CardDevice:
    id: int
    type: str
    brand: str
    model: str
    serial: str | None
    imei: str | None


@dataclass(frozen=True)
class CardJob:
    code: str
    status: str
    job_type: str
    device: str
    fault: str
    created_at: datetime
    status_changed_at: datetime
    complaint_of: str | None
    score: int | None


@dataclass(frozen=True)
class CardInvoice:
    number: str
    kind: str
    job: str
    issued: str
    gross_minor: int
    currency: str


@dataclass(frozen=True)
class CardReturn:
    number: str
    state: str
    job: str
    reason: str


@dataclass(frozen=True)
class CustomerCard:
    id: int
    name: str
    phone: str | None
    email: str | None
    language: str
    consent_to_contact: bool
    consent_changed_at: datetime | None
    consent_changed_by: str | None
    notes: str
    created_at: datetime
    anonymised_at: datetime | None
    merged_into: int | None
    devices: list[CardDevice] = field(default_factory=list)
    jobs: list[CardJob] = field(default_factory=list)
    complaints: list[str] = field(default_factory=list)
    """The ticket codes of their complaints (jobs of type complaint)."""
    returns: list[CardReturn] = field(default_factory=list)
    invoices: list[CardInvoice] = field(default_factory=list)
    messages: list[LoggedMessage] = field(default_factory=list)
    spent: dict[str, int] = field(default_factory=dict)
    """Per currency, the gross of their invoices less credit notes, in minor units."""
    merged: list[int] = field(default_factory=list)
    """Ids of the duplicates merged into this customer."""


def find_customer(uow: UnitOfWork, key: str | int) -> Customer:
    """A customer by id, or by phone number (as typed, in any usual spelling)."""
    if isinstance(key, int) or (str(key).strip().isdigit() and len(str(key).strip()) < 7):
        customer = uow.session.get(Customer, int(key))
        if customer is not None:
            return customer
    text = str(key).strip()
    try:
        phone = normalise_phone(text, get_settings(uow).region) if text else None
    except ValidationError:
        phone = None
    if phone:
        found = uow.session.scalars(
            select(Customer)
            .where(Customer.phone == phone, Customer.merged_into_id.is_(None))
            .order_by(Customer.id.desc())
        ).first()
        if found is not None:
            return found
    raise NotFound(_("There is no customer “{key}”.").format(key=text))


def customer_of_job(uow: UnitOfWork, code: str) -> int:
    """The id of the customer of the job ``code`` (to open their card from a job list)."""
    return load_job(uow, code).customer_id


def customer_card(uow: UnitOfWork, key: str | int) -> CustomerCard:
    customer = find_customer(uow, key)
    jobs = uow.session.execute(
        select(Job, Device, Feedback.score)
        .join(Device, Device.id == Job.device_id)
        .outerjoin(Feedback, Feedback.job_id == Job.id)
        .where(Job.customer_id == customer.id)
        .order_by(Job.created_at.desc(), Job.id.desc())
    ).all()
    codes = {job.id: job.code for job, _device, _score in jobs}
    job_ids = list(codes)
    originals = dict(
        uow.session.execute(
            select(Job.id, Job.code).where(
                Job.id.in_([job.complaint_of_id for job, *_ in jobs if job.complaint_of_id])
            )
        ).all()
    )
    devices = uow.session.scalars(
        select(Device)
        .where(
            or_(
                Device.customer_id == customer.id,
                Device.id.in_([device.id for _job, device, _score in jobs]),
            )
        )
        .order_by(Device.id)
    ).all()
    invoices = uow.session.scalars(
        select(Invoice).where(Invoice.job_id.in_(job_ids)).order_by(Invoice.issued_at, Invoice.id)
    ).all()
    spent: dict[str, int] = {}
    for invoice in invoices:
        spent[invoice.currency] = spent.get(invoice.currency, 0) + invoice.gross_minor
    complaints = uow.session.scalars(
        select(Job.code)
        .join(Complaint, Complaint.job_id == Job.id)
        .where(Job.id.in_(job_ids))
        .order_by(Job.id)
    ).all()
    returns = uow.session.scalars(select(Rma).where(Rma.job_id.in_(job_ids)).order_by(Rma.id)).all()
    messages = [
        message for job_id in job_ids for message in message_log(uow, job_id=job_id, limit=None)
    ]
    messages.sort(key=lambda message: message.at, reverse=True)
    merged = uow.session.scalars(
        select(Customer.id).where(Customer.merged_into_id == customer.id).order_by(Customer.id)
    ).all()
    return CustomerCard(
        id=customer.id,
        name=customer.name,
        phone=customer.phone,
        email=customer.email,
        language=customer.language,
        consent_to_contact=customer.consent_to_contact,
        consent_changed_at=customer.consent_changed_at,
        consent_changed_by=customer.consent_changed_by,
        notes=customer.notes,
        created_at=customer.created_at,
        anonymised_at=customer.anonymised_at,
        merged_into=customer.merged_into_id,
        devices=[
            CardDevice(d.id, d.device_type, d.brand, d.model, d.serial, d.imei) for d in devices
        ],
        jobs=[
            CardJob(
                code=job.code,
                status=job.status,
                job_type=job.job_type,
                device=" ".join(part for part in (device.brand, device.model) if part)
                or device.device_type,
                fault=job.fault,
                created_at=job.created_at,
                status_changed_at=job.status_changed_at,
                complaint_of=originals.get(job.complaint_of_id) if job.complaint_of_id else None,
                score=score,
            )
            for job, device, score in jobs
        ],
        complaints=list(complaints),
        returns=[
            CardReturn(r.number, r.state, codes[r.job_id], r.reason) for r in returns if r.job_id
        ],
        invoices=[
            CardInvoice(
                i.number,
                i.kind,
                codes[i.job_id],
                i.issued_on.isoformat(),
                i.gross_minor,
                i.currency,
            )
            for i in invoices
        ],
        messages=messages,
        spent=spent,
        merged=list(merged),
    )


def card_to_json(card: CustomerCard) -> dict[str, object]:
    return {
        "id": card.id,
        "name": card.name,
        "phone": card.phone,
        "email": card.email,
        "language": card.language,
        "consent": {
            "to_contact": card.consent_to_contact,
            "changed_at": card.consent_changed_at.isoformat() if card.consent_changed_at else None,
            "changed_by": card.consent_changed_by,
        },
        "notes": card.notes,
        "created_at": card.created_at.isoformat(),
        "anonymised_at": card.anonymised_at.isoformat() if card.anonymised_at else None,
        "merged_into": card.merged_into,
        "merged": card.merged,
        "devices": [
            {
                "id": d.id,
                "type": d.type,
                "brand": d.brand,
                "model": d.model,
                "serial": d.serial,
                "imei": d.imei,
            }
            for d in card.devices
        ],
        "jobs": [
            {
                "code": j.code,
                "status": j.status,
                "job_type": j.job_type,
                "device": j.device,
                "fault": j.fault,
                "created_at": j.created_at.isoformat(),
                "status_changed_at": j.status_changed_at.isoformat(),
                "complaint_of": j.complaint_of,
                "feedback_score": j.score,
            }
            for j in card.jobs
        ],
        "complaints": card.complaints,
        "returns": [
            {"number": r.number, "state": r.state, "job": r.job, "reason": r.reason}
            for r in card.returns
        ],
        "invoices": [
            {
                "number": i.number,
                "kind": i.kind,
                "job": i.job,
                "issued": i.issued,
                "gross_minor": i.gross_minor,
                "currency": i.currency,
            }
            for i in card.invoices
        ],
        "messages": [logged_to_json(message) for message in card.messages],
        "spent": [
            {"currency": currency, "amount_minor": amount}
            for currency, amount in sorted(card.spent.items())
        ],
    }


def customer_changes() -> Changes:
    return Changes(kinds=frozenset({ChangeKind.JOB}))


def set_consent(uow: UnitOfWork, key: str | int, consent: bool, actor: str) -> Changes:
    """Record that the customer gave or withdrew consent to be contacted: when, and who."""
    user = get_user(uow, actor)
    customer = find_customer(uow, key)
    if customer.anonymised_at is not None:
        raise ValidationError(_("This customer was anonymised."), field="consent")
    if customer.consent_to_contact != consent:
        customer.consent_to_contact = consent
        customer.consent_changed_at = uow.now()
        customer.consent_changed_by = user.login
        uow.flush()
    return customer_changes()


def merge_customers(uow: UnitOfWork, keep: str | int, other: str | int, actor: str) -> Changes:
    """Merge the duplicate ``other`` into ``keep``: its jobs, devices and messages move.

    Contacts ``keep`` lacks are taken from ``other``; consent stays as ``keep`` has it unless
    only ``other`` had agreed (the later change wins). ``other`` stays, marked as merged.
    """
    require_permission(uow, actor, Permission.MANAGE_CUSTOMERS)
    kept = find_customer(uow, keep)
    duplicate = find_customer(uow, other)
    if kept.id == duplicate.id:
        raise ValidationError(_("A customer cannot be merged into themselves."), field="other")
    if duplicate.merged_into_id is not None or kept.merged_into_id is not None:
        raise ValidationError(_("This customer was already merged."), field="other")
    if kept.anonymised_at is not None or duplicate.anonymised_at is not None:
        raise ValidationError(_("This customer was anonymised."), field="other")
    jobs = uow.session.scalars(select(Job).where(Job.customer_id == duplicate.id)).all()
    for job in jobs:
        job.customer_id = kept.id
    for device in uow.session.scalars(select(Device).where(Device.customer_id == duplicate.id)):
        device.customer_id = kept.id
    uow.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.customer_id == duplicate.id)
        .values(customer_id=kept.id)
    )
    kept.phone = kept.phone or duplicate.phone
    kept.email = kept.email or duplicate.email
    if duplicate.notes and duplicate.notes not in kept.notes:
        kept.notes = "\n".join(note for note in (kept.notes, duplicate.notes) if note)
    later = (duplicate.consent_changed_at or duplicate.created_at) > (
        kept.consent_changed_at or kept.created_at
    )
    if later and duplicate.consent_to_contact != kept.consent_to_contact:
        kept.consent_to_contact = duplicate.consent_to_contact
        kept.consent_changed_at = duplicate.consent_changed_at or uow.now()
        kept.consent_changed_by = duplicate.consent_changed_by
    duplicate.merged_into_id = kept.id
    uow.flush()
    refresh_search_text(uow, kept)
    refresh_sort_keys(uow, customer_ids=(kept.id,))
    return Changes(kinds=frozenset({ChangeKind.JOB}), job_ids=tuple(job.id for job in jobs))


def customer_job_count(uow: UnitOfWork, customer_id: int) -> int:
    return int(
        uow.session.scalar(select(func.count(Job.id)).where(Job.customer_id == customer_id)) or 0
    )


def open_jobs(uow: UnitOfWork, customer_id: int) -> int:
    return int(
        uow.session.scalar(
            select(func.count(Job.id)).where(
                Job.customer_id == customer_id, Job.status != JobStatus.COLLECTED.value
            )
        )
        or 0
    )
