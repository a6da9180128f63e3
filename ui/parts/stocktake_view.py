"""Stock take: a scan box that counts part labels, then a reviewed list of differences."""

from __future__ import annotations

from repairshop.domain.roles import Permission
from repairshop.i18n import _, ngettext
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.parts.stock import part_changes
from repairshop.services.parts.stocktake import (
    CountLine,
    apply_stock_take,
    cancel_stock_take,
    open_stock_take,
    review,
    scan,
    start_stock_take,
)
from repairshop.services.parts.stocktake import (
    StockTakeView as StockTakeData,
)
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp, WriteOp
from ui.parts.models import COUNT_COLUMNS, COUNT_WIDTHS, ListTableModel
from ui.qt import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ui.roles import gate
from ui.scan_input import known_part, read_scans
from ui.tables import make_table


class StockTakeView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.take_id: int | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.start_button = QPushButton(_("&Start a stock take"), self)
        self.apply_button = QPushButton(_("&Apply differences…"), self)
        self.apply_button.setObjectName("apply_stock_take")
        gate(context, self.apply_button, Permission.APPLY_STOCK_TAKE)
        self.cancel_button = QPushButton(_("Cancel stock take"), self)
        self.differences_only = QCheckBox(_("&Differences only"), self)
        for widget in (self.start_button, self.apply_button, self.cancel_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.differences_only)
        layout.addLayout(bar)
        self.scan_box = QLineEdit(self)
        self.scan_box.setPlaceholderText(_("Scan a part label (or type its SKU and press Enter)"))
        layout.addWidget(self.scan_box)
        self.last = QLabel(self)
        layout.addWidget(self.last)
        self.model: ListTableModel[CountLine] = ListTableModel(COUNT_COLUMNS, self)
        self.table = make_table(self, self.model, COUNT_WIDTHS)
        self.table.setAccessibleName(_("Counted parts"))
        self.scan_box.setAccessibleName(_("SKU"))
        layout.addWidget(self.table, 1)
        self.summary = QLabel(self)
        layout.addWidget(self.summary)
        self.start_button.clicked.connect(self.start)
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button.clicked.connect(self.cancel)
        read_scans(self.scan_box, known_part(context, self.scan_box))
        self.scan_box.returnPressed.connect(self.scanned)
        self.differences_only.toggled.connect(lambda _on: self.reload())
        context.changed.connect(self._on_changed)
        self._loaded = False
        self._update()

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self._loaded:
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def reload(self) -> None:
        self._loaded = True

        def query(uow: UnitOfWork) -> tuple[int | None, StockTakeData | None]:
            take = open_stock_take(uow)
            return take, review(uow, take) if take is not None else None

        ReadOp(self.context, self, query).success(lambda found: self._show(*found)).run()

    def _show(self, take_id: int | None, view: StockTakeData | None) -> None:
        self.take_id = take_id
        lines = (
            ()
            if view is None
            else (view.differences if self.differences_only.isChecked() else view.lines)
        )
        self.model.set_rows(lines)
        differences = 0 if view is None else len(view.differences)
        counted = 0 if view is None else len(view.lines)
        self.summary.setText(
            _("No stock take is open.")
            if view is None
            else ngettext("{count} part counted", "{count} parts counted", counted).format(
                count=counted
            )
            + " · "
            + ngettext("{count} difference", "{count} differences", differences).format(
                count=differences
            )
        )
        self._update()

    def _update(self) -> None:
        running = self.take_id is not None
        self.start_button.setEnabled(not running)
        self.apply_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        self.scan_box.setEnabled(running)

    def _on_changed(self, changes: Changes) -> None:
        if self._loaded and changes.touches(ChangeKind.PART):
            self.reload()

    def start(self) -> None:
        user = self.context.user
        WriteOp(
            self.context, self, lambda uow: start_stock_take(uow, user), lambda _id: part_changes()
        ).success(lambda _id: self.scan_box.setFocus()).run(initiator=self)

    def scanned(self) -> None:
        code = self.scan_box.text().strip()
        self.scan_box.clear()
        take = self.take_id
        if not code or take is None:
            return
        user = self.context.user

        def counted(line: CountLine) -> None:
            self.last.setText(
                _("{sku} — {name}: {counted} counted").format(
                    sku=line.sku, name=line.name, counted=line.counted
                )
            )

        WriteOp(
            self.context,
            self,
            lambda uow: scan(uow, take, code, user),
            lambda _line: part_changes(),
        ).success(counted).run(initiator=self)
        self.scan_box.setFocus()

    def apply(self) -> None:
        """The review: the differences are listed, and only a confirmed review applies them."""
        take = self.take_id
        if take is None:
            return
        ReadOp(self.context, self, lambda uow: review(uow, take)).success(
            lambda view: self._confirm(take, view)
        ).run()

    def _confirm(self, take: int, view: StockTakeData) -> None:
        details = "\n".join(
            f"{line.sku}: {line.on_hand} → {line.counted} ({line.difference:+d})"
            for line in view.differences[:30]
        ) or _("No differences.")
        answer = QMessageBox.question(
            self,
            _("Apply stock take"),
            _("These differences will be booked as stock corrections:\n\n{details}").format(
                details=details
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        user = self.context.user
        WriteOp(self.context, self, lambda uow: apply_stock_take(uow, take, user), lambda c: c).run(
            initiator=self
        )

    def cancel(self) -> None:
        take = self.take_id
        if take is not None:
            user = self.context.user
            WriteOp(
                self.context, self, lambda uow: cancel_stock_take(uow, take, user), lambda c: c
            ).run(initiator=self)
