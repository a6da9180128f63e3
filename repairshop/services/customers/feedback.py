"""Asking how it went: a feedback request after collection, and the customer's answer.

When a job is collected (:func:`request_feedback`, wired to
:class:`~repairshop.services.events.JobStatusChanged` in :mod:`repairshop.bootstrap`) it gets
a ``feedback`` row with a short reply code, and a feedback request is queued in the outbox
when the shop sends them (``notify.feedback``) and the customer agreed to be contacted. The
answer — a 0–10 score (would they recommend us?) and a comment — is typed in at the counter
(by the ticket code or the reply code) or taken by the shop's own page with the reply code
(:func:`record_feedback`). The figures are in :mod:`repairshop.services.reports.feedback`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from repairshop.db.tables import Feedback, Job
from repairshop.domain.codes import normalise_ticket_code
from repairshop.domain.statuses import JobStatus
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _
from repairshop.services.changes import Changes
from repairshop.services.customers.messages import MessageKind
from repairshop.services.customers.outbox import outbox_changes, queue_message
from repairshop.services.events import JobStatusChanged
from repairshop.services.jobs.workflow import load_job
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

REPLY_ALPHABET = "ACDEFHJKLMNPRTUVWXY3479"
"""Letters and digits nobody mixes up when reading them aloud or typing them (no O/0, I/1,
S/5, B/8, Z/2, G/6)."""
REPLY_LENGTH = 6
BY_REPLY = "reply"
"""``entered_by`` of an answer the customer gave with the reply code (the shop's page)."""
LOWEST, HIGHEST = 0, 10


@dataclass(frozen=True)
class FeedbackView:
    job_code: str
    reply_code: str
    requested_at: datetime
    score: int | None
    comment: str
    answered_at: datetime | None
    entered_by: str


def _view(row: Feedback, code: str) -> FeedbackView:
    return FeedbackView(
        code,
        row.reply_code,
        row.requested_at,
        row.score,
        row.comment,
        row.answered_at,
        row.entered_by,
    )


def new_reply_code(uow: UnitOfWork) -> str:
    while True:
        code = "".join(secrets.choice(REPLY_ALPHABET) for _ in range(REPLY_LENGTH))
        if uow.session.scalar(select(Feedback.id).where(Feedback.reply_code == code)) is None:
            return code


def _ensure(uow: UnitOfWork, job: Job) -> Feedback:
    row = uow.session.scalar(select(Feedback).where(Feedback.job_id == job.id))
    if row is None:
        row = Feedback(
            job_id=job.id,
            reply_code=new_reply_code(uow),
            requested_at=uow.now(),
            comment="",
            entered_by="",
        )
        uow.session.add(row)
        uow.flush()
    return row


def request_feedback(uow: UnitOfWork, event: JobStatusChanged) -> Changes:
    """The handler of a job's move: on collection, a reply code and (if sent) the request."""
    if event.to_status != JobStatus.COLLECTED.value:
        return Changes()
    job = uow.session.get(Job, event.job_id)
    assert job is not None
    row = _ensure(uow, job)
    occasion = f"job{job.id}/feedback"
    queued = queue_message(uow, job, MessageKind.FEEDBACK, occasion, reply_code=row.reply_code)
    return outbox_changes(job.id) if queued else Changes()


def normalise_reply_code(text: str) -> str:
    return "".join(text.split()).upper()


def _find(uow: UnitOfWork, code: str) -> tuple[Job, Feedback | None]:
    """The job by its ticket code or its feedback's reply code."""
    reply = normalise_reply_code(code)
    row = uow.session.scalar(select(Feedback).where(Feedback.reply_code == reply))
    if row is not None:
        job = uow.session.get(Job, row.job_id)
        assert job is not None
        return job, row
    try:
        job = load_job(uow, normalise_ticket_code(code))
    except (NotFound, ValidationError):
        raise NotFound(
            _("There is no job or reply code “{code}”.").format(code=code.strip())
        ) from None
    return job, uow.session.scalar(select(Feedback).where(Feedback.job_id == job.id))


def get_feedback(uow: UnitOfWork, code: str) -> FeedbackView | None:
    """A job's feedback (by ticket or reply code); None: none was asked for yet."""
    job, row = _find(uow, code)
    return _view(row, job.code) if row is not None else None


def record_feedback(
    uow: UnitOfWork,
    code: str,
    score: int,
    comment: str,
    actor: str | None,
) -> FeedbackView:
    """Store the customer's answer for a collected job, found by ticket or reply code.

    ``actor`` is who typed it in at the counter; ``None`` is the customer's own answer with
    the reply code (the shop's page). A second answer replaces the first.
    """
    if not LOWEST <= score <= HIGHEST:
        raise ValidationError(
            _("The score is a whole number from {low} to {high}.").format(low=LOWEST, high=HIGHEST),
            field="score",
        )
    job, row = _find(uow, code)
    if actor is None and (row is None or row.reply_code != normalise_reply_code(code)):
        raise NotFound(_("There is no reply code “{code}”.").format(code=code.strip()))
    if job.status != JobStatus.COLLECTED.value:
        raise ValidationError(
            _("Job {code} is not collected yet: feedback comes after the handover.").format(
                code=job.code
            ),
            field="code",
        )
    entered_by = BY_REPLY if actor is None else get_user(uow, actor).login
    row = row or _ensure(uow, job)
    row.score = score
    row.comment = comment.strip()[:4000]
    row.answered_at = uow.now()
    row.entered_by = entered_by
    uow.flush()
    return _view(row, job.code)


def feedback_to_json(view: FeedbackView | None) -> dict[str, object] | None:
    if view is None:
        return None
    return {
        "job": view.job_code,
        "reply_code": view.reply_code,
        "requested_at": view.requested_at.isoformat(),
        "score": view.score,
        "comment": view.comment,
        "answered_at": view.answered_at.isoformat() if view.answered_at else None,
        "entered_by": view.entered_by or None,
    }
