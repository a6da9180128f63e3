"""The outbox: messages to customers, queued in the transaction that calls for them.

A status change that the customer wants to hear about (:func:`queue_for_status_change`,
wired to :class:`~repairshop.services.events.JobStatusChanged` in
:mod:`repairshop.bootstrap`) and a reminder that has come due (:func:`queue_reminders`)
each add one row per channel to the ``outbox`` table, with the text already written in
the customer's language. Nothing is queued for a customer who has not agreed to be
contacted, nor for a kind of message the shop switched off (``notify.<kind>``), nor for a
channel the shop has not set up.

Every row has an idempotency key naming its occasion (the history row of the move, or the
moment the job became ready for a reminder) and its channel; the key is unique, so one
occasion never queues a second message, also when two desks look for reminders at once.

Sending (:mod:`.sending`) claims rows here, in their own transaction, before it sends them
and records the outcome after, so a message is sent at most once (docs/ARCHITECTURE.md,
"Messages to customers").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from repairshop.db.tables import Customer, Job, OutboxMessage, status_among
from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.i18n import N_, _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.customers.messages import MessageKind, customer_message
from repairshop.services.events import JobStatusChanged
from repairshop.services.jobs.pricing import price_job
from repairshop.services.jobs.views import JobView, job_view
from repairshop.services.jobs.workflow import load_job, load_job_row, show_job
from repairshop.services.money.lines import job_lines
from repairshop.services.shop.messaging import MessagingSettings, get_messaging
from repairshop.services.shop.opening_hours import get_opening_hours, shop_today
from repairshop.services.shop.settings import get_settings
from repairshop.services.uow import UnitOfWork

_QUOTED = (MessageKind.NEEDS_APPROVAL, MessageKind.APPROVAL_REMINDER)
"""Messages that ask for the customer's approval: they carry the quote's lines."""

LEASE = timedelta(minutes=10)
"""How long a claim holds a row; a run sends for half of it at most (see ``sending``)."""
MAX_ATTEMPTS = 8
"""Attempts before a message that keeps failing is given up (about four hours of back-off)."""
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)

LATE_STATUSES = (
    JobStatus.RECEIVED,
    JobStatus.DIAGNOSING,
    JobStatus.AWAITING_PARTS,
    JobStatus.IN_REPAIR,
    JobStatus.TESTING,
)
"""Where a job past its promised day is late by the shop's doing (not waiting for the
customer's answer), so the customer is told it is delayed, once."""

INTERRUPTED = N_(
    "Sending was interrupted before its outcome was recorded; it may have reached the "
    "customer, so it is not sent again."
)
NO_CONSENT = N_("The customer withdrew their consent to be contacted; not sent.")


