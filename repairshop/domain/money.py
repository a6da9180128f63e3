"""Money is a :class:`~decimal.Decimal` in the shop's currency, stored as integer minor units."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import (
    UnknownCurrencyError,
    get_currency_symbol,
    get_decimal_symbol,
)

from repairshop.domain.folding import fold
from repairshop.errors import ValidationError
from repairshop.i18n import (
    LANGUAGES,
    WHOLE_UNITS_ON_DOCUMENTS,
    _,
    babel_locale,
    currency_exponent,
    format_money,
    ui_language,
)


def to_minor(amount: Decimal, currency: str) -> int:
    exponent = currency_exponent(currency)
    quantum = Decimal(1).scaleb(-exponent)
    return int(amount.quantize(quantum, rounding=ROUND_HALF_UP).scaleb(exponent))


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-currency_exponent(currency))


MAX_DIGITS = 12
"""Whole digits an amount may have: a trillion is past any repair, and the minor units of
larger amounts would not fit the database's integers (nor Python's decimal precision)."""

_TWO_WAYS = re.compile(r"^\d{1,3}[.,]\d{3}$")
"""One dot or comma before exactly three digits: a thousands separator or decimals."""


def parse_amount(value: object, field: str) -> Decimal | None:
    """An amount from JSON or a form: ``1200``, ``"1 200,50"``, ``"1200.5"``; never negative."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        value = str(value)
    text = str(value).strip()
    for space in ("\u00a0", "\u202f", " "):
        text = text.replace(space, "")
    if isinstance(value, str) and _TWO_WAYS.match(text):  # "3.490": 3490 or 3.49?
        raise ValidationError(
            _(
                "“{value}” reads two ways, as thousands or as decimals: write {whole}, or the "
                "amount with two decimals."
            ).format(value=value.strip(), whole=re.sub(r"[.,]", "", text)),
            field=field,
        )
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
    if amount >= Decimal(10) ** MAX_DIGITS:  # "1e999" or a pasted row of nines
        raise ValidationError(
            _("“{value}” is not an amount of money.").format(value=value), field=field
        )
    return amount


# --- Amounts as a person types them ----------------------------------------------------------

_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "'", "’")
"""What people put between digit groups besides the locale's own sign (the Swiss write 3'490)."""
_NO_MINOR = re.compile(r"[.,]\s*[-‐–—]+$")
"""The shop's way of writing whole amounts: "3490,-" and "3 490.–"."""
_EDGE = re.compile(r"^([^\d.,\s\-‐–—]*)\s*(.*?)\s*((?:[^\d.,\s\-‐–—]+\.?)?)$", re.DOTALL)


_LOCAL_SIGNS: dict[str, tuple[str, ...]] = {
    "CZK": ("Kč",),
    "PLN": ("zł",),
    "HUF": ("Ft",),
    "RUB": ("₽", "руб", "р"),
    "EUR": ("€",),
}
"""Signs shops write that Babel's data does not give in every language."""


def currency_signs(currency: str) -> frozenset[str]:
    """What may stand beside an amount in ``currency``: its code and its sign in every language
    RepairShop speaks ("Kč", "zł", "Ft", "€", "₽"), compared without case or a final dot."""
    code = currency.strip().upper()
    if not code:
        return frozenset()
    signs = {code, *_LOCAL_SIGNS.get(code, ())}
    for language in LANGUAGES:
        try:
            signs.add(get_currency_symbol(code, locale=babel_locale(language)))
        except UnknownCurrencyError:  # pragma: no cover - a saved currency is always known
            continue
    folded = {fold(sign) for sign in signs}  # "Kc" for a keyboard without háčky
    return frozenset(_sign_key(sign) for sign in signs | folded)


def _sign_key(sign: str) -> str:
    return sign.strip().rstrip(".").casefold()


def _decimal_sign(language: str) -> str:
    """The sign ``language`` writes before decimals; the other of "." and "," groups digits."""
    return get_decimal_symbol(babel_locale(language))


def _grouped(whole: str, groups: str) -> str | None:
    """``whole`` without its group signs when they stand every three digits, else None."""
    parts = re.split(f"[{re.escape(groups)}]", whole)
    if len(parts) == 1:
        return whole
    head, *rest = parts
    if not (1 <= len(head) <= 3) or any(len(part) != 3 for part in rest):
        return None
    return "".join(parts)


