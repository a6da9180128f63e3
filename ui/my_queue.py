"""My queue: the current technician's jobs that still need work, earliest promise first.

Below them, the jobs nobody has taken yet whose next step is a technician's: "Take it"
assigns the chosen one to the person at this desk, so new work is picked up here too.
"""

from __future__ import annotations

import html

from repairshop.domain.deadlines import Due
from repairshop.domain.statuses import JobStatus
from repairshop.errors import RepairShopError
from repairshop.i18n import _, format_number, ngettext
from repairshop.services.changes import Changes
from repairshop.services.jobs.listing import (
    QUEUE_SORT,
    JobColumn,
    due_counts,
    queue_filter,
    waiting_filter,
)
from repairshop.services.jobs.views import JobView
from repairshop.services.jobs.workflow import JobChanged, change_status, show_job, take_job
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.focus_ring import FocusRing
from ui.job_table import JobTable
from ui.models.job_table import COLUMN_KEYS, DUE_COLOURS, JobTableModel
from ui.operations import ReadOp, WriteOp
from ui.qt import QHBoxLayout, QKeySequence, QLabel, QPushButton, Qt, QVBoxLayout, QWidget


def _changed(result: JobChanged) -> Changes:
    return result.changes


class QueueView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.heading = QLabel(self)
        self.model = JobTableModel(context, queue_filter(context.user), QUEUE_SORT, self)
        self.table = JobTable(context, self.model, "queue", self, sortable=False)
        self.table.setAccessibleName(_("My queue"))
        if context.state.value("queue/header") is None:
            # Every job here is the same technician's: that column is hidden unless chosen.
            self.table.setColumnHidden(COLUMN_KEYS.index(JobColumn.ASSIGNEE), True)
        self.moves = QHBoxLayout()
        self.move_buttons: dict[JobStatus, QPushButton] = {}
        self.hint = QLabel(self)
        self.focus_ring = FocusRing(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.hint)
        row.addLayout(self.moves)
        row.addStretch(1)
        layout.addLayout(row)

        # New work: nobody's yet, waiting for a technician.
        self.waiting_heading = QLabel(self)
        self.waiting_model = JobTableModel(context, waiting_filter(), QUEUE_SORT, self)
        self.waiting = JobTable(context, self.waiting_model, "waiting", self, sortable=False)
        self.waiting.setAccessibleName(_("Waiting for a technician"))
        self.waiting_heading.setBuddy(self.waiting)
        if context.state.value("waiting/header") is None:
            self.waiting.setColumnHidden(COLUMN_KEYS.index(JobColumn.ASSIGNEE), True)
        self.take_button = QPushButton(_("&Take it"), self)
        self.take_button.setToolTip(_("Assign the chosen job to me"))
        self.take_button.clicked.connect(self.take_current)
        layout.addWidget(self.waiting_heading)
        layout.addWidget(self.waiting, 1)
        take_row = QHBoxLayout()
        take_row.addWidget(self.take_button)
        take_row.addStretch(1)
        layout.addLayout(take_row)
        self.waiting_model.modelReset.connect(self._show_waiting)
        self.waiting_model.rowsInserted.connect(lambda *_args: self._show_waiting())
        self.waiting_model.rowsRemoved.connect(lambda *_args: self._show_waiting())
        self.waiting_model.total_changed.connect(self._show_waiting)
        self.waiting.selectionModel().currentRowChanged.connect(lambda *_args: self._show_waiting())
        self._show_waiting()

        self.model.total_changed.connect(self._show_heading)
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._show_moves())
        self.model.modelReset.connect(self._show_moves)
        # The chosen row's job may arrive after it was chosen: its moves are shown then.
        self.model.dataChanged.connect(lambda *_args: self._show_moves_if_missing())
        context.user_changed.connect(self._user_changed)
        self._show_heading()
        self._show_moves()

    def focus_first(self) -> None:
        """Ctrl+3 lands on work: my queue's chosen (or first) job; while my queue is empty,
        the first job nobody has taken, ready for Take it. The view built a moment ago (on
        its first Ctrl+3) places the focus when its rows have come."""
        loading = [model for model in (self.model, self.waiting_model) if model.is_loading]
        if loading:
            loading[0].loaded.connect(self.focus_first, Qt.ConnectionType.SingleShotConnection)
            return
        table, model = self.table, self.model
        if model.rowCount() == 0 and self.waiting_model.rowCount() > 0:
            table, model = self.waiting, self.waiting_model
        table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        # Focus makes the first row current but not chosen: it is chosen, as a row looks then.
        if not table.selectionModel().hasSelection() and model.rowCount() > 0:
            table.selectRow(max(table.currentIndex().row(), 0))

    def _user_changed(self, login: str) -> None:
        self.model.set_filter(queue_filter(login))

    def _show_heading(self) -> None:
        login, where = self.context.user, self.model.where
        count = self.model.total if self.model.total is not None else self.model.at_least
        shown = _counted(self.model)

        def query(uow: UnitOfWork) -> tuple[str, dict[Due, int]]:
            try:
                name = get_user(uow, login).display_name
            except RepairShopError:
                name = login
            return name, due_counts(uow, where)

        ReadOp(self.context, self, query).success(
            lambda found: self._write_heading(count, shown, *found)
        ).run()

    def _write_heading(self, count: int, shown: str, name: str, due: dict[Due, int]) -> None:
        parts = [
            f"<b>{html.escape(name)}</b>",
            ngettext("{count} job needs work", "{count} jobs need work", count).format(count=shown),
        ]
        if due[Due.OVERDUE]:
            overdue = ngettext("{count} overdue", "{count} overdue", due[Due.OVERDUE]).format(
                count=format_number(due[Due.OVERDUE])
            )
            parts.append(f"<b style='color:{DUE_COLOURS[Due.OVERDUE]}'>{overdue}</b>")
        if due[Due.DUE_SOON]:
            soon = ngettext(
                "{count} due today or tomorrow",
                "{count} due today or tomorrow",
                due[Due.DUE_SOON],
            ).format(count=format_number(due[Due.DUE_SOON]))
            parts.append(f"<span style='color:{DUE_COLOURS[Due.DUE_SOON]}'>{soon}</span>")
        self.heading.setText(" · ".join(parts))

    def _show_waiting(self) -> None:
        model = self.waiting_model
        count = model.total if model.total is not None else model.at_least
        self.waiting_heading.setText(
            f"<b>{html.escape(_('Waiting for a technician'))}</b> · "
            + ngettext(
                "{count} job nobody has taken", "{count} jobs nobody has taken", count
            ).format(count=_counted(model))
        )
        self.take_button.setEnabled(self.waiting.currentIndex().isValid())

    def take_current(self) -> None:
        """Assign the chosen waiting job to the person at this desk; it moves up into my queue."""
        code = self.waiting.current_code()
        if code is None:
            return
        user = self.context.user
        WriteOp(self.context, self, lambda uow: take_job(uow, code, user), _changed).success(
            self._taken
        ).run(initiator=self)

    def _taken(self, result: JobChanged) -> None:
        """The taken job is chosen in my queue (which reloads next), the focus on the list."""
        self.table.setFocus()
        taken = result.changes.job_ids

        def choose() -> None:
            for job_id in taken:
                row = self.model.row_of(job_id)
                if row is not None:
                    self.table.selectRow(row)
                    return

        self.model.modelReset.connect(choose, Qt.ConnectionType.SingleShotConnection)

    def _show_moves_if_missing(self) -> None:
        if not self.move_buttons and self.table.current_code() is not None:
            self._show_moves()

    def _show_moves(self) -> None:
        for button in self.move_buttons.values():
            self.moves.removeWidget(button)
            button.deleteLater()
        self.move_buttons = {}
        code = self.table.current_code()
        if code is None:
            self.hint.setText(_("Choose a job to move it; Enter opens its card."))
            return
        user = self.context.user
        ReadOp(self.context, self, lambda uow: show_job(uow, code, user)).success(
            self._show_moves_of
        ).run()

    def _show_moves_of(self, view: JobView) -> None:
        code = view.code
        if code != self.table.current_code():
            return  # another job was chosen meanwhile
        self.hint.setText(_("{code} → move to:").format(code=code))
        for number, status in enumerate(view.allowed_moves, start=1):
            button = QPushButton(status.label, self)
            button.setShortcut(QKeySequence(f"Alt+{number}"))
            button.setToolTip(f"Alt+{number}")
            self.focus_ring.watch(button)
            button.clicked.connect(
                lambda _checked=False, code=code, status=status: self.move_job(code, status)
            )
            self.moves.addWidget(button)
            button.show()
            self.move_buttons[status] = button

    def move_job(self, code: str, target: JobStatus) -> None:
        user = self.context.user
        WriteOp(
            self.context, self, lambda uow: change_status(uow, code, target, user), _changed
        ).success(lambda _result: self._show_moves()).run(initiator=self)

    def save_state(self) -> None:
        self.table.save_state()
        self.waiting.save_state()


def _counted(model: JobTableModel) -> str:
    """The list's total, or "200+" while it is counted (or past what it counts)."""
    if model.total is not None:
        return format_number(model.total)
    return f"{format_number(model.at_least)}+"
