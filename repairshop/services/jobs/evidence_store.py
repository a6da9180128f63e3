"""Intake evidence on a loaded job: the checklist, photos, signatures, loans, and two guards.

These take a :class:`~repairshop.db.tables.Job` already loaded, so intake and the workflow
use them inside their own unit of work; :mod:`.evidence` and :mod:`.loaners` are the
services by ticket code. A job cannot be ready without its final checklist when the shop
requires checklists, and cannot be collected while a loaner lent with it is still out.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select

from repairshop.db.tables import Job, JobCheck, JobPhoto, JobSignature, Loan, Loaner, Setting, User
from repairshop.domain.devices import DeviceType
from repairshop.domain.evidence import (
    DEFAULT_CHECKLISTS,
    PointAnswer,
    PointState,
    Stage,
    check_answers,
    parse_checklist,
    signature_json,
)
from repairshop.domain.money import from_minor, to_minor
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _, format_money
from repairshop.services.uow import UnitOfWork

REQUIRED_KEY = "checklist.required"
CHECKLIST_PREFIX = "checklist."
MAX_PHOTO_BYTES = 4 * 1024 * 1024
MAX_PHOTOS = 20
MAX_PHOTO_PIXELS = 50_000_000
"""A camera's 48 megapixels; more is a picture that would take the desk's memory."""
THUMBNAIL_PX = 160
_MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def checklist_points(uow: UnitOfWork, device_type: str) -> tuple[str, ...]:
    """The points checked on this device type: the shop's own list or the default."""
    own = uow.session.scalar(
        select(Setting.value).where(Setting.key == CHECKLIST_PREFIX + device_type)
    )
    if own:
        return parse_checklist(own)
    return DEFAULT_CHECKLISTS.get(device_type, DEFAULT_CHECKLISTS[DeviceType.OTHER.value])


def checklist_required(uow: UnitOfWork) -> bool:
    value = uow.session.scalar(select(Setting.value).where(Setting.key == REQUIRED_KEY))
    return value == "true"


def stored_checklist(uow: UnitOfWork, job_id: int, stage: Stage) -> list[JobCheck]:
    return list(
        uow.session.scalars(
            select(JobCheck)
            .where(JobCheck.job_id == job_id, JobCheck.stage == stage.value)
            .order_by(JobCheck.position)
        )
    )


def store_checklist(
    uow: UnitOfWork,
    job: Job,
    user: User,
    stage: Stage,
    answers: Iterable[PointAnswer],
    *,
    complete: bool | None = None,
) -> int:
    """Record (or record again) the job's checklist at ``stage``; returns the points kept.

    With ``complete`` (default: the shop's setting) every point must be answered.
    """
    points = checklist_points(uow, job.device.device_type)
    if complete is None:
        complete = checklist_required(uow)
    given = list(answers)
    kept = check_answers(points, given, complete=complete)
    if not kept and given:
        return 0
    uow.session.execute(
        delete(JobCheck).where(JobCheck.job_id == job.id, JobCheck.stage == stage.value)
    )
    now = uow.now()
    for answer in kept:
        uow.session.add(
            JobCheck(
                job_id=job.id,
                stage=stage.value,
                position=points.index(answer.point),
                point=answer.point,
                state=answer.state.value,
                note=" ".join(answer.note.split())[:200],
                at=now,
                user_id=user.id,
            )
        )
    return len(kept)


def guard_ready(uow: UnitOfWork, job: Job) -> None:
    """Refuse ``ready`` until the condition has been checked again, when the shop requires it."""
    if not checklist_required(uow):
        return
    if not stored_checklist(uow, job.id, Stage.INTAKE):
        return
    final = stored_checklist(uow, job.id, Stage.FINAL)
    points = checklist_points(uow, job.device.device_type)
    if {check.point for check in final} >= set(points):
        return
    raise ValidationError(
        _(
            "Check the device's condition again (the checklist after the repair) "
            "before job {code} is ready."
        ).format(code=job.code),
        field="checklist",
    )


def open_loan(uow: UnitOfWork, job_id: int) -> Loan | None:
    return uow.session.scalar(
        select(Loan).where(Loan.job_id == job_id, Loan.returned_at.is_(None)).limit(1)
    )


def guard_collection(uow: UnitOfWork, job: Job) -> None:
    """A job is not handed over while the loaner lent with it is still out."""
    loan = open_loan(uow, job.id)
    if loan is None:
        return
    raise ValidationError(
        _(
            "Job {code} cannot be collected: loaner {label} ({name}) has not come back. "
            "Take the loaner back first."
        ).format(code=job.code, label=loan.loaner.label, name=loan.loaner.name),
        field="loaner",
    )


def find_loaner(uow: UnitOfWork, label: str) -> Loaner:
    loaner = uow.session.scalar(select(Loaner).where(Loaner.label == label.strip().upper()))
    if loaner is None:
        raise NotFound(_("There is no loaner “{label}”.").format(label=label.strip()))
    return loaner


