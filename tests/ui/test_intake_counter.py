"""The intake form at a Czech counter: amounts as the shop writes them, the papers after Save,
and every problem of a save shown at once in the clerk's words. Real widgets, keyboard first."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.i18n import format_day, translator
from repairshop.services.jobs.workflow import show_job
from repairshop.services.shop.settings import get_settings, save_settings
from tests.printouts import decode_barcodes
from tests.ui.ops import WAIT_MS, fill_intake, intake_view, open_card, read, wait_idle, write
from ui.app import build_window
from ui.context import AppContext
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.printing import PrinterFactory
from ui.qt import QDate, QGroupBox, Qt
from ui.qt_print import QPrinter, QPrinterInfo
from ui.warranty_override import WarrantyOverrideDialog

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-intake-shots"))


def cs(message: str) -> str:
    return translator("cs").gettext(message)


@pytest.fixture
def czech(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    """A Czech desk in a Czech shop (crowns)."""
    write(
        qtbot,
        context,
        lambda uow: save_settings(
            uow, replace(get_settings(uow), currency="CZK", region="CZ"), "admin"
        ),
        lambda changes: changes,
    )
    apply_language("cs")
    try:
        window = build_window(context)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        wait_idle(qtbot, context)
        yield window
    finally:
        apply_language("en")


def type_into(qtbot: QtBot, field: object, text: str) -> None:
    field.setFocus()  # type: ignore[attr-defined]
    field.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def test_amounts_are_read_as_a_czech_shop_writes_them_and_shown_as_the_card_shows_them(
    qtbot: QtBot, czech: MainWindow
) -> None:
    context = czech.context
    view = intake_view(qtbot, czech)
    fill_intake(qtbot, view)
    type_into(qtbot, view.estimate, "3,490")  # 3 490 or 3,49? Asked, never guessed
    problem = view.errors["estimate"]
    assert problem.isVisible()
    assert "3\u00a0490,00\u00a0Kč" in problem.text()
    assert "3,49\u00a0Kč" in problem.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    czech.grab().save(str(SHOTS / "intake-amount-reads-two-ways-cs.png"))
    with qtbot.assertNotEmitted(view.job_taken_in):
        view.save()
        wait_idle(qtbot, context)
    assert view.estimate.hasFocus()

    type_into(qtbot, view.estimate, "3.490")
    assert not problem.isVisible()
    type_into(qtbot, view.deposit, "500,-")
    with qtbot.waitSignal(view.job_taken_in, timeout=WAIT_MS) as saved:
        view.save()
    wait_idle(qtbot, context)
    code = str(saved.args[0])
    job = read(context, lambda uow: show_job(uow, code, "admin"))
    assert (job.estimate, job.deposit) == (Decimal(3490), Decimal(500))

    card = open_card(qtbot, czech, code)
    assert card.estimate.text() == "3\u00a0490,00\u00a0Kč"
    assert card.deposit.text() == "500,00\u00a0Kč"
    card.save()  # what the card shows reads back as the same amounts
    wait_idle(qtbot, context)
    again = read(context, lambda uow: show_job(uow, code, "admin"))
    assert (again.estimate, again.deposit, again.version) == (
        Decimal(3490),
        Decimal(500),
        job.version,
    )


def pdf_printers(folder: Path, asked: list[str]) -> PrinterFactory:
    """Printers that write PDF files: the default printer's pages land in ``default.pdf``."""

    def make(name: str) -> QPrinter:
        asked.append(name)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(folder / f"{name or 'default'}-{len(asked)}.pdf"))
        return printer

    return make


def test_the_papers_print_when_intake_is_saved_without_a_key_more(
    qtbot: QtBot, czech: MainWindow, tmp_path: Path
) -> None:
    context = czech.context
    view = intake_view(qtbot, czech)
    asked: list[str] = []
    view.make_printer = pdf_printers(tmp_path, asked)
    fill_intake(qtbot, view)
    with qtbot.waitSignal(view.job_taken_in, timeout=WAIT_MS) as saved:
        qtbot.keyClick(view.fault, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, context)
    code = str(saved.args[0])
    assert asked == ["", ""]  # the receipt, then the label, on this desk's default printers
    receipt, label = (tmp_path / "default-1.pdf"), (tmp_path / "default-2.pdf")
    assert decode_barcodes(label.read_bytes()) == [code]
    assert decode_barcodes(receipt.read_bytes()) == [code]
    assert view.saved.text().startswith(cs("Saved as <b>{code}</b>.").format(code=code))
    assert cs("The receipt and the label are printing.") in view.saved.text()


