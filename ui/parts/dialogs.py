"""Catalogue entries, receiving and correcting stock: small dialogs, one service each."""

from __future__ import annotations

from repairshop.domain.money import amount_text, read_amount
from repairshop.domain.roles import Permission, role_names
from repairshop.errors import RepairShopError
from repairshop.i18n import _, format_money
from repairshop.services.parts.job_parts import receive_part
from repairshop.services.parts.stock import (
    MAX_QUANTITY,
    PartInput,
    PartView,
    StockChanged,
    add_part,
    adjust,
    update_part,
)
from ui.context import AppContext
from ui.operations import WriteOp
from ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from ui.roles import who_may
from ui.scan_input import read_scans


def scanned_lines(box: QPlainTextEdit) -> list[str]:
    """What was scanned or typed into ``box``, one serial a line, blank lines left out."""
    return [line.strip() for line in box.toPlainText().splitlines() if line.strip()]


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
        cost_rule = QLabel(
            _(
                "With a unit cost, the catalogue cost ({cost} now) becomes the average of the "
                "stock on hand and this delivery."
            ).format(cost=format_money(part.cost, part.currency)),
            self,
        )
        cost_rule.setWordWrap(True)
        form.addRow(cost_rule)
        self.serials = QPlainTextEdit(self)
        self.serials.setPlaceholderText(_("one serial per line (scan them)"))
        self.serials.setTabChangesFocus(True)
        read_scans(self.serials)
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
            cost = read_amount(self.cost.text(), "cost", currency=self.part.currency)
        except RepairShopError as error:
            self.context.show_error(self, error)
            return
        serials = scanned_lines(self.serials)
        quantity = len(serials) if self.part.serialised and serials else self.quantity.value()
        sku, user, reason = self.part.sku, self.context.user, self.reason.text()
        WriteOp(
            self.context,
            self,
            lambda uow: receive_part(
                uow, sku, quantity, user, cost=cost, serials=serials, reason=reason
            ),
            lambda changed: changed.changes,
        ).success(self._done).run(initiator=self.parent())

    def _done(self, result: StockChanged) -> None:
        self.result_ = result
        self.accept()


