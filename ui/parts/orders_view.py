"""Purchase orders: propose from low stock, send, book deliveries in full or in part."""

from __future__ import annotations

from collections.abc import Callable

from repairshop.i18n import N_, NC_, _, format_number, ngettext
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.parts.job_parts import ArrivedJob, jobs_with_parts_arrived
from repairshop.services.parts.purchasing import (
    OrderLineView,
    OrderView,
    Proposal,
    Receipt,
    cancel_order,
    list_orders,
    propose_orders,
    receive_order,
    send_order,
)
from repairshop.services.parts.stock import part_changes
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.forms import ok_cancel
from ui.operations import ReadOp, WriteOp
from ui.parts.dialogs import scanned_lines
from ui.parts.models import LINE_WIDTHS, ORDER_COLUMNS, ORDER_WIDTHS, ListTableModel
from ui.qt import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.scan_input import read_scans
from ui.tables import make_table

LINE_COLUMNS = [
    (N_("SKU"), lambda line: line.sku),
    (N_("Part"), lambda line: line.name),
    (N_("Ordered"), lambda line: line.quantity),
    (NC_("purchase order", "Received"), lambda line: line.received),
    (N_("Unit cost"), lambda line: format_number(line.unit_cost)),
]


class ReceiveOrderDialog(QDialog):
    """A delivery against an order: how many of each outstanding line arrived."""

    def __init__(
        self, context: AppContext, order: OrderView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.order = order
        self.receipt: Receipt | None = None
        self.setWindowTitle(_("Receive order {number}").format(number=order.number))
        form = QFormLayout(self)
        form.addRow(QLabel(_("From {supplier}").format(supplier=order.supplier), self))
        self.spins: dict[str, QSpinBox] = {}
        self.serials: dict[str, QPlainTextEdit] = {}
        for line in order.lines:
            if line.outstanding <= 0:
                continue
            spin = QSpinBox(self)
            spin.setRange(0, line.outstanding)
            spin.setValue(line.outstanding)
            spin.setSuffix(f" / {line.outstanding}")
            self.spins[line.sku] = spin
            form.addRow(f"{line.sku} — {line.name}", spin)
            if line.serialised:
                # One serial a unit: the count of scanned serials is the quantity received.
                serials = QPlainTextEdit(self)
                serials.setPlaceholderText(_("one serial per line (scan them)"))
                serials.setTabChangesFocus(True)
                serials.setMaximumHeight(90)
                read_scans(serials)
                spin.setValue(0)
                spin.setEnabled(False)
                serials.textChanged.connect(
                    lambda spin=spin, serials=serials: spin.setValue(
                        min(len(scanned_lines(serials)), spin.maximum())
                    )
                )
                self.serials[line.sku] = serials
                form.addRow(_("Serials:"), serials)
        form.addRow(ok_cancel(self, _("Receive"), self.receive))

    def receive(self) -> None:
        quantities = {sku: spin.value() for sku, spin in self.spins.items() if spin.value()}
        scanned = {sku: scanned_lines(box) for sku, box in self.serials.items()}
        serials = {sku: found for sku, found in scanned.items() if found}
        quantities.update({sku: len(found) for sku, found in serials.items()})
        if not quantities:
            self.reject()
            return
        number, user = self.order.number, self.context.user
        WriteOp(
            self.context,
            self,
            lambda uow: receive_order(uow, number, user, quantities=quantities, serials=serials),
            lambda receipt: receipt.changes,
        ).success(self._received).run(initiator=self.parent())

    def _received(self, receipt: Receipt) -> None:
        self.receipt = receipt
        self.accept()


class OrdersView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.propose_button = QPushButton(_("&Propose from low stock"), self)
        self.send_button = QPushButton(_("&Mark as sent"), self)
        self.receive_button = QPushButton(_("&Receive delivery…"), self)
        self.cancel_button = QPushButton(_("Cancel order"), self)
        self.open_only = QCheckBox(_("Open orders only"), self)
        self.open_only.setChecked(True)
        for widget in (
            self.propose_button,
            self.send_button,
            self.receive_button,
            self.cancel_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.open_only)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.model: ListTableModel[OrderView] = ListTableModel(ORDER_COLUMNS, self)
        self.table = make_table(splitter, self.model, ORDER_WIDTHS)
        self.line_model: ListTableModel[OrderLineView] = ListTableModel(LINE_COLUMNS, self)
        self.lines = make_table(splitter, self.line_model, LINE_WIDTHS)
        self.table.setAccessibleName(_("Purchase orders"))
        self.lines.setAccessibleName(_("Lines"))
        splitter.addWidget(self.table)
        splitter.addWidget(self.lines)
        layout.addWidget(splitter, 1)
        self.arrived = QLabel(self)
        self.arrived.setWordWrap(True)
        layout.addWidget(self.arrived)
        self.propose_button.clicked.connect(self.propose)
        self.send_button.clicked.connect(self.send)
        self.receive_button.clicked.connect(self.receive)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_only.toggled.connect(lambda _on: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        context.changed.connect(self._on_changed)
        self._loaded = False
        self._update_buttons()

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self._loaded:
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def current(self) -> OrderView | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def reload(self) -> None:
        self._loaded = True
        shown = self.current()
        number = shown.number if shown else None
        open_only = self.open_only.isChecked()

        def query(uow: UnitOfWork) -> tuple[list[OrderView], list[ArrivedJob]]:
            return list_orders(uow, open_only=open_only), jobs_with_parts_arrived(uow)

        ReadOp(self.context, self, query).success(lambda found: self._show(number, *found)).run()

    def _show(self, number: str | None, orders: list[OrderView], arrived: list[ArrivedJob]) -> None:
        self.model.set_rows(orders)
        self.arrived.setText(
            _("Parts arrived for: {jobs}").format(
                jobs=", ".join(f"{job.code} ({', '.join(job.parts)})" for job in arrived)
            )
            if arrived
            else ""
        )
        for row, order in enumerate(orders):
            if order.number == number:
                self.table.selectRow(row)
                break
        else:
            self.line_model.set_rows([])
        self._update_buttons()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        order = self.model.row(current.row()) if current.isValid() else None
        self.line_model.currency = order.currency if order else ""
        self.line_model.set_rows(order.lines if order else [])
        self._update_buttons()

    def _update_buttons(self) -> None:
        order = self.current()
        status = order.status if order else None
        self.send_button.setEnabled(status is not None and status.can_send)
        self.receive_button.setEnabled(status is not None and status.can_receive)
        self.cancel_button.setEnabled(status is not None and status.can_cancel)

    def _on_changed(self, changes: Changes) -> None:
        if self._loaded and changes.touches(ChangeKind.PART):
            self.reload()

    def propose(self) -> None:
        user = self.context.user
        WriteOp(
            self.context, self, lambda uow: propose_orders(uow, user), lambda _p: part_changes()
        ).success(self._proposed).run(initiator=self)

    def _proposed(self, proposal: Proposal) -> None:
        message = ngettext(
            "{count} order proposed.", "{count} orders proposed.", len(proposal.orders)
        ).format(count=len(proposal.orders))
        if proposal.without_supplier:
            message += "\n" + _("No supplier is known for: {skus}").format(
                skus=", ".join(proposal.without_supplier)
            )
        QMessageBox.information(self, _("Purchase orders"), message)

    def send(self) -> None:
        self._move(send_order)

    def cancel(self) -> None:
        self._move(cancel_order)

    def _move(self, action: Callable[[UnitOfWork, str, str], object]) -> None:
        """Send or cancel the chosen order, as this desk's person."""
        order = self.current()
        if order is not None:
            number, user = order.number, self.context.user
            WriteOp(
                self.context,
                self,
                lambda uow: action(uow, number, user),
                lambda _o: part_changes(),
            ).run(initiator=self)

    def receive(self) -> None:
        order = self.current()
        if order is not None:
            ReceiveOrderDialog(self.context, order, self).exec()