@dataclass(frozen=True)
class LoanRequest:
    loaner: str
    """The loaner's label."""
    due: date | None = None
    """When it must come back; by default the job's promised day."""
    deposit: Decimal | None = None
    """``None`` asks the loaner's usual deposit."""
    condition: str = ""


def lend_to(uow: UnitOfWork, job: Job, user: User, request: LoanRequest) -> Loan:
    loaner = find_loaner(uow, request.loaner)
    if not loaner.active:
        raise ValidationError(
            _("Loaner {label} is no longer lent.").format(label=loaner.label), field="loaner"
        )
    out = uow.session.scalar(
        select(Loan).where(Loan.loaner_id == loaner.id, Loan.returned_at.is_(None)).limit(1)
    )
    if out is not None:
        raise ValidationError(
            _("Loaner {label} is out with job {code}.").format(
                label=loaner.label, code=out.job.code
            ),
            field="loaner",
        )
    if open_loan(uow, job.id) is not None:
        raise ValidationError(
            _("Job {code} already has a loaner out.").format(code=job.code), field="loaner"
        )
    due = request.due or job.promised
    if due is None or due < uow.now().date():
        raise ValidationError(_("Give the day the loaner is due back."), field="due")
    deposit = (
        loaner.deposit_minor if request.deposit is None else to_minor(request.deposit, job.currency)
    )
    if deposit < 0:
        raise ValidationError(_("A deposit cannot be negative."), field="deposit")
    loan = Loan(
        loaner=loaner,
        job=job,
        lent_at=uow.now(),
        lent_by_id=user.id,
        due=due,
        deposit_minor=deposit,
        currency=job.currency,
        condition_out=request.condition.strip(),
        condition_in="",
    )
    uow.session.add(loan)
    return loan


def deposit_text(loan: Loan, language: str | None = None) -> str:
    return format_money(from_minor(loan.deposit_minor, loan.currency), loan.currency, language)


def check_photo(data: bytes) -> tuple[str, bytes]:
    """The photo's media type and its thumbnail; anything but a JPEG or PNG is refused."""
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("A photo is at most {size} MB; this one is {actual} MB.").format(
                size=MAX_PHOTO_BYTES // (1024 * 1024), actual=round(len(data) / 1048576, 1)
            ),
            field="photo",
        )
    from PIL import Image, UnidentifiedImageError  # with the first photo, not at start

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            if kind not in _MEDIA_TYPES:
                raise UnidentifiedImageError(kind)
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise ValidationError(
                    _("A photo is at most {count} megapixels.").format(
                        count=MAX_PHOTO_PIXELS // 1_000_000
                    ),
                    field="photo",
                )
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            thumb = io.BytesIO()
            image.convert("RGB").save(thumb, "JPEG", quality=80)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("A photo must be a JPEG or PNG picture."), field="photo") from None
    return _MEDIA_TYPES[kind], thumb.getvalue()


def store_photo(
    uow: UnitOfWork, job: Job, user: User, data: bytes, *, file_name: str, stage: Stage
) -> JobPhoto:
    media_type, thumbnail = check_photo(data)
    count = len(list(uow.session.scalars(select(JobPhoto.id).where(JobPhoto.job_id == job.id))))
    if count >= MAX_PHOTOS:
        raise ValidationError(
            _("A job keeps at most {count} photos.").format(count=MAX_PHOTOS), field="photo"
        )
    photo = JobPhoto(
        job_id=job.id,
        stage=stage.value,
        at=uow.now(),
        user_id=user.id,
        file_name=file_name.strip()[-200:],
        media_type=media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        thumbnail=thumbnail,
        on_receipt=False,
    )
    uow.session.add(photo)
    return photo


OCCASIONS = ("intake", "collection")


def store_signature(
    uow: UnitOfWork,
    job: Job,
    user: User,
    occasion: str,
    strokes: Sequence[Sequence[tuple[float, float]]],
    *,
    signer: str,
    aspect: float = 3.0,
) -> JobSignature:
    if occasion not in OCCASIONS:
        raise ValidationError(_("A signature is taken at intake or at collection."))
    signer_name = " ".join(signer.split())[:200] or job.customer.name
    signature = JobSignature(
        job_id=job.id,
        occasion=occasion,
        signer=signer_name,
        strokes=signature_json(strokes),
        aspect=f"{min(max(aspect, 0.5), 10.0):.3f}",
        at=uow.now(),
        taken_by_id=user.id,
    )
    uow.session.add(signature)
    return signature


def latest_signature(uow: UnitOfWork, job_id: int, occasion: str) -> JobSignature | None:
    return uow.session.scalar(
        select(JobSignature)
        .where(JobSignature.job_id == job_id, JobSignature.occasion == occasion)
        .order_by(JobSignature.id.desc())
        .limit(1)
    )


def intake_states(uow: UnitOfWork, job_id: int, stage: Stage) -> dict[str, PointState]:
    return {check.point: PointState(check.state) for check in stored_checklist(uow, job_id, stage)}
