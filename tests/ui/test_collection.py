"""Collect on the job card and the day's takings, driven as a clerk and a manager would."""

from __future__ import annotations

import csv
import os
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from repairshop.domain.money import amount_text
from repairshop.domain.payments import PaymentMethod
from repairshop.domain.statuses import JobStatus
from repairshop.i18n import format_money, set_ui_language
from repairshop.services.customers.messages import MessageKind
from repairshop.services.jobs.workflow import show_job
from repairshop.services.money.invoices import show_invoice
from repairshop.services.money.lines import LineRequest, add_line
from repairshop.services.money.takings import takings
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.users import add_user
from tests.printouts import pdf_text
from tests.ui.accessibility import unnamed_controls
from tests.ui.ops import open_card, read, wait_idle, write
from tests.ui.test_job_money import panel_of, take_in
from tests.ui.test_translated_layouts import clashing_shortcuts, clipped_texts
from ui.app import build_window
from ui.customer_message import CustomerMessageDialog
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.money.collect import CollectDialog
from ui.money.takings_view import TakingsView
from ui.printing import PrintPreviewDialog

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-money-shots"))
READY = (JobStatus.DIAGNOSING, JobStatus.IN_REPAIR, JobStatus.TESTING, JobStatus.READY)


def ready_code(qtbot: QtBot, window: MainWindow) -> str:
    """A paid repair at 3,490 pre-approved at intake, with a 500 deposit, ready to collect."""
    return take_in(qtbot, window.context, *READY, estimate="3490", preapproved="3490")


def open_collect_dialog(qtbot: QtBot, window: MainWindow, code: str) -> CollectDialog:
    panel = panel_of(open_card(qtbot, window, code))
    assert panel.collect_button.isEnabled()
    panel.collect_button.click()
    wait_idle(qtbot, window.context)
    dialog = panel.dialog
    assert isinstance(dialog, CollectDialog)
    return dialog


