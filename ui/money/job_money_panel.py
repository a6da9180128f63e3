"""The job card's Money panel: the job's lines, VAT per rate, the total, and the approval.

"Add line…" puts a service of the price list (those for the job's device) or a text line
on the job; "Record approval…" records the customer's approval of an amount; "Collect…"
(a ready job) shows the bill and takes the payment, and "Print invoice…" prints the job's
document again. They write through the one operation path; a refusal shows in the one
error place.
"""

from __future__ import annotations

from collections.abc import Callable

from repairshop.domain.approval import ApprovalState, approval_method_label
from repairshop.domain.roles import Permission
from repairshop.i18n import _, format_moment, format_money
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.money.job_money import JobMoney, job_money
from ui.context import AppContext
from ui.money.collect import open_collect, print_document, print_quote
from ui.money.dialogs import AddLineDialog, ApprovalDialog
from ui.money.models import LINE_FIGURES, LINE_WIDTHS, line_model, rate_text
from ui.operations import ReadOp
from ui.qt import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.roles import mark, who_may
from ui.tables import make_table

STATE_COLOURS: dict[ApprovalState, str] = {
    ApprovalState.MISSING: "#8a5300",
    ApprovalState.EXCEEDED: "#b3261e",
}
"""Amber: a price nobody approved yet; red: a price above the approval."""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def approval_text(money: JobMoney) -> str:
    """ "approved X · now Y", or what is missing; one short line."""
    currency = money.currency
    now = format_money(money.price, currency) if money.price is not None else "—"
    state = money.state
    if state is ApprovalState.NOT_NEEDED:
        return _("Nothing to approve: the customer does not pay.")
    if state is ApprovalState.NO_PRICE:
        return _("No price yet: add a line or an estimate.")
    if money.approved is None:
        return _("Not approved yet · now {price}").format(price=now)
    approved = format_money(money.approved, currency)
    if money.approval is None:
        text = _("Pre-approved {amount} at intake · now {price}")
    else:
        text = _("Approved {amount} · now {price}")
    text = text.format(amount=approved, price=now)
    if state is ApprovalState.EXCEEDED:
        text += " — " + _("above the approval")
    return text


def approval_details(money: JobMoney) -> str:
    """How, when and by whom the last approval was taken (the label's tooltip)."""
    approval = money.approval
    if approval is None:
        return ""
    return _("{how}, {moment}, taken by {name}").format(
        how=approval_method_label(approval.method),
        moment=format_moment(approval.at),
        name=approval.user_name,
    )


def totals_text(money: JobMoney) -> str:
    """VAT per rate and the total; with no lines yet, that the estimate stands for the price."""
    lines = money.lines
    if not lines.lines:
        return _("No lines yet: the estimate stands for the price.")
    parts = [
        _("VAT {rate}: {amount}").format(
            rate=rate_text(rate.vat_rate), amount=format_money(rate.vat, lines.currency)
        )
        for rate in lines.vat_by_rate
        if rate.vat
    ]
    parts.append(_("Total: {total}").format(total=format_money(lines.total, lines.currency)))
    return " · ".join(parts)