def test_without_a_printer_intake_says_it_saved_first_and_where_to_choose_one(
    qtbot: QtBot, czech: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = czech.context
    monkeypatch.setattr(QPrinterInfo, "defaultPrinterName", staticmethod(lambda: ""))
    boxes: list[str] = []
    context.error_shown.connect(boxes.append)
    view = intake_view(qtbot, czech)
    fill_intake(qtbot, view)
    with qtbot.waitSignal(view.job_taken_in, timeout=WAIT_MS) as saved:
        view.save()
    wait_idle(qtbot, context)
    code = str(saved.args[0])
    assert boxes == []  # no "Not done" box that would invite a second intake of the device
    text = view.saved.text()
    assert text.startswith(cs("Saved as <b>{code}</b>.").format(code=code))
    settings = czech.views["settings"]
    section = settings.findChild(QGroupBox, "printers")
    assert section is not None
    place = f"{czech.tabs.tabText(czech.tabs.indexOf(settings))} → {section.title()}"
    assert place == "Nastavení → Tiskárny na tomto pracovišti"
    assert place in text
    assert text.index(code) < text.index(place)
    SHOTS.mkdir(parents=True, exist_ok=True)
    czech.grab().save(str(SHOTS / "intake-saved-no-printer-cs.png"))


def test_every_problem_of_a_save_shows_at_once_in_the_forms_words_the_first_focused(
    qtbot: QtBot, czech: MainWindow
) -> None:
    context = czech.context
    view = intake_view(qtbot, czech)
    # Phone and e-mail are checked as they are typed, like the IMEI.
    view.phone.setFocus()
    qtbot.keyClicks(view.phone, "777 12x")
    assert view.errors["customer.phone"].isVisible()
    assert view.errors["customer.phone"].text() == cs(
        "A phone number has digits, spaces and a leading + only."
    )
    qtbot.keyClick(view.phone, Qt.Key.Key_Backspace)
    assert not view.errors["customer.phone"].isVisible()  # "777 12" may yet become one
    view.email.setFocus()
    qtbot.keyClicks(view.email, "jana novak@")
    assert view.errors["customer.email"].isVisible()
    view.email.clear()
    qtbot.keyClicks(view.email, "jana@seznam")
    assert not view.errors["customer.email"].isVisible()
    qtbot.keyClick(view.email, Qt.Key.Key_Tab)  # left unfinished: now it is said
    assert view.errors["customer.email"].text() == cs(
        "An e-mail address looks like jana@example.cz."
    )
    type_into(qtbot, view.deposit, "abc")

    view.job_type.setFocus()
    with qtbot.assertNotEmitted(view.job_taken_in):
        qtbot.keyClick(view.job_type, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        wait_idle(qtbot, context)
    shown = {key: label.text() for key, label in view.errors.items() if label.isVisible()}
    fill_in = cs("Fill in “{field}”.")
    assert shown == {
        "customer.phone": cs(
            "This is not a phone number: check the digits, or give its +country code."
        ),
        "customer.name": fill_in.format(field="Jméno"),
        "customer.email": cs("An e-mail address looks like jana@example.cz."),
        "device.brand": fill_in.format(field="Značka"),
        "device.model": fill_in.format(field="Model"),
        "fault": fill_in.format(field="Závada"),
        "deposit": cs("“{value}” is not an amount of money.").format(value="abc"),
    }
    assert all("device." not in text and "fault" not in text for text in shown.values())
    assert view.phone.hasFocus()  # the first problem on the form
    SHOTS.mkdir(parents=True, exist_ok=True)
    czech.grab().save(str(SHOTS / "intake-every-problem-cs.png"))


def test_the_card_names_the_amount_it_cannot_read_as_it_shows_it(
    qtbot: QtBot, czech: MainWindow
) -> None:
    context = czech.context
    view = intake_view(qtbot, czech)
    fill_intake(qtbot, view)
    with qtbot.waitSignal(view.job_taken_in, timeout=WAIT_MS) as saved:
        view.save()
    wait_idle(qtbot, context)
    card = open_card(qtbot, czech, str(saved.args[0]))
    type_into(qtbot, card.estimate, "3,490")
    with qtbot.waitSignal(context.error_shown) as shown:
        qtbot.keyClick(card.fault, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert str(shown.args[0]).startswith(cs("Estimate") + ": „3,490“")
    assert card.estimate.hasFocus()


def test_the_warranty_shows_live_as_the_form_is_filled_and_a_manager_can_set_it(
    qtbot: QtBot, czech: MainWindow
) -> None:
    context = czech.context
    view = intake_view(qtbot, czech)
    fill_intake(qtbot, view)
    qtbot.waitUntil(lambda: not view._preview.isActive() and not context.tasks.busy)
    assert view.warranty.text().startswith(cs("No warranty"))
    bought = date.today() - timedelta(days=90)
    view.purchase_date.setDate(QDate(bought.year, bought.month, bought.day))
    qtbot.keyClicks(view.proof_of_purchase, "invoice 12")
    qtbot.waitUntil(lambda: view.warranty.text().startswith(cs("Manufacturer's warranty")))
    assert format_day(bought, "cs") in view.warranty.text()  # the reason names the purchase

    view.override_button.click()
    dialog = view.findChild(WarrantyOverrideDialog)
    assert isinstance(dialog, WarrantyOverrideDialog)
    dialog.regime.setCurrentIndex(dialog.regime.findData("none"))
    qtbot.keyClicks(dialog.why, "Water damage")
    dialog.set_override()
    assert view.warranty.text() == cs("Set by hand: {decision} — {why}").format(
        decision=cs("No warranty"), why="Water damage"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    czech.grab().save(str(SHOTS / "intake-warranty-set-by-hand-cs.png"))
    with qtbot.waitSignal(view.job_taken_in, timeout=WAIT_MS) as saved:
        view.save()
    wait_idle(qtbot, context)
    job = read(context, lambda uow: show_job(uow, str(saved.args[0]), "admin"))
    assert job.warranty is not None
    assert (job.warranty.regime.value, job.warranty.overridden_by) == ("none", "admin")
    assert job.job_type.value == "paid_repair"
