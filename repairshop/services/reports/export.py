"""The turnaround and workload reports as tables, CSV and JSON.

One place says which columns a report has, so the command line, the CSV
export of the Reports view and the PDF report never disagree. Tables carry
raw values (numbers, ISO dates); who prints them formats them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from babel.numbers import format_percent

from repairshop.i18n import (
    _,
    babel_locale,
    format_day,
    format_duration,
    format_number,
    in_sentence,
    ui_language,
)
from repairshop.services.reports.figures import Period
from repairshop.services.reports.turnaround import (
    EndPoint,
    Grouping,
    TurnaroundQuery,
    TurnaroundReport,
    TurnaroundRow,
    turnaround_reports,
)
from repairshop.services.reports.workload import WorkloadQuery, WorkloadReport, workload_report
from repairshop.services.uow import UnitOfWork

Cell = str | int | float | date | None


@dataclass(frozen=True)
class Table:
    title: str
    keys: tuple[str, ...]
    """Stable column names (CSV header, JSON keys)."""
    headers: tuple[str, ...]
    """Translated column titles for people."""
    rows: tuple[tuple[Cell, ...], ...]
    percent: frozenset[str] = frozenset()
    """Keys of columns holding a share (0.75), shown as a percentage."""
    internal: frozenset[str] = frozenset()
    """Keys of columns for other programs (a login, a status key, a bucket's bounds): in the
    CSV and JSON, left out where people read the table (the view, the PDF, the terminal)."""

    def for_people(self) -> Table:
        """The table without its :attr:`internal` columns: names, not logins beside names."""
        shown = [n for n, key in enumerate(self.keys) if key not in self.internal]
        return Table(
            self.title,
            tuple(self.keys[n] for n in shown),
            tuple(self.headers[n] for n in shown),
            tuple(tuple(row[n] for n in shown) for row in self.rows),
            self.percent,
        )

    def is_percent(self, column: int) -> bool:
        return self.keys[column] in self.percent

    def is_hours(self, column: int) -> bool:
        return self.keys[column].endswith("_hours")


def turnaround_table(report: TurnaroundReport, *, with_total: bool = True) -> Table:
    by = report.query.by.value
    stays = by == "status"
    keys: tuple[str, ...] = (by, "label", "count")
    headers: tuple[str, ...] = (
        report.query.by.label,
        report.query.by.label,  # the name people read; the key beside it is for programs
        _("Stays") if stays else _("Jobs"),
    )
    if stays:
        keys += ("jobs",)
        headers += (_("Jobs"),)
    keys += ("median_hours", "p90_hours", "mean_hours")
    headers += (_("Median"), _("90th percentile"), _("Mean"))
    with_share = report.query.end_point is EndPoint.READY and by != "status"
    if with_share:
        keys += ("on_time_share",)
        headers += (_("On time"),)
    rows = [_turnaround_cells(row, stays, with_share) for row in report.rows]
    if with_total:
        rows.append(_turnaround_cells(report.total, stays, with_share))
    return Table(
        turnaround_title(report),
        keys,
        headers,
        tuple(rows),
        frozenset({"on_time_share"}),
        internal=frozenset({by}),
    )


def turnaround_title(report: TurnaroundReport) -> str:
    query = report.query
    if query.end_point is EndPoint.COLLECTED:
        title = _("Turnaround from intake to collection by {by}")
    else:
        title = _("Turnaround from intake to ready by {by}")
    title = title.format(by=in_sentence(query.by.label))
    if query.business_hours:
        title += " " + _("(business hours)")
    return title


def _turnaround_cells(row: TurnaroundRow, stays: bool, with_share: bool) -> tuple[Cell, ...]:
    cells: tuple[Cell, ...] = (row.key, row.label, row.summary.count)
    if stays:
        cells += (row.jobs,)
    cells += (row.summary.median_hours, row.summary.p90_hours, row.summary.mean_hours)
    if with_share:
        cells += (row.on_time_share,)
    return cells


def turnaround_to_json(report: TurnaroundReport) -> dict[str, object]:
    query = report.query
    by = query.by.value

    def row_json(row: TurnaroundRow) -> dict[str, object]:
        data: dict[str, object] = {
            by: row.key,
            "label": row.label,
            "count": row.summary.count,
            "jobs": row.jobs,
            "median_hours": row.summary.median_hours,
            "p90_hours": row.summary.p90_hours,
            "mean_hours": row.summary.mean_hours,
        }
        if query.end_point is EndPoint.READY and by != "status":
            data["on_time_share"] = row.on_time_share
        return data

    return {
        "from": query.period.start.isoformat() if query.period.start else None,
        "to": query.period.end.isoformat() if query.period.end else None,
        "by": by,
        "end_point": query.end_point.value,
        "hours": "business" if query.business_hours else "calendar",
        "rows": [row_json(row) for row in report.rows],
        "total": row_json(report.total),
        "distribution": [{"label": label, "jobs": jobs} for label, jobs in report.distribution],
    }


def day_table(report: WorkloadReport) -> Table:
    return Table(
        _("Jobs in and out per day"),
        ("day", "taken_in", "ready", "collected"),
        (_("Day"), _("Taken in"), _("Ready"), _("Collected")),
        tuple((flow.day, flow.taken_in, flow.ready, flow.collected) for flow in report.days),
    )


def technician_table(report: WorkloadReport) -> Table:
    return Table(
        _("Work in progress per technician"),
        ("technician", "name", "open_jobs", "overdue"),
        (_("Login"), _("Technician"), _("Open jobs"), _("Overdue")),
        tuple((load.login, load.name, load.open_jobs, load.overdue) for load in report.technicians),
        internal=frozenset({"technician"}),
    )


def ageing_table(report: WorkloadReport) -> Table:
    return Table(
        _("Open jobs by age"),
        ("from_days", "to_days", "label", "jobs"),
        (_("From day"), _("To day"), _("Age"), _("Jobs")),
        tuple((bucket.low, bucket.high, bucket.label, bucket.jobs) for bucket in report.ageing),
        internal=frozenset({"from_days", "to_days"}),
    )


WORKLOAD_TABLES = {"day": day_table, "technician": technician_table, "ageing": ageing_table}


def workload_to_json(report: WorkloadReport) -> dict[str, object]:
    return {
        "from": report.days[0].day.isoformat() if report.days else None,
        "to": report.days[-1].day.isoformat() if report.days else None,
        "today": report.today.isoformat(),
        "days": [
            {
                "day": flow.day.isoformat(),
                "taken_in": flow.taken_in,
                "ready": flow.ready,
                "collected": flow.collected,
            }
            for flow in report.days
        ],
        "technicians": [
            {
                "technician": load.login,
                "name": load.name,
                "open_jobs": load.open_jobs,
                "overdue": load.overdue,
                "by_status": load.by_status,
            }
            for load in report.technicians
        ],
        "ageing": [
            {"from_days": bucket.low, "to_days": bucket.high, "jobs": bucket.jobs}
            for bucket in report.ageing
        ],
    }


def table_to_csv(table: Table) -> str:
    """CSV with the stable keys as header; numbers with a dot, dates ISO, empty for none."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.keys)
    for row in table.rows:
        writer.writerow(["" if cell is None else _csv_cell(cell) for cell in row])
    return out.getvalue()


def _csv_cell(cell: Cell) -> str:
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


@dataclass(frozen=True)
class ReportSet:
    """Everything the Reports view and the PDF report show for one choice of filters."""

    period: Period
    technician: str | None
    device_type: str | None
    business_hours: bool
    by_technician: TurnaroundReport
    by_device_type: TurnaroundReport
    by_status: TurnaroundReport
    workload: WorkloadReport


def collect_reports(
    uow: UnitOfWork,
    period: Period,
    *,
    technician: str | None = None,
    device_type: str | None = None,
    business_hours: bool = False,
) -> ReportSet:
    query = TurnaroundQuery(
        period=period,
        business_hours=business_hours,
        technician=technician,
        device_type=device_type,
    )
    wanted = (Grouping.TECHNICIAN, Grouping.DEVICE_TYPE, Grouping.STATUS)
    turnaround = turnaround_reports(uow, query, wanted)
    return ReportSet(
        period=period,
        technician=technician,
        device_type=device_type,
        business_hours=business_hours,
        by_technician=turnaround[Grouping.TECHNICIAN],
        by_device_type=turnaround[Grouping.DEVICE_TYPE],
        by_status=turnaround[Grouping.STATUS],
        workload=workload_report(
            uow, WorkloadQuery(period, technician=technician, device_type=device_type)
        ),
    )


def report_set_tables(reports: ReportSet) -> tuple[Table, ...]:
    return (
        turnaround_table(reports.by_technician),
        turnaround_table(reports.by_device_type),
        turnaround_table(reports.by_status),
        day_table(reports.workload),
        technician_table(reports.workload),
        ageing_table(reports.workload),
    )


def report_set_csv(reports: ReportSet) -> str:
    """Every table of the set, one after another with its title on a line of its own."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for table in report_set_tables(reports):
        writer.writerow([table.title])
        out.write(table_to_csv(table))
        out.write("\n")
    return out.getvalue()


def format_cell(table: Table, column: int, cell: Cell) -> str:
    """A cell as people read it: numbers and dates per locale, none as a dash."""
    if cell is None:
        return "–"
    if isinstance(cell, int | float) and table.is_percent(column):
        return format_share(cell)
    if isinstance(cell, int | float) and table.is_hours(column):
        return format_duration(cell)
    if isinstance(cell, date):
        return format_day(cell, style="short")
    if isinstance(cell, int | float):
        return format_number(cell)
    return cell


def format_share(share: float) -> str:
    """0.75 as "75 %" in the UI language's way."""
    return format_percent(share, locale=babel_locale(ui_language()))
