"""Printing from the desktop app: the preview shows the core's PDF; QPrinter output still scans."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from pytestqt.qtbot import QtBot

from repairshop.errors import ValidationError
from repairshop.printing.documents import PrintSettings
from repairshop.printing.labels import device_label_pdf
from repairshop.printing.part_labels import part_label_pdf
from repairshop.printing.receipts import receipt_pdf
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.shop.settings import ShopSettings
from tests.helpers import intake_document
from tests.printouts import (
    CUSTOMERS,
    cups_pdf_printer,
    decode_barcodes,
    job_for,
    page_sizes_mm,
    pdf_text,
    printed_pdf,
)
from ui.app import make_context
from ui.context import AppContext
from ui.printing import (
    PrinterSettingsWidget,
    Printout,
    PrintPreviewDialog,
    load_pdf,
    load_print_settings,
    make_printer,
    print_job_documents,
    print_on_save_enabled,
    print_part_label,
    print_pdf,
    render_page,
    save_print_settings,
)
from ui.qt import QSettings, Qt, QWidget
from ui.qt_print import QPrinter


def pdf_printer(path: Path, dpi: int) -> QPrinter:
    """A QPrinter that writes a PDF, at a label printer's resolution."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    return printer


@pytest.fixture
def store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def context(sqlite_db: Database, tmp_path: Path) -> Iterator[AppContext]:
    made = make_context(
        sqlite_db, QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    )
    yield made
    made.tasks.shutdown()


def print_job(
    qtbot: QtBot, context: AppContext, code: str, parent: QWidget | None, **options: Any
) -> PrintPreviewDialog | None:
    """Print as the card and intake do, and wait until the worker made the printouts."""
    handed: list[PrintPreviewDialog | None] = []
    print_job_documents(context, code, parent, then=handed.append, **options)
    qtbot.waitUntil(lambda: bool(handed), timeout=30_000)
    return handed[0]


def take_in(db: Database) -> str:
    customer = {"name": CUSTOMERS["ru"], "phone": "+7 912 345 67 89", "language": "ru"}
    document = intake_document(customer=customer)
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(document), "admin").code
        uow.commit()
    return code


@pytest.mark.parametrize(("size", "dpi"), [("40x20mm", 203), ("dymo30252", 300)])
def test_a_label_printed_through_qprinter_keeps_its_size_and_scans(
    qtbot: QtBot, tmp_path: Path, size: str, dpi: int
) -> None:
    label = device_label_pdf(job_for("pl"), size, copies=2, dpi=dpi)
    out = tmp_path / "printed.pdf"

    pages = print_pdf(label, pdf_printer(out, dpi), "Label R000042")

    printed = out.read_bytes()
    assert pages == 2
    assert page_sizes_mm(printed) == [pytest.approx(s, abs=0.2) for s in page_sizes_mm(label)]
    assert decode_barcodes(printed, dpi=dpi) == ["R000042"]
    assert decode_barcodes(printed, dpi=dpi, page=1) == ["R000042"]


def test_an_a4_receipt_printed_through_qprinter_keeps_a4_and_scans(
    qtbot: QtBot, tmp_path: Path
) -> None:
    receipt = receipt_pdf(job_for("hu"), ShopSettings(name="Szerviz"), paper="a4")
    out = tmp_path / "receipt.pdf"

    print_pdf(receipt, pdf_printer(out, 300), "Receipt R000042")

    [(width, height)] = page_sizes_mm(out.read_bytes())
    assert (width, height) == pytest.approx((210, 297), abs=0.5)
    assert decode_barcodes(out.read_bytes(), dpi=300) == ["R000042"]


