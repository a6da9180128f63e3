"""``repairshop loaner add|list|lend|return`` (the devices the shop lends) and
``repairshop checklist record|pdf`` (the condition before and after the repair)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from repairshop.commands.output import add_json, print_json
from repairshop.domain.evidence import PointAnswer, Stage, parse_state
from repairshop.domain.money import parse_amount
from repairshop.errors import ValidationError
from repairshop.i18n import _, format_day
from repairshop.services.database import Database
from repairshop.services.jobs.evidence import record_checklist
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
    agreement = actions.add_parser("agreement", help=_("the loan agreement of a job, as PDF"))
    agreement.add_argument("code", metavar="CODE")
    agreement.add_argument("--out", required=True, metavar="FILE.pdf")
    agreement.add_argument("--lang", default=None)
    agreement.set_defaults(handler=agreement_command)
    checklist = commands.add_parser(
        "checklist", help=_("the device's condition, point by point, before and after")
    )
    steps = checklist.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    record = steps.add_parser("record", help=_("record the condition checked"))
    record.add_argument("code", metavar="CODE")
    record.add_argument("answers", nargs="+", metavar="POINT=STATE")
    record.add_argument(
        "--final", action="store_true", help=_("the check after the repair (every point)")
    )
    record.set_defaults(handler=checklist_command)
    pdf = steps.add_parser("pdf", help=_("before and after side by side, as PDF"))
    pdf.add_argument("code", metavar="CODE")
    pdf.add_argument("--out", required=True, metavar="FILE.pdf")
    pdf.add_argument("--lang", default=None)
    pdf.set_defaults(handler=comparison_command)


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


def checklist_command(args: argparse.Namespace, db: Database) -> int:
    answers = []
    for item in args.answers:
        point, equals, state = item.partition("=")
        if not equals:
            raise ValidationError(
                _("Write each point as POINT=STATE, not “{value}”.").format(value=item),
                field="checklist",
            )
        answers.append(PointAnswer(point.strip(), parse_state(state)))
    stage = Stage.FINAL if args.final else Stage.INTAKE
    with db.unit_of_work() as uow:
        record_checklist(uow, args.code, stage, answers, args.user)
        uow.commit()
    return 0


def comparison_command(args: argparse.Namespace, db: Database) -> int:
    from repairshop.printing.documents import job_comparison, load_job_for_printing

    pdf = job_comparison(load_job_for_printing(db, args.code, args.user), args.lang)
    with open(args.out, "wb") as out:
        out.write(pdf)
    return 0


def agreement_command(args: argparse.Namespace, db: Database) -> int:
    from repairshop.printing.documents import job_loan_agreement, load_job_for_printing

    printing = load_job_for_printing(db, args.code, args.user)
    if printing.evidence is None or printing.evidence.loan is None:
        raise ValidationError(
            _("Job {code} has no loaner.").format(code=printing.job.code), field="loaner"
        )
    with open(args.out, "wb") as out:
        out.write(job_loan_agreement(printing, args.lang))
    return 0
