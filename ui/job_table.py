"""A table of jobs: Enter or double-click opens the card; columns and sort are remembered."""

from __future__ import annotations

from datetime import UTC, datetime

from repairshop.domain.statuses import JobStatus, JobType
from repairshop.i18n import _, format_day, format_moment
from repairshop.services.changes import Changes
from repairshop.services.jobs.listing import JobColumn
from ui.context import AppContext
from ui.customer_card import open_customer_of_job
from ui.models.job_table import COLUMN_KEYS, COLUMNS, JobTableModel
from ui.qt import (
    QAction,
    QByteArray,
    QKeyEvent,
    QMenu,
    QModelIndex,
    QPoint,
    Qt,
    QTableView,
    QWidget,
)
from ui.tables import (
    fit_to_width,
    point_sort_arrow,
    set_column_widths,
    style_table,
    widen_to_headings,
)

COLUMN_WIDTHS = (85, 140, 115, 180, 125, 195, 150, 105, 120)


class JobTable(QTableView):
    def __init__(
        self,
        context: AppContext,
        model: JobTableModel,
        state_key: str,
        parent: QWidget | None = None,
        *,
        sortable: bool = True,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.state_key = state_key
        self.setModel(model)
        self.job_model = model
        style_table(self, row_padding=10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._choose_columns)
        set_column_widths(self, COLUMN_WIDTHS)
        self.doubleClicked.connect(self._open)
        # A row's own menu (right click or the menu key): the job's customer card.
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._row_menu)
        saved = context.state.value(f"{state_key}/header")
        if isinstance(saved, QByteArray | bytes):
            header.restoreState(QByteArray(saved))
        if sortable:
            if not isinstance(saved, QByteArray | bytes):
                header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
            # Sorting on asks the model to sort by the (restored) indicator: one id query.
            self.setSortingEnabled(True)
            point_sort_arrow(self)
        else:
            header.setSortIndicatorShown(False)
            model.reload()
        # Widths saved in another language, or a sort arrow, can make a heading need more.
        widen_to_headings(self)
        header.sortIndicatorChanged.connect(lambda *_: widen_to_headings(self))
        # Every status and job type whole (the longest translations are the widest), and
        # the other columns give way so that nothing falls off the right.
        whole = [COLUMN_KEYS.index(JobColumn.STATUS), COLUMN_KEYS.index(JobColumn.JOB_TYPE)]
        for column, labels in zip(
            whole,
            ([s.label for s in JobStatus], [t.label for t in JobType]),
            strict=True,
        ):
            needed = max(self.fontMetrics().horizontalAdvance(label) for label in labels) + 16
            if self.columnWidth(column) < needed:
                self.setColumnWidth(column, needed)
        # Days and moments whole too: the longest a language writes them (a complaint's
        # deadline is a day as well, its countdown in the cell's tooltip).
        longest = datetime(2026, 12, 28, 23, 59, tzinfo=UTC)
        for key, text in (
            (JobColumn.PROMISED, format_day(longest.date())),
            (JobColumn.CREATED, format_moment(longest, tz=UTC)),
        ):
            column = COLUMN_KEYS.index(key)
            whole.append(column)
            needed = self.fontMetrics().horizontalAdvance(text) + 16
            if self.columnWidth(column) < needed:
                self.setColumnWidth(column, needed)
        fit_to_width(self, keep=whole)
        self._current: int | None = None
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._restore_current)
        context.changed.connect(self._on_changed)

    def save_state(self) -> None:
        self.context.state.setValue(f"{self.state_key}/header", self.horizontalHeader().saveState())

    def current_code(self) -> str | None:
        index = self.currentIndex()
        return self.job_model.code(index.row()) if index.isValid() else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        code = self.job_model.code(index.row())
        if code:
            self.context.open_job(code)

    def _row_menu(self, position: QPoint) -> None:
        index = self.indexAt(position)
        if index.isValid():
            self.setCurrentIndex(index)
        menu = self.row_menu()
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(position))
            menu.deleteLater()

    def row_menu(self) -> QMenu | None:
        """What the chosen row offers on a right click (a test walks it); none without a row."""
        if self.current_code() is None:
            return None
        menu = QMenu(self)
        menu.addAction(_("Customer card…")).triggered.connect(self.open_customer_card)
        return menu

    def open_customer_card(self) -> None:
        """The customer card of the chosen row's customer."""
        code = self.current_code()
        if code:
            open_customer_of_job(self.context, self, code)

    def _on_changed(self, changes: Changes) -> None:
        self.job_model.on_changed(changes)

    def _remember_current(self) -> None:
        self._current = self.job_model.job_id(self.currentIndex().row())

    def _restore_current(self) -> None:
        """After a new order or filter, the job that was chosen stays chosen if still listed."""
        row = self.job_model.row_of(self._current) if self._current is not None else None
        if row is not None:
            self.selectRow(row)

    def _choose_columns(self, where: QPoint) -> None:
        header = self.horizontalHeader()
        menu = QMenu(self)
        menu.setTitle(_("Columns"))
        for column, (_key, title) in enumerate(COLUMNS):
            action = QAction(_(title), menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != 0)
            action.toggled.connect(
                lambda shown, column=column: header.setSectionHidden(column, not shown)
            )
            menu.addAction(action)
        menu.popup(header.mapToGlobal(where))
