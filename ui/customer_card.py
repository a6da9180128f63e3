"""The customer card: everything about one customer, their consent, merging and GDPR requests.

Opened from the job card (the customer's box), a search result and intake. It reads
:func:`repairshop.services.customers.card.customer_card` on the worker; consent changes,
merging a duplicate, exporting the person's data and anonymising them are writes through the
operation path (merging, export and anonymisation are a manager's, the core refuses others).
"""

from __future__ import annotations

from pathlib import Path

from repairshop.domain.contacts import format_phone
from repairshop.domain.money import from_minor
from repairshop.domain.roles import Permission
from repairshop.domain.statuses import JobStatus
from repairshop.errors import RepairShopError
from repairshop.i18n import LANGUAGE_NAMES, _, format_moment, format_money
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.customers.card import (
    CustomerCard,
    customer_card,
    customer_changes,
    customer_of_job,
    merge_customers,
    set_consent,
)
from repairshop.services.customers.privacy import (
    anonymise_customer,
    export_customer,
    export_json,
)
from repairshop.services.shop.settings import get_settings
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp, WriteOp
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.roles import gate


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _status_label(status: str) -> str:
    try:
        return JobStatus(status).label
    except ValueError:
        return status


def _table(parent: QWidget, name: str, headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class CustomerCardDialog(QDialog):
    """One customer, read on the worker; ``loaded`` once it shows them."""

    loaded = Signal()
    open_job = Signal(str)
    """A job's ticket code, double-clicked in the card's list of jobs."""

    def __init__(self, context: AppContext, key: int | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.key: int | str = key
        self.card: CustomerCard | None = None
        self.setWindowTitle(_("Customer card"))
        self.resize(900, 600)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(_("Customer card"))
        self.consent_button = QPushButton(self)
        self.consent_button.clicked.connect(self.toggle_consent)
        self.merge_button = QPushButton(_("&Merge a duplicate into this customer…"), self)
        self.merge_button.clicked.connect(self.merge)
        self.export_button = QPushButton(_("&Export their data…"), self)
        self.export_button.clicked.connect(self.export)
        self.anonymise_button = QPushButton(_("&Anonymise…"), self)
        self.anonymise_button.clicked.connect(self.anonymise)
        for button in (self.merge_button, self.export_button, self.anonymise_button):
            gate(context, button, Permission.MANAGE_CUSTOMERS)  # a manager's GDPR work
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        actions = QHBoxLayout()
        for button in (
            self.consent_button,
            self.merge_button,
            self.export_button,
            self.anonymise_button,
        ):
            button.setEnabled(False)
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        context.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        key = self.key
        ReadOp(self.context, self, lambda uow: customer_card(uow, key), self._show).run()

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.kinds & {ChangeKind.JOB, ChangeKind.CUSTOMER, ChangeKind.ALL}:
            self.reload()

    def _show(self, card: CustomerCard) -> None:
        self.card = card
        self.key = card.id
        consent = _("agrees to be contacted") if card.consent_to_contact else _("no consent")
        if card.consent_changed_at is not None:
            consent += " " + _("(changed {moment} by {login})").format(
                moment=format_moment(card.consent_changed_at), login=card.consent_changed_by or "?"
            )
        spent = ", ".join(
            format_money(from_minor(amount, currency), currency)
            for currency, amount in sorted(card.spent.items())
        )
        lines = [
            f"<span style='font-size:15pt; font-weight:600'>{_escape(card.name)}</span>",
            " · ".join(
                _escape(part)
                for part in (
                    format_phone(card.phone),
                    card.email or "",
                    LANGUAGE_NAMES.get(card.language, card.language),
                )
                if part
            ),
            _escape(consent),
            _escape(_("Spent: {amount}").format(amount=spent or "—")),
        ]
        if card.anonymised_at is not None:
            moment = format_moment(card.anonymised_at)
            lines.append(_escape(_("Anonymised {moment}").format(moment=moment)))
        if card.merged_into is not None:
            lines.append(_escape(_("Merged into customer #{id}").format(id=card.merged_into)))
        if card.notes:
            lines.append(_escape(card.notes))
        self.header.setText("<br>".join(lines))
        current = self.tabs.currentIndex()
        self.tabs.clear()
        jobs = _table(
            self,
            _("Jobs"),
            [_("Ticket"), _("Taken in"), _("Status"), _("Device"), _("Fault"), _("Feedback")],
            [
                [
                    job.code,
                    format_moment(job.created_at),
                    _status_label(job.status),
                    job.device,
                    job.fault,
                    "" if job.score is None else f"{job.score}/10",
                ]
                for job in card.jobs
            ],
        )
        jobs.cellDoubleClicked.connect(self._job_clicked)
        self.jobs = jobs
        self.tabs.addTab(jobs, _("Jobs ({count})").format(count=len(card.jobs)))
        self.tabs.addTab(
            _table(
                self,
                _("Devices"),
                [_("Brand"), _("Model"), _("Serial number"), _("IMEI")],
                [[d.brand, d.model, d.serial or "", d.imei or ""] for d in card.devices],
            ),
            _("Devices ({count})").format(count=len(card.devices)),
        )
        self.tabs.addTab(
            _table(
                self,
                _("Invoices"),
                [_("Number"), _("Issued"), _("Ticket"), _("Amount")],
                [
                    [
                        i.number,
                        i.issued,
                        i.job,
                        format_money(from_minor(i.gross_minor, i.currency), i.currency),
                    ]
                    for i in card.invoices
                ],
            ),
            _("Invoices ({count})").format(count=len(card.invoices)),
        )
        self.tabs.addTab(
            _table(
                self,
                _("Complaints and returns"),
                [_("Ticket"), _("Return"), _("State")],
                [[code, "", ""] for code in card.complaints]
                + [[r.job, r.number, r.state] for r in card.returns],
            ),
            _("Complaints and returns ({count})").format(
                count=len(card.complaints) + len(card.returns)
            ),
        )
        self.tabs.addTab(
            _table(
                self,
                _("Messages"),
                [_("When"), _("Ticket"), _("What"), _("To"), _("State")],
                [
                    [format_moment(m.at), m.job_code or "", m.kind_label, m.to, m.state]
                    for m in card.messages
                ],
            ),
            _("Messages ({count})").format(count=len(card.messages)),
        )
        self.tabs.setCurrentIndex(max(current, 0))
        active = card.anonymised_at is None and card.merged_into is None
        self.consent_button.setText(
            _("&Withdraw consent") if card.consent_to_contact else _("Record &consent")
        )
        self.consent_button.setAccessibleName(self.consent_button.text().replace("&", ""))
        for button in (
            self.consent_button,
            self.merge_button,
            self.export_button,
            self.anonymise_button,
        ):
            button.setEnabled(active)
        self.export_button.setEnabled(card.merged_into is None)
        self.loaded.emit()

    def _job_clicked(self, row: int, _column: int) -> None:
        item = self.jobs.item(row, 0)
        if item is not None:
            self.open_job.emit(item.text())

    # --- writes -----------------------------------------------------------------------------

    def toggle_consent(self) -> None:
        card, user = self.card, self.context.user
        if card is None:
            return
        agree = not card.consent_to_contact
        WriteOp(
            self.context,
            self,
            lambda uow: set_consent(uow, card.id, agree, user),
            lambda changes: changes,
        ).run()

    def merge(self) -> None:
        card, user = self.card, self.context.user
        if card is None:
            return
        other, ok = QInputDialog.getText(
            self,
            _("Merge a duplicate"),
            _("The duplicate's customer number or phone; their jobs move to {name}:").format(
                name=card.name
            ),
        )
        if not ok or not other.strip():
            return
        WriteOp(
            self.context,
            self,
            lambda uow: merge_customers(uow, card.id, other.strip(), user),
            lambda changes: changes,
        ).run()

    def export(self) -> None:
        card, user = self.card, self.context.user
        if card is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export their data"), f"customer-{card.id}.json", "JSON (*.json)"
        )
        if not path:
            return

        def query(uow: UnitOfWork) -> tuple[str, bytes]:
            from repairshop.printing.customer_export import customer_export_pdf

            data = export_customer(uow, card.id, user)
            return export_json(data), customer_export_pdf(data, shop_name=get_settings(uow).name)

        def save(result: tuple[str, bytes]) -> None:
            text, pdf = result
            target = Path(path)
            try:
                target.write_text(text, encoding="utf-8")
                target.with_suffix(".pdf").write_bytes(pdf)
            except OSError as error:
                self.context.show_error(self, RepairShopError(str(error)))

        ReadOp(self.context, self, query, save).run()

    def anonymise(self) -> None:
        card, user = self.card, self.context.user
        if card is None:
            return
        answer = QMessageBox.question(
            self,
            _("Anonymise {name}").format(name=card.name),
            _(
                "Their name, contacts, passcodes and messages are erased for good; the jobs "
                "and invoices stay without them. Anonymise?"
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        WriteOp(
            self.context,
            self,
            lambda uow: anonymise_customer(uow, card.id, user),
            lambda _done: customer_changes(),
        ).run()


def open_customer_of_job(context: AppContext, parent: QWidget, code: str) -> None:
    """The customer card of job ``code``'s customer (a search result, a list's row)."""

    def show(customer_id: int) -> None:
        dialog = CustomerCardDialog(context, customer_id, parent)
        dialog.open_job.connect(context.open_job)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    ReadOp(context, parent, lambda uow: customer_of_job(uow, code), show).run()
