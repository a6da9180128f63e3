"""The Reports view's Feedback tab: NPS and ratings per technician, device type and month.

The figures come from :mod:`repairshop.services.reports.feedback` for the period the
Reports view shows; **Enter feedback…** takes an answer the customer gives at the counter
by its reply code.
"""

from __future__ import annotations

from datetime import date

from repairshop.domain.devices import DeviceType
from repairshop.errors import PermissionDenied
from repairshop.i18n import _, format_number
from repairshop.services.reports.complaints import month_label
from repairshop.services.reports.feedback import FeedbackReport, FeedbackRow, feedback_report
from repairshop.services.reports.figures import Period
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.feedback_dialog import FeedbackDialog
from ui.operations import ReadOp
from ui.qt import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)


def group_titles() -> dict[str, str]:
    return {
        "technician": _("By technician"),
        "device_type": _("By device type"),
        "month": _("By month"),
    }


def summary_text(report: FeedbackReport) -> str:
    total = report.total
    return " · ".join(
        (
            _("Feedback asked: {count}").format(count=format_number(report.asked)),
            _("Answered: {count}").format(count=format_number(total.count)),
            _("NPS: {nps}").format(nps=format_number(total.nps) if total.count else "—"),
            _("Mean score: {mean}").format(
                mean=format_number(total.mean_score) if total.count else "—"
            ),
        )
    )


def _group_label(grouping: str, key: str) -> str:
    if grouping == "device_type":
        try:
            return DeviceType(key).label
        except ValueError:
            return key
    if grouping == "month":
        try:
            return month_label(date.fromisoformat(f"{key}-01"))
        except ValueError:
            return key
    return key


class FeedbackReportTab(QWidget):
    updated = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: FeedbackReport | None = None
        self._generation = 0
        self._period = Period()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setAccessibleName(_("Feedback figures"))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.comments = QLabel(self)
        self.comments.setWordWrap(True)
        self.comments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.enter_button = QPushButton(_("&Enter feedback…"), self)
        self.enter_button.clicked.connect(self.enter)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.enter_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.comments)

    def enter(self) -> None:
        dialog = FeedbackDialog(self.context, "", self)
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, _view: object) -> None:
        self.show_period(self._period)

    def show_period(self, period: Period) -> None:
        self._period = period
        self._generation += 1
        generation = self._generation

        def query(uow: UnitOfWork) -> FeedbackReport:
            return feedback_report(uow, period, comments=5)

        def show(report: FeedbackReport) -> None:
            if generation == self._generation:
                self._show(report)

        def refused(error: Exception) -> None:
            if not isinstance(error, PermissionDenied):
                self.context.show_error(self, error)

        ReadOp(self.context, self, query, show).failure(refused).run()

    def _show(self, report: FeedbackReport) -> None:
        self.report = report
        self.summary.setText(summary_text(report))
        self.table.setHorizontalHeaderLabels(
            [_("Group"), _("Answers"), _("NPS"), _("Mean score"), _("Promoters / detractors")]
        )
        rows: list[tuple[str, FeedbackRow | None]] = []
        for grouping, title in group_titles().items():
            rows.append((title, None))
            rows += [
                (_group_label(grouping, row.group), row) for row in report.groups.get(grouping, [])
            ]
        self.table.setRowCount(len(rows))
        for number, (label, row) in enumerate(rows):
            cells = [label]
            if row is not None:
                cells += [
                    format_number(row.count),
                    format_number(row.nps),
                    format_number(row.mean_score),
                    f"{row.promoters} / {row.detractors}",
                ]
            for column in range(5):
                item = QTableWidgetItem(cells[column] if column < len(cells) else "")
                if row is None:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                elif column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(number, column, item)
        self.comments.setText(
            "\n".join(
                f"{code} · {score}/10 · {comment}" for code, score, comment in report.comments
            )
        )
        self.updated.emit()
