"""The workshop's actions on a job: show, move through statuses, assign, note, edit, find."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from repairshop.db.tables import Complaint, Customer, Device, Invoice, Job, JobEvent, Payment, User
from repairshop.domain.approval import starts_repair
from repairshop.domain.codes import normalise_ticket_code
from repairshop.domain.deadlines import Due, due_state
from repairshop.domain.evidence import parse_pattern
from repairshop.domain.money import to_minor
from repairshop.domain.roles import Permission, may
from repairshop.domain.statuses import (
    JobStatus,
    JobType,
    Outcome,
    check_move,
    is_editable,
    outcome_choices,
)
from repairshop.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.events import DepositChanged, JobCancelled, JobStatusChanged
from repairshop.services.jobs.evidence_store import guard_collection, guard_ready
from repairshop.services.jobs.pricing import guard_start_of_repair, price_job
from repairshop.services.jobs.search import find_job_ids
from repairshop.services.jobs.sort_keys import set_assignee
from repairshop.services.jobs.views import JobView, job_view, transition_context
from repairshop.services.shop.opening_hours import get_opening_hours
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


@dataclass(frozen=True)
class JobChanged:
    code: str
    version: int
    changes: Changes


def load_job(uow: UnitOfWork, code: str) -> Job:
    normalised = normalise_ticket_code(code)
    job = uow.session.scalar(
        select(Job)
        .where(Job.code == normalised)
        .options(
            joinedload(Job.customer),
            joinedload(Job.device),
            joinedload(Job.assignee),
            joinedload(Job.created_by),
            joinedload(Job.warranty_overridden_by),
            joinedload(Job.complaint_of),
            joinedload(Job.complaint).joinedload(Complaint.decided_by),
            selectinload(Job.events).joinedload(JobEvent.user),
        )
    )
    if job is None:
        raise NotFound(_("There is no job with ticket code “{code}”.").format(code=code.strip()))
    return job


def load_job_row(uow: UnitOfWork, code: str) -> Job:
    """The job's own row and its device, without its history or people: what a card's panel
    (parts, money, evidence, claim) reads beside the card, in one indexed look-up."""
    job = uow.session.scalar(
        select(Job).where(Job.code == normalise_ticket_code(code)).options(joinedload(Job.device))
    )
    if job is None:
        raise NotFound(_("There is no job with ticket code “{code}”.").format(code=code.strip()))
    return job


def show_job(uow: UnitOfWork, code: str, viewer: str) -> JobView:
    return view_of_job(uow, load_job(uow, code), viewer)


def view_of_job(uow: UnitOfWork, job: Job, viewer: str) -> JobView:
    """What :func:`show_job` shows of a job already read (with :func:`load_job`)."""
    user = get_user(uow, viewer)
    view = job_view(
        job,
        show_passcode=may(user.role, Permission.SEE_PASSCODE),
        zone=get_opening_hours(uow).zone(),
        price_minor=price_job(uow, job).price_minor,
    )
    return replace(view, deposit_method=deposit_method(uow, job.id)) if job.deposit_minor else view


def deposit_method(uow: UnitOfWork, job_id: int) -> str | None:
    """How the job's first deposit was paid (None without one)."""
    return uow.session.scalar(
        select(Payment.method)
        .where(Payment.job_id == job_id, Payment.kind == "deposit")
        .order_by(Payment.id)
        .limit(1)
    )


def check_version(job: Job, expected_version: int | None) -> None:
    if expected_version is not None and job.version != expected_version:
        raise Conflict(
            _(
                "Job {code} was changed by someone else while you had it open. "
                "Reload it to see their change, then try again."
            ).format(code=job.code)
        )


def refuse_if_collected(job: Job) -> None:
    """A collected job's record is closed: the device has left the shop."""
    if not is_editable(JobStatus(job.status)):
        raise ValidationError(
            _("Job {code} was collected; it can no longer be changed.").format(code=job.code)
        )


