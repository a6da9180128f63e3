"""Receiving stock and correcting it: small dialogs that call one service each."""

from __future__ import annotations

from repairshop.domain.money import parse_amount
from repairshop.errors import RepairShopError
from repairshop.i18n import _
from repairshop.services.job_parts import receive_part
from repairshop.services.stock import MAX_QUANTITY, PartView, StockChanged, adjust
from ui.context import AppContext
from ui.parts.writes import attempt
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)


class ReceiveDialog(QDialog):
    """Stock in for one part: quantity, unit cost, and serials for serialised parts."""

    def __init__(self, context: AppContext, part: PartView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.part = part
        self.result_: StockChanged | None = None
        self.setWindowTitle(_("Receive {sku}").format(sku=part.sku))
        form = QFormLayout(self)
        form.addRow(_("Part:"), QLabel(f"{part.sku} — {part.name}", self))
        self.quantity = QSpinBox(self)
        self.quantity.setRange(1, MAX_QUANTITY)
        form.addRow(_("&Quantity:"), self.quantity)
        self.cost = QLineEdit(self)
        self.cost.setPlaceholderText(_("unit cost in {currency}").format(currency=part.currency))
        form.addRow(_("Unit &cost:"), self.cost)
        self.serials = QPlainTextEdit(self)
        self.serials.setPlaceholderText(_("one serial per line (scan them)"))
        self.serials.setTabChangesFocus(True)
        self.serials.setVisible(part.serialised)
        if part.serialised:
            form.addRow(_("&Serials:"), self.serials)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(_("delivery note, invoice…"))
        form.addRow(_("&Reference:"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Receive"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.receive)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def receive(self) -> None:
        try:
            cost = parse_amount(self.cost.text(), "cost")
        except RepairShopError as error:
            self.context.show_error(self, error)
            return
        serials = [line for line in self.serials.toPlainText().splitlines() if line.strip()]
        quantity = len(serials) if self.part.serialised and serials else self.quantity.value()
        self.result_ = attempt(
            self.context,
            self,
            lambda uow: receive_part(
                uow,
                self.part.sku,
                quantity,
                self.context.user,
                cost=cost,
                serials=serials,
                reason=self.reason.text(),
            ),
            lambda changed: changed.changes,
        )
        if self.result_ is not None:
            self.accept()


class AdjustDialog(QDialog):
    """A correction of on hand, with the reason every correction needs."""

    def __init__(self, context: AppContext, part: PartView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.part = part
        self.setWindowTitle(_("Correct stock of {sku}").format(sku=part.sku))
        form = QFormLayout(self)
        form.addRow(
            _("On hand now:"),
            QLabel(
                _("{on_hand} ({reserved} reserved)").format(
                    on_hand=part.on_hand, reserved=part.reserved
                ),
                self,
            ),
        )
        self.delta = QSpinBox(self)
        self.delta.setRange(-MAX_QUANTITY, MAX_QUANTITY)
        self.delta.setPrefix("±")
        form.addRow(_("&Change by:"), self.delta)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(_("damaged, found, miscounted…"))
        form.addRow(_("&Why:"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Correct"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.correct)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def correct(self) -> None:
        done = attempt(
            self.context,
            self,
            lambda uow: adjust(
                uow, self.part.sku, self.delta.value(), self.reason.text(), self.context.user
            ),
            lambda changed: changed.changes,
        )
        if done is not None:
            self.accept()
