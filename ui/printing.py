"""Printing in the desktop app: preview of the very PDF the core makes, then QPrinter.

The core builds every printout as PDF bytes (:mod:`repairshop.printing`). Here
they are shown with QtPdf and printed through ``QPrinter`` (Windows, macOS and
CUPS alike), each page rendered at the printer's own resolution so a 203 dpi
label printer gets the barcode's bars on its own dots. Which printers, paper
and label size a workstation uses are kept in its QSettings, not the shared
database: the counter PC and the workshop PC print to different printers.

:func:`print_job_documents` is the one entry point for intake's "print on
save" and the job card's "Reprint".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from repairshop.errors import RepairShopError
from repairshop.i18n import N_, _
from repairshop.printing.options import (
    DEFAULT_DPI,
    LABEL_SIZES,
    PrintSettings,
    ReceiptPaper,
    default_receipt_dpi,
    parse_label_size,
    parse_paper,
)
from repairshop.printing.printers import PrinterError
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp
from ui.qt import (
    QBuffer,
    QByteArray,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QImage,
    QIODevice,
    QMarginsF,
    QObject,
    QPageLayout,
    QPageSize,
    QPainter,
    QPushButton,
    QRectF,
    QSettings,
    QSize,
    QSizeF,
    QSpinBox,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ui.qt_print import QPrinter, QPrinterInfo

if TYPE_CHECKING:  # ReportLab and QtPdf load with the first printout, not with the window
    from repairshop.printing.documents import JobToPrint
    from ui.qt_pdf import QPdfDocument

SETTINGS_GROUP = "printing"
MM_PER_POINT = 25.4 / 72
MAX_RENDER_PIXELS = 36_000_000
"""A page is rendered whole; A4 at 600 dpi (35 million pixels, 140 MB) is the most at once."""

PRINTERS_SECTION = N_("Printers at this workstation")
"""The Settings section where a desk chooses its printers (its heading there)."""


def printers_place() -> str:
    """Where a desk's printers are chosen, as the window shows it: "Settings → Printers …"."""
    return "{} → {}".format(_("Settings"), _(PRINTERS_SECTION))


RECEIPT_FORMAT_NAMES: dict[ReceiptPaper, str] = {
    ReceiptPaper.A4: N_("A4 sheet"),
    ReceiptPaper.LETTER: N_("Letter sheet"),
    ReceiptPaper.ROLL_80MM: N_("80 mm receipt roll"),
}


# --- The workstation's print settings -------------------------------------------------


def workstation_settings() -> QSettings:
    """This computer's own settings store (not the shop's shared database)."""
    return QSettings("RepairShop", "RepairShop")


def load_print_settings(store: QSettings | None = None) -> PrintSettings:
    store = store or workstation_settings()
    defaults = PrintSettings()
    values: dict[str, object] = {}
    store.beginGroup(SETTINGS_GROUP)
    try:
        for field in fields(PrintSettings):
            default = getattr(defaults, field.name)
            raw = store.value(field.name, default)
            if isinstance(default, bool):
                values[field.name] = raw in (True, "true", "1", 1)
            elif isinstance(default, int):
                try:
                    values[field.name] = int(str(raw))
                except ValueError:
                    values[field.name] = default
            else:
                values[field.name] = str(raw)
        if not store.contains("receipt_dpi"):  # never set: as the paper has it
            values["receipt_dpi"] = default_receipt_dpi(str(values["receipt_format"]))
    finally:
        store.endGroup()
    return PrintSettings(**values)  # type: ignore[arg-type]


def save_print_settings(settings: PrintSettings, store: QSettings | None = None) -> None:
    store = store or workstation_settings()
    store.beginGroup(SETTINGS_GROUP)
    try:
        for field in fields(PrintSettings):
            store.setValue(field.name, getattr(settings, field.name))
    finally:
        store.endGroup()
    store.sync()


def print_on_save_enabled(store: QSettings | None = None) -> bool:
    """Whether intake should print the receipt and label as soon as it is saved."""
    return load_print_settings(store).print_on_save


# --- Printing a PDF through QPrinter -----------------------------------------------------


