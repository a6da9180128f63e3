"""Sending the outbox: e-mail over SMTP, SMS through an HTTP gateway or e-mail-to-SMS.

One run (:func:`send_due`: ``repairshop outbox send``, and the app every minute) has three
steps, each its own transaction or none:

1. :func:`prepare`: queue the reminders that have come due, give up messages whose sender
   stopped between sending and recording, and *claim* the due messages (committed before
   anything is sent);
2. :func:`deliver`: send each claimed message, outside any transaction (the app does this
   off its database worker, so a slow mail server never holds the desk);
3. :func:`record`: record each outcome: sent; failed for good; or, when it surely did not
   go (the server was down, or it said "try later"), queued again after a back-off.

Why at most once: a message is only sent by the sender that claimed it, and a claimed
message is never claimed again. A failure is retried only when it is certain the message
did not go (no connection, or the server refused it); when the outcome is unknown (the
connection broke while the message was on its way, or the sender crashed before step 3),
the message is recorded as failed, and a claim whose lease ran out unrecorded is failed too
(:func:`~.outbox.give_up_interrupted`). The idempotency key goes with the message (the
e-mail's ``Message-ID``, ``{key}`` in a gateway's URL) for servers that can drop duplicates.

The mail password comes from the operating system's keyring (service ``RepairShop``, the
``mail.user`` as the name; the ``keyring`` package), else from ``REPAIRSHOP_MAIL_PASSWORD``;
an HTTP gateway's token likewise (name ``sms.token``, or ``REPAIRSHOP_SMS_TOKEN``).
Neither is ever stored in the database.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Protocol

from repairshop.i18n import _
from repairshop.services.changes import Changes
from repairshop.services.customers.outbox import (
    LEASE,
    Claimed,
    claim_due,
    give_up_interrupted,
    outbox_changes,
    queue_reminders,
    record_failure,
    record_sent,
)
from repairshop.services.database import Database
from repairshop.services.shop.messaging import MessagingSettings, get_messaging
from repairshop.services.shop.settings import get_settings
from repairshop.services.uow import UnitOfWork

KEYRING_SERVICE = "RepairShop"
MAIL_PASSWORD_VARIABLE = "REPAIRSHOP_MAIL_PASSWORD"
SMS_TOKEN_VARIABLE = "REPAIRSHOP_SMS_TOKEN"
TIMEOUT = 15.0
"""Seconds to wait for a server before the attempt counts as failed."""
BUDGET = LEASE / 2
"""How long one run may send: a claim still has half its lease left when it is sent, so
no other desk ever declares a message interrupted while it is on its way."""


class NotSent(Exception):
    """The message surely did not go; ``retry``: it may go later (the server is down)."""

    def __init__(self, error: str, *, retry: bool) -> None:
        super().__init__(error)
        self.retry = retry


class OutcomeUnknown(Exception):
    """The message may or may not have gone: it is never sent again."""


def secret(name: str, variable: str) -> str | None:
    """A secret from the operating system's keyring, if the ``keyring`` package is installed
    and holds one, else from the environment variable ``variable``."""
    try:
        keyring = importlib.import_module("keyring")
        found = keyring.get_password(KEYRING_SERVICE, name)
    except Exception:  # no keyring package, or no keyring backend on this machine
        found = None
    return str(found) if found else os.environ.get(variable) or None


# --- Transports ----------------------------------------------------------------------------


class Transport(Protocol):
    def __call__(self, message: Claimed) -> None:
        """Send it, or raise :class:`NotSent` or :class:`OutcomeUnknown`."""


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    security: str
    user: str
    password: str | None
    sender: str
    sender_name: str

    def message(self, to: str, subject: str, body: str, language: str, key: str) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = formataddr((self.sender_name, self.sender))
        mail["To"] = to
        if subject:
            mail["Subject"] = subject
        mail["Date"] = formatdate(usegmt=True)
        domain = self.sender.rpartition("@")[2] or "repairshop.invalid"
        mail["Message-ID"] = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(body, charset="utf-8")
        mail["Content-Language"] = language  # after the content, which sets Content-*
        return mail

    def send(self, mail: EmailMessage) -> None:
        if not self.sender:
            raise NotSent(
                _("Say which address the messages come from: the setting mail.from."), retry=True
            )
        if self.user and not self.password:
            raise NotSent(
                _(
                    "There is no password for the mail user {user}: keep it in the system "
                    "keyring (service RepairShop) or in REPAIRSHOP_MAIL_PASSWORD."
                ).format(user=self.user),
                retry=True,
            )
        try:
            if self.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
        except (OSError, smtplib.SMTPException) as exc:
            raise NotSent(
                _("The mail server {host}:{port} cannot be reached ({error}).").format(
                    host=self.host, port=self.port, error=exc
                ),
                retry=True,
            ) from exc
        try:
            try:
                if self.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if self.user:
                    client.login(self.user, self.password or "")
            except smtplib.SMTPAuthenticationError as exc:
                raise NotSent(
                    _("The mail server refused the user name or password ({error}).").format(
                        error=_smtp_error(exc)
                    ),
                    retry=True,
                ) from exc
            except (OSError, smtplib.SMTPException) as exc:
                raise NotSent(str(exc), retry=True) from exc
            try:
                client.send_message(mail)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _text in exc.recipients.values()]
                raise NotSent(
                    _("The mail server refused the address: {error}").format(
                        error="; ".join(_smtp_error(error) for error in exc.recipients.values())
                    ),
                    retry=all(400 <= code < 500 for code in codes),
                ) from exc
            except smtplib.SMTPResponseException as exc:
                # The server answered "no" to the sender or the text: it did not take it.
                raise NotSent(
                    _("The mail server refused the message: {error}").format(
                        error=_smtp_error((exc.smtp_code, exc.smtp_error))
                    ),
                    retry=400 <= exc.smtp_code < 500,
                ) from exc
            except (OSError, smtplib.SMTPException) as exc:
                raise OutcomeUnknown(
                    _("The connection broke while the message was on its way ({error}).").format(
                        error=exc
                    )
                ) from exc
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()


def _smtp_error(error: tuple[int, bytes | str] | smtplib.SMTPResponseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        error = (error.smtp_code, error.smtp_error)
    code, text = error
    return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"


def _fill(template: str, values: dict[str, str], quote: Callable[[str], str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(value))
    return template


@dataclass(frozen=True)
class HttpGateway:
    url_template: str
    method: str
    body_template: str
    sender: str
    token: str | None

    def request(self, message: Claimed) -> urllib.request.Request:
        values = {
            "to": message.recipient,
            "to_digits": message.recipient.lstrip("+"),
            "text": message.body,
            "sender": self.sender,
            "token": self.token or "",
            "key": message.key,
        }
        url = _fill(self.url_template, values, lambda value: urllib.parse.quote(value, safe=""))
        data = None
        headers = {"User-Agent": "RepairShop"}
        if self.method == "POST":
            body = self.body_template.strip()
            if body.startswith(("{", "[")):
                data = _fill(body, values, lambda value: json.dumps(value)[1:-1]).encode()
                headers["Content-Type"] = "application/json"
            else:
                data = _fill(body, values, urllib.parse.quote_plus).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return urllib.request.Request(url, data=data, headers=headers, method=self.method)

    def __call__(self, message: Claimed) -> None:
        request = self.request(message)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            # "Try later" for sure (too many requests, unavailable, request not read): retry.
            # Any other answer is a refusal, or (a 500, a proxy's 502/504) may hide a text
            # that went: never again.
            retry = exc.code in (408, 429, 503)
            raise NotSent(
                _("The SMS gateway answered {status} {reason}.").format(
                    status=exc.code, reason=exc.reason
                ),
                retry=retry,
            ) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ConnectionRefusedError | socket.gaierror):
                raise NotSent(
                    _("The SMS gateway cannot be reached ({error}).").format(error=exc.reason),
                    retry=True,
                ) from exc
            raise OutcomeUnknown(str(exc.reason)) from exc
        except OSError as exc:
            raise OutcomeUnknown(str(exc)) from exc


@dataclass(frozen=True)
class Transports:
    """How each channel goes out this run; ``None``: the channel is not set up."""

    email: Transport | None = None
    sms: Transport | None = None

    def for_channel(self, channel: str) -> Transport | None:
        return self.email if channel == "email" else self.sms


def transports_from(messaging: MessagingSettings, shop_name: str, shop_email: str) -> Transports:
    mail: MailServer | None = None
    if messaging.mail_configured:
        mail = MailServer(
            host=messaging["mail.host"],
            port=int(messaging["mail.port"]),
            security=messaging["mail.security"],
            user=messaging["mail.user"],
            password=secret(messaging["mail.user"], MAIL_PASSWORD_VARIABLE)
            if messaging["mail.user"]
            else None,
            sender=messaging["mail.from"] or shop_email or messaging["mail.user"],
            sender_name=shop_name,
        )
    email: Transport | None = None
    if mail is not None:
        server = mail

        def send_email(message: Claimed) -> None:
            server.send(
                server.message(
                    message.recipient, message.subject, message.body, message.language, message.key
                )
            )

        email = send_email
    sms: Transport | None = None
    gateway = messaging["sms.gateway"]
    if gateway == "http" and messaging.sms_configured:
        sms = HttpGateway(
            url_template=messaging["sms.url_template"],
            method=messaging["sms.method"],
            body_template=messaging["sms.body_template"],
            sender=messaging["sms.sender"],
            token=secret("sms.token", SMS_TOKEN_VARIABLE),
        )
    elif gateway == "email" and messaging.sms_configured and mail is not None:
        server, template = mail, messaging["sms.email_template"]

        def send_sms_by_email(message: Claimed) -> None:
            to = template.replace("{number}", message.recipient.lstrip("+"))
            server.send(server.message(to, "", message.body, message.language, message.key))

        sms = send_sms_by_email
    return Transports(email=email, sms=sms)


# --- One run ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    message: Claimed
    error: str = ""
    """Empty: sent."""
    retry: bool = False


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class Prepared:
    claimed: list[Claimed]
    transports: Transports
    changes: Changes


def prepare(uow: UnitOfWork, *, limit: int = 20, transports: Transports | None = None) -> Prepared:
    """Step 1, in one transaction the caller commits before delivering."""
    reminders = queue_reminders(uow)
    interrupted = give_up_interrupted(uow)
    claimed = claim_due(uow, limit)
    uow.flush()
    if transports is None:
        shop = get_settings(uow)
        transports = transports_from(get_messaging(uow), shop.name, shop.email)
    return Prepared(claimed, transports, reminders | outbox_changes(*interrupted))


def deliver(prepared: Prepared, budget: timedelta = BUDGET) -> list[Outcome]:
    """Step 2, outside any transaction: send each claimed message once.

    Messages still unsent when ``budget`` has run out (a slow server) are not sent: they go
    back to the queue, and their claim never runs out while one is on its way.
    """
    outcomes: list[Outcome] = []
    deadline = time.monotonic() + budget.total_seconds()
    for message in prepared.claimed:
        transport = prepared.transports.for_channel(message.channel)
        if time.monotonic() > deadline:
            outcomes.append(Outcome(message, _("Not sent yet: the server was slow."), retry=True))
            continue
        if transport is None:
            outcomes.append(
                Outcome(message, _("This channel is no longer set up; not sent."), retry=False)
            )
            continue
        try:
            transport(message)
        except NotSent as exc:
            outcomes.append(Outcome(message, str(exc), retry=exc.retry))
        except Exception as exc:  # OutcomeUnknown, or a bug while sending: never again
            outcomes.append(Outcome(message, str(exc) or type(exc).__name__, retry=False))
        else:
            outcomes.append(Outcome(message))
    return outcomes


def record(uow: UnitOfWork, outcomes: list[Outcome]) -> SendReport:
    """Step 3, in one transaction: what happened to each message."""
    report = SendReport()
    for outcome in outcomes:
        if not outcome.error:
            record_sent(uow, outcome.message)
            report.sent += 1
        elif record_failure(uow, outcome.message, outcome.error, retry=outcome.retry):
            report.retrying += 1
        else:
            report.failed += 1
    uow.flush()
    report.changes = outbox_changes(*(outcome.message.job_id for outcome in outcomes))
    return report


def send_due(db: Database, *, transports: Transports | None = None, limit: int = 20) -> SendReport:
    """One run of the sender: what is due goes out once; returns what happened."""
    with db.unit_of_work() as uow:
        prepared = prepare(uow, limit=limit, transports=transports)
        uow.commit()
    outcomes = deliver(prepared)
    with db.unit_of_work() as uow:
        report = record(uow, outcomes)
        uow.commit()
    report.changes = report.changes | prepared.changes
    return report
