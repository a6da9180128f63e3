"""The Messages view: every message to customers (what, to whom, when, by which channel, sent
or why not), and how the shop sends them: the mail server, the SMS gateway, which occasion
is told by which channel, when reminders go out, with a preview of each message."""

from __future__ import annotations

from collections.abc import Callable

from repairshop.domain.roles import Permission
from repairshop.i18n import N_, _, format_moment, ngettext, pgettext, ui_language
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.customers.messages import MessageKind, customer_message
from repairshop.services.customers.outbox import LoggedMessage, message_log, preview_job
from repairshop.services.customers.privacy import PrivacyStatus, privacy_status
from repairshop.services.jobs.views import JobView
from repairshop.services.shop.messaging import (
    NOTIFY_PREFIX,
    TEMPLATE_FIELDS,
    TEMPLATE_PARTS,
    get_messaging,
    template_key,
)
from repairshop.services.shop.settings import ShopSettings, get_settings, set_setting
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.job_card import CHANNELS, MESSAGE_STATES
from ui.language import add_languages
from ui.operations import ReadOp, WriteOp
from ui.outbox_sender import OutboxSender
from ui.parts.models import ListTableModel
from ui.privacy_keeper import PrivacyKeeper
from ui.qt import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.roles import gate
from ui.tables import make_table

LOG_COLUMNS: list[tuple[str, Callable[[LoggedMessage], object]]] = [
    (N_("When"), lambda m: format_moment(m.at)),
    (N_("Job"), lambda m: m.job_code or ""),
    (N_("Message"), lambda m: m.kind_label),
    (N_("Channel"), lambda m: _(CHANNELS.get(m.channel, m.channel))),
    (N_("Recipient"), lambda m: m.to),
    (N_("State"), lambda m: _(MESSAGE_STATES.get(m.state, m.state))),
    (N_("Why"), lambda m: m.error),
]
LOG_WIDTHS = (120, 75, 150, 60, 170, 90)

CHANNEL_CHOICES = (
    ("email", N_("E-mail")),
    ("sms", N_("SMS")),
    ("both", N_("E-mail and SMS")),
    ("off", N_("Not sent")),
)
NOTIFY_LABELS = (
    ("received", N_("Device received")),
    ("needs_approval", N_("Approval needed")),
    ("waiting_for_parts", N_("Parts are on order")),
    ("parts_arrived", N_("Parts arrived")),
    ("ready", N_("Ready for pickup")),
    ("ready_unrepaired", N_("Ready for pickup, not repaired")),
    ("delayed", N_("Repair delayed")),
    ("reminder", N_("Reminders (pickup, storage fee, approval)")),
    ("feedback", N_("Feedback request after collection")),
)
SECURITY_CHOICES = (
    ("starttls", N_("STARTTLS")),
    ("tls", N_("SSL/TLS")),
    ("none", N_("None (not encrypted)")),
)
GATEWAY_CHOICES = (
    ("off", N_("No SMS")),
    ("http", N_("HTTP gateway")),
    ("email", N_("E-mail to SMS")),
)
REMINDERS = (
    ("reminder.ready_days", N_("Pickup reminder after")),
    ("reminder.storage_fee_days", N_("Storage fee notice after")),
    ("reminder.approval_days", N_("Approval reminder after")),
)
PRIVACY = (
    ("privacy.retention_years", N_("Anonymise customers inactive for"), 100, N_("years")),
    ("privacy.passcode_days", N_("Erase passcodes after collection"), 3650, N_("days")),
)
SAMPLE_REPLY_CODE = "K7MX4P"
"""The reply code a feedback request's preview shows (each real request gets its own)."""


