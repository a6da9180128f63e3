"""Staff passwords and PINs: argon2id hashes, what a good one is, how long a wrong guess waits.

A hash is all the database keeps; neither a password nor a PIN is ever stored or logged.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from repairshop.errors import ValidationError
from repairshop.i18n import _

if TYPE_CHECKING:  # argon2 loads when a secret is hashed or checked, not at every start
    from argon2 import PasswordHasher

MIN_PASSWORD_LENGTH = 8
PIN = re.compile(r"^[0-9]{4,8}$")
FIRST_DELAY = 0.5
"""Seconds a sign-in waits after one wrong attempt; each further one doubles it …"""
MAX_DELAY = 30.0
"""… up to this, so guessing is slow while a mistyped password costs a person little."""


@cache
def _hasher() -> PasswordHasher:
    """argon2id with the library's recommended cost (RFC 9106 low-memory profile)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_secret(secret: str) -> str:
    return _hasher().hash(secret)


def verify_secret(stored: str | None, secret: str) -> bool:
    """Whether ``secret`` matches the ``stored`` hash (never true when none is stored)."""
    if not stored:
        return False
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _("A password needs at least {count} characters.").format(count=MIN_PASSWORD_LENGTH),
            field="password",
        )
    return password


def check_pin(pin: str) -> str:
    if not PIN.match(pin):
        raise ValidationError(_("A PIN is 4 to 8 digits."), field="pin")
    return pin


def sign_in_delay(failures: int) -> float:
    """Seconds to wait before checking a sign-in after ``failures`` wrong attempts in a row."""
    if failures <= 0:
        return 0.0
    return float(min(FIRST_DELAY * 2 ** (failures - 1), MAX_DELAY))
