"""Settings: the shop's details and logo, receipt terms per language, opening hours, the desk.

Two kinds, saved apart: the shop's (details, terms, hours: in the shared database, for a
manager) with "Save shop settings", and this desk's own (printers with "Save this desk's
printers"; who works here and its language take effect as chosen). A refusal of the
shop's part never leaves the desk's part half-saved, nor the other way round.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from repairshop.domain.opening_hours import OpeningHours
from repairshop.domain.roles import Permission, Role
from repairshop.errors import ValidationError
from repairshop.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    _,
    country_language,
    system_language,
    translator,
    ui_language,
)
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.shop.opening_hours import get_opening_hours, save_opening_hours
from repairshop.services.shop.settings import (
    DEFAULT_TERMS,
    ShopSettings,
    check_logo,
    get_logo,
    get_settings,
    save_logo,
    save_settings,
)
from repairshop.services.shop.users import UserView, list_users, shop_is_open
from repairshop.services.uow import UnitOfWork
from ui.backups import BackupPanel
from ui.connection_dialog import ConnectionDialog
from ui.context import AppContext
from ui.desk_state import USER_KEY
from ui.evidence.checklist_settings import ChecklistSettings
from ui.language import LANGUAGE_KEY, add_languages, chosen_language
from ui.opening_hours import OpeningHoursEditor
from ui.operations import ReadOp, WriteOp
from ui.printing import PRINTERS_SECTION, PrinterSettingsWidget
from ui.qt import (
    QComboBox,
    QEvent,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QPixmap,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.roles import gate
from ui.sign_in import desk_note, lock_minutes_box

LOGO_PREVIEW_HEIGHT = 40


class SettingsView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = ShopSettings()
        self.logo: bytes | None = None
        self.stored_logo: bytes | None = None
        self.terms: dict[str, str] = {}

        self.name = QLineEdit(self)
        self.address = QLineEdit(self)
        self.vat_id = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.email = QLineEdit(self)
        self.currency = QLineEdit(self)
        self.currency.setMaxLength(3)
        self.region = QLineEdit(self)
        self.region.setMaxLength(2)
        self.ticket_prefix = QLineEdit(self)
        self.ticket_prefix.setMaxLength(1)
        self.promised_days = QSpinBox(self)
        self.promised_days.setRange(0, 365)
        self.promised_days.setSuffix(" " + _("days"))
        self.logo_preview = QLabel(self)
        self.logo_preview.setMinimumHeight(LOGO_PREVIEW_HEIGHT)
        self.logo_choose = QPushButton(_("C&hoose…"), self)
        self.logo_choose.clicked.connect(self.choose_logo)
        self.logo_remove = QPushButton(_("Remo&ve"), self)
        self.logo_remove.clicked.connect(lambda: self.set_logo(None))
        self.terms_language = QComboBox(self)
        add_languages(self.terms_language)
        self.terms_text = QPlainTextEdit(self)
        self.terms_text.setTabChangesFocus(True)
        self.save_button = QPushButton(_("&Save shop settings"), self)
        self.save_button.setObjectName("save_shop_settings")
        self.save_button.clicked.connect(self.save)
        self.user = QComboBox(self)
        self.language = QComboBox(self)
        self.language.setObjectName("ui_language")
        # Arrowing through the list only looks: the language is chosen on Enter, on a
        # pick from the open list, or when the focus leaves the list.
        self._language_shown = ""
        self.language.addItem(
            _("Desktop's language ({language})").format(language=LANGUAGE_NAMES[system_language()]),
            "",
        )
        add_languages(self.language, chosen_language(context.state))
        self.user_note = QLabel(desk_note(open_shop=True), self)
        self.user_note.setWordWrap(True)

        shop = QGroupBox(_("Shop"), self)
        form = QFormLayout(shop)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Address"), self.address)
        form.addRow(_("VAT ID"), self.vat_id)
        form.addRow(_("Phone"), self.phone)
        form.addRow(_("E-mail"), self.email)
        form.addRow(_("Currency"), self.currency)
        form.addRow(_("Region (phone numbers)"), self.region)
        form.addRow(_("Ticket prefix"), self.ticket_prefix)
        form.addRow(_("Promised after"), self.promised_days)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview, 1)
        logo_row.addWidget(self.logo_choose)
        logo_row.addWidget(self.logo_remove)
        form.addRow(_("Receipt logo"), logo_row)
        terms = QGroupBox(_("Receipt terms"), self)
        terms_layout = QVBoxLayout(terms)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Language"), terms))
        row.addWidget(self.terms_language, 1)
        terms_layout.addLayout(row)
        terms_layout.addWidget(self.terms_text, 1)
        terms_layout.addWidget(
            QLabel(_("Leave empty to print RepairShop's standard terms in that language."), terms)
        )
        hours = QGroupBox(_("Opening hours"), self)
        self.opening_hours = OpeningHoursEditor(hours)
        QVBoxLayout(hours).addWidget(self.opening_hours)
        desk = QGroupBox(_("This workstation"), self)
        desk_form = QFormLayout(desk)
        desk_form.addRow(_("Current user"), self.user)
        desk_form.addRow(_("Language"), self.language)
        self.lock_minutes = lock_minutes_box(context, self)
        desk_form.addRow(_("Lock after idle minutes"), self.lock_minutes)
        desk_form.addRow(self.user_note)
        self.server_button = QPushButton(_("Database server…"), desk)
        self.server_button.clicked.connect(self.connect_to_server)
        desk_form.addRow(_("Shared database"), self.server_button)

        printers = QGroupBox(_(PRINTERS_SECTION), self)
        printers.setObjectName("printers")
        self.printers = PrinterSettingsWidget(context.state, printers)
        self.desk_save_button = QPushButton(_("Save this des&k's printers"), printers)
        self.desk_save_button.clicked.connect(self.save_desk)
        self.desk_saved = QLabel(printers)
        printers_layout = QVBoxLayout(printers)
        printers_layout.addWidget(self.printers)
        desk_buttons = QHBoxLayout()
        desk_buttons.addWidget(self.desk_saved, 1)
        desk_buttons.addWidget(self.desk_save_button)
        printers_layout.addLayout(desk_buttons)
        left = QVBoxLayout()
        left.addWidget(shop)
        left.addWidget(desk)
        left.addWidget(printers)
        checklists = ChecklistSettings(context, self)
        left.addWidget(checklists)
        for group in (shop, terms, hours, checklists):  # read-only to who may not save it
            gate(context, group, Permission.EDIT_SETTINGS, hide=False)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(terms, 1)
        right.addWidget(hours)
        self.backups = BackupPanel(context, self)
        right.addWidget(self.backups)
        # The form scrolls on a small screen; the Save button always shows.
        content = QWidget(self)
        columns = QHBoxLayout(content)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        self._language = LANGUAGES[0]
        self._terms_opened = False
        self.terms_language.currentIndexChanged.connect(self._switch_terms)
        self.user.activated.connect(self._choose_user)
        self._language_shown = str(self.language.currentData() or "")
        self.language.activated.connect(self._language_activated)
        self.language.installEventFilter(self)
        context.changed.connect(self._on_changed)
        context.user_changed.connect(self._user_changed)  # bound: dropped with the view
        self.save_button.setEnabled(False)  # until the settings to edit have arrived
        for control in (self.save_button, self.logo_choose, self.logo_remove):
            gate(context, control, Permission.EDIT_SETTINGS)
        self.load()

    def load(self) -> None:
        """Read the shop's settings, logo, hours and users on the worker, then show them."""

        def query(uow: UnitOfWork) -> tuple[ShopSettings, bytes | None, OpeningHours]:
            return get_settings(uow), get_logo(uow), get_opening_hours(uow)

        ReadOp(self.context, self, query).success(lambda found: self._show(*found)).run()
        self._load_users()

    def _show(self, settings: ShopSettings, logo: bytes | None, hours: OpeningHours) -> None:
        self.settings = settings
        s = self.settings
        self.name.setText(s.name)
        self.address.setText(s.address)
        self.vat_id.setText(s.vat_id)
        self.phone.setText(s.phone)
        self.email.setText(s.email)
        self.currency.setText(s.currency)
        self.region.setText(s.region)
        self.ticket_prefix.setText(s.ticket_prefix)
        self.promised_days.setValue(s.default_promised_days)
        self.terms = dict(s.receipt_terms)
        self.stored_logo = logo
        self.set_logo(self.stored_logo)
        if not self._terms_opened:  # the first time: the terms in the shop's own language
            self._terms_opened = True
            shop_language = country_language(s.region)
            self.terms_language.blockSignals(True)
            self.terms_language.setCurrentIndex(max(self.terms_language.findData(shop_language), 0))
            self.terms_language.blockSignals(False)
        self._show_terms(self.terms_language.currentData())
        self.opening_hours.set_hours(hours)
        self.save_button.setEnabled(True)

    def choose_logo(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Receipt logo"), "", _("Pictures (*.png *.jpg *.jpeg)")
        )
        if name:
            self.load_logo(Path(name))

    def load_logo(self, path: Path) -> None:
        """Take a picture file as the logo, to be saved with the shop settings."""
        try:
            self.set_logo(check_logo(path.read_bytes()))
        except ValidationError as error:
            self.context.show_error(self, error)
        except OSError as error:
            self.context.show_error(
                self,
                ValidationError(
                    _("{path} cannot be read: {reason}").format(
                        path=path, reason=error.strerror or error
                    )
                ),
            )

    def set_logo(self, logo: bytes | None) -> None:
        """Show ``logo`` as the one to save (``None``: no logo)."""
        self.logo = logo
        self.logo_remove.setEnabled(logo is not None)
        picture = QPixmap()
        if logo is None or not picture.loadFromData(logo):
            self.logo_preview.setText(_("none"))
            return
        self.logo_preview.setPixmap(
            picture.scaledToHeight(LOGO_PREVIEW_HEIGHT, Qt.TransformationMode.SmoothTransformation)
        )

    def _user_changed(self, _login: str) -> None:
        self._load_users()

    def _load_users(self) -> None:
        def query(uow: UnitOfWork) -> tuple[list[UserView], bool]:
            return list_users(uow), shop_is_open(uow)

        ReadOp(self.context, self, query).success(lambda found: self._show_users(*found)).run()

    def _show_users(self, users: list[UserView], open_shop: bool = True) -> None:
        self.user.setEnabled(open_shop)  # in a closed shop a person signs in (Ctrl+L)
        self.user_note.setText(desk_note(open_shop))
        self.user.clear()
        for user in users:
            self.user.addItem(f"{user.display_name} ({Role(user.role).label})", user.login)
        self.user.setCurrentIndex(max(self.user.findData(self.context.user), 0))

    def _show_terms(self, language: str) -> None:
        self._language = language
        self.terms_text.setPlaceholderText(translator(language).gettext(DEFAULT_TERMS))
        self.terms_text.setPlainText(self.terms.get(language, ""))

    def _switch_terms(self) -> None:
        self.terms[self._language] = self.terms_text.toPlainText().strip()
        self._show_terms(self.terms_language.currentData())

    def _choose_user(self) -> None:
        login = self.user.currentData()
        if login:
            self.context.state.setValue(USER_KEY, login)
            self.context.set_user(login)

    def _language_activated(self) -> None:
        """A pick from the open list counts at once; an arrow key in the closed list waits."""
        if self._language_popup_used or not self.language.hasFocus():
            self._language_popup_used = False
            self._choose_language()

    _language_popup_used = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.language:
            kind = event.type()
            if kind == QEvent.Type.MouseButtonPress or (
                isinstance(event, QKeyEvent)
                and kind == QEvent.Type.KeyPress
                and (
                    event.key() in (Qt.Key.Key_F4, Qt.Key.Key_Space)
                    or (
                        event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
                        and event.modifiers() & Qt.KeyboardModifier.AltModifier
                    )
                )
            ):
                self._language_popup_used = True  # the list opens: what is picked counts
            elif (
                isinstance(event, QKeyEvent)
                and kind == QEvent.Type.KeyPress
                and event.key()
                in (
                    Qt.Key.Key_Return,
                    Qt.Key.Key_Enter,
                )
            ):
                self._choose_language()
                return True
            elif kind == QEvent.Type.FocusOut:
                self._choose_language()
        return super().eventFilter(watched, event)

    def _choose_language(self) -> None:
        choice = str(self.language.currentData() or "")
        if choice == self._language_shown:
            return  # nothing new chosen (the focus passed through, or Enter again)
        self._language_shown = choice
        self.context.state.setValue(LANGUAGE_KEY, choice)
        self.context.state.sync()
        wanted = choice or system_language()
        if wanted != ui_language() and self.confirm_switch(LANGUAGE_NAMES[wanted]):
            self.context.language_requested.emit(wanted)

    def confirm_switch(self, name: str) -> bool:
        """Ask whether to reopen the window in the new language now (tests answer instead)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Language"))
        box.setText(
            _("RepairShop will speak {language} at this desk from the next start.").format(
                language=name
            )
        )
        box.setInformativeText(
            _(
                "Switch now? The window reopens in the new language: open job cards close "
                "and an unfinished intake is cleared."
            )
        )
        now = box.addButton(_("Switch now"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("At next start"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(now)
        box.exec()
        return box.clickedButton() is now

    def edited(self) -> ShopSettings:
        self.terms[self._language] = self.terms_text.toPlainText().strip()
        return replace(
            self.settings,
            name=self.name.text(),
            address=self.address.text(),
            vat_id=self.vat_id.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            currency=self.currency.text(),
            region=self.region.text(),
            ticket_prefix=self.ticket_prefix.text(),
            default_promised_days=self.promised_days.value(),
            receipt_terms=dict(self.terms),
        )

    def save_desk(self) -> None:
        """Save this desk's own printers: anyone at the desk may, nothing of the shop's."""
        try:
            self.printers.save()
        except ValidationError as error:
            self.context.show_error(self, error)
            return
        self.desk_saved.setText(_("This desk's printers are saved."))

    def save(self) -> None:
        """Save the shop's details, terms, logo and hours (not this desk's printers)."""
        edited, user, logo = self.edited(), self.context.user, self.logo
        logo_changed = logo != self.stored_logo
        try:
            hours = self.opening_hours.hours()
        except ValidationError as error:
            self.context.show_error(self, error)
            return

        def save_shop(uow: UnitOfWork) -> Changes:
            # One transaction: the shop's details, logo and hours are saved together or not at all.
            changes = save_settings(uow, edited, user) | save_opening_hours(uow, hours, user)
            return changes | save_logo(uow, logo, user) if logo_changed else changes

        WriteOp(self.context, self, save_shop, lambda changes: changes).success(
            lambda _changes: self.load()
        ).run(initiator=self)

    def connect_to_server(self) -> None:
        """This desk's connection to the shop's shared server; used from the next start."""
        if ConnectionDialog(self.context.state, self).exec():
            QMessageBox.information(
                self,
                _("Database server"),
                _("RepairShop opens the chosen database when it starts next time."),
            )

    def _on_changed(self, changes: Changes, initiator: object | None = None) -> None:
        if initiator is self:
            return  # its own save: it loads once when the save is done
        if changes.touches(ChangeKind.SETTINGS) or changes.touches(ChangeKind.USER):
            self.load()