def test_a_ready_job_is_collected_on_its_card_and_its_invoice_previewed(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    code = ready_code(qtbot, window)
    not_ready = take_in(qtbot, context)
    assert not panel_of(open_card(qtbot, window, not_ready)).collect_button.isEnabled()

    dialog = open_collect_dialog(qtbot, window, code)
    currency = dialog.bill.currency
    assert dialog.bill.due == Decimal("2990.00")  # 3,490 less the 500 deposit
    assert format_money(Decimal(500), currency) in dialog.totals.text()
    cash = dialog.amounts[PaymentMethod.CASH]
    card = dialog.amounts[PaymentMethod.CARD]
    assert cash.text() == amount_text(Decimal(2990), currency)  # what is due, in cash
    cash.setText("900")
    card.setText("2000")
    assert "does not cover" in dialog.change.text()
    assert not dialog.collect_button.isEnabled()
    cash.setText("1000")
    assert format_money(Decimal(10), currency) in dialog.change.text()
    dialog.collected_by.setText("Marie Dvořáková")
    dialog.id_note.setText("OP 123456")
    assert unnamed_controls(dialog) == []
    dialog.collect_button.click()
    wait_idle(qtbot, context)

    assert dialog.collected is not None
    number = dialog.collected.number
    assert read(context, lambda uow: show_job(uow, code, "admin")).status is JobStatus.COLLECTED
    invoice = read(context, lambda uow: show_invoice(uow, number))
    assert [(p.method, p.amount) for p in invoice.paid] == [
        (PaymentMethod.CARD, Decimal("2000.00")),
        (PaymentMethod.CASH, Decimal("990.00")),
    ]
    assert invoice.collected_by == "Marie Dvořáková"
    preview = dialog.preview
    assert isinstance(preview, PrintPreviewDialog)
    assert preview.isVisible()
    assert preview.pages[0].printout.title.endswith(number)
    SHOTS.mkdir(parents=True, exist_ok=True)
    preview.grab().save(str(SHOTS / "invoice-preview.png"))
    preview.close()

    card = open_card(qtbot, window, code)
    card_panel = panel_of(card)
    wait_idle(qtbot, context)
    told = [card.history.item(row).text() for row in range(card.history.count())]
    assert any(f"Collected; invoice {number}, taken by Marie Dvořáková" in text for text in told)
    assert card_panel.print_button.isVisible()
    assert not card_panel.collect_button.isVisible()
    card_panel.print_button.click()
    wait_idle(qtbot, context)
    again = card_panel.dialog
    assert isinstance(again, PrintPreviewDialog)
    assert again.pages[0].printout.pdf.startswith(b"%PDF")
    again.close()


def test_the_takings_view_shows_the_day_and_a_manager_cashes_up(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    context = window.context
    code = ready_code(qtbot, window)
    dialog = open_collect_dialog(qtbot, window, code)
    dialog.amounts[PaymentMethod.CASH].setText("3000")
    dialog.collect_button.click()
    wait_idle(qtbot, context)
    assert dialog.preview is not None
    dialog.preview.close()

    view = window.show_view("takings")
    assert isinstance(view, TakingsView)
    wait_idle(qtbot, context)
    assert view.shown is not None
    today = read(context, lambda uow: takings(uow, shop_today(uow)))
    assert view.rows.rowCount() == len(today.rows) >= 1
    assert view.entries.rowCount() == 2  # the deposit at intake and the payment
    for model in (view.rows, view.entries, view.cash_ups):
        qtmodeltester.check(model)
    assert unnamed_controls(view) == []

    view.desk.setCurrentText(today.rows[0].desk)
    assert view.expected.text() == format_money(Decimal(3490), today.currency)
    view.counted.setText("3480")
    view.cash_up_button.click()
    wait_idle(qtbot, context)
    assert view.cash_ups.rowCount() == 1
    assert view.cash_ups.index(0, 3).data() == "-10.00"

    out = tmp_path / "takings.csv"
    view.export_csv(str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {row["kind"] for row in rows} == {"deposit", "payment"}

    write(qtbot, context, lambda uow: add_user(uow, "eva", "Eva", "clerk", "admin"), lambda r: r[1])
    context.set_user("eva")
    view.reload()
    wait_idle(qtbot, context)
    assert not view.close_box.isEnabled()


@pytest.mark.parametrize("typed", ["3 000 EUR", "3000,-", "3.000", "3 000,00"])
def test_a_polish_clerk_types_the_cash_as_at_intake(
    qtbot: QtBot, window: MainWindow, typed: str
) -> None:
    """The collection reads amounts as the intake form does: the currency's sign, ",-" and
    the desk's own decimal comma; what it prefills reads in the desk's language too."""
    context = window.context
    code = ready_code(qtbot, window)
    set_ui_language("pl")
    dialog = open_collect_dialog(qtbot, window, code)
    cash = dialog.amounts[PaymentMethod.CASH]
    assert cash.text() == "2\xa0990,00\xa0€"  # the shop's euros, as Polish writes them
    assert "2\xa0990,00" in dialog.change.text() or dialog.collect_button.isEnabled()
    cash.clear()
    qtbot.keyClicks(cash, typed)
    assert dialog.collect_button.isEnabled(), dialog.change.text()
    assert format_money(Decimal(10), dialog.bill.currency) in dialog.change.text()
    dialog.collect_button.click()
    wait_idle(qtbot, context)
    assert dialog.collected is not None
    invoice = read(context, lambda uow: show_invoice(uow, dialog.collected.number))
    assert [(p.method, p.tendered) for p in invoice.paid] == [(PaymentMethod.CASH, Decimal(3000))]
    assert dialog.preview is not None
    dialog.preview.close()


@pytest.mark.parametrize("language", ["en", "cs", "de", "pl", "ru", "hu"])
def test_the_collect_dialog_and_the_takings_fit_their_translated_text(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    context = window.context
    code = ready_code(qtbot, window)
    apply_language(language)
    try:
        shown = build_window(context)
        qtbot.addWidget(shown)
        shown.resize(1280, 800)
        shown.show()
        wait_idle(qtbot, context)
        dialog = open_collect_dialog(qtbot, shown, code)
        dialog.keep_deposit.show()  # offered for a device returned unrepaired
        qtbot.waitExposed(dialog)
        assert clipped_texts(dialog) == []
        assert clashing_shortcuts(dialog) == {}
        assert unnamed_controls(dialog) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / f"collect-{language}.png"))
        dialog.reject()
        view = shown.show_view("takings")
        wait_idle(qtbot, context)
        assert clipped_texts(view) == []
        assert clashing_shortcuts(view) == {}
        shown.grab().save(str(SHOTS / f"takings-{language}.png"))
        shown.close()
    finally:
        apply_language("en")


def test_an_unrepaired_devices_deposit_is_kept_as_the_fee_from_the_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    code = take_in(qtbot, context, JobStatus.CANCELLED, JobStatus.READY, deposit="300")
    dialog = open_collect_dialog(qtbot, window, code)
    assert not dialog.keep_deposit.isHidden()
    assert "300" in dialog.due.text()  # paid back, unless kept
    dialog.keep_deposit.setChecked(True)
    assert "kept" in dialog.due.text()
    assert unnamed_controls(dialog) == []
    dialog.collect_button.click()
    wait_idle(qtbot, context)
    assert dialog.collected is not None
    invoice = read(context, lambda uow: show_invoice(uow, dialog.collected.number))
    assert (invoice.gross, invoice.due) == (Decimal("300.00"), Decimal("0.00"))
    assert dialog.preview is not None
    dialog.preview.close()


def test_the_quote_is_previewed_from_the_money_panel(qtbot: QtBot, window: MainWindow) -> None:
    context = window.context
    code = take_in(qtbot, context)
    line = LineRequest(text="Display", price=Decimal(2990))
    write(qtbot, context, lambda uow: add_line(uow, code, line, "admin"), lambda done: done.changes)
    card = open_card(qtbot, window, code)
    panel = panel_of(card)
    qtbot.waitUntil(panel.quote_button.isEnabled)
    panel.quote_button.click()
    qtbot.waitUntil(lambda: isinstance(panel.dialog, PrintPreviewDialog))
    wait_idle(qtbot, context)
    preview = panel.dialog
    assert isinstance(preview, PrintPreviewDialog)
    printout = preview.pages[0].printout
    assert printout.title == f"Quote {code}"
    assert "Jiří Dvořák" in pdf_text(printout.pdf)
    SHOTS.mkdir(parents=True, exist_ok=True)
    preview.grab().save(str(SHOTS / "quote-preview.png"))
    preview.close()

    # The message to the customer lists the same lines, as the outbox sends it.
    card.message_customer()
    qtbot.waitUntil(lambda: bool(card.findChildren(CustomerMessageDialog)))
    dialog = card.findChildren(CustomerMessageDialog)[0]
    dialog.kind.setCurrentIndex(dialog.kind.findData(MessageKind.NEEDS_APPROVAL.value))
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    body = dialog.body.toPlainText().replace("\u00a0", " ")
    assert "1 × Display: €2,990.00" in body
    dialog.close()
