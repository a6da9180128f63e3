"""A job's intake evidence by ticket code: the checklists, photos and signatures, and a view.

Every desk sees the same evidence: photos live in the database (size-limited, with a
thumbnail for the card), so a backup carries them too. The pattern lock is a field of the
job, changed with :func:`~.workflow.edit_job` like the passcode.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from repairshop.db.tables import Job, JobPhoto, JobSignature, Loan, User
from repairshop.domain.evidence import (
    Compared,
    PointAnswer,
    PointState,
    Stage,
    compare,
    signature_strokes,
)
from repairshop.domain.roles import Permission, may
from repairshop.errors import NotFound
from repairshop.i18n import _
from repairshop.services.jobs.evidence_store import (
    checklist_points,
    checklist_required,
    deposit_text,
    latest_signature,
    open_loan,
    store_checklist,
    store_photo,
    store_signature,
    stored_checklist,
)
from repairshop.services.jobs.workflow import (
    JobChanged,
    check_version,
    job_changes,
    load_job,
    load_job_row,
    record_event,
    refuse_if_collected,
)
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


def record_checklist(
    uow: UnitOfWork,
    code: str,
    stage: Stage,
    answers: Iterable[PointAnswer],
    actor: str,
    *,
    expected_version: int | None = None,
) -> JobChanged:
    """The condition checked at ``stage``; the final one must answer every point."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    check_version(job, expected_version)
    refuse_if_collected(job)
    complete = True if stage is Stage.FINAL else None
    count = store_checklist(uow, job, user, stage, answers, complete=complete)
    record_event(job, uow, user, "checklist", to_value=str(count), note=stage.value)
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


def add_photo(
    uow: UnitOfWork, code: str, data: bytes, actor: str, *, file_name: str, stage: Stage
) -> JobChanged:
    user = get_user(uow, actor)
    job = load_job(uow, code)
    refuse_if_collected(job)
    photo = store_photo(uow, job, user, data, file_name=file_name, stage=stage)
    uow.flush()
    record_event(job, uow, user, "photo", to_value=str(photo.id), note=photo.file_name)
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


def photo_data(uow: UnitOfWork, photo_id: int) -> tuple[str, bytes]:
    """A photo's media type and its bytes as taken."""
    row = uow.session.execute(
        select(JobPhoto.media_type, JobPhoto.data).where(JobPhoto.id == photo_id)
    ).first()
    if row is None:
        raise NotFound(_("There is no such photo."))
    return row[0], row[1]


def choose_photo_for_receipt(
    uow: UnitOfWork, code: str, photo_id: int, on_receipt: bool, actor: str
) -> JobChanged:
    user = get_user(uow, actor)
    job = load_job(uow, code)
    photo = uow.session.get(JobPhoto, photo_id)
    if photo is None or photo.job_id != job.id:
        raise NotFound(_("There is no such photo."))
    photo.on_receipt = on_receipt
    record_event(job, uow, user, "photo", to_value=str(photo.id), note="receipt")
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


