"""The Reports view's Complaints tab: per month, decided in time, late, and still open.

The figures come from :mod:`repairshop.services.reports.complaints` for the period the
Reports view shows; only the latest period asked for is ever shown.
"""

from __future__ import annotations

from repairshop.errors import PermissionDenied
from repairshop.i18n import _, format_number
from repairshop.services.reports.complaints import (
    ComplaintMonth,
    ComplaintReport,
    complaint_report,
    complaints_by_month,
    month_label,
)
from repairshop.services.reports.export import format_share
from repairshop.services.reports.figures import Period
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp
from ui.qt import QColor, QLabel, Qt, QVBoxLayout, QWidget, Signal
from ui.qt_charts import QBarSeries, QValueAxis
from ui.reports.charts import ChartView, bar_chart

ComplaintFigures = tuple[ComplaintReport, list[ComplaintMonth]]
COLOURS = ("#2e7d32", "#c62828", "#1f5f99")
"""Decided in time green, late red, open blue."""


def summary_text(report: ComplaintReport) -> str:
    """One paragraph: received, decided (how), open, the share decided in time."""
    share = report.share_in_time
    parts = [
        _("Complaints received: {count}").format(count=format_number(report.received)),
        _("Decided: {count} (accepted {accepted}, rejected {rejected})").format(
            count=report.decided, accepted=report.accepted, rejected=report.rejected
        ),
        _("Open: {count}, of them past the deadline: {overdue}").format(
            count=report.open, overdue=report.overdue
        ),
        _("Decided in time: {share}").format(
            share="—"
            if share is None
            else f"{format_share(share)} ({report.in_time}/{report.in_time + report.late})"
        ),
    ]
    if report.mean_days is not None:
        parts.append(
            _("Days from receipt to decision, on average: {days}").format(
                days=format_number(round(report.mean_days, 1))
            )
        )
    return " · ".join(parts)


class ComplaintsReport(QWidget):
    """A chart of the months of the period and the period's figures in words."""

    updated = Signal()
    """New figures are shown."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.figures: ComplaintFigures | None = None
        self._generation = 0
        self.chart = ChartView(self)
        self.chart.setAccessibleName(_("Complaints per month"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.summary)

    def show_period(self, period: Period) -> None:
        """Read the period's complaint figures on the worker and show them."""
        self._generation += 1
        generation = self._generation

        def query(uow: UnitOfWork) -> ComplaintFigures:
            return complaint_report(uow, period), complaints_by_month(uow, period)

        def show(figures: ComplaintFigures) -> None:
            if generation == self._generation:
                self._show(figures)

        def refused(error: Exception) -> None:
            if not isinstance(error, PermissionDenied):  # hidden from who may not see it
                self.context.show_error(self, error)

        ReadOp(self.context, self, query, show).failure(refused).run()

    def _show(self, figures: ComplaintFigures) -> None:
        self.figures = figures
        report, months = figures
        labels = [month_label(month.month) for month in months]
        chart = bar_chart(
            _("Complaints by month received: decided in time, late, open"),
            labels,
            [
                (_("Decided in time"), [month.in_time for month in months]),
                (_("Late or overdue"), [month.late for month in months]),
                (_("Still open"), [month.open for month in months]),
            ],
        )
        highest = max((max(m.in_time, m.late, m.open) for m in months), default=0)
        if highest < 10:  # a few complaints: one tick per complaint, never "0, 0, 1, 1"
            for axis in chart.axes(Qt.Orientation.Vertical):
                if isinstance(axis, QValueAxis):
                    axis.setRange(0, max(highest, 1))
                    axis.setTickCount(max(highest, 1) + 1)
        for series in chart.series():
            if isinstance(series, QBarSeries):
                for bar_set, colour in zip(series.barSets(), COLOURS, strict=False):
                    bar_set.setColor(QColor(colour))
        self.chart.show_chart(chart)
        self.summary.setText(summary_text(report))
        self.updated.emit()
