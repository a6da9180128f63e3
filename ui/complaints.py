"""Complaints on the job card: open one about a collected job, decide it, print its protocol.

"Complaint…" on a collected job's card opens a complaint job linked to it (what is claimed
and the remedy asked for) and brings its card to the front; on the complaint's card,
"Decide complaint…" records the decision (accepted with how it is settled, or rejected with
the reason) and "Complaint protocol…" previews and prints the protocol PDF in the customer's
language. Every write goes through the one operation path; the core decides what is allowed.
"""

from __future__ import annotations

from datetime import date

from repairshop.domain.complaints import ComplaintOutcome, Remedy
from repairshop.domain.roles import Permission, may
from repairshop.domain.statuses import JobStatus
from repairshop.errors import RepairShopError
from repairshop.i18n import _, format_day
from repairshop.printing.options import ReceiptPaper
from repairshop.services.aftersales.complaints import decide_complaint, open_complaint
from repairshop.services.jobs.intake import IntakeResult
from repairshop.services.jobs.views import JobView
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.forms import ok_cancel
from ui.operations import ReadOp, WriteOp
from ui.printing import Printout, PrintPreviewDialog, load_print_settings, preview_when_made
from ui.qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSettings,
    Qt,
    QWidget,
)
from ui.roles import mark


