"""Fewer keys at the counter: the accessory boxes are one Tab stop, every intake field has
its Alt letter, Ctrl+1…9 land in the view, Tab goes the same way whether the returning
customers show or not, the note has its key, and the focused move can be picked out."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from repairshop.services.jobs.intake import intake, intake_request_from_json
from tests.helpers import intake_document
from tests.ui.ops import open_card, wait_idle, write
from ui.context import AppContext
from ui.intake import IntakeView
from ui.main_window import MainWindow
from ui.qt import QApplication, QImage, Qt, QWidget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, modifier)


def take_in(qtbot: QtBot, context: AppContext, **overrides: object) -> str:
    request = intake_request_from_json(intake_document(**overrides))
    return write(
        qtbot, context, lambda uow: intake(uow, request, "admin"), lambda r: r.changes
    ).code


def open_intake(qtbot: QtBot, window: MainWindow) -> IntakeView:
    view = window.show_view("intake")
    assert isinstance(view, IntakeView)
    view.fault.setFocus()
    qtbot.waitUntil(view.fault.hasFocus)
    return view


def test_the_accessory_boxes_are_one_tab_stop_with_arrows_and_letters_inside(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = open_intake(qtbot, window)
    boxes = view.accessory_boxes  # Charger Cable Case SIM card / Memory card Box Stylus Controller
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is boxes[0]
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.accessories_other  # one Tab past all eight
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is boxes[0]
    press(qtbot, Qt.Key.Key_Right)
    assert focused() is boxes[1]
    press(qtbot, Qt.Key.Key_Space)
    assert boxes[1].isChecked()
    press(qtbot, Qt.Key.Key_Down)
    assert focused() is boxes[5]
    press(qtbot, Qt.Key.Key_S)
    assert focused() is boxes[6]  # Stylus: the next box that starts with S
    press(qtbot, Qt.Key.Key_S)
    assert focused() is boxes[3]  # round again: SIM card
    press(qtbot, Qt.Key.Key_Space)
    assert boxes[3].isChecked()
    assert [box.isChecked() for box in boxes] == [False, True, False, True, *[False] * 4]
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.accessories_other
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is boxes[3]  # back where the clerk left the group


def test_every_intake_field_has_its_alt_letter(qtbot: QtBot, window: MainWindow) -> None:
    view = open_intake(qtbot, window)
    for letter, field in (
        (Qt.Key.Key_G, view.language),
        (Qt.Key.Key_U, view.serial),
        (Qt.Key.Key_L, view.colour),
        (Qt.Key.Key_J, view.job_type),
        (Qt.Key.Key_R, view.accessory_boxes[0]),
        (Qt.Key.Key_N, view.condition),
        (Qt.Key.Key_C, view.passcode),
        (Qt.Key.Key_D, view.deposit),
        (Qt.Key.Key_H, view.technician),
        (Qt.Key.Key_P, view.phone),
    ):
        press(qtbot, letter, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(field.hasFocus)
    with qtbot.waitSignal(view.consent.toggled):
        press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)


def test_tab_goes_the_same_way_when_returning_customers_show(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    take_in(qtbot, context)  # Jiří Dvořák, +420 777 123 456
    view = open_intake(qtbot, window)
    view.phone.setFocus()
    qtbot.waitUntil(view.phone.hasFocus)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.name
    view.phone.setFocus()
    qtbot.keyClicks(view.phone, "777 123 456")
    qtbot.waitUntil(view.matches.isVisible)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.name  # not into the list that just showed
    view.phone.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    assert focused() is view.matches  # the list is one Down away


def test_ctrl_and_a_number_lands_in_the_view_not_in_find(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    take_in(qtbot, context, assignee="admin")
    wait_idle(qtbot, context)
    keys = list(window.views)[:6]
    for number, key in enumerate(keys, start=1):
        window.focus_search()
        qtbot.waitUntil(window.search.hasFocus)
        press(qtbot, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        view = window.views[key]
        assert window.tabs.currentWidget() is view
        qtbot.waitUntil(lambda view=view: view.isAncestorOf(focused()))
    intake_view = window.views["intake"]
    assert isinstance(intake_view, IntakeView)
    window.focus_search()
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert focused() is intake_view.phone


def test_the_note_has_its_key_and_the_focused_move_stands_out(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context)
    card = open_card(qtbot, window, code)
    button = card.next_move()
    assert button is not None
    card.focus_next_move()
    qtbot.waitUntil(button.hasFocus)
    lit = button.grab().toImage()
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(card.note.hasFocus)
    plain = button.grab().toImage()
    # The focused button's face takes another colour, not just a thin frame.
    assert colour_distance(lit, plain) > 40


def colour_distance(first: QImage, second: QImage) -> float:
    """How far apart the two images' middles are in colour (0…441)."""
    x, y = first.width() // 6, first.height() // 2
    a, b = first.pixelColor(x, y), second.pixelColor(x, y)
    return float(
        ((a.red() - b.red()) ** 2 + (a.green() - b.green()) ** 2 + (a.blue() - b.blue()) ** 2)
        ** 0.5
    )
