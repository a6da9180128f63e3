"""The app opens in the desktop's language as gettext reads it (LANGUAGE under a C locale)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from repairshop.i18n import translator
from ui.app import WindowKeeper
from ui.context import AppContext
from ui.language import apply_language, effective_language


def test_language_cs_under_a_c_locale_opens_the_window_in_czech(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LANGUAGE", "cs")
    assert effective_language(context.state) == "cs"  # no language chosen at this desk
    apply_language(effective_language(context.state))
    keeper = WindowKeeper(context)
    try:
        window = keeper.window
        qtbot.addWidget(window)
        jobs_tab = window.tabs.tabText(window.tabs.indexOf(window.views["jobs"]))
        assert jobs_tab == translator("cs").gettext("Jobs") != "Jobs"
    finally:
        apply_language("en")
