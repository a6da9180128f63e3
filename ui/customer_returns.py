"""Goods customers bring back (the Returns tab's "From customers" part): the list, the chosen
take-back's history, a button for each move the core still allows, and the take-back dialog.
Every rule (which move, what it does to stock and money) is in the core."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from repairshop.domain.customer_returns import RefundDecision, ReturnState
from repairshop.domain.money import read_amount
from repairshop.domain.roles import Permission
from repairshop.i18n import N_, _, format_moment
from repairshop.services.aftersales.customer_returns import (
    ReturnEventView,
    ReturnView,
    exchange_return,
    list_returns,
    move_return,
    open_return,
    refund_return,
    refuse_return,
    return_details,
)
from repairshop.services.changes import Changes
from repairshop.services.parts.purchasing import list_suppliers
from repairshop.services.shop.settings import get_settings
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.forms import labelled, ok_cancel
from ui.moves_panel import MovesPanel
from ui.operations import ReadOp, WriteOp
from ui.qt import QComboBox, QDialog, QFormLayout, QLineEdit, QPushButton, QWidget
from ui.roles import mark, who_may
from ui.scan_input import read_scans

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
            form.addRow(labelled(text, widget, self), widget)
        form.addRow(ok_cancel(self, _("Take back"), self.take_back))

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


class CustomerReturnsPanel(MovesPanel[ReturnView, ReturnEventView]):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context,
            parent,
            new_title=_("&Take back…"),
            filters=[(_("Open (not yet settled)"), OPEN_FILTER), (_("All"), "")],
            columns=RETURN_COLUMNS,
            widths=RETURN_WIDTHS,
            name=_("Returns from customers"),
            history_columns=HISTORY_COLUMNS,
            history_widths=HISTORY_WIDTHS,
            history_name=_("Return history"),
        )
        self.note = QLineEdit(self.detail)
        self.note.setPlaceholderText(_("why a refund is refused, the serial handed over"))
        self.amount = QLineEdit(self.detail)
        self.amount.setPlaceholderText(_("the part's price"))
        self.supplier = QComboBox(self.detail)
        self.supplier.addItem(_("the part's own"), "")
        self.add_fields(
            [
                (_("N&ote:"), self.note, 3),
                (_("A&mount:"), self.amount, 1),
                (_("Suppl&ier:"), self.supplier, 1),
            ]
        )
        self.cleared = [self.note, self.amount]
        items: list[tuple[str, Callable[[], None]]] = [
            (_(title), partial(self.move_item, state)) for state, title in ITEM_BUTTONS
        ]
        money: list[tuple[str, Callable[[], None]]] = [
            (_(title), partial(self.decide, decision)) for decision, title in MONEY_BUTTONS
        ]
        buttons = iter(self.add_moves([items, money]))
        self.item_buttons: dict[ReturnState, QPushButton] = {
            state: next(buttons) for state, _title in ITEM_BUTTONS
        }
        self.money_buttons: dict[RefundDecision, QPushButton] = {
            decision: next(buttons) for decision, _title in MONEY_BUTTONS
        }
        for key, permission in NEEDS.items():
            mark(self._button(key), permission)
        context.role_changed.connect(self._show_role)  # bound: dropped with the panel
        self._show(None)

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self._loaded:
            ReadOp(self.context, self, list_suppliers).success(self._suppliers).run()
        super().showEvent(event)

    def _suppliers(self, names: list[str]) -> None:
        for name in names:
            self.supplier.addItem(name, name)

    def query(self, chosen: str) -> Callable[[UnitOfWork], list[ReturnView]]:
        open_only = chosen == OPEN_FILTER
        return lambda uow: list_returns(uow, open_only=open_only)

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

    def show_moves(self, row: ReturnView | None) -> None:
        moves = set(row.moves) if row else set()
        decisions = set(row.decisions) if row else set()
        for state, button in self.item_buttons.items():
            button.setVisible(state in moves)
        for decision, button in self.money_buttons.items():
            button.setVisible(decision in decisions)
        self._show_role()
        self.note.setEnabled(bool(moves or decisions))
        self.amount.setEnabled(RefundDecision.REFUNDED in decisions)
        self.supplier.setEnabled(ReturnState.TO_SUPPLIER in moves)

    def nothing_chosen(self) -> str:
        return _("Choose a return to see its history and what can be done next.")

    def describe(self, row: ReturnView) -> tuple[str, list[str]]:
        money = row.decision.label if row.decision else _("not decided")
        return f"{row.number} — {row.state.label} · {money}", return_details(row)

    def move_item(self, target: ReturnState) -> None:
        item = self.current()
        if item is None:
            return
        note, user = self.note.text(), self.context.user
        supplier = str(self.supplier.currentData() or "") or None
        self.write(
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

        self.write(act)

    def new_dialog(self) -> tuple[QDialog, Callable[[], ReturnView | None]]:
        dialog = TakeBackDialog(self.context, self)
        return dialog, lambda: dialog.created
