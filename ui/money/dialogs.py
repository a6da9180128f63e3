"""Small dialogs of the money room: a line on a job, the customer's approval, a service."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.devices import DeviceType
from repairshop.domain.money import amount_text, read_amount
from repairshop.domain.vat import parse_vat_rate
from repairshop.errors import RepairShopError, ValidationError
from repairshop.i18n import _, format_money, format_number
from repairshop.services.changes import Changes
from repairshop.services.jobs.workflow import JobChanged
from repairshop.services.money.approval import approve
from repairshop.services.money.job_money import JobMoney
from repairshop.services.money.lines import LineRequest, add_line
from repairshop.services.money.price_list import (
    ServiceInput,
    ServiceView,
    add_service,
    service_changes,
    update_service,
)
from repairshop.services.parts.stock import MAX_QUANTITY
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.forms import ok_cancel
from ui.money.models import rate_text
from ui.operations import WriteOp
from ui.qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

T = TypeVar("T")
R = TypeVar("R")


def _changed(result: JobChanged) -> Changes:
    return result.changes


def _vat_rate(text: str) -> Decimal | None:
    return parse_vat_rate(text) if text.strip() else None


class _WriteDialog(QDialog):
    """A money dialog: its form read (a refusal shown at once, nothing written), then one write
    through the operation path; the dialog closes when the write is done."""

    def __init__(self, context: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(title)
        self.form = QFormLayout(self)

    def finish_form(self, accept_text: str, accepted: Callable[[], None]) -> None:
        buttons = ok_cancel(self, accept_text)
        buttons.accepted.connect(accepted)
        self.form.addRow(buttons)

    def write(
        self,
        read: Callable[[], T],
        work: Callable[[T, str], Callable[[UnitOfWork], R]],
        changes: Callable[[R], Changes],
        done: Callable[[R], object] | None = None,
    ) -> None:
        try:
            value = read()
        except RepairShopError as error:
            self.context.show_error(self, error)
            return
        WriteOp(self.context, self, work(value, self.context.user), changes).success(
            done or (lambda _result: self.accept())
        ).run(initiator=self.parent())


class AddLineDialog(_WriteDialog):
    """A service from the price list (those for the job's device), or a text line with its price."""

    def __init__(
        self, context: AppContext, code: str, money: JobMoney, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, _("Add a line to {code}").format(code=code), parent)
        self.code = code
        form = self.form
        self.service = QComboBox(self)
        self.service.addItem(_("A text line (type it below)"), None)
        for service in money.services:
            price = format_money(service.price, service.currency)
            self.service.addItem(f"{service.name} — {price}", service.code)
        self.text = QLineEdit(self)
        self.price = QLineEdit(self)
        self.price.setPlaceholderText(money.currency)
        self.currency = money.currency
        self.quantity = QSpinBox(self)
        self.quantity.setRange(1, MAX_QUANTITY)
        self.vat = QLineEdit(self)
        self.vat.setPlaceholderText(_("the service's or the shop's rate"))
        form.addRow(_("&Service:"), self.service)
        form.addRow(_("&Text:"), self.text)
        form.addRow(_("&Price:"), self.price)
        form.addRow(_("&Quantity:"), self.quantity)
        form.addRow(_("&VAT rate (%):"), self.vat)
        self.finish_form(_("Add line"), self.add)
        self.service.currentIndexChanged.connect(lambda _index: self._kind_changed())
        if money.services:
            self.service.setCurrentIndex(1)
        self._kind_changed()

    def _kind_changed(self) -> None:
        text_line = self.service.currentData() is None
        self.text.setEnabled(text_line)
        self.price.setEnabled(text_line)

    def request(self) -> LineRequest:
        rate = _vat_rate(self.vat.text())
        service = self.service.currentData()
        if service is not None:
            return LineRequest(service=service, quantity=self.quantity.value(), vat_rate=rate)
        return LineRequest(
            text=self.text.text(),
            price=read_amount(self.price.text(), "price", currency=self.currency),
            quantity=self.quantity.value(),
            vat_rate=rate,
        )

    def add(self) -> None:
        code = self.code
        self.write(
            self.request,
            lambda request, user: lambda uow: add_line(uow, code, request, user),
            _changed,
        )


class ApprovalDialog(_WriteDialog):
    """The customer's approval of an amount: prefilled with the price now; how, and a note."""

    def __init__(
        self, context: AppContext, code: str, money: JobMoney, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, _("The customer's approval of {code}").format(code=code), parent)
        self.code = code
        form = self.form
        if money.price is not None:
            now = format_money(money.price, money.currency)
            form.addRow(_("Price now:"), QLabel(now, self))
        self.currency = money.currency
        self.amount = QLineEdit(amount_text(money.price, money.currency), self)
        self.amount.setPlaceholderText(money.currency)
        self.method = QComboBox(self)
        for method in ApprovalMethod:
            self.method.addItem(method.label, method.value)
        self.note = QLineEdit(self)
        hint = _("who agreed, on which number or address…")
        self.note.setPlaceholderText(hint)
        # The hint says what to write: shown whole, not cut to "kto zaakceptował…".
        self.note.setMinimumWidth(self.note.fontMetrics().horizontalAdvance(hint) + 24)
        form.addRow(_("&Amount approved:"), self.amount)
        form.addRow(_("&How:"), self.method)
        form.addRow(_("&Note:"), self.note)
        self.finish_form(_("Record approval"), self.record)

    def approved(self) -> Decimal:
        amount = read_amount(self.amount.text(), "amount", currency=self.currency)
        if amount is None:
            raise ValidationError(_("Give the amount the customer approved."), "amount")
        return amount

    def record(self) -> None:
        code, note = self.code, self.note.text()
        method = ApprovalMethod(self.method.currentData())
        self.write(
            self.approved,
            lambda amount, user: lambda uow: approve(uow, code, amount, method, user, note=note),
            _changed,
        )


class ServiceDialog(_WriteDialog):
    """A service of the price list: a new one, or the name, price, VAT and device of one."""

    def __init__(
        self, context: AppContext, service: ServiceView | None, parent: QWidget | None = None
    ) -> None:
        title = _("New service") if service is None else _("Edit {code}").format(code=service.code)
        super().__init__(context, title, parent)
        self.service = service
        self.result_: ServiceView | None = None
        form = self.form
        self.code = QLineEdit(service.code if service else "", self)
        self.code.setReadOnly(service is not None)
        self.name = QLineEdit(service.name if service else "", self)
        self.currency = service.currency if service else ""
        self.price = QLineEdit(
            amount_text(service.price, service.currency) if service else "", self
        )
        self.vat = QLineEdit(
            "" if service is None or service.vat_rate is None else format_number(service.vat_rate),
            self,
        )
        self.vat.setPlaceholderText(rate_text(None))
        self.device_type = QComboBox(self)
        self.device_type.addItem(_("Any device"), None)
        for device_type in DeviceType:
            self.device_type.addItem(device_type.label, device_type.value)
        if service is not None and service.device_type:
            self.device_type.setCurrentIndex(self.device_type.findData(service.device_type))
        self.brand = QLineEdit(service.brand or "" if service else "", self)
        self.brand.setPlaceholderText(_("any brand"))
        form.addRow(_("&Code:"), self.code)
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Price:"), self.price)
        form.addRow(_("&VAT rate (%):"), self.vat)
        form.addRow(_("&Device type:"), self.device_type)
        form.addRow(_("&Brand:"), self.brand)
        self.finish_form(_("Save"), self.save)

    def data(self) -> ServiceInput:
        price = read_amount(self.price.text(), "price", currency=self.currency)
        if price is None:
            raise ValidationError(_("A service needs a price."), "price")
        return ServiceInput(
            code=self.code.text(),
            name=self.name.text(),
            price=price,
            vat_rate=_vat_rate(self.vat.text()),
            device_type=self.device_type.currentData(),
            brand=self.brand.text(),
        )

    def save(self) -> None:
        write = add_service if self.service is None else update_service
        self.write(
            self.data,
            lambda data, user: lambda uow: write(uow, data, user),
            service_changes,
            self._done,
        )

    def _done(self, result: ServiceView) -> None:
        self.result_ = result
        self.accept()