class JobMoneyPanel(QWidget):
    """The money of one job, by ticket code; follows every change to jobs, parts and services."""

    dialog_closed = Signal(bool)
    """A dialog it opened closed (True: it was accepted, so the job may have a new next step)."""

    def __init__(self, context: AppContext, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.code = code
        self.money: JobMoney | None = None
        self.dialog: QDialog | None = None
        """The Add line or Record approval dialog last opened (tests drive it)."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model = line_model(self)
        self.table = make_table(self, self.model, LINE_WIDTHS, keep=LINE_FIGURES)
        self.table.setAccessibleName(_("Lines"))
        self.table.setMinimumHeight(3 * self.table.verticalHeader().defaultSectionSize())
        layout.addWidget(self.table, 1)
        # Both lines wrap: a long one ("Pre-approved … at intake · now … — above the
        # approval", in Russian 690 px) must never make the card wider than the screen.
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        self.approval = QLabel(self)
        self.approval.setWordWrap(True)
        layout.addWidget(self.approval)
        bar = QHBoxLayout()
        self.add_button = QPushButton(_("Add li&ne…"), self)
        self.add_button.setToolTip(_("A service from the price list, or a text line with a price"))
        self.add_button.clicked.connect(self.add_line)
        mark(self.add_button, Permission.CHANGE_APPROVED_PRICE)  # once the customer approved
        self.approve_button = QPushButton(_("Record appro&val…"), self)
        self.approve_button.setToolTip(_("The amount the customer agreed to, and how"))
        self.approve_button.clicked.connect(self.record_approval)
        self.quote_button = QPushButton(_("&Quote…"), self)
        self.quote_button.setToolTip(_("The quote for the customer to approve, to print or send"))
        self.quote_button.clicked.connect(self.print_quote)
        self.collect_button = QPushButton(_("Coll&ect…"), self)
        self.collect_button.setToolTip(_("The bill, the payment, and the invoice to print"))
        self.collect_button.clicked.connect(self.collect)
        self.print_button = QPushButton(_("Print invoi&ce…"), self)
        self.print_button.setToolTip(_("The job's invoice or handover document"))
        self.print_button.clicked.connect(self.print_document)
        bar.addWidget(self.add_button)
        bar.addWidget(self.approve_button)
        bar.addWidget(self.quote_button)
        bar.addWidget(self.collect_button)
        bar.addWidget(self.print_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        for button in (
            self.add_button,
            self.approve_button,
            self.quote_button,
            self.collect_button,
            self.print_button,
        ):
            button.setEnabled(False)
        context.changed.connect(self._on_changed)
        context.role_changed.connect(self._role_changed)  # bound: dropped with the panel
        self.reload()

    def reload(self) -> None:
        code = self.code
        ReadOp(self.context, self, lambda uow: job_money(uow, code), self._show).run()

    def _show(self, money: JobMoney) -> None:
        self.money = money
        self.model.currency = money.currency
        self.model.set_rows(money.lines.lines)
        self.totals.setText(totals_text(money))
        text = _escape(approval_text(money))
        colour = STATE_COLOURS.get(money.state)
        self.approval.setText(f"<b style='color:{colour}'>{text}</b>" if colour else text)
        self.approval.setToolTip(approval_details(money))
        self._show_add(money)
        self.approve_button.setEnabled(
            not money.closed and money.state is not ApprovalState.NOT_NEEDED
        )
        self.quote_button.setEnabled(not money.closed)
        self.collect_button.setEnabled(money.ready)
        self.collect_button.setVisible(not money.documents)
        self.print_button.setEnabled(bool(money.documents))
        self.print_button.setVisible(bool(money.documents))

    def _show_add(self, money: JobMoney) -> None:
        """Lines may be added until collection; once the customer approved a price, only by
        a role that may change an approved price (the core refuses the others)."""
        locked = money.approval is not None and not self.context.may(
            Permission.CHANGE_APPROVED_PRICE
        )
        self.add_button.setEnabled(not money.closed and not locked)
        self.add_button.setToolTip(
            _("The customer approved the price. {who}").format(
                who=who_may(Permission.CHANGE_APPROVED_PRICE)
            )
            if locked
            else _("A service from the price list, or a text line with a price")
        )

    def _role_changed(self, _role: str) -> None:
        if self.money is not None:
            self._show_add(self.money)

    def _on_changed(self, changes: Changes) -> None:
        money = self.money
        if (
            changes.touches(ChangeKind.PART)
            or changes.touches(ChangeKind.PRICE_LIST)
            or (money is not None and money.job_id in changes.job_ids)
            or (money is None and changes.touches(ChangeKind.JOB))
        ):
            self.reload()

    def add_line(self) -> None:
        """Read the job's money afresh (the price list may have changed), then ask."""
        self._read_then(lambda money: AddLineDialog(self.context, self.code, money, self))

    def record_approval(self) -> None:
        """Read the price now (another desk may have added a part), then ask."""
        self._read_then(lambda money: ApprovalDialog(self.context, self.code, money, self))

    def collect(self) -> None:
        """Read the bill afresh, then show it with the payment."""
        open_collect(self.context, self.code, self, self._open)

    def print_quote(self) -> None:
        """The quote as the bill prices it now, in the customer's language."""
        print_quote(self.context, self.code, self, self._open)

    def print_document(self) -> None:
        """The newest document of the job (the invoice, or the credit note that followed it)."""
        if self.money is not None and self.money.documents:
            print_document(self.context, self.money.documents[-1], self, self._open)

    def _read_then(self, make: Callable[[JobMoney], QDialog]) -> None:
        code = self.code

        def show(money: JobMoney) -> None:
            self._show(money)
            self._open(make(money))

        ReadOp(self.context, self, lambda uow: job_money(uow, code), show).run()

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        if not dialog.isVisible():
            dialog.finished.connect(self._closed)
            dialog.open()

    def _closed(self, result: int) -> None:
        self.window().activateWindow()  # the keyboard goes back to the card
        self.dialog_closed.emit(result == QDialog.DialogCode.Accepted)


def beside_parts(context: AppContext, code: str, parts: QWidget) -> QHBoxLayout:
    """The card's bottom row: its Parts box, and the Money panel in a box beside it."""
    row = QHBoxLayout()
    row.addWidget(parts, 4)  # the parts table needs its translated headings whole
    box = QGroupBox(_("Money"), parts.parentWidget())
    QVBoxLayout(box).addWidget(JobMoneyPanel(context, code, box))
    row.addWidget(box, 2)
    return row
