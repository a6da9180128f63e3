"""``repairshop audit``: who changed what and when (managers and administrators)."""

from __future__ import annotations

import argparse

from repairshop.commands.output import add_json, print_json
from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.reports.figures import parse_day
from repairshop.services.shop.audit_log import (
    AuditQuery,
    audit_entries,
    audit_line_to_json,
    changes_text,
)
from repairshop.services.shop.opening_hours import get_opening_hours


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser("audit", help=_("the audit log: every change and sign-in"))
    audit.add_argument("--user", dest="audit_user", metavar="LOGIN", help=_("only this person"))
    audit.add_argument("--job", metavar="CODE", help=_("only this job"))
    audit.add_argument("--from", dest="day_from", metavar="DATE", help=_("from this day"))
    audit.add_argument("--to", dest="day_to", metavar="DATE", help=_("up to this day"))
    audit.add_argument(
        "--limit", type=int, default=1000, metavar="N", help=_("at most N entries, newest first")
    )
    add_json(audit)
    audit.set_defaults(handler=audit_command)


def audit_command(args: argparse.Namespace, db: Database) -> int:
    query = AuditQuery(
        user=args.audit_user,
        job=args.job,
        day_from=parse_day(args.day_from, "from"),
        day_to=parse_day(args.day_to, "to"),
        limit=args.limit,
    )
    with db.reader() as uow:
        lines = audit_entries(uow, query)
        zone = get_opening_hours(uow).zone()
    if args.json:
        print_json([audit_line_to_json(line) for line in lines])
        return 0
    for line in lines:
        moment = line.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        record = f"{line.kind} {line.label}".strip()
        print(
            f"{moment}  {line.user:<12} {line.action:<16} {record}  {changes_text(line)}".rstrip()
        )
    return 0
