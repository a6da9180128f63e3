"""Ticket codes: short, unambiguous to read aloud, and cheap in Code 128.

A code is one prefix letter (never ``I`` or ``O``, so nothing can be mistaken
for ``1`` or ``0``) followed by an even number of digits, at least six
(``R000042``). Digits in pairs let Code 128 use its compact digit set, so even
a ten-character code fits a 40×20 mm label at two dots per module at 203 dpi.
"""

from __future__ import annotations

import re

from repairshop.errors import ValidationError
from repairshop.i18n import _

PREFIX_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
DEFAULT_PREFIX = "R"
MIN_DIGITS = 6
MAX_LENGTH = 10

_CODE = re.compile(r"^([A-HJ-NP-Z])(\d{6,9})$")


def check_prefix(prefix: str) -> str:
    prefix = prefix.strip().upper()
    if len(prefix) != 1 or prefix not in PREFIX_LETTERS:
        raise ValidationError(
            _("A ticket prefix is one letter other than I or O."), field="ticket_prefix"
        )
    return prefix


def format_ticket_code(prefix: str, number: int) -> str:
    if number < 1:
        raise ValueError("ticket numbers start at 1")
    digits = str(number).rjust(MIN_DIGITS, "0")
    if len(digits) % 2:
        digits = "0" + digits
    code = prefix + digits
    if len(code) > MAX_LENGTH:
        raise ValueError(f"ticket number {number} does not fit in {MAX_LENGTH} characters")
    return code


def looks_like_ticket_code(text: str) -> bool:
    """Whether scanned or typed text has the shape of a ticket code (``r000042`` too)."""
    return _CODE.match(normalise_ticket_code(text)) is not None


def normalise_ticket_code(text: str) -> str:
    """Upper-case and strip what scanners and people add: spaces, dashes."""
    return re.sub(r"[\s\-]", "", text).upper()
