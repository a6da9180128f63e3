"""The Jobs view: every job, filtered and sorted in SQL; a million scroll like a hundred.

Everything is at hand from the keyboard: each filter has its Alt letter, and the
order is chosen in "Sort by" (the same as a click on a column heading).
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from repairshop.domain.codes import looks_like_ticket_code
from repairshop.domain.complaints import DUE_SOON_DAYS as COMPLAINT_DUE_SOON_DAYS
from repairshop.domain.devices import DeviceType
from repairshop.domain.statuses import OPEN_STATUSES, WORKSHOP_STATUSES, JobStatus, JobType
from repairshop.i18n import _, format_number, ngettext
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.listing import JobFilter
from repairshop.services.shop.users import UserView, list_users
from ui.context import AppContext
from ui.date_field import DateField
from ui.job_table import JobTable
from ui.models.job_table import COLUMNS, JobTableModel
from ui.operations import ReadOp
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from ui.scan_input import read_scans

NO_DATE = QDate(2000, 1, 1)
"""The date edits' minimum, shown as "any"."""

_OPEN = "open"
_WORKSHOP = "workshop"
_UNASSIGNED = "-"


class JobsView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_("Filter: code, name, phone, IMEI…"))
        self.search.setClearButtonEnabled(True)
        read_scans(self.search, looks_like_ticket_code)
        self.status = QComboBox(self)
        self.status.addItem(_("All statuses"), None)
        self.status.addItem(_("Open (not collected)"), _OPEN)
        self.status.addItem(_("Needs work"), _WORKSHOP)
        for status in JobStatus:
            self.status.addItem(status.label, status.value)
        self.technician = QComboBox(self)
        self.device_type = QComboBox(self)
        self.device_type.addItem(_("All devices"), None)
        for device_type in DeviceType:
            self.device_type.addItem(device_type.label, device_type.value)
        self.job_type = QComboBox(self)
        self.job_type.addItem(_("All job types"), None)
        for job_type in JobType:
            self.job_type.addItem(job_type.label, job_type.value)
        self.overdue = QCheckBox(_("O&verdue only"), self)
        self.complaints_due = QCheckBox(_("&Complaints due in 3 days"), self)
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        for widget, name in (
            (self.search, _("Search")),
            (self.status, _("Status")),
            (self.technician, _("Technician")),
            (self.device_type, _("Device type")),
            (self.job_type, _("Job type")),
            (self.date_from, _("Taken in from")),
            (self.date_to, _("Taken in to")),
        ):
            widget.setAccessibleName(name)
        self.count = QLabel(self)
        self.sort_by = QComboBox(self)
        for _key, title in COLUMNS:
            self.sort_by.addItem(_(title))
        self.sort_by.setAccessibleName(_("Sort by"))
        self.descending = QCheckBox(_("D&escending"), self)

        self.model = JobTableModel(context, parent=self)
        self.model.total_changed.connect(self._show_count)
        self.model.loading_started.connect(self._show_loading)
        self._select_first = False
        self.model.loaded.connect(self._select_first_row)
        self.table = JobTable(context, self.model, "jobs", self)
        self.table.setAccessibleName(_("Jobs"))

        filters = QHBoxLayout()
        self._labelled(filters, _("Fi&lter"), self.search, 3)
        self._labelled(filters, _("&Status"), self.status, 1)
        self._labelled(filters, _("&Technician"), self.technician, 1)
        self._labelled(filters, _("&Device"), self.device_type, 1)
        self._labelled(filters, _("&Job type"), self.job_type, 1)
        dates = QHBoxLayout()
        self._labelled(dates, _("Taken in &from"), self.date_from)
        self._labelled(dates, _("t&o"), self.date_to)
        dates.addWidget(self.overdue)
        dates.addWidget(self.complaints_due)
        dates.addStretch(1)
        self._labelled(dates, _("Sort &by"), self.sort_by)
        dates.addWidget(self.descending)
        dates.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(dates)
        layout.addWidget(self.table, 1)
        # Tab goes through the filters in the order they are shown, then into the list.
        chain = [
            self.search,
            self.status,
            self.technician,
            self.device_type,
            self.job_type,
            self.date_from,
            self.date_to,
            self.overdue,
            self.complaints_due,
            self.sort_by,
            self.descending,
            self.table,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(300)
        self._typing.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._typing.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.status, self.technician, self.device_type, self.job_type):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.overdue.toggled.connect(self.apply_filter)
        self.complaints_due.toggled.connect(self.apply_filter)
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        header = self.table.horizontalHeader()
        self._show_sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        header.sortIndicatorChanged.connect(self._show_sort)
        self.sort_by.activated.connect(lambda _index: self._sort_as_chosen())
        self.descending.toggled.connect(lambda _on: self._sort_as_chosen())
        self._show_technicians([])
        self._load_technicians()
        context.changed.connect(self._on_changed)
        self._show_count()

    def _labelled(self, row: QHBoxLayout, text: str, field: QWidget, stretch: int = 0) -> None:
        """``field`` after its label, whose Alt letter puts the focus in it."""
        label = QLabel(text, self)
        label.setBuddy(field)
        row.addWidget(label)
        row.addWidget(field, stretch)

    def focus_first(self) -> None:
        """Ctrl+2 lands in the list: its chosen row, or the first (when it has come, in the
        view built a moment ago)."""
        self.table.setFocus()
        if self.model.is_loading:
            self.model.loaded.connect(self.focus_first, Qt.ConnectionType.SingleShotConnection)
            return
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self.table.selectRow(0)

    def _show_sort(self, column: int, order: Qt.SortOrder) -> None:
        """The Sort by controls follow the list's order (a heading clicked, a saved order)."""
        for control in (self.sort_by, self.descending):
            control.blockSignals(True)
        self.sort_by.setCurrentIndex(column)
        self.descending.setChecked(order == Qt.SortOrder.DescendingOrder)
        for control in (self.sort_by, self.descending):
            control.blockSignals(False)

    def _sort_as_chosen(self) -> None:
        order = (
            Qt.SortOrder.DescendingOrder
            if self.descending.isChecked()
            else Qt.SortOrder.AscendingOrder
        )
        self.table.horizontalHeader().setSortIndicator(self.sort_by.currentIndex(), order)

    def _date_edit(self) -> QDateEdit:
        edit = DateField(self)
        edit.setCalendarPopup(True)
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(_("any"))
        edit.setDate(NO_DATE)
        return edit

    def _load_technicians(self) -> None:
        ReadOp(self.context, self, lambda uow: list_users(uow, technicians_only=True)).success(
            self._show_technicians
        ).run()

    def _show_technicians(self, technicians: list[UserView]) -> None:
        chosen = self.technician.currentData()
        self.technician.blockSignals(True)
        self.technician.clear()
        self.technician.addItem(_("All technicians"), None)
        self.technician.addItem(_("Unassigned"), _UNASSIGNED)
        for user in technicians:
            self.technician.addItem(user.display_name, user.login)
        index = self.technician.findData(chosen)
        self.technician.setCurrentIndex(max(index, 0))
        self.technician.blockSignals(False)

    def show_search(self, text: str) -> None:
        """Show the jobs matching ``text`` (from the main window's search box)."""
        self.search.setText(text)
        self.apply_filter()
        self.table.setFocus()
        self._select_first = True
        if not self.model.is_loading:
            self._select_first_row()

    def _select_first_row(self) -> None:
        if self._select_first and self.model.rowCount() > 0:
            self.table.selectRow(0)
        self._select_first = False

    def show_filter(self, where: JobFilter) -> None:
        """Set every filter control to show exactly the jobs ``where`` selects (a dashboard tile).

        Raises ``ValueError`` for a filter the controls cannot express, so a tile and the
        list it opens can never silently disagree.
        """
        controls = (
            self.search,
            self.status,
            self.technician,
            self.device_type,
            self.job_type,
            self.overdue,
            self.complaints_due,
            self.date_from,
            self.date_to,
        )
        for control in controls:
            control.blockSignals(True)
        try:
            self.search.setText(where.text)
            self.status.setCurrentIndex(self._status_index(where.statuses))
            technician = _UNASSIGNED if where.unassigned else where.assignee
            self.technician.setCurrentIndex(max(self.technician.findData(technician), 0))
            device_type = where.device_type.value if where.device_type else None
            self.device_type.setCurrentIndex(max(self.device_type.findData(device_type), 0))
            job_type = where.job_type.value if where.job_type else None
            self.job_type.setCurrentIndex(max(self.job_type.findData(job_type), 0))
            self.overdue.setChecked(where.overdue)
            self.complaints_due.setChecked(where.complaints_due_within is not None)
            self.date_from.setDate(_qdate(where.created_from))
            self.date_to.setDate(_qdate(where.created_to))
        finally:
            for control in controls:
                control.blockSignals(False)
        shown = self.current_filter()
        if shown != where:
            raise ValueError(f"the Jobs view cannot show {where!r} (it would show {shown!r})")
        self.apply_filter()
        self.table.setFocus()

    def _status_index(self, statuses: frozenset[JobStatus]) -> int:
        if not statuses:
            return 0
        if statuses == OPEN_STATUSES:
            return self.status.findData(_OPEN)
        if statuses == WORKSHOP_STATUSES:
            return self.status.findData(_WORKSHOP)
        if len(statuses) == 1:
            return self.status.findData(next(iter(statuses)).value)
        return -1

    def current_filter(self) -> JobFilter:
        status = self.status.currentData()
        if status == _OPEN:
            statuses = frozenset(OPEN_STATUSES)
        elif status == _WORKSHOP:
            statuses = frozenset(WORKSHOP_STATUSES)
        elif status:
            statuses = frozenset({JobStatus(status)})
        else:
            statuses = frozenset()
        technician = self.technician.currentData()
        device_type = self.device_type.currentData()
        job_type = self.job_type.currentData()
        return JobFilter(
            statuses=statuses,
            assignee=technician if technician not in (None, _UNASSIGNED) else None,
            unassigned=technician == _UNASSIGNED,
            device_type=DeviceType(device_type) if device_type else None,
            job_type=JobType(job_type) if job_type else None,
            overdue=self.overdue.isChecked(),
            created_from=_date_or_none(self.date_from),
            created_to=_date_or_none(self.date_to),
            text=self.search.text(),
            complaints_due_within=(
                COMPLAINT_DUE_SOON_DAYS if self.complaints_due.isChecked() else None
            ),
        )

    def apply_filter(self) -> None:
        self._typing.stop()
        where = self.current_filter()
        if where != self.model.where:
            self.model.set_filter(where)

    def save_state(self) -> None:
        self.table.save_state()

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(ChangeKind.USER):
            self._load_technicians()

    def _show_loading(self) -> None:
        self.count.setText(_("Sorting and filtering…"))

    def _show_count(self) -> None:
        """The total once counted (on the worker, after the first page); until then "200+",
        and "10,000+" beyond what the list counts."""
        total = self.model.total
        if total is None:
            at_least = format_number(self.model.at_least)
            self.count.setText(_("{count}+ jobs").format(count=at_least))
            return
        self.count.setText(
            ngettext("{count} job", "{count} jobs", total).format(count=format_number(total))
        )


def _qdate(day: date | None) -> QDate:
    return NO_DATE if day is None else QDate(day.year, day.month, day.day)


def _date_or_none(edit: QDateEdit) -> date | None:
    chosen = edit.date()
    if chosen == NO_DATE:
        return None
    return date(chosen.year(), chosen.month(), chosen.day())
