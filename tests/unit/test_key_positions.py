"""A scan read by key position gives the label back on every desk's layout; typing stays typing."""

from __future__ import annotations

import pytest

from repairshop.domain.codes import looks_like_ticket_code
from repairshop.domain.key_positions import (
    POSITIONS,
    SCAN_MEAN_GAP_MS,
    KeyCodes,
    KeyStroke,
    position_of,
    scan_reading,
    scanner_fast,
    us_character,
)
from tests.xkb import LAYOUTS, Layout, Press, desk, scanner_presses, typist_presses

SCANNER_GAP_MS = 8
TYPIST_GAP_MS = 180
LABELS = ("R000201", "LCD-IP13-BLK", "SN8Z/Y42Q", "353326111702413")


def strokes(presses: list[Press], gap_ms: int) -> list[KeyStroke]:
    return [
        KeyStroke(press.position, press.shift, press.text, 1000 + number * gap_ms)
        for number, press in enumerate(presses)
    ]


def test_the_us_characters_are_those_of_xkbs_us_layout() -> None:
    us = Layout("us")
    for position in POSITIONS:
        keycode = position.code(KeyCodes.X11)
        assert us.text(keycode, False) == position.plain, position.name
        if not position.name.startswith("KP"):
            assert us.text(keycode, True) == position.shifted, position.name


def test_each_numbering_names_each_position_once() -> None:
    for codes in KeyCodes:
        numbers = [position.code(codes) for position in POSITIONS]
        assert len(set(numbers)) == len(numbers), codes
        for position in POSITIONS:
            assert position_of(codes, position.code(codes)) is position


def test_the_same_key_reads_the_same_on_every_platform() -> None:
    # The digit row's first key, Q, the keypad's divide key (E0 on Windows), space.
    assert {us_character(KeyCodes.X11, 10, False), us_character(KeyCodes.WINDOWS, 0x02, False)} == {
        "1"
    }
    assert us_character(KeyCodes.MACOS, 0x12, True) == "!"
    assert us_character(KeyCodes.X11, 24, True) == "Q"
    assert us_character(KeyCodes.WINDOWS, 0x10, False) == "q"
    assert us_character(KeyCodes.MACOS, 0x0C, False) == "q"
    assert us_character(KeyCodes.WINDOWS, 0x135, False) == "/"
    assert us_character(KeyCodes.X11, 106, False) == "/"
    assert us_character(KeyCodes.MACOS, 0x31, False) == " "
    assert us_character(KeyCodes.X11, 9, False) is None  # Escape


def test_the_layouts_really_scramble_a_scan() -> None:
    """What the issue saw at the counters, from the xkb data itself."""
    seen = {
        language: "".join(press.text for press in scanner_presses(desk(language), "R000201"))
        for language in LAYOUTS
    }
    assert seen["cs"] == "Réééěé+"
    assert seen["hu"] == "Rööö2ö1"
    assert seen["fr"] == "Ràààéà&"
    assert seen["ru"] == "Кааа2а1".replace("а", "0")
    assert "".join(p.text for p in scanner_presses(desk("de"), "ZY")) == "YZ"
    assert "".join(p.text for p in scanner_presses(desk("pl"), "Z-0")) == "Y+0"


@pytest.mark.parametrize("language", sorted(LAYOUTS))
@pytest.mark.parametrize("label", LABELS)
def test_a_scan_at_scanner_pace_reads_as_the_label(language: str, label: str) -> None:
    presses = scanner_presses(desk(language), label)
    typed = "".join(press.text for press in presses)
    reading = scan_reading(typed, strokes(presses, SCANNER_GAP_MS))
    assert (reading or typed) == label


@pytest.mark.parametrize("language", sorted(LAYOUTS))
def test_a_slow_scan_of_a_ticket_code_still_reads_as_the_code(language: str) -> None:
    """A scanner set to send slowly: the text is no code, its position reading is."""
    presses = scanner_presses(desk(language), "R000201")
    typed = "".join(press.text for press in presses)
    reading = scan_reading(typed, strokes(presses, TYPIST_GAP_MS), looks_like_ticket_code)
    assert (reading or typed) == "R000201"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("cs", "Dvořák"),
        ("cs", "R000201"),
        ("de", "Größe"),
        ("de", "Y000201"),
        ("hu", "Szőllősi"),
        ("pl", "żółć"),
        ("ru", "Иванов"),
        ("fr", "Gérard"),
    ],
)
def test_typing_stays_as_typed(language: str, text: str) -> None:
    presses = typist_presses(desk(language), text)
    assert "".join(press.text for press in presses) == text
    assert scan_reading(text, strokes(presses, TYPIST_GAP_MS), looks_like_ticket_code) is None


def test_a_slow_burst_that_is_not_the_whole_field_stays() -> None:
    presses = scanner_presses(desk("cs"), "R000201")
    typed = "".join(press.text for press in presses)
    slow = strokes(presses, TYPIST_GAP_MS)
    assert scan_reading(typed, slow, looks_like_ticket_code, whole=False) is None
    assert scan_reading(typed, slow) is None  # no way to tell a code: only the pace counts


def test_a_scan_replaces_what_else_the_field_held() -> None:
    presses = scanner_presses(Layout("us"), "R000201")
    fast = strokes(presses, SCANNER_GAP_MS)
    assert scan_reading("R000201", fast) is None
    assert scan_reading("R000201", fast, whole=False) == "R000201"


def test_a_scanners_pace_needs_four_keys_and_real_time_stamps() -> None:
    presses = scanner_presses(desk("cs"), "R0002")
    assert scanner_fast(strokes(presses, SCAN_MEAN_GAP_MS))
    assert not scanner_fast(strokes(presses, SCAN_MEAN_GAP_MS + 1))
    assert not scanner_fast(strokes(presses[:3], 1))
    assert not scanner_fast(strokes(presses, 0))


def test_a_key_without_a_us_position_is_no_scan() -> None:
    presses = strokes(scanner_presses(desk("cs"), "R0002"), SCANNER_GAP_MS)
    unknown = KeyStroke(None, False, "x", presses[-1].at_ms + 1)
    assert scan_reading("Rééééx", [*presses, unknown]) is None
