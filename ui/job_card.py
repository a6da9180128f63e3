"""The job card: one job's customer, device and job fields, its allowed moves, notes and history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from repairshop.domain.complaints import describe_decision
from repairshop.domain.contacts import format_phone
from repairshop.domain.deadlines import Due
from repairshop.domain.devices import DeviceType, device_type_label
from repairshop.domain.money import amount_text, from_minor, read_amount
from repairshop.domain.statuses import JobStatus, JobType, Outcome
from repairshop.errors import Conflict, RepairShopError, ValidationError
from repairshop.i18n import LANGUAGE_NAMES, N_, _, format_day, format_moment, format_money
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.customers.feedback import get_feedback
from repairshop.services.customers.outbox import LoggedMessage, messages_of_job
from repairshop.services.jobs.views import EventView, JobView
from repairshop.services.jobs.workflow import (
    JobChanged,
    JobEdit,
    add_note,
    assign,
    change_status,
    edit_job,
    show_job,
)
from repairshop.services.money.lines import JobLinesView, job_lines
from repairshop.services.parts.job_parts import PART_EVENT_KINDS, describe_part_event
from repairshop.services.shop.messaging import get_messaging
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.settings import ShopSettings, get_settings
from repairshop.services.shop.users import UserView, list_users
from repairshop.services.uow import UnitOfWork
from ui.claim_view import ClaimPanel
from ui.complaints import ComplaintActions
from ui.context import AppContext
from ui.customer_card import CustomerCardDialog
from ui.customer_message import CustomerMessageDialog, MessageWording
from ui.date_field import DateField
from ui.device_history import DeviceHistoryBox
from ui.evidence.card_panel import EVIDENCE_EVENT_KINDS, EvidencePanel, describe_evidence_event
from ui.feedback_dialog import FeedbackDialog
from ui.focus_ring import FocusRing
from ui.job_details import DetailsDialog
from ui.models.job_table import DUE_COLOURS
from ui.money.collect import CollectDialog, open_collect
from ui.money.history import MONEY_EVENT_KINDS, describe_money_event
from ui.money.job_money_panel import JobMoneyPanel, beside_parts
from ui.operations import ReadOp, WriteOp
from ui.parts import JobPartsPanel
from ui.printing import print_job_documents
from ui.qt import (
    QComboBox,
    QDate,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QShortcut,
    QSizePolicy,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)

FIELD_LABELS: dict[str, str] = {
    "fault": N_("Fault"),
    "accessories": N_("Accessories"),
    "condition": N_("Condition"),
    "passcode": N_("Passcode"),
    "pattern_lock": N_("Pattern lock"),
    "estimate": N_("Estimate"),
    "preapproved": N_("Pre-approved up to"),
    "deposit": N_("Deposit"),
    "promised": N_("Promised"),
    "job_type": N_("Job type"),
    "customer.name": N_("Customer's name"),
    "customer.phone": N_("Phone"),
    "customer.email": N_("E-mail"),
    "customer.language": N_("Language"),
    "customer.consent_to_contact": N_("Agrees to be contacted"),
    "device.type": N_("Device type"),
    "device.brand": N_("Brand"),
    "device.model": N_("Model"),
    "device.serial": N_("Serial number"),
    "device.imei": N_("IMEI"),
    "device.colour": N_("Colour"),
}


def _changed(result: JobChanged) -> Changes:
    return result.changes


@dataclass(frozen=True)
class CardData:
    """What a card shows, read in one go on the worker."""

    view: JobView
    today: date
    technicians: list[UserView]
    messages: list[LoggedMessage] = field(default_factory=list)
    """The messages to the customer about this job, oldest first."""


def load_card(uow: UnitOfWork, code: str, user: str) -> CardData:
    view = show_job(uow, code, user)
    return CardData(
        view,
        shop_today(uow),
        list_users(uow, technicians_only=True),
        messages_of_job(uow, view.id),
    )


class JobCard(QWidget):
    """Opened by the main window for one ticket code; refreshed whenever the job changes."""

    loaded = Signal()
    """The card shows the job as just read (once per load; tests count them)."""

    def __init__(self, context: AppContext, data: CardData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.view: JobView = data.view
        self.today = data.today
        self.technicians = data.technicians
        self.messages = data.messages
        self.code = self.view.code

        self.title = QLabel(self)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel(self)
        self.conflict = QFrame(self)
        self.conflict.setStyleSheet("QFrame { background: #fdecea; border-radius: 4px; }")
        conflict_row = QHBoxLayout(self.conflict)
        conflict_row.setContentsMargins(8, 2, 4, 2)
        self.conflict_text = QLabel(
            _(
                "This job was changed elsewhere. Reload to see the change; your edits are kept "
                "until then."
            ),
            self.conflict,
        )
        self.conflict_text.setWordWrap(True)
        self.reload_button = QPushButton(_("Rel&oad"), self.conflict)
        self.reload_button.clicked.connect(lambda _checked=False: self.reload())
        conflict_row.addWidget(self.conflict_text, 1)
        conflict_row.addWidget(self.reload_button)
        self.conflict.hide()

        self.customer = QLabel(self)
        self.customer.setWordWrap(True)
        self.customer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.device = QLabel(self)
        self.device.setWordWrap(True)
        self.device.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.job_type = QComboBox(self)
        for job_type in JobType:
            self.job_type.addItem(job_type.label, job_type.value)
        self.fault = QPlainTextEdit(self)
        self.fault.setTabChangesFocus(True)
        self.fault.setMaximumHeight(70)
        # Two lines at least: the card must fit 1280×800 even with the conflict banner shown.
        self.fault.setMinimumHeight(2 * self.fault.fontMetrics().lineSpacing() + 12)
        self.accessories = QLineEdit(self)
        self.condition = QLineEdit(self)
        self.passcode = QLineEdit(self)
        self.estimate = QLineEdit(self)
        self.preapproved = QLineEdit(self)
        self.deposit = QLineEdit(self)
        self.promised = DateField(self)
        self.promised.setCalendarPopup(True)
        self.save_button = QPushButton(_("&Save changes"), self)
        self.save_button.clicked.connect(self.save)

        self.moves = QHBoxLayout()
        self.move_buttons: dict[JobStatus, QPushButton] = {}
        self.collect_dialog: CollectDialog | None = None
        """The Collect dialog the move to "Collected" last opened (tests drive it)."""
        self.outcome = QComboBox(self)
        self.outcome_label = QLabel(_("Outcome when ready"), self)
        self.technician = QComboBox(self)
        self.assign_button = QPushButton(_("&Assign"), self)
        self.assign_button.clicked.connect(self.assign)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(_("Add a note to the history and press Enter"))
        self.note.returnPressed.connect(self.add_note)
        self.focus_ring = FocusRing(self)
        self.history = QListWidget(self)
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.message_log = QListWidget(self)
        self.message_log.setWordWrap(True)
        self.message_log.setAccessibleName(_("Messages to the customer"))
        # It takes the room left under the device, never more: the card fits 1280×800.
        self.message_log.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.message_log.setMinimumHeight(3 * self.message_log.fontMetrics().lineSpacing())

        self._lay_out()
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.reload)
        self.context.changed.connect(self._on_changed)
        # A bound method, not a lambda: Qt drops it with the card when the card is closed.
        self.context.user_changed.connect(self._user_changed)
        self._show(self.view)
        self.loaded.emit()

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.status_label)
        header.addStretch(1)
        reprint = QPushButton(_("&Print receipt and label…"), self)
        reprint.clicked.connect(
            lambda: print_job_documents(self.context, self.code, self, store=self.context.state)
        )
        header.addWidget(reprint)
        tell = QPushButton(_("&Message to customer…"), self)
        tell.clicked.connect(self.message_customer)
        header.addWidget(tell)
        self.feedback_button = QPushButton(_("Feedback…"), self)
        self.feedback_button.clicked.connect(self.enter_feedback)
        header.addWidget(self.feedback_button)

        people = QGroupBox(_("Customer"), self)
        people_layout = QVBoxLayout(people)
        people_layout.addWidget(self.customer)
        self.customer_button = QPushButton(_("Customer card…"), people)
        self.customer_button.clicked.connect(self.open_customer)
        people_layout.addWidget(self.customer_button)
        device = QGroupBox(_("Device"), self)
        QVBoxLayout(device).addWidget(self.device)
        correct = QPushButton(_("Correct &details…"), self)
        correct.clicked.connect(self.correct_details)
        left = QVBoxLayout()
        left.addWidget(people)
        left.addWidget(device)
        left.addWidget(correct)
        left.addStretch(1)

        job = QGroupBox(_("Job"), self)
        form = QFormLayout(job)
        form.addRow(_("Job type"), self.job_type)
        form.addRow(_("Fault"), self.fault)
        form.addRow(_("Accessories"), self.accessories)
        form.addRow(_("Condition"), self.condition)
        form.addRow(_("Passcode"), self.passcode)
        form.addRow(_("Estimate"), self.estimate)
        form.addRow(_("Pre-approved up to"), self.preapproved)
        form.addRow(_("Deposit"), self.deposit)
        form.addRow(_("Promised"), self.promised)
        form.addRow("", self.save_button)

        work = QGroupBox(_("Workshop"), self)
        work_layout = QVBoxLayout(work)
        work_layout.addWidget(QLabel(_("Move to:"), work))
        work_layout.addLayout(self.moves)
        outcome_row = QHBoxLayout()
        outcome_row.addWidget(self.outcome_label)
        outcome_row.addWidget(self.outcome, 1)
        work_layout.addLayout(outcome_row)
        assign_row = QHBoxLayout()
        assign_row.addWidget(QLabel(_("Technician"), work))
        assign_row.addWidget(self.technician, 1)
        assign_row.addWidget(self.assign_button)
        work_layout.addLayout(assign_row)
        note_row = QHBoxLayout()
        note_label = QLabel(_("No&te"), work)
        note_label.setBuddy(self.note)  # Alt+N: straight to the note, from anywhere on the card
        note_row.addWidget(note_label)
        note_row.addWidget(self.note, 1)
        work_layout.addLayout(note_row)
        # The job's records share one place: its history, the device's earlier visits (a tab
        # only when there are some), the evidence, the messages sent.
        self.device_history = DeviceHistoryBox(self.context, self, shows_itself=False)
        self.device_history.setTitle("")
        self.device_history.setFlat(True)
        self.evidence = EvidencePanel(self.context, self.code, self.view.customer.name, self)
        self.evidence.setTitle("")
        self.evidence.setFlat(True)
        self.records = QTabWidget(work)
        self.records.setDocumentMode(True)
        self.history.setAccessibleName(_("History"))
        self.message_log.setAccessibleName(_("Messages"))
        self.records.addTab(self.history, _("History"))
        self.records.addTab(self.device_history, _("Earlier visits"))
        self.records.setTabVisible(1, False)
        self.device_history.found.connect(self._show_earlier_visits)
        self.records.addTab(self.evidence, _("Evidence"))
        self.records.addTab(self.message_log, _("Messages"))
        self.claim = ClaimPanel(self.context, self)
        self.records.addTab(self.claim, _("Claim"))
        self.records.setTabVisible(self.records.indexOf(self.claim), False)
        self.claim.found.connect(self._show_claim_tab)
        self.records.setAccessibleName(_("The job's records"))
        work_layout.addWidget(self.records, 1)

        middle = QVBoxLayout()
        middle.addWidget(job)
        self.complaint_actions = ComplaintActions(self.context, self)
        middle.addWidget(self.complaint_actions)
        middle.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(middle, 4)
        columns.addWidget(work, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)  # the card fits 1280×800 with its banner shown
        layout.addLayout(header)
        layout.addWidget(self.conflict)
        layout.addLayout(columns, 3)
        parts = QGroupBox(_("Parts"), self)
        QVBoxLayout(parts).addWidget(JobPartsPanel(self.context, self.code, parts))
        layout.addLayout(beside_parts(self.context, self.code, parts), 2)
        money = self.findChild(JobMoneyPanel)
        if money is not None:
            money.dialog_closed.connect(self._money_dialog_closed)

    # --- showing --------------------------------------------------------------------------

    def _show_claim_tab(self, found: bool) -> None:
        self.records.setTabVisible(self.records.indexOf(self.claim), found)

    def _show_earlier_visits(self, count: int) -> None:
        index = self.records.indexOf(self.device_history)
        self.records.setTabVisible(index, count > 0)
        if count:
            self.records.setTabText(index, _("Visits ({count})").format(count=count))
            if self.view.complaint is not None:  # a complaint is about one of them
                self.records.setCurrentIndex(index)

    def _show(self, view: JobView) -> None:
        self.view = view
        today = self.today
        self.title.setText(f"<span style='font-size:18pt; font-weight:600'>{view.code}</span>")
        due = view.due(today)
        overdue = (
            f" · <b style='color:{DUE_COLOURS[due]}'>{due_label(due)}</b>"
            if due is not Due.ON_TIME
            else ""
        )
        outcome = f" · {Outcome(view.outcome).label}" if view.outcome else ""
        if view.complaint is not None and view.complaint.is_open:
            colour = "#c62828" if view.complaint.is_overdue(today) else "#1f3b57"
            overdue += (
                f" · <b style='color:{colour}'>{_escape(view.complaint.countdown(today))}</b>"
            )
        self.status_label.setText(
            f"<span style='font-size:13pt'>{view.status.label} · {view.job_type.label}"
            f"{outcome}</span>{overdue}"
        )
        customer = view.customer
        self.customer.setText(
            "<b>{}</b><br>{}<br>{}<br>{}".format(
                _escape(customer.name),
                _escape(format_phone(customer.phone)),
                _escape(customer.email or ""),
                LANGUAGE_NAMES.get(customer.language, customer.language),
            )
        )
        device = view.device
        lines = [f"<b>{_escape(device.title)}</b>", DeviceType(device.type).label]
        if device.serial:
            lines.append(_("Serial: {serial}").format(serial=_escape(device.serial)))
        if device.imei:
            lines.append(_("IMEI: {imei}").format(imei=device.imei))
        if device.colour:
            lines.append(_escape(device.colour))
        lines.append(
            _("Taken in {moment} by {name}").format(
                moment=format_moment(view.created_at, tz=view.zone),
                name=_escape(view.created_by_name),
            )
        )
        self.device.setText("<br>".join(lines))

        self.job_type.setCurrentIndex(self.job_type.findData(view.job_type.value))
        self.fault.setPlainText(view.fault)
        self.accessories.setText(view.accessories)
        self.condition.setText(view.condition)
        self.passcode.setText(view.passcode or "")
        self.passcode.setEnabled(view.passcode is not None)
        # On a closed job it is read (and copied), not changed: nothing else there is either.
        self.passcode.setReadOnly(not view.editable)
        if view.passcode is None:
            self.passcode.setPlaceholderText(_("shown to technicians only"))
        for amount in (self.estimate, self.preapproved, self.deposit):
            amount.setPlaceholderText(view.currency)
        self.estimate.setText(amount_text(view.estimate, view.currency))
        self.preapproved.setText(amount_text(view.preapproved, view.currency))
        self.deposit.setText(amount_text(view.deposit, view.currency))
        if view.promised:
            self.promised.setDate(QDate(view.promised.year, view.promised.month, view.promised.day))
        editable = view.editable
        for widget in (
            self.job_type, self.fault, self.accessories, self.condition, self.estimate,
            self.preapproved, self.deposit, self.promised, self.save_button,
            self.technician, self.assign_button,
        ):  # fmt: skip
            widget.setEnabled(editable)
        self._show_moves(view)
        self.feedback_button.setVisible(view.status is JobStatus.COLLECTED)
        self.complaint_actions.show_job(view, today)
        self.device_history.show_job(view)
        self.claim.show_job(view.code)
        names = self._show_technicians(view)
        self.history.clear()
        for event in reversed(view.history):
            moment = format_moment(event.at, tz=view.zone)
            self.history.addItem(f"{moment} · {event.user_name}\n{_event_text(event, view, names)}")
        self._show_messages(view)
        self.conflict.hide()

    def _show_messages(self, view: JobView) -> None:
        self.message_log.clear()
        for message in reversed(self.messages):
            self.message_log.addItem(message_line(message, view))
        if not self.messages:
            self.message_log.addItem(_("None sent yet."))

    def _show_moves(self, view: JobView) -> None:
        # A reload (another desk's change, say) keeps the keyboard on the move it was on.
        kept = next((status for status, b in self.move_buttons.items() if b.hasFocus()), None)
        for button in self.move_buttons.values():
            self.moves.removeWidget(button)
            button.deleteLater()
        self.move_buttons = {}
        for number, status in enumerate(view.allowed_moves, start=1):
            button = QPushButton(status.label, self)
            button.setToolTip(_("Alt+{number}").format(number=number))
            button.setShortcut(QKeySequence(f"Alt+{number}"))
            button.clicked.connect(lambda _checked=False, status=status: self.move_job(status))
            self.focus_ring.watch(button)  # Space presses the button one can pick out
            self.moves.addWidget(button)
            button.show()
            self.move_buttons[status] = button
        offered = view.outcomes_for(JobStatus.READY)
        keys = [outcome.value for outcome in offered]
        if [self.outcome.itemData(index) for index in range(self.outcome.count())] != keys:
            self.outcome.clear()
            for outcome in offered:
                self.outcome.addItem(outcome.label, outcome.value)
        self.outcome.setVisible(bool(offered))
        self.outcome_label.setVisible(bool(offered))
        chain: list[QWidget] = [
            *self.move_buttons.values(), self.outcome, self.technician, self.assign_button,
            self.note, self.history, self.job_type, self.fault, self.accessories,
            self.condition, self.passcode, self.estimate, self.preapproved, self.deposit,
            self.promised, self.save_button,
        ]  # fmt: skip
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        if not view.allowed_moves:
            label = QPushButton(_("No further moves: the job is closed"), self)
            label.setEnabled(False)
            self.moves.addWidget(label)
            label.show()
            self.move_buttons[JobStatus.COLLECTED] = label
        if kept is not None:
            again = self.move_buttons.get(kept)
            if again is not None and again.isEnabled():
                again.setFocus()
            else:
                self.focus_next_move()

    def _show_technicians(self, view: JobView) -> dict[str, str]:
        technicians = self.technicians
        self.technician.clear()
        self.technician.addItem(_("Nobody (back to the pool)"), None)
        for user in technicians:
            self.technician.addItem(user.display_name, user.login)
        self.technician.setCurrentIndex(max(self.technician.findData(view.assignee), 0))
        return {user.login: user.display_name for user in technicians}

    def _reload_technicians(self) -> None:
        def show(technicians: list[UserView]) -> None:
            self.technicians = technicians
            self._show_technicians(self.view)

        ReadOp(self.context, self, lambda uow: list_users(uow, technicians_only=True), show).run()

    def next_move(self) -> QPushButton | None:
        """The button for the job's next move on the main path (focus starts there)."""
        button = self.move_buttons.get(self.view.next_move) if self.view.next_move else None
        return button if button is not None and button.isEnabled() else None

    def focus_next_move(self) -> None:
        (self.next_move() or self.note).setFocus()

    def window_title(self) -> str:
        return f"RepairShop — {self.code}"

    def _money_dialog_closed(self, accepted: bool) -> None:
        """An approval recorded (or a line added) may open the next move: the keyboard is on it."""
        if accepted:
            self.reload(then=self.focus_next_move)

    def _user_changed(self, _login: str) -> None:
        self.reload()

    # --- actions --------------------------------------------------------------------------

    def reload(self, then: Callable[[], object] | None = None) -> None:
        """Read the job again on the worker and show it; then run ``then``."""
        code, user = self.code, self.context.user

        def show(data: CardData) -> None:
            self.today, self.technicians = data.today, data.technicians
            self.messages = data.messages
            self._show(data.view)
            self.loaded.emit()
            if then is not None:
                then()

        ReadOp(self.context, self, lambda uow: load_card(uow, code, user), show).run()

    def move_job(self, target: JobStatus) -> None:
        if target is JobStatus.COLLECTED:  # collected with its bill, payment and invoice
            open_collect(self.context, self.code, self, self._open_collect)
            return
        code, user = self.code, self.context.user
        outcome = Outcome(self.outcome.currentData()) if self.view.outcomes_for(target) else None
        # The pressed button goes with the reload: keep the keyboard on the work.
        WriteOp(
            self.context,
            self,
            lambda uow: change_status(uow, code, target, user, outcome=outcome),
            _changed,
        ).success(lambda _result: self.reload(then=self.focus_next_move)).run(initiator=self)

    def _open_collect(self, dialog: CollectDialog) -> None:
        self.collect_dialog = dialog
        dialog.finished.connect(self._collect_closed)
        dialog.open()

    def _collect_closed(self, _result: int) -> None:
        self.reload(then=self.focus_next_move)

    def assign(self) -> None:
        code, user = self.code, self.context.user
        login = self.technician.currentData()
        version = self.view.version
        self._write_versioned(lambda uow: assign(uow, code, login, user, expected_version=version))

    def correct_details(self) -> None:
        self._open_dialog(DetailsDialog(self.context, self.view, self))

    def open_customer(self) -> None:
        """The customer card of this job's customer; a job double-clicked there opens."""
        dialog = CustomerCardDialog(self.context, self.view.customer.id, self)
        window = self.window()
        opener = getattr(window, "open_job", None)
        if callable(opener):
            dialog.open_job.connect(opener)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def enter_feedback(self) -> None:
        dialog = FeedbackDialog(self.context, self.code, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def message_customer(self) -> None:
        view, code = self.view, self.code

        def read(uow: UnitOfWork) -> tuple[ShopSettings, JobLinesView, MessageWording]:
            messaging = get_messaging(uow)
            feedback = get_feedback(uow, code)
            wording = MessageWording(
                messaging.templates,
                feedback.reply_code if feedback is not None else "",
                messaging["feedback.url"],
            )
            return get_settings(uow), job_lines(uow, code), wording

        ReadOp(self.context, self, read).success(
            lambda found: self._open_message(view, *found)
        ).run()

    def _open_message(
        self,
        view: JobView,
        shop: ShopSettings,
        quote: JobLinesView | None = None,
        wording: MessageWording | None = None,
    ) -> None:
        """The message dialog, worded as the app words what it sends by itself."""
        wording = wording or MessageWording()
        try:
            dialog = CustomerMessageDialog(
                self.context,
                view,
                shop,
                self,
                quote,
                templates=wording.templates,
                reply_code=wording.reply_code,
                reply_url=wording.reply_url,
            )
        except RepairShopError as error:  # e.g. a collected job: nothing left to tell
            self.context.show_error(self, error)
            return
        self._open_dialog(dialog)

    def _open_dialog(self, dialog: QDialog) -> None:
        """A window-modal dialog about this job; it writes on the card's behalf, and what it
        saved shows when it closes."""
        dialog.accepted.connect(self.reload)
        dialog.open()

    def add_note(self) -> None:
        code, user, text = self.code, self.context.user, self.note.text()

        def added(_result: JobChanged) -> None:
            self.note.clear()
            self.reload()

        WriteOp(self.context, self, lambda uow: add_note(uow, code, text, user), _changed).success(
            added
        ).run(initiator=self)

    def save(self) -> None:
        try:
            edit = self._edit()
        except ValidationError as error:  # named as the card shows the field: "Estimate: …"
            label = FIELD_LABELS.get(error.field or "")
            named = f"{_(label)}: {error.message}" if label else error.message
            self.context.show_error(self, ValidationError(named, field=error.field))
            if error.field in ("estimate", "preapproved", "deposit"):
                getattr(self, error.field).setFocus()
            return
        code, user, version = self.code, self.context.user, self.view.version
        self._write_versioned(lambda uow: edit_job(uow, code, edit, user, expected_version=version))

    def _write_versioned(self, action: Callable[[UnitOfWork], JobChanged]) -> None:
        """A write that names the version shown; a stale one offers Reload, never overwrites."""

        def failed(error: Exception) -> None:
            self.context.show_error(self, error)
            if isinstance(error, Conflict):
                self.conflict.show()

        WriteOp(self.context, self, action, _changed).success(
            lambda _result: self.reload()
        ).failure(failed).run(initiator=self)

    def _edit(self) -> JobEdit:
        promised = self.promised.date()
        currency = self.view.currency
        return JobEdit(
            fault=self.fault.toPlainText(),
            accessories=self.accessories.text(),
            condition=self.condition.text(),
            passcode=self.passcode.text() if self.view.passcode is not None else None,
            estimate=read_amount(self.estimate.text(), "estimate", currency=currency),
            preapproved=read_amount(self.preapproved.text(), "preapproved", currency=currency),
            deposit=read_amount(self.deposit.text(), "deposit", currency=currency),
            promised=date(promised.year(), promised.month(), promised.day()),
            job_type=JobType(self.job_type.currentData()),
        )

    def _dirty(self) -> bool:
        try:
            edit = self._edit()
        except RepairShopError:
            return True
        view = self.view
        return (
            edit.fault != view.fault
            or edit.accessories != view.accessories
            or edit.condition != view.condition
            or edit.estimate != view.estimate
            or edit.deposit != view.deposit
            or edit.job_type is not view.job_type
        )

    def _on_changed(self, changes: Changes, initiator: object | None = None) -> None:
        if initiator is self:
            return  # the card's own write: it reloads once when the write is done
        view = self.view
        if not (
            changes.touches(ChangeKind.ALL)
            or view.id in changes.job_ids
            or view.customer.id in changes.customer_ids  # the customer's new name or phone
        ):
            if changes.touches(ChangeKind.USER):
                self._reload_technicians()
            return
        if self._dirty():
            self.conflict.show()
        else:
            self.reload()


MESSAGE_STATES = {
    "queued": N_("waiting to be sent"),
    "sent": N_("sent"),
    "failed": N_("not sent"),
}
CHANNELS = {"email": N_("E-mail"), "sms": N_("SMS")}


def message_line(message: LoggedMessage, view: JobView) -> str:
    """One message on the card: when, what, by which channel to whom, and how it went."""
    channel = _(CHANNELS[message.channel]) if message.channel in CHANNELS else message.channel
    state = _(MESSAGE_STATES.get(message.state, message.state))
    to = format_phone(message.to) if message.channel == "sms" else message.to
    moment = format_moment(message.at, tz=view.zone)
    line = f"{moment} · {message.kind_label}\n{channel} {to}: {state}"
    return line + (f"\n{message.error}" if message.error else "")


def due_label(due: Due) -> str:
    """What the card says beside the status of a late or nearly late job."""
    return _("overdue") if due is Due.OVERDUE else _("due today or tomorrow")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _event_text(event: EventView, view: JobView, names: dict[str, str]) -> str:
    if event.kind == "created":
        return _("Taken in")
    if event.kind == "status":
        text = f"{_status(event.from_value)} → {_status(event.to_value)}"
    elif event.kind == "assigned":
        text = (
            _("Assigned to {name}").format(name=names.get(event.to_value, event.to_value))
            if event.to_value
            else _("Back to the pool")
        )
    elif event.kind == "note":
        return event.note
    elif event.kind in PART_EVENT_KINDS:
        return describe_part_event(event.from_value, event.to_value, event.note)
    elif event.kind in MONEY_EVENT_KINDS:
        return describe_money_event(event, view.currency)
    elif event.kind == "complaint":
        text = describe_decision(event.to_value)
    elif event.kind in EVIDENCE_EVENT_KINDS:
        return describe_evidence_event(event.kind, event.to_value, event.note)
    elif event.kind == "price":
        label = _(FIELD_LABELS.get(event.note, event.note))
        old_amount = _minor(event.from_value, view.currency)
        return f"{label}: {old_amount} → {_minor(event.to_value, view.currency)}"
    elif event.kind == "edited":
        label = _(FIELD_LABELS.get(event.note, event.note))
        old, new = event.from_value or "", event.to_value or ""
        if event.note == "promised":
            old, new = _iso_day(old), _iso_day(new)
        elif event.note == "job_type":
            old, new = _job_type(old), _job_type(new)
        elif event.note == "customer.phone":
            old, new = format_phone(old), format_phone(new)
        elif event.note == "customer.language":
            old, new = LANGUAGE_NAMES.get(old, old), LANGUAGE_NAMES.get(new, new)
        elif event.note == "customer.consent_to_contact":
            old, new = (_("yes") if value == "yes" else _("no") for value in (old, new))
        elif event.note == "device.type":
            old, new = device_type_label(old), device_type_label(new)
        return "{}: {} → {}".format(label, old or "—", new or "—")
    else:
        text = event.kind
    return f"{text} — {event.note}" if event.note else text


def _status(key: str | None) -> str:
    return JobStatus(key).label if key else "—"


def _job_type(key: str) -> str:
    return JobType(key).label if key else "—"


def _iso_day(text: str) -> str:
    return format_day(date.fromisoformat(text)) if text else ""


def _minor(value: str | None, currency: str) -> str:
    return format_money(from_minor(int(value), currency), currency) if value else "—"
