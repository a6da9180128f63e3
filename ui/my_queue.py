"""My queue: the current technician's jobs that still need work, earliest promise first."""

from __future__ import annotations

import html

from repairshop.domain.deadlines import Due
from repairshop.domain.statuses import JobStatus
from repairshop.errors import RepairShopError
from repairshop.i18n import _, format_number, ngettext
from repairshop.services.changes import Changes
from repairshop.services.jobs.listing import QUEUE_SORT, JobColumn, due_counts, queue_filter
from repairshop.services.jobs.views import JobView
from repairshop.services.jobs.workflow import JobChanged, change_status, show_job
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.job_table import JobTable
from ui.models.job_table import COLUMN_KEYS, DUE_COLOURS, JobTableModel
from ui.operations import ReadOp, WriteOp
from ui.qt import QHBoxLayout, QKeySequence, QLabel, QPushButton, QVBoxLayout, QWidget


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
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.hint)
        row.addLayout(self.moves)
        row.addStretch(1)
        layout.addLayout(row)
        self.model.modelReset.connect(self._show_heading)
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._show_moves())
        self.model.modelReset.connect(self._show_moves)
        context.user_changed.connect(self._user_changed)
        self._show_heading()
        self._show_moves()

    def _user_changed(self, login: str) -> None:
        self.model.set_filter(queue_filter(login))

    def _show_heading(self) -> None:
        login, where, count = self.context.user, self.model.where, self.model.rowCount()

        def query(uow: UnitOfWork) -> tuple[str, dict[Due, int]]:
            try:
                name = get_user(uow, login).display_name
            except RepairShopError:
                name = login
            return name, due_counts(uow, where)

        ReadOp(self.context, self, query).success(
            lambda found: self._write_heading(count, *found)
        ).run()

    def _write_heading(self, count: int, name: str, due: dict[Due, int]) -> None:
        parts = [
            f"<b>{html.escape(name)}</b>",
            ngettext("{count} job needs work", "{count} jobs need work", count).format(
                count=format_number(count)
            ),
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
