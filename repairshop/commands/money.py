"""``repairshop services add|edit|list|show`` and ``job line add|list``, ``job approve``."""

from __future__ import annotations

import argparse
from typing import TypeAlias

from repairshop.commands.output import add_json, print_json
from repairshop.commands.parts import with_parts
from repairshop.domain.approval import ApprovalMethod, parse_approval_method
from repairshop.domain.money import parse_amount
from repairshop.domain.vat import parse_vat_rate
from repairshop.errors import ValidationError
from repairshop.i18n import _, format_money, format_number
from repairshop.services.database import Database
from repairshop.services.jobs.views import job_to_json
from repairshop.services.jobs.workflow import show_job
from repairshop.services.money.approval import approve
from repairshop.services.money.lines import (
    JobLinesView,
    LineRequest,
    add_line,
    job_lines,
    lines_to_json,
    rate_text,
)
from repairshop.services.money.price_list import (
    ServiceInput,
    ServiceView,
    add_service,
    list_services,
    service_to_json,
    show_service,
    update_service,
)
from repairshop.services.parts.stock import parse_quantity

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(commands: Subparsers) -> None:
    services = commands.add_parser("services", help=_("the price list of services"))
    actions = services.add_subparsers(dest="services_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("a new service on the price list"))
    add.add_argument("code")
    add.add_argument("--name", required=True)
    add.add_argument("--price", required=True)
    add.add_argument("--vat", metavar="RATE", help=_("VAT rate in percent (default: the shop's)"))
    add.add_argument("--device-type", metavar="T", help=_("only for this device type"))
    add.add_argument("--brand", metavar="B", help=_("only for this brand"))
    add_json(add)
    add.set_defaults(handler=add_service_command)

    edit = actions.add_parser(
        "edit", help=_("change a service of the price list (what is not given stays)")
    )
    edit.add_argument("code")
    edit.add_argument("--name")
    edit.add_argument("--price")
    edit.add_argument("--vat", metavar="RATE", help=_('VAT rate in percent ("": the shop\'s)'))
    edit.add_argument("--device-type", metavar="T", help=_('only for this device type ("": any)'))
    edit.add_argument("--brand", metavar="B", help=_('only for this brand ("": any)'))
    add_json(edit)
    edit.set_defaults(handler=edit_service_command)

    listing = actions.add_parser("list", help=_("the services on the price list"))
    listing.add_argument("--device-type", metavar="T", help=_("services for this device type"))
    listing.add_argument("--brand", metavar="B", help=_("services for this brand"))
    add_json(listing)
    listing.set_defaults(handler=list_services_command)

    show = actions.add_parser("show", help=_("one service of the price list"))
    show.add_argument("code")
    add_json(show)
    show.set_defaults(handler=show_service_command)


def register_job_actions(actions: Subparsers) -> None:
    """``job line add|list`` and ``job approve`` (the job's price and the customer's yes)."""
    line = actions.add_parser("line", help=_("the job's lines: services, text lines, parts"))
    line_actions = line.add_subparsers(dest="line_command", metavar="ACTION", required=True)
    add = line_actions.add_parser("add", help=_("put a service or a text line on the job"))
    add.add_argument("code")
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument("--service", metavar="SERVICE_CODE", help=_("a service of the price list"))
    source.add_argument("--text", help=_("a line's text (with --price)"))
    add.add_argument("--price", help=_("unit price of a text line"))
    add.add_argument("--qty", default="1", metavar="N", help=_("quantity (default 1)"))
    add.add_argument("--vat", metavar="RATE", help=_("VAT rate in percent"))
    add_json(add)
    add.set_defaults(handler=add_line_command)

    listing = line_actions.add_parser("list", help=_("the job's lines as on an invoice"))
    listing.add_argument("code")
    add_json(listing)
    listing.set_defaults(handler=list_lines_command)

    approval = actions.add_parser("approve", help=_("record the customer's approval of a price"))
    approval.add_argument("code")
    approval.add_argument("--amount", required=True, help=_("the approved price, VAT included"))
    approval.add_argument(
        "--by",
        required=True,
        metavar="|".join(method.value for method in ApprovalMethod),
        help=_("how the customer approved"),
    )
    approval.add_argument("--note", default="", help=_("what was agreed"))
    add_json(approval)
    approval.set_defaults(handler=approve_command)


def add_service_command(args: argparse.Namespace, db: Database) -> int:
    price = parse_amount(args.price, "price")
    if price is None:
        raise ValidationError(_("A service needs a price."), field="price")
    data = ServiceInput(
        code=args.code,
        name=args.name,
        price=price,
        vat_rate=None if args.vat is None else parse_vat_rate(args.vat),
        device_type=args.device_type,
        brand=args.brand,
    )
    with db.unit_of_work() as uow:
        view = add_service(uow, data, args.user)
        uow.commit()
    if args.json:
        print_json(service_to_json(view))
    else:
        print(view.code)
    return 0


def edit_service_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        old = show_service(uow, args.code)
        price = old.price if args.price is None else parse_amount(args.price, "price")
        if price is None:
            raise ValidationError(_("A service needs a price."), field="price")
        vat = old.vat_rate if args.vat is None else (parse_vat_rate(args.vat) if args.vat else None)
        data = ServiceInput(
            code=old.code,
            name=old.name if args.name is None else args.name,
            price=price,
            vat_rate=vat,
            device_type=old.device_type if args.device_type is None else args.device_type,
            brand=old.brand if args.brand is None else args.brand,
        )
        view = update_service(uow, data, args.user)
        uow.commit()
    if args.json:
        print_json(service_to_json(view))
    else:
        print(_service_line(view))
    return 0


def _service_line(view: ServiceView) -> str:
    fits = " ".join(part for part in (view.device_type, view.brand) if part) or "*"
    rate = "—" if view.vat_rate is None else f"{rate_text(view.vat_rate)} %"
    return (
        f"{view.code:<20} {view.name[:40]:<40} {fits[:24]:<24} "
        f"{format_money(view.price, view.currency):>14} {rate:>7}"
    )


def list_services_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        found = list_services(uow, device_type=args.device_type, brand=args.brand)
    if args.json:
        print_json([service_to_json(view) for view in found])
    else:
        for view in found:
            print(_service_line(view))
    return 0


def show_service_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = show_service(uow, args.code)
    if args.json:
        print_json(service_to_json(view))
    else:
        print(_service_line(view))
    return 0


def add_line_command(args: argparse.Namespace, db: Database) -> int:
    if args.text is not None and args.price is None:
        raise ValidationError(_("A text line needs a price."), field="price")
    request = LineRequest(
        service=args.service,
        text=args.text,
        price=parse_amount(args.price, "price"),
        quantity=parse_quantity(args.qty),
        vat_rate=None if args.vat is None else parse_vat_rate(args.vat),
    )
    with db.unit_of_work() as uow:
        changed = add_line(uow, args.code, request, args.user)
        uow.commit()
    return _print_lines(db, changed.code, args.json)


def _print_lines(db: Database, code: str, as_json: bool) -> int:
    with db.reader() as uow:
        view = job_lines(uow, code)
    if as_json:
        print_json(lines_to_json(view))
    else:
        print(format_lines(view))
    return 0


def list_lines_command(args: argparse.Namespace, db: Database) -> int:
    return _print_lines(db, args.code, args.json)


def format_lines(view: JobLinesView) -> str:
    out = []
    for line in view.lines:
        out.append(
            f"{line.description[:40]:<40} {line.quantity:>4} × "
            f"{format_number(line.unit_price):>12} {rate_text(line.vat_rate):>5} % "
            f"{format_number(line.net):>12} {format_number(line.vat):>10} "
            f"{format_number(line.gross):>12}"
        )
    for rate in view.vat_by_rate:
        out.append(
            _("VAT {rate} %: net {net}, VAT {vat}").format(
                rate=rate_text(rate.vat_rate),
                net=format_number(rate.net),
                vat=format_number(rate.vat),
            )
        )
    out.append(_("Total: {total}").format(total=format_money(view.total, view.currency)))
    if view.approved is not None:
        out.append(
            _("Approved: {amount}").format(amount=format_money(view.approved, view.currency))
        )
    return "\n".join(out)


def approve_command(args: argparse.Namespace, db: Database) -> int:
    amount = parse_amount(args.amount, "amount")
    if amount is None:
        raise ValidationError(_("Give the approved amount."), field="amount")
    method = parse_approval_method(args.by)
    with db.unit_of_work() as uow:
        changed = approve(uow, args.code, amount, method, args.user, note=args.note)
        uow.commit()
    if args.json:
        with db.reader() as uow:
            print_json(with_parts(uow, job_to_json(show_job(uow, changed.code, args.user))))
    return 0
