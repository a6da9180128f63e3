"""The Reports view: turnaround and workload charts and tables, filters, CSV and PDF export.

The figures are computed off the GUI thread (over a million jobs they take
seconds); a newer request makes an older result stale, so only the latest
choice of filters is ever shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from repairshop.domain.devices import DeviceType
from repairshop.errors import RepairShopError
from repairshop.i18n import _, format_number, ngettext
from repairshop.printing.report_pdf import report_pdf
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.reports.export import (
    ReportSet,
    collect_reports,
    format_hours,
    format_share,
    report_set_csv,
    report_set_tables,
)
from repairshop.services.reports.figures import Period
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.users import list_users
from ui.context import AppContext
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QObject,
    QPushButton,
    QRunnable,
    QTableView,
    QTabWidget,
    QThreadPool,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    SignalInstance,
)
from ui.reports.charts import ChartView, bar_chart, day_chart
from ui.reports.table_model import ReportTableModel

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30


class _Delivery(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)


@dataclass(frozen=True)
class ReportFilters:
    period: Period
    technician: str | None = None
    device_type: str | None = None
    business_hours: bool = False


class _ReportTask(QRunnable):
    """Computes a :class:`ReportSet` on a pool thread and hands it to the GUI thread."""

    def __init__(self, context: AppContext, generation: int, filters: ReportFilters) -> None:
        super().__init__()
        self.delivery = _Delivery()
        self.context = context
        self.generation = generation
        self.filters = filters

    def run(self) -> None:
        filters = self.filters
        try:
            reports = self.context.read(
                lambda uow: collect_reports(
                    uow,
                    filters.period,
                    technician=filters.technician,
                    device_type=filters.device_type,
                    business_hours=filters.business_hours,
                )
            )
        except Exception as error:
            self._deliver(self.delivery.failed, error)
            return
        self._deliver(self.delivery.done, reports)

    def _deliver(self, signal: SignalInstance, result: object) -> None:
        try:
            signal.emit(self.generation, result)
        except RuntimeError:  # the view (and its delivery) went while the figures were computed
            log.debug("report %s finished after its view closed", self.generation)


class ReportsView(QWidget):
    updated = Signal()
    """Emitted on the GUI thread when new figures are shown."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.reports: ReportSet | None = None
        self._generation = 0
        self._running = 0
        self._tasks: dict[int, _ReportTask] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        today = context.today()

        self.start = QDateEdit(self)
        self.end = QDateEdit(self)
        for edit, day in (
            (self.start, today - timedelta(days=DEFAULT_DAYS - 1)),
            (self.end, today),
        ):
            edit.setCalendarPopup(True)
            edit.setDate(QDate(day.year, day.month, day.day))
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
        context.changed.connect(self._on_changed)
        self._set_exporting_enabled(False)
        self.refresh()

    # Filters

    def _fill_filters(self) -> None:
        self.technician.addItem(_("All technicians"), None)
        for user in self.context.read(lambda uow: list_users(uow, technicians_only=True)):
            self.technician.addItem(user.display_name, user.login)
        self.device_type.addItem(_("All device types"), None)
        for device_type in DeviceType:
            self.device_type.addItem(device_type.label, device_type.value)

    def period(self) -> Period:
        return Period(_day(self.start.date()), _day(self.end.date()))

    # Computing

    @property
    def busy(self) -> bool:
        return self._running > 0

    def refresh(self) -> None:
        """Compute the figures for the current filters on the worker thread."""
        self._debounce.stop()
        try:
            period = self.period()
        except Exception as error:
            self.context.show_error(self, error)
            return
        self._generation += 1
        filters = ReportFilters(
            period,
            self.technician.currentData(),
            self.device_type.currentData(),
            self.business_hours.isChecked(),
        )
        task = _ReportTask(self.context, self._generation, filters)
        task.setAutoDelete(False)
        task.delivery.done.connect(self._on_done)
        task.delivery.failed.connect(self._on_failed)
        self._tasks[self._generation] = task
        self._running += 1
        self.status.setText(_("Computing…"))
        self._pool.start(task)

    def _finish(self, generation: int) -> bool:
        self._running -= 1
        self._tasks.pop(generation, None)
        return generation == self._generation

    def _on_done(self, generation: int, reports: object) -> None:
        if not self._finish(generation) or not isinstance(reports, ReportSet):
            return
        self.reports = reports
        self._show(reports)
        self.updated.emit()

    def _on_failed(self, generation: int, error: object) -> None:
        if self._finish(generation) and isinstance(error, BaseException):
            self.status.setText("")
            self.context.show_error(self, error)

    def _on_changed(self, changes: object) -> None:
        if isinstance(changes, Changes) and (
            changes.touches(ChangeKind.JOB) or changes.touches(ChangeKind.SETTINGS)
        ):
            self._debounce.start()

    def wait_until_idle(self, timeout_ms: int = 60_000) -> bool:
        """Block until the worker is done (for tests and for closing the window)."""
        return self._pool.waitForDone(timeout_ms)

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
                "{jobs} job ready in the period; median {median} h, on time {share}",
                "{jobs} jobs ready in the period; median {median} h, on time {share}",
                total.jobs,
            ).format(
                jobs=format_number(total.jobs),
                median="–"
                if total.summary.median_hours is None
                else format_hours(total.summary.median_hours),
                share="–" if total.on_time_share is None else format_share(total.on_time_share),
            )
        )
        self._set_exporting_enabled(True)

    def _show_table(self, index: int) -> None:
        if self.reports is None:
            self.table_model.set_table(None)
            return
        tables = report_set_tables(self.reports)
        self.table_model.set_table(tables[index] if 0 <= index < len(tables) else None)

    def _set_exporting_enabled(self, enabled: bool) -> None:
        self.csv_button.setEnabled(enabled)
        self.pdf_button.setEnabled(enabled)

    # Exporting

    def export_csv(self, path: Path) -> None:
        if self.reports is not None:
            path.write_text(report_set_csv(self.reports), encoding="utf-8")

    def export_pdf(self, path: Path) -> None:
        if self.reports is None:
            return
        reports = self.reports
        shop = self.context.read(get_settings).name
        now = self.context.read(lambda uow: uow.now())
        path.write_bytes(report_pdf(reports, shop_name=shop, generated=now))

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
            self._export(self.export_pdf, Path(name))

    def _export(self, action: Callable[[Path], None], path: Path) -> None:
        try:
            action(path)
        except OSError as error:
            self.context.show_error(
                self,
                RepairShopError(
                    _("Cannot write {file}: {reason}").format(file=path, reason=error.strerror)
                ),
            )


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
