"""Customers' names, phone numbers and e-mail addresses.

phonenumbers is imported by the functions that read a number: a start that shows no
number (the first window, most commands) does not load it.
"""

from __future__ import annotations

import re
from functools import cache

from repairshop.errors import ValidationError
from repairshop.i18n import _

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_TYPED = re.compile(r"^\+?[\d\s()\-/.]+$")
_TRUNK_ZERO = re.compile(r"^(\+\d{1,3})\s*\(0\)")
_NOT_DIGITS = re.compile(r"\D")
MIN_PHONE_DIGITS = 3

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
    import phonenumbers

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


MAX_PHONE_DIGITS = 17
"""E.164's 15 digits, and the 00 a number dialled abroad starts with."""


def phone_problem(text: str, region: str, *, finished: bool) -> str | None:
    """Why ``text`` is not a phone number, shown beside the field as it is typed.

    While the clerk types (``finished`` false) only what more typing cannot mend is
    said (a letter, too many digits); once the field is left, whether it is a number
    at all in the shop's region or with its +country code.
    """
    text = text.strip()
    if not text:
        return None
    if not _PHONE_TYPED.match(text):
        return _("A phone number has digits, spaces and a leading + only.")
    digits = len(_NOT_DIGITS.sub("", text))
    if digits > MAX_PHONE_DIGITS:
        return _("A phone number has at most 15 digits; this one has {count}.").format(count=digits)
    if finished:
        try:
            normalise_phone(text, region)
        except ValidationError:
            return _("This is not a phone number: check the digits, or give its +country code.")
    return None


def email_problem(text: str, *, finished: bool) -> str | None:
    """Why ``text`` is not an e-mail address; while typing, only what more typing cannot mend."""
    text = text.strip()
    if not text:
        return None
    if any(ch.isspace() for ch in text) or text.count("@") > 1:
        return _("An e-mail address has one @ and no spaces, like jana@example.cz.")
    if finished and not _EMAIL.match(text):
        return _("An e-mail address looks like jana@example.cz.")
    return None


def format_phone(e164: str | None) -> str:
    """The number as a person writes it, international form."""
    if not e164:
        return ""
    import phonenumbers

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


@cache
def _national_prefix(country_code: int) -> str:
    """The trunk prefix dialled before a national number at home (GB ``0``, HU ``06``, RU ``8``)."""
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    metadata = PhoneMetadata.metadata_for_region(regions[0]) if regions else None
    return (metadata.national_prefix or "") if metadata is not None else ""


def phone_search_forms(e164: str | None) -> tuple[str, ...]:
    """The forms a stored number is searched by: ``+447700900123``, the number without its
    country code (``7700900123``) and as dialled at home with its trunk prefix
    (``07700900123``), so a number typed internationally or nationally is found alike."""
    if not e164 or not e164.startswith("+"):
        return ()
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    digits = e164[1:]
    for length in (1, 2, 3):
        country_code = int(digits[:length]) if digits[:length].isdigit() else 0
        if country_code in COUNTRY_CODE_TO_REGION_CODE:
            national = digits[length:]
            prefix = _national_prefix(country_code)
            forms = [e164, national]
            if prefix:
                forms.append(prefix + national)
            return tuple(forms)
    return (e164,)


def phone_query(typed: str) -> tuple[str, ...] | None:
    """What a typed phone number is searched as, or ``None`` if ``typed`` is not one.

    Spaces and punctuation go (``777 123 456``, ``(0)``, ``-``); a leading ``+``
    stays; the ``00`` international prefix is read as ``+`` (``00420…`` →
    ``+420…``), and also kept as typed, as a serial or IMEI may start with it.
    """
    text = typed.strip()
    if not _PHONE_TYPED.match(text):
        return None
    text = _TRUNK_ZERO.sub(r"\1", text)
    digits = _NOT_DIGITS.sub("", text)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    if text.startswith("+"):
        return ("+" + digits,)
    if digits.startswith("00") and len(digits) > 2:
        return ("+" + digits[2:], digits)
    return (digits,)
