"""Returns: to suppliers (RMA) — the list with a state filter, the chosen RMA's history, and a
button for each move its state allows — and from customers (:mod:`ui.customer_returns`).
The rules and the stock they move are in the core."""

from __future__ import annotations

import html
from collections.abc import Callable

from repairshop.domain.rma import RmaAction, RmaState
from repairshop.i18n import N_, _, format_moment
from repairshop.services.aftersales.rma import (
    RmaEventView,
    RmaView,
    list_rmas,
    move_rma,
    open_rma,
)
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.parts.purchasing import list_suppliers
from ui.context import AppContext
from ui.customer_returns import CustomerReturnsPanel
from ui.operations import ReadOp, WriteOp
from ui.parts.models import ListTableModel
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ui.scan_input import read_scans
from ui.tables import list_and_history

RMA_COLUMNS: list[tuple[str, Callable[[RmaView], object]]] = [
    (N_("RMA"), lambda r: r.number),
    (N_("State"), lambda r: r.state.label),
    (N_("Supplier"), lambda r: r.supplier),
    (N_("SKU"), lambda r: r.sku),
    (N_("Part"), lambda r: r.part_name),
    (N_("Serial"), lambda r: r.serial or ""),
    (N_("Job"), lambda r: r.job or ""),
    (N_("Created"), lambda r: format_moment(r.created_at)),
]
RMA_WIDTHS = (90, 100, 160, 110, 220, 130, 90)
HISTORY_COLUMNS: list[tuple[str, Callable[[RmaEventView], object]]] = [
    (N_("When"), lambda e: format_moment(e.at)),
    (N_("Who"), lambda e: e.user),
    (N_("State"), lambda e: e.to_state.label),
    (N_("Note"), lambda e: e.note),
]
HISTORY_WIDTHS = (140, 100, 100)

MOVE_BUTTONS: list[tuple[RmaAction, RmaState, str]] = [
    (RmaAction.SEND, RmaState.SENT, N_("&Mark as sent")),
    (RmaAction.RECEIVE, RmaState.REPLACED, N_("Replacement &received")),
    (RmaAction.RECEIVE, RmaState.REJECTED, N_("Rejected part came &back")),
    (RmaAction.CLOSE, RmaState.CREDITED, N_("&Credited")),
    (RmaAction.CLOSE, RmaState.REJECTED, N_("Re&jected")),
]
"""Every move the core allows, as a button; only those the chosen RMA's state allows show."""

OPEN_FILTER = "open"


def _changes(view: RmaView) -> Changes:
    return view.changes


