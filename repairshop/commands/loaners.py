"""``repairshop loaner add|list|lend|return``: the devices the shop lends."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from repairshop.commands.output import add_json, print_json
from repairshop.domain.money import parse_amount
from repairshop.errors import ValidationError
from repairshop.i18n import _, format_day
from repairshop.services.database import Database
from repairshop.services.jobs.loaners import (
    LoanerRow,
    add_loaner,
    lend,
    list_loaners,
    return_loaner,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    loaner = commands.add_parser("loaner", help=_("devices the shop lends while it repairs"))
    actions = loaner.add_subparsers(dest="loaner_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help=_("a device for the loaner pool"))
    add.add_argument("label", metavar="LABEL")
    add.add_argument("--name", required=True, help=_("what the device is"))
    add.add_argument("--serial", default="")
    add.add_argument("--deposit", help=_("the deposit usually asked"))
    add.set_defaults(handler=add_command)
    listing = actions.add_parser("list", help=_("every loaner, and where it is"))
    listing.add_argument("--overdue", action="store_true", help=_("only loaners past their day"))
    add_json(listing)
    listing.set_defaults(handler=list_command)
    lending = actions.add_parser("lend", help=_("lend a loaner to a job"))
    lending.add_argument("label", metavar="LABEL")
    lending.add_argument("code", metavar="CODE")
    lending.add_argument("--due", help=_("the day it comes back (YYYY-MM-DD)"))
    lending.add_argument("--deposit")
    lending.add_argument("--condition", default="")
    lending.set_defaults(handler=lend_command)
    back = actions.add_parser("return", help=_("a loaner has come back"))
    back.add_argument("label", metavar="LABEL")
    back.add_argument("--condition", default="")
    back.set_defaults(handler=return_command)


def add_command(args: argparse.Namespace, db: Database) -> int:
    deposit = parse_amount(args.deposit, "deposit")
    with db.unit_of_work() as uow:
        add_loaner(uow, args.label, args.name, args.user, serial=args.serial, deposit=deposit)
        uow.commit()
    return 0


def _json(row: LoanerRow) -> dict[str, Any]:
    return {
        "label": row.label,
        "name": row.name,
        "serial": row.serial,
        "deposit": str(row.deposit),
        "job": row.job,
        "customer": row.customer,
        "due": row.due.isoformat() if row.due else None,
        "overdue": row.overdue,
    }


def list_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        rows = list_loaners(uow, overdue_only=args.overdue)
    if args.json:
        print_json({"loaners": [_json(row) for row in rows]})
        return 0
    for row in rows:
        if row.job is None:
            where = _("available")
        else:
            where = _("with {code} ({customer}) until {day}").format(
                code=row.job, customer=row.customer, day=format_day(row.due) if row.due else "-"
            )
            if row.overdue:
                where += "  " + _("OVERDUE")
        print(f"{row.label}  {row.name}  {where}")
    return 0


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("“{field}” must be a date written YYYY-MM-DD, not “{value}”.").format(
                field="--due", value=value
            ),
            field="due",
        ) from None


def lend_command(args: argparse.Namespace, db: Database) -> int:
    due, deposit = _day(args.due), parse_amount(args.deposit, "deposit")
    with db.unit_of_work() as uow:
        lend(
            uow, args.code, args.label, args.user, due=due, deposit=deposit,
            condition=args.condition,
        )  # fmt: skip
        uow.commit()
    return 0


def return_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        return_loaner(uow, args.label, args.user, condition=args.condition)
        uow.commit()
    return 0
