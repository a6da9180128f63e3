"""What intake knows about a device's past, for the warranty decision made at the counter.

Intake gathers the facts here and calls the pure :func:`repairshop.domain.warranty.decide`
itself; the after-sales room (above this one) explains and overrides stored decisions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import or_, select

from repairshop.db.tables import Device, Job, JobPart, Part
from repairshop.domain.codes import normalise_ticket_code
from repairshop.domain.devices import normalise_serial
from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.domain.warranty import Decision, EarlierJob, Regime
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.uow import UnitOfWork


def device_ids(uow: UnitOfWork, serial: str | None, imei: str | None) -> list[int]:
    """Every device record with this serial or IMEI (one device seen on several visits)."""
    conditions = []
    if serial:
        conditions.append(Device.serial == serial)
    if imei:
        conditions.append(Device.imei == imei)
    if not conditions:
        return []
    return list(uow.session.scalars(select(Device.id).where(or_(*conditions))))


def earlier_jobs(uow: UnitOfWork, ids: Sequence[int]) -> list[EarlierJob]:
    """The collected jobs on these device records, oldest first, with the parts used."""
    if not ids:
        return []
    jobs = uow.session.scalars(
        select(Job)
        .where(Job.device_id.in_(ids), Job.status == JobStatus.COLLECTED.value)
        .order_by(Job.status_changed_at, Job.id)
    ).all()
    parts: dict[int, list[str]] = defaultdict(list)
    for job_id, name in uow.session.execute(
        select(JobPart.job_id, Part.name)
        .join(Part, Part.id == JobPart.part_id)
        .where(JobPart.job_id.in_([job.id for job in jobs]), JobPart.used > 0)
        .order_by(JobPart.id)
    ):
        parts[job_id].append(name)
    return [
        EarlierJob(
            code=job.code,
            collected_on=job.status_changed_at.date(),
            fault=job.fault,
            parts=tuple(parts[job.id]),
            outcome=job.outcome or Outcome.REPAIRED.value,
            repair_over_replacement=job.repair_over_replacement,
            regime=Regime(job.warranty_regime) if job.warranty_regime else None,
            until=job.warranty_until,
            burden_until=job.warranty_burden_until,
        )
        for job in jobs
    ]


def sold_by_us_before(uow: UnitOfWork, ids: Sequence[int]) -> bool:
    """Whether an earlier record of this device says the shop sold it."""
    if not ids:
        return False
    return bool(
        uow.session.scalar(
            select(Device.id).where(Device.id.in_(ids), Device.sold_by_us.is_(True)).limit(1)
        )
    )


def replaced_device(uow: UnitOfWork, serial_or_imei: str) -> tuple[int, EarlierJob]:
    """The device this one replaced (by its serial or IMEI) and the job that replaced it."""
    text = serial_or_imei.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    ids = device_ids(uow, normalise_serial(text), digits if len(digits) == 15 else None)
    replacing = [job for job in earlier_jobs(uow, ids) if job.outcome == Outcome.REPLACED.value]
    if not replacing:
        raise ValidationError(
            _("No collected job replaced a device with serial or IMEI “{value}”.").format(
                value=text
            ),
            field="device.replaces",
        )
    job = replacing[-1]
    device_id = uow.session.scalar(select(Job.device_id).where(Job.code == job.code))
    assert device_id is not None
    return device_id, job


def check_repeat_of(code: str | None, earlier: Sequence[EarlierJob]) -> str | None:
    """The ticket code the clerk named as the repair whose fault is back, if it is this device's."""
    if not code or not code.strip():
        return None
    normalised = normalise_ticket_code(code)
    if normalised not in {job.code for job in earlier}:
        raise ValidationError(
            _("Job “{code}” is not a collected job on this device.").format(code=code.strip()),
            field="repeat_of",
        )
    return normalised


def store_decision(job: Job, decision: Decision) -> None:
    """Keep the decision with the job: later settings changes never rewrite it."""
    job.warranty_regime = decision.regime.value
    job.warranty_until = decision.until
    job.warranty_burden = decision.burden_of_proof.value if decision.burden_of_proof else None
    job.warranty_burden_until = decision.burden_until
    job.warranty_decision = json.dumps(decision.to_json(), ensure_ascii=False)
