"""``repairshop parts ...`` (catalogue, stock, orders, stock take) and ``job *-part``."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

from repairshop.commands.output import Handler, add_json, print_json
from repairshop.domain.money import parse_amount
from repairshop.errors import ValidationError
from repairshop.i18n import N_, _, format_number
from repairshop.services.database import Database
from repairshop.services.parts.csv_import import (
    ImportPreview,
    ImportRefused,
    import_catalogue,
    read_catalogue_file,
)
from repairshop.services.parts.job_parts import (
    job_parts,
    job_parts_to_json,
    jobs_with_parts_arrived,
    receive_part,
    release_part,
    reserve_part,
    use_part,
    wait_for_part,
)
from repairshop.services.parts.purchasing import (
    OrderView,
    add_supplier,
    create_order,
    list_orders,
    order_to_json,
    propose_orders,
    receive_order,
    send_order,
    show_order,
)
from repairshop.services.parts.stock import (
    PartInput,
    PartView,
    StockChanged,
    add_part,
    adjust,
    get_part,
    link_supplier,
    list_parts,
    movement_to_json,
    movements,
    parse_level,
    parse_quantity,
    part_to_json,
    return_to_supplier,
    show_part,
)
from repairshop.services.parts.stocktake import (
    apply_stock_take,
    review,
    set_count,
    start_stock_take,
)
from repairshop.services.shop.opening_hours import get_opening_hours
from repairshop.services.uow import UnitOfWork

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _amount(text: str | None, field: str) -> Decimal | None:
    return parse_amount(text, field)


SERIAL_HELP = N_(
    "the serial of a unit of a serialised part, once per unit; using one needs it "
    "when more than one unit could be the one that went in"
)


def register(commands: Subparsers) -> None:
    parts = commands.add_parser("parts", help=_("the parts catalogue, stock and orders"))
    actions = parts.add_subparsers(dest="parts_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("a new catalogue part"))
    add.add_argument("sku")
    add.add_argument("--name", required=True)
    add.add_argument("--price", help=_("sale price"))
    add.add_argument("--cost", help=_("purchase cost"))
    add.add_argument("--category", default="")
    add.add_argument("--compatible", default="", help=_("devices, “Brand Model; ...”"))
    add.add_argument("--location", default="", metavar="BIN", help=_("shelf or bin"))
    add.add_argument("--reorder-level", default="0")
    add.add_argument("--reorder-quantity", default="0")
    add.add_argument("--serialised", action="store_true", help=_("each unit has its own serial"))
    add.add_argument("--supplier", default="")
    add.add_argument("--supplier-sku", default="")
    add_json(add)
    add.set_defaults(handler=add_command)

    listing = actions.add_parser("list", help=_("catalogue parts with their stock"))
    listing.add_argument("text", nargs="?", default="", help=_("search text"))
    listing.add_argument(
        "--low", action="store_true", help=_("only parts at or below reorder level")
    )
    add_json(listing)
    listing.set_defaults(handler=list_command)

    show = actions.add_parser("show", help=_("a part with on hand, reserved and its movements"))
    show.add_argument("sku")
    show.add_argument("--limit", type=int, default=50, help=_("movements to show"))
    add_json(show)
    show.set_defaults(handler=show_command)

    receive = actions.add_parser("receive", help=_("stock in"))
    receive.add_argument("sku")
    receive.add_argument("quantity")
    receive.add_argument("--cost", help=_("unit cost"))
    receive.add_argument("--serial", action="append", default=[], help=_("a unit's serial"))
    receive.add_argument("--reason", default="")
    add_json(receive)
    receive.set_defaults(handler=receive_command)

    adjust_parser = actions.add_parser("adjust", help=_("correct stock with a reason"))
    adjust_parser.add_argument("sku")
    adjust_parser.add_argument("delta", help=_("units to add (or subtract, e.g. -2)"))
    adjust_parser.add_argument("--reason", required=True)
    adjust_parser.add_argument("--serial", action="append", default=[])
    add_json(adjust_parser)
    adjust_parser.set_defaults(handler=adjust_command)

    give_back = actions.add_parser("return", help=_("return units to the supplier"))
    give_back.add_argument("sku")
    give_back.add_argument("quantity")
    give_back.add_argument("--reason", required=True)
    give_back.add_argument("--serial", action="append", default=[])
    add_json(give_back)
    give_back.set_defaults(handler=return_command)

    for name, help_text in (
        ("reserve", _("reserve units for a job")),
        ("use", _("use units on a job")),
        ("release", _("release a job's reserved units")),
        ("wait", _("the job waits for this part (awaiting_parts)")),
    ):
        job_action = actions.add_parser(name, help=help_text)
        job_action.add_argument("sku")
        job_action.add_argument("code", help=_("ticket code"))
        job_action.add_argument("quantity", nargs="?")
        job_action.add_argument("--serial", action="append", default=[], help=_(SERIAL_HELP))
        add_json(job_action)
        job_action.set_defaults(handler=_job_handler(name))

    importing = actions.add_parser("import", help=_("import the catalogue from CSV"))
    importing.add_argument("file")
    importing.add_argument(
        "--good-rows-only",
        action="store_true",
        help=_("import the good rows of a file with errors"),
    )
    importing.add_argument("--dry-run", action="store_true", help=_("only check the file"))
    add_json(importing)
    importing.set_defaults(handler=import_command)

    supplier = actions.add_parser("supplier", help=_("add a supplier or link one to a part"))
    supplier.add_argument("name")
    supplier.add_argument("--email", default="")
    supplier.add_argument("--phone", default="")
    supplier.add_argument("--part", metavar="SKU", help=_("link the supplier to this part"))
    supplier.add_argument("--supplier-sku", default="")
    supplier.add_argument("--cost")
    supplier.set_defaults(handler=supplier_command)

    order = actions.add_parser("order", help=_("purchase orders"))
    order_actions = order.add_subparsers(dest="order_command", metavar="ACTION", required=True)
    propose = order_actions.add_parser("propose", help=_("draft orders for low stock"))
    add_json(propose)
    propose.set_defaults(handler=propose_command)
    new = order_actions.add_parser("new", help=_("a draft order: SUPPLIER SKU=QTY ..."))
    new.add_argument("supplier")
    new.add_argument("lines", nargs="+", metavar="SKU=QTY")
    add_json(new)
    new.set_defaults(handler=new_order_command)
    for name, help_text in (("show", _("an order")), ("send", _("mark a draft as sent"))):
        sub = order_actions.add_parser(name, help=help_text)
        sub.add_argument("number")
        add_json(sub)
        sub.set_defaults(handler=order_command)
    received = order_actions.add_parser("receive", help=_("book a delivery"))
    received.add_argument("number")
    received.add_argument("lines", nargs="*", metavar="SKU=QTY", help=_("default: everything"))
    add_json(received)
    received.set_defaults(handler=receive_order_command)
    orders = order_actions.add_parser("list", help=_("purchase orders"))
    orders.add_argument("--open", action="store_true")
    add_json(orders)
    orders.set_defaults(handler=list_orders_command)

    arrived = actions.add_parser(
        "arrived", help=_("jobs waiting in awaiting_parts whose parts have arrived")
    )
    add_json(arrived)
    arrived.set_defaults(handler=arrived_command)

    take = actions.add_parser("stocktake", help=_("count stock: start, count, review, apply"))
    take_actions = take.add_subparsers(dest="take_command", metavar="ACTION", required=True)
    take_actions.add_parser("start").set_defaults(handler=stocktake_command, take="start")
    count = take_actions.add_parser("count", help=_("set a part's counted quantity"))
    count.add_argument("number", type=int)
    count.add_argument("sku")
    count.add_argument("counted")
    count.set_defaults(handler=stocktake_command, take="count")
    for name in ("review", "apply"):
        sub = take_actions.add_parser(name)
        sub.add_argument("number", type=int)
        add_json(sub)
        sub.set_defaults(handler=stocktake_command, take=name)


def register_job_actions(actions: Subparsers) -> None:
    """``job reserve-part|use-part|release-part|wait-part CODE SKU [QTY]`` (ARCHITECTURE.md)."""
    for name, help_text in (
        ("reserve", _("reserve a part for the job")),
        ("use", _("use a part on the job")),
        ("release", _("release the job's reserved part")),
        ("wait", _("the job waits for a part")),
    ):
        parser = actions.add_parser(f"{name}-part", help=help_text)
        parser.add_argument("code")
        parser.add_argument("sku")
        parser.add_argument("quantity", nargs="?")
        parser.add_argument("--serial", action="append", default=[], help=_(SERIAL_HELP))
        add_json(parser)
        parser.set_defaults(handler=_job_handler(name))


def with_parts(uow: UnitOfWork, job: dict[str, Any]) -> dict[str, Any]:
    """``job show --json`` plus the job's ``parts`` and ``parts_total``."""
    parts = job_parts_to_json(job_parts(uow, str(job["code"])))
    return {**job, "parts": parts["parts"], "parts_total": parts["parts_total"]}


