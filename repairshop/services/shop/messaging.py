"""The settings of the messages the app sends: the mail server, the SMS gateway, which
occasion is told by which channel, and when reminders go out.

Keys (``repairshop settings show|set``): ``mail.host``, ``mail.port``, ``mail.security``
(``none`` | ``starttls`` | ``tls``), ``mail.user``, ``mail.from``; ``sms.gateway`` (``http`` |
``email`` | ``off``), ``sms.url_template``, ``sms.method``, ``sms.body_template``,
``sms.email_template``, ``sms.sender``; ``notify.<kind>`` (``email`` | ``sms`` | ``both`` |
``off``) for every kind of message; ``reminder.ready_days``, ``reminder.storage_fee_days``,
``reminder.approval_days`` (0: never).

The mail password and the SMS gateway's token are never stored here, nor in a backup:
they live in the operating system's keyring (or the environment), see
:mod:`repairshop.services.customers.sending`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select

from repairshop.db.tables import Setting
from repairshop.domain.contacts import normalise_email
from repairshop.errors import ValidationError
from repairshop.i18n import LANGUAGES, _
from repairshop.services.uow import UnitOfWork

NOTIFY_KINDS = (
    "received",
    "needs_approval",
    "waiting_for_parts",
    "parts_arrived",
    "ready",
    "ready_unrepaired",
    "delayed",
    "reminder",
    "feedback",
)
"""Every kind of message a shop can switch on or off (``notify.<kind>``)."""
CHANNEL_CHOICES = ("email", "sms", "both", "off")
SECURITY_CHOICES = ("none", "starttls", "tls")
GATEWAY_CHOICES = ("http", "email", "off")
METHOD_CHOICES = ("GET", "POST")
NOTIFY_PREFIX = "notify."


def _bad(key: str, value: str, expected: str) -> ValidationError:
    return ValidationError(
        _("“{value}” is not a valid value for {key}: {expected}").format(
            value=value, key=key, expected=expected
        ),
        field=key,
    )


def _choice(choices: tuple[str, ...], *, upper: bool = False) -> Callable[[str, str], str]:
    def check(key: str, value: str) -> str:
        text = value.strip().upper() if upper else value.strip().lower()
        if text not in choices:
            raise _bad(key, value, _("one of {choices}.").format(choices=", ".join(choices)))
        return text

    return check


def _whole(minimum: int, maximum: int) -> Callable[[str, str], str]:
    def check(key: str, value: str) -> str:
        try:
            number = int(value.strip())
        except ValueError:
            number = minimum - 1
        if not minimum <= number <= maximum:
            raise _bad(
                key,
                value,
                _("a whole number from {minimum} to {maximum}.").format(
                    minimum=minimum, maximum=maximum
                ),
            )
        return str(number)

    return check


def _text(key: str, value: str) -> str:
    return value.strip()


def _address(key: str, value: str) -> str:
    text = value.strip()
    if text and normalise_email(text) is None:
        raise _bad(key, value, _("an e-mail address, or nothing."))
    return text


def _url_template(key: str, value: str) -> str:
    text = value.strip()
    if not text:
        return text
    if urlsplit(text).scheme not in ("http", "https") or "{to}" not in text:
        raise _bad(key, value, _("an http(s) address with {to} where the number goes."))
    return text


def _feedback_url(key: str, value: str) -> str:
    text = value.strip()
    if text and urlsplit(text).scheme not in ("http", "https"):
        raise _bad(key, value, _("an http(s) address; {code} stands for the reply code."))
    return text


def _email_template(key: str, value: str) -> str:
    text = value.strip()
    if text and ("{number}" not in text or "@" not in text):
        raise _bad(key, value, _("an address with {number} where the number goes."))
    return text


@dataclass(frozen=True)
class MessageSetting:
    default: str
    check: Callable[[str, str], str]


MESSAGE_SETTINGS: dict[str, MessageSetting] = {
    "mail.host": MessageSetting("", _text),
    "mail.port": MessageSetting("587", _whole(1, 65535)),
    "mail.security": MessageSetting("starttls", _choice(SECURITY_CHOICES)),
    "mail.user": MessageSetting("", _text),
    "mail.from": MessageSetting("", _address),
    "sms.gateway": MessageSetting("off", _choice(GATEWAY_CHOICES)),
    "sms.url_template": MessageSetting("", _url_template),
    "sms.method": MessageSetting("GET", _choice(METHOD_CHOICES, upper=True)),
    "sms.body_template": MessageSetting("", _text),
    "sms.email_template": MessageSetting("", _email_template),
    "sms.sender": MessageSetting("", _text),
    **{
        NOTIFY_PREFIX + kind: MessageSetting(
            "off" if kind == "feedback" else "email", _choice(CHANNEL_CHOICES)
        )
        for kind in NOTIFY_KINDS
    },
    "reminder.ready_days": MessageSetting("7", _whole(0, 365)),
    "reminder.storage_fee_days": MessageSetting("30", _whole(0, 3650)),
    "reminder.approval_days": MessageSetting("3", _whole(0, 365)),
    "feedback.url": MessageSetting("", _feedback_url),
    # What the shop keeps of its customers (``repairshop privacy run``): customers with no
    # activity for this many years are anonymised, and a collected job's passcode is erased
    # after this many days (0: never).
    "privacy.retention_years": MessageSetting("0", _whole(0, 100)),
    "privacy.passcode_days": MessageSetting("30", _whole(0, 3650)),
}
"""Every key with its default and its check (the checked text, or a ValidationError)."""
INTEGER_KEYS = frozenset(
    key for key in MESSAGE_SETTINGS if key.startswith(("reminder.", "privacy."))
) | {"mail.port"}


def check_message_setting(key: str, value: str) -> str:
    return MESSAGE_SETTINGS[key].check(key, value)


TEMPLATE_PREFIX = "template."
TEMPLATE_KINDS = (
    *(kind for kind in NOTIFY_KINDS if kind != "reminder"),
    "reminder",
    "storage_fee",
    "approval_reminder",
)
"""Every kind of message a shop may word in its own way, per language."""
TEMPLATE_PARTS = ("subject", "body", "text")
TEMPLATE_FIELDS = ("name", "code", "device", "shop", "date", "reply", "url")
"""What a template may name in braces: ``{name}``, ``{code}`` …"""


def template_key(kind: str, language: str, part: str) -> str:
    """``template.<kind>.<language>.<part>``: the shop's own wording of one message part."""
    return f"{TEMPLATE_PREFIX}{kind}.{language}.{part}"


