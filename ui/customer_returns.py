"""Goods customers bring back (the Returns tab's "From customers" part): the list, the chosen
take-back's history, a button for each move the core still allows, and the take-back dialog.
Every rule (which move, what it does to stock and money) is in the core."""

from __future__ import annotations

import html
from collections.abc import Callable

from repairshop.domain.contacts import format_phone
from repairshop.domain.customer_returns import RefundDecision, ReturnState
from repairshop.domain.money import read_amount
from repairshop.domain.roles import Permission
from repairshop.i18n import N_, _, format_moment, format_money
from repairshop.services.aftersales.customer_returns import (
    ReturnEventView,
    ReturnView,
    exchange_return,
    list_returns,
    move_return,
    open_return,
    refund_return,
    refuse_return,
)
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.parts.purchasing import list_suppliers
from repairshop.services.shop.settings import get_settings
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
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
    QVBoxLayout,
    QWidget,
)
from ui.roles import mark, who_may
from ui.scan_input import read_scans
from ui.tables import list_and_history

RETURN_COLUMNS: list[tuple[str, Callable[[ReturnView], object]]] = [
    (N_("Return"), lambda r: r.number),
    (N_("Where it went"), lambda r: r.state.label),
    (N_("Money back"), lambda r: r.decision.label if r.decision else ""),
    (N_("Customer"), lambda r: r.customer),
    (N_("SKU"), lambda r: r.sku),
    (N_("Part"), lambda r: r.part_name),
    (N_("Serial"), lambda r: r.serial or ""),
    (N_("Received"), lambda r: format_moment(r.created_at)),
]
RETURN_WIDTHS = (110, 140, 110, 160, 100, 180, 110)
HISTORY_COLUMNS: list[tuple[str, Callable[[ReturnEventView], object]]] = [
    (N_("When"), lambda e: format_moment(e.at)),
    (N_("Who"), lambda e: e.user),
    (N_("What"), lambda e: e.label),
    (N_("Note"), lambda e: e.note),
]
HISTORY_WIDTHS = (140, 100, 160)

ITEM_BUTTONS: list[tuple[ReturnState, str]] = [
    (ReturnState.RESTOCKED, N_("Back on the &shelf")),
    (ReturnState.TO_SUPPLIER, N_("To the su&pplier")),
    (ReturnState.SCRAPPED, N_("Scr&ap")),
]
MONEY_BUTTONS: list[tuple[RefundDecision, str]] = [
    (RefundDecision.REFUNDED, N_("Re&fund")),
    (RefundDecision.EXCHANGED, N_("E&xchange")),
    (RefundDecision.REFUSED, N_("&Refuse refund")),
]
"""Every move and decision the core allows; only those the chosen take-back allows show."""
NEEDS: dict[ReturnState | RefundDecision, Permission] = {
    ReturnState.SCRAPPED: Permission.WRITE_OFF_STOCK,
    RefundDecision.REFUNDED: Permission.CREDIT_INVOICE,
}
"""The moves only some roles may make (the core refuses the others)."""

OPEN_FILTER = "open"


def _changes(view: ReturnView) -> Changes:
    return view.changes