def record_event(
    job: Job, uow: UnitOfWork, user: User, kind: str, **values: str | None
) -> JobEvent:
    now = uow.now()
    note = values.pop("note", None) or ""
    event = JobEvent(job=job, at=now, user=user, kind=kind, note=note, **values)
    uow.session.add(event)
    job.updated_at = now
    return event


def change_status(
    uow: UnitOfWork,
    code: str,
    target: JobStatus,
    actor: str,
    *,
    note: str = "",
    outcome: Outcome | None = None,
    expected_version: int | None = None,
) -> JobChanged:
    """Move a job to ``target`` if the workflow allows it (ARCHITECTURE.md), with who and when.

    A cancelled job publishes :class:`~repairshop.services.events.JobCancelled`; the result
    names what its handlers changed too (the parts it freed). Every move publishes
    :class:`~repairshop.services.events.JobStatusChanged` (the customer may be told).

    ``collected`` is refused here: a job is collected only with its document (the invoice,
    or the handover document of a job at no charge), through :func:`hand_over`.
    """
    if target is JobStatus.COLLECTED:
        job = load_job(uow, code)
        check_version(job, expected_version)
        check_collectable(job)
        raise ValidationError(
            _(
                "Job {code} is collected at the counter, with its bill and its invoice: "
                "use Collect… on the card (repairshop job collect {code})."
            ).format(code=job.code),
            field="status",
        )
    return _move(
        uow, code, target, actor, note=note, outcome=outcome, expected_version=expected_version
    )


def check_collectable(job: Job) -> None:
    """Refuse (naming the allowed moves) unless the job may move to ``collected`` now."""
    check_move(job.code, JobStatus(job.status), JobStatus.COLLECTED, transition_context(job, None))


def hand_over(
    uow: UnitOfWork,
    code: str,
    document: Invoice,
    actor: str,
    *,
    expected_version: int | None = None,
) -> JobChanged:
    """Move the job to ``collected`` with the document issued for it at the counter."""
    job = load_job(uow, code)
    if document.job_id != job.id or document.kind not in ("invoice", "handover"):
        raise ValidationError(
            _("Job {code} can only be collected with its own invoice or handover document.").format(
                code=job.code
            ),
            field="status",
        )
    return _move(uow, code, JobStatus.COLLECTED, actor, expected_version=expected_version)


def _move(
    uow: UnitOfWork,
    code: str,
    target: JobStatus,
    actor: str,
    *,
    note: str = "",
    outcome: Outcome | None = None,
    expected_version: int | None = None,
) -> JobChanged:
    user = get_user(uow, actor)
    job = load_job(uow, code)
    check_version(job, expected_version)
    current = JobStatus(job.status)
    resume = JobStatus(job.resume_status) if job.resume_status else None
    if starts_repair(current, resume, target):
        guard_start_of_repair(uow, job)
    price = price_job(uow, job).price_minor if target is JobStatus.IN_REPAIR else None
    check_move(job.code, current, target, transition_context(job, price))
    if target is JobStatus.READY:
        guard_ready(uow, job)
    elif target is JobStatus.COLLECTED:
        guard_collection(uow, job)
    if target in (JobStatus.ON_HOLD, JobStatus.AWAITING_PARTS):
        if current not in (JobStatus.ON_HOLD, JobStatus.AWAITING_PARTS):
            job.resume_status = current.value
    else:
        job.resume_status = None
    if target is JobStatus.READY:
        job.outcome = _ready_outcome(current, outcome).value
    elif target is JobStatus.CANCELLED:
        job.outcome = Outcome.RETURNED_UNREPAIRED.value
    job.status = target.value
    job.status_changed_at = uow.now()
    changes = job_changes(job)
    if target is JobStatus.CANCELLED:
        changes |= uow.publish(JobCancelled(job.id, user.login, _("job cancelled")))
    event = record_event(
        job, uow, user, "status", from_value=current.value, to_value=target.value, note=note
    )
    # The milestones the reports read: the event's own moment, in its transaction.
    if target is JobStatus.READY and job.ready_at is None:
        job.ready_at = event.at
    elif target is JobStatus.COLLECTED and job.collected_at is None:
        job.collected_at = event.at
    uow.flush()
    changes |= uow.publish(JobStatusChanged(job.id, current.value, target.value, event.id))
    return JobChanged(job.code, job.version, changes)


