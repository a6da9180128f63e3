"""Job statuses and the moves between them (docs/ARCHITECTURE.md, job statuses).

The keys are stable (stored in the database, printed by ``--json``); the
labels are translated when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from repairshop.errors import InvalidTransition, ValidationError
from repairshop.i18n import N_, _


class JobStatus(StrEnum):
    RECEIVED = "received"
    DIAGNOSING = "diagnosing"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_PARTS = "awaiting_parts"
    IN_REPAIR = "in_repair"
    TESTING = "testing"
    ON_HOLD = "on_hold"
    READY = "ready"
    CANCELLED = "cancelled"
    COLLECTED = "collected"

    @property
    def label(self) -> str:
        return _(STATUS_LABELS[self])


STATUS_LABELS: dict[JobStatus, str] = {
    JobStatus.RECEIVED: N_("Received"),
    JobStatus.DIAGNOSING: N_("Diagnosing"),
    JobStatus.AWAITING_APPROVAL: N_("Awaiting approval"),
    JobStatus.AWAITING_PARTS: N_("Awaiting parts"),
    JobStatus.IN_REPAIR: N_("In repair"),
    JobStatus.TESTING: N_("Testing"),
    JobStatus.ON_HOLD: N_("On hold"),
    JobStatus.READY: N_("Ready for pickup"),
    JobStatus.CANCELLED: N_("Cancelled"),
    JobStatus.COLLECTED: N_("Collected"),
}

OPEN_STATUSES: frozenset[JobStatus] = frozenset(JobStatus) - {JobStatus.COLLECTED}
"""Every status in which the device is still in the shop."""

MAIN_PATH: tuple[JobStatus, ...] = (
    JobStatus.RECEIVED,
    JobStatus.DIAGNOSING,
    JobStatus.AWAITING_APPROVAL,
    JobStatus.IN_REPAIR,
    JobStatus.TESTING,
    JobStatus.READY,
    JobStatus.COLLECTED,
)
"""A job's usual way through the shop; side states and loops are off it."""


def is_editable(status: JobStatus) -> bool:
    """Whether a job's record may still change: a collected job's device has left the shop."""
    return status is not JobStatus.COLLECTED


WORKSHOP_STATUSES: frozenset[JobStatus] = frozenset(
    {
        JobStatus.RECEIVED,
        JobStatus.DIAGNOSING,
        JobStatus.AWAITING_APPROVAL,
        JobStatus.AWAITING_PARTS,
        JobStatus.IN_REPAIR,
        JobStatus.TESTING,
        JobStatus.ON_HOLD,
        JobStatus.CANCELLED,
    }
)
"""Statuses in which the job still needs work (it is not yet ready or collected)."""


class JobType(StrEnum):
    PAID_REPAIR = "paid_repair"
    WARRANTY_CLAIM = "warranty_claim"
    COMPLAINT = "complaint"
    ESTIMATE = "estimate"

    @property
    def label(self) -> str:
        return _(JOB_TYPE_LABELS[self])

    @property
    def needs_approval(self) -> bool:
        """Whether the customer must approve the price before repair starts."""
        return self in (JobType.PAID_REPAIR, JobType.ESTIMATE)


JOB_TYPE_LABELS: dict[JobType, str] = {
    JobType.PAID_REPAIR: N_("Paid repair"),
    JobType.WARRANTY_CLAIM: N_("Warranty claim"),
    JobType.COMPLAINT: N_("Complaint"),
    JobType.ESTIMATE: N_("Estimate only"),
}


def job_type_label(key: str) -> str:
    """The translated name of a stored job type key (an unknown key as it is)."""
    try:
        return JobType(key).label
    except ValueError:
        return key


class Outcome(StrEnum):
    REPAIRED = "repaired"
    REPLACED = "replaced"
    RETURNED_UNREPAIRED = "returned_unrepaired"

    @property
    def label(self) -> str:
        return _(OUTCOME_LABELS[self])


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.REPAIRED: N_("Repaired"),
    Outcome.REPLACED: N_("Replaced"),
    Outcome.RETURNED_UNREPAIRED: N_("Returned unrepaired"),
}

S = JobStatus

