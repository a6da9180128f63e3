"""``repairshop report turnaround`` and ``repairshop report workload``."""

from __future__ import annotations

import argparse
import sys

from repairshop.commands.complaints import register_report as register_complaint_report
from repairshop.commands.customers import register_report as register_feedback_report
from repairshop.commands.output import print_json
from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.reports.export import (
    WORKLOAD_TABLES,
    Table,
    format_cell,
    table_to_csv,
    turnaround_table,
    turnaround_to_json,
    workload_to_json,
)
from repairshop.services.reports.figures import Period, parse_day
from repairshop.services.reports.turnaround import (
    EndPoint,
    Grouping,
    TurnaroundQuery,
    turnaround_report,
)
from repairshop.services.reports.workload import WorkloadQuery, workload_report

FORMATS = ("table", "csv", "json")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help=_("turnaround and workload reports"))
    actions = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)

    turnaround = actions.add_parser(
        "turnaround", help=_("hours from intake to ready (or collection), per group")
    )
    _add_common(turnaround)
    turnaround.add_argument(
        "--by",
        choices=[grouping.value for grouping in Grouping],
        default=Grouping.TECHNICIAN.value,
        help=_("group by (default technician); status gives the time in each status"),
    )
    turnaround.add_argument(
        "--to-collected",
        action="store_true",
        help=_("count to collection instead of to ready"),
    )
    turnaround.add_argument(
        "--business-hours",
        action="store_true",
        help=_("count only the shop's opening hours (default: calendar hours)"),
    )
    turnaround.set_defaults(handler=turnaround_command)

    workload = actions.add_parser(
        "workload", help=_("jobs in and out per day, work in progress, age of open jobs")
    )
    _add_common(workload)
    workload.add_argument(
        "--by",
        choices=list(WORKLOAD_TABLES),
        help=_("only this table: day, technician or ageing (csv default: day)"),
    )
    workload.set_defaults(handler=workload_command)
    register_complaint_report(actions)
    register_feedback_report(actions)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", metavar="DATE", help=_("first day, YYYY-MM-DD"))
    parser.add_argument("--to", dest="end", metavar="DATE", help=_("last day, YYYY-MM-DD"))
    parser.add_argument("--technician", metavar="LOGIN", help=_("only this technician's jobs"))
    parser.add_argument("--device-type", metavar="TYPE", help=_("only this device type"))
    parser.add_argument("--format", choices=FORMATS, default="table", help=_("output format"))


def _period(args: argparse.Namespace) -> Period:
    return Period(parse_day(args.start, "--from"), parse_day(args.end, "--to"))


def turnaround_command(args: argparse.Namespace, db: Database) -> int:
    query = TurnaroundQuery(
        period=_period(args),
        by=Grouping(args.by),
        end_point=EndPoint.COLLECTED if args.to_collected else EndPoint.READY,
        business_hours=args.business_hours,
        technician=args.technician,
        device_type=args.device_type,
    )
    with db.reader() as uow:
        report = turnaround_report(uow, query)
    if args.format == "json":
        print_json(turnaround_to_json(report))
    elif args.format == "csv":
        sys.stdout.write(table_to_csv(turnaround_table(report)))
    else:
        print(format_table(turnaround_table(report)))
    return 0


def workload_command(args: argparse.Namespace, db: Database) -> int:
    query = WorkloadQuery(
        period=_period(args), technician=args.technician, device_type=args.device_type
    )
    with db.reader() as uow:
        report = workload_report(uow, query)
    if args.format == "json":
        data = workload_to_json(report)
        print_json(data)
        return 0
    if args.format == "csv":
        sys.stdout.write(table_to_csv(WORKLOAD_TABLES[args.by or "day"](report)))
        return 0
    names = [args.by] if args.by else list(WORKLOAD_TABLES)
    print("\n\n".join(format_table(WORKLOAD_TABLES[name](report)) for name in names))
    return 0


def format_table(table: Table) -> str:
    """A table for a terminal: title, headers, columns aligned (numbers to the right)."""
    table = table.for_people()
    cells = [[format_cell(table, n, cell) for n, cell in enumerate(row)] for row in table.rows]
    widths = [
        max([len(header)] + [len(row[n]) for row in cells])
        for n, header in enumerate(table.headers)
    ]
    numeric = [
        all(isinstance(row[n], int | float) or row[n] is None for row in table.rows) and table.rows
        for n in range(len(table.headers))
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if numeric[n] else value.ljust(width)
            for n, (value, width) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    lines = [table.title, line(list(table.headers))]
    lines.extend(line(row) for row in cells)
    if not table.rows:
        lines.append(_("(no jobs in this period)"))
    return "\n".join(lines)