class NewRmaDialog(QDialog):
    """Request an RMA: supplier, part, its serial, the job it came from, why."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.created: RmaView | None = None
        self.setWindowTitle(_("New return to a supplier"))
        form = QFormLayout(self)
        self.supplier = QComboBox(self)
        ReadOp(context, self, list_suppliers).success(self.supplier.addItems).run()
        self.sku = QLineEdit(self)
        read_scans(self.sku)
        self.serial = QLineEdit(self)
        read_scans(self.serial)
        self.job = QLineEdit(self)
        read_scans(self.job)
        self.reason = QLineEdit(self)
        for text, widget in (
            (_("&Supplier:"), self.supplier),
            (_("S&KU:"), self.sku),
            (_("Se&rial:"), self.serial),
            (_("&Job:"), self.job),
            (_("Re&ason:"), self.reason),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Request RMA"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.request)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def request(self) -> None:
        supplier, sku, user = self.supplier.currentText(), self.sku.text(), self.context.user
        reason, serial, job = self.reason.text(), self.serial.text(), self.job.text()
        WriteOp(
            self.context,
            self,
            lambda uow: open_rma(
                uow,
                supplier,
                sku,
                user,
                reason=reason,
                serial=serial or None,
                job_code=job or None,
            ),
            _changes,
        ).success(self._created).run(initiator=self)

    def _created(self, created: RmaView) -> None:
        self.created = created
        self.accept()


class ReturnsView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.parts = QTabWidget(self)
        self.parts.setAccessibleName(_("Returns"))
        QVBoxLayout(self).addWidget(self.parts)
        suppliers = QWidget(self.parts)
        self.customers = CustomerReturnsPanel(context, self.parts)
        self.parts.addTab(suppliers, _("To suppliers"))
        self.parts.addTab(self.customers, _("From customers"))
        layout = QVBoxLayout(suppliers)
        bar = QHBoxLayout()
        self.new_button = QPushButton(_("&New RMA…"), self)
        bar.addWidget(self.new_button)
        bar.addStretch(1)
        self.state_filter = QComboBox(self)
        self.state_filter.addItem(_("Open (requested or sent)"), OPEN_FILTER)
        self.state_filter.addItem(_("All"), "")
        for state in RmaState:
            self.state_filter.addItem(state.label, state.value)
        filter_label = QLabel(_("S&how:"), self)
        filter_label.setBuddy(self.state_filter)
        self.state_filter.setAccessibleName(_("Show"))
        bar.addWidget(filter_label)
        bar.addWidget(self.state_filter)
        layout.addLayout(bar)

        self.model: ListTableModel[RmaView] = ListTableModel(RMA_COLUMNS, self)
        self.history_model: ListTableModel[RmaEventView] = ListTableModel(HISTORY_COLUMNS, self)
        parts = list_and_history(
            self,
            self.model,
            RMA_WIDTHS,
            _("Returns to suppliers"),
            history_model=self.history_model,
            history_widths=HISTORY_WIDTHS,
            history_name=_("RMA history"),
        )
        splitter, detail, pane = parts.splitter, parts.detail, parts.pane
        self.table, self.summary, self.history = parts.table, parts.summary, parts.history
        fields = QHBoxLayout()
        self.note = QLineEdit(detail)
        self.note.setPlaceholderText(_("parcel number, credit note, supplier's answer"))
        self.serial = QLineEdit(detail)
        read_scans(self.serial)
        for text, widget in ((_("N&ote:"), self.note), (_("Replacement s&erial:"), self.serial)):
            label = QLabel(text, detail)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            fields.addWidget(label)
            fields.addWidget(widget, 1)
        pane.addLayout(fields)
        moves = QHBoxLayout()
        self.move_buttons: dict[tuple[RmaAction, RmaState], QPushButton] = {}
        for action, target, title in MOVE_BUTTONS:
            button = QPushButton(_(title), detail)
            button.clicked.connect(
                lambda _checked=False, action=action, target=target: self.make_move(action, target)
            )
            self.move_buttons[(action, target)] = button
            moves.addWidget(button)
        moves.addStretch(1)
        pane.addLayout(moves)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.new_rma)
        self.state_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        context.changed.connect(self._on_changed)
        self._loaded = False
        self._select_next: str | None = None
        self._show(None)

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self._loaded:
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def current(self) -> RmaView | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def reload(self) -> None:
        self._loaded = True
        shown = self.current()
        number = shown.number if shown else None
        chosen = self.state_filter.currentData()
        state = RmaState(chosen) if chosen and chosen != OPEN_FILTER else None
        ReadOp(
            self.context,
            self,
            lambda uow: list_rmas(uow, open_only=chosen == OPEN_FILTER, state=state),
        ).success(lambda rmas: self._fill(rmas, number)).run()

    def _fill(self, rmas: list[RmaView], number: str | None) -> None:
        """Show ``rmas``, keeping the RMA ``number`` (or the one just requested) chosen."""
        number = self._select_next or number
        self._select_next = None
        self.model.set_rows(rmas)
        for row, rma in enumerate(rmas):
            if rma.number == number:
                self.table.selectRow(row)
                self._show(rma)
                break
        else:
            self._show(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.model.row(current.row()) if current.isValid() else None)

    def _show(self, rma: RmaView | None) -> None:
        self.history_model.set_rows(rma.history if rma else [])
        allowed = set(rma.moves) if rma else set()
        for key, button in self.move_buttons.items():
            button.setVisible(key in allowed)
        self.note.setEnabled(bool(allowed))
        self.serial.setEnabled((RmaAction.RECEIVE, RmaState.REPLACED) in allowed)
        if rma is None:
            self.summary.setText(_("Choose an RMA to see its history and what can be done next."))
            return
        lines = [
            f"{rma.number} — {rma.state.label}",
            _("Supplier: {supplier}").format(supplier=rma.supplier),
            _("Part: {sku} {name}  serial {serial}").format(
                sku=rma.sku, name=rma.part_name, serial=rma.serial or "-"
            ),
            _("Job: {code}  Purchase order: {order}").format(
                code=rma.job or "-", order=rma.purchase_order or "-"
            ),
            _("Reason: {reason}").format(reason=rma.reason),
        ]
        if rma.replacement_serial:
            lines.append(_("Replacement serial: {serial}").format(serial=rma.replacement_serial))
        lines[0] = f"<b>{html.escape(lines[0])}</b>"
        self.summary.setText("<br>".join([lines[0], *(html.escape(line) for line in lines[1:])]))

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        if initiator is self:
            return  # its own move: it reloads when the move is done
        if self._loaded and changes.touches(ChangeKind.PART):
            self.reload()

    def make_move(self, action: RmaAction, target: RmaState) -> None:
        rma = self.current()
        if rma is None:
            return
        note, serial, user = self.note.text(), self.serial.text(), self.context.user
        WriteOp(
            self.context,
            self,
            lambda uow: move_rma(
                uow,
                rma.number,
                action,
                target,
                user,
                note=note,
                replacement_serial=(serial or None if target is RmaState.REPLACED else None),
            ),
            _changes,
        ).success(lambda _done: self._moved()).run(initiator=self)

    def _moved(self) -> None:
        self.note.clear()
        self.serial.clear()
        self.reload()

    def new_rma(self) -> None:
        dialog = NewRmaDialog(self.context, self)
        if dialog.exec() and dialog.created is not None:
            self._select_next = dialog.created.number
            self.reload()
