"""A job's manufacturer warranty claim: the claim number, the parts replaced under it with
their old and new serials, and which of the old parts the manufacturer wants back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from repairshop.db.tables import ClaimPart, ManufacturerClaim, Part
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.jobs.workflow import (
    JobChanged,
    job_changes,
    load_job,
    load_job_row,
    record_event,
)
from repairshop.services.parts.stock import get_part
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

MAX_CLAIM_NUMBER = 64
MAX_SERIAL = 100


@dataclass(frozen=True)
class ClaimPartView:
    sku: str
    name: str
    old_serial: str
    new_serial: str
    to_return: bool


@dataclass(frozen=True)
class ClaimView:
    number: str
    parts: tuple[ClaimPartView, ...]

    @property
    def to_return(self) -> tuple[ClaimPartView, ...]:
        return tuple(part for part in self.parts if part.to_return)


def _text(value: str, field: str, limit: int, message: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise ValidationError(message, field=field)
    if len(cleaned) > limit:
        raise ValidationError(
            _("“{value}” is too long (at most {limit} characters).").format(
                value=cleaned, limit=limit
            ),
            field=field,
        )
    return cleaned


def record_claim(uow: UnitOfWork, code: str, number: str, actor: str) -> JobChanged:
    """Keep the manufacturer's claim number on the job (a correction keeps the old in history)."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    number = _text(number, "number", MAX_CLAIM_NUMBER, _("Give the manufacturer's claim number."))
    claim = uow.session.scalar(select(ManufacturerClaim).where(ManufacturerClaim.job_id == job.id))
    if claim is not None and claim.number == number:
        raise ValidationError(
            _("Job {code} already has claim number {number}.").format(code=job.code, number=number),
            field="number",
        )
    before = claim.number if claim is not None else None
    if claim is None:
        claim = ManufacturerClaim(
            job_id=job.id, number=number, created_by_id=user.id, created_at=uow.now()
        )
        uow.session.add(claim)
    else:
        claim.number = number
    record_event(job, uow, user, "claim", from_value=before, to_value=number)
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


def add_claim_part(
    uow: UnitOfWork,
    code: str,
    sku: str,
    actor: str,
    *,
    old_serial: str,
    new_serial: str,
    to_return: bool = False,
) -> JobChanged:
    """A part replaced under the job's claim: the old unit's serial, the new one's, and
    whether the old one goes back to the manufacturer."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    claim = uow.session.scalar(select(ManufacturerClaim).where(ManufacturerClaim.job_id == job.id))
    if claim is None:
        raise ValidationError(
            _("Job {code} has no manufacturer claim yet: record its claim number first.").format(
                code=job.code
            ),
            field="number",
        )
    part = get_part(uow, sku)
    old = _text(old_serial, "old_serial", MAX_SERIAL, _("Give the old part's serial."))
    new = _text(new_serial, "new_serial", MAX_SERIAL, _("Give the new part's serial."))
    if old == new:
        raise ValidationError(
            _("The old and the new part cannot have the same serial ({serial}).").format(
                serial=old
            ),
            field="new_serial",
        )
    known = uow.session.scalar(
        select(ClaimPart.id).where(ClaimPart.claim_id == claim.id, ClaimPart.old_serial == old)
    )
    if known is not None:
        raise ValidationError(
            _("The part with serial {serial} is already on claim {number}.").format(
                serial=old, number=claim.number
            ),
            field="old_serial",
        )
    uow.session.add(
        ClaimPart(
            claim_id=claim.id,
            part_id=part.id,
            old_serial=old,
            new_serial=new,
            to_return=to_return,
            created_by_id=user.id,
            created_at=uow.now(),
        )
    )
    note = _("{sku}: {old} → {new}").format(sku=part.sku, old=old, new=new)
    if to_return:
        note += " " + _("(goes back to the manufacturer)")
    record_event(job, uow, user, "claim_part", note=note)
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


def claims_for(uow: UnitOfWork, job_ids: Sequence[int]) -> dict[int, ClaimView]:
    """The manufacturer claims of these jobs, by job id."""
    if not job_ids:
        return {}
    claims = list(
        uow.session.scalars(select(ManufacturerClaim).where(ManufacturerClaim.job_id.in_(job_ids)))
    )
    parts: dict[int, list[ClaimPartView]] = {claim.id: [] for claim in claims}
    if claims:
        for line, part_sku, part_name in uow.session.execute(
            select(ClaimPart, Part.sku, Part.name)
            .join(Part, Part.id == ClaimPart.part_id)
            .where(ClaimPart.claim_id.in_(parts))
            .order_by(ClaimPart.id)
        ):
            parts[line.claim_id].append(
                ClaimPartView(
                    sku=part_sku,
                    name=part_name,
                    old_serial=line.old_serial,
                    new_serial=line.new_serial,
                    to_return=line.to_return,
                )
            )
    return {claim.job_id: ClaimView(claim.number, tuple(parts[claim.id])) for claim in claims}


def job_claim(uow: UnitOfWork, code: str) -> ClaimView | None:
    job = load_job_row(uow, code)
    return claims_for(uow, [job.id]).get(job.id)


def claim_to_json(view: ClaimView | None) -> dict[str, object] | None:
    if view is None:
        return None
    return {
        "number": view.number,
        "parts": [
            {
                "sku": part.sku,
                "name": part.name,
                "old_serial": part.old_serial,
                "new_serial": part.new_serial,
                "return": part.to_return,
            }
            for part in view.parts
        ],
        "to_return": [part.old_serial for part in view.to_return],
    }
