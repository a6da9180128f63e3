"""A device's history: every visit (repairs, complaints), the parts replaced with their
serials, the returns to suppliers about it, and what it replaced or was replaced by.

A device is found again by its serial or IMEI. Intake reuses the record it finds; a
database from before that may hold several records of one device, and the history
gathers them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from repairshop.db.tables import Customer, Device, Job, JobEvent, JobPart, Part, PartUnit
from repairshop.domain.devices import normalise_serial
from repairshop.domain.statuses import JobStatus, JobType, Outcome
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _
from repairshop.services.aftersales.claims import ClaimView, claim_to_json, claims_for
from repairshop.services.aftersales.rma import RmaView, rma_to_json, rmas_for
from repairshop.services.jobs.warranty_facts import device_ids
from repairshop.services.parts.stock import UnitStatus
from repairshop.services.uow import UnitOfWork


@dataclass(frozen=True)
class DeviceSummary:
    device_type: str
    brand: str
    model: str
    serial: str | None
    imei: str | None
    owner: str
    sold_by_us: bool

    @property
    def title(self) -> str:
        return f"{self.brand} {self.model}".strip()


@dataclass(frozen=True)
class PartReplaced:
    sku: str
    name: str
    quantity: int
    serials: tuple[str, ...]


@dataclass(frozen=True)
class Visit:
    code: str
    job_type: JobType
    status: JobStatus
    outcome: Outcome | None
    received: datetime
    collected: datetime | None
    fault: str
    complaint_of: str | None
    warranty: str | None
    parts: tuple[PartReplaced, ...]
    claim: ClaimView | None


@dataclass(frozen=True)
class DeviceHistory:
    device: DeviceSummary
    replaces: DeviceSummary | None
    replaced_by: tuple[DeviceSummary, ...]
    visits: tuple[Visit, ...]
    returns: tuple[RmaView, ...]


def _summary(device: Device, owner: str) -> DeviceSummary:
    return DeviceSummary(
        device_type=device.device_type,
        brand=device.brand,
        model=device.model,
        serial=device.serial,
        imei=device.imei,
        owner=owner,
        sold_by_us=device.sold_by_us,
    )


def _devices(uow: UnitOfWork, ids: list[int] | set[int]) -> list[tuple[Device, str]]:
    return [
        (device, name)
        for device, name in uow.session.execute(
            select(Device, Customer.name)
            .join(Customer, Customer.id == Device.customer_id)
            .where(Device.id.in_(ids))
            .order_by(Device.id)
        )
    ]


def find_device_ids(uow: UnitOfWork, serial_or_imei: str) -> list[int]:
    """Every record of the device with this serial or IMEI."""
    text = serial_or_imei.strip()
    if not text:
        raise ValidationError(_("Give the device's serial number or IMEI."), field="serial")
    digits = "".join(ch for ch in text if ch.isdigit())
    ids = device_ids(uow, normalise_serial(text), digits if len(digits) == 15 else None)
    if not ids:
        raise NotFound(
            _("There is no device with serial number or IMEI “{value}”.").format(value=text)
        )
    return ids


def device_history(uow: UnitOfWork, serial_or_imei: str) -> DeviceHistory:
    ids = find_device_ids(uow, serial_or_imei)
    records = _devices(uow, ids)
    current, owner = records[-1]
    replaced_ids = {device.replaces_device_id for device, _owner in records} - {None}
    replaces = _devices(uow, {i for i in replaced_ids if i is not None} - set(ids))
    successors = _devices(
        uow,
        set(
            uow.session.scalars(
                select(Device.id).where(Device.replaces_device_id.in_(ids), Device.id.not_in(ids))
            )
        ),
    )
    jobs = list(
        uow.session.scalars(
            select(Job).where(Job.device_id.in_(ids)).order_by(Job.created_at, Job.id)
        )
    )
    job_ids = [job.id for job in jobs]
    collected = _collected_at(uow, job_ids)
    parts = _parts_replaced(uow, job_ids)
    claims = claims_for(uow, job_ids)
    originals = _codes(uow, {job.complaint_of_id for job in jobs if job.complaint_of_id})
    serials = sorted(
        {device.serial for device, _owner in records if device.serial}
        | {device.imei for device, _owner in records if device.imei}
    )
    visits = tuple(
        Visit(
            code=job.code,
            job_type=JobType(job.job_type),
            status=JobStatus(job.status),
            outcome=Outcome(job.outcome) if job.outcome else None,
            received=job.created_at,
            collected=collected.get(job.id),
            fault=job.fault,
            complaint_of=originals.get(job.complaint_of_id) if job.complaint_of_id else None,
            warranty=job.warranty_regime,
            parts=tuple(parts[job.id]),
            claim=claims.get(job.id),
        )
        for job in jobs
    )
    return DeviceHistory(
        device=_summary(current, owner),
        replaces=_summary(*replaces[-1]) if replaces else None,
        replaced_by=tuple(_summary(device, name) for device, name in successors),
        visits=visits,
        returns=tuple(rmas_for(uow, job_ids, serials)),
    )


def _codes(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        row[0]: row[1]
        for row in uow.session.execute(select(Job.id, Job.code).where(Job.id.in_(ids)))
    }


def _collected_at(uow: UnitOfWork, job_ids: list[int]) -> dict[int, datetime]:
    if not job_ids:
        return {}
    found: dict[int, datetime] = {}
    for job_id, at in uow.session.execute(
        select(JobEvent.job_id, JobEvent.at)
        .where(
            JobEvent.job_id.in_(job_ids),
            JobEvent.kind == "status",
            JobEvent.to_value == JobStatus.COLLECTED.value,
        )
        .order_by(JobEvent.id)
    ):
        found[job_id] = at
    return found


def _parts_replaced(uow: UnitOfWork, job_ids: list[int]) -> dict[int, list[PartReplaced]]:
    """The parts used on each job, with the serials of the units fitted."""
    parts: dict[int, list[PartReplaced]] = defaultdict(list)
    if not job_ids:
        return parts
    serials: dict[tuple[int, int], list[str]] = defaultdict(list)
    for job_id, part_id, serial in uow.session.execute(
        select(PartUnit.job_id, PartUnit.part_id, PartUnit.serial)
        .where(
            PartUnit.job_id.in_(job_ids),
            PartUnit.status == UnitStatus.USED.value,
        )
        .order_by(PartUnit.id)
    ):
        if job_id is not None:
            serials[(job_id, part_id)].append(serial)
    for line, sku, name in uow.session.execute(
        select(JobPart, Part.sku, Part.name)
        .join(Part, Part.id == JobPart.part_id)
        .where(JobPart.job_id.in_(job_ids), JobPart.used > 0)
        .order_by(JobPart.id)
    ):
        parts[line.job_id].append(
            PartReplaced(sku, name, line.used, tuple(serials[(line.job_id, line.part_id)]))
        )
    return parts


def _iso(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")


def _device_json(view: DeviceSummary) -> dict[str, object]:
    return {
        "type": view.device_type,
        "brand": view.brand,
        "model": view.model,
        "serial": view.serial,
        "imei": view.imei,
        "owner": view.owner,
        "sold_by_us": view.sold_by_us,
    }


def history_to_json(history: DeviceHistory) -> dict[str, object]:
    return {
        "device": _device_json(history.device),
        "replaces": _device_json(history.replaces) if history.replaces else None,
        "replaced_by": [_device_json(device) for device in history.replaced_by],
        "jobs": [
            {
                "code": visit.code,
                "job_type": visit.job_type.value,
                "status": visit.status.value,
                "outcome": visit.outcome.value if visit.outcome else None,
                "received": _iso(visit.received),
                "collected": _iso(visit.collected),
                "fault": visit.fault,
                "complaint_of": visit.complaint_of,
                "warranty": visit.warranty,
                "parts": [
                    {
                        "sku": part.sku,
                        "name": part.name,
                        "quantity": part.quantity,
                        "serials": list(part.serials),
                    }
                    for part in visit.parts
                ],
                "manufacturer_claim": claim_to_json(visit.claim),
            }
            for visit in history.visits
        ],
        "returns": [rma_to_json(rma) for rma in history.returns],
    }