class State(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    """Claimed by a sender, which is sending it now (shown as ``queued``)."""
    SENT = "sent"
    FAILED = "failed"


def outbox_changes(*job_ids: int | None) -> Changes:
    ids = tuple(job_id for job_id in job_ids if job_id is not None)
    return Changes(kinds=frozenset({ChangeKind.JOB}), job_ids=ids)


def _status_message(event: JobStatusChanged, job: Job) -> MessageKind | None:
    if event.from_status is None:
        return MessageKind.RECEIVED
    target = JobStatus(event.to_status)
    if target is JobStatus.AWAITING_APPROVAL:
        return MessageKind.NEEDS_APPROVAL
    if target is JobStatus.AWAITING_PARTS:
        return MessageKind.WAITING_FOR_PARTS
    if event.from_status == JobStatus.AWAITING_PARTS.value and target in (
        JobStatus.IN_REPAIR,
        JobStatus.DIAGNOSING,
    ):
        return MessageKind.PARTS_ARRIVED
    if target is JobStatus.READY:
        if job.outcome == Outcome.RETURNED_UNREPAIRED.value:
            return MessageKind.READY_UNREPAIRED
        return MessageKind.READY
    return None


def queue_for_status_change(uow: UnitOfWork, event: JobStatusChanged) -> Changes:
    """The handler of a job's move: queue what the customer wants to hear about it."""
    job = uow.session.get(Job, event.job_id)
    assert job is not None
    kind = _status_message(event, job)
    if kind is None:
        return Changes()
    queued = queue_message(uow, job, kind, f"job{job.id}/ev{event.event_id}/{kind.value}")
    return outbox_changes(job.id) if queued else Changes()


def queue_message(
    uow: UnitOfWork,
    job: Job,
    kind: MessageKind,
    occasion: str,
    messaging: MessagingSettings | None = None,
    *,
    reply_code: str = "",
) -> int:
    """Queue ``kind`` about ``job`` once per channel the shop sends it by; the number queued.

    ``occasion`` names what the message is about; with the channel it makes the message's
    idempotency key, so queueing the same occasion again adds nothing.
    """
    customer = job.customer
    if not customer.consent_to_contact:
        return 0
    messaging = messaging or get_messaging(uow)
    channels = [
        (channel, address)
        for channel in messaging.channels_for(kind.notify_kind)
        if (address := customer.email if channel == "email" else customer.phone)
    ]
    if not channels:
        return 0
    job = load_job(uow, job.code)
    view = job_view(
        job,
        show_passcode=False,
        zone=get_opening_hours(uow).zone(),
        price_minor=price_job(uow, job).price_minor,
    )
    quote = job_lines(uow, job.code) if kind in _QUOTED else None
    message = customer_message(
        view,
        get_settings(uow),
        kind,
        quote=quote,
        reply_code=reply_code,
        reply_url=messaging["feedback.url"] if reply_code else "",
        templates=messaging.templates,
    )
    now = uow.now()
    queued = 0
    for channel, address in channels:
        values: dict[str, Any] = {
            "key": f"{occasion}/{channel}",
            "job_id": job.id,
            "customer_id": customer.id,
            "kind": kind.value,
            "channel": channel,
            "recipient": address,
            "language": message.language,
            "subject": message.subject if channel == "email" else "",
            "body": message.body if channel == "email" else message.text,
            "state": State.QUEUED.value,
            "attempts": 0,
            "created_at": now,
            "due_at": now,
            "error": "",
        }
        queued += _insert_once(uow, values)
    return queued


def _insert_once(uow: UnitOfWork, values: dict[str, Any]) -> int:
    """Insert the row unless its key is there already (also one another desk just added)."""
    insert = postgresql_insert if uow.dialect == "postgresql" else sqlite_insert
    statement = (
        insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
    )
    result = uow.session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def queue_reminders(uow: UnitOfWork) -> Changes:
    """Queue the reminders that have come due; each occasion once.

    A device ready for ``reminder.ready_days`` gets a pickup reminder, after
    ``reminder.storage_fee_days`` the storage-fee notice; a job awaiting the customer's
    approval for ``reminder.approval_days`` gets an approval reminder; a job in the workshop
    past its promised day tells the customer, once, that it is delayed. 0 days switches one
    off.
    """
    messaging = get_messaging(uow)
    if not (messaging.mail_configured or messaging.sms_configured):
        return Changes()
    now = uow.now()
    touched: list[int] = []
    rules = (
        (JobStatus.READY, "reminder.ready_days", MessageKind.REMINDER),
        (JobStatus.READY, "reminder.storage_fee_days", MessageKind.STORAGE_FEE),
        (JobStatus.AWAITING_APPROVAL, "reminder.approval_days", MessageKind.APPROVAL_REMINDER),
    )
    for status, setting, kind in rules:
        days = messaging.days(setting)
        if days <= 0 or not messaging.channels_for(kind.notify_kind):
            continue
        jobs = uow.session.scalars(
            select(Job)
            .join(Customer, Customer.id == Job.customer_id)
            .where(
                Job.status == status.value,
                Job.status_changed_at <= now - timedelta(days=days),
                Customer.consent_to_contact.is_(True),
                # Not queued yet since the job came to this status (the key says it too;
                # this keeps the jobs already reminded out of every later run).
                ~exists().where(
                    OutboxMessage.job_id == Job.id,
                    OutboxMessage.kind == kind.value,
                    OutboxMessage.created_at >= Job.status_changed_at,
                ),
            )
            .order_by(Job.id)
        ).all()
        for job in jobs:
            since = job.status_changed_at.isoformat()
            if queue_message(uow, job, kind, f"job{job.id}/{since}/{kind.value}", messaging):
                touched.append(job.id)
    if messaging.channels_for(MessageKind.DELAYED.notify_kind):
        late = uow.session.scalars(
            select(Job)
            .join(Customer, Customer.id == Job.customer_id)
            .where(
                status_among(status.value for status in LATE_STATUSES),
                Job.promised < shop_today(uow),
                Customer.consent_to_contact.is_(True),
                ~exists().where(
                    OutboxMessage.job_id == Job.id,
                    OutboxMessage.kind == MessageKind.DELAYED.value,
                ),
            )
            .order_by(Job.id)
        ).all()
        for job in late:
            occasion = f"job{job.id}/promised{job.promised}/{MessageKind.DELAYED.value}"
            if queue_message(uow, job, MessageKind.DELAYED, occasion, messaging):
                touched.append(job.id)
    uow.flush()
    return outbox_changes(*touched) if touched else Changes()


# --- The sender's side: claim, then record ------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """A message a sender holds: it alone may send it, once, and then record the outcome."""

    id: int
    token: str
    key: str
    job_id: int | None
    kind: str
    channel: str
    recipient: str
    language: str
    subject: str
    body: str
    attempts: int


def give_up_interrupted(uow: UnitOfWork) -> list[int]:
    """Rows claimed whose lease ran out unrecorded: a sender stopped between sending and
    recording. Whether the customer got it is unknown, so they fail and are never resent."""
    now = uow.now()
    rows = uow.session.execute(
        select(OutboxMessage.id, OutboxMessage.job_id).where(
            OutboxMessage.state == State.SENDING.value, OutboxMessage.lease_until < now
        )
    ).all()
    for row_id, _job_id in rows:
        uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.state == State.SENDING.value)
            .values(state=State.FAILED.value, done_at=now, error=_(INTERRUPTED))
        )
    return [job_id for _row_id, job_id in rows if job_id is not None]


