"""``repairshop job claim|claim-part``: a job's manufacturer warranty claim."""

from __future__ import annotations

import argparse
from typing import Any

from repairshop.commands.output import add_json, print_json
from repairshop.commands.parts import Subparsers, with_parts
from repairshop.i18n import _
from repairshop.services.aftersales.claims import (
    add_claim_part,
    claim_to_json,
    job_claim,
    record_claim,
)
from repairshop.services.database import Database
from repairshop.services.jobs.views import job_to_json
from repairshop.services.jobs.workflow import show_job
from repairshop.services.uow import UnitOfWork


def register_claim_actions(actions: Subparsers) -> None:
    claim = actions.add_parser("claim", help=_("the manufacturer's warranty claim number"))
    claim.add_argument("code")
    claim.add_argument("--number", required=True, help=_("the manufacturer's claim number"))
    add_json(claim)
    claim.set_defaults(handler=claim_command)
    part = actions.add_parser(
        "claim-part", help=_("a part replaced under the claim, with its old and new serials")
    )
    part.add_argument("code")
    part.add_argument("sku")
    part.add_argument("--old-serial", required=True, help=_("the serial of the part taken out"))
    part.add_argument("--new-serial", required=True, help=_("the serial of the part fitted"))
    part.add_argument(
        "--return",
        dest="to_return",
        action="store_true",
        help=_("the manufacturer wants the old part back"),
    )
    add_json(part)
    part.set_defaults(handler=claim_part_command)


def _print(args: argparse.Namespace, db: Database, code: str) -> None:
    """With ``--json``, the job as ``job show --json`` prints it."""
    if args.json:
        with db.reader() as uow:
            print_json(
                with_claim(uow, with_parts(uow, job_to_json(show_job(uow, code, args.user))))
            )


def claim_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        changed = record_claim(uow, args.code, args.number, args.user)
        uow.commit()
    _print(args, db, changed.code)
    return 0


def claim_part_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        changed = add_claim_part(
            uow,
            args.code,
            args.sku,
            args.user,
            old_serial=args.old_serial,
            new_serial=args.new_serial,
            to_return=args.to_return,
        )
        uow.commit()
    _print(args, db, changed.code)
    return 0


def with_claim(uow: UnitOfWork, job: dict[str, Any]) -> dict[str, Any]:
    """``job show --json`` plus ``manufacturer_claim`` (null when the job has none)."""
    return {**job, "manufacturer_claim": claim_to_json(job_claim(uow, str(job["code"])))}


def format_claim(uow: UnitOfWork, code: str) -> str:
    """The job's manufacturer claim under ``job show``; empty when it has none."""
    claim = job_claim(uow, code)
    if claim is None:
        return ""
    lines = ["", _("Manufacturer claim: {number}").format(number=claim.number)]
    for part in claim.parts:
        line = f"  {part.sku:<14} {part.name[:30]:<30} {part.old_serial} → {part.new_serial}"
        if part.to_return:
            line += "  " + _("(goes back to the manufacturer)")
        lines.append(line)
    return "\n".join(lines)
