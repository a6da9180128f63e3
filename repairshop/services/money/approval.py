"""The customer's approval of a job's price: how much, how, when, and who took it.

Each approval replaces the one before on the job and is an event (kind ``approval``)
in its history, with the old and the new amount in minor units and the way it was
given. The guard in :mod:`..jobs.pricing` holds every later step to the amount.
"""

from __future__ import annotations

from decimal import Decimal

from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.money import to_minor
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.jobs.workflow import (
    JobChanged,
    job_changes,
    load_job,
    record_event,
    refuse_if_collected,
)
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


def approve(
    uow: UnitOfWork,
    code: str,
    amount: Decimal,
    method: ApprovalMethod,
    actor: str,
    *,
    note: str = "",
) -> JobChanged:
    """Record that the customer approved ``amount`` (VAT included) for the job."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    refuse_if_collected(job)
    if amount < 0:
        raise ValidationError(
            _("An amount cannot be negative: {value}.").format(value=amount), field="amount"
        )
    minor = to_minor(amount, job.currency)
    old = job.approved_minor
    job.approved_minor = minor
    job.approved_at = uow.now()
    job.approved_by = user
    job.approval_method = method.value
    text = note.strip()
    record_event(
        job,
        uow,
        user,
        "approval",
        from_value=None if old is None else str(old),
        to_value=str(minor),
        note=f"{method.value}: {text}" if text else method.value,
    )
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))
