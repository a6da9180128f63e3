"""The stored warranty decision: explained rule by rule, and overridden by a manager."""

from __future__ import annotations

import json
from datetime import date

from repairshop.domain.roles import Permission, require
from repairshop.domain.statuses import JobType
from repairshop.domain.warranty import Regime, reason
from repairshop.errors import ValidationError
from repairshop.i18n import N_, _
from repairshop.services.jobs.views import WarrantyView, warranty_view
from repairshop.services.jobs.workflow import (
    JobChanged,
    job_changes,
    load_job,
    record_event,
    refuse_if_collected,
)
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


def parse_regime(value: str) -> Regime:
    try:
        return Regime(value.strip().lower().replace("-", "_"))
    except ValueError:
        raise ValidationError(
            _("Unknown warranty “{value}”. Use one of: {keys}.").format(
                value=value, keys=", ".join(regime.value for regime in Regime)
            ),
            field="regime",
        ) from None


def explain(uow: UnitOfWork, code: str) -> WarrantyView:
    """The decision stored with the job, with every rule tried."""
    job = load_job(uow, code)
    view = warranty_view(job)
    if view is None:
        raise ValidationError(
            _("Job {code} was taken in before RepairShop decided warranties.").format(code=job.code)
        )
    return view


def _summary(regime: str | None, until: date | None) -> str:
    return f"{regime or Regime.NONE.value} {until.isoformat() if until else ''}".strip()


def override(
    uow: UnitOfWork, code: str, regime: Regime, actor: str, *, until: date | None, why: str
) -> JobChanged:
    """A manager sets the warranty by hand; the reason goes into the job's history.

    The job type follows (warranty claim or paid repair) unless the clerk chose another
    type (complaint, estimate) at intake.
    """
    user = get_user(uow, actor)
    require(user.role, Permission.OVERRIDE_WARRANTY, user.display_name)
    job = load_job(uow, code)
    refuse_if_collected(job)
    why = why.strip()
    if not why:
        raise ValidationError(_("Say why the warranty is overridden."), field="reason")
    if regime is Regime.NONE:
        until = None
    elif until is None:
        raise ValidationError(
            _("Give the date the warranty runs until (--until YYYY-MM-DD)."), field="until"
        )
    before = _summary(job.warranty_regime, job.warranty_until)
    stored = json.loads(job.warranty_decision or "{}")
    stored["reasons"] = [
        reason(N_("Set by {name}: {reason}"), name=user.display_name, reason=why).to_json(),
        *stored.get("reasons", []),
    ]
    if regime.value != job.warranty_regime:
        job.warranty_burden = None
        job.warranty_burden_until = None
    job.warranty_regime = regime.value
    job.warranty_until = until
    job.warranty_decision = json.dumps(stored, ensure_ascii=False)
    job.warranty_overridden_by = user
    record_event(
        job,
        uow,
        user,
        "warranty",
        from_value=before,
        to_value=_summary(regime.value, until),
        note=why,
    )
    new_type = JobType.PAID_REPAIR if regime is Regime.NONE else JobType.WARRANTY_CLAIM
    if job.job_type in (JobType.PAID_REPAIR, JobType.WARRANTY_CLAIM) and job.job_type != new_type:
        record_event(
            job,
            uow,
            user,
            "edited",
            from_value=job.job_type,
            to_value=new_type.value,
            note="job_type",
        )
        job.job_type = new_type.value
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))
