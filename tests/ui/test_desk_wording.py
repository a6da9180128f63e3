"""Words that read one way in English and two ways in Polish or Hungarian get a context each."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.ops import wait_idle
from ui.app import build_window
from ui.context import AppContext
from ui.language import apply_language
from ui.messages_view import MessagesView
from ui.money.takings_view import TakingsView
from ui.qt import QFormLayout, QLabel, Qt


@pytest.mark.parametrize(
    ("language", "http", "payment"),
    [("pl", "Metoda HTTP", "Forma płatności"), ("hu", "HTTP-metódus", "Fizetési mód")],
)
def test_the_sms_gateways_method_is_no_way_of_paying(
    qtbot: QtBot, context: AppContext, language: str, http: str, payment: str
) -> None:
    apply_language(language)
    try:
        window = build_window(context)
        qtbot.addWidget(window)
        view = window.show_view("messages")
        assert isinstance(view, MessagesView)
        wait_idle(qtbot, context)
        form = view.sms_method.parentWidget().layout()
        assert isinstance(form, QFormLayout)
        label = form.labelForField(view.sms_method)
        assert isinstance(label, QLabel)
        assert label.text() == http
        takings = window.show_view("takings")
        assert isinstance(takings, TakingsView)
        wait_idle(qtbot, context)
        headers = {
            str(model.headerData(column, Qt.Orientation.Horizontal))
            for model in (takings.rows, takings.entries)
            for column in range(model.columnCount())
        }
        assert payment in headers
    finally:
        apply_language("en")
