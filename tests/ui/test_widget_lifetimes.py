"""Views that went away stop listening: closed cards and an old window raise no error later."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from repairshop.domain.roles import Role
from repairshop.errors import ValidationError
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.shop.users import add_user
from tests.helpers import intake_document
from tests.ui.ops import open_card, wait_idle, write
from ui.app import WindowKeeper, catch_bugs
from ui.context import AppContext
from ui.job_card import JobCard
from ui.language import apply_language
from ui.qt import QApplication, QEvent, Qt
from ui.settings_view import SettingsView


@pytest.fixture
def keeper(qtbot: QtBot, context: AppContext) -> Iterator[WindowKeeper]:
    previous = sys.excepthook
    catch_bugs(context)
    made = WindowKeeper(context)
    made.window.show()
    wait_idle(qtbot, context)
    yield made
    made.window.close()
    apply_language("en")
    sys.excepthook = previous


def _take_in(qtbot: QtBot, context: AppContext) -> str:
    request = intake_request_from_json(intake_document())
    return write(
        qtbot, context, lambda uow: intake(uow, request, "admin"), lambda r: r.changes
    ).code


def _choose_user(qtbot: QtBot, keeper: WindowKeeper, login: str) -> None:
    settings = keeper.window.show_view("settings")
    assert isinstance(settings, SettingsView)
    wait_idle(qtbot, keeper.context)
    index = settings.user.findData(login)
    assert index >= 0
    settings.user.setCurrentIndex(index)
    settings.user.activated.emit(index)
    wait_idle(qtbot, keeper.context)
    QApplication.processEvents()
    wait_idle(qtbot, keeper.context)


def test_closed_cards_and_an_old_window_stop_listening(
    qtbot: QtBot, keeper: WindowKeeper, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        qtbot,
        context,
        lambda uow: add_user(uow, "jana", "Jana Nováková", Role.CLERK, "admin"),
        lambda result: result[1],
    )
    errors: list[str] = []
    context.error_shown.connect(errors.append)
    codes = [_take_in(qtbot, context) for _ in range(2)]
    closed: list[weakref.ref[JobCard]] = []
    for code in codes:
        card = open_card(qtbot, keeper.window, code)
        qtbot.keyClick(card, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda card=card: keeper.window.tabs.indexOf(card) < 0)
        closed.append(weakref.ref(card))
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # the closed cards go
    del card
    gc.collect()
    assert [ref() for ref in closed] == [None, None]  # nothing holds on to a closed card
    _choose_user(qtbot, keeper, "jana")
    assert errors == []

    monkeypatch.setattr(SettingsView, "confirm_switch", lambda _self, _name: True)
    settings = keeper.window.show_view("settings")
    assert isinstance(settings, SettingsView)
    index = settings.language.findData("cs")
    settings.language.setCurrentIndex(index)
    settings.language.activated.emit(index)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # the old window goes
    wait_idle(qtbot, context)
    card = open_card(qtbot, keeper.window, codes[0])
    qtbot.keyClick(card, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: keeper.window.tabs.indexOf(card) < 0)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    _choose_user(qtbot, keeper, "admin")
    assert errors == []


def test_an_error_box_that_went_with_its_card_does_not_stop_the_next_one(
    qtbot: QtBot, keeper: WindowKeeper, context: AppContext
) -> None:
    code = _take_in(qtbot, context)
    card = open_card(qtbot, keeper.window, code)
    shown: list[str] = []
    context.error_shown.connect(shown.append)
    context.show_error(card, ValidationError("first"))
    box = context.last_error
    assert box is not None
    box.accept()  # the clerk presses OK, then closes the card
    qtbot.keyClick(card, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: keeper.window.tabs.indexOf(card) < 0)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert not isValid(card)
    context.show_error(keeper.window, ValidationError("second"))
    assert shown == ["first", "second"]
    assert context.last_error is not None
    assert context.last_error.isVisible()