def load_pdf(pdf: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QPdfDocument over ``pdf``; the buffer lives as the document's child."""
    from ui.qt_pdf import QPdfDocument

    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrinterError(_("The printout could not be prepared for printing."))
    return document


def page_layout_for(points: QSizeF) -> QPageLayout:
    """A borderless layout of exactly this page size (a standard size when it is one)."""
    landscape = points.width() > points.height()
    portrait = QSizeF(points.height(), points.width()) if landscape else points
    fuzzy = QPageSize.SizeMatchPolicy.FuzzyMatch
    standard = QPageSize(QPageSize.id(portrait, QPageSize.Unit.Point, fuzzy))
    standard_size = standard.size(QPageSize.Unit.Point)
    if (
        standard.isValid()
        and abs(standard_size.width() - portrait.width()) <= 1
        and abs(standard_size.height() - portrait.height()) <= 1
    ):
        page_size = standard
    else:
        # Millimetres, because QPageSize keeps points whole: 40 mm is not 113 pt.
        millimetres = QSizeF(portrait.width() * MM_PER_POINT, portrait.height() * MM_PER_POINT)
        page_size = QPageSize(
            millimetres, QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.ExactMatch
        )
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0))


def make_printer(name: str) -> QPrinter:
    """A QPrinter for the named system printer, or the default one when ``name`` is empty."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if name:
        if name not in QPrinterInfo.availablePrinterNames():
            raise PrinterError(
                _("There is no printer called “{printer}” on this computer.").format(printer=name)
            )
        printer.setPrinterName(name)
    elif not QPrinterInfo.defaultPrinterName():
        raise PrinterError(
            _("No default printer: nothing was printed. Choose a printer in {place}.").format(
                place=printers_place()
            )
        )
    return printer


PrinterFactory = Callable[[str], QPrinter]


def print_pdf(pdf: bytes, printer: QPrinter, title: str) -> int:
    """Print every page of ``pdf`` at the printer's own resolution; returns the pages printed."""
    document = load_pdf(pdf)
    try:
        printer.setDocName(title)
        printer.setFullPage(True)
        printer.setPageLayout(page_layout_for(document.pagePointSize(0)))
        painter = QPainter()
        if not painter.begin(printer):
            raise PrinterError(
                _("The printer {printer} cannot be opened.").format(
                    printer=printer.printerName() or _("(default)")
                )
            )
        # Lossless: a printer that takes PDF (CUPS, "Print to PDF") must not get JPEG'd bars.
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
        try:
            for page in range(document.pageCount()):
                if page:
                    printer.setPageLayout(page_layout_for(document.pagePointSize(page)))
                    printer.newPage()
                _paint_page(painter, document, page, printer)
        finally:
            painter.end()
        return int(document.pageCount())
    finally:
        document.deleteLater()


def _paint_page(painter: QPainter, document: QPdfDocument, page: int, printer: QPrinter) -> None:
    image, step = render_page(document, page, printer.resolution())
    painter.drawImage(QRectF(0, 0, image.width() * step, image.height() * step), image)


def render_page(document: QPdfDocument, page: int, dpi: int) -> tuple[QImage, int]:
    """The page at ``dpi`` exactly, so whole-dot bars stay whole dots; and the pixel repeat.

    The page is rendered in one piece: QtPdf's clip-rectangle rendering shifts
    thin bars by a fraction of a pixel, which is enough to break a one-dot
    module. Only a page too big for memory (A4 at 1200 dpi) is rendered at a
    whole fraction of the resolution, each pixel then repeated ``step`` times.
    """
    from ui.qt_pdf import QPdfDocumentRenderOptions

    points = document.pagePointSize(page)
    step = 1
    while (points.width() * dpi / 72 / step) * (
        points.height() * dpi / 72 / step
    ) > MAX_RENDER_PIXELS:
        step += 1
    scale = dpi / 72 / step
    size = QSize(round(points.width() * scale), round(points.height() * scale))
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.PathAliased)
    return document.render(page, size, options), step