def format_job_parts(uow: UnitOfWork, code: str) -> str:
    """The job's parts under ``job show``; empty when it has none."""
    view = job_parts(uow, code)
    if not view.lines:
        return ""
    lines = ["", _("Parts:")]
    for line in view.lines:
        state = ", ".join(
            text
            for count, text in (
                (line.reserved, _("{n} reserved")),
                (line.used, _("{n} used")),
                (line.waiting, _("{n} awaited")),
            )
            if count
            for text in [text.format(n=count)]
        )
        lines.append(
            f"  {line.sku:<16} {line.name[:32]:<32} {state:<24} {format_number(line.total)}"
        )
    lines.append(
        _("  Parts total: {total} {currency}").format(
            total=format_number(view.parts_total), currency=view.currency
        )
    )
    return "\n".join(lines)


def _job_handler(action: str) -> Handler:
    def handler(args: argparse.Namespace, db: Database) -> int:
        quantity = None if args.quantity is None else parse_quantity(args.quantity)
        with db.unit_of_work() as uow:
            if action == "reserve":
                reserve_part(
                    uow, args.code, args.sku, quantity or 1, args.user, serials=args.serial
                )
            elif action == "use":
                use_part(uow, args.code, args.sku, quantity or 1, args.user, serials=args.serial)
            elif action == "release":
                release_part(uow, args.code, args.sku, quantity, args.user)
            else:
                wait_for_part(uow, args.code, args.sku, quantity or 1, args.user)
            uow.commit()
        if args.json:
            with db.reader() as uow:
                print_json(job_parts_to_json(job_parts(uow, args.code)))
        return 0

    return handler


