"""Settings in a Polish or Hungarian desk's words: the checklist points by their names (not
the keys "charging_port, biometrics" they are stored by), the shop's days off in the desk's
date style (not ISO dates); both read back as typed."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from repairshop.services.jobs.evidence_store import checklist_points
from repairshop.services.shop.opening_hours import get_opening_hours
from tests.ui.ops import read, wait_idle
from ui.app import build_window
from ui.context import AppContext
from ui.evidence.checklist_settings import ChecklistSettings
from ui.language import apply_language
from ui.settings_view import SettingsView

WORDS = {
    "pl": ("Wyświetlacz", "Gniazdo ładowania", "24.12.2026, 25.12.2026"),
    "hu": ("Kijelző", "Töltőcsatlakozó", "2026. 12. 24., 2026. 12. 25."),
}
"""A desk's language: the Screen and Charging port points, Christmas as the desk writes it."""


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_checklist_and_the_days_off_read_in_the_desk_language(
    qtbot: QtBot, context: AppContext, language: str
) -> None:
    screen, charging, christmas = WORDS[language]
    apply_language(language)
    try:
        window = build_window(context)
        qtbot.addWidget(window)
        window.show()
        settings = window.show_view("settings")
        assert isinstance(settings, SettingsView)
        settings.load()
        wait_idle(qtbot, context)
        box = window.findChild(ChecklistSettings)
        assert box is not None
        qtbot.waitUntil(lambda: box.points.text() != "")
        shown = box.points.text()
        assert shown.startswith(screen)
        assert charging in shown
        assert "_" not in shown  # no key such as charging_port
        box.points.setText(f"{screen}, {charging}, Naklejka")
        box.save_button.click()
        wait_idle(qtbot, context)
        assert read(context, lambda uow: checklist_points(uow, "phone")) == (
            "screen",
            "charging_port",
            "Naklejka",
        )

        editor = settings.opening_hours
        editor.closed_days.setText(christmas.replace(", ", "; "))
        settings.save_button.click()
        wait_idle(qtbot, context)
        saved = read(context, get_opening_hours).closed_days
        assert saved == frozenset({date(2026, 12, 24), date(2026, 12, 25)})
        assert editor.closed_days.text() == christmas
    finally:
        apply_language("en")
