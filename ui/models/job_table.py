"""The job table's model: only ids in memory, rows fetched in blocks as they scroll into view.

Filtering and sorting happen in SQL (:mod:`repairshop.services.jobs.listing`); the
model asks for the ordered ids once per filter or sort, then for the rows of
the block a painted cell falls in (cf. Anki's browser table model).
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from queue import SimpleQueue
from typing import Any

from repairshop.domain.complaints import countdown
from repairshop.domain.deadlines import Due
from repairshop.domain.devices import DeviceType
from repairshop.domain.statuses import JobStatus
from repairshop.i18n import N_, _, format_day, format_moment
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.listing import (
    NEWEST_FIRST,
    STABLE_COLUMNS,
    JobColumn,
    JobFilter,
    JobSort,
    count_jobs,
    job_ids,
    job_rows,
    matching_ids,
)
from repairshop.services.jobs.workflow import JobSummary
from ui.context import AppContext
from ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QFont,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

COLUMNS: tuple[tuple[JobColumn, str], ...] = (
    (JobColumn.CODE, N_("Ticket")),
    (JobColumn.STATUS, N_("Status")),
    (JobColumn.JOB_TYPE, N_("Job type")),
    (JobColumn.CUSTOMER, N_("Customer")),
    (JobColumn.DEVICE_TYPE, N_("Device type")),
    (JobColumn.DEVICE, N_("Device")),
    (JobColumn.ASSIGNEE, N_("Technician")),
    (JobColumn.PROMISED, N_("Promised")),
    (JobColumn.CREATED, N_("Taken in")),
)

COLUMN_KEYS: tuple[JobColumn, ...] = tuple(key for key, _title in COLUMNS)

STATUS_COLOURS: dict[JobStatus, str] = {
    JobStatus.RECEIVED: "#e3ecfa",
    JobStatus.DIAGNOSING: "#efe4f7",
    JobStatus.AWAITING_APPROVAL: "#fbefd5",
    JobStatus.AWAITING_PARTS: "#fbe3cf",
    JobStatus.IN_REPAIR: "#dcefe9",
    JobStatus.TESTING: "#e0f0f7",
    JobStatus.ON_HOLD: "#ececec",
    JobStatus.READY: "#d5f2d0",
    JobStatus.CANCELLED: "#f6d9d9",
    JobStatus.COLLECTED: "#f4f4f4",
}
"""A pale colour per status, so a status is seen at a glance (text stays black)."""

DUE_COLOURS: dict[Due, str] = {Due.OVERDUE: "#b3261e", Due.DUE_SOON: "#9a5b00"}
"""The promised day's colour: red once overdue, amber when due today or tomorrow."""
BLOCK = 200
"""Rows fetched per query as the table scrolls."""
CACHE_LIMIT = 20 * BLOCK
ASYNC_ROWS = 100_000
POLL_MS = 25
"""How often the GUI thread looks for a list being fetched on the reading thread."""


