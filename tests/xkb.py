"""What an xkb keyboard layout types at a key position, from the machine's own xkb data.

libxkbcommon (the library Qt itself uses on X11 and Wayland to turn keycodes
into text) compiles the layout from the installed xkeyboard-config files, so
tests take each layout's characters from the same source as a real desk, not
from a table typed by hand.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass
from functools import cache

from repairshop.domain.key_positions import POSITIONS, KeyPosition


class _RuleNames(ctypes.Structure):
    _fields_ = [
        ("rules", ctypes.c_char_p),
        ("model", ctypes.c_char_p),
        ("layout", ctypes.c_char_p),
        ("variant", ctypes.c_char_p),
        ("options", ctypes.c_char_p),
    ]


@cache
def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("xkbcommon") or "libxkbcommon.so.0"
    library = ctypes.CDLL(name)
    library.xkb_context_new.restype = ctypes.c_void_p
    library.xkb_context_new.argtypes = [ctypes.c_int]
    library.xkb_keymap_new_from_names.restype = ctypes.c_void_p
    library.xkb_keymap_new_from_names.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(_RuleNames),
        ctypes.c_int,
    ]
    library.xkb_keymap_mod_get_index.restype = ctypes.c_uint32
    library.xkb_keymap_mod_get_index.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    library.xkb_state_new.restype = ctypes.c_void_p
    library.xkb_state_new.argtypes = [ctypes.c_void_p]
    library.xkb_state_update_mask.restype = ctypes.c_int
    library.xkb_state_update_mask.argtypes = [ctypes.c_void_p] + [ctypes.c_uint32] * 6
    library.xkb_state_key_get_utf8.restype = ctypes.c_int
    library.xkb_state_key_get_utf8.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_char_p,
        ctypes.c_size_t,
    ]
    return library


class Layout:
    """One xkb layout (``cz``, ``fr``, ``ru``…) on a pc105 keyboard, as evdev rules build it."""

    def __init__(self, layout: str, variant: str = "") -> None:
        library = _library()
        context = library.xkb_context_new(0)
        if not context:
            raise RuntimeError("libxkbcommon could not make a context")
        names = _RuleNames(b"evdev", b"pc105", layout.encode(), variant.encode(), b"")
        self._keymap = library.xkb_keymap_new_from_names(context, ctypes.byref(names), 0)
        if not self._keymap:
            raise RuntimeError(f"xkb has no layout {layout!r}")
        self._state = library.xkb_state_new(self._keymap)
        self._shift = 1 << library.xkb_keymap_mod_get_index(self._keymap, b"Shift")
        self._num_lock = 1 << library.xkb_keymap_mod_get_index(self._keymap, b"Mod2")
        self.name = layout

    def text(self, keycode: int, shift: bool, *, num_lock: bool = True) -> str:
        """What this layout types at X keycode ``keycode`` ("" for a dead key)."""
        library = _library()
        mods = self._shift if shift else 0
        locked = self._num_lock if num_lock else 0
        library.xkb_state_update_mask(self._state, mods, 0, locked, 0, 0, 0)
        buffer = ctypes.create_string_buffer(16)
        library.xkb_state_key_get_utf8(self._state, keycode, buffer, len(buffer))
        return buffer.value.decode()


LAYOUTS: dict[str, tuple[str, str]] = {
    "cs": ("cz", ""),
    "de": ("de", ""),
    "hu": ("hu", ""),
    "pl": ("pl", "qwertz"),
    "ru": ("ru", ""),
    "fr": ("fr", ""),
}
"""The desks the tests stand at: the language and its xkb layout and variant (Polish typists'
QWERTZ; the default Polish "programmers'" layout types like a US one)."""


@dataclass(frozen=True)
class Press:
    """One key press as a platform reports it: position, Shift, and the layout's text."""

    position: KeyPosition
    shift: bool
    text: str


@cache
def desk(language: str) -> Layout:
    """The keyboard layout of a desk in the country of ``language`` (a key of :data:`LAYOUTS`)."""
    return Layout(*LAYOUTS[language])


def scanner_presses(desk: Layout, label: str) -> list[Press]:
    """The keys a scanner presses for ``label`` (US positions) and what ``desk`` types."""
    presses = []
    for character in label:
        position, shift = _us_position(character)
        presses.append(Press(position, shift, desk.text(position.linux + 8, shift)))
    return presses


def typist_presses(desk: Layout, text: str) -> list[Press]:
    """The keys a person presses on ``desk`` to type ``text`` (looking at the key caps)."""
    presses = []
    for character in text:
        for position in POSITIONS:
            found = [s for s in (False, True) if desk.text(position.linux + 8, s) == character]
            if found:
                presses.append(Press(position, found[0], character))
                break
        else:
            raise ValueError(f"{desk.name} has no key for {character!r}")
    return presses


def _us_position(character: str) -> tuple[KeyPosition, bool]:
    for position in POSITIONS:
        if position.plain == character:
            return position, False
        if position.shifted == character:
            return position, True
    raise ValueError(f"a US keyboard has no key for {character!r}")
