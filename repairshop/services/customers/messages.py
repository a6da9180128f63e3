"""What the shop tells a customer about their job, in the customer's language.

A message is written for the moment that matters to the customer (the device
was taken in, the repair needs their approval, parts are on order, the device
is ready) as an e-mail (subject and body) and as a short text for SMS. It is
always in the customer's preferred language, whatever language the clerk's
desk speaks; amounts and dates are formatted for that language too.

This module writes the words; :mod:`.outbox` queues them when a job's status calls for
them and :mod:`.sending` sends them (the UI still offers to copy them or open them in the
desk's mail client).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from repairshop.domain.contacts import format_phone
from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.errors import ValidationError
from repairshop.i18n import (
    N_,
    NC_,
    _,
    format_day,
    format_money,
    gettext_in,
    normalise_language,
)
from repairshop.services.jobs.views import JobView
from repairshop.services.money.lines import JobLinesView
from repairshop.services.shop.messaging import template_key
from repairshop.services.shop.settings import ShopSettings


class MessageKind(StrEnum):
    RECEIVED = "received"
    NEEDS_APPROVAL = "needs_approval"
    WAITING_FOR_PARTS = "waiting_for_parts"
    READY = "ready"
    READY_UNREPAIRED = "ready_unrepaired"
    PARTS_ARRIVED = "parts_arrived"
    DELAYED = "delayed"
    REMINDER = "reminder"
    STORAGE_FEE = "storage_fee"
    APPROVAL_REMINDER = "approval_reminder"
    FEEDBACK = "feedback"

    @property
    def label(self) -> str:
        return _(MESSAGE_KIND_LABELS[self])

    @property
    def notify_kind(self) -> str:
        """The ``notify.<kind>`` setting that says whether and how it is sent."""
        if self in (MessageKind.STORAGE_FEE, MessageKind.APPROVAL_REMINDER):
            return MessageKind.REMINDER.value
        return self.value


MESSAGE_KIND_LABELS: dict[MessageKind, str] = {
    MessageKind.RECEIVED: N_("Device received"),
    MessageKind.NEEDS_APPROVAL: N_("Approval needed"),
    MessageKind.WAITING_FOR_PARTS: NC_("customer message", "Waiting for parts"),
    MessageKind.READY: N_("Ready for pickup"),
    MessageKind.READY_UNREPAIRED: N_("Ready for pickup, not repaired"),
    MessageKind.PARTS_ARRIVED: N_("Parts arrived"),
    MessageKind.DELAYED: N_("Repair delayed"),
    MessageKind.REMINDER: N_("Pickup reminder"),
    MessageKind.STORAGE_FEE: N_("Storage fee notice"),
    MessageKind.APPROVAL_REMINDER: N_("Approval reminder"),
    MessageKind.FEEDBACK: N_("Feedback request"),
}

_SUBJECTS: dict[MessageKind, str] = {
    MessageKind.RECEIVED: N_("Your device is with us (job {code})"),
    MessageKind.NEEDS_APPROVAL: N_("Your approval is needed (job {code})"),
    MessageKind.WAITING_FOR_PARTS: N_("Parts are on order (job {code})"),
    MessageKind.READY: N_("Your device is ready for pickup (job {code})"),
    MessageKind.READY_UNREPAIRED: N_("Your device is ready for pickup (job {code})"),
    MessageKind.PARTS_ARRIVED: N_("The parts have arrived (job {code})"),
    MessageKind.DELAYED: N_("Your repair is taking longer (job {code})"),
    MessageKind.REMINDER: N_("Reminder: your device is waiting for you (job {code})"),
    MessageKind.STORAGE_FEE: N_("Storage fee notice (job {code})"),
    MessageKind.APPROVAL_REMINDER: N_("Reminder: your approval is needed (job {code})"),
    MessageKind.FEEDBACK: N_("How did we do? (job {code})"),
}

_OPENINGS: dict[MessageKind, str] = {
    MessageKind.RECEIVED: N_("we have taken in your {device} for service under job number {code}."),
    MessageKind.NEEDS_APPROVAL: N_("we have diagnosed your {device} (job {code})."),
    MessageKind.WAITING_FOR_PARTS: N_(
        "the parts needed to repair your {device} (job {code}) are on order."
    ),
    MessageKind.READY: N_("your {device} (job {code}) is repaired and ready for pickup."),
    MessageKind.READY_UNREPAIRED: N_(
        "your {device} (job {code}) is ready for pickup; unfortunately we could not repair it."
    ),
    MessageKind.PARTS_ARRIVED: N_(
        "the parts for your {device} (job {code}) have arrived and we are repairing it."
    ),
    MessageKind.DELAYED: N_(
        "the repair of your {device} (job {code}) is taking longer than we promised."
    ),
    MessageKind.REMINDER: N_("your {device} (job {code}) has been ready for pickup since {date}."),
    MessageKind.STORAGE_FEE: N_(
        "your {device} (job {code}) has been ready for pickup since {date} and has not been "
        "collected yet."
    ),
    MessageKind.APPROVAL_REMINDER: N_(
        "we are still waiting for your answer about the repair of your {device} (job {code})."
    ),
    MessageKind.FEEDBACK: N_(
        "thank you for bringing your {device} to us (job {code}). How likely are you to "
        "recommend us to a friend, from 0 (not at all) to 10 (certainly)?"
    ),
}

_TEXTS: dict[MessageKind, str] = {
    MessageKind.RECEIVED: N_("{shop}: we have taken in your {device}, job {code}."),
    MessageKind.NEEDS_APPROVAL: N_(
        "{shop}: your {device} (job {code}) is diagnosed. Please tell us whether to go ahead."
    ),
    MessageKind.WAITING_FOR_PARTS: N_(
        "{shop}: parts for your {device} (job {code}) are on order; we will let you know."
    ),
    MessageKind.READY: N_("{shop}: your {device} (job {code}) is ready for pickup."),
    MessageKind.READY_UNREPAIRED: N_(
        "{shop}: your {device} (job {code}) is ready for pickup; we could not repair it."
    ),
    MessageKind.PARTS_ARRIVED: N_(
        "{shop}: the parts for your {device} (job {code}) have arrived; the repair goes on."
    ),
    MessageKind.DELAYED: N_(
        "{shop}: the repair of your {device} (job {code}) is taking longer than promised; "
        "we will let you know when it is ready."
    ),
    MessageKind.REMINDER: N_(
        "{shop}: a reminder: your {device} (job {code}) has been ready for pickup since {date}."
    ),
    MessageKind.STORAGE_FEE: N_(
        "{shop}: your {device} (job {code}) has been ready since {date}. As our terms say, "
        "storage may now be charged; please collect it."
    ),
    MessageKind.APPROVAL_REMINDER: N_(
        "{shop}: we are still waiting for your answer about your {device} (job {code}). "
        "Shall we go ahead?"
    ),
    MessageKind.FEEDBACK: N_(
        "{shop}: thank you for job {code}. Would you recommend us? Reply with 0-10 and "
        "the code {reply}."
    ),
}

_KIND_BY_STATUS: dict[JobStatus, MessageKind] = {
    JobStatus.RECEIVED: MessageKind.RECEIVED,
    JobStatus.DIAGNOSING: MessageKind.RECEIVED,
    JobStatus.AWAITING_APPROVAL: MessageKind.NEEDS_APPROVAL,
    JobStatus.AWAITING_PARTS: MessageKind.WAITING_FOR_PARTS,
    JobStatus.READY: MessageKind.READY,
}


@dataclass(frozen=True)
class CustomerMessage:
    kind: MessageKind
    language: str
    to_name: str
    email: str | None
    phone: str | None
    may_contact: bool
    """The customer agreed to be told about their job by e-mail or text."""
    subject: str
    body: str
    text: str
    """The short form, for an SMS."""


def message_kind_for(job: JobView) -> MessageKind | None:
    """What the customer wants to hear at the job's present status; None: nothing new."""
    if job.status is JobStatus.READY and job.outcome == Outcome.RETURNED_UNREPAIRED.value:
        return MessageKind.READY_UNREPAIRED
    return _KIND_BY_STATUS.get(job.status)