_FORWARD: dict[JobStatus, frozenset[JobStatus]] = {
    S.RECEIVED: frozenset({S.DIAGNOSING, S.ON_HOLD, S.CANCELLED}),
    S.DIAGNOSING: frozenset(
        {S.AWAITING_APPROVAL, S.IN_REPAIR, S.AWAITING_PARTS, S.ON_HOLD, S.CANCELLED}
    ),
    S.AWAITING_APPROVAL: frozenset({S.IN_REPAIR, S.AWAITING_PARTS, S.ON_HOLD, S.CANCELLED}),
    S.IN_REPAIR: frozenset({S.TESTING, S.AWAITING_PARTS, S.ON_HOLD, S.CANCELLED}),
    S.TESTING: frozenset({S.READY, S.IN_REPAIR, S.ON_HOLD, S.CANCELLED}),
    S.READY: frozenset({S.COLLECTED}),
    S.CANCELLED: frozenset({S.READY}),
    S.COLLECTED: frozenset(),
}
"""Moves out of each status that do not depend on where the job came from."""

_RESUMABLE_FROM_PARTS = frozenset({S.DIAGNOSING, S.AWAITING_APPROVAL, S.IN_REPAIR})


@dataclass(frozen=True)
class TransitionContext:
    """What a move may depend on besides the two statuses."""

    job_type: JobType
    resume_status: JobStatus | None = None
    """For ``on_hold`` and ``awaiting_parts``: the status the job left to get there."""
    estimate_minor: int | None = None
    preapproved_minor: int | None = None
    """What the customer agreed to: the last approval, else the intake pre-approval."""
    price_minor: int | None = None
    """The job's current price when known (its lines' total); else the estimate counts."""


def allowed_moves(current: JobStatus, context: TransitionContext) -> tuple[JobStatus, ...]:
    """Every status the job may move to next, in workflow order."""
    if current is S.ON_HOLD:
        targets = {context.resume_status or S.RECEIVED, S.CANCELLED}
    elif current is S.AWAITING_PARTS:
        resume = context.resume_status if context.resume_status in _RESUMABLE_FROM_PARTS else None
        targets = {resume or S.IN_REPAIR, S.IN_REPAIR, S.ON_HOLD, S.CANCELLED}
    else:
        targets = set(_FORWARD[current])
    if current is S.DIAGNOSING and not _repair_needs_no_approval(context):
        targets.discard(S.IN_REPAIR)
    order = list(JobStatus)
    return tuple(sorted(targets, key=order.index))


def next_on_main_path(moves: tuple[JobStatus, ...]) -> JobStatus | None:
    """Of ``moves``, the step furthest along the main path (``None`` if none is on it)."""
    forward = [status for status in moves if status in MAIN_PATH]
    return max(forward, key=MAIN_PATH.index) if forward else None


def outcome_choices(current: JobStatus, target: JobStatus) -> tuple[Outcome, ...]:
    """The outcomes a person chooses from for this move, the default first.

    Empty when the move records no outcome, or one that follows from the move: a tested job
    is ready as repaired or replaced, a cancelled one goes back unrepaired.
    """
    if current is S.TESTING and target is S.READY:
        return (Outcome.REPAIRED, Outcome.REPLACED)
    return ()


def _repair_needs_no_approval(context: TransitionContext) -> bool:
    if not context.job_type.needs_approval:
        return True
    price = context.price_minor if context.price_minor is not None else context.estimate_minor
    if context.preapproved_minor is None or price is None:
        return False
    return price <= context.preapproved_minor


def check_move(
    code: str, current: JobStatus, target: JobStatus, context: TransitionContext
) -> None:
    """Raise :class:`InvalidTransition` naming the allowed moves unless ``target`` is one."""
    allowed = allowed_moves(current, context)
    if target in allowed:
        return
    if current is S.COLLECTED:
        message = _("Job {code} was collected; a collected job cannot change status.").format(
            code=code
        )
    else:
        names = ", ".join(status.label for status in allowed)
        message = _("Job {code} cannot move from “{current}” to “{target}”. Allowed: {allowed}.")
        message = message.format(
            code=code, current=current.label, target=target.label, allowed=names
        )
        if (
            current is S.DIAGNOSING
            and target is S.IN_REPAIR
            and not _repair_needs_no_approval(context)
        ):
            message += " " + _(
                "The estimate is above what the customer pre-approved: ask for approval first."
            )
    raise InvalidTransition(message, tuple(str(status) for status in allowed))


def parse_status(value: str) -> JobStatus:
    """A status from its key (``in_repair``) or, forgivingly, ``in-repair`` / ``In repair``."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return JobStatus(key)
    except ValueError:
        keys = ", ".join(status.value for status in JobStatus)
        raise InvalidTransition(
            _("Unknown status “{value}”. Statuses are: {keys}.").format(value=value, keys=keys)
        ) from None


def parse_job_type(value: str) -> JobType:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return JobType(key)
    except ValueError:
        keys = ", ".join(job_type.value for job_type in JobType)
        raise ValidationError(
            _("Unknown job type “{value}”. Job types are: {keys}.").format(value=value, keys=keys),
            field="job_type",
        ) from None
