"""Read-only snapshots of jobs that the CLI, the UI and printing show.

They are plain frozen dataclasses, detached from the database session, so they
can cross threads and be rendered without touching the database again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from repairshop.db.tables import Complaint, Job, JobEvent
from repairshop.domain.approval import approved_amount
from repairshop.domain.complaints import (
    ComplaintOutcome,
    Remedy,
    countdown,
    days_left,
    decided_in_time,
)
from repairshop.domain.deadlines import Due, due_state
from repairshop.domain.money import from_minor
from repairshop.domain.statuses import (
    JobStatus,
    JobType,
    Outcome,
    TransitionContext,
    allowed_moves,
    is_editable,
    next_on_main_path,
    outcome_choices,
)
from repairshop.domain.warranty import Burden, Reason, Regime, RuleTried


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
class WarrantyView:
    """The warranty decision stored with the job at intake (or a manager's override)."""

    regime: Regime
    until: date | None
    burden_of_proof: Burden | None
    reasons: tuple[Reason, ...]
    rules: tuple[RuleTried, ...]
    overridden_by: str | None

    def main_reason(self, language: str | None = None) -> str:
        return self.reasons[0].render(language) if self.reasons else ""

    def to_json(self) -> dict[str, Any]:
        """The ``warranty`` object of ``job show --json``; reasons in the desk's language."""
        return {
            "regime": self.regime.value,
            "until": self.until.isoformat() if self.until else None,
            "burden_of_proof": self.burden_of_proof.value if self.burden_of_proof else None,
            "reasons": [reason.render() for reason in self.reasons],
            "overridden_by": self.overridden_by,
        }

    def rules_to_json(self) -> list[dict[str, Any]]:
        return [
            {
                "rule": rule.rule.value,
                "applies": rule.applies,
                "until": rule.until.isoformat() if rule.until else None,
                "reason": rule.reason.render(),
            }
            for rule in self.rules
        ]


def warranty_view(job: Job) -> WarrantyView | None:
    """``None`` for a job taken in before RepairShop decided warranties."""
    if job.warranty_regime is None:
        return None
    stored = json.loads(job.warranty_decision or "{}")
    return WarrantyView(
        regime=Regime(job.warranty_regime),
        until=job.warranty_until,
        burden_of_proof=Burden(job.warranty_burden) if job.warranty_burden else None,
        reasons=tuple(Reason.from_json(item) for item in stored.get("reasons", ())),
        rules=tuple(RuleTried.from_json(item) for item in stored.get("rules", ())),
        overridden_by=(
            job.warranty_overridden_by.login if job.warranty_overridden_by is not None else None
        ),
    )


@dataclass(frozen=True)
class ApprovalView:
    """The customer's last approval: how much, how (a method key), when and who took it."""

    amount: Decimal
    method: str
    at: datetime
    user: str
    user_name: str


@dataclass(frozen=True)
class OutcomeMove:
    """A move that records an outcome the person chooses, and the outcomes offered."""

    target: JobStatus
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class ComplaintDecisionView:
    at: datetime
    on: date
    """The shop's local day of the decision."""
    outcome: ComplaintOutcome
    remedy: Remedy | None
    reason: str
    by: str
    by_name: str


@dataclass(frozen=True)
class ComplaintView:
    """A complaint job's link, its deadlines fixed when it was received, and its decision."""

    of: str
    of_collected: datetime
    received: date
    remedy: Remedy | None
    country: str
    deadline_days: int
    working_days: bool
    decide_by: date
    reply_by: date | None
    first_due: date
    accepted_if_unanswered: bool
    decided: ComplaintDecisionView | None

    @property
    def is_open(self) -> bool:
        return self.decided is None

    def days_left(self, today: date) -> int:
        return days_left(self.first_due, today)

    def is_overdue(self, today: date) -> bool:
        return self.decided is None and today > self.first_due

    def deemed_accepted(self, today: date) -> bool:
        """Unanswered past its deadline where the law then counts it as accepted (PL)."""
        return self.accepted_if_unanswered and self.is_overdue(today)

    def countdown(self, today: date) -> str:
        """“decide by … (N days left)” for an open complaint; empty once decided."""
        return countdown(self.first_due, today) if self.decided is None else ""

    @property
    def took_days(self) -> int | None:
        """Days from receipt to the decision."""
        return None if self.decided is None else (self.decided.on - self.received).days

    @property
    def in_time(self) -> bool | None:
        if self.decided is None:
            return None
        return decided_in_time(self.decided.on, self.first_due)

    def to_json(self, today: date) -> dict[str, Any]:
        """The ``complaint`` object of ``job show --json``."""
        decided = self.decided
        return {
            "of": self.of,
            "received": self.received.isoformat(),
            "remedy": self.remedy.value if self.remedy else None,
            "decide_by": self.decide_by.isoformat(),
            "reply_by": self.reply_by.isoformat() if self.reply_by else None,
            "deadline_days": self.deadline_days,
            "working_days": self.working_days,
            "days_left": self.days_left(today) if decided is None else None,
            "overdue": self.is_overdue(today),
            "deemed_accepted": self.deemed_accepted(today),
            "decided": None
            if decided is None
            else {
                "at": _iso(decided.at),
                "outcome": decided.outcome.value,
                "remedy": decided.remedy.value if decided.remedy else None,
                "reason": decided.reason,
                "by": decided.by,
                "took_days": self.took_days,
                "in_time": self.in_time,
            },
        }


def complaint_view(job: Job) -> ComplaintView | None:
    """``None`` for a job that is not a complaint about another job."""
    row: Complaint | None = job.complaint
    if row is None or job.complaint_of is None:
        return None
    decided = None
    if row.decided_at is not None and row.decided_on is not None and row.outcome:
        by = row.decided_by
        decided = ComplaintDecisionView(
            at=row.decided_at,
            on=row.decided_on,
            outcome=ComplaintOutcome(row.outcome),
            remedy=Remedy(row.settled_by) if row.settled_by else None,
            reason=row.reason,
            by=by.login if by else "",
            by_name=by.display_name if by else "",
        )
    return ComplaintView(
        of=job.complaint_of.code,
        of_collected=job.complaint_of.status_changed_at,
        received=row.received,
        remedy=Remedy(row.remedy) if row.remedy else None,
        country=row.country,
        deadline_days=row.deadline_days,
        working_days=row.working_days,
        decide_by=row.decide_by,
        reply_by=row.reply_by,
        first_due=row.first_due,
        accepted_if_unanswered=row.accepted_if_unanswered,
        decided=decided,
    )


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
    editable: bool
    """Whether the job's fields, assignee and details may still change (not once collected)."""
    outcome_moves: tuple[OutcomeMove, ...]
    """The allowed moves that need an outcome chosen, each with the outcomes offered."""
    next_move: JobStatus | None
    """The allowed move furthest along the main path: the one a person usually makes next."""
    zone: tzinfo
    pattern_lock: str | None = None
    """The pattern lock's dots in order; ``None`` when the viewer may not see passcodes."""
    """The shop's time zone: receipts, labels, the card and ``job show`` give its moments in it."""
    warranty: WarrantyView | None = None
    approval: ApprovalView | None = None
    price: Decimal | None = None
    """What the job costs now: its lines' total, else the estimate (see ``jobs.pricing``)."""

    complaint: ComplaintView | None = None
    deposit_method: str | None = None
    """How the deposit taken at intake was paid (``cash``, ``card``, ``transfer``)."""

    def outcomes_for(self, target: JobStatus) -> tuple[Outcome, ...]:
        """The outcomes offered for the move to ``target`` (the default first); () if none."""
        return next((move.outcomes for move in self.outcome_moves if move.target is target), ())

    def due(self, today: date) -> Due:
        """Overdue, due soon or on time, by the one rule every list and card uses."""
        return due_state(self.status, self.promised, today)

    def is_overdue(self, today: date) -> bool:
        return self.due(today) is Due.OVERDUE


def transition_context(job: Job, price_minor: int | None = None) -> TransitionContext:
    return TransitionContext(
        job_type=JobType(job.job_type),
        resume_status=JobStatus(job.resume_status) if job.resume_status else None,
        estimate_minor=job.estimate_minor,
        preapproved_minor=approved_amount(job.approved_minor, job.preapproved_minor),
        price_minor=price_minor,
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


def approval_view(job: Job) -> ApprovalView | None:
    if job.approved_minor is None or job.approved_at is None or job.approved_by is None:
        return None
    return ApprovalView(
        amount=from_minor(job.approved_minor, job.currency),
        method=job.approval_method or "",
        at=job.approved_at,
        user=job.approved_by.login,
        user_name=job.approved_by.display_name,
    )


def job_view(
    job: Job, *, show_passcode: bool, zone: tzinfo, price_minor: int | None = None
) -> JobView:
    """The job as shown; ``price_minor`` is its current price when the caller priced it."""
    customer, device = job.customer, job.device
    currency = job.currency
    status = JobStatus(job.status)
    moves = allowed_moves(status, transition_context(job, price_minor))
    return JobView(
        id=job.id,
        code=job.code,
        status=status,
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
        pattern_lock=job.pattern_lock if show_passcode else None,
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
        warranty=warranty_view(job),
        approval=approval_view(job),
        price=None if price_minor is None else from_minor(price_minor, currency),
        allowed_moves=moves,
        history=tuple(_event_view(event) for event in job.events),
        editable=is_editable(status),
        outcome_moves=tuple(
            OutcomeMove(target, outcome_choices(status, target))
            for target in moves
            if outcome_choices(status, target)
        ),
        next_move=next_on_main_path(moves),
        zone=zone,
        complaint=complaint_view(job),
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def job_to_json(view: JobView, today: date | None = None) -> dict[str, Any]:
    """The ``job show --json`` shape in docs/ARCHITECTURE.md (more keys may come, never fewer).

    ``today`` (the shop's day) counts a complaint's days left; by default this computer's day.
    """
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
        "deposit_method": view.deposit_method,
        "currency": view.currency,
        "promised": view.promised.isoformat() if view.promised else None,
        "purchase_date": view.purchase_date.isoformat() if view.purchase_date else None,
        "proof_of_purchase": view.proof_of_purchase,
        "warranty": view.warranty.to_json() if view.warranty else None,
        "complaint": (view.complaint.to_json(today or date.today()) if view.complaint else None),
        "created_at": _iso(view.created_at),
        "created_by": view.created_by,
        "version": view.version,
        "allowed_moves": [status.value for status in view.allowed_moves],
        "history": history,
        "price": _money(view.price),
        "approval": None
        if view.approval is None
        else {
            "amount": str(view.approval.amount),
            "by": view.approval.method,
            "at": _iso(view.approval.at),
            "user": view.approval.user,
        },
    }
