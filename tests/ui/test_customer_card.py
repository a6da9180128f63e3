"""The customer card from the job card, feedback at the counter, the Reports' Feedback tab."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from repairshop.db.tables import Feedback
from repairshop.domain.payments import PaymentMethod
from repairshop.domain.statuses import JobStatus
from repairshop.services.changes import Changes
from repairshop.services.customers.feedback import record_feedback
from repairshop.services.money.collection import CollectRequest, PaymentInput, bill, collect
from repairshop.services.shop.messaging import get_messaging
from tests.ui.accessibility import unnamed_controls
from tests.ui.ops import open_card, read, wait_idle, write
from tests.ui.test_job_money import take_in
from tests.ui.test_translated_layouts import clashing_shortcuts
from ui.app import build_window
from ui.customer_card import CustomerCardDialog
from ui.feedback_dialog import FeedbackDialog
from ui.job_list import JobsView
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.messages_view import SAMPLE_REPLY_CODE, MessagesView
from ui.reports.view import ReportsView

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-customer-shots"))
READY = (JobStatus.DIAGNOSING, JobStatus.IN_REPAIR, JobStatus.TESTING, JobStatus.READY)


def collected_code(qtbot: QtBot, window: MainWindow) -> str:
    context = window.context
    code = take_in(qtbot, context, *READY, estimate="3490", preapproved="3490")
    due = read(context, lambda uow: bill(uow, code).due)
    request = CollectRequest(payments=(PaymentInput(PaymentMethod.CARD, due),), desk="d")
    write(qtbot, context, lambda uow: collect(uow, code, request, "admin"), lambda r: r.changes)
    return code


def open_customer_card(qtbot: QtBot, window: MainWindow, code: str) -> CustomerCardDialog:
    card = open_card(qtbot, window, code)
    card.customer_button.click()
    dialog = card.findChild(CustomerCardDialog)
    assert isinstance(dialog, CustomerCardDialog)
    wait_idle(qtbot, window.context)
    assert dialog.card is not None
    return dialog


def test_the_customer_card_opens_from_the_job_card_with_every_job_and_invoice(
    qtbot: QtBot, window: MainWindow
) -> None:
    code = collected_code(qtbot, window)
    other = take_in(qtbot, window.context)
    dialog = open_customer_card(qtbot, window, code)
    assert dialog.card is not None
    assert {job.code for job in dialog.card.jobs} == {code, other}
    assert dialog.jobs.rowCount() == 2
    assert [invoice.job for invoice in dialog.card.invoices] == [code]
    assert "Jiří Dvořák" in dialog.header.text()
    assert unnamed_controls(dialog) == []
    # Consent is recorded with who and when.
    assert dialog.consent_button.isEnabled()
    dialog.consent_button.click()
    wait_idle(qtbot, window.context)
    assert dialog.card.consent_to_contact
    assert dialog.card.consent_changed_by == "admin"
    # A job double-clicked on the card opens it.
    with qtbot.waitSignal(window.card_opened, timeout=5000):
        dialog.jobs.cellDoubleClicked.emit(0, 0)


def test_feedback_is_typed_in_on_a_collected_jobs_card_and_reported(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    code = collected_code(qtbot, window)
    card = open_card(qtbot, window, code)
    assert card.feedback_button.isVisibleTo(card)
    card.feedback_button.click()
    dialog = card.findChild(FeedbackDialog)
    assert isinstance(dialog, FeedbackDialog)
    wait_idle(qtbot, context)
    assert "Reply code" in dialog.known.text()
    assert unnamed_controls(dialog) == []
    dialog.score.setValue(6)
    dialog.comment.setPlainText("Took long")
    dialog.save()
    wait_idle(qtbot, context)
    stored = read(context, lambda uow: uow.session.scalar(select(Feedback)))
    assert stored is not None
    assert (stored.score, stored.comment, stored.entered_by) == (6, "Took long", "admin")

    view = window.show_view("reports")
    assert isinstance(view, ReportsView)
    view.refresh()
    wait_idle(qtbot, context)
    report = view.feedback.report
    assert report is not None
    assert (report.total.count, report.total.nps) == (1, -100.0)
    assert "-100" in view.feedback.summary.text() or "−100" in view.feedback.summary.text()


def test_an_open_job_has_no_feedback_button(qtbot: QtBot, window: MainWindow) -> None:
    code = take_in(qtbot, window.context)
    assert not open_card(qtbot, window, code).feedback_button.isVisibleTo(window)


@pytest.mark.parametrize("language", ["en", "cs", "de", "pl", "ru", "hu"])
def test_the_customer_card_and_feedback_tab_in_every_language(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    context = window.context
    code = collected_code(qtbot, window)
    write(
        qtbot,
        context,
        lambda uow: record_feedback(uow, code, 9, "Rychle a levně", "admin"),
        lambda _view: Changes(),
    )
    apply_language(language)
    try:
        shown = build_window(context)
        qtbot.addWidget(shown)
        shown.resize(1280, 800)
        shown.show()
        wait_idle(qtbot, context)
        dialog = open_customer_card(qtbot, shown, code)
        qtbot.waitExposed(dialog)
        assert clashing_shortcuts(dialog) == {}
        dialog.consent_button.click()  # "withdraw" now: its own Alt letter too
        wait_idle(qtbot, context)
        assert clashing_shortcuts(dialog) == {}
        feedback = FeedbackDialog(context, code, shown)
        qtbot.addWidget(feedback)
        assert clashing_shortcuts(feedback) == {}
        assert unnamed_controls(feedback) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / f"customer-card-{language}.png"))
        dialog.reject()
        view = shown.show_view("reports")
        assert isinstance(view, ReportsView)
        view.tabs.setCurrentWidget(view.feedback)
        view.refresh()
        wait_idle(qtbot, context)
        shown.grab().save(str(SHOTS / f"feedback-report-{language}.png"))
        messages = shown.show_view("messages")
        assert isinstance(messages, MessagesView)
        qtbot.waitUntil(messages.save_button.isEnabled, timeout=5000)
        messages.preview_kind.setCurrentIndex(messages.preview_kind.findData("feedback"))
        assert clashing_shortcuts(messages) == {}
        messages.preview_text.parentWidget().grab().save(
            str(SHOTS / f"messages-wording-{language}.png")
        )
        shown.close()
    finally:
        apply_language("en")


def test_a_search_result_opens_its_customers_card(qtbot: QtBot, window: MainWindow) -> None:
    context = window.context
    code = take_in(qtbot, context)
    window.search.setText("Dvořák")
    window.scan_or_search()
    wait_idle(qtbot, context)
    jobs = window.views["jobs"]
    assert isinstance(jobs, JobsView)
    qtbot.waitUntil(lambda: jobs.model.rowCount() == 1)
    jobs.table.setCurrentIndex(jobs.model.index(0, 0))
    assert jobs.table.current_code() == code
    jobs.table.open_customer_card()
    wait_idle(qtbot, context)
    dialog = jobs.table.findChild(CustomerCardDialog)
    assert isinstance(dialog, CustomerCardDialog)
    wait_idle(qtbot, context)
    assert dialog.card is not None
    assert [job.code for job in dialog.card.jobs] == [code]


def test_the_messages_view_switches_feedback_on_sets_privacy_and_previews_the_request(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    take_in(qtbot, context)
    view = window.show_view("messages")
    assert isinstance(view, MessagesView)
    qtbot.waitUntil(view.save_button.isEnabled, timeout=5000)
    view.notify["feedback"].setCurrentIndex(view.notify["feedback"].findData("sms"))
    view.privacy["privacy.retention_years"].setValue(5)
    view.privacy["privacy.passcode_days"].setValue(0)
    view.feedback_url.setText("https://opravna.cz/hodnoceni?kod={code}")
    assert set(view.edited()) == {
        "notify.feedback",
        "privacy.retention_years",
        "privacy.passcode_days",
        "feedback.url",
    }
    view.save()
    wait_idle(qtbot, context)
    values = read(context, lambda uow: get_messaging(uow).values)
    assert values["notify.feedback"] == "sms"
    assert (values["privacy.retention_years"], values["privacy.passcode_days"]) == ("5", "0")
    view.preview_kind.setCurrentIndex(view.preview_kind.findData("feedback"))
    preview = view.preview_text.toPlainText()
    assert SAMPLE_REPLY_CODE in preview
    assert f"https://opravna.cz/hodnoceni?kod={SAMPLE_REPLY_CODE}" in preview
    assert unnamed_controls(view) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "messages-feedback-privacy.png"))


def test_the_shops_own_wording_is_edited_previewed_and_saved_per_language(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    code = take_in(qtbot, context)
    view = window.show_view("messages")
    assert isinstance(view, MessagesView)
    qtbot.waitUntil(view.save_button.isEnabled, timeout=5000)
    view.preview_kind.setCurrentIndex(view.preview_kind.findData("received"))
    view.preview_language.setCurrentIndex(view.preview_language.findData("cs"))
    view.own_subject.setText("Máme to: {code}")
    assert f"Máme to: {code}" in view.preview_text.toPlainText()
    view.own_text.setText("Hotovo {nic")  # half-typed: the preview says why, nothing breaks
    assert "{name}" in view.preview_text.toPlainText()
    view.own_text.setText("")
    assert set(view.edited()) == {"template.received.cs.subject"}
    view.save()
    wait_idle(qtbot, context)
    templates = read(context, lambda uow: get_messaging(uow).templates)
    assert templates == {"template.received.cs.subject": "Máme to: {code}"}
    view.preview_language.setCurrentIndex(view.preview_language.findData("en"))
    assert view.own_subject.text() == ""
    view.preview_language.setCurrentIndex(view.preview_language.findData("cs"))
    assert view.own_subject.text() == "Máme to: {code}"
    assert unnamed_controls(view) == []
