"""Money is a :class:`~decimal.Decimal` in the shop's currency, stored as integer minor units."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_currency_precision

from repairshop.errors import ValidationError
from repairshop.i18n import _


def currency_exponent(currency: str) -> int:
    return int(get_currency_precision(currency.upper()))


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
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
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