def test_reprint_opens_a_preview_of_the_receipt_and_the_label(
    qtbot: QtBot, context: AppContext, sqlite_db: Database, store: QSettings
) -> None:
    code = take_in(sqlite_db)
    save_print_settings(PrintSettings(receipt_format="80mm", label_size="40x20mm"), store)

    dialog = print_job(qtbot, context, code, None, store=store)

    assert isinstance(dialog, PrintPreviewDialog)
    qtbot.addWidget(dialog)
    assert code in dialog.windowTitle()
    assert [dialog.tabs.tabText(index) for index in range(dialog.tabs.count())] == [
        "Receipt",
        "Label",
    ]
    receipt, label = dialog.pages
    assert receipt.document.pageCount() == 1
    assert receipt.document.pagePointSize(0).width() == pytest.approx(80 * 72 / 25.4, abs=0.3)
    assert CUSTOMERS["ru"] in pdf_text(receipt.printout.pdf)
    assert page_sizes_mm(label.printout.pdf) == [pytest.approx((40, 20), abs=0.1)]


def test_print_on_save_sends_both_to_the_workstations_printers(
    qtbot: QtBot, context: AppContext, sqlite_db: Database, store: QSettings, tmp_path: Path
) -> None:
    code = take_in(sqlite_db)
    save_print_settings(
        PrintSettings(
            receipt_printer="Counter", label_printer="Zebra", label_size="2x1in", print_on_save=True
        ),
        store,
    )
    asked: list[str] = []

    def make(name: str) -> QPrinter:
        asked.append(name)
        return pdf_printer(tmp_path / f"{name}.pdf", 203)

    assert print_on_save_enabled(store)
    result = print_job(qtbot, context, code, None, preview=False, store=store, make=make)

    assert result is None
    assert asked == ["Counter", "Zebra"]
    assert decode_barcodes((tmp_path / "Zebra.pdf").read_bytes()) == [code]
    assert page_sizes_mm((tmp_path / "Zebra.pdf").read_bytes()) == [
        pytest.approx((50.8, 25.4), abs=0.2)
    ]
    assert decode_barcodes((tmp_path / "Counter.pdf").read_bytes()) == [code]


