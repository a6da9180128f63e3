"""VAT on a document's lines, rounded as the shop's country does; amounts in minor units.

A line's amount is its quantity times its unit price, entered with or without VAT.
Each country rounds its own way:

- ``VatBasis.RATE`` (Czechia, Germany, Poland, Hungary): the VAT of a document is worked
  out once per rate, from the sum of that rate's lines, and rounded once; each line then
  shows its share of it (largest remainder), so the lines still add up to the totals.
- ``VatBasis.LINE`` (Russia, the United Kingdom and any other country): each line's VAT is
  rounded on the line, and the document adds the lines up.

Either way a document's net, VAT and gross are exactly the sums of its lines, and every
line's gross is its net plus its VAT. Hungary shows whole forints on documents
(``amount_step``); cash totals are rounded to whole crowns in Czechia and to 5 forints in
Hungary (``cash_step``), as the law allows for cash only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from repairshop.errors import ValidationError
from repairshop.i18n import WHOLE_UNITS_ON_DOCUMENTS, _, currency_exponent


class VatBasis(StrEnum):
    LINE = "line"
    RATE = "rate"


@dataclass(frozen=True)
class RoundingRules:
    vat_basis: VatBasis = VatBasis.LINE
    amount_step: int = 1
    """The smallest amount a document shows, in minor units (whole forints: 100)."""
    cash_step: int = 1
    """What a cash payment is rounded to, in minor units (whole crowns: 100)."""


_VAT_PER_RATE = frozenset({"CZ", "DE", "PL", "HU"})
_CASH_STEPS: dict[tuple[str, str], int] = {("CZ", "CZK"): 100, ("HU", "HUF"): 500}


def rounding_rules(country: str, currency: str) -> RoundingRules:
    """How a shop in ``country`` taking ``currency`` rounds VAT, documents and cash."""
    country, currency = country.upper(), currency.upper()
    unit = 10 ** currency_exponent(currency)
    return RoundingRules(
        vat_basis=VatBasis.RATE if country in _VAT_PER_RATE else VatBasis.LINE,
        amount_step=unit if currency in WHOLE_UNITS_ON_DOCUMENTS else 1,
        cash_step=_CASH_STEPS.get((country, currency), 1),
    )


def parse_vat_rate(value: object, field: str = "vat") -> Decimal:
    """A VAT rate in percent, from ``21``, ``"21 %"`` or ``"5,5"``: 0 to 100."""
    text = str(value).strip().removesuffix("%").strip().replace(",", ".")
    try:
        rate = Decimal(text)
    except ArithmeticError:
        rate = Decimal(-1)
    if not rate.is_finite() or not 0 <= rate <= 100 or rate != rate.quantize(Decimal("0.01")):
        raise ValidationError(
            _("“{value}” is not a VAT rate: give a percentage such as 21 or 5.5.").format(
                value=value
            ),
            field=field,
        )
    return rate.normalize() if rate != rate.to_integral_value() else rate.quantize(Decimal(1))


def round_half_up(amount: Fraction, step: int = 1) -> int:
    """``amount`` to a whole multiple of ``step``, halves away from zero."""
    units = abs(amount) / step
    rounded = int(units + Fraction(1, 2))
    return (rounded if amount >= 0 else -rounded) * step


def round_cash(amount_minor: int, rules: RoundingRules) -> int:
    """What is paid in cash for ``amount_minor``: rounded to the country's cash step."""
    return round_half_up(Fraction(amount_minor), rules.cash_step)


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: int
    unit_price_minor: int
    vat_rate: Decimal
    price_includes_vat: bool


@dataclass(frozen=True)
class LineAmounts:
    description: str
    quantity: int
    unit_price_minor: int
    vat_rate: Decimal
    price_includes_vat: bool
    net: int
    vat: int
    gross: int


@dataclass(frozen=True)
class RateTotal:
    vat_rate: Decimal
    net: int
    vat: int
    gross: int


@dataclass(frozen=True)
class PricedDocument:
    """A document's lines with their net, VAT and gross, and its totals, in minor units."""

    lines: tuple[LineAmounts, ...]
    by_rate: tuple[RateTotal, ...]
    net: int
    vat: int
    gross: int


def _exact_vat(amount: int, rate: Decimal, includes_vat: bool) -> Fraction:
    share = Fraction(rate) / 100
    return amount * share / (1 + share) if includes_vat else amount * share


def _allocate(total: int, exact: Sequence[Fraction], step: int) -> list[int]:
    """Split ``total`` over lines in proportion to their exact shares (largest remainder)."""
    floors = [(share // step) * step for share in exact]
    extra = (total - sum(floors)) // step
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:extra]:
        floors[index] += step
    return [int(value) for value in floors]


def price_document(lines: Iterable[LineInput], rules: RoundingRules) -> PricedDocument:
    """Net, VAT and gross of each line and of the whole document."""
    items = list(lines)
    step = rules.amount_step
    amounts = [round_half_up(Fraction(i.quantity * i.unit_price_minor), step) for i in items]
    exact = [
        _exact_vat(amount, item.vat_rate, item.price_includes_vat)
        for amount, item in zip(amounts, items, strict=True)
    ]
    vats = [0] * len(items)
    rates = sorted({item.vat_rate for item in items})
    for rate in rates:
        indexes = [i for i, item in enumerate(items) if item.vat_rate == rate]
        if rules.vat_basis is VatBasis.LINE:
            for i in indexes:
                vats[i] = round_half_up(exact[i], step)
        else:
            total = round_half_up(sum((exact[i] for i in indexes), Fraction(0)), step)
            shares = _allocate(total, [exact[i] for i in indexes], step)
            for i, vat in zip(indexes, shares, strict=True):
                vats[i] = vat
    priced = []
    for item, amount, vat in zip(items, amounts, vats, strict=True):
        net, gross = (amount - vat, amount) if item.price_includes_vat else (amount, amount + vat)
        priced.append(
            LineAmounts(
                item.description,
                item.quantity,
                item.unit_price_minor,
                item.vat_rate,
                item.price_includes_vat,
                net,
                vat,
                gross,
            )
        )
    by_rate = tuple(
        RateTotal(
            rate,
            sum(line.net for line in priced if line.vat_rate == rate),
            sum(line.vat for line in priced if line.vat_rate == rate),
            sum(line.gross for line in priced if line.vat_rate == rate),
        )
        for rate in rates
    )
    return PricedDocument(
        tuple(priced),
        by_rate,
        sum(line.net for line in priced),
        sum(line.vat for line in priced),
        sum(line.gross for line in priced),
    )
