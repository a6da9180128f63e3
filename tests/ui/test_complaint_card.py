"""A complaint in the app: opened from a collected job's card, decided on its own card, its
protocol previewed; the device's earlier visits on the card, each opening its card."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.domain.complaints import ComplaintOutcome, Remedy
from repairshop.services.jobs.workflow import show_job
from tests.printouts import pdf_text
from tests.ui.ops import open_card, read, wait_idle
from tests.ui.test_complaint_countdown import collected_job
from ui.complaints import ComplaintActions, DecideComplaintDialog, OpenComplaintDialog
from ui.context import AppContext
from ui.job_card import JobCard
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.printing import PrintPreviewDialog, render_page
from ui.qt import QDialogButtonBox, Qt, QWidget

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-complaint-shots"))


def shot(widget: QWidget, name: str, language: str) -> None:
    folder = SHOTS if language == "en" else SHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(folder / f"complaint-{name}.png"))


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch, context: AppContext) -> list[str]:
    """What the one error path showed."""
    errors: list[str] = []
    monkeypatch.setattr(context, "show_error", lambda _parent, error: errors.append(str(error)))
    return errors


@pytest.fixture(params=["en", "cs"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    apply_language(request.param)
    yield request.param
    apply_language("en")


def press_ok(dialog: QWidget) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    ok.click()


def actions_of(card: JobCard) -> ComplaintActions:
    actions = card.findChild(ComplaintActions)
    assert actions is not None
    return actions


def test_a_complaint_is_opened_decided_and_its_protocol_previewed_on_the_cards(
    qtbot: QtBot, window: MainWindow, shown: list[str], language: str
) -> None:
    context = window.context
    original = collected_job(context)
    card = open_card(qtbot, window, original)
    actions = actions_of(card)
    assert actions.open_button.isVisible()
    assert not actions.decide_button.isVisible()

    qtbot.mouseClick(actions.open_button, Qt.MouseButton.LeftButton)
    dialog = actions.dialog
    assert isinstance(dialog, OpenComplaintDialog)
    assert dialog.fault.toPlainText() == "Cracked screen after a fall"
    dialog.fault.selectAll()
    qtbot.keyClicks(dialog.fault, "The new screen flickers")
    dialog.remedy.setCurrentIndex(dialog.remedy.findData(Remedy.REPLACE.value))
    shot(dialog, "open", language)
    with qtbot.waitSignal(window.card_opened, timeout=30_000) as opened:
        press_ok(dialog)
    wait_idle(qtbot, context)
    complaint_card = opened.args[0]
    assert isinstance(complaint_card, JobCard)
    assert shown == []
    code = complaint_card.code
    assert code != original
    view = read(context, lambda uow: show_job(uow, code, "admin"))
    assert view.complaint is not None
    assert (view.complaint.of, view.complaint.remedy) == (original, Remedy.REPLACE)
    assert view.fault == "The new screen flickers"
    assert window.current_card() is complaint_card

    # The device's earlier visit is on the complaint's card and opens its card.
    history = complaint_card.device_history
    assert history.isVisible()
    assert history.list.count() == 1
    assert history.list.item(0).text().startswith(original)
    actions = actions_of(complaint_card)
    assert actions.decide_button.isVisible()
    assert actions.protocol_button.isVisible()
    assert not actions.open_button.isVisible()
    shot(window, "card", language)

    qtbot.mouseClick(actions.decide_button, Qt.MouseButton.LeftButton)
    decide = actions.dialog
    assert isinstance(decide, DecideComplaintDialog)
    assert decide.remedy.currentData() == Remedy.REPLACE.value
    decide.outcome.setCurrentIndex(decide.outcome.findData(ComplaintOutcome.REJECTED.value))
    assert not decide.remedy.isEnabled()
    decide.outcome.setCurrentIndex(decide.outcome.findData(ComplaintOutcome.ACCEPTED.value))
    assert decide.remedy.isEnabled()
    qtbot.keyClicks(decide.reason, "Faulty display confirmed; a new phone is handed over.")
    shot(decide, "decide", language)
    with qtbot.waitSignal(complaint_card.loaded, timeout=30_000):
        press_ok(decide)
    wait_idle(qtbot, context)
    assert shown == []
    decided = read(context, lambda uow: show_job(uow, code, "admin")).complaint
    assert decided is not None
    assert decided.decided is not None
    assert (decided.decided.outcome, decided.decided.remedy) == (
        ComplaintOutcome.ACCEPTED,
        Remedy.REPLACE,
    )
    assert not actions.decide_button.isVisible()
    assert (
        complaint_card.history.item(0)
        .text()
        .endswith("Faulty display confirmed; a new phone is handed over.")
    )

    qtbot.mouseClick(actions.protocol_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, context)
    preview = actions.preview
    assert isinstance(preview, PrintPreviewDialog)
    text = pdf_text(preview.pages[0].printout.pdf)
    assert code in text
    assert "Faulty display confirmed" in text
    assert "Reklamační protokol" in text  # in the customer's language, whatever the desk's
    page, _step = render_page(preview.pages[0].document, 0, 96)
    folder = SHOTS if language == "en" else SHOTS / language
    assert page.save(str(folder / "complaint-protocol.png"))
    preview.close()

    history.list.setCurrentRow(0)
    with qtbot.waitSignal(window.card_opened, timeout=30_000) as back:
        qtbot.keyClick(history.list, Qt.Key.Key_Return)
    assert back.args[0].code == original


def test_a_job_not_yet_collected_offers_no_complaint(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    from repairshop.services.jobs.intake import intake, intake_request_from_json
    from tests.helpers import intake_document

    with context.db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    card = open_card(qtbot, window, code)
    actions = actions_of(card)
    assert not actions.open_button.isVisible()
    assert not actions.protocol_button.isVisible()
    wait_idle(qtbot, context)
    assert card.device_history.list.count() == 0
    assert not card.device_history.isVisible()  # a first visit: nothing to show


def test_a_clerk_sees_that_only_a_manager_decides(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    from repairshop.services.aftersales.complaints import open_complaint
    from repairshop.services.shop.users import add_user

    original = collected_job(context)
    with context.db.unit_of_work() as uow:
        code = open_complaint(uow, original, "admin").code
        add_user(uow, "eva", "Eva Nováková", "clerk", None)
        uow.commit()
    card = open_card(qtbot, window, code)
    actions = actions_of(card)
    assert actions.decide_button.isVisible()
    assert actions.decide_button.isEnabled()

    with qtbot.waitSignal(card.loaded, timeout=30_000):
        context.set_user("eva")
    wait_idle(qtbot, context)
    assert actions.decide_button.isVisible()
    assert not actions.decide_button.isEnabled()
    assert actions.decide_button.toolTip() == "Only a manager decides a complaint"
    assert actions.protocol_button.isEnabled()


@pytest.mark.parametrize(("paper", "printer"), [("a4", "Counter"), ("80mm", "")])
def test_the_protocol_goes_to_the_receipt_printer_only_if_it_prints_sheets(
    qtbot: QtBot, window: MainWindow, context: AppContext, paper: str, printer: str
) -> None:
    from dataclasses import replace

    from repairshop.printing.receipts import parse_paper
    from repairshop.services.aftersales.complaints import open_complaint
    from ui.printing import load_print_settings, save_print_settings

    settings = load_print_settings(context.state)
    chosen = replace(settings, receipt_printer="Counter", receipt_format=parse_paper(paper).value)
    save_print_settings(chosen, context.state)
    original = collected_job(context)
    with context.db.unit_of_work() as uow:
        code = open_complaint(uow, original, "admin").code
        uow.commit()
    actions = actions_of(open_card(qtbot, window, code))
    qtbot.mouseClick(actions.protocol_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, context)
    assert isinstance(actions.preview, PrintPreviewDialog)
    assert actions.preview.pages[0].printout.printer == printer
    actions.preview.close()
