"""``repairshop outbox list|send``: the messages to customers, and sending what is due."""

from __future__ import annotations

import argparse
from typing import Any

from repairshop.commands.output import add_json, print_json
from repairshop.i18n import _, format_moment
from repairshop.services.customers.outbox import (
    LoggedMessage,
    job_messages,
    logged_to_json,
    message_log,
)
from repairshop.services.customers.sending import send_due
from repairshop.services.database import Database
from repairshop.services.shop.opening_hours import get_opening_hours
from repairshop.services.uow import UnitOfWork


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    outbox = commands.add_parser("outbox", help=_("messages to customers: the log, and sending"))
    actions = outbox.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=_("the messages, newest first"))
    listing.add_argument("--limit", type=int, default=100)
    add_json(listing)
    listing.set_defaults(handler=list_command)
    send = actions.add_parser("send", help=_("send the messages that are due, once, and exit"))
    add_json(send)
    send.set_defaults(handler=send_command)


def with_messages(uow: UnitOfWork, job: dict[str, Any]) -> dict[str, Any]:
    """``job show --json`` plus the job's ``messages``, oldest first."""
    return {
        **job,
        "messages": [logged_to_json(message) for message in job_messages(uow, str(job["code"]))],
    }


def _state_label(state: str) -> str:
    return {"queued": _("queued"), "sent": _("sent"), "failed": _("failed")}.get(state, state)


def format_message_lines(uow: UnitOfWork, messages: list[LoggedMessage]) -> list[str]:
    zone = get_opening_hours(uow).zone()
    lines = []
    for message in messages:
        line = "  ".join(
            (
                format_moment(message.at, tz=zone),
                message.job_code or "",
                message.kind_label,
                message.channel,
                message.to,
                _state_label(message.state),
            )
        )
        lines.append(line + (f"  ({message.error})" if message.error else ""))
    return lines


def format_job_messages(uow: UnitOfWork, code: str) -> str:
    """The job's messages under ``job show``; empty when it has none."""
    messages = job_messages(uow, code)
    if not messages:
        return ""
    return "\n".join(["", _("Messages:"), *format_message_lines(uow, messages)])


def list_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        messages = message_log(uow, limit=args.limit)
        if args.json:
            print_json([logged_to_json(message) for message in messages])
        else:
            for line in format_message_lines(uow, messages):
                print(line)
    return 0


def send_command(args: argparse.Namespace, db: Database) -> int:
    report = send_due(db)
    if args.json:
        print_json({"sent": report.sent, "retrying": report.retrying, "failed": report.failed})
    else:
        print(
            _("Sent: {sent}; to retry later: {retrying}; failed: {failed}.").format(
                sent=report.sent, retrying=report.retrying, failed=report.failed
            )
        )
    return 0