def _combo(parent: QWidget, choices: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox(parent)
    for value, label in choices:
        combo.addItem(_(label), value)
    return combo


def _save_messaging(uow: UnitOfWork, values: dict[str, str], actor: str) -> Changes:
    changes = Changes()
    for key, value in values.items():
        changes |= set_setting(uow, key, value, actor)
    return changes


class MessagesView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.stored: dict[str, str] = {}
        self.preview_on: tuple[JobView | None, ShopSettings] | None = None
        self.outbox = OutboxSender(context, self)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        log = QWidget(splitter)
        log_layout = QVBoxLayout(log)
        log_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Messages to customers, newest first"), log), 1)
        self.send_button = QPushButton(_("Send &now"), log)
        self.send_button.clicked.connect(self.send_now)
        self.outbox.finished.connect(lambda _report: self.send_button.setEnabled(True))
        bar.addWidget(self.send_button)
        log_layout.addLayout(bar)
        self.model: ListTableModel[LoggedMessage] = ListTableModel(LOG_COLUMNS, self)
        self.table = make_table(log, self.model, LOG_WIDTHS)
        self.table.setAccessibleName(_("Messages to customers"))
        self.table.doubleClicked.connect(self._open_job)
        log_layout.addWidget(self.table, 1)
        splitter.addWidget(log)

        settings = QWidget(splitter)
        self._build_settings(settings)
        scroll = QScrollArea(splitter)
        scroll.setWidget(settings)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)

        context.changed.connect(self._on_changed)
        self._loaded = False

    def _build_settings(self, parent: QWidget) -> None:
        mail = QGroupBox(_("E-mail"), parent)
        self.mail_host = QLineEdit(mail)
        self.mail_port = QSpinBox(mail)
        self.mail_port.setRange(1, 65535)
        self.mail_security = _combo(mail, SECURITY_CHOICES)
        self.mail_user = QLineEdit(mail)
        self.mail_from = QLineEdit(mail)
        self.mail_from.setPlaceholderText(_("the shop's e-mail"))
        form = QFormLayout(mail)
        form.addRow(_("Mail server"), self.mail_host)
        form.addRow(_("Port"), self.mail_port)
        form.addRow(_("Encryption"), self.mail_security)
        form.addRow(_("User name"), self.mail_user)
        form.addRow(_("Sender address"), self.mail_from)
        password = QLabel(
            _(
                "The password is never kept in the database: it is read from the system "
                "keyring (service RepairShop, the user name above) or from the variable "
                "REPAIRSHOP_MAIL_PASSWORD."
            ),
            mail,
        )
        password.setWordWrap(True)
        form.addRow(password)

        sms = QGroupBox(_("SMS"), parent)
        self.sms_gateway = _combo(sms, GATEWAY_CHOICES)
        self.sms_url = QLineEdit(sms)
        self.sms_url.setPlaceholderText(_("https://sms.example/send?to={to}&text={text}"))
        self.sms_method = QComboBox(sms)
        self.sms_method.addItems(["GET", "POST"])
        self.sms_body = QLineEdit(sms)
        self.sms_body.setPlaceholderText(_('{"to": "{to}", "text": "{text}"}'))
        self.sms_sender = QLineEdit(sms)
        self.sms_email = QLineEdit(sms)
        self.sms_email.setPlaceholderText(_("{number}@sms.operator.example"))
        sms_form = QFormLayout(sms)
        sms_form.addRow(_("Send SMS by"), self.sms_gateway)
        sms_form.addRow(_("Gateway address"), self.sms_url)
        sms_form.addRow(pgettext("http request", "Method"), self.sms_method)
        sms_form.addRow(_("Request body"), self.sms_body)
        sms_form.addRow(_("Sender name"), self.sms_sender)
        sms_form.addRow(_("E-mail-to-SMS address"), self.sms_email)

        told = QGroupBox(_("Who hears what"), parent)
        told_form = QFormLayout(told)
        self.notify: dict[str, QComboBox] = {}
        for kind, label in NOTIFY_LABELS:
            combo = _combo(told, CHANNEL_CHOICES)
            self.notify[kind] = combo
            told_form.addRow(_(label), combo)
        self.reminders: dict[str, QSpinBox] = {}
        for key, label in REMINDERS:
            spin = QSpinBox(told)
            spin.setRange(0, 3650 if key == "reminder.storage_fee_days" else 365)
            spin.setSuffix(" " + _("days"))
            spin.setSpecialValueText(_("never"))
            self.reminders[key] = spin
            told_form.addRow(_(label), spin)
        self.feedback_url = QLineEdit(told)
        self.feedback_url.setPlaceholderText(_("https://shop.example/feedback?code={code}"))
        told_form.addRow(_("Feedback page"), self.feedback_url)
        told_form.addRow(
            QLabel(_("Only customers who agreed to be contacted hear from the shop."), told)
        )

        privacy = QGroupBox(_("Personal data"), parent)
        privacy_form = QFormLayout(privacy)
        self.privacy: dict[str, QSpinBox] = {}
        for key, label, highest, unit in PRIVACY:
            spin = QSpinBox(privacy)
            spin.setRange(0, highest)
            spin.setSuffix(" " + _(unit))
            spin.setSpecialValueText(_("never"))
            self.privacy[key] = spin
            privacy_form.addRow(_(label), spin)
        self.privacy_status = QLabel(privacy)
        self.privacy_status.setObjectName("privacy_status")
        self.privacy_status.setWordWrap(True)
        privacy_form.addRow(self.privacy_status)
        # The app applies the rule by itself: what it last did shows here as it happens.
        PrivacyKeeper.of(self.context).finished.connect(self._privacy_applied)

        preview = QGroupBox(_("Preview"), parent)
        self.preview_kind = QComboBox(preview)
        for kind in MessageKind:
            self.preview_kind.addItem(kind.label, kind.value)
        self.preview_kind.setAccessibleName(_("Message"))
        self.preview_language = QComboBox(preview)
        add_languages(self.preview_language, ui_language())
        self.preview_language.setAccessibleName(_("Language"))
        self.preview_text = QPlainTextEdit(preview)
        self.preview_text.setReadOnly(True)
        self.preview_text.setAccessibleName(_("Preview"))
        self.preview_text.setMinimumHeight(180)
        choose = QHBoxLayout()
        choose.addWidget(self.preview_kind, 2)
        choose.addWidget(self.preview_language, 1)
        # The shop's own wording of the chosen message in the chosen language.
        self.own_subject = QLineEdit(preview)
        self.own_body = QPlainTextEdit(preview)
        self.own_body.setTabChangesFocus(True)
        self.own_body.setMaximumHeight(110)
        self.own_text = QLineEdit(preview)
        for field in (self.own_subject, self.own_text):
            field.setPlaceholderText(_("the built-in wording"))
        self.own_body.setPlaceholderText(
            _("the built-in wording; {name}, {code}, {device}, {shop}, {date}, {reply}, {url}")
        )
        own = QFormLayout()
        own.addRow(_("Own subject"), self.own_subject)
        own.addRow(_("Own e-mail text"), self.own_body)
        own.addRow(_("Own SMS text"), self.own_text)
        preview_layout = QVBoxLayout(preview)
        preview_layout.addLayout(choose)
        preview_layout.addLayout(own)
        preview_layout.addWidget(self.preview_text, 1)
        self.own_subject.textChanged.connect(lambda _t: self._show_preview())
        self.own_body.textChanged.connect(self._show_preview)
        self.own_text.textChanged.connect(lambda _t: self._show_preview())
        self.preview_kind.currentIndexChanged.connect(lambda _i: self._show_template())
        self.preview_language.currentIndexChanged.connect(lambda _i: self._show_template())

        self.save_button = QPushButton(_("&Save message settings"), parent)
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        gate(self.context, self.save_button, Permission.EDIT_SETTINGS)
        # Read-only to who may not save them; the preview stays for everyone.
        for control in (mail, sms, told, privacy, self.own_subject, self.own_body, self.own_text):
            gate(self.context, control, Permission.EDIT_SETTINGS, hide=False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        column = QVBoxLayout(parent)
        for group in (mail, sms, told, privacy, preview):
            column.addWidget(group)
        column.addLayout(buttons)
        column.addStretch(1)

    # --- reading -----------------------------------------------------------------------------

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self._loaded:
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def reload(self) -> None:
        self._loaded = True
        viewer = self.context.user

        def query(
            uow: UnitOfWork,
        ) -> tuple[
            list[LoggedMessage], dict[str, str], JobView | None, ShopSettings, PrivacyStatus
        ]:
            return (
                message_log(uow),
                {**get_messaging(uow).values, **get_messaging(uow).templates},
                preview_job(uow, viewer),
                get_settings(uow),
                privacy_status(uow),
            )

        ReadOp(self.context, self, query).success(lambda found: self._show(*found)).run()

    def _privacy_applied(self, done: object) -> None:
        if done is not None and self._loaded:
            ReadOp(self.context, self, privacy_status, self._show_privacy).run()

    def _show_privacy(self, status: PrivacyStatus) -> None:
        if status.last_at is None:
            text = (
                _("Applied by the app once a day; not applied yet.")
                if status.on
                else _("Nothing is erased while both are “never”.")
            )
        else:
            customers = ngettext(
                "{count} customer anonymised", "{count} customers anonymised", status.anonymised
            ).format(count=status.anonymised)
            passcodes = ngettext(
                "{count} passcode erased", "{count} passcodes erased", status.passcodes_erased
            ).format(count=status.passcodes_erased)
            text = _("Last applied {moment}: {customers}, {passcodes}.").format(
                moment=format_moment(status.last_at, tz=status.zone),
                customers=customers,
                passcodes=passcodes,
            )
        self.privacy_status.setText(text)

    def _show(
        self,
        messages: list[LoggedMessage],
        values: dict[str, str],
        job: JobView | None,
        shop: ShopSettings,
        privacy: PrivacyStatus,
    ) -> None:
        self.model.set_rows(messages)
        self._show_privacy(privacy)
        self.stored = dict(values)
        self.mail_host.setText(values["mail.host"])
        self.mail_port.setValue(int(values["mail.port"]))
        self.mail_security.setCurrentIndex(self.mail_security.findData(values["mail.security"]))
        self.mail_user.setText(values["mail.user"])
        self.mail_from.setText(values["mail.from"])
        self.sms_gateway.setCurrentIndex(self.sms_gateway.findData(values["sms.gateway"]))
        self.sms_url.setText(values["sms.url_template"])
        self.sms_method.setCurrentText(values["sms.method"])
        self.sms_body.setText(values["sms.body_template"])
        self.sms_sender.setText(values["sms.sender"])
        self.sms_email.setText(values["sms.email_template"])
        for kind, combo in self.notify.items():
            combo.setCurrentIndex(max(combo.findData(values[NOTIFY_PREFIX + kind]), 0))
        for key, spin in self.reminders.items():
            spin.setValue(int(values[key]))
        self.feedback_url.setText(values["feedback.url"])
        for key, spin in self.privacy.items():
            spin.setValue(int(values[key]))
        self.save_button.setEnabled(True)
        self.preview_on = (job, shop)
        self._show_template()

    def _template_keys(self) -> dict[str, str]:
        kind, language = (
            str(self.preview_kind.currentData()),
            str(self.preview_language.currentData()),
        )
        return {part: template_key(kind, language, part) for part in TEMPLATE_PARTS}

    def _show_template(self) -> None:
        """The chosen message's own wording in the chosen language, as stored, and its preview."""
        keys = self._template_keys()
        for part, field in (("subject", self.own_subject), ("text", self.own_text)):
            field.blockSignals(True)
            field.setText(self.stored.get(keys[part], ""))
            field.blockSignals(False)
        self.own_body.blockSignals(True)
        self.own_body.setPlainText(self.stored.get(keys["body"], ""))
        self.own_body.blockSignals(False)
        self._show_preview()

    def _own_wording(self) -> dict[str, str]:
        keys = self._template_keys()
        return {
            keys["subject"]: self.own_subject.text(),
            keys["body"]: self.own_body.toPlainText(),
            keys["text"]: self.own_text.text(),
        }

    def _show_preview(self) -> None:
        if self.preview_on is None:
            return
        job, shop = self.preview_on
        if job is None:
            self.preview_text.setPlainText(_("Take in a job to see its messages here."))
            return
        kind = MessageKind(self.preview_kind.currentData())
        feedback = kind is MessageKind.FEEDBACK
        try:
            message = customer_message(
                job,
                shop,
                kind,
                self.preview_language.currentData(),
                reply_code=SAMPLE_REPLY_CODE if feedback else "",
                reply_url=self.feedback_url.text().strip() if feedback else "",
                templates={key: text for key, text in self._own_wording().items() if text},
            )
        except (KeyError, IndexError, ValueError):  # a brace typed half-way
            self.preview_text.setPlainText(
                _("The wording may name only these fields in braces: {fields}.").format(
                    fields=", ".join("{" + name + "}" for name in TEMPLATE_FIELDS)
                )
            )
            return
        self.preview_text.setPlainText(
            "\n".join(
                (
                    _("On job {code}").format(code=job.code),
                    _("Subject: {subject}").format(subject=message.subject),
                    "",
                    message.body,
                    _("SMS:"),
                    message.text,
                )
            )
        )

    # --- writing -----------------------------------------------------------------------------

    def edited(self) -> dict[str, str]:
        values = {
            "mail.host": self.mail_host.text(),
            "mail.port": str(self.mail_port.value()),
            "mail.security": str(self.mail_security.currentData()),
            "mail.user": self.mail_user.text(),
            "mail.from": self.mail_from.text(),
            "sms.gateway": str(self.sms_gateway.currentData()),
            "sms.url_template": self.sms_url.text(),
            "sms.method": self.sms_method.currentText(),
            "sms.body_template": self.sms_body.text(),
            "sms.sender": self.sms_sender.text(),
            "sms.email_template": self.sms_email.text(),
        }
        values |= {NOTIFY_PREFIX + kind: str(c.currentData()) for kind, c in self.notify.items()}
        values |= {key: str(spin.value()) for key, spin in self.reminders.items()}
        values |= {key: str(spin.value()) for key, spin in self.privacy.items()}
        values["feedback.url"] = self.feedback_url.text()
        values |= {
            key: text
            for key, text in self._own_wording().items()
            if text or self.stored.get(key, "") != text
        }
        return {key: value for key, value in values.items() if self.stored.get(key) != value}

    def save(self) -> None:
        changed, user = self.edited(), self.context.user
        if not changed:
            return
        WriteOp(
            self.context, self, lambda uow: _save_messaging(uow, changed, user), lambda c: c
        ).success(lambda _changes: self.reload()).run(initiator=self)

    def send_now(self) -> None:
        self.send_button.setEnabled(False)
        self.outbox.send_now()

    def _open_job(self, index: QModelIndex) -> None:
        message = self.model.row(index.row())
        if message is not None and message.job_code:
            self.context.open_job(message.job_code)

    def reload_log(self) -> None:
        ReadOp(self.context, self, message_log).success(self.model.set_rows).run()

    def _on_changed(self, changes: Changes, initiator: object | None = None) -> None:
        if initiator is self or not self._loaded:
            return
        if changes.touches(ChangeKind.SETTINGS):
            self.reload()  # someone saved the settings: show theirs
        elif changes.touches(ChangeKind.JOB):
            self.reload_log()  # the form keeps what is being typed