def add_command(args: argparse.Namespace, db: Database) -> int:
    data = PartInput(
        sku=args.sku,
        name=args.name,
        category=args.category,
        compatible=args.compatible,
        location=args.location,
        price=_amount(args.price, "price"),
        cost=_amount(args.cost, "cost"),
        reorder_level=parse_level(args.reorder_level, "reorder_level"),
        reorder_quantity=parse_level(args.reorder_quantity, "reorder_quantity"),
        serialised=args.serialised,
        supplier=args.supplier,
        supplier_sku=args.supplier_sku,
    )
    with db.unit_of_work() as uow:
        changed = add_part(uow, data, args.user)
        uow.commit()
    return _print_part(db, changed, args.json)


def _print_part(db: Database, changed: StockChanged, as_json: bool) -> int:
    with db.reader() as uow:
        view = show_part(uow, changed.sku)
    if as_json:
        print_json(part_to_json(view))
    else:
        print(_stock_line(view))
    return 0


def _stock_line(view: PartView) -> str:
    return _("{sku}  {name}: {on_hand} on hand, {reserved} reserved, {available} available").format(
        sku=view.sku,
        name=view.name,
        on_hand=view.on_hand,
        reserved=view.reserved,
        available=view.available,
    )


def list_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        found = list_parts(uow, args.text, low_only=args.low)
    if args.json:
        print_json([part_to_json(view) for view in found])
        return 0
    for view in found:
        flag = "!" if view.is_low else " "
        print(
            f"{flag} {view.sku:<16} {view.name[:36]:<36} {view.on_hand:>6} {view.reserved:>6} "
            f"{view.available:>6}  {view.location}"
        )
    return 0