# --- Preview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Printout:
    """One document to preview and print: its tab name, PDF, and where it goes by default."""

    name: str
    title: str
    pdf: bytes
    printer: str
    dpi: int | None = None
    """The thermal printer's resolution from Settings, which the barcode was drawn for;
    ``None`` leaves the printer at its own (a laser printing an A4 receipt)."""

    def send(self, printer_name: str, make: PrinterFactory) -> int:
        printer = make(printer_name)
        if self.dpi:
            printer.setResolution(self.dpi)
        return print_pdf(self.pdf, printer, self.title)


def printer_choices(combo: QComboBox, chosen: str) -> None:
    """Fill ``combo`` with the system's printers, the default first; keep a missing choice."""
    combo.clear()
    default = QPrinterInfo.defaultPrinterName()
    combo.addItem(
        _("Default printer ({name})").format(name=default) if default else _("Default printer"),
        "",
    )
    names = list(QPrinterInfo.availablePrinterNames())
    for name in names:
        combo.addItem(name, name)
    if chosen and chosen not in names:
        combo.addItem(_("{name} (not available)").format(name=chosen), chosen)
    index = combo.findData(chosen)
    combo.setCurrentIndex(max(index, 0))


class PrintoutPage(QWidget):
    """A preview of one printout with its printer, Print and Save as PDF."""

    def __init__(
        self,
        context: AppContext,
        printout: Printout,
        make: PrinterFactory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.printout = printout
        self.make_printer = make
        from ui.qt_pdf import QPdfView

        self.document = load_pdf(printout.pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.printer = QComboBox(self)
        printer_choices(self.printer, printout.printer)
        self.printer.setAccessibleName(_("Printer"))
        self.print_button = QPushButton(_("&Print"), self)
        self.print_button.clicked.connect(self.print_now)
        self.save_button = QPushButton(_("Save as PDF…"), self)
        self.save_button.clicked.connect(self.save_as)
        row = QHBoxLayout()
        row.addWidget(self.printer, 1)
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def chosen_printer(self) -> str:
        return str(self.printer.currentData() or "")

    def print_now(self) -> bool:
        try:
            self.printout.send(self.chosen_printer(), self.make_printer)
        except Exception as error:  # shown through the one error path
            self.context.show_error(self, error)
            return False
        return True

    def save_as(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), f"{self.printout.title}.pdf", _("PDF files (*.pdf)")
        )
        if path:
            try:
                Path(path).write_bytes(self.printout.pdf)
            except OSError as error:
                self.context.show_error(
                    self,
                    RepairShopError(
                        _("Cannot write {file}: {reason}").format(file=path, reason=error.strerror)
                    ),
                )


class PrintPreviewDialog(QDialog):
    """The job's receipt and label side by side in tabs, each with its own printer."""

    def __init__(
        self,
        context: AppContext,
        code: str,
        printouts: list[Printout],
        make: PrinterFactory = make_printer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print {code}").format(code=code))
        self.tabs = QTabWidget(self)
        self.pages: list[PrintoutPage] = []
        for printout in printouts:
            page = PrintoutPage(context, printout, make, self.tabs)
            self.pages.append(page)
            self.tabs.addTab(page, printout.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_all_button = buttons.addButton(
            _("Print &all"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.print_all_button.clicked.connect(self.print_all)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        # Print and Close stay on a 1280×800 screen (a title bar and a task bar take their part).
        size = QSize(720, 720)
        screen = self.screen()
        if screen is not None:
            size = size.boundedTo(screen.availableGeometry().size() - QSize(40, 80))
        self.resize(size)

    def print_all(self) -> None:
        for page in self.pages:
            if not page.print_now():
                return
        self.accept()


# --- The entry point -----------------------------------------------------------------------


def receipt_printout(settings: PrintSettings, name: str, title: str, pdf: bytes) -> Printout:
    """``pdf`` for the receipt printer, at its resolution when it prints on a roll."""
    roll = settings.receipt_format == ReceiptPaper.ROLL_80MM
    return Printout(
        name, title, pdf, settings.receipt_printer, settings.receipt_dpi if roll else None
    )


def preview_when_made(
    context: AppContext,
    name: str,
    parent: QWidget | None,
    make: Callable[[UnitOfWork], Printout],
    opened: Callable[[PrintPreviewDialog], object] = lambda _dialog: None,
) -> None:
    """Make the printout on the worker, then preview it (the preview goes when closed)."""

    def show(printout: Printout) -> None:
        dialog = PrintPreviewDialog(context, name, [printout], parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        opened(dialog)

    ReadOp(context, parent, make, show).run()


def job_printouts(printing: JobToPrint, settings: PrintSettings) -> list[Printout]:
    """The receipt and the label as PDF (made on the worker: no Qt here)."""
    from repairshop.printing.documents import (
        job_comparison,
        job_label,
        job_loan_agreement,
        job_receipt,
    )

    job = printing.job
    return (
        [
            receipt_printout(
                settings,
                _("Receipt"),
                _("Receipt {code}").format(code=job.code),
                job_receipt(printing, settings),
            ),
            Printout(
                _("Label"),
                _("Label {code}").format(code=job.code),
                job_label(job, settings),
                settings.label_printer,
                settings.label_dpi,
            ),
        ]
        + (
            [
                Printout(
                    _("Condition before and after"),
                    _("Condition {code}").format(code=job.code),
                    job_comparison(printing),
                    settings.receipt_printer,
                )
            ]
            if printing.evidence is not None and printing.evidence.final
            else []
        )
        + (
            [
                Printout(
                    _("Loan agreement"),
                    _("Loan agreement {code}").format(code=job.code),
                    job_loan_agreement(printing),
                    settings.receipt_printer,
                )
            ]
            if printing.evidence is not None
            and printing.evidence.loan is not None
            and printing.evidence.loan.returned_at is None
            else []
        )
    )


def print_job_documents(
    context: AppContext,
    code: str,
    parent: QWidget | None = None,
    *,
    preview: bool = True,
    store: QSettings | None = None,
    make: PrinterFactory = make_printer,
    then: Callable[[PrintPreviewDialog | None], object] | None = None,
    failed: Callable[[Exception], object] | None = None,
) -> None:
    """Print a job's intake receipt and device label with this workstation's settings.

    The job is read and its PDFs made on the worker (a :class:`ReadOp`); then
    ``preview=True`` (the job card's "Reprint") opens the preview dialog and hands
    it to ``then`` (with a ``parent`` it closes itself away; without one, keep the
    reference); ``preview=False`` (intake's "print on save") sends both straight
    to the receipt and label printers and hands ``then`` ``None``. A refusal (no
    printer, say) goes to ``failed``, else it is shown through the context; ``then``
    gets ``None``.
    """
    settings = load_print_settings(store)
    viewer = context.user
    report = failed or (lambda error: context.show_error(parent, error))

    def made(printouts: list[Printout]) -> None:
        dialog = _show_or_send(
            context, code, lambda: printouts, parent, preview=preview, make=make, failed=report
        )
        if then is not None:
            then(dialog)

    def not_made(error: Exception) -> None:
        report(error)
        if then is not None:
            then(None)

    def query(uow: UnitOfWork) -> list[Printout]:
        from repairshop.printing.documents import job_to_print

        return job_printouts(job_to_print(uow, code, viewer), settings)

    ReadOp(context, parent, query).success(made).failure(not_made).run()


def print_part_label(
    context: AppContext,
    sku: str,
    name: str,
    location: str = "",
    parent: QWidget | None = None,
    *,
    copies: int = 1,
    preview: bool = True,
    store: QSettings | None = None,
    make: PrinterFactory = make_printer,
) -> PrintPreviewDialog | None:
    """Print a shelf or bag label for a part on this workstation's label printer."""
    settings = load_print_settings(store)

    def printouts() -> list[Printout]:
        from repairshop.printing.part_labels import part_label_pdf

        pdf = part_label_pdf(
            sku, name, location, size=settings.label_size, copies=copies, dpi=settings.label_dpi
        )
        title = _("Part label {sku}").format(sku=sku)
        return [Printout(_("Label"), title, pdf, settings.label_printer, settings.label_dpi)]

    return _show_or_send(context, sku, printouts, parent, preview=preview, make=make)


def _show_or_send(
    context: AppContext,
    name: str,
    printouts_of: Callable[[], list[Printout]],
    parent: QWidget | None,
    *,
    preview: bool,
    make: PrinterFactory,
    failed: Callable[[Exception], object] | None = None,
) -> PrintPreviewDialog | None:
    try:
        printouts = printouts_of()
        if not preview:
            for printout in printouts:
                printout.send(printout.printer, make)
            return None
    except Exception as error:  # shown through the one error path, unless the caller tells it
        if failed is not None:
            failed(error)
        else:
            context.show_error(parent, error)
        return None
    dialog = PrintPreviewDialog(context, name, printouts, make, parent)
    if parent is not None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


# --- Settings → Printers ---------------------------------------------------------------------


class PrinterSettingsWidget(QWidget):
    """This workstation's receipt and label printers, paper, label size and print on save."""

    def __init__(self, store: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        current = load_print_settings(store)
        self.receipt_printer = QComboBox(self)
        printer_choices(self.receipt_printer, current.receipt_printer)
        self.receipt_format = QComboBox(self)
        for paper, name in RECEIPT_FORMAT_NAMES.items():
            self.receipt_format.addItem(_(name), paper.value)
        self.receipt_format.setCurrentIndex(
            max(self.receipt_format.findData(current.receipt_format), 0)
        )
        self.receipt_dpi = self._dpi_box(current.receipt_dpi)
        self._receipt_paper = str(self.receipt_format.currentData())
        self.receipt_format.currentIndexChanged.connect(lambda _index: self._paper_changed())
        self.label_printer = QComboBox(self)
        printer_choices(self.label_printer, current.label_printer)
        self.label_size = QComboBox(self)
        self.label_size.setEditable(True)
        self.label_size.addItems(list(LABEL_SIZES))
        self.label_size.setCurrentText(current.label_size)
        self.label_size.setToolTip(_("A named size, or any width × height such as 50x30mm"))
        self.label_dpi = self._dpi_box(current.label_dpi)
        self.label_copies = QSpinBox(self)
        self.label_copies.setRange(1, 20)
        self.label_copies.setValue(current.label_copies)
        self.print_on_save = QCheckBox(_("Print the receipt and the label when intake is saved"))
        self.print_on_save.setChecked(current.print_on_save)
        form = QFormLayout(self)
        form.addRow(_("Receipt printer"), self.receipt_printer)
        form.addRow(_("Receipt paper"), self.receipt_format)
        form.addRow(_("Receipt printer resolution"), self.receipt_dpi)
        form.addRow(_("Label printer"), self.label_printer)
        form.addRow(_("Label size"), self.label_size)
        form.addRow(_("Label printer resolution"), self.label_dpi)
        form.addRow(_("Labels per job"), self.label_copies)
        form.addRow("", self.print_on_save)

    def _paper_changed(self) -> None:
        """Another paper is another printer: its resolution follows unless it was set apart."""
        paper = str(self.receipt_format.currentData())
        if self.receipt_dpi.value() == default_receipt_dpi(self._receipt_paper):
            self.receipt_dpi.setValue(default_receipt_dpi(paper))
        self._receipt_paper = paper

    def _dpi_box(self, value: int) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(72, 2400)
        box.setSuffix(_(" dpi"))
        box.setValue(value or DEFAULT_DPI)
        return box

    def value(self) -> PrintSettings:
        """The settings as shown; a label size that is not one raises ValidationError."""
        return PrintSettings(
            receipt_printer=str(self.receipt_printer.currentData() or ""),
            label_printer=str(self.label_printer.currentData() or ""),
            receipt_format=parse_paper(str(self.receipt_format.currentData())).value,
            label_size=parse_label_size(self.label_size.currentText()).name,
            receipt_dpi=self.receipt_dpi.value(),
            label_dpi=self.label_dpi.value(),
            label_copies=self.label_copies.value(),
            print_on_save=self.print_on_save.isChecked(),
        )

    def save(self) -> PrintSettings:
        settings = self.value()
        save_print_settings(settings, self.store)
        return settings
