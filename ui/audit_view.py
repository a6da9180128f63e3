"""The Audit view: who changed what and when, filtered by person, job and day. Read-only — the
core offers no way to change or delete the log, and neither does this view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from repairshop.i18n import N_, _, format_moment
from repairshop.services.changes import Changes
from repairshop.services.customers.privacy import RETENTION_APPLIED, RETENTION_RULE
from repairshop.services.shop.audit_log import AuditLine, AuditQuery, audit_entries, changes_text
from repairshop.services.shop.users import UserView, list_users
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.date_field import DateField
from ui.operations import ReadOp
from ui.parts.models import ListTableModel
from ui.qt import (
    QComboBox,
    QDate,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from ui.scan_input import read_scans
from ui.tables import make_table

ACTIONS = {
    "created": N_("created"),
    "changed": N_("changed"),
    "deleted": N_("deleted"),
    "signed_in": N_("signed in"),
    "sign_in_refused": N_("sign-in refused"),
    "restored": N_("restored from a backup"),
    RETENTION_APPLIED: N_("retention rule applied"),
}
RECORDS = {
    "job": N_("job"),
    "customer": N_("customer"),
    "device": N_("device"),
    "part": N_("part"),
    "stock": N_("stock"),
    "supplier": N_("supplier"),
    "part_supplier": N_("supplier's cost"),
    "price": N_("price list"),
    "job_line": N_("job line"),
    "job_part": N_("part on a job"),
    "setting": N_("setting"),
    "user": N_("user"),
    "sign_in": N_("sign-in"),
    "database": N_("database"),
    "privacy": N_("personal data"),
}
WHO = {RETENTION_RULE: N_("the retention rule")}
"""Who the log names when no person did it."""


def _translated(table: dict[str, str], key: str) -> str:
    return _(table[key]) if key in table else key


COLUMNS: list[tuple[str, Callable[[AuditLine], object]]] = [
    (N_("When"), lambda line: format_moment(line.at)),
    (N_("Who"), lambda line: _translated(WHO, line.user)),
    (N_("What"), lambda line: _translated(ACTIONS, line.action)),
    (N_("Record"), lambda line: _translated(RECORDS, line.kind)),
    (N_("Which"), lambda line: line.label),
    (N_("Job"), lambda line: line.job or ""),
    (N_("Old → new"), changes_text),
]
WIDTHS = (140, 90, 110, 90, 150, 80)
ANY_DAY = QDate(2000, 1, 1)
"""A date field at this day shows blank and filters nothing."""


class AuditView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.person = QComboBox(self)
        self.person.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.job = QLineEdit(self)
        read_scans(self.job)
        self.job.setPlaceholderText(_("Ticket code"))
        self.day_from = self._day_field()
        self.day_to = self._day_field()
        for text, widget in (
            (_("&Person:"), self.person),
            (_("&Job:"), self.job),
            (_("&From:"), self.day_from),
            (_("&To:"), self.day_to),
        ):
            form = QFormLayout()
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
            filters.addLayout(form)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.model: ListTableModel[AuditLine] = ListTableModel(COLUMNS, self)
        self.table = make_table(self, self.model, WIDTHS)
        self.table.setAccessibleName(_("Audit log"))
        layout.addWidget(self.table)
        self.note = QLabel(
            _("Every change and sign-in, newest first. The log cannot be changed or deleted."),
            self,
        )
        layout.addWidget(self.note)

        self.person.currentIndexChanged.connect(lambda _index: self.reload())
        self.job.editingFinished.connect(self.reload)
        self.day_from.dateChanged.connect(lambda _day: self.reload())
        self.day_to.dateChanged.connect(lambda _day: self.reload())
        context.changed.connect(self._on_changed)
        self._loaded = False

    def _day_field(self) -> DateField:
        field = DateField(self)
        field.setMinimumDate(ANY_DAY)
        field.setSpecialValueText(_("any day"))
        field.setDate(ANY_DAY)
        return field

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self._loaded:
            self._loaded = True
            ReadOp(self.context, self, list_users, self._show_people).run()
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def _show_people(self, users: list[UserView]) -> None:
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem(_("Everyone"), None)
        for user in users:
            self.person.addItem(user.display_name, user.login)
        self.person.blockSignals(False)

    def query(self) -> AuditQuery:
        return AuditQuery(
            user=self.person.currentData(),
            job=self.job.text().strip() or None,
            day_from=_day(self.day_from),
            day_to=_day(self.day_to),
        )

    def reload(self) -> None:
        query = self.query()

        def read(uow: UnitOfWork) -> list[AuditLine]:
            return audit_entries(uow, query)

        ReadOp(self.context, self, read, self.model.set_rows).run()

    def _on_changed(self, changes: Changes, _initiator: object = None) -> None:
        if self._loaded and self.isVisible() and changes.kinds:
            self.reload()


def _day(field: DateField) -> date | None:
    chosen = field.date()
    return None if chosen == ANY_DAY else date(chosen.year(), chosen.month(), chosen.day())
