"""The job table's model: a page of rows at a time, the next as the table scrolls to the end.

Filtering and sorting happen in SQL (:mod:`repairshop.services.jobs.listing`); the
model asks for the first page (200 rows) once per filter or sort, then, as the view
scrolls to the last row (Qt's ``canFetchMore``/``fetchMore``), for the page after the
last row's keyset, never for every id and never for an offset. Every query is a
:class:`~ui.operations.ReadOp` on the one worker: the rows shown stay while a new
order is fetched, and the total is counted there after the first page shows.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import Any

from repairshop.domain.complaints import DUE_SOON_DAYS as COMPLAINT_DUE_SOON_DAYS
from repairshop.domain.complaints import countdown, days_left
from repairshop.domain.deadlines import Due
from repairshop.domain.devices import DeviceType
from repairshop.domain.statuses import JobStatus
from repairshop.i18n import N_, _, format_day, format_moment
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.listing import (
    NEWEST_FIRST,
    STABLE_COLUMNS,
    JobColumn,
    JobCursor,
    JobFilter,
    JobPage,
    JobSort,
    count_jobs,
    first_page,
    job_rows,
    matching_ids,
    next_page,
)
from repairshop.services.jobs.workflow import JobSummary
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp
from ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QFont,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
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
COUNT_LIMIT = 10_000
"""The list counts up to this many jobs; beyond, it says "10,000+" (a count of a million
reads, and caches, a whole index)."""
KEEP_LIMIT = CACHE_LIMIT
"""At most this many rows are read again when another change reloads a scrolled list."""


class JobTableModel(QAbstractTableModel):
    loading_started = Signal()
    """The first page is being fetched for a new filter or order (the old rows stay meanwhile)."""
    loaded = Signal()
    """A new first page is shown (after every load, never for a change made in place)."""
    total_changed = Signal()
    """:attr:`total` is known or has changed."""

    def __init__(
        self,
        context: AppContext,
        where: JobFilter | None = None,
        order: JobSort = NEWEST_FIRST,
        parent: QObject | None = None,
        *,
        page_size: int = BLOCK,
    ) -> None:
        super().__init__(parent)
        self._generation = 0
        self._loading = False
        self._fetching = False
        self._pending_blocks: set[int] = set()
        self.context = context
        self.where = where or JobFilter()
        self.order = order
        self.page_size = page_size
        self._ids: list[int] = []
        self._next: JobCursor | None = None
        self._rows: dict[int, JobSummary] = {}
        self._today: date | None = None
        self.total: int | None = 0
        """How many jobs the filter selects, or ``None`` until counted (off the GUI thread)
        or when there are more than :data:`COUNT_LIMIT`."""
        self.at_least = 0
        """While :attr:`total` is ``None``: how many there are at least."""

    # --- what the view asks for -------------------------------------------------------------

    def set_filter(self, where: JobFilter) -> None:
        self.where = where
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.order = JobSort(COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)
        self.reload()

    def reload(self, *, keep_rows: bool = False) -> None:
        """Fetch the first page again (after a filter, a sort, or a change anywhere).

        With ``keep_rows`` (a change made elsewhere) as many rows as are loaded now are
        read again, up to :data:`KEEP_LIMIT`, so a scrolled list keeps its place and its
        chosen row. The rows shown stay until the new page arrives; a newer request makes
        an older one's answer stale.
        """
        self._generation += 1
        generation, where, order = self._generation, self.where, self.order
        limit = min(max(self.page_size, len(self._ids)), KEEP_LIMIT) if keep_rows else 0
        limit = max(limit, self.page_size)
        self._loading = True
        self._fetching = False
        self.loading_started.emit()

        def query(uow: UnitOfWork) -> tuple[JobPage, date]:
            return first_page(uow, where, order, limit), shop_today(uow)

        ReadOp(self.context, self, query).success(
            lambda found: self._apply_page(generation, *found)
        ).failure(lambda error: self._show_load_error(generation, error)).run()

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def has_more(self) -> bool:
        """Rows past the last one loaded are still to be fetched."""
        return self._next is not None

    def _apply_page(self, generation: int, page: JobPage, today: date) -> None:
        if generation != self._generation:
            return  # a newer filter or sort was asked for meanwhile
        self.beginResetModel()
        self._ids = page.ids
        self._next = page.next
        self._rows = {row.id: row for row in page.rows}
        self._pending_blocks.clear()
        self._today = today
        self.endResetModel()
        self._loading = False
        self.loaded.emit()
        if page.next is None:
            self._set_total(len(self._ids))
        else:
            self._set_total(None, len(self._ids))
            self._count(generation)

    def _count(self, generation: int) -> None:
        """The total, counted on the worker after the first page shows."""
        where = self.where

        def counted(total: int) -> None:
            if generation != self._generation:
                return
            if total > COUNT_LIMIT:
                self._set_total(None, COUNT_LIMIT)
            else:
                self._set_total(total)

        ReadOp(
            self.context, self, lambda uow: count_jobs(uow, where, at_most=COUNT_LIMIT + 1)
        ).success(counted).run()

    def _set_total(self, total: int | None, at_least: int = 0) -> None:
        self.total = total
        self.at_least = total if total is not None else at_least
        self.total_changed.emit()

    def _show_load_error(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self._loading = False
            self.context.show_error(None, error)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._next is not None and not self._loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        """The page after the last row loaded, read on the worker (the view asks near the end)."""
        if parent.isValid() or self._next is None or self._loading or self._fetching:
            return
        self._fetching = True
        generation, where, order, after = self._generation, self.where, self.order, self._next
        size = self.page_size
        ReadOp(self.context, self, lambda uow: next_page(uow, where, order, after, size)).success(
            lambda page: self._append_page(generation, page)
        ).failure(lambda error: self._show_more_error(generation, error)).run()

    def _append_page(self, generation: int, page: JobPage) -> None:
        if generation != self._generation:
            return  # the list was fetched again meanwhile
        self._fetching = False
        self._next = page.next
        shown = set(self._ids)
        rows = [row for row in page.rows if row.id not in shown]
        if len(self._rows) >= CACHE_LIMIT:
            self._rows.clear()
        for row in rows:
            self._rows[row.id] = row
        if rows:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._ids.extend(row.id for row in rows)
            self.endInsertRows()
        if self._next is None and self.total != len(self._ids):
            self._set_total(len(self._ids))
        elif self.total is None and len(self._ids) > self.at_least:
            self._set_total(None, len(self._ids))

    def _show_more_error(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self._fetching = False
            self.context.show_error(None, error)

    def on_changed(self, changes: Changes) -> None:
        """Follow a change: in place when a few jobs changed, else fetch the rows again."""
        if not (changes.touches(ChangeKind.JOB) or changes.touches(ChangeKind.USER)):
            return
        if (
            ChangeKind.ALL in changes.kinds
            or not changes.job_ids
            or self.order.column not in STABLE_COLUMNS
            or self._loading
        ):
            self.reload(keep_rows=True)
            return
        generation, where = self._generation, self.where
        changed = list(dict.fromkeys(changes.job_ids))

        def query(uow: UnitOfWork) -> tuple[set[int], date]:
            return matching_ids(uow, where, changed), shop_today(uow)

        ReadOp(self.context, self, query).success(
            lambda found: self._change_in_place(generation, changed, *found)
        ).run()

    def _change_in_place(
        self, generation: int, changed: list[int], matching: set[int], today: date
    ) -> None:
        if generation != self._generation:
            return  # a new list was fetched meanwhile: it already shows the change
        self._today = today
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
                self._count_by(-1)
            elif job_id in matching:
                if self.order.column is not JobColumn.CODE:
                    self.reload(keep_rows=True)  # where a job falls in another order: ask
                    return
                if self.order.descending:
                    row = bisect_left(self._ids, -job_id, key=lambda other: -other)
                else:
                    row = bisect_left(self._ids, job_id)
                if row == len(self._ids) and self._next is not None:
                    self._count_by(1)
                    continue  # past the rows loaded: it comes with the page it falls in
                self.beginInsertRows(QModelIndex(), row, row)
                self._ids.insert(row, job_id)
                self.endInsertRows()
                self._count_by(1)

    def _count_by(self, step: int) -> None:
        if self.total is not None:
            self._set_total(self.total + step)

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
        """The row's job, or ``None`` while its block is being fetched (its cells fill in then)."""
        job_id = self.job_id(row)
        if job_id is None:
            return None
        if job_id not in self._rows:
            self._fetch_block(row)
        return self._rows.get(job_id)

    @property
    def rows_pending(self) -> bool:
        """Some painted rows are still being fetched."""
        return bool(self._pending_blocks)

    def _fetch_block(self, row: int) -> None:
        first = row - row % BLOCK
        if first in self._pending_blocks:
            return
        self._pending_blocks.add(first)
        wanted = [i for i in self._ids[first : first + BLOCK] if i not in self._rows]
        generation = self._generation
        ReadOp(self.context, self, lambda uow: job_rows(uow, wanted)).success(
            lambda rows: self._rows_arrived(generation, first, rows)
        ).failure(lambda error: self._show_block_error(first, error)).run()

    def _rows_arrived(self, generation: int, first: int, rows: list[JobSummary]) -> None:
        if generation != self._generation:
            return  # the list was fetched again meanwhile
        self._pending_blocks.discard(first)
        if len(self._rows) >= CACHE_LIMIT:
            self._rows.clear()
        for summary in rows:
            self._rows[summary.id] = summary
        if self._ids:  # rows may have moved by a change in place meanwhile: repaint them all
            last = self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _show_block_error(self, first: int, error: Exception) -> None:
        self._pending_blocks.discard(first)
        self.context.show_error(None, error)

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
        due = summary.due(self._today) if self._today is not None else Due.ON_TIME
        complaint_due = summary.complaint_due if column is JobColumn.PROMISED else None
        if complaint_due is not None and self._today is not None:
            return _complaint_deadline(complaint_due, self._today, role)
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


def _complaint_deadline(deadline: date, today: date, role: int) -> object:
    """A complaint's deadline to decide by: its day, as a promised day is shown, marked as
    it comes near or passes; the countdown ("decide by 21.12.2026 (16 days left)") in its
    tooltip, the column being as narrow as a day."""
    left = days_left(deadline, today)
    due = Due.OVERDUE if left < 0 else Due.DUE_SOON if left <= COMPLAINT_DUE_SOON_DAYS else None
    if role == Qt.ItemDataRole.DisplayRole:
        return format_day(deadline)
    if role == Qt.ItemDataRole.ToolTipRole:
        return countdown(deadline, today)
    if due is not None and role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(QColor(DUE_COLOURS[due]))
    if due is not None and role == Qt.ItemDataRole.FontRole:
        font = QFont()
        font.setBold(True)
        return font
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