def read_amount(
    text: str,
    field: str,
    *,
    currency: str,
    language: str | None = None,
) -> Decimal | None:
    """An amount as a clerk types it, read the way ``language`` writes numbers.

    Accepts the currency's code or sign ("3 490 Kč", "€ 12,50"), ",-" for whole amounts and
    spaces, no-break spaces, dots or commas between groups of three digits. "3.490" is three
    thousand four hundred and ninety in a language that writes a decimal comma (Czech, German,
    Polish, Hungarian, Russian). Text that reads two ways — "3.490" where the decimal sign is the
    dot, "3,490" where it is the comma — is refused with both readings, so a hundredfold or
    thousandfold error never slips through. Empty text is None; never negative.
    """
    raw = text
    text = text.strip()
    if not text:
        return None
    language = language or ui_language()
    decimal_sign = _decimal_sign(language)

    def refused(message: str) -> ValidationError:
        return ValidationError(message, field=field)

    def not_money() -> ValidationError:
        return refused(_("“{value}” is not an amount of money.").format(value=raw.strip()))

    edges = _EDGE.match(text)
    if edges is None or not any(
        ch.isdigit() for ch in text
    ):  # pragma: no cover - the pattern matches any text
        raise not_money()
    before, number, after = edges.groups()
    signs = currency_signs(currency)
    for sign in (before, after):
        if sign and _sign_key(sign) not in signs:
            if not currency.strip():  # a new catalogue entry, before the shop's currency is known
                raise refused(_("Type “{value}” without the currency.").format(value=raw.strip()))
            if any(ch.isalpha() for ch in sign) or not sign.isascii():
                raise refused(
                    _("“{value}” is not in {currency}, the shop's currency.").format(
                        value=raw.strip(), currency=currency
                    )
                )
            raise not_money()
    if number.startswith("-"):
        raise refused(_("An amount cannot be negative: {value}.").format(value=raw.strip()))
    number = _NO_MINOR.sub("", number)
    for space in _SPACES:
        number = number.replace(space, " ")
    if not number or not re.fullmatch(r"[\d., ]+", number) or not any(c.isdigit() for c in number):
        raise not_money()
    exponent = currency_exponent(currency)
    dots, commas = number.count("."), number.count(",")
    marks = "".join(ch for ch in number if ch in ".,")
    groups = " "
    if dots and commas:  # the last sign is the decimal one; the other groups the digits
        point = marks[-1]
        other = "," if point == "." else "."
        if marks.count(point) > 1:
            raise not_money()
        whole, fraction = number.rsplit(point, 1)
        groups += other
    elif marks and len(marks) > 1:  # "1.234.567": only groups
        whole, fraction = number, ""
        groups += marks[0]
    elif marks:
        mark = marks
        whole, fraction = number.split(mark)
        # Two readings only where an amount is written with decimals: a forint or yen shop's
        # "3,490" can only be three thousand four hundred and ninety.
        written = 0 if currency.upper() in WHOLE_UNITS_ON_DOCUMENTS else exponent
        if len(fraction.strip()) == 3 and exponent < 3:
            if mark == decimal_sign and written > 0:  # "3.490" in English, "3,490" in Czech
                thousands = Decimal(whole.replace(" ", "") + fraction)
                small = Decimal(f"{whole.replace(' ', '')}.{fraction}")
                raise refused(
                    _(
                        "“{value}” reads two ways: {thousands} or {small}. Type it without "
                        "the “{mark}” or with {digits} digits after it."
                    ).format(
                        value=raw.strip(),
                        thousands=amount_text(thousands, currency, language),
                        small=amount_text(small, currency, language),
                        mark=mark,
                        digits=exponent,
                    )
                )
            whole, fraction = number.replace(mark, " "), ""  # "3.490" in Czech: thousands
    else:
        whole, fraction = number, ""
    if fraction.strip() != fraction or " " in fraction:
        raise not_money()
    digits = _grouped(whole.strip(), groups)
    if digits is None or not digits.isdigit():
        raise not_money()
    if len(fraction) > exponent:
        raise refused(
            _("“{value}” has more decimals than {currency} has ({digits}).").format(
                value=raw.strip(), currency=currency, digits=exponent
            )
        )
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise not_money()
    return Decimal(f"{digits}.{fraction}" if fraction else digits)


def amount_text(amount: Decimal | None, currency: str, language: str | None = None) -> str:
    """An amount in a field, written as the rest of the screen writes it: "3 490,00 Kč",
    "3 490 Ft" (:func:`~repairshop.i18n.format_money`); empty for no amount."""
    if amount is None:
        return ""
    return format_money(amount, currency, language)