def sign(
    uow: UnitOfWork,
    code: str,
    occasion: str,
    strokes: Sequence[Sequence[tuple[float, float]]],
    actor: str,
    *,
    signer: str = "",
    aspect: float = 3.0,
) -> JobChanged:
    """The customer's signature drawn at ``occasion`` (``intake`` or ``collection``)."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    if occasion == "intake":
        refuse_if_collected(job)
    signature = store_signature(uow, job, user, occasion, strokes, signer=signer, aspect=aspect)
    record_event(job, uow, user, "signed", to_value=occasion, note=signature.signer)
    uow.flush()
    return JobChanged(job.code, job.version, job_changes(job))


@dataclass(frozen=True)
class PhotoView:
    id: int
    at: datetime
    stage: Stage
    file_name: str
    size: int
    sha256: str
    thumbnail: bytes
    on_receipt: bool
    by: str


@dataclass(frozen=True)
class SignatureView:
    occasion: str
    signer: str
    at: datetime
    taken_by: str
    strokes: list[list[tuple[float, float]]]
    aspect: float


@dataclass(frozen=True)
class LoanView:
    label: str
    name: str
    serial: str
    lent_at: datetime
    due: date
    deposit: str
    deposit_minor: int
    condition_out: str
    returned_at: datetime | None
    condition_in: str


@dataclass(frozen=True)
class EvidenceView:
    code: str
    job_id: int
    points: tuple[str, ...]
    required: bool
    intake: dict[str, PointState]
    final: dict[str, PointState]
    notes: dict[tuple[str, str], str]
    """(stage, point) → the note written with it."""
    compared: list[Compared]
    photos: list[PhotoView]
    signatures: dict[str, SignatureView]
    """The latest signature per occasion."""
    loan: LoanView | None
    pattern_lock: str | None
    """``None`` when the viewer may not see passcodes."""

    @property
    def changed_points(self) -> list[str]:
        return [item.point for item in self.compared if item.changed]


def _last_loan(uow: UnitOfWork, job_id: int) -> Loan | None:
    return uow.session.scalar(
        select(Loan).where(Loan.job_id == job_id).order_by(Loan.id.desc()).limit(1)
    )


def signature_view(signature: JobSignature, taken_by: str) -> SignatureView:
    return SignatureView(
        signature.occasion,
        signature.signer,
        signature.at,
        taken_by,
        signature_strokes(signature.strokes),
        float(signature.aspect),
    )


def collection_signature(uow: UnitOfWork, code: str) -> SignatureView | None:
    """The customer's latest signature drawn at collection (the collection document's)."""
    job = load_job(uow, code)
    signature = latest_signature(uow, job.id, "collection")
    if signature is None:
        return None
    taken_by = uow.session.get(User, signature.taken_by_id)
    return signature_view(signature, taken_by.display_name if taken_by else "")


def evidence_view(
    uow: UnitOfWork,
    code: str,
    viewer: str | None,
    *,
    language: str | None = None,
    job: Job | None = None,
) -> EvidenceView:
    """What the card, the receipt and the comparison show; ``viewer`` None prints (no secrets).

    ``job``: its row, when the caller read it already (the receipt reads the job once)."""
    job = job if job is not None else load_job_row(uow, code)
    show_secret = viewer is not None and may(get_user(uow, viewer).role, Permission.SEE_PASSCODE)
    users = {user.id: user.display_name for user in uow.session.scalars(select(User))}
    checks = {stage: stored_checklist(uow, job.id, stage) for stage in Stage}  # read once
    intake = {check.point: PointState(check.state) for check in checks[Stage.INTAKE]}
    final = {check.point: PointState(check.state) for check in checks[Stage.FINAL]}
    notes = {
        (check.stage, check.point): check.note
        for stage in Stage
        for check in checks[stage]
        if check.note
    }
    points = checklist_points(uow, job.device.device_type)
    photos = [
        PhotoView(
            row.id,
            row.at,
            Stage(row.stage),
            row.file_name,
            row.size,
            row.sha256,
            row.thumbnail,
            row.on_receipt,
            users.get(row.user_id, ""),
        )
        for row in uow.session.execute(
            select(
                JobPhoto.id,
                JobPhoto.at,
                JobPhoto.stage,
                JobPhoto.file_name,
                JobPhoto.size,
                JobPhoto.sha256,
                JobPhoto.thumbnail,
                JobPhoto.on_receipt,
                JobPhoto.user_id,
            )
            .where(JobPhoto.job_id == job.id)
            .order_by(JobPhoto.id)
        )
    ]
    signatures = {}
    for occasion in ("intake", "collection"):
        signature = latest_signature(uow, job.id, occasion)
        if signature is not None:
            signatures[occasion] = signature_view(signature, users.get(signature.taken_by_id, ""))
    loan = None
    current = open_loan(uow, job.id) or _last_loan(uow, job.id)
    if current is not None:
        loan = LoanView(
            current.loaner.label,
            current.loaner.name,
            current.loaner.serial,
            current.lent_at,
            current.due,
            deposit_text(current, language),
            current.deposit_minor,
            current.condition_out,
            current.returned_at,
            current.condition_in,
        )
    return EvidenceView(
        code=job.code,
        job_id=job.id,
        points=points,
        required=checklist_required(uow),
        intake=intake,
        final=final,
        notes=notes,
        compared=compare(points, intake, final),
        photos=photos,
        signatures=signatures,
        loan=loan,
        pattern_lock=job.pattern_lock if show_secret else None,
    )