def customer_message(
    job: JobView,
    shop: ShopSettings,
    kind: MessageKind | None = None,
    language: str | None = None,
    quote: JobLinesView | None = None,
    *,
    reply_code: str = "",
    reply_url: str = "",
    templates: Mapping[str, str] | None = None,
) -> CustomerMessage:
    """The message about ``job`` in the customer's language (or ``language``, when asked for).

    ``kind`` defaults to what the job's status calls for; a status with nothing
    new to say (the device is being worked on) needs an explicit ``kind``. A
    collected job has nothing left to say but the feedback request (``reply_code`` and the
    shop's ``reply_url`` tell the customer how to answer); every other kind is refused.
    ``quote`` (the job's lines) makes the approval messages list what the repair costs, line
    by line.
    """
    if job.status is JobStatus.COLLECTED and kind is not MessageKind.FEEDBACK:
        collected = job.status_changed_at.astimezone(job.zone).date()
        raise ValidationError(
            _(
                "Job {code} was collected on {date}: the customer has the device back, so "
                "there is nothing more to tell them about it."
            ).format(code=job.code, date=format_day(collected)),
            field="kind",
        )
    kind = kind or message_kind_for(job)
    if kind is None:
        raise ValidationError(
            _("Job {code} is “{status}”: there is no news for the customer yet.").format(
                code=job.code, status=job.status.label
            ),
            field="kind",
        )
    language = normalise_language(language or job.customer.language)
    t = partial(gettext_in, language)
    device = job.device.title or job.device.type
    shop_name = shop.name or t(N_("the service centre"))
    since = job.status_changed_at.astimezone(job.zone).date()
    facts = {
        "code": job.code,
        "device": device,
        "shop": shop_name,
        "date": format_day(since, language, style="long"),
        "reply": reply_code,
    }
    paragraphs = [
        t(N_("Dear {name},")).format(name=job.customer.name),
        t(_OPENINGS[kind]).format(**facts),
        *_details(job, kind, language, t, quote),
        *_reply(kind, reply_code, reply_url, t),
        "\n".join(
            line
            for line in (t(N_("Kind regards,")), shop_name, shop.address, _contact(shop))
            if line
        ),
    ]
    subject = t(_SUBJECTS[kind]).format(**facts)
    body = "\n\n".join(paragraphs) + "\n"
    text = t(_TEXTS[kind]).format(**facts) + _reply_link(kind, reply_code, reply_url)
    if templates:
        # The shop's own wording of a part, in this language, replaces the built-in one.
        fields = {
            **facts,
            "name": job.customer.name,
            "url": reply_url.replace("{code}", reply_code),
        }
        own = {
            part: templates.get(template_key(kind.value, language, part), "")
            for part in ("subject", "body", "text")
        }
        subject = own["subject"].format(**fields) if own["subject"] else subject
        body = own["body"].format(**fields).rstrip("\n") + "\n" if own["body"] else body
        text = own["text"].format(**fields) if own["text"] else text
    return CustomerMessage(
        kind=kind,
        language=language,
        to_name=job.customer.name,
        email=job.customer.email,
        phone=job.customer.phone,
        may_contact=job.customer.consent_to_contact,
        subject=subject,
        body=body,
        text=text,
    )


