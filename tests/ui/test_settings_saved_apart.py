"""Settings that say what they save: the desk's printers and the shop's details apart, a
receipt printer's resolution from its paper, the terms in the shop's language, and a
language list that can be arrowed through without a question at every step."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.services.shop.settings import get_settings
from tests.ui.ops import read, wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.printing import PrinterSettingsWidget, load_print_settings
from ui.qt import QSettings, Qt
from ui.settings_view import SettingsView


def open_settings(qtbot: QtBot, window: MainWindow) -> SettingsView:
    settings = window.show_view("settings")
    assert isinstance(settings, SettingsView)
    settings.load()
    wait_idle(qtbot, window.context)
    return settings


def test_a_refused_shop_save_leaves_the_desk_alone_and_the_desk_saves_on_its_own(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=5))
    settings = open_settings(qtbot, window)
    clerk = next(
        settings.user.itemData(i)
        for i in range(settings.user.count())
        if "Counter clerk" in settings.user.itemText(i)
    )
    context.set_user(clerk)
    before = load_print_settings(context.state)
    settings.printers.label_dpi.setValue(300)
    settings.name.setText("Somebody else's shop")
    with qtbot.waitSignal(context.error_shown) as shown:
        settings.save_button.click()
    assert "may not do this" in str(shown.args[0])
    assert load_print_settings(context.state) == before  # nothing of the desk's half-saved
    assert context.last_error is not None
    context.last_error.close()

    errors: list[str] = []
    context.error_shown.connect(errors.append)
    settings.desk_save_button.click()  # the desk's own printers: anyone at the desk may
    wait_idle(qtbot, context)
    assert errors == []
    assert load_print_settings(context.state).label_dpi == 300
    assert read(context, get_settings).name != "Somebody else's shop"


def test_the_receipt_printers_resolution_follows_its_paper(qtbot: QtBot, tmp_path: object) -> None:
    store = QSettings(str(tmp_path) + "/desk.ini", QSettings.Format.IniFormat)
    widget = PrinterSettingsWidget(store)
    qtbot.addWidget(widget)
    assert widget.receipt_format.currentData() == "a4"
    assert widget.receipt_dpi.value() == 600  # a sheet printer, not a 203 dpi thermal head
    widget.receipt_format.setCurrentIndex(widget.receipt_format.findData("80mm"))
    assert widget.receipt_dpi.value() == 203
    widget.receipt_dpi.setValue(300)  # this roll printer's own
    widget.receipt_format.setCurrentIndex(widget.receipt_format.findData("a4"))
    assert widget.receipt_dpi.value() == 300  # set apart: kept
    store.setValue("printing/receipt_format", "80mm")
    store.remove("printing/receipt_dpi")
    assert load_print_settings(store).receipt_dpi == 203


def test_receipt_terms_open_on_the_shops_language(qtbot: QtBot, window: MainWindow) -> None:
    settings = open_settings(qtbot, window)
    assert read(window.context, get_settings).region == "CZ"
    assert settings.terms_language.currentData() == "cs"  # the desk speaks English


def test_arrowing_through_the_languages_asks_once_when_one_is_chosen(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = open_settings(qtbot, window)
    asked: list[str] = []

    def answer_later(_self: SettingsView, name: str) -> bool:
        asked.append(name)
        return False

    monkeypatch.setattr(SettingsView, "confirm_switch", answer_later)
    settings.language.setFocus()
    qtbot.waitUntil(settings.language.hasFocus)
    for _step in range(4):
        qtbot.keyClick(settings.language, Qt.Key.Key_Down)
    assert asked == []  # passing English, Čeština and Deutsch asks nothing
    assert settings.language.currentData() == "pl"
    qtbot.keyClick(settings.language, Qt.Key.Key_Return)
    assert asked == ["Polski"]
    qtbot.keyClick(settings.language, Qt.Key.Key_Return)
    assert asked == ["Polski"]  # once
