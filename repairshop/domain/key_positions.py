"""What a barcode scanner meant, read from the positions of the keys it pressed.

A USB scanner is a keyboard. It turns the label's characters into key presses
as a US keyboard would (``R`` is Shift and the key right of ``E``, ``0`` the
tenth key of the digit row) and the desk's layout turns those positions back
into characters: on a Czech layout the digit row gives ``+ ě š č ř ž ý á í é``,
on AZERTY ``& é " ' ( - è _ ç à``, on a Russian one the letters are Cyrillic, on
German QWERTZ Y and Z trade places. The position of every key survives the
layout, so reading the positions with the US layout gives back the label.

Each platform numbers positions its own way, and Qt hands the number on in
every key event:

* X11 and Wayland: the X keycode, which is the Linux input event code plus 8
  (``KEY_1`` is 2, keycode 10; ``linux/input-event-codes.h``, xkb's ``evdev``
  keycodes).
* Windows: the PC set-1 scan code; keys sent with the ``E0`` prefix carry
  ``0x100`` (Qt passes bits 16-24 of ``WM_KEYDOWN``'s lParam). For the typing
  block and the keypad digits Linux took its event codes from set 1, so the
  two agree there.
* macOS: the virtual key code (``kVK_ANSI_A`` and the rest from Carbon's
  ``HIToolbox/Events.h``), which Qt gives as the native virtual key.

The US characters of each position are those of xkb's ``us`` layout (the
unit tests compare the table with the xkb data installed on the machine).

Whether a burst of keys ended by Enter is a scan is decided by
:func:`scan_reading`: a scanner is far faster than any person, and a text
whose position reading is a valid code while the text itself is not was not
typed by someone looking at the keyboard.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass


class KeyCodes(enum.Enum):
    """Which numbering a platform's key events carry."""

    X11 = "x11"
    """X keycodes (Linux event code + 8), from Qt's ``nativeScanCode`` on xcb and Wayland."""
    WINDOWS = "windows"
    """Set-1 scan codes (``0x100`` for ``E0`` keys), from ``nativeScanCode`` on Windows."""
    MACOS = "macos"
    """Virtual key codes, from ``nativeVirtualKey`` on macOS."""


@dataclass(frozen=True)
class KeyPosition:
    name: str
    """The xkb name of the position (``AE01`` is the digit row's first key)."""
    linux: int
    """The Linux input event code (``KEY_1`` = 2); the X keycode is this plus 8."""
    set1: int
    """The PC set-1 scan code as Windows reports it."""
    mac: int
    """The macOS virtual key code (``kVK_...``)."""
    plain: str
    """What a US layout types at this position."""
    shifted: str
    """What a US layout types at this position with Shift."""

    def code(self, codes: KeyCodes) -> int:
        if codes is KeyCodes.X11:
            return self.linux + 8
        if codes is KeyCodes.WINDOWS:
            return self.set1
        return self.mac


def _key(name: str, linux: int, mac: int, plain: str, shifted: str) -> KeyPosition:
    # In the typing block the Linux event code is the set-1 scan code.
    return KeyPosition(name, linux, linux, mac, plain, shifted)


def _keypad(name: str, linux: int, set1: int, mac: int, character: str) -> KeyPosition:
    return KeyPosition(name, linux, set1, mac, character, character)


