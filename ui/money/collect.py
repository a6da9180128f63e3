"""Collect on the job card: the bill, the payment split across methods, who takes the device.

The dialog shows the bill as the core priced it (lines, VAT per rate, the deposit, what is
due and what that is in cash); the clerk types what the customer hands over in cash, by card
and by transfer, and sees the change (or what is still missing) as the core's own rule
works it out. "Collect" writes through the one operation path; then the document opens in
the print preview on this workstation's receipt printer.
"""

from __future__ import annotations

from collections.abc import Callable

from repairshop.domain.money import amount_text, from_minor, read_amount, to_minor
from repairshop.domain.payments import PaymentMethod, Tender, settle
from repairshop.domain.vat import RoundingRules
from repairshop.errors import RepairShopError
from repairshop.i18n import _, format_money, pgettext
from repairshop.services.money.collection import (
    Bill,
    Collected,
    CollectRequest,
    PaymentInput,
    bill,
    collect,
)
from repairshop.services.money.payments import default_desk
from repairshop.services.shop.tax import tax_settings
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.evidence.dialogs import SignatureDialog
from ui.money.models import LINE_FIGURES, LINE_WIDTHS, line_model, rate_text
from ui.operations import ReadOp, WriteOp
from ui.printing import (
    Printout,
    PrintPreviewDialog,
    load_print_settings,
    preview_when_made,
    receipt_printout,
)
from ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.tables import make_table


def bill_totals(bill: Bill) -> str:
    """VAT per rate, the total, the deposit and what is due, on one or two lines."""
    money = bill.currency
    parts = [
        _("VAT {rate}: {amount}").format(
            rate=rate_text(rate.vat_rate), amount=format_money(rate.vat, money)
        )
        for rate in bill.lines.vat_by_rate
    ]
    parts.append(_("Total: {total}").format(total=format_money(bill.gross, money)))
    if bill.deposit:
        parts.append(_("Deposit paid: {amount}").format(amount=format_money(bill.deposit, money)))
    return " · ".join(parts)


def due_text(bill: Bill) -> str:
    if bill.due < 0:
        return _("The shop pays back {amount} in cash.").format(
            amount=format_money(-bill.cash_due, bill.currency)
        )
    text = _("To pay: {amount}").format(amount=format_money(bill.due, bill.currency))
    if bill.cash_due != bill.due:
        text += " · " + _("in cash {amount}").format(
            amount=format_money(bill.cash_due, bill.currency)
        )
    return text