def show_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = show_part(uow, args.sku)
        ledger = movements(uow, args.sku, args.limit)
        zone = get_opening_hours(uow).zone()
    if args.json:
        print_json({**part_to_json(view), "movements": [movement_to_json(m) for m in ledger]})
        return 0
    print(_stock_line(view))
    print(
        _("Price {price} {currency}, cost {cost}; location {location}; reorder at {level}").format(
            price=format_number(view.price),
            currency=view.currency,
            cost=format_number(view.cost),
            location=view.location or "-",
            level=view.reorder_level,
        )
    )
    for m in ledger:
        moment = m.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        ref = m.job_code or m.order_number or ""
        print(
            f"  {moment}  {m.user:<10} {m.kind.label:<22} "
            f"{m.on_hand_delta:+d}/{m.reserved_delta:+d}  {ref} {m.serial or ''} "
            f"{m.reason}".rstrip()
        )
    return 0


def receive_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        changed = receive_part(
            uow,
            args.sku,
            parse_quantity(args.quantity),
            args.user,
            cost=_amount(args.cost, "cost"),
            serials=args.serial,
            reason=args.reason,
        )
        uow.commit()
    cost = changed.cost_change
    if args.json:
        with db.reader() as uow:
            view = part_to_json(show_part(uow, changed.sku))
        if cost is not None:
            view["cost_change"] = {"from": str(cost.before), "to": str(cost.after)}
        print_json(view)
        return 0
    _print_part(db, changed, as_json=False)
    if cost is not None:
        print(cost.describe())
    return 0


def adjust_command(args: argparse.Namespace, db: Database) -> int:
    delta = parse_quantity(args.delta, field="delta", signed=True)
    with db.unit_of_work() as uow:
        changed = adjust(uow, args.sku, delta, args.reason, args.user, serials=args.serial)
        uow.commit()
    return _print_part(db, changed, args.json)


def return_command(args: argparse.Namespace, db: Database) -> int:
    quantity = parse_quantity(args.quantity)
    with db.unit_of_work() as uow:
        changed = return_to_supplier(
            uow, args.sku, quantity, args.reason, args.user, serials=args.serial
        )
        uow.commit()
    return _print_part(db, changed, args.json)


