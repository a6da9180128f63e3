"""``repairshop intake`` and ``repairshop job show|status|assign|waiting|take|note|find|…``."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from repairshop.commands.claims import format_claim, register_claim_actions, with_claim
from repairshop.commands.complaints import format_complaint
from repairshop.commands.money import register_job_actions as register_money_actions
from repairshop.commands.outbox import format_job_messages, with_messages
from repairshop.commands.output import add_json, print_json, read_json_document
from repairshop.commands.parts import format_job_parts, register_job_actions, with_parts
from repairshop.commands.warranty import format_warranty
from repairshop.domain.approval import approval_method_label
from repairshop.domain.contacts import format_phone
from repairshop.domain.payments import DocumentKind
from repairshop.domain.statuses import JobStatus, Outcome, parse_status
from repairshop.i18n import LANGUAGES, _, format_day, format_money, ngettext
from repairshop.services.customers.messages import MessageKind, customer_message
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import QUEUE_SORT, job_ids, job_rows, waiting_filter
from repairshop.services.jobs.views import JobView, job_to_json
from repairshop.services.jobs.workflow import (
    JobChanged,
    JobSummary,
    add_note,
    assign,
    change_status,
    find_jobs,
    show_job,
    take_job,
)
from repairshop.services.money.collection import CollectRequest, bill, collect
from repairshop.services.money.lines import job_lines
from repairshop.services.shop.messaging import get_messaging
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.settings import get_settings
from repairshop.services.uow import UnitOfWork


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    intake_parser = commands.add_parser("intake", help=_("take in a device from a JSON document"))
    intake_parser.add_argument(
        "file", nargs="?", default="-", help=_("intake document, or - for stdin")
    )
    add_json(intake_parser)
    intake_parser.set_defaults(handler=intake_command)

    job = commands.add_parser("job", help=_("show, move, assign and find jobs"))
    actions = job.add_subparsers(dest="job_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=_("a job with its history"))
    show.add_argument("code")
    add_json(show)
    show.set_defaults(handler=show_command)

    status = actions.add_parser("status", help=_("move a job to another status"))
    status.add_argument("code")
    status.add_argument("status")
    status.add_argument("--note", default="", help=_("why"))
    status.add_argument(
        "--outcome",
        choices=[outcome.value for outcome in Outcome],
        help=_("for ready: repaired or replaced"),
    )
    add_json(status)
    status.set_defaults(handler=status_command)

    assign_parser = actions.add_parser("assign", help=_("assign a technician"))
    assign_parser.add_argument("code")
    assign_parser.add_argument("login", help=_("technician's login, or - to unassign"))
    add_json(assign_parser)
    assign_parser.set_defaults(handler=assign_command)

    waiting = actions.add_parser(
        "waiting", help=_("jobs nobody has taken yet whose next step is a technician's")
    )
    add_json(waiting)
    waiting.set_defaults(handler=waiting_command)

    take = actions.add_parser(
        "take", help=_("take a job nobody has taken yet: it is assigned to you (--user)")
    )
    take.add_argument("code")
    add_json(take)
    take.set_defaults(handler=take_command)

    note = actions.add_parser("note", help=_("add a note to a job's history"))
    note.add_argument("code")
    note.add_argument("text")
    add_json(note)
    note.set_defaults(handler=note_command)

    find = actions.add_parser("find", help=_("search as the search box does"))
    find.add_argument("text")
    find.add_argument("--limit", type=int, default=20)
    add_json(find)
    find.set_defaults(handler=find_command)

    message = actions.add_parser(
        "message", help=_("the e-mail and text for the customer, in the customer's language")
    )
    message.add_argument("code")
    message.add_argument(
        "--kind",
        choices=[kind.value for kind in MessageKind],
        help=_("what to tell (default: what the job's status calls for)"),
    )
    message.add_argument(
        "--language", choices=LANGUAGES, help=_("another language than the customer's")
    )
    add_json(message)
    message.set_defaults(handler=message_command)

    register_job_actions(actions)
    register_money_actions(actions)
    register_claim_actions(actions)


def intake_command(args: argparse.Namespace, db: Database) -> int:
    request = intake_request_from_json(read_json_document(args.file))
    with db.unit_of_work() as uow:
        result = intake(uow, request, args.user)
        uow.commit()
    if args.json:
        _print_job_json(db, result.code, args.user)
    else:
        print(result.code)
    return 0


def _print_job_json(db: Database, code: str, viewer: str) -> None:
    with db.reader() as uow:
        print_json(
            with_messages(
                uow,
                with_claim(
                    uow,
                    with_parts(uow, job_to_json(show_job(uow, code, viewer), shop_today(uow))),
                ),
            )
        )


def show_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = show_job(uow, args.code, args.user)
        if args.json:
            print_json(
                with_messages(
                    uow, with_claim(uow, with_parts(uow, job_to_json(view, shop_today(uow))))
                )
            )
        else:
            print(
                format_job(view, shop_today(uow))
                + format_job_parts(uow, view.code)
                + format_claim(uow, view.code)
                + format_job_messages(uow, view.code)
            )
    return 0


def _change_job(
    args: argparse.Namespace, db: Database, action: Callable[[UnitOfWork], JobChanged]
) -> int:
    """Run one job action in its own transaction; with --json print the job afterwards."""
    with db.unit_of_work() as uow:
        changed = action(uow)
        uow.commit()
    if args.json:
        _print_job_json(db, changed.code, args.user)
    return 0


def status_command(args: argparse.Namespace, db: Database) -> int:
    outcome = Outcome(args.outcome) if args.outcome else None
    target = parse_status(args.status)
    if target is JobStatus.COLLECTED:
        return _collect_at_no_charge(args, db)
    return _change_job(
        args,
        db,
        lambda uow: change_status(
            uow, args.code, target, args.user, note=args.note, outcome=outcome
        ),
    )


def _collect_at_no_charge(args: argparse.Namespace, db: Database) -> int:
    """A job the customer pays nothing for is collected with its handover document; any
    other is refused, pointing to ``repairshop job collect`` (the bill and the payment)."""
    with db.unit_of_work() as uow:
        due = bill(uow, args.code)
        if not (due.collectable and due.kind is DocumentKind.HANDOVER and due.due == 0):
            change_status(uow, args.code, JobStatus.COLLECTED, args.user, note=args.note)
        done = collect(uow, args.code, CollectRequest(), args.user)
        uow.commit()
    if args.json:
        _print_job_json(db, done.code, args.user)
    else:
        print(done.number)
    return 0


def assign_command(args: argparse.Namespace, db: Database) -> int:
    technician = None if args.login == "-" else args.login
    return _change_job(args, db, lambda uow: assign(uow, args.code, technician, args.user))


def waiting_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        found = job_rows(uow, job_ids(uow, waiting_filter(), QUEUE_SORT))
    if args.json:
        print_json([summary_to_json(job) for job in found])
    else:
        if found:
            print(format_summaries(found))
        print(ngettext("{count} job", "{count} jobs", len(found)).format(count=len(found)))
    return 0


def take_command(args: argparse.Namespace, db: Database) -> int:
    return _change_job(args, db, lambda uow: take_job(uow, args.code, args.user))


def note_command(args: argparse.Namespace, db: Database) -> int:
    return _change_job(args, db, lambda uow: add_note(uow, args.code, args.text, args.user))


def message_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = show_job(uow, args.code, args.user)
        message = customer_message(
            view,
            get_settings(uow),
            MessageKind(args.kind) if args.kind else None,
            args.language,
            quote=job_lines(uow, view.code),
            templates=get_messaging(uow).templates,
        )
    if args.json:
        print_json(
            {
                "kind": message.kind.value,
                "language": message.language,
                "to": message.to_name,
                "email": message.email,
                "phone": message.phone,
                "may_contact": message.may_contact,
                "subject": message.subject,
                "body": message.body,
                "text": message.text,
            }
        )
        return 0
    if not message.may_contact:
        print(_("The customer has not agreed to be contacted by e-mail or text."))
    print(_("To: {name} <{email}>").format(name=message.to_name, email=message.email or "—"))
    print(_("Subject: {subject}").format(subject=message.subject))
    print()
    print(message.body)
    print(_("Text message to {phone}:").format(phone=format_phone(message.phone) or "—"))
    print(message.text)
    return 0


def find_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        found = find_jobs(uow, args.text, args.limit)
    if args.json:
        print_json([summary_to_json(job) for job in found])
    else:
        if found:
            print(format_summaries(found))
        print(ngettext("{count} job", "{count} jobs", len(found)).format(count=len(found)))
    return 0


def summary_to_json(job: JobSummary) -> dict[str, object]:
    return {
        "code": job.code,
        "status": job.status.value,
        "job_type": job.job_type.value,
        "customer": job.customer_name,
        "device": job.device,
        "device_type": job.device_type,
        "assignee": job.assignee_name,
        "promised": job.promised.isoformat() if job.promised else None,
    }


def format_summaries(found: Sequence[JobSummary]) -> str:
    return "\n".join(
        f"{job.code:<10} {job.status.label:<18} {job.customer_name[:28]:<28} "
        f"{job.device[:32]:<32} {job.promised or ''}"
        for job in found
    )


def _approval_text(view: JobView) -> str:
    approval = view.approval
    if approval is None:
        return "-"
    return _("{amount} ({way}, {name}, {moment})").format(
        amount=format_money(approval.amount, view.currency),
        way=approval_method_label(approval.method),
        name=approval.user_name,
        moment=approval.at.astimezone().strftime("%Y-%m-%d %H:%M"),
    )


def _money(amount: Decimal | None, currency: str) -> str:
    return "-" if amount is None else format_money(amount, currency)


def format_job(view: JobView, today: date | None = None) -> str:
    lines = [
        f"{view.code}  {view.status.label}  ({view.job_type.label})",
        _("Customer: {name}  {phone}  {email}  [{language}]").format(
            name=view.customer.name,
            phone=view.customer.phone or "",
            email=view.customer.email or "",
            language=view.customer.language,
        ),
        _("Device: {title} ({type})  serial {serial}  IMEI {imei}").format(
            title=view.device.title,
            type=view.device.type,
            serial=view.device.serial or "-",
            imei=view.device.imei or "-",
        ),
        _("Fault: {fault}").format(fault=view.fault),
        _("Accessories: {accessories}").format(accessories=view.accessories or "-"),
        _("Condition: {condition}").format(condition=view.condition or "-"),
        *(
            [_("Passcode: {passcode}").format(passcode=view.passcode or "-")]
            if view.passcode is not None
            else []
        ),
        *([_("Pattern lock: {dots}").format(dots=view.pattern_lock)] if view.pattern_lock else []),
        _("Estimate: {estimate}  Deposit: {deposit}").format(
            estimate=_money(view.estimate, view.currency),
            deposit=_money(view.deposit, view.currency),
        ),
        _("Taken in: {moment} by {name}").format(
            moment=f"{view.created_at.astimezone(view.zone):%Y-%m-%d %H:%M}",
            name=view.created_by_name,
        ),
        _("Assigned to: {name}").format(name=view.assignee_name or "-"),
        _("Promised: {date}").format(date=format_day(view.promised) if view.promised else "-"),
        _("Price: {price}  approved: {approved}").format(
            price=format_money(view.price, view.currency) if view.price is not None else "-",
            approved=_approval_text(view),
        ),
        _("Next: {moves}").format(moves=", ".join(s.value for s in view.allowed_moves) or "-"),
    ]
    if view.warranty is not None:
        lines += format_warranty(view.warranty)
    if view.complaint is not None:
        lines += format_complaint(view.complaint, today or date.today())
    lines.append(_("History:"))
    for event in view.history:
        change = f"{event.from_value or ''} → {event.to_value}" if event.to_value else ""
        moment = event.at.astimezone(view.zone).strftime("%Y-%m-%d %H:%M")
        lines.append(f"  {moment}  {event.user:<12} {event.kind:<9} {change} {event.note}".rstrip())
    return "\n".join(lines)
