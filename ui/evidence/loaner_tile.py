"""A dashboard tile for loaners past their day: shown only while there are some."""

from __future__ import annotations

from repairshop.i18n import _, format_day, format_number
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.loaners import LoanerRow, list_loaners
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp
from ui.qt import QMessageBox, QPushButton, QSizePolicy, QTimer, QWidget

REFRESH_MS = 5 * 60 * 1000
_STYLE = (
    "QPushButton { text-align: left; padding: 5px 14px; border-radius: 6px;"
    " border: 1px solid #c62828; background: #fdecea; color: #8e1b1b; }"
)


def overdue_loaners(uow: UnitOfWork) -> list[LoanerRow]:
    return list_loaners(uow, overdue_only=True)


class OverdueLoanersTile(QPushButton):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.rows: list[LoanerRow] = []
        self.setObjectName("tile_overdue_loaners")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(56)
        self.setStyleSheet(_STYLE)
        self.setAccessibleName(_("Loaners overdue"))
        self.clicked.connect(self.show_list)
        self.hide()
        timer = QTimer(self)
        timer.setInterval(REFRESH_MS)
        timer.timeout.connect(self.refresh)
        timer.start()
        context.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        ReadOp(self.context, self, overdue_loaners).success(self._show).run()

    def _on_changed(self, changes: Changes, _initiator: object | None = None) -> None:
        if changes.touches(ChangeKind.JOB):
            self.refresh()

    def _show(self, rows: list[LoanerRow]) -> None:
        self.rows = rows
        self.setText(f"{format_number(len(rows))}\n{_('Loaners overdue')}")
        self.setVisible(bool(rows))

    def show_list(self) -> None:
        lines = [
            _("{label} {name}: with {code} ({customer}), due {day}").format(
                label=row.label,
                name=row.name,
                code=row.job,
                customer=row.customer,
                day=format_day(row.due) if row.due else "-",
            )
            for row in self.rows
        ]
        QMessageBox.information(self, _("Loaners overdue"), "\n".join(lines))