def _read_csv(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    return read_catalogue_file(Path(path))


def _preview_json(preview: ImportPreview) -> list[dict[str, object]]:
    return [
        {"line": row.line, "sku": row.sku, "action": row.action, "errors": list(row.errors)}
        for row in preview.rows
    ]


def import_command(args: argparse.Namespace, db: Database) -> int:
    text = _read_csv(args.file)
    try:
        with db.unit_of_work() as uow:
            result = import_catalogue(uow, text, args.user, good_rows_only=args.good_rows_only)
            if not args.dry_run:
                uow.commit()
    except ImportRefused as refused:
        if args.json:
            print_json({"imported": False, "rows": _preview_json(refused.preview)})
        else:
            print(refused.preview.report())
        raise
    summary = {
        "imported": not args.dry_run,
        "added": result.added,
        "updated": result.updated,
        "skipped": result.skipped,
    }
    if args.json:
        print_json(summary)
    else:
        print(
            _("{added} added, {updated} updated, {skipped} bad rows skipped.").format(**summary)
            + ("" if not args.dry_run else " " + _("(dry run: nothing saved)"))
        )
    return 0


def supplier_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        if args.part:
            link_supplier(
                uow,
                get_part(uow, args.part),
                args.name,
                args.supplier_sku,
                _amount(args.cost, "cost"),
                actor=args.user,
            )
        else:
            add_supplier(uow, args.name, args.user, email=args.email, phone=args.phone)
        uow.commit()
    return 0


def _print_order(view: OrderView, as_json: bool) -> None:
    if as_json:
        print_json(order_to_json(view))
        return
    print(
        f"{view.number}  {view.supplier}  {view.status.label}  {format_number(view.total)} "
        f"{view.currency}"
    )
    for line in view.lines:
        print(
            f"  {line.sku:<16} {line.name[:36]:<36} {line.received:>5}/{line.quantity:<5} "
            f"{format_number(line.unit_cost)}"
        )


def _lines(specs: list[str]) -> dict[str, int]:
    result: dict[str, int] = {}
    for spec in specs:
        sku, sep, quantity = spec.partition("=")
        if not sep:
            raise ValidationError(
                _("Write each line as SKU=QUANTITY, not “{spec}”.").format(spec=spec)
            )
        result[sku.strip().upper()] = parse_quantity(quantity)
    return result


def propose_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        proposal = propose_orders(uow, args.user)
        uow.commit()
    if args.json:
        print_json(
            {
                "orders": [order_to_json(order) for order in proposal.orders],
                "without_supplier": list(proposal.without_supplier),
            }
        )
        return 0
    for order in proposal.orders:
        _print_order(order, False)
    if proposal.without_supplier:
        print(_("No supplier for: {skus}").format(skus=", ".join(proposal.without_supplier)))
    return 0


def new_order_command(args: argparse.Namespace, db: Database) -> int:
    lines = [(sku, quantity, None) for sku, quantity in _lines(args.lines).items()]
    with db.unit_of_work() as uow:
        view = create_order(uow, args.supplier, lines, args.user)
        uow.commit()
    _print_order(view, args.json)
    return 0


def order_command(args: argparse.Namespace, db: Database) -> int:
    if args.order_command == "send":
        with db.unit_of_work() as uow:
            view = send_order(uow, args.number, args.user)
            uow.commit()
    else:
        with db.reader() as uow:
            view = show_order(uow, args.number)
    _print_order(view, args.json)
    return 0


def receive_order_command(args: argparse.Namespace, db: Database) -> int:
    quantities = _lines(args.lines) if args.lines else None
    with db.unit_of_work() as uow:
        receipt = receive_order(uow, args.number, args.user, quantities=quantities)
        uow.commit()
    _print_order(receipt.order, args.json)
    return 0


def list_orders_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        orders = list_orders(uow, open_only=args.open)
    if args.json:
        print_json([order_to_json(order) for order in orders])
    else:
        for order in orders:
            _print_order(order, False)
    return 0


def arrived_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        found = jobs_with_parts_arrived(uow)
    if args.json:
        print_json(
            [
                {"code": job.code, "parts": list(job.parts), "arrived_at": _iso(job.arrived_at)}
                for job in found
            ]
        )
    else:
        for job in found:
            print(f"{job.code:<10} {', '.join(job.parts)}")
    return 0


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def stocktake_command(args: argparse.Namespace, db: Database) -> int:
    if args.take == "start":
        with db.unit_of_work() as uow:
            number = start_stock_take(uow, args.user)
            uow.commit()
        print(number)
        return 0
    if args.take == "count":
        with db.unit_of_work() as uow:
            set_count(uow, args.number, args.sku, parse_level(args.counted, "counted"), args.user)
            uow.commit()
        return 0
    if args.take == "apply":
        with db.unit_of_work() as uow:
            apply_stock_take(uow, args.number, args.user)
            uow.commit()
    with db.reader() as uow:
        view = review(uow, args.number)
    if getattr(args, "json", False):
        print_json(
            {
                "number": view.id,
                "status": view.status,
                "lines": [
                    {
                        "sku": line.sku,
                        "on_hand": line.on_hand,
                        "counted": line.counted,
                        "difference": line.difference,
                    }
                    for line in view.lines
                ],
            }
        )
    else:
        for line in view.lines:
            print(f"{line.sku:<16} {line.on_hand:>6} {line.counted:>6} {line.difference:+d}")
    return 0