def is_template_key(key: str) -> bool:
    parts = key.removeprefix(TEMPLATE_PREFIX).split(".")
    return (
        key.startswith(TEMPLATE_PREFIX)
        and len(parts) == 3
        and parts[0] in TEMPLATE_KINDS
        and parts[1] in LANGUAGES
        and parts[2] in TEMPLATE_PARTS
    )


def check_template(key: str, value: str) -> str:
    """A template's text (empty: the built-in wording); refused when it names a field that
    is not there or has a stray brace."""
    text = value.strip("\n") if key.endswith(".body") else value.strip()
    try:
        text.format(**dict.fromkeys(TEMPLATE_FIELDS, ""))
    except (KeyError, IndexError, ValueError):
        raise _bad(
            key,
            value,
            _("a text that names only {fields} in braces.").format(
                fields=", ".join("{" + field + "}" for field in TEMPLATE_FIELDS)
            ),
        ) from None
    return text


@dataclass(frozen=True)
class MessagingSettings:
    """The settings above, read once for one run of the sender or one queued message."""

    values: dict[str, str]
    templates: dict[str, str] = field(default_factory=dict)
    """The shop's own wordings (``template.<kind>.<language>.<part>``), none empty."""

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    @property
    def mail_configured(self) -> bool:
        return bool(self.values["mail.host"])

    @property
    def sms_configured(self) -> bool:
        gateway = self.values["sms.gateway"]
        if gateway == "http":
            return bool(self.values["sms.url_template"])
        if gateway == "email":
            return bool(self.values["sms.email_template"]) and self.mail_configured
        return False

    def channels_for(self, kind: str) -> tuple[str, ...]:
        """The configured channels a message of ``kind`` goes by: none when switched off or
        when its channel is not set up (nothing piles up for a server the shop never set)."""
        wanted = self.values.get(NOTIFY_PREFIX + kind, "off")
        channels = ("email", "sms") if wanted == "both" else (wanted,)
        return tuple(
            channel
            for channel in channels
            if (channel == "email" and self.mail_configured)
            or (channel == "sms" and self.sms_configured)
        )

    def days(self, key: str) -> int:
        return int(self.values[key])


def get_messaging(uow: UnitOfWork) -> MessagingSettings:
    stored = dict(
        uow.session.execute(
            select(Setting.key, Setting.value).where(Setting.key.in_(list(MESSAGE_SETTINGS)))
        ).all()
    )
    templates = dict(
        uow.session.execute(
            select(Setting.key, Setting.value).where(
                Setting.key.startswith(TEMPLATE_PREFIX), Setting.value != ""
            )
        ).all()
    )
    return MessagingSettings(
        {key: stored.get(key, setting.default) for key, setting in MESSAGE_SETTINGS.items()},
        templates,
    )
