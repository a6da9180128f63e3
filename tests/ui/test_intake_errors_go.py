"""A "fill in" said at the intake form goes once the field is filled: by typing the fault, or
by taking the returning customer's earlier device (which fills brand and model at once)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pytestqt.qtbot import QtBot

from repairshop.services.jobs.intake import intake, intake_request_from_json
from tests.helpers import intake_document
from tests.ui.ops import WAIT_MS, wait_idle, write
from ui.app import build_window
from ui.context import AppContext
from ui.intake import IntakeView
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.qt import QApplication, Qt


def shown(view: IntakeView) -> list[str]:
    return [key for key, label in view.errors.items() if label.isVisible()]


@contextmanager
def polish_intake(qtbot: QtBot, context: AppContext) -> Iterator[tuple[MainWindow, IntakeView]]:
    """A Polish desk's window at 1280×800 with its Intake view in front; English again after."""
    apply_language("pl")
    try:
        window = build_window(context)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        wait_idle(qtbot, context)
        view = window.show_view("intake")
        assert isinstance(view, IntakeView)
        wait_idle(qtbot, context)
        yield window, view
    finally:
        apply_language("en")


def test_the_problems_of_an_empty_save_go_as_the_fields_are_filled(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    device = {"type": "phone", "brand": "Apple", "model": "iPhone 12", "imei": "353326111702413"}
    customer = {"name": "Łukasz Wiśniewski", "phone": "+420 601 234 567", "language": "pl"}
    earlier = intake_request_from_json(intake_document(customer=customer, device=device))
    write(qtbot, context, lambda uow: intake(uow, earlier, "admin"), lambda r: r.changes)
    view = window.show_view("intake")
    assert isinstance(view, IntakeView)
    wait_idle(qtbot, context)
    view.save()  # nothing filled in yet
    assert {"customer.name", "device.brand", "device.model", "fault"} <= set(shown(view))

    view.name.setFocus()
    qtbot.keyClicks(view.name, "lukasz")  # no diacritics on the clerk's keyboard
    qtbot.waitUntil(view.matches.isVisible, timeout=WAIT_MS)
    wait_idle(qtbot, context)
    qtbot.keyClick(view.name, Qt.Key.Key_Down)
    qtbot.keyClick(view.matches, Qt.Key.Key_Return)  # her
    qtbot.waitUntil(view.devices.isVisible, timeout=WAIT_MS)
    wait_idle(qtbot, context)
    qtbot.waitUntil(view.devices.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(view.devices, Qt.Key.Key_Return)  # the same phone again
    assert (view.brand.text(), view.model.text()) == ("Apple", "iPhone 12")
    assert "device.brand" not in shown(view)
    assert "device.model" not in shown(view)

    view.fault.setFocus()
    qtbot.keyClicks(view.fault, "nie laduje")
    assert QApplication.focusWidget() is view.fault
    assert shown(view) == []


def test_the_problems_of_a_refused_save_are_never_cut_to_one_line(
    qtbot: QtBot, context: AppContext
) -> None:
    """Polish at 1280×800: after an empty Save the returning customers offered squeezed the
    phone's two-line message into one cut line, and the window grew past the screen."""
    customer = {"name": "Łukasz Wiśniewski", "phone": "+420 601 234 567", "language": "pl"}
    earlier = intake_request_from_json(intake_document(customer=customer))
    write(qtbot, context, lambda uow: intake(uow, earlier, "admin"), lambda r: r.changes)
    with polish_intake(qtbot, context) as (window, view):
        view.save()
        view.name.setFocus()
        qtbot.keyClicks(view.name, "lukasz")
        qtbot.waitUntil(view.matches.isVisible, timeout=WAIT_MS)
        wait_idle(qtbot, context)
        QApplication.processEvents()
        cut = [
            f"{key}: {label.height()} < {label.heightForWidth(label.width())}"
            for key, label in view.errors.items()
            if label.isVisible() and label.height() < label.heightForWidth(label.width())
        ]
        assert "customer.phone" in shown(view)
        assert cut == []
        assert window.height() <= 800
        view.technician.setFocus()  # the last field: scrolled into sight
        QApplication.processEvents()
        corner = view.technician.mapTo(view.sheet.viewport(), view.technician.rect().bottomLeft())
        assert view.sheet.viewport().rect().contains(corner)


def test_the_loaner_choice_is_shown_whole(qtbot: QtBot, context: AppContext) -> None:
    """Polish "Bez urządzenia zastępczego" was cut to "Bez urządzenia zastę"."""
    with polish_intake(qtbot, context) as (_window, view):
        QApplication.processEvents()
        loaner = view.evidence.loaner
        text = loaner.currentText()
        assert text == "Bez urządzenia zastępczego"
        assert loaner.width() >= loaner.fontMetrics().horizontalAdvance(text) + 24