def test_an_unknown_ticket_is_shown_through_the_one_error_path(
    qtbot: QtBot, context: AppContext, store: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(context, "show_error", lambda parent, error: shown.append(error))

    assert print_job(qtbot, context, "R999998", None, store=store) is None
    assert len(shown) == 1
    assert "R999998" in str(shown[0])


def test_the_settings_widget_keeps_this_workstations_printers(
    qtbot: QtBot, store: QSettings
) -> None:
    widget = PrinterSettingsWidget(store)
    qtbot.addWidget(widget)
    widget.receipt_format.setCurrentIndex(widget.receipt_format.findData("80mm"))
    widget.label_size.setCurrentText("50x30mm")
    widget.label_dpi.setValue(300)
    widget.print_on_save.setChecked(True)

    widget.save()

    settings = load_print_settings(store)
    assert settings.receipt_format == "80mm"
    assert settings.label_size == "50x30mm"
    assert settings.label_dpi == 300
    assert settings.print_on_save
    again = PrinterSettingsWidget(store)
    qtbot.addWidget(again)
    assert again.value() == settings


def test_a_label_size_that_is_not_one_is_refused(qtbot: QtBot, store: QSettings) -> None:
    widget = PrinterSettingsWidget(store)
    qtbot.addWidget(widget)
    widget.label_size.setCurrentText("big")

    with pytest.raises(ValidationError):
        widget.value()


def test_the_preview_document_is_the_core_pdf(qtbot: QtBot) -> None:
    pdf = device_label_pdf(job_for("cs"), "dymo30334", copies=3)

    document = load_pdf(pdf)

    assert document.pageCount() == 3
    size = document.pagePointSize(0)
    assert (size.width(), size.height()) == pytest.approx((162, 90), abs=0.01)


def test_print_all_in_the_preview_prints_both_on_the_chosen_printers(
    qtbot: QtBot, context: AppContext, sqlite_db: Database, store: QSettings, tmp_path: Path
) -> None:
    code = take_in(sqlite_db)
    card = QWidget()
    qtbot.addWidget(card)
    printed: list[str] = []

    def make(name: str) -> QPrinter:
        printed.append(name)
        return pdf_printer(tmp_path / f"{len(printed)}.pdf", 203)

    dialog = print_job(qtbot, context, code, card, store=store, make=make)
    assert dialog is not None
    qtbot.mouseClick(dialog.print_all_button, Qt.MouseButton.LeftButton)

    assert printed == ["", ""]
    assert decode_barcodes((tmp_path / "1.pdf").read_bytes()) == [code]
    assert decode_barcodes((tmp_path / "2.pdf").read_bytes()) == [code]
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_part_label_goes_to_the_label_printer_at_the_workstations_size(
    qtbot: QtBot, context: AppContext, store: QSettings, tmp_path: Path
) -> None:
    save_print_settings(PrintSettings(label_printer="Shelf", label_size="62x29mm"), store)
    printed: list[str] = []

    def make(name: str) -> QPrinter:
        printed.append(name)
        return pdf_printer(tmp_path / "part.pdf", 203)

    result = print_part_label(
        context,
        "SCR-IP13-OLED",
        "iPhone 13 OLED",
        "A-03-2",
        copies=2,
        preview=False,
        store=store,
        make=make,
    )

    assert result is None
    assert printed == ["Shelf"]
    part = (tmp_path / "part.pdf").read_bytes()
    assert len(page_sizes_mm(part)) == 2
    assert decode_barcodes(part) == ["SCR-IP13-OLED"]
    dialog = print_part_label(context, "SCR-IP13-OLED", "iPhone 13 OLED", store=store)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.tabs.count() == 1


@pytest.mark.parametrize(("dpi", "size"), [(203, "40x20mm"), (300, "40x20mm"), (203, "dymo30252")])
def test_the_page_a_printer_gets_scans_even_with_one_dot_bars(
    qtbot: QtBot, tmp_path: Path, dpi: int, size: str
) -> None:
    pdf = part_label_pdf("SCR-IP13-OLED", "iPhone 13 OLED", "A-03-2", size=size, dpi=dpi)
    image, step = render_page(load_pdf(pdf), 0, dpi)
    path = tmp_path / "page.png"
    image.save(str(path))

    page = Image.open(path).convert("RGBA")
    paper = Image.new("RGBA", page.size, "white")
    paper.alpha_composite(page)

    assert step == 1
    assert [found.text for found in zxingcpp.read_barcodes(paper.convert("L"))] == ["SCR-IP13-OLED"]


def test_a_page_too_big_for_memory_is_rendered_at_a_whole_fraction(qtbot: QtBot) -> None:
    receipt = receipt_pdf(job_for("en"), ShopSettings(name="Shop"), paper="a4")

    image, step = render_page(load_pdf(receipt), 0, 1200)

    assert step == 2
    assert image.width() == round(210 / 25.4 * 600)


def test_thermal_printouts_print_at_the_resolution_set_for_the_printer(
    qtbot: QtBot, context: AppContext, sqlite_db: Database, store: QSettings, tmp_path: Path
) -> None:
    code = take_in(sqlite_db)
    save_print_settings(
        PrintSettings(receipt_format="80mm", receipt_dpi=203, label_dpi=300, label_size="2x1in"),
        store,
    )
    printers: list[QPrinter] = []

    def make(name: str) -> QPrinter:
        printers.append(pdf_printer(tmp_path / f"{len(printers)}.pdf", 1200))
        return printers[-1]

    print_job(qtbot, context, code, None, preview=False, store=store, make=make)

    assert [printer.resolution() for printer in printers] == [203, 300]
    assert decode_barcodes((tmp_path / "1.pdf").read_bytes(), dpi=300) == [code]


def test_a_label_printed_through_qprinter_on_a_real_cups_queue_scans(qtbot: QtBot) -> None:
    printer = make_printer(cups_pdf_printer())
    label = device_label_pdf(job_for("ru", code="R00424242"), "62x29mm", dpi=203)
    started = time.time() - 1

    Printout("Label", "Qt label R00424242", label, "", 203).send(
        cups_pdf_printer(), lambda _name: printer
    )

    printed = printed_pdf("R00424242", started)
    [(width, height)] = page_sizes_mm(printed)
    assert sorted((width, height)) == pytest.approx([29, 62], abs=1)
    assert decode_barcodes(printed, dpi=203) == ["R00424242"]
