"""The job card's Parts tab: the job's parts with prices, and reserve / use / release / wait."""

from __future__ import annotations

from collections.abc import Callable

from repairshop.errors import NotFound, UnitNotNamed
from repairshop.i18n import _, format_money
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.parts.job_parts import (
    JobPartLine,
    JobPartsView,
    job_parts,
    release_part,
    reserve_part,
    use_part,
    wait_for_part,
)
from repairshop.services.parts.stock import MAX_QUANTITY, Scanned, StockChanged, resolve_scan
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp, WriteOp
from ui.parts.models import JOB_PART_COLUMNS, JOB_PART_WIDTHS, ListTableModel
from ui.parts.unit_chooser import UnitChooser
from ui.qt import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.scan_input import known_part, read_scans
from ui.tables import make_table

Action = Callable[[UnitOfWork, Scanned, int], StockChanged]


class JobPartsPanel(QWidget):
    def __init__(self, context: AppContext, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.code = code
        self.view: JobPartsView | None = None
        self.chooser: UnitChooser | None = None
        """The unit chooser last opened (tests drive it)."""
        layout = QVBoxLayout(self)
        self.model: ListTableModel[JobPartLine] = ListTableModel(JOB_PART_COLUMNS, self)
        self.table = make_table(self, self.model, JOB_PART_WIDTHS)
        self.table.setAccessibleName(_("Parts"))
        self.table.setMinimumHeight(3 * self.table.verticalHeader().defaultSectionSize())
        layout.addWidget(self.table, 1)
        self.totals = QLabel(self)
        layout.addWidget(self.totals)
        bar = QHBoxLayout()
        self.sku = QLineEdit(self)
        self.sku.setPlaceholderText(_("Scan, or type a SKU"))  # whole in a narrow field
        self.sku.setToolTip(_("Scan a part label or a unit's serial, or type a SKU"))
        self.quantity = QSpinBox(self)
        self.quantity.setRange(1, MAX_QUANTITY)
        self.quantity.setPrefix("× ")
        self.sku.setAccessibleName(_("SKU"))
        self.quantity.setAccessibleName(_("Quantity"))
        self.reserve_button = QPushButton(_("&Reserve"), self)
        self.use_button = QPushButton(_("&Use"), self)
        self.release_button = QPushButton(_("Re&lease"), self)
        self.wait_button = QPushButton(_("&Wait for it"), self)
        self.reserve_button.setToolTip(_("Set the part aside for this job"))
        self.use_button.setToolTip(_("The part went into the device"))
        self.release_button.setToolTip(_("Put the reserved part back on the shelf"))
        self.wait_button.setToolTip(_("Not in stock: the job waits for the part"))
        bar.addWidget(self.sku, 1)
        bar.addWidget(self.quantity)
        for button in (self.reserve_button, self.use_button, self.release_button, self.wait_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        read_scans(self.sku, known_part(context, self.sku))
        self.sku.returnPressed.connect(self.reserve)
        self.reserve_button.clicked.connect(self.reserve)
        self.use_button.clicked.connect(self.use)
        self.release_button.clicked.connect(self.release)
        self.wait_button.clicked.connect(self.wait)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        context.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        code = self.code

        def query(uow: UnitOfWork) -> JobPartsView | None:
            try:
                return job_parts(uow, code)
            except NotFound:
                return None

        ReadOp(self.context, self, query, self._show).run()

    def _show(self, view: JobPartsView | None) -> None:
        self.view = view
        lines = self.view.lines if self.view else ()
        self.model.currency = self.view.currency if self.view else ""
        self.model.set_rows(lines)
        if self.view is None:
            self.totals.setText(_("There is no job {code}.").format(code=self.code))
            return
        total = format_money(self.view.parts_total, self.view.currency)
        text = _("Parts: {total}").format(total=total)
        if self.view.estimate is not None:
            text += " · " + _("estimate: {estimate}").format(
                estimate=format_money(self.view.estimate, self.view.currency)
            )
        if self.view.waiting_for:
            text += "  ·  " + _("waiting for {skus}").format(skus=", ".join(self.view.waiting_for))
        self.totals.setText(text)
        # Never narrower than its text (a pixel lost to rounding would cut the last letter).
        self.totals.setMinimumWidth(self.totals.fontMetrics().horizontalAdvance(text) + 2)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        line = self.model.row(current.row()) if current.isValid() else None
        if line is not None:
            self.sku.setText(line.sku)

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(ChangeKind.PART) or changes.touches(ChangeKind.JOB):
            self.reload()

    def _run(self, action: Action) -> None:
        text = self.sku.text().strip()
        if not text:
            self.sku.setFocus()
            return
        quantity = self.quantity.value()

        def done(_result: object) -> None:
            self.sku.clear()
            self.quantity.setValue(1)

        def failed(error: Exception) -> None:
            if isinstance(error, UnitNotNamed):
                self._choose_units(error, done)
            else:
                self.context.show_error(self, error)

        WriteOp(
            self.context,
            self,
            lambda uow: action(uow, resolve_scan(uow, text), quantity),
            lambda changed: changed.changes,
        ).success(done).failure(failed).run(initiator=self)
        self.sku.setFocus()

    def _choose_units(self, refusal: UnitNotNamed, done: Callable[[object], None]) -> None:
        """Several units could have gone in: the technician scans or picks the one(s)."""
        self.chooser = UnitChooser(refusal, self)
        chooser, code, sku = self.chooser, self.code, refusal.sku

        def chosen() -> None:
            serials, quantity, user = chooser.serials(), refusal.quantity, self.context.user
            WriteOp(
                self.context,
                self,
                lambda uow: use_part(uow, code, sku, quantity, user, serials=serials),
                lambda changed: changed.changes,
            ).success(done).run(initiator=self)

        chooser.accepted.connect(chosen)
        chooser.finished.connect(lambda _result: self.sku.setFocus())
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.open()

    def _serials(self, scanned: Scanned) -> tuple[str, ...]:
        return (scanned.serial,) if scanned.serial else ()

    def reserve(self) -> None:
        self._run_with_serials(reserve_part)

    def use(self) -> None:
        self._run_with_serials(use_part)

    def _run_with_serials(self, action: Callable[..., StockChanged]) -> None:
        """Reserve or use the scanned part; a scanned unit's serial names that unit."""
        self._run(
            lambda uow, scanned, quantity: action(
                uow,
                self.code,
                scanned.sku,
                quantity,
                self.context.user,
                serials=self._serials(scanned),
            )
        )

    def release(self) -> None:
        self._run(
            lambda uow, scanned, quantity: release_part(
                uow, self.code, scanned.sku, quantity, self.context.user
            )
        )

    def wait(self) -> None:
        self._run(
            lambda uow, scanned, quantity: wait_for_part(
                uow, self.code, scanned.sku, quantity, self.context.user
            )
        )
