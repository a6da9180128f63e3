"""The message to a customer about their job: read, adjust, send, and note it in the history.

The words come from :mod:`repairshop.services.customers.messages`, in the customer's
language whatever the desk speaks, worded as the shop worded that message in Settings
(``template.*``) — the same text the app sends by itself — or the built-in one where the
shop has none. The desk's own mail client sends the e-mail
(``mailto:``); the text message is copied for the shop's SMS gateway or phone.
"Note as sent" records in the job's history who told the customer what, and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from repairshop.domain.contacts import format_phone
from repairshop.errors import RepairShopError
from repairshop.i18n import _, pgettext
from repairshop.services.customers.messages import (
    CustomerMessage,
    MessageKind,
    customer_message,
    message_kind_for,
)
from repairshop.services.jobs.views import JobView
from repairshop.services.jobs.workflow import add_note
from repairshop.services.money.lines import JobLinesView
from repairshop.services.shop.settings import ShopSettings
from ui.context import AppContext
from ui.language import add_languages
from ui.operations import WriteOp
from ui.qt import (
    QComboBox,
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGuiApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QUrl,
    QUrlQuery,
    QVBoxLayout,
    QWidget,
)

SMS_LENGTH = 160


@dataclass(frozen=True)
class MessageWording:
    """How the shop words what it sends: its own templates, and for the feedback request the
    job's reply code and the shop's feedback page (read with the job by the opener)."""

    templates: Mapping[str, str] = field(default_factory=dict)
    reply_code: str = ""
    reply_url: str = ""


class CustomerMessageDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        job: JobView,
        shop: ShopSettings,
        parent: QWidget | None = None,
        quote: JobLinesView | None = None,
        *,
        templates: Mapping[str, str] | None = None,
        reply_code: str = "",
        reply_url: str = "",
    ) -> None:
        """``shop``: the settings the message is signed with (read by the opener);
        ``quote``: the job's lines, listed in the approval messages as the outbox sends them;
        ``templates``: the shop's own wordings (``MessagingSettings.templates``);
        ``reply_code`` and ``reply_url``: the job's feedback reply code and the shop's
        feedback page, named in the feedback request."""
        super().__init__(parent)
        self.context = context
        self.job = job
        self.shop = shop
        self.quote = quote
        self.templates = dict(templates or {})
        self.reply_code = reply_code
        self.reply_url = reply_url
        self.setWindowTitle(_("Message to the customer, job {code}").format(code=job.code))

        self.kind = QComboBox(self)
        for kind in MessageKind:
            self.kind.addItem(kind.label, kind.value)
        suggested = message_kind_for(job) or MessageKind.WAITING_FOR_PARTS
        self.kind.setCurrentIndex(self.kind.findData(suggested.value))
        self.language = QComboBox(self)
        add_languages(self.language, job.customer.language)
        self.consent = QLabel(
            _("The customer has not agreed to be contacted by e-mail or text."), self
        )
        self.consent.setStyleSheet("color: #b3261e; font-weight: 600")
        self.consent.setVisible(not job.customer.consent_to_contact)
        self.to = QLabel(self)
        self.to.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subject = QLineEdit(self)
        self.body = QPlainTextEdit(self)
        self.body.setMinimumSize(520, 240)
        self.text = QPlainTextEdit(self)
        self.text.setMaximumHeight(70)
        self.text_length = QLabel(self)
        self.text.textChanged.connect(self._count)

        form = QFormLayout()
        form.addRow(_("What to tell"), self.kind)
        form.addRow(_("Language"), self.language)
        form.addRow(pgettext("recipient", "To"), self.to)
        form.addRow(_("Subject"), self.subject)
        form.addRow(_("E-mail"), self.body)
        form.addRow(_("Text message"), self.text)
        form.addRow("", self.text_length)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.mail_button = QPushButton(_("Open in &e-mail"), self)
        self.copy_mail = QPushButton(_("&Copy e-mail"), self)
        self.copy_text = QPushButton(_("Copy &text"), self)
        self.sent_button = QPushButton(_("&Note as sent"), self)
        for button in (self.mail_button, self.copy_mail, self.copy_text, self.sent_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.mail_button.clicked.connect(self.open_mail)
        self.copy_mail.clicked.connect(
            lambda: self._copy(f"{self.subject.text()}\n\n{self.body.toPlainText()}")
        )
        self.copy_text.clicked.connect(lambda: self._copy(self.text.toPlainText()))
        self.sent_button.clicked.connect(self.note_as_sent)

        layout = QVBoxLayout(self)
        layout.addWidget(self.consent)
        layout.addLayout(form)
        layout.addWidget(buttons)

        self.kind.currentIndexChanged.connect(self.write)
        self.language.currentIndexChanged.connect(self.write)
        self.write()

    def write(self) -> None:
        """Write the message anew for the chosen kind and language (edits are replaced)."""
        message = self.message()
        email = message.email or _("no e-mail address")
        phone = format_phone(message.phone) or _("no phone number")
        self.to.setText(f"{message.to_name} · {email} · {phone}")
        self.subject.setText(message.subject)
        self.body.setPlainText(message.body)
        self.text.setPlainText(message.text)
        self.mail_button.setEnabled(bool(message.email))

    def message(self) -> CustomerMessage:
        kind = MessageKind(self.kind.currentData())
        feedback = kind is MessageKind.FEEDBACK and bool(self.reply_code)
        return customer_message(
            self.job,
            self.shop,
            kind,
            str(self.language.currentData()),
            quote=self.quote,
            reply_code=self.reply_code if feedback else "",
            reply_url=self.reply_url if feedback else "",
            templates=self.templates,
        )

    def mail_url(self) -> QUrl:
        url = QUrl(f"mailto:{self.job.customer.email or ''}")
        query = QUrlQuery()
        query.addQueryItem("subject", self.subject.text())
        query.addQueryItem("body", self.body.toPlainText())
        url.setQuery(query)
        return url

    def open_mail(self) -> None:
        if not QDesktopServices.openUrl(self.mail_url()):
            self.context.show_error(
                self,
                RepairShopError(_("No e-mail program opened. Copy the e-mail instead.")),
            )

    def note_as_sent(self) -> None:
        code, user = self.job.code, self.context.user
        what = _("Customer told: {what}").format(what=self.kind.currentText())
        WriteOp(
            self.context,
            self,
            lambda uow: add_note(uow, code, what, user),
            lambda result: result.changes,
        ).success(lambda _result: self.accept()).run(initiator=self.parent())

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    def _count(self) -> None:
        length = len(self.text.toPlainText())
        self.text_length.setText(
            _("{length} of {limit} characters").format(length=length, limit=SMS_LENGTH)
        )
        colour = "#b3261e" if length > SMS_LENGTH else "palette(text)"
        self.text_length.setStyleSheet(f"color: {colour}")
