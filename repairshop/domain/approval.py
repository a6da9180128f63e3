"""The customer's approval of a job's price, and the rule that guards it.

A paid repair (or an estimate) may cost only what the customer approved: the last
approval recorded, or the amount pre-approved at intake. While the quote is being
built (before repair starts and before any approval) lines and parts may be added
freely; the move into repair needs an approval covering the price. Once there is an
approval, or once repair has started, any step that takes the price above the
approved amount is refused until a new approval covers it. Warranty claims and
complaints cost the customer nothing and are never held up.
"""

from __future__ import annotations

from enum import StrEnum

from repairshop.domain.money import from_minor
from repairshop.domain.statuses import JobStatus, JobType
from repairshop.errors import ApprovalRequired, ValidationError
from repairshop.i18n import N_, _, format_money


class ApprovalMethod(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"
    SIGNED = "signed"

    @property
    def label(self) -> str:
        return _(APPROVAL_METHOD_LABELS[self])


APPROVAL_METHOD_LABELS: dict[ApprovalMethod, str] = {
    ApprovalMethod.IN_PERSON: N_("in person"),
    ApprovalMethod.PHONE: N_("by phone"),
    ApprovalMethod.EMAIL: N_("by e-mail"),
    ApprovalMethod.SIGNED: N_("signed"),
}


def approval_method_label(key: str) -> str:
    """The translated way of a stored approval method key (an unknown key as it is)."""
    try:
        return ApprovalMethod(key).label
    except ValueError:
        return key


def parse_approval_method(value: str) -> ApprovalMethod:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return ApprovalMethod(key)
    except ValueError:
        keys = ", ".join(method.value for method in ApprovalMethod)
        raise ValidationError(
            _("Unknown way of approval “{value}”. Use one of: {keys}.").format(
                value=value, keys=keys
            ),
            field="by",
        ) from None


_WORK_STATUSES = frozenset({JobStatus.IN_REPAIR, JobStatus.TESTING, JobStatus.READY})
_QUOTE_STATUSES = frozenset({JobStatus.DIAGNOSING, JobStatus.AWAITING_APPROVAL})


def repair_started(status: JobStatus, resume_status: JobStatus | None) -> bool:
    """Whether work on the device has begun (a paused job counts where it paused)."""
    if status in (JobStatus.ON_HOLD, JobStatus.AWAITING_PARTS):
        return resume_status in _WORK_STATUSES
    return status in _WORK_STATUSES or status is JobStatus.COLLECTED


def starts_repair(current: JobStatus, resume_status: JobStatus | None, target: JobStatus) -> bool:
    """Whether moving to ``target`` starts the repair (from diagnosis or the quote)."""
    if target is not JobStatus.IN_REPAIR:
        return False
    if current in (JobStatus.ON_HOLD, JobStatus.AWAITING_PARTS):
        return resume_status is None or resume_status in _QUOTE_STATUSES
    return current in _QUOTE_STATUSES


def approved_amount(approved_minor: int | None, preapproved_minor: int | None) -> int | None:
    """What the customer agreed to pay: the last approval, else the intake pre-approval."""
    return approved_minor if approved_minor is not None else preapproved_minor


def check_price_approved(
    code: str,
    job_type: JobType,
    *,
    price_minor: int,
    approved_minor: int | None,
    currency: str,
    required: bool,
) -> None:
    """Refuse with :class:`ApprovalRequired` unless ``price_minor`` is covered.

    ``required``: an approval must exist (the move into repair, or work already begun);
    otherwise a job without any approval yet is a quote being built and passes.
    """
    if not job_type.needs_approval:
        return
    if approved_minor is None and not required:
        return
    if approved_minor is not None and price_minor <= approved_minor:
        return
    price = from_minor(price_minor, currency)
    if approved_minor is None:
        reason = _(
            "Job {code} would cost {price}, and the customer has not approved a price yet."
        ).format(code=code, price=format_money(price, currency))
        what_to_do = _("Record the customer's approval first.")
    else:
        reason = _(
            "Job {code} would cost {price}, more than the {approved} the customer approved."
        ).format(
            code=code,
            price=format_money(price, currency),
            approved=format_money(from_minor(approved_minor, currency), currency),
        )
        what_to_do = _("Record a new approval that covers it first.")
    raise ApprovalRequired(
        f"{reason} {what_to_do}", reason=reason, code=code, price=price, currency=currency
    )


class ApprovalState(StrEnum):
    """Where a job's price stands against what the customer approved."""

    NOT_NEEDED = "not_needed"
    """A warranty claim or complaint: the customer pays nothing."""
    NO_PRICE = "no_price"
    """Nothing to approve yet: no line and no estimate."""
    MISSING = "missing"
    """A price, and no approval of any amount yet."""
    COVERED = "covered"
    EXCEEDED = "exceeded"
    """The price is above the approved amount: a new approval is needed."""


def approval_state(
    job_type: JobType, price_minor: int | None, approved_minor: int | None
) -> ApprovalState:
    """The state of ``price_minor`` against ``approved_minor`` (see :func:`approved_amount`)."""
    if not job_type.needs_approval:
        return ApprovalState.NOT_NEEDED
    if price_minor is None:
        return ApprovalState.NO_PRICE
    if approved_minor is None:
        return ApprovalState.MISSING
    return ApprovalState.COVERED if price_minor <= approved_minor else ApprovalState.EXCEEDED
