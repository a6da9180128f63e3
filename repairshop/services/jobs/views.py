"""Read-only snapshots of jobs that the CLI, the UI and printing show.

They are plain frozen dataclasses, detached from the database session, so they
can cross threads and be rendered without touching the database again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from repairshop.db.tables import Job, JobEvent
from repairshop.domain.deadlines import Due, due_state
from repairshop.domain.money import from_minor
from repairshop.domain.statuses import JobStatus, JobType, TransitionContext, allowed_moves


@dataclass(frozen=True)
class CustomerView:
    id: int
    name: str
    phone: str | None
    email: str | None
    language: str
    consent_to_contact: bool


@dataclass(frozen=True)
class DeviceView:
    id: int
    type: str
    brand: str
    model: str
    serial: str | None
    imei: str | None
    colour: str

    @property
    def title(self) -> str:
        return f"{self.brand} {self.model}".strip()


@dataclass(frozen=True)
class EventView:
    at: datetime
    kind: str
    user: str
    user_name: str
    from_value: str | None
    to_value: str | None
    note: str


@dataclass(frozen=True)
class JobView:
    id: int
    code: str
    status: JobStatus
    job_type: JobType
    outcome: str | None
    customer: CustomerView
    device: DeviceView
    fault: str
    accessories: str
    condition: str
    passcode: str | None
    """``None`` when the viewer may not see it (only technicians and managers may)."""
    estimate: Decimal | None
    preapproved: Decimal | None
    deposit: Decimal
    currency: str
    promised: date | None
    purchase_date: date | None
    proof_of_purchase: str
    assignee: str | None
    assignee_name: str | None
    created_by: str
    created_by_name: str
    created_at: datetime
    status_changed_at: datetime
    version: int
    allowed_moves: tuple[JobStatus, ...]
    history: tuple[EventView, ...]
    zone: tzinfo
    """The shop's time zone: receipts, labels, the card and ``job show`` give its moments in it."""

    def due(self, today: date) -> Due:
        """Overdue, due soon or on time, by the one rule every list and card uses."""
        return due_state(self.status, self.promised, today)

    def is_overdue(self, today: date) -> bool:
        return self.due(today) is Due.OVERDUE


def transition_context(job: Job) -> TransitionContext:
    return TransitionContext(
        job_type=JobType(job.job_type),
        resume_status=JobStatus(job.resume_status) if job.resume_status else None,
        estimate_minor=job.estimate_minor,
        preapproved_minor=job.preapproved_minor,
    )


def _event_view(event: JobEvent) -> EventView:
    return EventView(
        at=event.at,
        kind=event.kind,
        user=event.user.login,
        user_name=event.user.display_name,
        from_value=event.from_value,
        to_value=event.to_value,
        note=event.note,
    )


def job_view(job: Job, *, show_passcode: bool, zone: tzinfo) -> JobView:
    customer, device = job.customer, job.device
    currency = job.currency
    return JobView(
        id=job.id,
        code=job.code,
        status=JobStatus(job.status),
        job_type=JobType(job.job_type),
        outcome=job.outcome,
        customer=CustomerView(
            customer.id,
            customer.name,
            customer.phone,
            customer.email,
            customer.language,
            customer.consent_to_contact,
        ),
        device=DeviceView(
            device.id,
            device.device_type,
            device.brand,
            device.model,
            device.serial,
            device.imei,
            device.colour,
        ),
        fault=job.fault,
        accessories=job.accessories,
        condition=job.condition,
        passcode=job.passcode if show_passcode else None,
        estimate=None if job.estimate_minor is None else from_minor(job.estimate_minor, currency),
        preapproved=(
            None if job.preapproved_minor is None else from_minor(job.preapproved_minor, currency)
        ),
        deposit=from_minor(job.deposit_minor, currency),
        currency=currency,
        promised=job.promised,
        purchase_date=job.purchase_date,
        proof_of_purchase=job.proof_of_purchase,
        assignee=job.assignee.login if job.assignee else None,
        assignee_name=job.assignee.display_name if job.assignee else None,
        created_by=job.created_by.login,
        created_by_name=job.created_by.display_name,
        created_at=job.created_at,
        status_changed_at=job.status_changed_at,
        version=job.version,
        allowed_moves=allowed_moves(JobStatus(job.status), transition_context(job)),
        history=tuple(_event_view(event) for event in job.events),
        zone=zone,
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def job_to_json(view: JobView) -> dict[str, Any]:
    """The ``job show --json`` shape of DESIGN §4 (more keys welcome, these keep their meaning)."""
    history: list[dict[str, Any]] = []
    for event in view.history:
        item: dict[str, Any] = {"at": _iso(event.at), "kind": event.kind, "user": event.user}
        if event.kind == "status":
            item["from"] = event.from_value
            item["to"] = event.to_value
        elif event.from_value is not None or event.to_value is not None:
            item["old"] = event.from_value
            item["new"] = event.to_value
        if event.note:
            item["note"] = event.note
        history.append(item)
    return {
        "code": view.code,
        "status": view.status.value,
        "job_type": view.job_type.value,
        "outcome": view.outcome,
        "assignee": view.assignee,
        "customer": {
            "name": view.customer.name,
            "phone": view.customer.phone,
            "email": view.customer.email,
            "language": view.customer.language,
        },
        "device": {
            "type": view.device.type,
            "brand": view.device.brand,
            "model": view.device.model,
            "serial": view.device.serial,
            "imei": view.device.imei,
            "colour": view.device.colour,
        },
        "fault": view.fault,
        "accessories": view.accessories,
        "condition": view.condition,
        "estimate": _money(view.estimate),
        "preapproved": _money(view.preapproved),
        "deposit": _money(view.deposit),
        "currency": view.currency,
        "promised": view.promised.isoformat() if view.promised else None,
        "purchase_date": view.purchase_date.isoformat() if view.purchase_date else None,
        "created_at": _iso(view.created_at),
        "created_by": view.created_by,
        "version": view.version,
        "allowed_moves": [status.value for status in view.allowed_moves],
        "history": history,
    }
