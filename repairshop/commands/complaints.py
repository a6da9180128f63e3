"""``repairshop complaint open|decide|protocol|list`` and ``repairshop report complaints``."""

from __future__ import annotations

import argparse
from datetime import date

from repairshop.commands.output import add_json, print_json
from repairshop.commands.parts import with_parts
from repairshop.commands.printing import _usage, _write
from repairshop.domain.complaints import parse_outcome, parse_remedy
from repairshop.i18n import LANGUAGES, _, format_day, ngettext
from repairshop.services.aftersales.complaints import (
    ComplaintRow,
    decide_complaint,
    list_complaints,
    open_complaint,
)
from repairshop.services.database import Database
from repairshop.services.jobs.views import ComplaintView, job_to_json
from repairshop.services.jobs.workflow import show_job
from repairshop.services.reports.complaints import complaint_report, complaint_report_to_json
from repairshop.services.reports.figures import Period, parse_day
from repairshop.services.shop.opening_hours import shop_today

REMEDY_METAVAR = "repair|replace|refund|discount"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    complaint = commands.add_parser(
        "complaint", help=_("complaints about earlier jobs and their legal deadlines")
    )
    actions = complaint.add_subparsers(dest="complaint_command", metavar="ACTION", required=True)

    opened = actions.add_parser(
        "open", help=_("open a complaint about a job; prints the complaint's ticket code")
    )
    opened.add_argument("original", metavar="ORIGINAL_CODE", help=_("the job complained about"))
    opened.add_argument("--fault", help=_("what is claimed (default: the original fault)"))
    opened.add_argument(
        "--remedy",
        type=_usage(parse_remedy),
        metavar=REMEDY_METAVAR,
        help=_("what the customer asks for"),
    )
    add_json(opened)
    opened.set_defaults(handler=open_command)

    decide = actions.add_parser("decide", help=_("accept or reject a complaint"))
    decide.add_argument("code")
    decide.add_argument(
        "outcome", type=_usage(parse_outcome), metavar="accepted|rejected", help=_("the decision")
    )
    decide.add_argument(
        "--remedy",
        type=_usage(parse_remedy),
        metavar=REMEDY_METAVAR,
        help=_("how an accepted complaint is settled (default: the remedy asked for)"),
    )
    decide.add_argument("--reason", required=True, help=_("why; the customer reads it"))
    add_json(decide)
    decide.set_defaults(handler=decide_command)

    protocol = actions.add_parser("protocol", help=_("the complaint protocol as PDF"))
    protocol.add_argument("code")
    protocol.add_argument("--out", required=True, metavar="FILE.pdf", help=_("PDF file, or -"))
    protocol.add_argument("--lang", choices=LANGUAGES, help=_("language (default: the customer's)"))
    protocol.set_defaults(handler=protocol_command)

    listed = actions.add_parser("list", help=_("complaints by deadline, the most urgent first"))
    which = listed.add_mutually_exclusive_group()
    which.add_argument(
        "--overdue", action="store_true", help=_("only open complaints past their deadline")
    )
    which.add_argument(
        "--due-within",
        type=int,
        metavar="DAYS",
        help=_("only open complaints due within DAYS days (overdue ones too)"),
    )
    which.add_argument("--open", action="store_true", help=_("only undecided complaints"))
    add_json(listed)
    listed.set_defaults(handler=list_command)