class AdjustDialog(QDialog):
    """A correction of on hand, with the reason every correction needs."""

    def __init__(self, context: AppContext, part: PartView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.part = part
        self.setWindowTitle(_("Correct stock of {sku}").format(sku=part.sku))
        self.setMinimumWidth(400)  # the reason's hint and the note on write-offs whole
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
        form.addRow(_("&Change by:"), self.delta)
        if context.may(Permission.WRITE_OFF_STOCK):
            self.delta.setRange(-MAX_QUANTITY, MAX_QUANTITY)
            self.delta.setPrefix("±")
        else:  # the core refuses them a write-off: only units found are offered
            self.delta.setRange(1, MAX_QUANTITY)
            self.delta.setPrefix("+")
            note = QLabel(
                _("Here you can add units found; writing stock off is for: {roles}.").format(
                    roles=role_names(Permission.WRITE_OFF_STOCK)
                ),
                self,
            )
            note.setObjectName("write_off_note")
            note.setWordWrap(True)
            form.addRow(note)
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
        sku, delta, reason, user = (
            self.part.sku,
            self.delta.value(),
            self.reason.text(),
            self.context.user,
        )
        WriteOp(
            self.context,
            self,
            lambda uow: adjust(uow, sku, delta, reason, user),
            lambda changed: changed.changes,
        ).success(self._done).run(initiator=self.parent())

    def _done(self, _result: StockChanged) -> None:
        self.accept()


class PartDialog(QDialog):
    """A catalogue entry: a new part, or the description, prices and reorder rules of one."""

    def __init__(
        self, context: AppContext, part: PartView | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.part = part
        self.result_: StockChanged | None = None
        self.setWindowTitle(_("New part") if part is None else _("Edit {sku}").format(sku=part.sku))
        form = QFormLayout(self)
        self.sku = QLineEdit(part.sku if part else "", self)
        self.sku.setReadOnly(part is not None)
        self.name = QLineEdit(part.name if part else "", self)
        self.category = QLineEdit(part.category if part else "", self)
        self.compatible = QLineEdit(part.compatible if part else "", self)
        self.compatible.setPlaceholderText(_("Brand Model; Brand Model…"))
        self.location = QLineEdit(part.location if part else "", self)
        self.location.setPlaceholderText(_("bin or shelf, e.g. A-03"))
        currency = self.currency = part.currency if part else ""
        self.price = QLineEdit(amount_text(part.price, currency) if part else "", self)
        self.price.setPlaceholderText(currency)
        self.cost = QLineEdit(amount_text(part.cost, currency) if part else "", self)
        self.cost.setPlaceholderText(currency)
        self.reorder_level = QSpinBox(self)
        self.reorder_level.setRange(0, MAX_QUANTITY)
        self.reorder_level.setValue(part.reorder_level if part else 0)
        self.reorder_quantity = QSpinBox(self)
        self.reorder_quantity.setRange(0, MAX_QUANTITY)
        self.reorder_quantity.setValue(part.reorder_quantity if part else 0)
        self.serialised = QCheckBox(_("Each unit has its own serial number"), self)
        self.serialised.setChecked(part.serialised if part else False)
        self.serialised.setEnabled(part is None)
        first = part.suppliers[0] if part and part.suppliers else None
        self.supplier = QLineEdit(first.supplier if first else "", self)
        self.supplier_sku = QLineEdit(first.supplier_sku if first else "", self)
        for scanned in (self.sku, self.supplier_sku):
            read_scans(scanned)
        form.addRow(_("&SKU:"), self.sku)
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("Ca&tegory:"), self.category)
        form.addRow(_("Compatible &with:"), self.compatible)
        form.addRow(_("&Location:"), self.location)
        form.addRow(_("&Price:"), self.price)
        form.addRow(_("&Cost:"), self.cost)
        if part is not None and not context.may(Permission.EDIT_PRICES):
            # the core refuses them a price change; a new part's first prices are anyone's
            for field in (self.price, self.cost):
                field.setEnabled(False)
                field.setToolTip(who_may(Permission.EDIT_PRICES))
            note = QLabel(
                _("Prices are changed by: {roles}.").format(
                    roles=role_names(Permission.EDIT_PRICES)
                ),
                self,
            )
            note.setObjectName("prices_note")
            note.setWordWrap(True)
            form.addRow(note)
        form.addRow(_("&Reorder at:"), self.reorder_level)
        form.addRow(_("Order &quantity:"), self.reorder_quantity)
        form.addRow("", self.serialised)
        form.addRow(_("Suppli&er:"), self.supplier)
        form.addRow(_("Supplier's S&KU:"), self.supplier_sku)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def data(self) -> PartInput:
        return PartInput(
            sku=self.sku.text(),
            name=self.name.text(),
            category=self.category.text(),
            compatible=self.compatible.text(),
            location=self.location.text(),
            price=read_amount(self.price.text(), "price", currency=self.currency),
            cost=read_amount(self.cost.text(), "cost", currency=self.currency),
            reorder_level=self.reorder_level.value(),
            reorder_quantity=self.reorder_quantity.value(),
            serialised=self.serialised.isChecked(),
            supplier=self.supplier.text(),
            supplier_sku=self.supplier_sku.text(),
        )

    def save(self) -> None:
        try:
            data = self.data()
        except RepairShopError as error:
            self.context.show_error(self, error)
            return
        user = self.context.user
        write = add_part if self.part is None else update_part
        WriteOp(
            self.context, self, lambda uow: write(uow, data, user), lambda changed: changed.changes
        ).success(self._done).run(initiator=self.parent())

    def _done(self, result: StockChanged) -> None:
        self.result_ = result
        self.accept()