def _labelled(text: str, widget: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(widget)
    widget.setAccessibleName(text.replace("&", "").rstrip(":"))
    return label


class TakeBackDialog(QDialog):
    """Take back a part or device the shop sold: customer, SKU, serial, invoice, why."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.created: ReturnView | None = None
        self.setWindowTitle(_("Take back from a customer"))
        form = QFormLayout(self)
        self.customer = QLineEdit(self)
        hint = _("phone number or customer number")
        self.customer.setPlaceholderText(hint)
        self.customer.setMinimumWidth(self.customer.fontMetrics().horizontalAdvance(hint) + 24)
        self.sku = QLineEdit(self)
        read_scans(self.sku)
        self.serial = QLineEdit(self)
        read_scans(self.serial)
        self.invoice = QLineEdit(self)
        read_scans(self.invoice)
        self.reason = QLineEdit(self)
        for text, widget in (
            (_("&Customer:"), self.customer),
            (_("S&KU:"), self.sku),
            (_("Se&rial:"), self.serial),
            (_("&Invoice:"), self.invoice),
            (_("Re&ason:"), self.reason),
        ):
            form.addRow(_labelled(text, widget, self), widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Take back"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.take_back)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def take_back(self) -> None:
        customer, sku, user = self.customer.text(), self.sku.text(), self.context.user
        serial, invoice, reason = self.serial.text(), self.invoice.text(), self.reason.text()
        WriteOp(
            self.context,
            self,
            lambda uow: open_return(
                uow,
                customer,
                sku,
                user,
                reason=reason,
                serial=serial or None,
                invoice=invoice or None,
            ),
            _changes,
        ).success(self._created).run(initiator=self)

    def _created(self, created: ReturnView) -> None:
        self.created = created
        self.accept()


class CustomerReturnsPanel(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton(_("&Take back…"), self)
        bar.addWidget(self.new_button)
        bar.addStretch(1)
        self.filter = QComboBox(self)
        self.filter.addItem(_("Open (not yet settled)"), OPEN_FILTER)
        self.filter.addItem(_("All"), "")
        bar.addWidget(_labelled(_("S&how:"), self.filter, self))
        bar.addWidget(self.filter)
        layout.addLayout(bar)

        self.model: ListTableModel[ReturnView] = ListTableModel(RETURN_COLUMNS, self)
        self.history_model: ListTableModel[ReturnEventView] = ListTableModel(HISTORY_COLUMNS, self)
        parts = list_and_history(
            self,
            self.model,
            RETURN_WIDTHS,
            _("Returns from customers"),
            history_model=self.history_model,
            history_widths=HISTORY_WIDTHS,
            history_name=_("Return history"),
        )
        splitter, detail, pane = parts.splitter, parts.detail, parts.pane
        self.table, self.summary, self.history = parts.table, parts.summary, parts.history
        fields = QHBoxLayout()
        self.note = QLineEdit(detail)
        self.note.setPlaceholderText(_("why a refund is refused, the serial handed over"))
        self.amount = QLineEdit(detail)
        self.amount.setPlaceholderText(_("the part's price"))
        self.supplier = QComboBox(detail)
        self.supplier.addItem(_("the part's own"), "")
        for text, widget in (
            (_("N&ote:"), self.note),
            (_("A&mount:"), self.amount),
            (_("Suppl&ier:"), self.supplier),
        ):
            fields.addWidget(_labelled(text, widget, detail))
            fields.addWidget(widget, 3 if widget is self.note else 1)
        pane.addLayout(fields)
        moves = QHBoxLayout()
        self.item_buttons: dict[ReturnState, QPushButton] = {}
        for state, title in ITEM_BUTTONS:
            button = QPushButton(_(title), detail)
            button.clicked.connect(lambda _checked=False, state=state: self.move_item(state))
            self.item_buttons[state] = button
            moves.addWidget(button)
        moves.addSpacing(24)
        self.money_buttons: dict[RefundDecision, QPushButton] = {}
        for decision, title in MONEY_BUTTONS:
            button = QPushButton(_(title), detail)
            button.clicked.connect(lambda _checked=False, decision=decision: self.decide(decision))
            self.money_buttons[decision] = button
            moves.addWidget(button)
        moves.addStretch(1)
        for key, permission in NEEDS.items():
            mark(self._button(key), permission)
        context.role_changed.connect(self._show_role)  # bound: dropped with the panel
        pane.addLayout(moves)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.take_back)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        context.changed.connect(self._on_changed)
        self._loaded = False
        self._select_next: str | None = None
        self._show(None)

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self._loaded:
            ReadOp(self.context, self, list_suppliers).success(self._suppliers).run()
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def _suppliers(self, names: list[str]) -> None:
        for name in names:
            self.supplier.addItem(name, name)

    def current(self) -> ReturnView | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _filter_changed(self, _index: int) -> None:
        self.reload()

    def reload(self) -> None:
        self._loaded = True
        shown = self.current()
        number = shown.number if shown else None
        open_only = self.filter.currentData() == OPEN_FILTER
        ReadOp(self.context, self, lambda uow: list_returns(uow, open_only=open_only)).success(
            lambda found: self._fill(found, number)
        ).run()

    def _fill(self, found: list[ReturnView], number: str | None) -> None:
        number = self._select_next or number
        self._select_next = None
        self.model.set_rows(found)
        for row, item in enumerate(found):
            if item.number == number:
                self.table.selectRow(row)
                self._show(item)
                break
        else:
            self._show(None)

    def _button(self, key: ReturnState | RefundDecision) -> QPushButton:
        if isinstance(key, ReturnState):
            return self.item_buttons[key]
        return self.money_buttons[key]

    def _show_role(self, _role: str = "") -> None:
        """A move the role may not make (a write-off, a refund) shows disabled, saying who may."""
        for key, permission in NEEDS.items():
            button, allowed = self._button(key), self.context.may(permission)
            button.setEnabled(allowed)
            button.setToolTip("" if allowed else who_may(permission))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.model.row(current.row()) if current.isValid() else None)

    def _show(self, item: ReturnView | None) -> None:
        self.history_model.set_rows(item.history if item else [])
        moves = set(item.moves) if item else set()
        decisions = set(item.decisions) if item else set()
        for state, button in self.item_buttons.items():
            button.setVisible(state in moves)
        for decision, button in self.money_buttons.items():
            button.setVisible(decision in decisions)
        self._show_role()
        self.note.setEnabled(bool(moves or decisions))
        self.amount.setEnabled(RefundDecision.REFUNDED in decisions)
        self.supplier.setEnabled(ReturnState.TO_SUPPLIER in moves)
        if item is None:
            self.summary.setText(_("Choose a return to see its history and what can be done next."))
            return
        money = item.decision.label if item.decision else _("not decided")
        lines = [
            f"{item.number} — {item.state.label} · {money}",
            _("Customer: {name}  {phone}").format(
                name=item.customer, phone=format_phone(item.customer_phone)
            ),
            _("Part: {sku} {name}  serial {serial}").format(
                sku=item.sku, name=item.part_name, serial=item.serial or "-"
            ),
            _("Invoice: {invoice}  RMA: {rma}").format(
                invoice=item.invoice or "-", rma=item.rma or "-"
            ),
            _("Reason: {reason}").format(reason=item.reason),
        ]
        if item.refund is not None:
            lines.append(
                _("Paid back: {amount} {document}")
                .format(
                    amount=format_money(item.refund, item.currency),
                    document=item.refund_document or "",
                )
                .rstrip()
            )
        if item.decision_note:
            lines.append(_("Note: {note}").format(note=item.decision_note))
        lines[0] = f"<b>{html.escape(lines[0])}</b>"
        self.summary.setText("<br>".join([lines[0], *(html.escape(line) for line in lines[1:])]))

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        if initiator is self:
            return  # its own move: it reloads when the move is done
        if self._loaded and changes.touches(ChangeKind.PART):
            self.reload()

    def _write(self, action: Callable[[UnitOfWork], ReturnView]) -> None:
        WriteOp(self.context, self, action, _changes).success(lambda _done: self._moved()).run(
            initiator=self
        )

    def move_item(self, target: ReturnState) -> None:
        item = self.current()
        if item is None:
            return
        note, user = self.note.text(), self.context.user
        supplier = str(self.supplier.currentData() or "") or None
        self._write(
            lambda uow: move_return(uow, item.number, target, user, note=note, supplier=supplier)
        )

    def decide(self, decision: RefundDecision) -> None:
        item = self.current()
        if item is None:
            return
        note, typed, user = self.note.text(), self.amount.text(), self.context.user
        number = item.number

        def act(uow: UnitOfWork) -> ReturnView:
            if decision is RefundDecision.REFUNDED:
                currency = get_settings(uow).currency
                amount = read_amount(typed, "amount", currency=currency) if typed.strip() else None
                return refund_return(uow, number, user, amount=amount)
            if decision is RefundDecision.EXCHANGED:
                return exchange_return(uow, number, user, serial=note or None)
            return refuse_return(uow, number, user, reason=note)

        self._write(act)

    def _moved(self) -> None:
        self.note.clear()
        self.amount.clear()
        self.reload()

    def take_back(self) -> None:
        dialog = TakeBackDialog(self.context, self)
        if dialog.exec() and dialog.created is not None:
            self._select_next = dialog.created.number
            self.reload()
