"""Text and phone numbers folded the way people type them."""

from __future__ import annotations

import pytest

from repairshop.domain.contacts import phone_query, phone_search_forms
from repairshop.domain.folding import fold, same_person_name


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Novák", "novak"),
        ("Żółć", "zolc"),
        ("Łukasz", "lukasz"),
        ("Szőllősi", "szollosi"),
        ("Groß", "gross"),
        ("GROẞ", "gross"),
        ("Dvořák", "dvorak"),
        ("Кузнецова", "kuznetsova"),
        ("R000042", "r000042"),
    ],
)
def test_fold(written: str, typed: str) -> None:
    assert fold(written) == typed
    assert fold(typed) == typed


def test_same_person_name_ignores_diacritics_case_spacing_and_order() -> None:
    assert same_person_name("Kovács János", "janos  KOVACS")
    assert not same_person_name("Jan Novák", "Jana Nováková")
    assert not same_person_name("Jiří Dvořák", "Marie Dvořáková")


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("777 123 456", ("777123456",)),
        ("+420 777 123 456", ("+420777123456",)),
        ("00420 777 123 456", ("+420777123456", "00420777123456")),
        ("+44 (0) 7700 900123", ("+447700900123",)),
        ("8 (916) 123-45-67", ("89161234567",)),
        ("novak", None),
        ("R000042", None),
        ("12", None),
    ],
)
def test_phone_query(typed: str, searched: tuple[str, ...] | None) -> None:
    assert phone_query(typed) == searched


def test_phone_search_forms_hold_the_international_and_national_forms() -> None:
    assert phone_search_forms("+36301234567") == ("+36301234567", "301234567", "06301234567")
    assert phone_search_forms("+420777123456") == ("+420777123456", "777123456")
    assert phone_search_forms("+390612345678") == ("+390612345678", "0612345678")
    assert phone_search_forms(None) == ()