POSITIONS: tuple[KeyPosition, ...] = (
    _key("TLDE", 41, 0x32, "`", "~"),
    _key("AE01", 2, 0x12, "1", "!"),
    _key("AE02", 3, 0x13, "2", "@"),
    _key("AE03", 4, 0x14, "3", "#"),
    _key("AE04", 5, 0x15, "4", "$"),
    _key("AE05", 6, 0x17, "5", "%"),
    _key("AE06", 7, 0x16, "6", "^"),
    _key("AE07", 8, 0x1A, "7", "&"),
    _key("AE08", 9, 0x1C, "8", "*"),
    _key("AE09", 10, 0x19, "9", "("),
    _key("AE10", 11, 0x1D, "0", ")"),
    _key("AE11", 12, 0x1B, "-", "_"),
    _key("AE12", 13, 0x18, "=", "+"),
    _key("AD01", 16, 0x0C, "q", "Q"),
    _key("AD02", 17, 0x0D, "w", "W"),
    _key("AD03", 18, 0x0E, "e", "E"),
    _key("AD04", 19, 0x0F, "r", "R"),
    _key("AD05", 20, 0x11, "t", "T"),
    _key("AD06", 21, 0x10, "y", "Y"),
    _key("AD07", 22, 0x20, "u", "U"),
    _key("AD08", 23, 0x22, "i", "I"),
    _key("AD09", 24, 0x1F, "o", "O"),
    _key("AD10", 25, 0x23, "p", "P"),
    _key("AD11", 26, 0x21, "[", "{"),
    _key("AD12", 27, 0x1E, "]", "}"),
    _key("AC01", 30, 0x00, "a", "A"),
    _key("AC02", 31, 0x01, "s", "S"),
    _key("AC03", 32, 0x02, "d", "D"),
    _key("AC04", 33, 0x03, "f", "F"),
    _key("AC05", 34, 0x05, "g", "G"),
    _key("AC06", 35, 0x04, "h", "H"),
    _key("AC07", 36, 0x26, "j", "J"),
    _key("AC08", 37, 0x28, "k", "K"),
    _key("AC09", 38, 0x25, "l", "L"),
    _key("AC10", 39, 0x29, ";", ":"),
    _key("AC11", 40, 0x27, "'", '"'),
    _key("BKSL", 43, 0x2A, "\\", "|"),
    _key("AB01", 44, 0x06, "z", "Z"),
    _key("AB02", 45, 0x07, "x", "X"),
    _key("AB03", 46, 0x08, "c", "C"),
    _key("AB04", 47, 0x09, "v", "V"),
    _key("AB05", 48, 0x0B, "b", "B"),
    _key("AB06", 49, 0x2D, "n", "N"),
    _key("AB07", 50, 0x2E, "m", "M"),
    _key("AB08", 51, 0x2B, ",", "<"),
    _key("AB09", 52, 0x2F, ".", ">"),
    _key("AB10", 53, 0x2C, "/", "?"),
    _key("SPCE", 57, 0x31, " ", " "),
    # Scanners set to "keypad" output type digits here (Num Lock on).
    _keypad("KP7", 71, 0x47, 0x59, "7"),
    _keypad("KP8", 72, 0x48, 0x5B, "8"),
    _keypad("KP9", 73, 0x49, 0x5C, "9"),
    _keypad("KPSU", 74, 0x4A, 0x4E, "-"),
    _keypad("KP4", 75, 0x4B, 0x56, "4"),
    _keypad("KP5", 76, 0x4C, 0x57, "5"),
    _keypad("KP6", 77, 0x4D, 0x58, "6"),
    _keypad("KPAD", 78, 0x4E, 0x45, "+"),
    _keypad("KP1", 79, 0x4F, 0x53, "1"),
    _keypad("KP2", 80, 0x50, 0x54, "2"),
    _keypad("KP3", 81, 0x51, 0x55, "3"),
    _keypad("KP0", 82, 0x52, 0x52, "0"),
    _keypad("KPDL", 83, 0x53, 0x41, "."),
    _keypad("KPMU", 55, 0x37, 0x43, "*"),
    _keypad("KPDV", 98, 0x135, 0x4B, "/"),
)

_BY_CODE: dict[KeyCodes, dict[int, KeyPosition]] = {
    codes: {position.code(codes): position for position in POSITIONS} for codes in KeyCodes
}


def position_of(codes: KeyCodes, native: int) -> KeyPosition | None:
    """The key position a platform's native code stands for (``None``: not a typing key)."""
    return _BY_CODE[codes].get(native)


def us_character(codes: KeyCodes, native: int, shift: bool) -> str | None:
    """What a US layout types at this position, with or without Shift."""
    position = position_of(codes, native)
    if position is None:
        return None
    return position.shifted if shift else position.plain


@dataclass(frozen=True)
class KeyStroke:
    """One key pressed in a field: where it is, whether Shift was held, and when."""

    position: KeyPosition | None
    shift: bool
    text: str
    """What the desk's layout made of it (empty for a dead key)."""
    at_ms: int
    """The event's time stamp in milliseconds."""


SCAN_MIN_KEYS = 4
"""Shorter bursts are never taken for a scan by their speed alone."""
SCAN_MEAN_GAP_MS = 30
"""A scanner sends a key every few milliseconds; a fast typist needs well over 80."""


def position_reading(strokes: Sequence[KeyStroke]) -> str | None:
    """The strokes read as a US keyboard (``None`` if a key has no place on it)."""
    characters: list[str] = []
    for stroke in strokes:
        if stroke.position is None:
            return None
        characters.append(stroke.position.shifted if stroke.shift else stroke.position.plain)
    return "".join(characters)


def scanner_fast(strokes: Sequence[KeyStroke]) -> bool:
    """Whether the burst came at a scanner's pace (needs real time stamps)."""
    if len(strokes) < SCAN_MIN_KEYS:
        return False
    span = strokes[-1].at_ms - strokes[0].at_ms
    return 0 < span <= SCAN_MEAN_GAP_MS * (len(strokes) - 1)


def scan_reading(
    typed: str,
    strokes: Sequence[KeyStroke],
    is_code: Callable[[str], bool] | None = None,
    *,
    whole: bool = True,
) -> str | None:
    """What a scanner meant by the burst ``strokes`` ended by Enter, or ``None`` if it was typing.

    ``typed`` is the text the burst left in the field; ``whole`` says whether the
    field held nothing else. ``is_code`` tells a valid code for this field
    (a ticket code, a known part). The burst is a scan when

    * it came at a scanner's pace; or
    * the field holds only the burst, exactly as its keys typed it, the text is
      not a valid code and its position reading is.

    A scan replaces what else the field held (a search left in the Find box), so a
    scan into a field with other text gives the reading even where the layout typed it
    right. Typing stays as it is: a clerk typing "Dvořák" is slow and gets "Dvořák".
    """
    reading = position_reading(strokes)
    if not reading:
        return None
    if scanner_fast(strokes):
        return None if whole and reading == typed else reading
    if reading == typed:
        return None
    clean = whole and typed == "".join(stroke.text for stroke in strokes)
    if clean and is_code is not None and not is_code(typed) and is_code(reading):
        return reading
    return None