class JobTableModel(QAbstractTableModel):
    loading_started = Signal()
    """A big list's ids are being fetched on a reading thread (the old rows stay meanwhile)."""

    def __init__(
        self,
        context: AppContext,
        where: JobFilter | None = None,
        order: JobSort = NEWEST_FIRST,
        parent: QObject | None = None,
        *,
        async_rows: int = ASYNC_ROWS,
    ) -> None:
        super().__init__(parent)
        self.async_rows = async_rows
        """In a shop with this many jobs, lists are fetched off the GUI thread."""
        self._generation = 0
        self._loading = False
        self._total_jobs: int | None = None
        # The reading thread only runs SQL and leaves the result in a queue; the GUI thread
        # looks there while a load is under way. No Qt call ever comes from that thread.
        self._results: SimpleQueue[tuple[int, list[int] | Exception]] = SimpleQueue()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._take_results)
        self.context = context
        self.where = where or JobFilter()
        self.order = order
        self._ids: list[int] = []
        self._rows: dict[int, JobSummary] = {}
        self._today = context.today()

    # --- what the view asks for -------------------------------------------------------------

    def set_filter(self, where: JobFilter) -> None:
        self.where = where
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.order = JobSort(COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)
        self.reload()

    def reload(self) -> None:
        """Fetch the ordered ids again (after a filter, a sort, or a change anywhere).

        A big list (a million jobs) is fetched on a reading thread, so sorting it never
        freezes the window; the rows shown stay until the new order arrives.
        """
        self._generation += 1
        generation, where, order = self._generation, self.where, self.order
        if self._total_jobs is None:
            self._total_jobs = self.context.read(lambda uow: count_jobs(uow, JobFilter()))
        if max(len(self._ids), self._total_jobs) < self.async_rows:
            ids = self.context.read(lambda uow: job_ids(uow, where, order))
            self._apply_ids(generation, ids)
            return
        self._loading = True
        self._poll.start()
        self.loading_started.emit()
        self.context.read_in_background(lambda: self._load(generation, where, order))

    @property
    def is_loading(self) -> bool:
        return self._loading

    def _load(self, generation: int, where: JobFilter, order: JobSort) -> None:
        """On the reading thread: the ids, handed to the GUI thread through the queue."""
        result: list[int] | Exception
        try:
            result = self.context.read(lambda uow: job_ids(uow, where, order))
        except Exception as error:
            result = error
        self._results.put((generation, result))

    def _take_results(self) -> None:
        while not self._results.empty():
            generation, result = self._results.get()
            if isinstance(result, Exception):
                self._show_load_error(generation, result)
            else:
                self._apply_ids(generation, result)

    def _apply_ids(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return  # a newer filter or sort was asked for meanwhile
        self.beginResetModel()
        self._ids = ids
        self._rows.clear()
        self._today = self.context.today()
        self.endResetModel()
        self._loading = False
        self._poll.stop()

    def _show_load_error(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self._poll.stop()
            self.context.show_error(None, error)

    def on_changed(self, changes: Changes) -> None:
        """Follow a change: in place when a few jobs changed, else fetch the ids again."""
        if not (changes.touches(ChangeKind.JOB) or changes.touches(ChangeKind.USER)):
            return
        if ChangeKind.ALL in changes.kinds:
            self._total_jobs = None
        if (
            ChangeKind.ALL in changes.kinds
            or not changes.job_ids
            or self.order.column not in STABLE_COLUMNS
            or self._loading
        ):
            self.reload()
            return
        self._today = self.context.today()
        changed = list(dict.fromkeys(changes.job_ids))
        matching = self.context.read(lambda uow: matching_ids(uow, self.where, changed))
        for job_id in changed:
            self._rows.pop(job_id, None)
            row = self.row_of(job_id)
            if row is not None and job_id in matching:
                last = self.index(row, len(COLUMNS) - 1)
                self.dataChanged.emit(self.index(row, 0), last)
            elif row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._ids[row]
                self.endRemoveRows()
            elif job_id in matching:
                if self.order.column is not JobColumn.CODE:
                    self.reload()  # where a new job falls in another order: ask the database
                    return
                if self.order.descending:
                    row = bisect_left(self._ids, -job_id, key=lambda other: -other)
                else:
                    row = bisect_left(self._ids, job_id)
                self.beginInsertRows(QModelIndex(), row, row)
                self._ids.insert(row, job_id)
                self.endInsertRows()

    def job_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def code(self, row: int) -> str | None:
        summary = self.summary(row)
        return summary.code if summary else None

    def row_of(self, job_id: int) -> int | None:
        try:
            return self._ids.index(job_id)
        except ValueError:
            return None

    def summary(self, row: int) -> JobSummary | None:
        job_id = self.job_id(row)
        if job_id is None:
            return None
        if job_id not in self._rows:
            self._fetch_block(row)
        return self._rows.get(job_id)

    def _fetch_block(self, row: int) -> None:
        if len(self._rows) >= CACHE_LIMIT:
            self._rows.clear()
        first = row - row % BLOCK
        wanted = [i for i in self._ids[first : first + BLOCK] if i not in self._rows]
        for summary in self.context.read(lambda uow: job_rows(uow, wanted)):
            self._rows[summary.id] = summary

    # --- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section][1])
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.column() >= len(COLUMNS):
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        column = COLUMNS[index.column()][0]
        due = summary.due(self._today)
        complaint_due = summary.complaint_due if column is JobColumn.PROMISED else None
        if complaint_due is not None and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return countdown(complaint_due, self._today)
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(summary, column)
        if role == Qt.ItemDataRole.BackgroundRole and column is JobColumn.STATUS:
            return QBrush(QColor(STATUS_COLOURS[summary.status]))
        if due is not Due.ON_TIME and column is JobColumn.PROMISED:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(DUE_COLOURS[due]))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.ToolTipRole and due is not Due.ON_TIME:
            return _due_tooltip(due, summary.promised)
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        return None


def _due_tooltip(due: Due, promised: date | None) -> str:
    if due is Due.OVERDUE:
        return _("Overdue: promised for {date}").format(date=_day(promised))
    return _("Due soon: promised for {date}").format(date=_day(promised))


def _day(day: date | None) -> str:
    return format_day(day) if day else ""


def _display(summary: JobSummary, column: JobColumn) -> str:
    if column is JobColumn.CODE:
        return summary.code
    if column is JobColumn.STATUS:
        return summary.status.label
    if column is JobColumn.JOB_TYPE:
        return summary.job_type.label
    if column is JobColumn.CUSTOMER:
        return summary.customer_name
    if column is JobColumn.DEVICE_TYPE:
        return DeviceType(summary.device_type).label
    if column is JobColumn.DEVICE:
        return summary.device
    if column is JobColumn.ASSIGNEE:
        return summary.assignee_name or "—"
    if column is JobColumn.PROMISED:
        return _day(summary.promised)
    return format_moment(summary.created_at)
