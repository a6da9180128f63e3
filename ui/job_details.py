"""Correcting the customer's and the device's details from the job card.

Only what the person changed is sent to :func:`edit_details`, which checks it as
intake does and keeps each change in the job's history; the job's version guards
against saving over someone else's edit.
"""

from __future__ import annotations

from repairshop.domain.contacts import format_phone
from repairshop.domain.devices import DeviceType
from repairshop.i18n import _, pgettext
from repairshop.services.jobs.details import DetailsEdit, edit_details
from repairshop.services.jobs.views import JobView
from ui.context import AppContext
from ui.language import add_languages
from ui.operations import WriteOp
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from ui.scan_input import imei_shape, read_scans


class DetailsDialog(QDialog):
    def __init__(self, context: AppContext, job: JobView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.job = job
        self.setWindowTitle(_("Customer and device, job {code}").format(code=job.code))
        customer, device = job.customer, job.device

        self.name = QLineEdit(customer.name, self)
        self.phone = QLineEdit(format_phone(customer.phone), self)
        self.email = QLineEdit(customer.email or "", self)
        self.language = QComboBox(self)
        add_languages(self.language, customer.language)
        self.consent = QCheckBox(_("Agrees to be told about the job by text or e-mail"), self)
        self.consent.setChecked(customer.consent_to_contact)

        self.device_type = QComboBox(self)
        for kind in DeviceType:
            self.device_type.addItem(kind.label, kind.value)
        self.device_type.setCurrentIndex(max(self.device_type.findData(device.type), 0))
        self.brand = QLineEdit(device.brand, self)
        self.model = QLineEdit(device.model, self)
        self.serial = QLineEdit(device.serial or "", self)
        self.imei = QLineEdit(device.imei or "", self)
        read_scans(self.serial)
        read_scans(self.imei, imei_shape)
        self.colour = QLineEdit(device.colour, self)

        people = QGroupBox(_("Customer"), self)
        people_form = QFormLayout(people)
        people_form.addRow(pgettext("person", "Name"), self.name)
        people_form.addRow(_("Phone"), self.phone)
        people_form.addRow(_("E-mail"), self.email)
        people_form.addRow(_("Language"), self.language)
        people_form.addRow("", self.consent)
        things = QGroupBox(_("Device"), self)
        things_form = QFormLayout(things)
        things_form.addRow(_("Type"), self.device_type)
        things_form.addRow(_("Brand"), self.brand)
        things_form.addRow(_("Model"), self.model)
        things_form.addRow(_("Serial number"), self.serial)
        things_form.addRow(_("IMEI"), self.imei)
        things_form.addRow(_("Colour"), self.colour)
        columns = QHBoxLayout()
        columns.addWidget(people)
        columns.addWidget(things)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(buttons)

    def edit(self) -> DetailsEdit:
        """The fields that differ from what the card showed; the rest stay ``None``."""
        customer, device = self.job.customer, self.job.device

        def changed(widget: QLineEdit, shown: str) -> str | None:
            value = widget.text()
            return None if value.strip() == shown.strip() else value

        language = str(self.language.currentData())
        device_type = str(self.device_type.currentData())
        consent = self.consent.isChecked()
        return DetailsEdit(
            name=changed(self.name, customer.name),
            phone=changed(self.phone, format_phone(customer.phone)),
            email=changed(self.email, customer.email or ""),
            language=None if language == customer.language else language,
            consent_to_contact=None if consent == customer.consent_to_contact else consent,
            device_type=None if device_type == device.type else device_type,
            brand=changed(self.brand, device.brand),
            model=changed(self.model, device.model),
            serial=changed(self.serial, device.serial or ""),
            imei=changed(self.imei, device.imei or ""),
            colour=changed(self.colour, device.colour),
        )

    def save(self) -> None:
        code, user, version, edit = self.job.code, self.context.user, self.job.version, self.edit()
        WriteOp(
            self.context,
            self,
            lambda uow: edit_details(uow, code, edit, user, expected_version=version),
            lambda result: result.changes,
        ).success(lambda _result: self.accept()).run(initiator=self.parent())
