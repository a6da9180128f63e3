"""Intake at the counter: keyboard only, each field checked where it is typed.

Tab walks the form top to bottom; Ctrl+S (or Ctrl+Enter) saves; Down in the
phone or name field moves into the list of returning customers and Enter
chooses one, or "a different person" when someone new shares a known phone
(a family's phone). A chosen customer's earlier devices are offered next: Enter
on one fills the device fields. A refused save puts the core's reason next to
the field it names.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

from repairshop.domain.contacts import email_problem, format_phone, phone_problem
from repairshop.domain.devices import DeviceType, imei_problem
from repairshop.domain.money import read_amount
from repairshop.domain.payments import PaymentMethod
from repairshop.domain.roles import Permission
from repairshop.domain.statuses import JobType
from repairshop.domain.warranty import Decision
from repairshop.errors import RepairShopError, ValidationError
from repairshop.i18n import N_, _, format_day
from repairshop.services.aftersales.warranty import override
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.customer_lookup import earlier_devices, find_customers
from repairshop.services.jobs.intake import (
    CustomerInput,
    DeviceInput,
    IntakeRequest,
    IntakeResult,
    intake,
    intake_problems,
    preview_warranty,
)
from repairshop.services.jobs.views import CustomerView, DeviceView
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.settings import ShopSettings, get_settings
from repairshop.services.shop.users import UserView, list_users
from repairshop.services.uow import UnitOfWork
from ui.check_group import CheckGroup
from ui.context import AppContext
from ui.customer_card import CustomerCardDialog
from ui.date_field import DateField
from ui.evidence.intake_box import IntakeEvidenceBox
from ui.language import add_languages
from ui.operations import ReadOp, WriteOp
from ui.printing import (
    PrinterFactory,
    make_printer,
    print_job_documents,
    print_on_save_enabled,
)
from ui.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDate,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QShortcut,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.roles import gate
from ui.scan_input import imei_shape, read_scans
from ui.warranty_override import WarrantyOverride, WarrantyOverrideDialog, describe_decision

ACCESSORIES: tuple[str, ...] = (
    N_("Charger"),
    N_("Cable"),
    N_("Case"),
    N_("SIM card"),
    N_("Memory card"),
    N_("Box"),
    N_("Stylus"),
    N_("Controller"),
)
NO_DATE = QDate(2000, 1, 1)
ERROR_STYLE = "color: #b3261e;"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date | None:
    if value == NO_DATE:
        return None
    return date(value.year(), value.month(), value.day())


class IntakeView(QWidget):
    job_taken_in = Signal(str)
    """The new job's ticket code, after Save (printing of receipt and label hooks in here)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.customer_id: int | None = None
        self.new_customer = False
        """The clerk chose "a different person" for a known phone or name."""
        self._language_said = False
        self._consent_said = False
        """Whether the clerk set the language or the consent (else a returning customer's stay)."""
        self._typed = ""
        self._papers_failed = False
        self.make_printer: PrinterFactory = make_printer
        """How the papers reach a printer (tests give one that writes PDF files)."""
        self.currency = ShopSettings().currency
        """The shop's currency: amounts are read in it (until the settings arrive, the default)."""
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        """Each field's name as the form shows it (messages name fields so)."""
        self.region = ShopSettings().region

        # Customer
        self.phone = self._line("customer.phone", _("e.g. 777 123 456"))
        self.name = self._line("customer.name", _("first and last name"))
        self.email = self._line("customer.email", "")
        self.language = QComboBox(self)
        add_languages(self.language)
        self.language.activated.connect(lambda _index: self._said("language"))
        self.fields["customer.language"] = self.language
        self.consent = QCheckBox(_("Agrees to be told b&y SMS or e-mail"), self)
        self.consent.clicked.connect(lambda _checked: self._said("consent"))
        self.matches = QListWidget(self)
        self.matches.setAccessibleName(_("Returning customers"))
        self.matches.hide()
        self.matches.itemActivated.connect(self._choose)
        self.chosen = QLabel(self)
        # Out of the Tab chain (intake's keys stay as they are); a click opens the card.
        self.customer_card_button = QPushButton(_("Customer card…"), self)
        self.customer_card_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.customer_card_button.clicked.connect(self.open_customer_card)
        self.customer_card_button.hide()
        self.devices = QListWidget(self)
        self.devices.setAccessibleName(_("Earlier devices"))
        self.devices.hide()
        self.devices.itemActivated.connect(self._choose_device)
        for rows in (self.matches, self.devices):  # a long line is shortened, never scrolled
            rows.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            # Not a Tab stop: Tab goes the same way whether the list shows or not
            # (Down from the phone or name goes into it; its Alt letter too).
            rows.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            rows.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.devices_label = QLabel(_("Earlier de&vices"), self)
        self.devices_label.setBuddy(self.devices)
        self.devices_label.hide()
        # Device
        self.device_type = QComboBox(self)
        for device_type in DeviceType:
            self.device_type.addItem(device_type.label, device_type.value)
        self.fields["device.type"] = self.device_type
        self.brand = self._line("device.brand", "")
        self.model = self._line("device.model", "")
        self.serial = self._line("device.serial", "")
        self.imei = self._line("device.imei", _("15 digits"))
        self.colour = self._line("device.colour", "")
        read_scans(self.serial)
        read_scans(self.imei, imei_shape)
        # Job
        self.job_type = QComboBox(self)
        for job_type in JobType:
            self.job_type.addItem(job_type.label, job_type.value)
        self.fields["job_type"] = self.job_type
        self.fault = QPlainTextEdit(self)
        self.fault.setTabChangesFocus(True)
        self.fault.setPlaceholderText(_("the fault as the customer tells it"))
        self.fault.setMaximumHeight(64)
        self.fields["fault"] = self.fault
        self.fault.textChanged.connect(self._fault_typed)
        self.accessory_boxes = [QCheckBox(_(name), self) for name in ACCESSORIES]
        self.accessories_other = self._line("accessories", _("anything else left with it"))
        self.condition = self._line("condition", _("scratches, cracks, dents…"))
        self.passcode = self._line("passcode", _("passcode or pattern"))
        self.estimate = self._line("estimate", "")
        self.preapproved = self._line("preapproved", "")
        self.deposit = self._line("deposit", "")
        self.deposit_method = QComboBox(self)
        for method in PaymentMethod:
            self.deposit_method.addItem(method.label, method.value)
        self.deposit_method.setAccessibleName(_("Deposit paid by"))
        self.deposit_method.setToolTip(_("How the customer paid the deposit"))
        self.deposit_method.setEnabled(False)  # a Tab stop only once there is a deposit
        self.deposit.textChanged.connect(self._deposit_typed)
        self.promised = DateField(self)
        self.promised.setCalendarPopup(True)
        self.fields["promised"] = self.promised
        self.purchase_date = DateField(self)
        self.purchase_date.setCalendarPopup(True)
        self.purchase_date.setMinimumDate(NO_DATE)
        self.purchase_date.setSpecialValueText(_("not given"))
        self.fields["purchase_date"] = self.purchase_date
        self.proof_of_purchase = self._line("proof_of_purchase", _("receipt or invoice seen"))
        self.technician = QComboBox(self)
        self.fields["assignee"] = self.technician
        self.save_button = QPushButton(_("&Save intake"), self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton(_("Ne&w (clear)"), self)
        self.clear_button.clicked.connect(self.clear)
        self.saved = QLabel(self)
        self.saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The warranty decision, live as the clerk fills in the brand and the purchase date.
        self.warranty = QLabel(self)
        self.warranty.setObjectName("warranty")
        self.warranty.setWordWrap(True)
        self.warranty.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.override_button = QPushButton(_("Set by hand…"), self)
        self.override_button.setAccessibleName(_("Set the warranty by hand"))
        self.override_button.setToolTip(
            _("A manager's decision, with the reason, saved with the job")
        )
        self.override_button.clicked.connect(self.override_warranty)
        gate(context, self.override_button, Permission.OVERRIDE_WARRANTY, hide=False)
        self.warranty_override: WarrantyOverride | None = None
        self._today = date.today()
        self._preview_asked = 0
        self._preview = QTimer(self)
        self._preview.setSingleShot(True)
        self._preview.setInterval(300)
        self._preview.timeout.connect(self.preview_warranty)
        self.evidence = IntakeEvidenceBox(
            context,
            self,
            device_type=lambda: str(self.device_type.currentData()),
            customer_name=self.name.text,
        )

        self._lay_out()
        self.job_taken_in.connect(self._print_on_save)
        self._lookup = QTimer(self)
        self._lookup.setSingleShot(True)
        self._lookup.setInterval(250)
        self._lookup.timeout.connect(self.look_up_customer)
        self.phone.textEdited.connect(self._typed_contact)
        self.name.textEdited.connect(self._typed_contact)
        for field in (self.phone, self.name):
            field.installEventFilter(self)
        self.imei.textChanged.connect(self._check_imei)
        for changed in (self.device_type.currentIndexChanged, self.brand.textChanged,
                        self.serial.textChanged, self.imei.textChanged,
                        self.purchase_date.dateChanged, self.proof_of_purchase.textChanged,
                        self.fault.textChanged):  # fmt: skip
            changed.connect(self._preview.start)
        # Phone and e-mail are checked as they are typed, like the IMEI: what more typing
        # cannot mend at once, the rest when the field is left.
        self.phone.textEdited.connect(lambda text: self._check_phone(text, finished=False))
        self.phone.editingFinished.connect(
            lambda: self._check_phone(self.phone.text(), finished=True)
        )
        self.email.textEdited.connect(lambda text: self._check_email(text, finished=False))
        self.email.editingFinished.connect(
            lambda: self._check_email(self.email.text(), finished=True)
        )
        for key, field in (("estimate", self.estimate), ("preapproved", self.preapproved),
                           ("deposit", self.deposit)):  # fmt: skip
            field.editingFinished.connect(
                lambda key=key, field=field: self._check_amount(key, field)
            )
        for key, field in (("customer.name", self.name), ("device.brand", self.brand),
                           ("device.model", self.model)):  # fmt: skip
            field.editingFinished.connect(
                lambda key=key, field=field: self._check_required(key, field)
            )
        for sequence in (QKeySequence.StandardKey.Save, QKeySequence("Ctrl+Return")):
            QShortcut(sequence, self, self.save)
        context.changed.connect(self._on_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._keep_in_sight)
        self.clear()

    def _keep_in_sight(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The field the keyboard moved to is scrolled into sight."""
        sheet = self.sheet.widget()
        if new is not None and sheet is not None and sheet.isAncestorOf(new):
            self.sheet.ensureWidgetVisible(new)

    # --- building -------------------------------------------------------------------------

    def _line(self, key: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setPlaceholderText(placeholder)
        field.textEdited.connect(lambda _text, key=key: self._set_error(key, None))
        self.fields[key] = field
        return field

    def _row(
        self,
        form: QFormLayout,
        label: str,
        key: str,
        widget: QWidget | None = None,
        *,
        name: str = "",
    ) -> None:
        error = QLabel(self)
        error.setTextFormat(Qt.TextFormat.PlainText)  # a refusal may quote "<b>" as typed
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        self.errors[key] = error
        cell = QWidget(self)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        field = widget or self.fields[key]
        column.addWidget(field)
        column.addWidget(error)
        form.addRow(label, cell)
        buddy = form.labelForField(cell)
        if isinstance(buddy, QLabel):
            buddy.setBuddy(field)  # the label's Alt+letter lands in the field itself
        # The field sits in its own cell, apart from the label, where Qt's accessibility
        # does not look for a buddy: the screen reader gets the label's text as the name.
        field.setAccessibleName(name or label.replace("&", ""))
        self.labels[key] = name or label.replace("&", "")

    def _lay_out(self) -> None:
        customer = QGroupBox(_("Customer"), self)
        form = QFormLayout(customer)
        self._row(form, _("&Phone"), "customer.phone")
        form.addRow("", self.matches)
        self._row(form, _("N&ame"), "customer.name")
        self._row(form, _("E-&mail"), "customer.email")
        self._row(form, _("Lan&guage"), "customer.language")
        form.addRow("", self.consent)
        chosen_row = QHBoxLayout()
        chosen_row.addWidget(self.chosen, 1)
        chosen_row.addWidget(self.customer_card_button)
        form.addRow("", chosen_row)

        device = QGroupBox(_("Device"), self)
        form = QFormLayout(device)
        form.addRow(self.devices_label, self.devices)
        self._row(form, _("&Type"), "device.type")
        self._row(form, _("&Brand"), "device.brand")
        self._row(form, _("M&odel"), "device.model")
        self._row(form, _("Serial n&umber"), "device.serial")
        self._row(form, _("&IMEI"), "device.imei")
        self._row(form, _("Co&lour"), "device.colour")

        job = QGroupBox(_("Job"), self)
        form = QFormLayout(job)
        self._row(form, _("&Job type"), "job_type")
        self._row(form, _("&Fault"), "fault")
        boxes = QWidget(self)
        grid = QGridLayout(boxes)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, box in enumerate(self.accessory_boxes):
            grid.addWidget(box, index // 4, index % 4)
        form.addRow(_("Accesso&ries"), boxes)
        accessories_label = form.labelForField(boxes)
        if isinstance(accessories_label, QLabel):
            accessories_label.setBuddy(self.accessory_boxes[0])
        boxes.setAccessibleName(_("Accessories"))
        self.accessory_group = CheckGroup(self.accessory_boxes, columns=4)
        self._row(form, "", "accessories", name=_("Other accessories"))
        self._row(form, _("Co&ndition"), "condition")
        self._row(form, _("Pass&code"), "passcode")
        self._row(form, _("&Estimate"), "estimate")
        self._row(form, _("Pre-approved up to"), "preapproved")
        self._row(form, _("&Deposit"), "deposit")
        cell = self.deposit.parentWidget()
        deposit_cell = cell.layout() if cell is not None else None
        assert isinstance(deposit_cell, QVBoxLayout)
        deposit_row = QHBoxLayout()
        deposit_cell.removeWidget(self.deposit)
        deposit_row.addWidget(self.deposit, 1)
        deposit_row.addWidget(self.deposit_method)
        deposit_cell.insertLayout(0, deposit_row)
        self._row(form, _("Promised"), "promised")
        self._row(form, _("Purchase date"), "purchase_date")
        self._row(form, _("Tec&hnician"), "assignee")

        buttons = QHBoxLayout()
        buttons.addWidget(self.saved, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        left = QVBoxLayout()
        left.addWidget(customer)
        left.addWidget(device)
        # Evidence under the device it is about: the Job column keeps the window 800 px high.
        left.addWidget(self.evidence)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(job)
        # The warranty's own box, after the job: its fields come last in the Tab order too.
        warranty = QGroupBox(_("Warranty"), self)
        warranty_form = QFormLayout(warranty)
        self._row(warranty_form, _("Proof of purchase"), "proof_of_purchase")
        warranty_row = QHBoxLayout()
        warranty_row.addWidget(self.warranty, 1)
        warranty_row.addWidget(self.override_button, 0, Qt.AlignmentFlag.AlignTop)
        warranty_form.addRow(warranty_row)
        right.addWidget(warranty)
        right.addStretch(1)
        sheet = QWidget(self)
        columns = QHBoxLayout(sheet)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        # Whole at 1280×800; what more there is (the problems of a refused Save, the returning
        # customers offered) scrolls, never squeezes a field's message into one cut line.
        self.sheet = QScrollArea(self)
        self.sheet.setWidget(sheet)
        self.sheet.setWidgetResizable(True)
        self.sheet.setFrameShape(QFrame.Shape.NoFrame)
        self.sheet.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sheet, 1)
        layout.addLayout(buttons)
        order: list[QWidget] = [
            self.phone, self.matches, self.name, self.email, self.language, self.consent,
            self.devices, self.device_type, self.brand, self.model, self.serial, self.imei,
            self.colour, self.job_type, self.fault, *self.accessory_boxes, self.accessories_other,
            self.condition, self.passcode, self.estimate, self.preapproved, self.deposit,
            self.deposit_method, self.promised, self.purchase_date, self.technician,
            self.save_button,
        ]  # fmt: skip
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        QWidget.setTabOrder(self.technician, self.proof_of_purchase)  # the warranty, before Save
        QWidget.setTabOrder(self.proof_of_purchase, self.override_button)
        self.evidence.chain_tab_order(self.override_button, self.save_button)

    def _load_choices(self) -> None:
        ReadOp(self.context, self, lambda uow: list_users(uow, technicians_only=True)).success(
            self._show_technicians
        ).run()

    def _show_technicians(self, technicians: list[UserView]) -> None:
        chosen = self.technician.currentData()
        self.technician.clear()
        self.technician.addItem(_("Nobody yet"), None)
        for user in technicians:
            self.technician.addItem(user.display_name, user.login)
        self.technician.setCurrentIndex(max(self.technician.findData(chosen), 0))

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(ChangeKind.USER):
            self._load_choices()

    # --- customer lookup ------------------------------------------------------------------

    def open_customer_card(self) -> None:
        if self.customer_id is None:
            return
        dialog = CustomerCardDialog(self.context, self.customer_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _typed_contact(self, text: str) -> None:
        # A chosen customer is dropped. Typing is not choosing a language: the one on screen
        # goes to a new customer only, and a returning customer's own is never changed by it.
        # Consent is a person's own: nobody new inherits the dropped customer's.
        if self.customer_id is not None and not self._consent_said:
            self.consent.setChecked(False)
        self.customer_id = None
        self.new_customer = False
        self.chosen.setText(_("New customer"))
        self.customer_card_button.hide()
        self._show_devices([])
        self._typed = text
        self._lookup.start()

    def _said(self, what: str) -> None:
        if what == "language":
            self._language_said = True
        else:
            self._consent_said = True

    def look_up_customer(self, text: str | None = None) -> None:
        """Offer the customers whose phone or name matches what was typed last."""
        if text is None:
            text = self._typed
        typed = text
        ReadOp(self.context, self, lambda uow: find_customers(uow, typed)).success(
            lambda found: self._show_matches(typed, found)
        ).run()

    def _show_matches(self, typed: str, found: list[CustomerView]) -> None:
        if typed != self._typed:
            return  # more was typed meanwhile: that lookup's answer comes next
        self.matches.clear()
        for customer in found:
            parts = (customer.name, format_phone(customer.phone), customer.email)
            label = " · ".join(part for part in parts if part)
            item = QListWidgetItem(label, self.matches)
            item.setData(Qt.ItemDataRole.UserRole, customer)
        if found:
            # Someone else of the family may share the phone: never take them for the same one.
            other = QListWidgetItem(_("A different person (new customer)"), self.matches)
            other.setData(Qt.ItemDataRole.UserRole, None)
        self._fit(self.matches)

    def eventFilter(self, watched: QObject, event: object) -> bool:  # noqa: N802
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.matches.isVisible()
        ):
            self.matches.setFocus()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _fit(self, rows: QListWidget) -> None:
        """Show ``rows`` (the first one current) at the height of its rows, or hide it empty."""
        count = rows.count()
        rows.setVisible(bool(count))
        if count:
            rows.setCurrentRow(0)
            height = rows.sizeHintForRow(0) * min(count, 6)
            rows.setFixedHeight(height + 2 * rows.frameWidth() + 2)

    def _choose(self, item: QListWidgetItem) -> None:
        customer: CustomerView | None = item.data(Qt.ItemDataRole.UserRole)
        self.matches.hide()
        if customer is None:
            self.customer_id = None
            self.customer_card_button.hide()
            self.new_customer = True
            self.chosen.setText(_("New customer, sharing this phone or name with another"))
            self.name.setFocus()
            self.name.selectAll()
            return
        self.customer_id = customer.id
        self.new_customer = False
        for key in ("customer.phone", "customer.name", "customer.email"):
            self._set_error(key, None)  # a part of the number typed to find her was no mistake
        self.name.setText(customer.name)
        self.phone.setText(format_phone(customer.phone))
        self.email.setText(customer.email or "")
        self.language.setCurrentIndex(max(self.language.findData(customer.language), 0))
        self.consent.setChecked(customer.consent_to_contact)
        self._language_said = self._consent_said = False
        self.chosen.setText(_("Returning customer: {name}").format(name=customer.name))
        self.customer_card_button.show()
        self._show_devices([])
        self.device_type.setFocus()
        chosen = customer.id
        ReadOp(self.context, self, lambda uow: earlier_devices(uow, chosen)).success(
            lambda devices: self._offer_devices(chosen, devices)
        ).run()

    def _offer_devices(self, customer_id: int, devices: list[DeviceView]) -> None:
        """The chosen customer's earlier devices, if the clerk has not moved on meanwhile."""
        if customer_id != self.customer_id:
            return
        self._show_devices(devices)
        if devices and self.device_type.hasFocus():
            self.devices.setFocus()

    def _show_devices(self, devices: list[DeviceView]) -> None:
        self.devices.clear()
        for device in devices:
            parts = (
                DeviceType(device.type).label,
                device.title,
                device.colour,
                device.serial,
                _("IMEI {imei}").format(imei=device.imei) if device.imei else "",
            )
            item = QListWidgetItem(" · ".join(part for part in parts if part), self.devices)
            item.setData(Qt.ItemDataRole.UserRole, device)
        self._fit(self.devices)
        self.devices_label.setVisible(bool(devices))

    def _choose_device(self, item: QListWidgetItem) -> None:
        """Fill the device fields with a device the customer brought before."""
        device: DeviceView = item.data(Qt.ItemDataRole.UserRole)
        self.device_type.setCurrentIndex(max(self.device_type.findData(device.type), 0))
        self.brand.setText(device.brand)
        self.model.setText(device.model)
        self.serial.setText(device.serial or "")
        self.imei.setText(device.imei or "")
        self.colour.setText(device.colour)
        for key in ("device.brand", "device.model", "device.serial"):
            self._set_error(key, None)  # filled in: a "fill in" said before no longer stands
        self.job_type.setFocus()

    # --- checks at the field --------------------------------------------------------------

    def _fault_typed(self) -> None:
        if self.fault.toPlainText().strip():
            self._set_error("fault", None)

    def _set_error(self, key: str, message: str | None) -> None:
        label = self.errors.get(key)
        if label is None:
            return
        label.setText(message or "")
        label.setVisible(bool(message))

    def _check_imei(self, text: str) -> None:
        digits = "".join(ch for ch in text if not ch.isspace())
        problem = (
            imei_problem(text) if digits and (len(digits) >= 15 or not digits.isdigit()) else None
        )
        self._set_error("device.imei", problem)

    def _check_phone(self, text: str, *, finished: bool) -> None:
        if finished and self.matches.hasFocus():
            return  # Down into the returning customers: what was typed is a search
        self._set_error("customer.phone", phone_problem(text, self.region, finished=finished))

    def _check_email(self, text: str, *, finished: bool) -> None:
        self._set_error("customer.email", email_problem(text, finished=finished))

    def _check_amount(self, key: str, field: QLineEdit) -> None:
        try:
            read_amount(field.text(), key, currency=self.currency)
        except ValidationError as error:
            self._set_error(key, error.message)

    def _check_required(self, key: str, field: QLineEdit) -> None:
        if not field.text().strip():
            self._set_error(key, _("Fill in “{field}”.").format(field=self.labels[key]))

    # --- save and clear -------------------------------------------------------------------

    def _amounts(self) -> tuple[dict[str, Decimal | None], list[ValidationError]]:
        """The amount fields read in the shop's currency, and the problems of those that
        cannot be read (their amount is then None)."""
        amounts: dict[str, Decimal | None] = {}
        problems: list[ValidationError] = []
        for key, field in (("estimate", self.estimate), ("preapproved", self.preapproved),
                           ("deposit", self.deposit)):  # fmt: skip
            try:
                amounts[key] = read_amount(field.text(), key, currency=self.currency)
            except ValidationError as problem:
                amounts[key] = None
                problems.append(problem)
        return amounts, problems

    def request(self) -> IntakeRequest:
        """What the form says; an amount that cannot be read is refused."""
        amounts, problems = self._amounts()
        if problems:
            raise problems[0]
        return self._request(amounts)

    def _request(self, amounts: dict[str, Decimal | None]) -> IntakeRequest:
        accessories = [
            box.text().replace("&", "") for box in self.accessory_boxes if box.isChecked()
        ]
        accessories += [
            item.strip() for item in self.accessories_other.text().split(",") if item.strip()
        ]
        return IntakeRequest(
            customer=CustomerInput(
                name=self.name.text(),
                phone=self.phone.text() or None,
                email=self.email.text() or None,
                language=self.language.currentData() if self._language_said else None,
                consent_to_contact=self.consent.isChecked() if self._consent_said else None,
                language_if_new=self.language.currentData(),
            ),
            device=DeviceInput(
                type=self.device_type.currentData(),
                brand=self.brand.text(),
                model=self.model.text(),
                serial=self.serial.text() or None,
                imei=self.imei.text() or None,
                colour=self.colour.text(),
            ),
            fault=self.fault.toPlainText(),
            job_type=self.job_type.currentData(),
            accessories=tuple(accessories),
            condition=self.condition.text(),
            passcode=self.passcode.text(),
            estimate=amounts["estimate"],
            preapproved=amounts["preapproved"],
            deposit=amounts["deposit"],
            deposit_method=PaymentMethod(self.deposit_method.currentData()),
            promised=_pydate(self.promised.date()),
            purchase_date=_pydate(self.purchase_date.date()),
            proof_of_purchase=self.proof_of_purchase.text().strip(),
            assignee=self.technician.currentData(),
            customer_id=self.customer_id,
            new_customer=self.new_customer,
            **self.evidence.fields(),
        )

    def save(self) -> None:
        """Create the job (:attr:`job_taken_in` says its code); on a refusal show the reason at
        its field and keep the form."""
        if not self.save_button.isEnabled():
            return  # the last Save is still being written
        for key in self.errors:
            self._set_error(key, None)
        user = self.context.user
        amounts, problems = self._amounts()
        request = self._request(amounts)
        problems += intake_problems(request, self.region, self.labels)
        if problems:
            self._show_problems(problems)
            return
        self.save_button.setEnabled(False)
        chosen = self.warranty_override

        def take_in(uow: UnitOfWork) -> IntakeResult:
            result = intake(uow, request, user)
            if chosen is None:
                return result
            # The manager's decision goes with the intake, in the same transaction.
            changed = override(
                uow, result.code, chosen.regime, user, until=chosen.until, why=chosen.why
            )
            return replace(result, changes=result.changes | changed.changes)

        WriteOp(self.context, self, take_in, lambda r: r.changes).success(self._saved).failure(
            self._refused
        ).run(initiator=self)

    # --- the warranty, live -------------------------------------------------------------------

    def preview_warranty(self) -> None:
        """Ask the core what it would decide for the form as it is now, and show it."""
        self._preview_asked += 1  # an answer still on its way is for a form no longer shown
        if self.warranty_override is not None:
            self.warranty.setText(self.warranty_override.describe())
            return
        if not self.brand.text().strip():
            self.warranty.setText(_("Give the brand and the purchase date to see the warranty."))
            return
        request = self._request({"estimate": None, "preapproved": None, "deposit": None})
        asked = self._preview_asked

        def show(decision: Decision) -> None:
            if asked != self._preview_asked or self.warranty_override is not None:
                return  # the form changed meanwhile: the next answer is on its way
            self.warranty.setText(describe_decision(decision))

        ReadOp(self.context, self, lambda uow: preview_warranty(uow, request)).success(
            show
        ).failure(lambda _error: self.warranty.setText("")).run()

    def override_warranty(self) -> None:
        dialog = WarrantyOverrideDialog(self._today, self)

        def chosen() -> None:
            self.warranty_override = dialog.result_
            self.preview_warranty()

        dialog.accepted.connect(chosen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _show_problems(self, problems: list[ValidationError]) -> None:
        """Every problem beside its field at once, the cursor in the first one on the form."""
        order = list(self.fields)
        problems = sorted(problems, key=lambda p: order.index(p.field) if p.field in order else 99)
        shown: set[str] = set()
        for problem in problems:
            key = problem.field or ""
            if key in self.errors and key not in shown:
                self._set_error(key, problem.message)
                shown.add(key)
        first = problems[0]
        if first.field in self.fields:
            self.fields[first.field].setFocus()
        else:
            self.context.show_error(self, first)

    def _refused(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError) and self.evidence.show_refusal(error):
            return
        if isinstance(error, ValidationError) and error.field in self.errors:
            self._set_error(error.field, error.message)
            self.fields[error.field].setFocus()
        else:
            self.context.show_error(self, error)

    def _saved(self, result: IntakeResult) -> None:
        self.save_button.setEnabled(True)
        self.clear()
        self._say_saved(result.code, "")
        self.job_taken_in.emit(result.code)

    def _say_saved(self, code: str, papers: str) -> None:
        """The saved line: first that the job is saved (never in doubt), then its papers."""
        saved = _("Saved as <b>{code}</b>.").format(code=code)
        self.saved.setText(f"{saved} {papers}" if papers else saved)

    def _deposit_typed(self, text: str) -> None:
        self.deposit_method.setEnabled(bool(text.strip()))
        if not text.strip():
            self.deposit_method.setCurrentIndex(0)  # cash, for the next deposit

    def clear(self) -> None:
        """An empty form for the next customer, the cursor in the phone field."""
        self._typed = ""  # a lookup still on its way answers for the last customer: drop it
        for widget in self.fields.values():
            if isinstance(widget, QLineEdit):
                widget.clear()
        self.fault.clear()
        for box in self.accessory_boxes:
            box.setChecked(False)
        self.consent.setChecked(False)
        self.customer_id = None
        self.customer_card_button.hide()
        self.new_customer = False
        self._language_said = self._consent_said = False
        self.chosen.setText("")
        self.matches.hide()
        self._show_devices([])
        for key in self.errors:
            self._set_error(key, None)
        self.device_type.setCurrentIndex(0)
        self.job_type.setCurrentIndex(0)
        self.language.setCurrentIndex(0)
        self.purchase_date.setDate(NO_DATE)
        self.technician.setCurrentIndex(0)
        self.saved.setText("")
        self.warranty_override = None
        self.evidence.clear()
        self.preview_warranty()
        self.phone.setFocus()

        def query(uow: UnitOfWork) -> tuple[ShopSettings, date, list[UserView]]:
            return get_settings(uow), shop_today(uow), list_users(uow, technicians_only=True)

        ReadOp(self.context, self, query).success(lambda found: self._fill_defaults(*found)).run()

    def _fill_defaults(
        self, settings: ShopSettings, today: date, technicians: list[UserView]
    ) -> None:
        """The shop's currency and promised day, and its technicians, for an empty form."""
        self.currency = settings.currency
        self.region = settings.region
        if self.customer_id is None and not self._language_said:  # a new customer: the shop's
            self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        for amount in (self.estimate, self.preapproved, self.deposit):
            amount.setPlaceholderText(settings.currency)
        self._today = today
        self.promised.setMinimumDate(_qdate(today))
        self.promised.setDate(_qdate(settings.default_promised_date(today)))
        self.purchase_date.setMaximumDate(_qdate(today))
        self.purchase_date.setDate(NO_DATE)
        self._show_technicians(technicians)
        self.technician.setCurrentIndex(0)

    def promised_text(self) -> str:
        day = _pydate(self.promised.date())
        return format_day(day) if day else ""

    def _print_on_save(self, code: str) -> None:
        """The customer's papers, with no key pressed: the receipt and the label go to this
        workstation's printers, or (print on save off) their preview opens. A printer that
        is missing is said after the job is saved, never as a refusal of the intake."""
        if not print_on_save_enabled(self.context.state):
            print_job_documents(self.context, code, self, store=self.context.state)
            return

        def printed(dialog: object) -> None:
            if code not in self.saved.text() or self._papers_failed:
                return  # the next customer's intake is on the form already, or it failed
            self._say_saved(code, _("The receipt and the label are printing."))

        def not_printed(error: Exception) -> None:
            self._papers_failed = True
            if not isinstance(error, RepairShopError):
                self.context.show_error(self, error)  # a bug: the one error place shows it
                return
            if code in self.saved.text():
                self._say_saved(
                    code,
                    f"<span style='{ERROR_STYLE}'>{_escape(error.message)}</span>",
                )

        self._papers_failed = False
        print_job_documents(
            self.context,
            code,
            self,
            preview=False,
            store=self.context.state,
            make=self.make_printer,
            then=printed,
            failed=not_printed,
        )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
