"""``repairshop rma new|send|receive|close|show|list``: parts going back to a supplier."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from repairshop.commands.output import add_json, print_json
from repairshop.domain.rma import RmaState, parse_state
from repairshop.i18n import _
from repairshop.services.aftersales.rma import (
    RmaView,
    close_rma,
    list_rmas,
    open_rma,
    receive_rma,
    rma_details,
    rma_to_json,
    send_rma,
    show_rma,
)
from repairshop.services.database import Database
from repairshop.services.uow import UnitOfWork


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rma = commands.add_parser("rma", help=_("parts going back to a supplier (RMA)"))
    actions = rma.add_subparsers(dest="rma_command", metavar="ACTION", required=True)

    new = actions.add_parser("new", help=_("request an RMA and print its number"))
    new.add_argument("supplier")
    new.add_argument("sku")
    new.add_argument("--serial", help=_("the serial of the unit going back"))
    new.add_argument("--job", metavar="CODE", help=_("the job the part came out of"))
    new.add_argument("--order", metavar="NUMBER", help=_("the purchase order the part came on"))
    new.add_argument("--reason", required=True, help=_("why it goes back"))
    add_json(new)
    new.set_defaults(handler=new_command)

    send = actions.add_parser("send", help=_("the part is on its way to the supplier"))
    send.add_argument("number")
    send.add_argument("--note", default="", help=_("e.g. the parcel number"))
    add_json(send)
    send.set_defaults(handler=send_command)

    receive = actions.add_parser(
        "receive",
        help=_("something came back: a replacement, or the part the supplier rejected"),
    )
    receive.add_argument("number")
    receive.add_argument("outcome", choices=["replaced", "rejected"])
    receive.add_argument("--serial", help=_("the replacement unit's serial"))
    receive.add_argument("--note", default="")
    add_json(receive)
    receive.set_defaults(handler=receive_command)

    close = actions.add_parser(
        "close", help=_("settled with nothing coming back: credited, or rejected")
    )
    close.add_argument("number")
    close.add_argument("outcome", choices=["credited", "rejected"])
    close.add_argument("--note", default="", help=_("e.g. the credit note's number"))
    add_json(close)
    close.set_defaults(handler=close_command)

    show = actions.add_parser("show", help=_("an RMA with its history"))
    show.add_argument("number")
    add_json(show)
    show.set_defaults(handler=show_command)

    listing = actions.add_parser("list", help=_("RMAs, newest first"))
    listing.add_argument("--open", action="store_true", help=_("only those requested or sent"))
    listing.add_argument("--state", help=_("only those in this state"))
    add_json(listing)
    listing.set_defaults(handler=list_command)


def _write(args: argparse.Namespace, db: Database, action: Callable[[UnitOfWork], RmaView]) -> int:
    with db.unit_of_work() as uow:
        view = action(uow)
        uow.commit()
    if args.json:
        print_json(rma_to_json(view))
    else:
        print(view.number)
    return 0


def new_command(args: argparse.Namespace, db: Database) -> int:
    return _write(
        args,
        db,
        lambda uow: open_rma(
            uow,
            args.supplier,
            args.sku,
            args.user,
            reason=args.reason,
            serial=args.serial,
            job_code=args.job,
            order_number=args.order,
        ),
    )


def send_command(args: argparse.Namespace, db: Database) -> int:
    return _write(args, db, lambda uow: send_rma(uow, args.number, args.user, note=args.note))


def receive_command(args: argparse.Namespace, db: Database) -> int:
    return _write(
        args,
        db,
        lambda uow: receive_rma(
            uow, args.number, args.outcome, args.user, serial=args.serial, note=args.note
        ),
    )


def close_command(args: argparse.Namespace, db: Database) -> int:
    return _write(
        args, db, lambda uow: close_rma(uow, args.number, args.outcome, args.user, note=args.note)
    )


def format_rma(view: RmaView) -> str:
    lines = [f"{view.number}  {view.state.label}", *rma_details(view)]
    moves = ", ".join(f"{action.value} {target.value}" for action, target in view.moves)
    lines.append(_("Next: {moves}").format(moves=moves or "-"))
    lines.append(_("History:"))
    for event in view.history:
        moment = event.at.astimezone().strftime("%Y-%m-%d %H:%M")
        lines.append(
            f"  {moment}  {event.user:<12} {event.to_state.label:<12} {event.note}".rstrip()
        )
    return "\n".join(lines)


def show_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = show_rma(uow, args.number)
    if args.json:
        print_json(rma_to_json(view))
    else:
        print(format_rma(view))
    return 0


def list_command(args: argparse.Namespace, db: Database) -> int:
    state: RmaState | None = parse_state(args.state) if args.state else None
    with db.reader() as uow:
        found = list_rmas(uow, open_only=args.open, state=state)
    if args.json:
        print_json({"rmas": [rma_to_json(view) for view in found]})
        return 0
    for view in found:
        print(
            f"{view.number:<9} {view.state.label:<12} {view.supplier[:24]:<24} "
            f"{view.sku:<14} {view.serial or '-':<16} {view.job or '-'}"
        )
    return 0
