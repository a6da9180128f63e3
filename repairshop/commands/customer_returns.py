"""``repairshop return open|restock|to-supplier|scrap|refund|exchange|refuse|show|list``:
goods the shop sold that a customer brings back."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from repairshop.commands.output import add_json, print_json
from repairshop.domain.money import parse_amount
from repairshop.i18n import _
from repairshop.services.aftersales.customer_returns import (
    ReturnView,
    exchange_return,
    list_returns,
    open_return,
    refund_return,
    refuse_return,
    restock_return,
    return_details,
    return_to_json,
    return_to_supplier,
    scrap_return,
    show_return,
)
from repairshop.services.database import Database
from repairshop.services.uow import UnitOfWork


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    returns = commands.add_parser(
        "return", help=_("goods the shop sold that a customer brings back")
    )
    actions = returns.add_subparsers(dest="return_command", metavar="ACTION", required=True)

    new = actions.add_parser("open", help=_("take back a part or device and print its number"))
    new.add_argument("--customer", required=True, help=_("the customer's phone number or id"))
    new.add_argument("--sku", required=True, help=_("the SKU of what was sold"))
    new.add_argument("--serial", help=_("the serial of the unit returned"))
    new.add_argument("--invoice", metavar="NUMBER", help=_("the invoice it was sold on"))
    new.add_argument("--reason", required=True, help=_("why the customer returns it"))
    add_json(new)
    new.set_defaults(handler=open_command)

    for name, help_text, action in (
        ("restock", _("put it back on the shelf"), restock_return),
        ("scrap", _("write it off"), scrap_return),
    ):
        move = actions.add_parser(name, help=help_text)
        move.add_argument("number")
        move.add_argument("--note", default="")
        add_json(move)
        move.set_defaults(handler=_move_command(action))

    supplier = actions.add_parser(
        "to-supplier", help=_("send it back to the supplier: opens an RMA for it")
    )
    supplier.add_argument("number")
    supplier.add_argument("--supplier", help=_("the supplier (else the part's own)"))
    supplier.add_argument("--note", default="")
    add_json(supplier)
    supplier.set_defaults(handler=to_supplier_command)

    refund = actions.add_parser(
        "refund", help=_("pay the customer back: a credit note on the invoice, or a refund")
    )
    refund.add_argument("number")
    refund.add_argument("--amount", help=_("the amount paid back (else the part's price)"))
    refund.add_argument("--method", help=_("cash, card or transfer (else as the invoice was paid)"))
    add_json(refund)
    refund.set_defaults(handler=refund_command)

    exchange = actions.add_parser("exchange", help=_("the customer takes another unit instead"))
    exchange.add_argument("number")
    exchange.add_argument("--serial", help=_("the serial of the unit handed over"))
    exchange.add_argument("--note", default="")
    add_json(exchange)
    exchange.set_defaults(handler=exchange_command)

    refuse = actions.add_parser("refuse", help=_("refuse the refund, saying why"))
    refuse.add_argument("number")
    refuse.add_argument("--reason", required=True)
    add_json(refuse)
    refuse.set_defaults(handler=refuse_command)

    show = actions.add_parser("show", help=_("a return with its history"))
    show.add_argument("number")
    add_json(show)
    show.set_defaults(handler=show_command)

    listing = actions.add_parser("list", help=_("returns from customers, newest first"))
    listing.add_argument("--open", action="store_true", help=_("only those not yet settled"))
    add_json(listing)
    listing.set_defaults(handler=list_command)


def _write(
    args: argparse.Namespace, db: Database, action: Callable[[UnitOfWork], ReturnView]
) -> int:
    with db.unit_of_work() as uow:
        view = action(uow)
        uow.commit()
    if args.json:
        print_json(return_to_json(view))
    else:
        print(view.number)
    return 0


def open_command(args: argparse.Namespace, db: Database) -> int:
    return _write(
        args,
        db,
        lambda uow: open_return(
            uow,
            args.customer,
            args.sku,
            args.user,
            reason=args.reason,
            serial=args.serial,
            invoice=args.invoice,
        ),
    )


def _move_command(
    action: Callable[..., ReturnView],
) -> Callable[[argparse.Namespace, Database], int]:
    def command(args: argparse.Namespace, db: Database) -> int:
        return _write(args, db, lambda uow: action(uow, args.number, args.user, note=args.note))

    return command


def to_supplier_command(args: argparse.Namespace, db: Database) -> int:
    return _write(
        args,
        db,
        lambda uow: return_to_supplier(
            uow, args.number, args.user, supplier=args.supplier, note=args.note
        ),
    )


def refund_command(args: argparse.Namespace, db: Database) -> int:
    amount = parse_amount(args.amount, "amount") if args.amount else None
    return _write(
        args,
        db,
        lambda uow: refund_return(uow, args.number, args.user, amount=amount, method=args.method),
    )


def exchange_command(args: argparse.Namespace, db: Database) -> int:
    return _write(
        args,
        db,
        lambda uow: exchange_return(
            uow, args.number, args.user, serial=args.serial, note=args.note
        ),
    )


def refuse_command(args: argparse.Namespace, db: Database) -> int:
    return _write(
        args, db, lambda uow: refuse_return(uow, args.number, args.user, reason=args.reason)
    )


def format_return(view: ReturnView) -> str:
    decision = view.decision.label if view.decision else _("not decided")
    lines = [f"{view.number}  {view.state.label}  {decision}", *return_details(view)]
    lines.append(_("History:"))
    for event in view.history:
        moment = event.at.astimezone().strftime("%Y-%m-%d %H:%M")
        lines.append(f"  {moment}  {event.user:<12} {event.label:<22} {event.note}".rstrip())
    return "\n".join(lines)


def show_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = show_return(uow, args.number)
    if args.json:
        print_json(return_to_json(view))
    else:
        print(format_return(view))
    return 0


def list_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        found = list_returns(uow, open_only=args.open)
    if args.json:
        print_json({"returns": [return_to_json(view) for view in found]})
        return 0
    for view in found:
        decision = view.decision.label if view.decision else "-"
        print(
            f"{view.number:<12} {view.state.label:<22} {decision:<16} {view.customer[:24]:<24} "
            f"{view.sku:<14} {view.serial or '-'}"
        )
    return 0