class CollectDialog(QDialog):
    """The bill of a ready job and its payment; "Collect" issues the document."""

    def __init__(
        self,
        context: AppContext,
        bill: Bill,
        rules: RoundingRules,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.bill = bill
        self.rules = rules
        self.collected: Collected | None = None
        self.preview: PrintPreviewDialog | None = None
        self.setWindowTitle(_("Collect {code}").format(code=bill.code))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{_escape(bill.customer)}</b> · {bill.code}", self))
        self.model = line_model(self)
        self.model.currency = bill.currency
        self.model.set_rows(bill.lines.lines)
        self.table = make_table(self, self.model, LINE_WIDTHS, keep=LINE_FIGURES)
        self.table.setAccessibleName(_("Lines"))
        self.table.setMinimumHeight(4 * self.table.verticalHeader().defaultSectionSize())
        if bill.lines.lines:
            layout.addWidget(self.table, 1)
        else:
            self.table.hide()
        reason = bill.free_reason.label if bill.free_reason is not None else ""
        self.reason = QLabel(reason, self)
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        layout.addWidget(self.reason)
        self.totals = QLabel(bill_totals(bill), self)
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        self.due = QLabel(f"<b>{_escape(due_text(bill))}</b>", self)
        layout.addWidget(self.due)
        self.keep_deposit = QCheckBox(_("&Keep the deposit as the diagnosis fee"), self)
        self.keep_deposit.setVisible(bill.deposit_keepable)
        self.keep_deposit.toggled.connect(self._keep_toggled)
        layout.addWidget(self.keep_deposit)

        payment = QGroupBox(_("Payment"), self)
        form = QFormLayout(payment)
        self.amounts: dict[PaymentMethod, QLineEdit] = {}
        for method in PaymentMethod:
            edit = QLineEdit(payment)
            edit.setPlaceholderText(bill.currency)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.amounts[method] = edit
            form.addRow(method.label + ":", edit)
        if bill.due > 0:
            self.amounts[PaymentMethod.CASH].setText(amount_text(bill.cash_due, bill.currency))
        self.change = QLabel(payment)
        form.addRow(self.change)
        layout.addWidget(payment)
        payment.setVisible(bill.due > 0)

        who = QGroupBox(_("Collected by"), self)
        who_form = QFormLayout(who)
        self.collected_by = QLineEdit(who)
        self.collected_by.setPlaceholderText(_("the customer"))
        self.id_note = QLineEdit(who)
        self.id_note.setPlaceholderText(_("ID card or passport number"))
        who_form.addRow(pgettext("person", "&Name:"), self.collected_by)
        who_form.addRow(_("&ID shown:"), self.id_note)
        self.signature: tuple[tuple[tuple[float, float], ...], ...] = ()
        self.signature_aspect = 3.0
        self.signer = ""
        self.sign_button = QPushButton(_("Customer &signs…"), who)
        self.sign_button.setToolTip(
            _("The customer signs on the screen; the signature is printed on the document")
        )
        self.sign_button.clicked.connect(self.open_signature)
        self.sign_state = QLabel(who)
        signing = QHBoxLayout()
        signing.addWidget(self.sign_button)
        signing.addWidget(self.sign_state, 1)
        who_form.addRow(signing)
        self._show_signed()
        layout.addWidget(who)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.collect_button = buttons.addButton(
            _("Co&llect and print"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.rejected.connect(self.reject)
        self.collect_button.clicked.connect(self.collect_now)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        for edit in self.amounts.values():
            edit.textChanged.connect(self.update_change)
        self.update_change()
        self.resize(640, 560)

    def open_signature(self) -> None:
        """The customer (or whoever takes the device) signs on the screen, as at intake."""
        signer = self.collected_by.text().strip() or self.bill.customer
        dialog = SignatureDialog(signer, self, title=_("The customer's signature at collection"))
        if dialog.exec():
            self.signature = tuple(tuple(stroke) for stroke in dialog.pad.strokes)
            self.signature_aspect = dialog.pad.aspect
            self.signer = dialog.signer.text()
            self._show_signed()

    def _show_signed(self) -> None:
        self.sign_state.setText(
            _("signed by {name}").format(name=self.signer or self.bill.customer)
            if self.signature
            else _("not signed")
        )

    def _keep_toggled(self, keep: bool) -> None:
        text = (
            _("The deposit of {amount} is kept: nothing to pay.").format(
                amount=format_money(self.bill.deposit, self.bill.currency)
            )
            if keep
            else due_text(self.bill)
        )
        self.due.setText(f"<b>{_escape(text)}</b>")

    def payments(self) -> tuple[PaymentInput, ...]:
        found = []
        for method, edit in self.amounts.items():
            amount = read_amount(edit.text(), method.value, currency=self.bill.currency)
            if amount:
                found.append(PaymentInput(method, amount))
        return tuple(found)

    def update_change(self) -> None:
        """The change to give, or why the payment is not enough (the core's own rule)."""
        bill = self.bill
        try:
            tenders = [
                Tender(payment.method, to_minor(payment.amount, bill.currency))
                for payment in self.payments()
            ]
            paid = settle(to_minor(bill.due, bill.currency), tenders, self.rules, bill.currency)
        except RepairShopError as error:
            self.change.setText(f"<span style='color:#b3261e'>{_escape(error.message)}</span>")
            self.collect_button.setEnabled(bill.due <= 0)
            return
        change = from_minor(paid.change_minor, bill.currency)
        text = _escape(_("Change: {amount}").format(amount=format_money(change, bill.currency)))
        self.change.setText(f"<b>{text}</b>" if change else text)
        self.collect_button.setEnabled(True)

    def collect_now(self) -> None:
        try:
            request = CollectRequest(
                payments=self.payments() if self.bill.due > 0 else (),
                collected_by=self.collected_by.text(),
                id_note=self.id_note.text(),
                desk=default_desk(),
                expected_version=self.bill.version,
                keep_deposit=self.keep_deposit.isChecked(),
                signature=self.signature,
                signature_aspect=self.signature_aspect,
                signer=self.signer,
            )
        except RepairShopError as error:
            self.context.show_error(self, error)
            return
        code, user = self.bill.code, self.context.user
        settings = load_print_settings(self.context.state)

        def work(uow: UnitOfWork) -> tuple[Collected, Printout]:
            from repairshop.printing.documents import invoice_document, invoice_to_print

            done = collect(uow, code, request, user)
            printing = invoice_to_print(uow, done.number, user)
            label = printing.invoice.kind.label
            pdf = invoice_document(printing, settings)
            return done, receipt_printout(settings, label, f"{label} {done.number}", pdf)

        WriteOp(self.context, self, work, lambda result: result[0].changes).success(self._done).run(
            initiator=self.parent()
        )

    def _done(self, result: tuple[Collected, Printout]) -> None:
        self.collected, printout = result
        self.accept()
        self.preview = PrintPreviewDialog(
            self.context, self.collected.number, [printout], parent=self.parentWidget()
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.show()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_collect(
    context: AppContext, code: str, parent: QWidget, opened: Callable[[CollectDialog], object]
) -> None:
    """Read the bill afresh (another desk may have added a line), then show it."""

    def read(uow: UnitOfWork) -> tuple[Bill, RoundingRules]:
        found = bill(uow, code)
        return found, tax_settings(uow).rules(found.currency)

    def show(result: tuple[Bill, RoundingRules]) -> None:
        dialog = CollectDialog(context, result[0], result[1], parent)
        opened(dialog)

    ReadOp(context, parent, read, show).run()


def print_document(
    context: AppContext,
    number: str,
    parent: QWidget,
    opened: Callable[[PrintPreviewDialog], object] = lambda _dialog: None,
) -> None:
    """The document's print preview on this workstation's receipt printer."""
    settings = load_print_settings(context.state)
    user = context.user

    def make(uow: UnitOfWork) -> Printout:
        from repairshop.printing.documents import invoice_document, invoice_to_print

        printing = invoice_to_print(uow, number, user)
        label = printing.invoice.kind.label
        return receipt_printout(
            settings, label, f"{label} {number}", invoice_document(printing, settings)
        )

    preview_when_made(context, number, parent, make, opened)


def print_quote(
    context: AppContext,
    code: str,
    parent: QWidget,
    opened: Callable[[PrintPreviewDialog], object] = lambda _dialog: None,
) -> None:
    """The job's quote (its lines, VAT, the total) in the customer's language, previewed."""
    settings = load_print_settings(context.state)
    user = context.user

    def make(uow: UnitOfWork) -> Printout:
        from repairshop.printing.documents import quote_document, quote_to_print

        printing = quote_to_print(uow, code, user)
        title = _("Quote {code}").format(code=code)
        return receipt_printout(settings, _("Quote"), title, quote_document(printing, settings))

    preview_when_made(context, code, parent, make, opened)
