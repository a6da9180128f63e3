"""Bad input at the counter: random text (control characters, right-to-left marks, 10,000
characters, SQL and HTML fragments, lone surrogates) pasted into any text field of the
intake form, then Save. The job is saved, or the form says why (beside the field, or in
the one error place as a refusal) — never an unexpected error — and a refused save
writes nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from repairshop.db.tables import Customer, Device, Job, JobEvent
from repairshop.errors import RepairShopError
from tests.integration.test_bad_input import hostile_text
from tests.ui.ops import wait_idle
from ui.context import AppContext
from ui.intake import IntakeView
from ui.main_window import MainWindow
from ui.qt import QLineEdit, QPlainTextEdit, Qt

TEXT_FIELDS = [
    "customer.phone",
    "customer.name",
    "customer.email",
    "device.brand",
    "device.model",
    "device.serial",
    "device.imei",
    "device.colour",
    "fault",
    "accessories",
    "condition",
    "passcode",
    "estimate",
    "preapproved",
    "deposit",
    "proof_of_purchase",
]


def counts(context: AppContext) -> tuple[int, ...]:
    with context.db.reader() as uow:
        return tuple(
            int(uow.session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (Customer, Device, Job, JobEvent)
        )


def put(view: IntakeView, key: str, text: str) -> None:
    field = view.fields[key]
    if isinstance(field, QPlainTextEdit):
        field.setPlainText(text)
    else:
        assert isinstance(field, QLineEdit)
        field.setText(text)


@pytest.fixture
def form(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> tuple[IntakeView, list[BaseException]]:
    shown: list[BaseException] = []
    monkeypatch.setattr(window.context, "show_error", lambda _parent, error: shown.append(error))
    view = window.show_view("intake")
    assert isinstance(view, IntakeView)
    view.job_taken_in.disconnect(view._print_on_save)  # the papers are tested on their own
    wait_idle(qtbot, window.context)
    return view, shown


@settings(
    max_examples=15,  # each a save through the real form and worker: the slow kind
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(key=st.sampled_from(TEXT_FIELDS), text=hostile_text)
@example(key="estimate", text="9" * 10_000)  # more digits than any amount: refused
@example(key="customer.name", text="Jiří\ud800\x00")  # half a character and a NUL: stored clean
@example(key="fault", text="<b>' OR 1=1 --" * 700)
@example(key="customer.phone", text="<b>777</b> <img src=x>")  # quoted as typed, not as HTML
def test_random_text_in_any_field_of_the_intake_form_is_saved_or_refused_clearly(
    qtbot: QtBot, form: tuple[IntakeView, list[BaseException]], key: str, text: str
) -> None:
    view, shown = form
    context = view.context
    view.clear()
    wait_idle(qtbot, context)
    shown.clear()
    for field, value in {
        "customer.phone": "777 123 456",
        "customer.name": "Jiří Dvořák",
        "device.brand": "Samsung",
        "device.model": "Galaxy S23",
        "fault": "Cracked screen",
    }.items():
        put(view, field, value)
    put(view, key, text)
    before = counts(context)
    view.save_button.click()
    wait_idle(qtbot, context)
    after = counts(context)
    assert all(isinstance(error, RepairShopError) for error in shown), shown
    if after == before:  # refused: the form says why, in one place
        problems = [label for label in view.errors.values() if not label.isHidden()]
        assert problems or shown, (key, text[:40])
        for label in problems:  # in plain words: what the clerk typed is never markup
            assert label.textFormat() == Qt.TextFormat.PlainText
    else:
        assert after[2] == before[2] + 1
        assert "Saved as" in view.saved.text()
