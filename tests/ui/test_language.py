"""Choosing this desk's language in Settings: the window reopens in it, Qt's dialogs too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from repairshop.i18n import translator, ui_language
from ui.app import WindowKeeper
from ui.context import AppContext
from ui.language import LANGUAGE_KEY, apply_language, chosen_language
from ui.qt import QCoreApplication
from ui.settings_view import SettingsView


@pytest.fixture
def keeper(qtbot: QtBot, context: AppContext) -> Iterator[WindowKeeper]:
    made = WindowKeeper(context)
    made.window.show()
    yield made
    made.window.close()
    apply_language("en")


def _choose(settings: SettingsView, language: str) -> None:
    index = settings.language.findData(language)
    assert index >= 0
    settings.language.setCurrentIndex(index)
    settings.language.activated.emit(index)


def test_switching_now_reopens_the_window_in_the_chosen_language(
    qtbot: QtBot, keeper: WindowKeeper, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = keeper.window
    settings = old.show_view("settings")
    assert isinstance(settings, SettingsView)
    asked: list[str] = []

    def say_yes(_self: SettingsView, name: str) -> bool:
        asked.append(name)
        return True

    monkeypatch.setattr(SettingsView, "confirm_switch", say_yes)
    _choose(settings, "de")
    assert asked == ["Deutsch"]
    assert keeper.window is not old
    assert ui_language() == "de"
    assert chosen_language(context.state) == "de"
    new = keeper.window
    jobs_tab = new.tabs.tabText(new.tabs.indexOf(new.views["jobs"]))
    assert jobs_tab == translator("de").gettext("Jobs") != "Jobs"
    assert isinstance(new.tabs.currentWidget(), SettingsView)
    # Qt's own texts (message-box buttons, dialogs) follow: qtbase_de.qm is installed.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    qtbot.waitUntil(lambda: not old.isVisible())


def test_later_keeps_the_window_and_remembers_the_choice(
    keeper: WindowKeeper, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = keeper.window
    settings = old.show_view("settings")
    assert isinstance(settings, SettingsView)
    monkeypatch.setattr(SettingsView, "confirm_switch", lambda _self, _name: False)
    _choose(settings, "pl")
    assert keeper.window is old
    assert ui_language() == "en"
    assert context.state.value(LANGUAGE_KEY) == "pl"
    _choose(settings, "")  # back to the desktop's language (English here): nothing to switch
    assert context.state.value(LANGUAGE_KEY) == ""
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
