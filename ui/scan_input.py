"""Fields that understand a barcode scanner whatever the desk's keyboard layout.

:func:`read_scans` installs a :class:`ScanReader` on a line edit (the Find box,
a SKU field) or a plain text box with one code per line (serials). It notes
the position of every key pressed (Qt's native scan code or virtual key) and,
when Enter ends the burst, asks :func:`~repairshop.domain.key_positions.scan_reading`
whether it was a scan; if so, the field gets the characters the label holds
before Enter reaches the field, so ``returnPressed`` already sees ``R000201``
where a Czech layout typed ``Réééěé+``. Typing is left as it was typed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from repairshop.domain.devices import imei_problem
from repairshop.domain.key_positions import KeyCodes, KeyStroke, position_of, scan_reading
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.parts.stock import ScanKeys, scan_keys
from ui.operations import ReadOp
from ui.qt import QEvent, QGuiApplication, QKeyEvent, QLineEdit, QObject, QPlainTextEdit, Qt

if TYPE_CHECKING:
    from ui.context import AppContext

IsCode = Callable[[str], bool]

_MODIFIER_KEYS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
}
_ENTER_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
_SHORTCUT_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def platform_key_codes() -> KeyCodes:
    """The numbering this platform's key events carry."""
    name = QGuiApplication.platformName()
    if name == "windows" or (name not in ("xcb", "wayland", "cocoa") and sys.platform == "win32"):
        return KeyCodes.WINDOWS
    if name == "cocoa" or (name not in ("xcb", "wayland") and sys.platform == "darwin"):
        return KeyCodes.MACOS
    return KeyCodes.X11


def native_code(event: QKeyEvent, codes: KeyCodes) -> int:
    """The key's position number in ``codes``' numbering."""
    if codes is KeyCodes.MACOS:
        return int(event.nativeVirtualKey())
    return int(event.nativeScanCode())


class ScanReader(QObject):
    """Notes a field's key presses by position; at Enter, puts a scan's meaning in the field."""

    def __init__(
        self,
        field: QLineEdit | QPlainTextEdit,
        is_code: IsCode | None = None,
        codes: KeyCodes | None = None,
    ) -> None:
        super().__init__(field)
        self.field = field
        self.is_code = is_code
        self.codes = codes if codes is not None else platform_key_codes()
        self._strokes: list[KeyStroke] = []
        self._before = ""
        """The field's text before the burst's first key (a line edit's, or the current line's)."""
        self._after = ""
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            self._key_pressed(event)
        elif watched is self.field and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._reset()
        return False

    def _key_pressed(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in _ENTER_KEYS:
            self._finish()
            return
        if key in _MODIFIER_KEYS:
            return
        position = position_of(self.codes, native_code(event, self.codes))
        if (
            event.modifiers() & _SHORTCUT_MODIFIERS
            or event.isAutoRepeat()
            or (position is None and event.text() == "")
        ):
            # A shortcut (a paste), a held key, Backspace or an arrow: what follows is typing.
            self._reset()
            return
        if not self._strokes:
            self._before, self._after = self._surroundings()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._strokes.append(KeyStroke(position, shift, event.text(), int(event.timestamp())))

    def _surroundings(self) -> tuple[str, str]:
        """What stays of the field (or line) around the cursor when the next key is typed."""
        field = self.field
        if isinstance(field, QLineEdit):
            text = field.text()
            if field.hasSelectedText():
                start = field.selectionStart()
                return text[:start], text[start + len(field.selectedText()) :]
            at = field.cursorPosition()
            return text[:at], text[at:]
        cursor = field.textCursor()
        line = cursor.block().text()
        start = cursor.selectionStart() - cursor.block().position()
        end = cursor.selectionEnd() - cursor.block().position()
        return line[: max(start, 0)], line[max(end, 0) :]

    def _current(self) -> str:
        field = self.field
        if isinstance(field, QLineEdit):
            return field.text()
        return field.textCursor().block().text()

    def _finish(self) -> None:
        strokes, before, after = self._strokes, self._before, self._after
        self._reset()
        if not strokes:
            return
        current = self._current()
        if not (current.startswith(before) and current.endswith(after)):
            return
        if len(before) + len(after) > len(current):
            return
        typed = current[len(before) : len(current) - len(after)]
        reading = scan_reading(
            typed, strokes, self.is_code, whole=not before.strip() and not after.strip()
        )
        if reading is not None:
            self._replace(reading)

    def _replace(self, reading: str) -> None:
        """A scan replaces the whole field (a line edit) or the whole line (a list of codes)."""
        field = self.field
        if isinstance(field, QLineEdit):
            field.setText(reading)
            return
        cursor = field.textCursor()
        cursor.movePosition(cursor.MoveOperation.StartOfBlock)
        cursor.movePosition(cursor.MoveOperation.EndOfBlock, cursor.MoveMode.KeepAnchor)
        cursor.insertText(reading)
        field.setTextCursor(cursor)

    def _reset(self) -> None:
        self._strokes = []
        self._before = self._after = ""


def read_scans(
    field: QLineEdit | QPlainTextEdit,
    is_code: IsCode | None = None,
    codes: KeyCodes | None = None,
) -> ScanReader:
    """Make ``field`` take a scanned label as the label reads, whatever the keyboard layout.

    ``is_code`` tells a valid code for the field (a ticket code, a known part);
    without it only a burst at a scanner's pace counts as a scan.
    """
    return ScanReader(field, is_code, codes)


class KnownParts(QObject):
    """The part labels this desk knows, kept in step with the catalogue off the GUI thread.

    A valid code for a part field is a SKU, a unit's serial or a supplier's part number we
    know; the keys are read by a :class:`ReadOp` when the field is made and again after
    every change to parts, so pressing Enter never waits for the database.
    """

    def __init__(self, context: AppContext, parent: QObject) -> None:
        super().__init__(parent)
        self._context = context
        self._keys: ScanKeys = ScanKeys(frozenset(), frozenset(), frozenset())
        context.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        ReadOp(self._context, self, scan_keys, self._take).run()

    def _take(self, keys: ScanKeys) -> None:
        self._keys = keys

    def _on_changed(self, changes: Changes, _initiator: object = None) -> None:
        if changes.touches(ChangeKind.PART):
            self.reload()

    def __call__(self, text: str) -> bool:
        return text in self._keys


_KNOWN_PARTS: WeakKeyDictionary[AppContext, KnownParts] = WeakKeyDictionary()


def known_part(context: AppContext, _field: QObject) -> IsCode:
    """A valid code for a part field, read from the keys the desk keeps (:class:`KnownParts`):
    one copy per desk, not one per field, so a job card opens without reading the catalogue."""
    keeper = _KNOWN_PARTS.get(context)
    if keeper is None:
        keeper = _KNOWN_PARTS[context] = KnownParts(context, context)
    return keeper


def imei_shape(text: str) -> bool:
    """A valid code for an IMEI field."""
    return imei_problem(text) is None