def register_report(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``repairshop report complaints``: added to the reports' sub-commands."""
    report = actions.add_parser(
        "complaints", help=_("complaints received, how decided, the share decided in time")
    )
    report.add_argument("--from", dest="start", metavar="DATE", help=_("first day, YYYY-MM-DD"))
    report.add_argument("--to", dest="end", metavar="DATE", help=_("last day, YYYY-MM-DD"))
    add_json(report)
    report.set_defaults(handler=report_command)


def _print_job(db: Database, code: str, viewer: str) -> None:
    with db.reader() as uow:
        print_json(with_parts(uow, job_to_json(show_job(uow, code, viewer), shop_today(uow))))


def open_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        result = open_complaint(uow, args.original, args.user, fault=args.fault, remedy=args.remedy)
        uow.commit()
    if args.json:
        _print_job(db, result.code, args.user)
    else:
        print(result.code)
    return 0


def decide_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        changed = decide_complaint(
            uow, args.code, args.outcome, args.user, reason=args.reason, remedy=args.remedy
        )
        uow.commit()
    if args.json:
        _print_job(db, changed.code, args.user)
    return 0


def protocol_command(args: argparse.Namespace, db: Database) -> int:
    from repairshop.printing.complaint_protocol import complaint_protocol_pdf
    from repairshop.printing.documents import load_job_for_printing

    printing = load_job_for_printing(db, args.code, args.user)
    _write(
        complaint_protocol_pdf(printing.job, printing.shop, language=args.lang, logo=printing.logo),
        args.out,
    )
    return 0


def row_to_json(row: ComplaintRow) -> dict[str, object]:
    return {
        "code": row.code,
        "of": row.of,
        "status": row.status.value,
        "customer": row.customer_name,
        "device": row.device,
        "received": row.received.isoformat(),
        "remedy": row.remedy.value if row.remedy else None,
        "decide_by": row.decide_by.isoformat(),
        "reply_by": row.reply_by.isoformat() if row.reply_by else None,
        "days_left": row.days_left,
        "overdue": row.is_overdue,
        "decided": row.decided_on.isoformat() if row.decided_on else None,
        "outcome": row.outcome.value if row.outcome else None,
    }


def _state(row: ComplaintRow) -> str:
    if row.outcome is not None and row.decided_on is not None:
        return _("{outcome} on {date}").format(
            outcome=row.outcome.label, date=format_day(row.decided_on)
        )
    left = row.days_left or 0
    if left < 0:
        return ngettext("{count} day overdue", "{count} days overdue", -left).format(count=-left)
    if left == 0:
        return _("due today")
    return ngettext("{count} day left", "{count} days left", left).format(count=left)


def list_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        rows = list_complaints(
            uow, overdue=args.overdue, due_within=args.due_within, open_only=args.open
        )
    if args.json:
        print_json([row_to_json(row) for row in rows])
        return 0
    for row in rows:
        print(
            f"{row.code:<10} {row.of:<10} {format_day(row.first_due):<14} {_state(row):<22} "
            f"{row.customer_name[:26]:<26} {row.device[:30]}".rstrip()
        )
    print(ngettext("{count} complaint", "{count} complaints", len(rows)).format(count=len(rows)))
    return 0


def report_command(args: argparse.Namespace, db: Database) -> int:
    period = Period(parse_day(args.start, "--from"), parse_day(args.end, "--to"))
    with db.reader() as uow:
        report = complaint_report(uow, period)
    if args.json:
        print_json(complaint_report_to_json(report))
        return 0
    share = report.share_in_time
    lines = [
        _("Complaints received: {count}").format(count=report.received),
        _("Decided: {count} (accepted {accepted}, rejected {rejected})").format(
            count=report.decided, accepted=report.accepted, rejected=report.rejected
        ),
        _("Open: {count}, of them past the deadline: {overdue}").format(
            count=report.open, overdue=report.overdue
        ),
        _("Decided in time: {share}").format(
            share="—"
            if share is None
            else f"{share:.0%} ({report.in_time}/{report.in_time + report.late})"
        ),
    ]
    if report.mean_days is not None:
        lines.append(
            _("Days from receipt to decision, on average: {days}").format(
                days=f"{report.mean_days:.1f}"
            )
        )
    print("\n".join(lines))
    return 0


def format_complaint(complaint: ComplaintView, today: date) -> list[str]:
    """The complaint's lines in ``job show``: what it is about, its deadline or decision."""
    lines = [
        _("Complaint about {code}, received {date}; remedy asked for: {remedy}").format(
            code=complaint.of,
            date=format_day(complaint.received),
            remedy=complaint.remedy.label if complaint.remedy else "—",
        )
    ]
    decided = complaint.decided
    if decided is None:
        lines.append("  " + complaint.countdown(today))
    else:
        outcome = decided.outcome.label
        if decided.remedy is not None:
            outcome = f"{outcome} ({decided.remedy.label})"
        lines.append(
            "  "
            + _("{outcome} on {date}").format(outcome=outcome, date=format_day(decided.on))
            + f": {decided.reason}"
        )
    return lines
