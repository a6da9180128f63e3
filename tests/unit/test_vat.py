"""VAT and rounding on a document's lines, per country, in minor units."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairshop.domain.national_rules import NATIONAL_RULES
from repairshop.domain.vat import (
    LineInput,
    RoundingRules,
    VatBasis,
    parse_vat_rate,
    price_document,
    round_cash,
    rounding_rules,
)
from repairshop.errors import ValidationError

CZ = rounding_rules("CZ", "CZK")
DE = rounding_rules("DE", "EUR")
PL = rounding_rules("PL", "PLN")
HU = rounding_rules("HU", "HUF")
RU = rounding_rules("RU", "RUB")


def line(quantity: int, unit: int, rate: int | str, *, gross: bool = True) -> LineInput:
    return LineInput("x", quantity, unit, Decimal(rate), gross)


def amounts(rules: RoundingRules, *lines: LineInput) -> list[tuple[int, int, int]]:
    document = price_document(lines, rules)
    return [(item.net, item.vat, item.gross) for item in document.lines] + [
        (document.net, document.vat, document.gross)
    ]


def test_czk_vat_is_worked_out_per_rate_on_the_document_and_shared_over_its_lines() -> None:
    # 499 + 1 Kč with VAT 21 %: 500 × 21/121 = 86.776… → 86.78 Kč for the document. Line by
    # line it would be 86.603… → 86.60 and 0.1735… → 0.17, i.e. 86.77: one haléř short.
    # The haléř goes to the line with the larger remainder (0.355 against 0.331 haléř).
    assert amounts(CZ, line(1, 499_00, 21), line(1, 1_00, 21)) == [
        (412_40, 86_60, 499_00),
        (82, 18, 1_00),
        (413_22, 86_78, 500_00),
    ]
    per_line = rounding_rules("RU", "CZK")
    assert price_document([line(1, 499_00, 21), line(1, 1_00, 21)], per_line).vat == 86_77


def test_czk_cash_is_rounded_to_whole_crowns_half_up() -> None:
    assert round_cash(1234_50, CZ) == 1235_00
    assert round_cash(1234_49, CZ) == 1234_00
    assert round_cash(1234_49, DE) == 1234_49


def test_eur_net_prices_get_vat_added() -> None:
    # 3 × 9.99 € net = 29.97 €; 19 % of it is 5.6943 → 5.69 €; gross 35.66 €.
    assert amounts(DE, line(3, 999, 19, gross=False)) == [(2997, 569, 3566), (2997, 569, 3566)]


def test_pln_gross_price_with_23_percent_and_two_rates_on_one_invoice() -> None:
    # 123.00 zł gross at 23 % is 100.00 net + 23.00 VAT; 108.00 zł at 8 % is 100.00 + 8.00.
    document = price_document([line(1, 123_00, 23), line(1, 108_00, 8)], PL)
    assert [(r.vat_rate, r.net, r.vat, r.gross) for r in document.by_rate] == [
        (Decimal(8), 100_00, 8_00, 108_00),
        (Decimal(23), 100_00, 23_00, 123_00),
    ]
    assert (document.net, document.vat, document.gross) == (200_00, 31_00, 231_00)


def test_huf_documents_show_whole_forints_and_cash_rounds_to_5_forints() -> None:
    # 9 990 Ft gross at 27 %: 9990 × 27/127 = 2123.86 → 2 124 Ft VAT, 7 866 Ft net.
    assert amounts(HU, line(1, 9990_00, 27)) == [(7866_00, 2124_00, 9990_00)] * 2
    # A unit price in fillér is still charged in whole forints: 2 × 100.40 = 200.80 → 201 Ft.
    assert price_document([line(2, 100_40, 27)], HU).gross == 201_00
    assert round_cash(9992_00, HU) == 9990_00
    assert round_cash(9993_00, HU) == 9995_00


def test_rub_vat_is_rounded_on_each_line() -> None:
    # 2 × 999.99 ₽ with 20 % VAT: 1999.98 × 20/120 = 333.33 ₽.
    assert RU.vat_basis is VatBasis.LINE
    assert amounts(RU, line(2, 999_99, 20), line(1, 10, 20)) == [
        (1666_65, 333_33, 1999_98),
        (8, 2, 10),  # 0.10 × 20/120 = 0.0167 → 0.02
        (1666_73, 333_35, 2000_08),
    ]


def test_national_defaults_and_rates_as_people_type_them() -> None:
    assert [NATIONAL_RULES[c].tax_rate for c in ("CZ", "DE", "PL", "HU", "RU", "GB")] == [
        Decimal(v) for v in (21, 19, 23, 27, 22, 20)
    ]
    assert parse_vat_rate("5,5") == Decimal("5.5")
    assert parse_vat_rate("21 %") == Decimal(21)
    assert parse_vat_rate("0") == Decimal(0)
    for bad in ("-1", "101", "abc", "5.555"):
        with pytest.raises(ValidationError, match="not a VAT rate"):
            parse_vat_rate(bad)


RATES = st.sampled_from([Decimal(r) for r in ("0", "5", "5.5", "8", "10", "12", "19", "21", "27")])
LINES = st.lists(
    st.builds(
        LineInput,
        st.just("line"),
        st.integers(min_value=1, max_value=1000),
        st.integers(min_value=0, max_value=10_000_000),
        RATES,
        st.booleans(),
    ),
    max_size=25,
)
RULES = st.builds(
    rounding_rules,
    st.sampled_from(["CZ", "DE", "PL", "HU", "RU", "GB", "SK"]),
    st.sampled_from(["CZK", "EUR", "PLN", "HUF", "RUB", "GBP"]),
)


@given(LINES, RULES)
def test_a_documents_totals_are_the_sums_of_its_lines(
    lines: list[LineInput], rules: RoundingRules
) -> None:
    document = price_document(lines, rules)
    assert document.net == sum(item.net for item in document.lines)
    assert document.vat == sum(item.vat for item in document.lines)
    assert document.gross == sum(item.gross for item in document.lines)
    assert document.gross == document.net + document.vat
    assert (document.net, document.vat, document.gross) == (
        sum(r.net for r in document.by_rate),
        sum(r.vat for r in document.by_rate),
        sum(r.gross for r in document.by_rate),
    )
    for given_line, priced in zip(lines, document.lines, strict=True):
        assert priced.gross == priced.net + priced.vat
        assert priced.vat % rules.amount_step == 0
        entered = priced.gross if given_line.price_includes_vat else priced.net
        exact_amount = given_line.quantity * given_line.unit_price_minor
        assert abs(entered - exact_amount) * 2 <= rules.amount_step


@given(LINES, RULES)
def test_the_vat_is_the_rate_of_the_base_within_rounding(
    lines: list[LineInput], rules: RoundingRules
) -> None:
    document = price_document(lines, rules)
    step = rules.amount_step
    for priced in document.lines:
        share = Fraction(priced.vat_rate) / 100
        exact = (
            priced.gross * share / (1 + share) if priced.price_includes_vat else priced.net * share
        )
        assert abs(priced.vat - exact) < step  # never a whole step off on a line
    if rules.vat_basis is VatBasis.RATE:
        for rate in document.by_rate:
            items = [p for p in document.lines if p.vat_rate == rate.vat_rate]
            share = Fraction(rate.vat_rate) / 100
            exact = sum(
                (p.gross * share / (1 + share) if p.price_includes_vat else p.net * share)
                for p in items
            )
            assert abs(rate.vat - exact) * 2 <= step  # one rounding per rate on the document
