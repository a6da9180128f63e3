"""A scanner at a Czech, German, Hungarian, Polish, Russian or French desk opens what it scans.

The key events are made as each platform reports them: the key's native scan
code (X11 keycode, Windows set-1 scan code) or virtual key (macOS), Shift as a
modifier, and the text the desk's layout makes of the key (from the xkb data
installed on the machine, see ``tests/xkb.py``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from repairshop.domain.key_positions import KeyCodes
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.parts.job_parts import job_parts, receive_part
from repairshop.services.parts.stock import PartInput, StockChanged, add_part
from repairshop.services.uow import UnitOfWork
from tests.helpers import intake_document
from tests.ui.ops import WAIT_MS, read, wait_idle, write
from tests.xkb import LAYOUTS, Layout, Press, desk, scanner_presses, typist_presses
from ui.context import AppContext
from ui.job_card import JobCard
from ui.job_list import JobsView
from ui.main_window import MainWindow
from ui.parts import JobPartsPanel
from ui.qt import QApplication, QKeyEvent, QLineEdit, QPlainTextEdit, Qt, QWidget
from ui.scan_input import read_scans

SCANNER_GAP_MS = 6
TYPIST_GAP_MS = 170
PART = "LCD-YZ-1"
"""Y and Z trade places on QWERTZ, ``-`` is ``ß`` on a German desk and ``)`` on an AZERTY one."""
_SHIFT = {KeyCodes.X11: 50, KeyCodes.WINDOWS: 0x2A, KeyCodes.MACOS: 0x38}
_RETURN = {KeyCodes.X11: 36, KeyCodes.WINDOWS: 0x1C, KeyCodes.MACOS: 0x24}


class Keyboard:
    """Sends key events to a widget as a platform would, with time stamps."""

    def __init__(self, codes: KeyCodes = KeyCodes.X11) -> None:
        self.codes = codes
        self.clock = 10_000

    def _send(
        self,
        widget: QWidget,
        key: int,
        native: int,
        text: str,
        *,
        modifiers: Qt.KeyboardModifier,
        gap_ms: int,
    ) -> None:
        scan_code = 0 if self.codes is KeyCodes.MACOS else native
        virtual_key = native if self.codes is KeyCodes.MACOS else 0
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, modifiers, scan_code, virtual_key, 0, text)
            event.setTimestamp(self.clock)
            QApplication.sendEvent(widget, event)
        self.clock += gap_ms

    def press(self, widget: QWidget, presses: list[Press], gap_ms: int) -> None:
        no_modifier = Qt.KeyboardModifier.NoModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        for press in presses:
            if press.shift:
                shift_key = _SHIFT[self.codes]
                self._send(widget, Qt.Key.Key_Shift, shift_key, "", modifiers=shift, gap_ms=0)
            text = press.text
            key = ord(text.upper()) if len(text) == 1 and text.isascii() else Qt.Key.Key_unknown
            native = press.position.code(self.codes)
            modifiers = shift if press.shift else no_modifier
            self._send(widget, key, native, text, modifiers=modifiers, gap_ms=gap_ms)

    def enter(self, widget: QWidget) -> None:
        no_modifier = Qt.KeyboardModifier.NoModifier
        self._send(
            widget, Qt.Key.Key_Return, _RETURN[self.codes], "\r", modifiers=no_modifier, gap_ms=0
        )


def take_in(qtbot: QtBot, context: AppContext) -> str:
    request = intake_request_from_json(intake_document())
    return write(
        qtbot, context, lambda uow: intake(uow, request, "admin"), lambda r: r.changes
    ).code


def stock_part(qtbot: QtBot, context: AppContext) -> None:
    """The part comes into the catalogue and on the shelf, written as this desk writes."""

    def stock(uow: UnitOfWork) -> StockChanged:
        add_part(uow, PartInput(sku=PART, name="Display", price=Decimal("990")), "admin")
        return receive_part(uow, PART, 3, "admin")

    write(qtbot, context, stock, lambda changed: changed.changes)


def enter_opens_a_card(qtbot: QtBot, window: MainWindow, keyboard: Keyboard) -> JobCard:
    """Enter in the Find box; the card opens (off the GUI thread) and has read all it shows,
    its part field the part labels the shop knows."""
    with qtbot.waitSignal(window.card_opened, timeout=WAIT_MS) as opened:
        keyboard.enter(window.search)
    wait_idle(qtbot, window.context)
    card = opened.args[0]
    assert isinstance(card, JobCard)
    assert window.current_card() is card
    return card


def parts_panel(card: JobCard) -> JobPartsPanel:
    panel = card.findChild(JobPartsPanel)
    assert panel is not None
    return panel


def parts_on(context: AppContext, code: str) -> list[tuple[str, int]]:
    return [
        (line.sku, line.reserved) for line in read(context, lambda uow: job_parts(uow, code)).lines
    ]


@pytest.mark.parametrize("language", sorted(LAYOUTS))
def test_a_scanned_label_opens_the_job_and_a_scanned_part_goes_on_it(
    qtbot: QtBot, window: MainWindow, context: AppContext, language: str
) -> None:
    code = take_in(qtbot, context)
    stock_part(qtbot, context)
    keyboard = Keyboard()
    window.search.setFocus()
    presses = scanner_presses(desk(language), code)
    keyboard.press(window.search, presses, SCANNER_GAP_MS)
    typed = "".join(press.text for press in presses)
    assert window.search.text() == typed
    assert (typed == code) is (language in ("de", "pl"))  # digits and R where US has them

    card = enter_opens_a_card(qtbot, window, keyboard)

    assert card.code == code
    assert window.windowTitle().endswith(code)
    panel = parts_panel(card)
    keyboard.press(panel.sku, scanner_presses(desk(language), PART), SCANNER_GAP_MS)
    assert panel.sku.text() != PART
    keyboard.enter(panel.sku)
    wait_idle(qtbot, context)
    assert parts_on(context, code) == [(PART, 1)]
    shown = [panel.model.row(row) for row in range(panel.model.rowCount())]
    assert [line.sku for line in shown if line is not None] == [PART]  # the card shows it


@pytest.mark.parametrize("language", sorted(LAYOUTS))
def test_a_scanner_set_to_send_slowly_still_opens_the_job_and_puts_a_known_part_on_it(
    qtbot: QtBot, window: MainWindow, context: AppContext, language: str
) -> None:
    """At a typist's pace only the field's valid codes tell a scan: a ticket code in the Find
    box, a part the shop knows (read by the card's part field before the scan) in the part field.
    """
    code = take_in(qtbot, context)
    stock_part(qtbot, context)
    keyboard = Keyboard()
    keyboard.press(window.search, scanner_presses(desk(language), code), TYPIST_GAP_MS)
    card = enter_opens_a_card(qtbot, window, keyboard)
    assert card.code == code
    panel = parts_panel(card)
    keyboard.press(panel.sku, scanner_presses(desk(language), PART), TYPIST_GAP_MS)
    assert panel.sku.text() != PART  # the desk's layout typed something else
    keyboard.enter(panel.sku)
    wait_idle(qtbot, context)
    assert parts_on(context, code) == [(PART, 1)]


def test_a_part_added_while_the_card_is_open_is_then_read_from_a_slow_scan(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    """The part field follows the catalogue: a label it does not know stays as typed."""
    code = take_in(qtbot, context)
    keyboard = Keyboard()
    keyboard.press(window.search, scanner_presses(desk("cs"), code), SCANNER_GAP_MS)
    panel = parts_panel(enter_opens_a_card(qtbot, window, keyboard))
    presses = scanner_presses(desk("cs"), PART)
    typed = "".join(press.text for press in presses)
    assert typed != PART
    keyboard.press(panel.sku, presses, TYPIST_GAP_MS)
    with qtbot.waitSignal(context.error_shown, timeout=WAIT_MS) as shown:
        keyboard.enter(panel.sku)
    assert typed in shown.args[0]  # no such part: what the layout typed was kept
    assert panel.sku.text() == typed
    assert context.last_error is not None
    context.last_error.close()

    stock_part(qtbot, context)  # another view of this desk adds the part; the field hears of it
    panel.sku.clear()
    keyboard.press(panel.sku, presses, TYPIST_GAP_MS)
    keyboard.enter(panel.sku)
    wait_idle(qtbot, context)
    assert parts_on(context, code) == [(PART, 1)]


@pytest.mark.parametrize(("language", "name"), [("cs", "Dvořák"), ("de", "Größe"), ("ru", "Иван")])
def test_typing_in_the_find_box_stays_as_typed(
    qtbot: QtBot, window: MainWindow, context: AppContext, language: str, name: str
) -> None:
    take_in(qtbot, context)
    keyboard = Keyboard()
    keyboard.press(window.search, typist_presses(desk(language), name), TYPIST_GAP_MS)
    keyboard.enter(window.search)
    wait_idle(qtbot, context)
    assert window.search.text() == name
    assert window.current_card() is None
    jobs = window.tabs.currentWidget()
    assert isinstance(jobs, JobsView)
    assert jobs.search.text() == name


def test_a_code_typed_by_hand_on_a_czech_desk_opens_the_job(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    """On a Czech layout a person types digits with Shift: the text is the code already."""
    code = take_in(qtbot, context)
    keyboard = Keyboard()
    keyboard.press(window.search, typist_presses(desk("cs"), code), TYPIST_GAP_MS)
    card = enter_opens_a_card(qtbot, window, keyboard)
    assert card.code == code


@pytest.mark.parametrize("language", ["cs", "us"])
def test_a_scan_after_an_earlier_search_replaces_it(
    qtbot: QtBot, window: MainWindow, context: AppContext, language: str
) -> None:
    code = take_in(qtbot, context)
    window.search.setText("novak")
    keyboard = Keyboard()
    layout = desk(language) if language in LAYOUTS else Layout(language)
    keyboard.press(window.search, scanner_presses(layout, code), SCANNER_GAP_MS)
    card = enter_opens_a_card(qtbot, window, keyboard)
    assert card.code == code


def test_editing_by_hand_keeps_the_text(qtbot: QtBot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    read_scans(field)
    entered: list[str] = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    keyboard = Keyboard()
    keyboard.press(field, scanner_presses(desk("cs"), "R0002"), SCANNER_GAP_MS)
    backspace = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Backspace, Qt.KeyboardModifier(0))
    QApplication.sendEvent(field, backspace)
    keyboard.enter(field)
    assert entered == ["Rééé"]


@pytest.mark.parametrize("codes", [KeyCodes.WINDOWS, KeyCodes.MACOS])
@pytest.mark.parametrize("language", sorted(LAYOUTS))
def test_windows_scan_codes_and_macos_virtual_keys_read_the_same(
    qtbot: QtBot, codes: KeyCodes, language: str
) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    read_scans(field, codes=codes)
    entered: list[str] = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    keyboard = Keyboard(codes)
    for label in ("R000201", PART):
        field.clear()
        keyboard.press(field, scanner_presses(desk(language), label), SCANNER_GAP_MS)
        keyboard.enter(field)
    assert entered == ["R000201", PART]


def test_serials_scanned_one_per_line_read_as_the_labels(qtbot: QtBot) -> None:
    box = QPlainTextEdit()
    qtbot.addWidget(box)
    read_scans(box)
    keyboard = Keyboard()
    for serial in ("SN-Q7Y2", "SN-Z9A4"):
        keyboard.press(box, scanner_presses(desk("ru"), serial), SCANNER_GAP_MS)
        keyboard.enter(box)
    assert box.toPlainText().split() == ["SN-Q7Y2", "SN-Z9A4"]
