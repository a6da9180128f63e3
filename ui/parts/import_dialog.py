"""Catalogue import: the file's rows previewed with their errors before anything is saved."""

from __future__ import annotations

from pathlib import Path

from repairshop.errors import RepairShopError
from repairshop.i18n import N_, _, ngettext
from repairshop.services.parts.csv_import import (
    ImportPreview,
    ImportResult,
    ImportRow,
    import_catalogue,
    preview_import,
    read_catalogue_file,
)
from ui.context import AppContext
from ui.operations import ReadOp, WriteOp
from ui.parts.models import ListTableModel
from ui.qt import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tables import make_table

IMPORT_PROGRESS_AFTER_MS = 500
"""An import that takes longer shows its progress dialog with Cancel."""

ACTIONS = {"add": N_("new"), "update": N_("update"), "error": N_("error")}
ROW_COLUMNS = [
    (N_("Line"), lambda row: row.line),
    (N_("SKU"), lambda row: row.sku),
    (N_("Action"), lambda row: _(ACTIONS[row.action])),
    (N_("Problems"), lambda row: "; ".join(row.errors)),
]


class ImportDialog(QDialog):
    previewed = Signal()
    """The chosen file was read and checked (its rows are shown)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.text = ""
        self.preview: ImportPreview | None = None
        self.result_: ImportResult | None = None
        self.setWindowTitle(_("Import the catalogue from CSV"))
        self.resize(760, 480)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.file_label = QLabel(_("No file chosen."), self)
        choose = QPushButton(_("&Choose file…"), self)
        choose.clicked.connect(self.choose)
        bar.addWidget(self.file_label, 1)
        bar.addWidget(choose)
        layout.addLayout(bar)
        self.model: ListTableModel[ImportRow] = ListTableModel(ROW_COLUMNS, self)
        rows = make_table(self, self.model, (60, 140, 80))
        rows.setAccessibleName(_("Rows of the file"))
        layout.addWidget(rows, 1)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.import_button = QPushButton(_("&Import"), self)
        self.good_only_button = QPushButton(_("Import the &good rows only"), self)
        close = QPushButton(_("Close"), self)
        self.import_button.clicked.connect(lambda: self.run(good_rows_only=False))
        self.good_only_button.clicked.connect(lambda: self.run(good_rows_only=True))
        close.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.import_button, self.good_only_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._update()

    def choose(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Catalogue file"), "", _("CSV files (*.csv);;All files (*)")
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Read and check the file; nothing is saved until Import is pressed."""
        self.file_label.setText(str(path))
        try:
            text = read_catalogue_file(path)
        except RepairShopError as error:
            self._previewed("", None)
            self.context.show_error(self, error)
            return

        def failed(error: Exception) -> None:
            self._previewed("", None)
            self.context.show_error(self, error)

        user = self.context.user
        ReadOp(self.context, self, lambda uow: preview_import(uow, text, user)).success(
            lambda preview: self._previewed(text, preview)
        ).failure(failed).run()

    def _previewed(self, text: str, preview: ImportPreview | None) -> None:
        self.text, self.preview = text, preview
        self.model.set_rows(preview.rows if preview else ())
        self._update()
        self.previewed.emit()

    def _update(self) -> None:
        preview = self.preview
        good = len(preview.good) if preview else 0
        bad = len(preview.bad) if preview else 0
        self.import_button.setEnabled(preview is not None and good > 0 and bad == 0)
        self.good_only_button.setEnabled(preview is not None and good > 0 and bad > 0)
        if preview is None:
            self.summary.setText(
                _(
                    "Columns: sku, name, and any of category, compatible, "
                    "location, price, cost, reorder_level, reorder_quantity, "
                    "serialised, supplier, supplier_sku."
                )
            )
            return
        text = ngettext("{count} good row", "{count} good rows", good).format(count=good)
        if bad:
            text += " · " + ngettext(
                "{count} row with errors: nothing is imported unless you import the good rows "
                "only.",
                "{count} rows with errors: nothing is imported unless you import the good rows "
                "only.",
                bad,
            ).format(count=bad)
        self.summary.setText(text)

    def run(self, *, good_rows_only: bool) -> None:
        """Import on the worker, with a progress dialog and Cancel (before the commit, Cancel
        imports nothing)."""
        text, user = self.text, self.context.user
        WriteOp(
            self.context,
            self,
            lambda uow: import_catalogue(uow, text, user, good_rows_only=good_rows_only),
            lambda result: result.changes,
        ).success(self._imported).with_progress(
            _("Importing the catalogue…"), show_after_ms=IMPORT_PROGRESS_AFTER_MS
        ).run(initiator=self.parent())

    def _imported(self, result: ImportResult) -> None:
        self.result_ = result
        self.accept()