def claim_due(uow: UnitOfWork, limit: int = 20) -> list[Claimed]:
    """Claim up to ``limit`` queued messages that are due, oldest first.

    Each claim is a conditional update (``state = 'queued'``), so of two senders only one
    gets a row. The caller commits before sending anything.
    """
    now = uow.now()
    rows = uow.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.state == State.QUEUED.value, OutboxMessage.due_at <= now)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed: list[Claimed] = []
    for row in rows:
        consent = uow.session.scalar(
            select(Customer.consent_to_contact).where(Customer.id == row.customer_id)
        )
        token = uuid.uuid4().hex
        values: dict[str, Any] = (
            {"state": State.SENDING.value, "claim_token": token, "lease_until": now + LEASE}
            if consent
            else {"state": State.FAILED.value, "done_at": now, "error": _(NO_CONSENT)}
        )
        result = uow.session.execute(
            update(OutboxMessage)
            .where(and_(OutboxMessage.id == row.id, OutboxMessage.state == State.QUEUED.value))
            .values(attempts=OutboxMessage.attempts + (1 if consent else 0), **values)
            .execution_options(synchronize_session=False)
        )
        if consent and getattr(result, "rowcount", 0) == 1:
            claimed.append(
                Claimed(
                    id=row.id,
                    token=token,
                    key=row.key,
                    job_id=row.job_id,
                    kind=row.kind,
                    channel=row.channel,
                    recipient=row.recipient,
                    language=row.language,
                    subject=row.subject,
                    body=row.body,
                    attempts=row.attempts + 1,
                )
            )
    return claimed


