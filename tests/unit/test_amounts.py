"""Amounts are read as the shop writes them, and what reads two ways is refused, never guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from repairshop.domain.money import amount_text, parse_amount, read_amount
from repairshop.errors import ValidationError
from repairshop.i18n import format_figure, format_money


@pytest.mark.parametrize(
    ("language", "currency", "typed", "amount"),
    [
        ("cs", "CZK", "3.490", "3490"),
        ("cs", "CZK", "3490,-", "3490"),
        ("cs", "CZK", "3 490 Kč", "3490"),
        ("cs", "CZK", "3\u00a0490,50\u00a0Kč", "3490.50"),
        ("cs", "CZK", "3 490,- Kč", "3490"),
        ("cs", "CZK", "3490 Kc", "3490"),
        ("cs", "CZK", "1.234.567,89", "1234567.89"),
        ("cs", "CZK", "3490.00", "3490.00"),  # the way a computer writes it: two decimals
        ("cs", "CZK", "349,5", "349.5"),
        ("de", "EUR", "3.490", "3490"),
        ("de", "EUR", "3.490,-", "3490"),
        ("de", "EUR", "12,50 €", "12.50"),
        ("de", "EUR", "€ 12,50", "12.50"),
        ("de", "EUR", "3.49", "3.49"),  # a dot with two digits can only be the decimal sign
        ("de", "EUR", "1.234.567,89", "1234567.89"),
        ("pl", "PLN", "1 200,50", "1200.50"),
        ("pl", "PLN", "1 200 zł", "1200"),
        ("pl", "PLN", "1.200", "1200"),
        ("hu", "HUF", "3.490 Ft", "3490"),
        ("hu", "HUF", "12 900 Ft", "12900"),
        # Forints are charged whole: "3,490" is not 3 forints 49 fillér, nor is yen's "3.490".
        ("hu", "HUF", "3,490", "3490"),
        ("en", "HUF", "3.490", "3490"),
        ("en", "JPY", "3.490", "3490"),
        ("ru", "RUB", "3 490 ₽", "3490"),
        ("ru", "RUB", "3490,00 руб.", "3490.00"),
        ("en", "GBP", "£3,490", "3490"),
        ("en", "GBP", "3,490.50", "3490.50"),
        ("en", "EUR", "12.5", "12.5"),
        ("en", "CZK", "CZK3,490.00", "3490.00"),
    ],
)
def test_an_amount_is_read_as_the_shop_writes_it(
    language: str, currency: str, typed: str, amount: str
) -> None:
    assert read_amount(typed, "estimate", currency=currency, language=language) == Decimal(amount)


@pytest.mark.parametrize(
    ("language", "currency", "typed", "readings"),
    [
        ("en", "GBP", "3.490", ("£3,490.00", "£3.49")),
        ("cs", "CZK", "3,490", ("3\u00a0490,00\u00a0Kč", "3,49\u00a0Kč")),
        ("de", "EUR", "3,490", ("3.490,00\u00a0€", "3,49\u00a0€")),
        ("pl", "PLN", "1,200", ("1\u00a0200,00\u00a0zł", "1,20\u00a0zł")),
        ("ru", "RUB", "3,490", ("3\u00a0490,00\u00a0₽", "3,49\u00a0₽")),
    ],
)
def test_what_reads_two_ways_is_refused_with_both_readings(
    language: str, currency: str, typed: str, readings: tuple[str, str]
) -> None:
    with pytest.raises(ValidationError, match="two ways") as refused:
        read_amount(typed, "deposit", currency=currency, language=language)
    assert refused.value.field == "deposit"
    for reading in readings:
        assert reading in refused.value.message


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("lots", "not an amount"),
        ("-5", "negative"),
        ("34 90", "not an amount"),  # a space that does not group three digits
        ("1.23.456", "not an amount"),
        ("3490 USD", "not in CZK"),
        ("3,4900", "more decimals"),
        ("3,490.12,5", "not an amount"),
    ],
)
def test_what_is_not_an_amount_is_refused(typed: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        read_amount(typed, "estimate", currency="CZK", language="cs")


def test_empty_is_no_amount_and_what_a_field_shows_reads_back() -> None:
    assert read_amount("  ", "estimate", currency="CZK", language="cs") is None
    for language in ("en", "cs", "de", "pl", "ru", "hu"):
        for currency in ("CZK", "EUR", "PLN", "HUF", "RUB", "GBP"):
            shown = amount_text(Decimal("123456.70"), currency, language)
            assert read_amount(shown, "x", currency=currency, language=language) == Decimal(
                "123456.70"
            ), (language, currency, shown)
    assert amount_text(None, "CZK", "cs") == ""


def test_without_a_known_currency_a_sign_is_refused() -> None:
    assert read_amount("3.490", "price", currency="", language="cs") == Decimal(3490)
    with pytest.raises(ValidationError, match="without the currency"):
        read_amount("3 490 Kč", "price", currency="", language="cs")


@pytest.mark.parametrize("typed", ["3.490", "3,490", "12.500"])
def test_the_command_line_and_imports_refuse_what_reads_two_ways(typed: str) -> None:
    with pytest.raises(ValidationError, match="two ways") as refused:
        parse_amount(typed, "price")
    assert typed.replace(".", "").replace(",", "") in refused.value.message


def test_the_command_line_still_reads_what_reads_one_way() -> None:
    assert parse_amount("3490", "price") == Decimal(3490)
    assert parse_amount("3 490,50", "price") == Decimal("3490.50")
    assert parse_amount("1234.567", "price") == Decimal("1234.567")  # no group of four
    assert parse_amount(3.5, "price") == Decimal("3.5")  # a JSON number is a number


@pytest.mark.parametrize(
    ("language", "currency", "amount", "written"),
    [
        ("hu", "HUF", "3490", "3\u00a0490\u00a0Ft"),  # forints: whole, in fields as in totals
        ("hu", "HUF", "3490.40", "3\u00a0490,40\u00a0Ft"),  # unless the amount has fillér
        ("pl", "PLN", "3490", "3\u00a0490,00\u00a0zł"),
        ("cs", "CZK", "3490", "3\u00a0490,00\u00a0Kč"),  # haléře stay on documents
        ("en", "JPY", "3490", "¥3,490"),
    ],
)
def test_a_field_a_label_and_a_table_write_an_amount_one_way(
    language: str, currency: str, amount: str, written: str
) -> None:
    value = Decimal(amount)
    assert format_money(value, currency, language) == written
    assert amount_text(value, currency, language) == written
    figure = format_figure(value, currency, language)
    assert figure in written
    assert figure[0].isdigit()  # no currency in a table's figure
    assert figure[-1].isdigit()
