"""Paying a bill at the counter: split methods, cash rounding by country, change, numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairshop.domain.payments import (
    DocumentKind,
    PaymentMethod,
    Tender,
    document_number,
    normalise_document_number,
    settle,
)
from repairshop.domain.vat import LineInput, price_document, rounding_rules
from repairshop.errors import ValidationError

CASH, CARD, TRANSFER = PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.TRANSFER


@pytest.mark.parametrize(
    ("country", "currency", "due", "cash_due"),
    [
        ("CZ", "CZK", 299010, 299000),  # 2 990,10 Kč → 2 990 Kč in cash
        ("CZ", "CZK", 299050, 299100),  # half a crown goes up
        ("HU", "HUF", 123700, 123500),  # 1 237 Ft → 1 235 Ft (5-forint steps)
        ("HU", "HUF", 123800, 124000),  # 1 238 Ft → 1 240 Ft
        ("DE", "EUR", 12345, 12345),  # euro cash is paid to the cent
        ("PL", "PLN", 12301, 12301),
        ("RU", "RUB", 99999, 99999),
    ],
)
def test_cash_is_rounded_as_each_country_allows(
    country: str, currency: str, due: int, cash_due: int
) -> None:
    rules = rounding_rules(country, currency)
    paid = settle(due, [Tender(CASH, cash_due + 1000)], rules, currency)
    assert paid.paid == (Tender(CASH, cash_due),)
    assert paid.rounding_minor == cash_due - due
    assert paid.change_minor == 1000
    with pytest.raises(ValidationError, match="does not cover"):
        settle(due, [Tender(CASH, cash_due - 1)], rules, currency)


def test_card_pays_exactly_and_only_the_rest_in_cash_is_rounded() -> None:
    rules = rounding_rules("CZ", "CZK")
    paid = settle(299010, [Tender(CARD, 200000), Tender(CASH, 100000)], rules, "CZK")
    assert paid.paid == (Tender(CARD, 200000), Tender(CASH, 99000))  # 990,10 → 990
    assert (paid.rounding_minor, paid.change_minor) == (-10, 1000)
    exact = settle(299010, [Tender(CARD, 299010)], rules, "CZK")
    assert exact.rounding_minor == 0  # nothing in cash, nothing rounded
    with pytest.raises(ValidationError, match="more than"):
        settle(299010, [Tender(CARD, 299100)], rules, "CZK")
    with pytest.raises(ValidationError, match="does not cover"):
        settle(299010, [Tender(TRANSFER, 100000)], rules, "CZK")


def test_a_deposit_above_the_bill_is_paid_back_in_cash() -> None:
    rules = rounding_rules("CZ", "CZK")
    back = settle(-12040, [], rules, "CZK")
    assert back.paid == (Tender(CASH, -12000),)
    assert back.rounding_minor == 40
    assert settle(0, [], rules, "CZK").paid == ()


def test_document_numbers_per_kind_and_year_and_as_typed() -> None:
    assert document_number(DocumentKind.INVOICE, 2026, 42) == "2026-00042"
    assert document_number(DocumentKind.CREDIT_NOTE, 2026, 3) == "CN2026-00003"
    assert document_number(DocumentKind.HANDOVER, 2027, 1) == "HO2027-00001"
    assert normalise_document_number(" 2026-42 ") == "2026-00042"
    assert normalise_document_number("cn2026-3") == "CN2026-00003"
    assert normalise_document_number("nonsense") == "NONSENSE"


COUNTRIES = st.sampled_from(
    [("CZ", "CZK"), ("DE", "EUR"), ("PL", "PLN"), ("HU", "HUF"), ("RU", "RUB"), ("GB", "GBP")]
)


@given(
    COUNTRIES,
    st.integers(-50_000, 5_000_000),
    st.lists(
        st.tuples(st.sampled_from(list(PaymentMethod)), st.integers(0, 5_000_000)), max_size=4
    ),
)
def test_a_settled_bill_is_paid_to_within_the_cash_rounding(
    country: tuple[str, str], due: int, tenders: list[tuple[PaymentMethod, int]]
) -> None:
    rules = rounding_rules(*country)
    try:
        paid = settle(due, [Tender(m, a) for m, a in tenders], rules, country[1])
    except ValidationError:
        return
    assert paid.total_minor == due + paid.rounding_minor
    assert 2 * abs(paid.rounding_minor) <= rules.cash_step
    assert paid.change_minor >= 0
    cash = sum(a for m, a in tenders if m is CASH)
    if due >= 0:
        assert paid.tendered_cash_minor == cash
        assert cash - paid.change_minor == sum(
            t.amount_minor for t in paid.paid if t.method is CASH
        )


@given(
    COUNTRIES,
    st.booleans(),
    st.lists(
        st.tuples(
            st.integers(1, 20),
            st.integers(0, 2_000_000),
            st.sampled_from([Decimal(0), Decimal(5), Decimal(10), Decimal(21), Decimal(27)]),
        ),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 3_000_000),
)
def test_an_invoices_due_is_its_lines_less_the_deposit(
    country: tuple[str, str],
    includes_vat: bool,
    lines: list[tuple[int, int, Decimal]],
    deposit: int,
) -> None:
    rules = rounding_rules(*country)
    document = price_document(
        [LineInput(f"line {n}", q, p, r, includes_vat) for n, (q, p, r) in enumerate(lines)], rules
    )
    assert document.gross == sum(line.gross for line in document.lines)
    assert document.net + document.vat == document.gross
    due = document.gross - deposit
    paid = settle(
        due, [Tender(CARD, max(due, 0) // 2), Tender(CASH, max(due, 0))], rules, country[1]
    )
    assert paid.total_minor == due + paid.rounding_minor