def record_sent(uow: UnitOfWork, message: Claimed) -> None:
    uow.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == message.token)
        .values(state=State.SENT.value, done_at=uow.now(), lease_until=None, error="")
    )


def retry_wait(attempts: int) -> timedelta:
    """The back-off after the ``attempts``-th failed attempt: 1, 2, 4 … minutes, at most 1 h."""
    return min(FIRST_RETRY * (1 << max(attempts - 1, 0)), LONGEST_WAIT)


def record_failure(uow: UnitOfWork, message: Claimed, error: str, *, retry: bool) -> bool:
    """Record a failed attempt: queued again after a back-off when ``retry`` (the message
    surely did not go) and attempts remain, else failed for good. True: it will be retried."""
    now = uow.now()
    again = retry and message.attempts < MAX_ATTEMPTS
    values: dict[str, Any] = (
        {"state": State.QUEUED.value, "due_at": now + retry_wait(message.attempts)}
        if again
        else {"state": State.FAILED.value, "done_at": now}
    )
    uow.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == message.token)
        .values(lease_until=None, error=error[:2000], **values)
    )
    return again


# --- What was sent: the log -----------------------------------------------------------------


@dataclass(frozen=True)
class LoggedMessage:
    id: int
    job_code: str | None
    kind: str
    channel: str
    to: str
    state: str
    """``queued`` (also while a sender holds it), ``sent`` or ``failed``."""
    at: datetime
    """When it was sent or given up; while queued, when it was queued."""
    error: str
    attempts: int
    due_at: datetime
    subject: str

    @property
    def kind_label(self) -> str:
        try:
            return MessageKind(self.kind).label
        except ValueError:
            return self.kind


def message_log(
    uow: UnitOfWork, *, job_id: int | None = None, limit: int | None = 500
) -> list[LoggedMessage]:
    """The outbox, newest first: one job's messages, or the latest ``limit`` of the shop."""
    query = (
        select(OutboxMessage, Job.code)
        .outerjoin(Job, Job.id == OutboxMessage.job_id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    if job_id is not None:
        query = query.where(OutboxMessage.job_id == job_id)
    if limit is not None:
        query = query.limit(limit)
    return [
        LoggedMessage(
            id=row.id,
            job_code=code,
            kind=row.kind,
            channel=row.channel,
            to=row.recipient,
            state=State.QUEUED.value if row.state == State.SENDING.value else row.state,
            at=row.done_at or row.created_at,
            error=row.error,
            attempts=row.attempts,
            due_at=row.due_at,
            subject=row.subject,
        )
        for row, code in uow.session.execute(query).all()
    ]


def job_messages(uow: UnitOfWork, code: str) -> list[LoggedMessage]:
    """One job's messages, oldest first (as its history)."""
    return messages_of_job(uow, load_job_row(uow, code).id)


def messages_of_job(uow: UnitOfWork, job_id: int) -> list[LoggedMessage]:
    """The messages of the job with this id, oldest first: one query (the job card's)."""
    return list(reversed(message_log(uow, job_id=job_id, limit=None)))


def logged_to_json(message: LoggedMessage) -> dict[str, object]:
    return {
        "kind": message.kind,
        "channel": message.channel,
        "to": message.to,
        "state": message.state,
        "at": message.at.isoformat(),
        "error": message.error or None,
        "job": message.job_code,
        "attempts": message.attempts,
    }


def preview_job(uow: UnitOfWork, viewer: str) -> JobView | None:
    """The newest job still in the shop, to preview the messages on; None: there is none."""
    code = uow.session.scalar(
        select(Job.code)
        .where(Job.status != JobStatus.COLLECTED.value)
        .order_by(Job.id.desc())
        .limit(1)
    )
    return show_job(uow, code, viewer) if code is not None else None
