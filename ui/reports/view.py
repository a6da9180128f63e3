"""The Reports view: turnaround and workload charts and tables, filters, CSV and PDF export.

The figures are computed on the one worker (:class:`~ui.operations.ReadOp`;
over a million jobs they take seconds, with Cancel); a newer request makes an
older result stale, so only the latest choice of filters is ever shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from repairshop.domain.devices import DeviceType
from repairshop.errors import PermissionDenied, RepairShopError
from repairshop.i18n import _, format_duration, format_number, ngettext
from repairshop.printing.report_pdf import report_pdf
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.reports.export import (
    ReportSet,
    collect_reports,
    format_share,
    report_set_csv,
    report_set_tables,
)
from repairshop.services.reports.figures import Period
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.users import UserView, list_users
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.date_field import DateField
from ui.operations import ReadOp
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.reports.charts import ChartView, bar_chart, day_chart
from ui.reports.complaints import ComplaintsReport
from ui.reports.feedback import FeedbackReportTab
from ui.reports.table_model import ReportTableModel

DEFAULT_DAYS = 30
SHOW_PROGRESS_AFTER_MS = 1500
"""A computation the person asked for shows its progress and Cancel when it takes this long."""


@dataclass(frozen=True)
class ReportFilters:
    period: Period
    technician: str | None = None
    device_type: str | None = None
    business_hours: bool = False


class ReportsView(QWidget):
    updated = Signal()
    """Emitted on the GUI thread when new figures are shown."""
    exported = Signal(str)
    """A file was written (its path)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.reports: ReportSet | None = None
        self._generation = 0
        self._running = 0

        self.start = DateField(self)  # the one date style, as in every list and card
        self.end = DateField(self)
        self.technician = QComboBox(self)
        self.device_type = QComboBox(self)
        self.business_hours = QCheckBox(_("Business hours"), self)
        self.business_hours.setToolTip(_("Count only the time the shop is open"))
        self.refresh_button = QPushButton(_("Refresh"), self)
        self.csv_button = QPushButton(_("Export CSV…"), self)
        self.pdf_button = QPushButton(_("Export PDF…"), self)
        self.status = QLabel(self)
        self._fill_filters()

        filters = QHBoxLayout()
        for text, edit in ((_("From"), self.start), (_("To"), self.end)):
            label = QLabel(text, self)
            label.setBuddy(edit)
            filters.addWidget(label)
            filters.addWidget(edit)
        self.technician.setAccessibleName(_("Technician"))
        self.device_type.setAccessibleName(_("Device type"))
        filters.addWidget(self.technician)
        filters.addWidget(self.device_type)
        filters.addWidget(self.business_hours)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)
        filters.addWidget(self.csv_button)
        filters.addWidget(self.pdf_button)

        self.distribution_chart = ChartView(self)
        self.flow_chart = ChartView(self)
        self.wip_chart = ChartView(self)
        self.status_chart = ChartView(self)
        charts = QWidget(self)
        grid = QGridLayout(charts)
        grid.addWidget(self.distribution_chart, 0, 0)
        grid.addWidget(self.flow_chart, 0, 1)
        grid.addWidget(self.wip_chart, 1, 0)
        grid.addWidget(self.status_chart, 1, 1)

        tables = QWidget(self)
        self.table_choice = QComboBox(tables)
        self.table_model = ReportTableModel(self)
        self.table_view = QTableView(tables)
        self.table_view.setModel(self.table_model)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.verticalHeader().setVisible(False)
        self.table_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table_choice.setAccessibleName(_("Tables"))
        self.table_view.setAccessibleName(_("Figures"))
        table_layout = QVBoxLayout(tables)
        table_layout.addWidget(self.table_choice)
        table_layout.addWidget(self.table_view)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(charts, _("Charts"))
        self.tabs.addTab(tables, _("Tables"))
        self.complaints = ComplaintsReport(context, self)
        self.tabs.addTab(self.complaints, _("Complaints"))
        self.feedback = FeedbackReportTab(context, self)
        self.tabs.addTab(self.feedback, _("Feedback"))

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(800)
        self._debounce.timeout.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.csv_button.clicked.connect(self._ask_csv)
        self.pdf_button.clicked.connect(self._ask_pdf)
        self.table_choice.currentIndexChanged.connect(self._show_table)
        for combo in (self.technician, self.device_type):
            combo.currentIndexChanged.connect(self._debounce.start)
        self.start.dateChanged.connect(self._debounce.start)
        self.end.dateChanged.connect(self._debounce.start)
        self.business_hours.toggled.connect(self._debounce.start)
        self._followed = QTimer(self)
        self._followed.setSingleShot(True)
        self._followed.setInterval(800)
        self._followed.timeout.connect(lambda: self.refresh(quiet=True))
        context.changed.connect(self._on_changed)
        self._set_exporting_enabled(False)
        self.refresh_button.setEnabled(False)

        def query(uow: UnitOfWork) -> tuple[date, list[UserView]]:
            return shop_today(uow), list_users(uow, technicians_only=True)

        ReadOp(context, self, query).success(lambda found: self._start(*found)).run()

    # Filters

    def _fill_filters(self) -> None:
        self.technician.addItem(_("All technicians"), None)
        self.device_type.addItem(_("All device types"), None)
        for device_type in DeviceType:
            self.device_type.addItem(device_type.label, device_type.value)

    def _start(self, today: date, technicians: list[UserView]) -> None:
        """The last days up to the shop's today, and its technicians; then the figures."""
        for edit, day in (
            (self.start, today - timedelta(days=DEFAULT_DAYS - 1)),
            (self.end, today),
        ):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.technician.blockSignals(True)
        for user in technicians:
            self.technician.addItem(user.display_name, user.login)
        self.technician.blockSignals(False)
        self.refresh_button.setEnabled(True)
        self.refresh()

    def period(self) -> Period:
        return Period(_day(self.start.date()), _day(self.end.date()))

    # Computing

    def refresh(self, *, quiet: bool = False) -> None:
        """Compute the figures for the current filters on the worker.

        Asked for by the person, a long computation shows its progress with Cancel;
        ``quiet`` (following another change) it only says so in the status line.
        """
        self._debounce.stop()
        try:
            period = self.period()
        except Exception as error:
            self.context.show_error(self, error)
            return
        self._generation += 1
        generation = self._generation
        filters = ReportFilters(
            period,
            self.technician.currentData(),
            self.device_type.currentData(),
            self.business_hours.isChecked(),
        )

        def query(uow: UnitOfWork) -> ReportSet:
            return collect_reports(
                uow,
                filters.period,
                technician=filters.technician,
                device_type=filters.device_type,
                business_hours=filters.business_hours,
            )

        self.complaints.show_period(period)
        self.feedback.show_period(period)
        self._running += 1
        self.status.setText(_("Computing…"))
        op = ReadOp(self.context, self, query).success(
            lambda reports: self._on_done(generation, reports)
        )
        op.failure(lambda error: self._on_failed(generation, error))
        if not quiet:
            op.with_progress(_("Computing the reports…"), show_after_ms=SHOW_PROGRESS_AFTER_MS)
            op.cancelled(lambda: self._on_cancelled(generation))
        op.run()

    def _finish(self, generation: int) -> bool:
        self._running -= 1
        return generation == self._generation

    def _on_done(self, generation: int, reports: ReportSet) -> None:
        if not self._finish(generation):
            return
        self.reports = reports
        self._show(reports)
        self.updated.emit()

    def _on_failed(self, generation: int, error: Exception) -> None:
        if self._finish(generation):
            self.status.setText("")
            if isinstance(error, PermissionDenied):
                # The tab is hidden from this person; a box over the counter would only puzzle.
                self.status.setText(_("Only a manager sees the reports."))
                return
            self.context.show_error(self, error)

    def _on_cancelled(self, generation: int) -> None:
        if self._finish(generation):
            self.status.setText(_("Cancelled: the figures shown are not for these filters."))

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(ChangeKind.JOB) or changes.touches(ChangeKind.SETTINGS):
            self._followed.start()

    @property
    def busy(self) -> bool:
        return self._running > 0

    # Showing

    def _show(self, reports: ReportSet) -> None:
        distribution = reports.by_technician.distribution
        self.distribution_chart.show_chart(
            bar_chart(
                _("Turnaround: jobs by time from intake to ready"),
                [label for label, _count in distribution],
                [(_("Jobs"), [count for _label, count in distribution])],
                horizontal=True,
            )
        )
        days = reports.workload.days
        self.flow_chart.show_chart(
            day_chart(
                _("Jobs in and out per day"),
                [flow.day for flow in days],
                [
                    (_("Taken in"), [flow.taken_in for flow in days]),
                    (_("Ready"), [flow.ready for flow in days]),
                    (_("Collected"), [flow.collected for flow in days]),
                ],
            )
        )
        loads = reports.workload.technicians
        self.wip_chart.show_chart(
            bar_chart(
                _("Work in progress per technician"),
                [load.name for load in loads],
                [
                    (_("Open jobs"), [load.open_jobs for load in loads]),
                    (_("Overdue"), [load.overdue for load in loads]),
                ],
                horizontal=True,
            )
        )
        stays = reports.by_status.rows
        self.status_chart.show_chart(
            bar_chart(
                _("Hours in each status (per stay)"),
                [row.label for row in stays],
                [
                    (_("Median"), [row.summary.median_hours or 0.0 for row in stays]),
                    (_("Mean"), [row.summary.mean_hours or 0.0 for row in stays]),
                ],
                horizontal=True,
                whole=False,
            )
        )
        chosen = max(self.table_choice.currentIndex(), 0)
        self.table_choice.blockSignals(True)
        self.table_choice.clear()
        for table in report_set_tables(reports):
            self.table_choice.addItem(table.title)
        self.table_choice.setCurrentIndex(chosen)
        self.table_choice.blockSignals(False)
        self._show_table(chosen)
        total = reports.by_technician.total
        self.status.setText(
            ngettext(
                "{jobs} job ready in the period; median {median}, on time {share}",
                "{jobs} jobs ready in the period; median {median}, on time {share}",
                total.jobs,
            ).format(
                jobs=format_number(total.jobs),
                median="–"
                if total.summary.median_hours is None
                else format_duration(total.summary.median_hours),
                share="–" if total.on_time_share is None else format_share(total.on_time_share),
            )
        )
        self._set_exporting_enabled(True)

    def _show_table(self, index: int) -> None:
        if self.reports is None:
            self.table_model.set_table(None)
            return
        tables = report_set_tables(self.reports)
        shown = tables[index].for_people() if 0 <= index < len(tables) else None
        self.table_model.set_table(shown)
        header = self.table_view.horizontalHeader()
        if shown is not None and shown.headers:
            # The names take the width the figures leave; the figures keep theirs.
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _set_exporting_enabled(self, enabled: bool) -> None:
        self.csv_button.setEnabled(enabled)
        self.pdf_button.setEnabled(enabled)

    # Exporting

    def export_csv(self, path: Path) -> None:
        if self.reports is not None:
            path.write_text(report_set_csv(self.reports), encoding="utf-8")

    def export_pdf(self, path: Path) -> None:
        """The PDF is written once the shop's name and the time are read (:attr:`exported`)."""
        if self.reports is None:
            return
        reports = self.reports

        def write(found: tuple[str, datetime]) -> None:
            shop, now = found
            self._export(
                lambda where: where.write_bytes(report_pdf(reports, shop_name=shop, generated=now)),
                path,
            )

        ReadOp(self.context, self, lambda uow: (get_settings(uow).name, uow.now())).success(
            write
        ).run()

    def _ask_csv(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export CSV"), _("turnaround.csv"), _("CSV files (*.csv)")
        )
        if name:
            self._export(self.export_csv, Path(name))

    def _ask_pdf(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export PDF"), _("turnaround.pdf"), _("PDF files (*.pdf)")
        )
        if name:
            self.export_pdf(Path(name))

    def _export(self, action: Callable[[Path], object], path: Path) -> None:
        try:
            action(path)
            self.exported.emit(str(path))
        except OSError as error:
            self.context.show_error(
                self,
                RepairShopError(
                    _("Cannot write {file}: {reason}").format(file=path, reason=error.strerror)
                ),
            )


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
