"""Money is a :class:`~decimal.Decimal` in the shop's currency, stored as integer minor units."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from repairshop.errors import ValidationError
from repairshop.i18n import _

_ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
ISO_4217_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(_ZERO_DECIMALS.split(), 0),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
"""ISO 4217 minor units that are not 2 (every other currency has 2)."""


def currency_exponent(currency: str) -> int:
    """Decimal places of a stored amount: ISO 4217's minor unit, fixed for good.

    Not the display precision (Babel's CLDR data shows forints without fillér and
    changes between releases): what is stored must never change meaning.
    """
    return ISO_4217_EXPONENTS.get(currency.upper(), 2)


def to_minor(amount: Decimal, currency: str) -> int:
    exponent = currency_exponent(currency)
    quantum = Decimal(1).scaleb(-exponent)
    return int(amount.quantize(quantum, rounding=ROUND_HALF_UP).scaleb(exponent))


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-currency_exponent(currency))


def parse_amount(value: object, field: str) -> Decimal | None:
    """An amount from JSON or a form: ``1200``, ``"1 200,50"``, ``"1200.5"``; never negative."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        value = str(value)
    text = str(value).strip()
    for space in ("\u00a0", "\u202f", " "):
        text = text.replace(space, "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("“{value}” is not an amount of money.").format(value=value), field=field
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(
            _("An amount cannot be negative: {value}.").format(value=value), field=field
        )
    return amount