def _reply_link(kind: MessageKind, code: str, url: str) -> str:
    return f" {url.replace('{code}', code)}" if kind is MessageKind.FEEDBACK and url else ""


def _reply(kind: MessageKind, code: str, url: str, t: Callable[[str], str]) -> list[str]:
    """How to answer a feedback request: the shop's page, or a reply with the code."""
    if kind is not MessageKind.FEEDBACK:
        return []
    lines = [
        t(
            N_(
                "Reply to this message with a number from 0 to 10 and a few words, or give "
                "the code {reply} at our counter."
            )
        ).format(reply=code)
    ]
    if url:
        lines.append(t(N_("Or answer on our page: {url}")).format(url=url.replace("{code}", code)))
    return [" ".join(lines)]


def _details(
    job: JobView,
    kind: MessageKind,
    language: str,
    t: Callable[[str], str],
    quote: JobLinesView | None = None,
) -> list[str]:
    if kind is MessageKind.RECEIVED:
        lines = []
        if job.promised is not None:
            lines.append(
                t(N_("We expect it to be ready by {date}.")).format(
                    date=format_day(job.promised, language, style="long")
                )
            )
        lines.append(t(N_("Please keep your intake receipt: you will need it to collect it.")))
        return [" ".join(lines)]
    if kind in (MessageKind.NEEDS_APPROVAL, MessageKind.APPROVAL_REMINDER):
        if quote is not None and quote.lines:
            return [
                _quote_text(quote, language, t),
                t(N_("Please let us know whether we should go ahead with it.")),
            ]
        lines = []
        if job.estimate is not None:
            lines.append(
                t(N_("The repair will cost {amount}.")).format(
                    amount=format_money(job.estimate, job.currency, language)
                )
            )
        lines.append(t(N_("Please let us know whether we should go ahead with it.")))
        return [" ".join(lines)]
    if kind in (MessageKind.WAITING_FOR_PARTS, MessageKind.PARTS_ARRIVED):
        return [t(N_("We will let you know as soon as your device is ready."))]
    if kind is MessageKind.DELAYED:
        return [
            " ".join(
                (
                    t(N_("We are sorry for the delay.")),
                    t(N_("We will let you know as soon as your device is ready.")),
                )
            )
        ]
    if kind is MessageKind.FEEDBACK:
        return []
    if kind is MessageKind.STORAGE_FEE:
        return [
            t(
                N_(
                    "As the terms on your intake receipt say, we may charge for storing it "
                    "from now on. Please collect it as soon as you can."
                )
            )
        ]
    return [t(N_("Please bring your intake receipt when you come to collect it."))]


def _quote_text(quote: JobLinesView, language: str, t: Callable[[str], str]) -> str:
    """The quote in the e-mail: one line per item, then the total with VAT."""
    currency = quote.currency
    rows = [t(N_("The repair will cost:"))]
    for line in quote.lines:
        rows.append(
            t(N_("{quantity} × {item}: {amount}")).format(
                quantity=line.quantity,
                item=line.description,
                amount=format_money(line.gross, currency, language),
            )
        )
    rows.append(
        t(N_("Total, VAT included: {amount}")).format(
            amount=format_money(quote.total, currency, language)
        )
    )
    return "\n".join(rows)


def _contact(shop: ShopSettings) -> str:
    return "  ·  ".join(part for part in (format_phone(shop.phone), shop.email) if part)