def _text_box(parent: QWidget, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setMinimumHeight(3 * box.fontMetrics().lineSpacing() + 12)
    return box


class OpenComplaintDialog(QDialog):
    """A complaint about the collected job ``view``: what is claimed, the remedy asked for."""

    def __init__(self, context: AppContext, view: JobView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.original = view.code
        self.opened: str | None = None
        """The complaint's ticket code, once opened."""
        self.setWindowTitle(_("Complaint about {code}").format(code=view.code))
        form = QFormLayout(self)
        intro = QLabel(
            _(
                "The customer complains about job {code} ({device}). The complaint becomes a "
                "job of its own; its legal deadline counts from today."
            ).format(code=view.code, device=view.device.title),
            self,
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.fault = _text_box(self, _("What is wrong now, in the customer's words"))
        self.fault.setPlainText(view.fault)
        self.fault.selectAll()
        self.remedy = QComboBox(self)
        self.remedy.addItem(_("Not said yet"), None)
        for remedy in Remedy:
            self.remedy.addItem(remedy.label, remedy.value)
        self.remedy.setCurrentIndex(self.remedy.findData(Remedy.REPAIR.value))
        form.addRow(_("&What is claimed:"), self.fault)
        form.addRow(_("&Remedy asked for:"), self.remedy)
        buttons = ok_cancel(self, _("&Open complaint"))
        buttons.accepted.connect(self.open_complaint)
        form.addRow(buttons)
        self.fault.setFocus()
        self.resize(520, 300)

    def open_complaint(self) -> None:
        code, user, fault = self.original, self.context.user, self.fault.toPlainText()
        key = self.remedy.currentData()
        remedy = Remedy(key) if key else None

        def opened(result: IntakeResult) -> None:
            self.opened = result.code
            self.accept()
            self.context.open_job(result.code)

        WriteOp(
            self.context,
            self,
            lambda uow: open_complaint(uow, code, user, fault=fault, remedy=remedy),
            lambda result: result.changes,
        ).success(opened).run(initiator=self.parent())


class DecideComplaintDialog(QDialog):
    """The decision on complaint ``view``: accepted with a remedy, or rejected; and why."""

    def __init__(
        self, context: AppContext, view: JobView, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        complaint = view.complaint
        assert complaint is not None
        self.context = context
        self.code = view.code
        self.setWindowTitle(_("Decide complaint {code}").format(code=view.code))
        form = QFormLayout(self)
        asked = complaint.remedy.label if complaint.remedy else "—"
        facts = QLabel(
            _("About {of}, received {received}; asked for: {remedy}.").format(
                of=complaint.of, received=format_day(complaint.received), remedy=asked
            )
            + "\n"
            + complaint.countdown(today),
            self,
        )
        facts.setWordWrap(True)
        form.addRow(facts)
        self.outcome = QComboBox(self)
        for outcome in ComplaintOutcome:
            self.outcome.addItem(outcome.label, outcome.value)
        self.remedy = QComboBox(self)
        for remedy in Remedy:
            self.remedy.addItem(remedy.label, remedy.value)
        if complaint.remedy is not None:
            self.remedy.setCurrentIndex(self.remedy.findData(complaint.remedy.value))
        self.reason = _text_box(self, _("Why: the customer reads this on the protocol"))
        form.addRow(_("&Decision:"), self.outcome)
        form.addRow(_("&Settled by:"), self.remedy)
        form.addRow(_("&Reason:"), self.reason)
        buttons = ok_cancel(self, _("&Record decision"))
        buttons.accepted.connect(self.decide)
        form.addRow(buttons)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.outcome.setFocus()
        self.resize(520, 320)

    def _outcome_changed(self) -> None:
        self.remedy.setEnabled(self.outcome.currentData() == ComplaintOutcome.ACCEPTED.value)

    def decide(self) -> None:
        code, user, reason = self.code, self.context.user, self.reason.toPlainText()
        outcome = ComplaintOutcome(self.outcome.currentData())
        remedy = Remedy(self.remedy.currentData()) if self.remedy.isEnabled() else None

        WriteOp(
            self.context,
            self,
            lambda uow: decide_complaint(uow, code, outcome, user, reason=reason, remedy=remedy),
            lambda result: result.changes,
        ).success(lambda _result: self.accept()).run(initiator=self.parent())


def print_complaint_protocol(
    context: AppContext,
    code: str,
    parent: QWidget | None = None,
    *,
    store: QSettings | None = None,
) -> None:
    """Preview the complaint's protocol (made on the worker) with Print and Save as PDF."""
    settings = load_print_settings(store)
    viewer = context.user
    # An A4 page: the receipt printer if it prints sheets, never a receipt roll.
    sheets = settings.receipt_format != ReceiptPaper.ROLL_80MM
    printer = settings.receipt_printer if sheets else ""

    def make(uow: UnitOfWork) -> Printout:
        from repairshop.printing.complaint_protocol import complaint_protocol_pdf
        from repairshop.printing.documents import job_to_print

        printing = job_to_print(uow, code, viewer)
        pdf = complaint_protocol_pdf(printing.job, printing.shop, logo=printing.logo)
        title = _("Complaint protocol {code}").format(code=code)
        return Printout(_("Complaint protocol"), title, pdf, printer)

    def opened(dialog: PrintPreviewDialog) -> None:
        if isinstance(parent, ComplaintActions):
            parent.preview = dialog

    preview_when_made(context, code, parent, make, opened)


class ComplaintActions(QWidget):
    """The card's complaint buttons: those that fit the job shown."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.view: JobView | None = None
        self.today: date | None = None
        self.dialog: QDialog | None = None
        """The dialog last opened (tests drive it)."""
        self.preview: PrintPreviewDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.open_button = QPushButton(_("&Complaint…"), self)
        self.open_button.setToolTip(_("The customer complains about this job: open a complaint"))
        # No Alt letter: in English every letter of it is taken on a complaint ready to collect.
        self.decide_button = QPushButton(_("Decide complaint…"), self)
        self.decide_button.setToolTip(_("Accept or reject the complaint, and say why"))
        self.protocol_button = QPushButton(_("Compla&int protocol…"), self)
        self.protocol_button.setToolTip(_("Preview and print the protocol for the customer"))
        for button in (self.open_button, self.decide_button, self.protocol_button):
            row.addWidget(button)
            button.hide()
        self.open_button.clicked.connect(self.open_complaint)
        self.decide_button.clicked.connect(self.decide)
        mark(self.decide_button, Permission.DECIDE_COMPLAINT)
        self.protocol_button.clicked.connect(self.print_protocol)

    def show_job(self, view: JobView, today: date) -> None:
        self.view, self.today = view, today
        complaint = view.complaint
        self.open_button.setVisible(view.status is JobStatus.COLLECTED)
        self.decide_button.setVisible(complaint is not None and complaint.is_open)
        self.protocol_button.setVisible(complaint is not None)
        if complaint is not None and complaint.is_open:
            login = self.context.user

            def may_decide(uow: UnitOfWork) -> bool:
                return may(get_user(uow, login).role, Permission.DECIDE_COMPLAINT)

            ReadOp(self.context, self, may_decide, self._show_may_decide).run()

    def _show_may_decide(self, allowed: bool) -> None:
        """Only a manager decides a complaint: for anyone else the button says so."""
        self.decide_button.setEnabled(allowed)
        self.decide_button.setToolTip(
            _("Accept or reject the complaint, and say why")
            if allowed
            else _("Only a manager decides a complaint")
        )

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        owner = self.parent()
        reload = getattr(owner, "reload", None)
        if reload is not None:
            dialog.accepted.connect(reload)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_complaint(self) -> None:
        if self.view is not None:
            self._open(OpenComplaintDialog(self.context, self.view, self._window()))

    def decide(self) -> None:
        view, today = self.view, self.today
        if view is None or today is None or view.complaint is None:
            return
        try:
            dialog = DecideComplaintDialog(self.context, view, today, self._window())
        except RepairShopError as error:
            self.context.show_error(self, error)
            return
        self._open(dialog)

    def print_protocol(self) -> None:
        if self.view is not None:
            print_complaint_protocol(self.context, self.view.code, self, store=self.context.state)

    def _window(self) -> QWidget:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else self
