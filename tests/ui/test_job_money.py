"""The job card's Money panel and the price list, driven as a clerk at the desk would."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from repairshop.domain.approval import ApprovalState
from repairshop.domain.statuses import JobStatus
from repairshop.i18n import LANGUAGES, format_money
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status, show_job
from repairshop.services.money.job_money import job_money
from repairshop.services.money.lines import job_lines
from repairshop.services.money.price_list import ServiceInput, add_service, service_changes
from tests.helpers import intake_document
from tests.ui.accessibility import unnamed_controls
from tests.ui.ops import open_card, read, wait_idle, write
from tests.ui.test_translated_layouts import clashing_shortcuts, clipped_texts, settle_layouts
from ui.app import build_window
from ui.context import AppContext
from ui.job_card import JobCard
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.money.dialogs import AddLineDialog, ApprovalDialog, ServiceDialog
from ui.money.job_money_panel import STATE_COLOURS, JobMoneyPanel
from ui.money.models import line_model, service_model
from ui.money.services_view import ServicesView
from ui.qt import QApplication, QDialog, QDialogButtonBox, QEvent

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-money-shots"))


def take_in(qtbot: QtBot, context: AppContext, *moves: JobStatus, **overrides: Any) -> str:
    document = intake_document(**overrides)
    code = write(
        qtbot,
        context,
        lambda uow: intake(uow, intake_request_from_json(document), "admin"),
        lambda result: result.changes,
    ).code
    for target in moves:
        write(
            qtbot,
            context,
            lambda uow, target=target: change_status(uow, code, target, "admin"),
            lambda result: result.changes,
        )
    return str(code)


def panel_of(card: JobCard) -> JobMoneyPanel:
    panel = card.findChild(JobMoneyPanel)
    assert isinstance(panel, JobMoneyPanel)
    return panel


def press_ok(qtbot: QtBot, context: AppContext, dialog: QDialog | None) -> None:
    assert dialog is not None
    box = dialog.findChild(QDialogButtonBox)
    assert isinstance(box, QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Ok).click()
    wait_idle(qtbot, context)


def test_an_approval_recorded_on_the_card_lets_the_job_move_into_repair(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    code = take_in(qtbot, context, JobStatus.DIAGNOSING, JobStatus.AWAITING_APPROVAL)
    card = open_card(qtbot, window, code)
    panel = panel_of(card)
    assert "Not approved yet" in panel.approval.text()
    assert STATE_COLOURS[ApprovalState.MISSING] in panel.approval.text()  # amber

    with qtbot.waitSignal(context.error_shown) as shown:
        card.move_buttons[JobStatus.IN_REPAIR].click()
    wait_idle(qtbot, context)
    currency = read(context, lambda uow: show_job(uow, code, "admin")).currency
    price = format_money(Decimal("3490"), currency)
    assert f"Record the customer's approval of {price} on the job card" in shown.args[0]
    assert (
        read(context, lambda uow: show_job(uow, code, "admin")).status
        is JobStatus.AWAITING_APPROVAL
    )

    panel.approve_button.click()
    wait_idle(qtbot, context)
    dialog = panel.dialog
    assert isinstance(dialog, ApprovalDialog)
    assert dialog.amount.text() == "€3,490.00"  # prefilled with the price now, as the card shows it
    assert unnamed_controls(dialog) == []
    dialog.method.setCurrentIndex(dialog.method.findData("phone"))
    dialog.note.setText("Mr Dvořák, +420 777 123 456")
    press_ok(qtbot, context, dialog)
    assert not dialog.isVisible()
    assert f"Approved {price} · now {price}" in panel.approval.text()
    assert "by phone" in panel.approval.toolTip()
    assert "by phone" in card.history.item(0).text()  # the approval is in the job's history

    card.move_buttons[JobStatus.IN_REPAIR].click()
    wait_idle(qtbot, context)
    view = read(context, lambda uow: show_job(uow, code, "admin"))
    assert view.status is JobStatus.IN_REPAIR
    assert view.approval is not None
    assert (view.approval.amount, view.approval.method) == (Decimal("3490.00"), "phone")


def test_a_line_added_on_the_card_shows_in_its_table_and_total(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    code = take_in(qtbot, context)
    card = open_card(qtbot, window, code)
    panel = panel_of(card)
    assert panel.model.rowCount() == 0
    assert panel.totals.text() == "No lines yet: the estimate stands for the price."
    panel.add_button.click()
    wait_idle(qtbot, context)
    dialog = panel.dialog
    assert isinstance(dialog, AddLineDialog)
    assert unnamed_controls(dialog) == []
    assert dialog.service.currentData() is None  # no service on the price list yet: a text line
    dialog.text.setText("Data backup")
    dialog.price.setText("500")
    dialog.quantity.setValue(2)
    dialog.vat.setText("21")
    press_ok(qtbot, context, dialog)

    lines = read(context, lambda uow: job_lines(uow, code))
    assert [(line.description, line.quantity) for line in lines.lines] == [("Data backup", 2)]
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 0).data() == "Data backup"
    assert panel.model.index(0, 1).data() == "2"
    total = format_money(lines.total, lines.currency)
    assert total in panel.totals.text()
    assert f"now {total}" in panel.approval.text()


def test_a_refused_line_names_the_approval_and_adds_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    code = take_in(
        qtbot,
        context,
        JobStatus.DIAGNOSING,
        JobStatus.IN_REPAIR,
        estimate="3490",
        preapproved="4000",
    )
    card = open_card(qtbot, window, code)
    panel = panel_of(card)
    assert "Pre-approved" in panel.approval.text()
    panel.add_button.click()
    wait_idle(qtbot, context)
    dialog = panel.dialog
    assert isinstance(dialog, AddLineDialog)
    dialog.text.setText("New display")
    dialog.price.setText("4500")
    with qtbot.waitSignal(context.error_shown) as shown:
        press_ok(qtbot, context, dialog)
    assert "more than the" in shown.args[0]
    assert "Record the customer's approval of" in shown.args[0]
    assert dialog.isVisible()  # the clerk can change the line or cancel
    assert read(context, lambda uow: job_lines(uow, code)).lines == ()
    dialog.reject()


def test_a_price_above_the_approval_shows_in_red(qtbot: QtBot, window: MainWindow) -> None:
    context = window.context
    code = take_in(qtbot, context, estimate="3490", preapproved="3000")
    panel = panel_of(open_card(qtbot, window, code))
    money = read(context, lambda uow: job_money(uow, code))
    assert panel.money == money
    assert "above the approval" in panel.approval.text()
    assert STATE_COLOURS[ApprovalState.EXCEEDED] in panel.approval.text()  # red


def test_the_price_list_is_kept_in_the_parts_area_and_offered_for_the_device(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    parts = window.show_view("parts")
    view = parts.findChild(ServicesView)
    assert isinstance(view, ServicesView)
    parts.tabs.setCurrentWidget(view)
    wait_idle(qtbot, context)
    for code, name, price, device_type, brand in (
        ("SCR-S23", "Screen replacement Galaxy S23", "2900", "phone", "Samsung"),
        ("KB-LAP", "Laptop keyboard", "1200", "laptop", ""),
    ):
        view.new_button.click()
        dialog = view.dialog
        assert isinstance(dialog, ServiceDialog)
        assert unnamed_controls(dialog) == []
        dialog.code.setText(code)
        dialog.name.setText(name)
        dialog.price.setText(price)
        dialog.vat.setText("21")
        dialog.device_type.setCurrentIndex(dialog.device_type.findData(device_type))
        dialog.brand.setText(brand)
        press_ok(qtbot, context, dialog)
    assert view.model.rowCount() == 2
    assert view.model.index(1, 1).data() == "Screen replacement Galaxy S23"
    assert unnamed_controls(view) == []

    view.table.selectRow(1)
    view.edit_button.click()
    dialog = view.dialog
    assert isinstance(dialog, ServiceDialog)
    assert dialog.code.isReadOnly()
    dialog.price.setText("3100")
    press_ok(qtbot, context, dialog)
    assert view.model.index(1, 2).data() == "3,100.00"

    code = take_in(qtbot, context)  # a Samsung Galaxy S23
    card = open_card(qtbot, window, code)
    panel = panel_of(card)
    panel.add_button.click()
    wait_idle(qtbot, context)
    dialog = panel.dialog
    assert isinstance(dialog, AddLineDialog)
    offered = [dialog.service.itemData(i) for i in range(dialog.service.count())]
    assert offered == [None, "SCR-S23"]  # the laptop keyboard is not for this phone
    assert dialog.service.currentData() == "SCR-S23"
    press_ok(qtbot, context, dialog)
    assert panel.model.index(0, 0).data() == "Screen replacement Galaxy S23"
    assert panel.model.index(0, 2).data() == "3,100.00"


def test_the_money_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow
) -> None:
    context = window.context
    write(
        qtbot,
        context,
        lambda uow: add_service(uow, ServiceInput("DIAG", "Diagnosis", Decimal(490)), "admin"),
        service_changes,
    )
    code = take_in(qtbot, context)
    money = read(context, lambda uow: job_money(uow, code))
    lines = line_model()
    lines.set_rows(money.lines.lines)
    qtmodeltester.check(lines)
    services = service_model()
    services.set_rows(money.services)
    assert services.rowCount() == 1
    qtmodeltester.check(services)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_its_money_dialogs_and_the_price_list_fit_their_translated_text(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    context = window.context
    write(
        qtbot,
        context,
        lambda uow: add_service(uow, ServiceInput("DIAG", "Diagnosis", Decimal(490)), "admin"),
        service_changes,
    )
    code = take_in(qtbot, context, JobStatus.DIAGNOSING, estimate="3490", preapproved="3000")
    apply_language(language)
    try:
        shown = build_window(context)
        qtbot.addWidget(shown)
        shown.resize(1280, 800)
        shown.show()
        wait_idle(qtbot, context)
        card = open_card(qtbot, shown, code)
        panel = panel_of(card)
        # The price (the estimate) is above the pre-approved amount: the longest approval line.
        assert STATE_COLOURS[ApprovalState.EXCEEDED] in panel.approval.text()
        settle_layouts()
        assert card.minimumSizeHint().width() <= 1260
        assert shown.width() <= 1280  # the window never grows past the screen for it
        panel.add_button.click()
        wait_idle(qtbot, context)
        assert isinstance(panel.dialog, AddLineDialog)
        press_ok(qtbot, context, panel.dialog)
        # the move buttons of the card's first showing go at the next deferred delete,
        # and the layouts settle as they do before a person sees the window
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        settle_layouts()
        # the card fits the window's width with its margins, and the window fits 800 high
        assert card.minimumSizeHint().width() <= 1260
        assert shown.width() <= 1280
        assert shown.minimumSizeHint().height() <= 800
        assert clipped_texts(card) == []
        assert clashing_shortcuts(card) == {}
        assert unnamed_controls(panel) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        shown.grab().save(str(SHOTS / f"job-card-money-{language}.png"))

        parts = shown.show_view("parts")
        services = parts.findChild(ServicesView)
        assert isinstance(services, ServicesView)
        parts.tabs.setCurrentWidget(services)
        wait_idle(qtbot, context)
        services.table.selectRow(0)
        assert clipped_texts(services) == []
        assert clashing_shortcuts(services) == {}
        assert clipped_texts(parts.tabs.tabBar()) == []
        shown.grab().save(str(SHOTS / f"price-list-{language}.png"))

        money = read(context, lambda uow: job_money(uow, code))
        dialogs: list[QDialog] = [
            AddLineDialog(context, code, money, card),
            ApprovalDialog(context, code, money, card),
            ServiceDialog(context, None, shown),
            ServiceDialog(context, money.services[0], shown),
        ]
        problems = {}
        for dialog in dialogs:
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            found = clipped_texts(dialog) + unnamed_controls(dialog)
            if clashing_shortcuts(dialog):
                found.append(str(clashing_shortcuts(dialog)))
            if found:
                problems[dialog.windowTitle()] = found
            dialog.close()
        assert problems == {}
        shown.close()
    finally:
        apply_language("en")
