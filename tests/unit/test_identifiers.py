"""IMEI, phone numbers, e-mail, ticket codes and money as the counter types them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairshop.domain.codes import (
    format_ticket_code,
    looks_like_ticket_code,
    normalise_ticket_code,
)
from repairshop.domain.contacts import family_name, full_name, normalise_email, normalise_phone
from repairshop.domain.devices import imei_problem, luhn_check_digit, luhn_valid, normalise_imei
from repairshop.domain.money import from_minor, parse_amount, to_minor
from repairshop.errors import ValidationError


def test_a_real_imei_is_accepted_with_spaces_or_dashes() -> None:
    assert normalise_imei("35-332611-170241-3") == "353326111702413"
    assert normalise_imei(" 353326 111702413 ") == "353326111702413"
    assert normalise_imei("") is None


@pytest.mark.parametrize(
    ("imei", "reason"),
    [
        ("353326111702414", "check digit"),
        ("35332611170241", "15 digits; this one has 14"),
        ("35332611170241A", "digits only"),
    ],
)
def test_a_wrong_imei_is_refused_with_the_reason(imei: str, reason: str) -> None:
    assert reason in (imei_problem(imei) or "")
    with pytest.raises(ValidationError) as refused:
        normalise_imei(imei)
    assert refused.value.field == "device.imei"


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_the_check_digit_satisfies_luhn_and_one_wrong_digit_fails(body: str) -> None:
    imei = body + luhn_check_digit(body)
    assert luhn_valid(imei)
    wrong = imei[:-1] + str((int(imei[-1]) + 1) % 10)
    assert not luhn_valid(wrong)


def test_phones_are_stored_in_e164_read_in_the_shop_region() -> None:
    assert normalise_phone("777 123 456", "CZ") == "+420777123456"
    assert normalise_phone("+49 170 1234567", "CZ") == "+491701234567"
    assert normalise_phone(None, "CZ") is None
    with pytest.raises(ValidationError, match="not a phone number"):
        normalise_phone("call me", "CZ")


def test_email_domain_is_lower_cased_and_nonsense_refused() -> None:
    assert normalise_email("Jiri.Dvorak@Seznam.CZ") == "Jiri.Dvorak@seznam.cz"
    with pytest.raises(ValidationError):
        normalise_email("jiri at seznam")


def test_ticket_codes_are_short_and_cheap_in_code128() -> None:
    assert format_ticket_code("R", 42) == "R000042"
    assert format_ticket_code("R", 1_000_000) == "R01000000"
    assert len(format_ticket_code("R", 99_999_999)) <= 10
    with pytest.raises(ValueError, match="fit"):
        format_ticket_code("R", 1_000_000_000)


@given(st.integers(min_value=1, max_value=99_999_999))
def test_ticket_codes_have_no_o_or_i_and_an_even_digit_count(number: int) -> None:
    code = format_ticket_code("R", number)
    assert re.fullmatch(r"R(\d\d)+", code)
    assert looks_like_ticket_code(code.lower())


def test_scanned_or_typed_codes_are_normalised() -> None:
    assert normalise_ticket_code(" r-000 042 ") == "R000042"
    assert not looks_like_ticket_code("O000042")
    assert not looks_like_ticket_code("Novák")


def test_money_is_exact_in_minor_units() -> None:
    assert to_minor(Decimal("3490.50"), "CZK") == 349050
    assert from_minor(349050, "EUR") == Decimal("3490.50")
    # ISO 4217 gives the forint two decimals, whatever Babel's display data says this year:
    # a stored amount must mean the same after a library upgrade.
    assert to_minor(Decimal("1200"), "HUF") == 120000
    assert to_minor(Decimal("1200"), "JPY") == 1200
    assert from_minor(1234, "KWD") == Decimal("1.234")
    assert parse_amount("1 200,50", "estimate") == Decimal("1200.50")
    assert parse_amount("", "estimate") is None
    with pytest.raises(ValidationError, match="negative"):
        parse_amount("-5", "deposit")
    with pytest.raises(ValidationError, match="not an amount"):
        parse_amount("lots", "deposit")


@pytest.mark.parametrize(
    ("first", "family", "language", "written"),
    [
        ("Jiří", "Dvořák", "cs", "Jiří Dvořák"),
        ("Ödön", "Szőllősi", "hu", "Szőllősi Ödön"),
        ("Светлана", "Кузнецова", "ru", "Светлана Кузнецова"),
    ],
)
def test_a_name_is_written_in_its_speakers_order_and_the_label_finds_the_family_name(
    first: str, family: str, language: str, written: str
) -> None:
    assert full_name(first, family, language) == written
    assert family_name(written, language) == family
    assert family_name("  ", language) == ""