def _ready_outcome(current: JobStatus, requested: Outcome | None) -> Outcome:
    offered = outcome_choices(current, JobStatus.READY)
    if not offered:  # a cancelled job goes back as it came
        return Outcome.RETURNED_UNREPAIRED
    if requested is not None and requested not in offered:
        raise ValidationError(
            _("A job that passed its test is repaired or replaced, not returned unrepaired."),
            field="outcome",
        )
    return requested or offered[0]


def assign(
    uow: UnitOfWork,
    code: str,
    technician: str | None,
    actor: str,
    *,
    expected_version: int | None = None,
) -> JobChanged:
    """Give the job to a technician, or take it back to the pool (``technician`` None)."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    check_version(job, expected_version)
    refuse_if_collected(job)
    new = get_user(uow, technician) if technician else None
    if new is not None and not may(new.role, Permission.BE_ASSIGNED):
        raise ValidationError(
            _("{name} is not a technician.").format(name=new.display_name), field="assignee"
        )
    old = job.assignee
    if (old.id if old else None) == (new.id if new else None):
        return JobChanged(job.code, job.version, Changes())
    set_assignee(job, new)
    record_event(
        job,
        uow,
        user,
        "assigned",
        from_value=old.login if old else None,
        to_value=new.login if new else None,
    )
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


def take_job(uow: UnitOfWork, code: str, actor: str) -> JobChanged:
    """A technician picks up a job nobody has yet: it is assigned to them.

    Refused when someone took it meanwhile (another desk's "Take it" came first), so two
    technicians never both think the job is theirs.
    """
    job = load_job(uow, code)
    taker = get_user(uow, actor)
    holder = job.assignee
    if holder is not None and holder.id != taker.id:
        raise Conflict(
            _("Job {code} was taken by {name} meanwhile.").format(
                code=job.code, name=holder.display_name
            )
        )
    return assign(uow, job.code, taker.login, actor)


def add_note(uow: UnitOfWork, code: str, text: str, actor: str) -> JobChanged:
    user = get_user(uow, actor)
    job = load_job(uow, code)
    if not text.strip():
        raise ValidationError(_("A note cannot be empty."), field="note")
    record_event(job, uow, user, "note", note=text.strip())
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


@dataclass(frozen=True)
class JobEdit:
    """Fields changed on the job card; ``None`` leaves a field as it is."""

    fault: str | None = None
    accessories: str | None = None
    condition: str | None = None
    passcode: str | None = None
    pattern_lock: str | None = None
    """The dots in order ("1-5-9-6" or "1596"); empty erases it."""
    estimate: Decimal | None = None
    preapproved: Decimal | None = None
    deposit: Decimal | None = None
    promised: date | None = None
    job_type: JobType | None = None


def edit_job(
    uow: UnitOfWork, code: str, edit: JobEdit, actor: str, *, expected_version: int | None
) -> JobChanged:
    """Change job fields; each change is an event with the old and the new value."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    check_version(job, expected_version)
    refuse_if_collected(job)
    changed = False
    deposit_moved: tuple[int, int] | None = None
    for name in ("fault", "accessories", "condition", "passcode", "pattern_lock"):
        value = getattr(edit, name)
        if name == "pattern_lock" and value is not None:
            value = parse_pattern(value)
        if value is not None and value.strip() != getattr(job, name):
            if name == "fault" and not value.strip():
                raise ValidationError(_("“{field}” is required.").format(field=name), field=name)
            secret = name in ("passcode", "pattern_lock")
            if secret and not may(user.role, Permission.SEE_PASSCODE):
                raise PermissionDenied(_("Only technicians may change the passcode."))
            old = "***" if secret else getattr(job, name)
            new = "***" if secret else value.strip()
            setattr(job, name, value.strip())
            record_event(job, uow, user, "edited", from_value=old, to_value=new, note=name)
            changed = True
    for name, column in (
        ("estimate", "estimate_minor"),
        ("preapproved", "preapproved_minor"),
        ("deposit", "deposit_minor"),
    ):
        amount = getattr(edit, name)
        if amount is None:
            continue
        if amount < 0:
            raise ValidationError(
                _("An amount cannot be negative: {value}.").format(value=amount), field=name
            )
        minor = to_minor(amount, job.currency)
        if minor != getattr(job, column):
            old_minor = getattr(job, column)
            setattr(job, column, minor)
            if name == "deposit":
                deposit_moved = (old_minor or 0, minor)
            record_event(
                job,
                uow,
                user,
                "price",
                from_value=None if old_minor is None else str(old_minor),
                to_value=str(minor),
                note=name,
            )
            changed = True
    if edit.promised is not None and edit.promised != job.promised:
        old_date = job.promised.isoformat() if job.promised else None
        job.promised = edit.promised
        record_event(
            job,
            uow,
            user,
            "edited",
            from_value=old_date,
            to_value=edit.promised.isoformat(),
            note="promised",
        )
        changed = True
    if edit.job_type is not None and edit.job_type.value != job.job_type:
        record_event(
            job,
            uow,
            user,
            "edited",
            from_value=job.job_type,
            to_value=edit.job_type.value,
            note="job_type",
        )
        job.job_type = edit.job_type.value
        changed = True
    if not changed:
        return JobChanged(job.code, job.version, Changes())
    uow.flush()
    changes = job_changes(job)
    if deposit_moved is not None:
        changes |= uow.publish(DepositChanged(job.id, user.login, *deposit_moved))
    return JobChanged(job.code, job.version, changes)


def job_changes(job: Job) -> Changes:
    return Changes(kinds=frozenset({ChangeKind.JOB}), job_ids=(job.id,))


@dataclass(frozen=True)
class JobSummary:
    """One row of a job list."""

    id: int
    code: str
    status: JobStatus
    job_type: JobType
    customer_name: str
    device_type: str
    device: str
    assignee_name: str | None
    promised: date | None
    created_at: datetime
    complaint_due: date | None = None
    """An open complaint's first deadline (None once decided, or for any other job)."""

    def due(self, today: date) -> Due:
        """Overdue, due soon or on time, by the one rule every list and card uses."""
        return due_state(self.status, self.promised, today)

    def is_overdue(self, today: date) -> bool:
        return self.due(today) is Due.OVERDUE


def summaries(uow: UnitOfWork, job_ids: list[int]) -> list[JobSummary]:
    """Rows for ``job_ids``, in the order given."""
    if not job_ids:
        return []
    rows = uow.session.execute(
        select(
            Job.id,
            Job.code,
            Job.status,
            Job.job_type,
            Customer.name,
            Device.device_type,
            Device.brand,
            Device.model,
            User.display_name,
            Job.promised,
            Job.created_at,
            Complaint.first_due,
        )
        .join(Customer, Customer.id == Job.customer_id)
        .join(Device, Device.id == Job.device_id)
        .outerjoin(User, User.id == Job.assignee_id)
        .outerjoin(Complaint, (Complaint.job_id == Job.id) & Complaint.decided_at.is_(None))
        .where(Job.id.in_(job_ids))
    ).all()
    by_id = {
        row[0]: JobSummary(
            id=row[0],
            code=row[1],
            status=JobStatus(row[2]),
            job_type=JobType(row[3]),
            customer_name=row[4],
            device_type=row[5],
            device=f"{row[6]} {row[7]}",
            assignee_name=row[8],
            promised=row[9],
            created_at=row[10],
            complaint_due=row[11],
        )
        for row in rows
    }
    return [by_id[job_id] for job_id in job_ids if job_id in by_id]


def find_jobs(uow: UnitOfWork, query: str, limit: int = 50) -> list[JobSummary]:
    """Search as the scan/search box does: code, customer, phone, e-mail, serial, IMEI, model."""
    if limit < 1:
        raise ValidationError(_("The limit must be at least 1."), field="limit")
    return summaries(uow, find_job_ids(uow, query, limit))
