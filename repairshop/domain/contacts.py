"""Customers' names, phone numbers and e-mail addresses."""

from __future__ import annotations

import re

import phonenumbers

from repairshop.errors import ValidationError
from repairshop.i18n import _

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

FAMILY_NAME_FIRST: frozenset[str] = frozenset({"hu"})
"""Languages whose speakers write the family name first ("Kovács János")."""


def full_name(given: str, family: str, language: str) -> str:
    """A name in the order its speakers write it."""
    if language in FAMILY_NAME_FIRST:
        return f"{family} {given}"
    return f"{given} {family}"


def family_name(name: str, language: str) -> str:
    """The family name in a name as one field: the first word in Hungarian, else the last."""
    words = name.split()
    if not words:
        return ""
    return words[0] if language in FAMILY_NAME_FIRST else words[-1]


def normalise_phone(value: str | None, region: str) -> str | None:
    """The number in E.164 (``+420777123456``), read in the shop's region; ``None`` if empty."""
    if value is None or not value.strip():
        return None
    try:
        number = phonenumbers.parse(value, region.upper())
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _("“{value}” is not a phone number.").format(value=value.strip()),
            field="customer.phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    """The number as a person writes it, international form."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    cleaned = value.strip()
    if not _EMAIL.match(cleaned):
        raise ValidationError(
            _("“{value}” is not an e-mail address.").format(value=cleaned),
            field="customer.email",
        )
    local, _sep, domain = cleaned.rpartition("@")
    return f"{local}@{domain.lower()}"
