"""``repairshop services``, ``job line add|list``, ``job approve``, ``job collect``,
``job deposit``, ``invoice show|pdf|credit``, ``takings`` and ``cashup``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeAlias

from repairshop.commands.output import add_json, print_json
from repairshop.commands.parts import with_parts
from repairshop.domain.approval import ApprovalMethod, parse_approval_method
from repairshop.domain.money import parse_amount
from repairshop.domain.payments import parse_payment_method
from repairshop.domain.vat import parse_vat_rate
from repairshop.errors import ValidationError
from repairshop.i18n import LANGUAGES, _, format_day, format_money, format_number
from repairshop.printing.options import PrintSettings, ReceiptPaper
from repairshop.services.database import Database
from repairshop.services.jobs.views import job_to_json
from repairshop.services.jobs.workflow import show_job
from repairshop.services.money.approval import approve
from repairshop.services.money.collection import CollectRequest, PaymentInput, collect
from repairshop.services.money.invoices import (
    InvoiceView,
    credit_invoice,
    invoice_to_json,
    show_invoice,
)
from repairshop.services.money.lines import (
    JobLinesView,
    LineRequest,
    add_line,
    job_lines,
    lines_to_json,
    rate_text,
)
from repairshop.services.money.payments import settle_cancelled_deposit
from repairshop.services.money.price_list import (
    ServiceInput,
    ServiceView,
    add_service,
    list_services,
    service_to_json,
    show_service,
    update_service,
)
from repairshop.services.money.takings import (
    Takings,
    cash_up,
    takings,
    takings_csv,
    takings_to_json,
)
from repairshop.services.parts.stock import parse_quantity
from repairshop.services.shop.opening_hours import shop_today

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(commands: Subparsers) -> None:
    register_invoices(commands)
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

    collection = actions.add_parser(
        "collect", help=_("hand a ready job over: the invoice, the payments, collected")
    )
    collection.add_argument("code")
    collection.add_argument(
        "--pay",
        action="append",
        default=[],
        metavar="METHOD=AMOUNT",
        help=_("a payment: cash, card or transfer and the amount handed over (repeatable)"),
    )
    collection.add_argument(
        "--collected-by",
        default="",
        metavar="NAME",
        help=_("who takes the device, if not the customer"),
    )
    collection.add_argument("--id-note", default="", help=_("the ID shown by that person"))
    collection.add_argument(
        "--keep-deposit",
        action="store_true",
        help=_("a job returned unrepaired: keep its deposit as the diagnosis fee"),
    )
    _desk_option(collection)
    add_json(collection)
    collection.set_defaults(handler=collect_command)

    quote = actions.add_parser(
        "quote", help=_("the quote for the customer to approve, as PDF, in their language")
    )
    quote.add_argument("code")
    quote.add_argument("--out", required=True, metavar="FILE.pdf", help=_("PDF file, or -"))
    quote.add_argument(
        "--format",
        dest="paper",
        default=ReceiptPaper.A4.value,
        choices=[paper.value for paper in ReceiptPaper],
        help=_("paper (default a4)"),
    )
    quote.add_argument("--lang", choices=LANGUAGES, help=_("language (default: the customer's)"))
    quote.set_defaults(handler=quote_command)

    deposit = actions.add_parser(
        "deposit", help=_("a cancelled job's deposit: refund it or keep it as the diagnosis fee")
    )
    deposit.add_argument("code")
    deposit.add_argument("action", choices=("refund", "keep"))
    deposit.add_argument("--method", default="cash", help=_("how it is paid back (default cash)"))
    _desk_option(deposit)
    deposit.set_defaults(handler=deposit_command)


def _desk_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--desk",
        default="",
        help=_("this desk's name (default: $REPAIRSHOP_DESK, else the computer's name)"),
    )


def register_invoices(commands: Subparsers) -> None:
    invoice = commands.add_parser("invoice", help=_("invoices, credit notes, handover documents"))
    actions = invoice.add_subparsers(dest="invoice_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=_("one document"))
    show.add_argument("number")
    add_json(show)
    show.set_defaults(handler=show_invoice_command)

    pdf = actions.add_parser("pdf", help=_("the document as PDF"))
    pdf.add_argument("number")
    pdf.add_argument("--out", required=True, metavar="FILE.pdf", help=_("PDF file, or -"))
    pdf.add_argument(
        "--format",
        dest="paper",
        default=ReceiptPaper.A4.value,
        choices=[paper.value for paper in ReceiptPaper],
        help=_("paper (default a4)"),
    )
    pdf.add_argument("--lang", choices=LANGUAGES, help=_("language (default: the customer's)"))
    pdf.set_defaults(handler=invoice_pdf_command)

    credit = actions.add_parser("credit", help=_("a credit note for the whole of an invoice"))
    credit.add_argument("number")
    credit.add_argument("--reason", required=True)
    credit.add_argument(
        "--refund", metavar="METHOD", help=_("pay the money back: cash, card or transfer")
    )
    _desk_option(credit)
    add_json(credit)
    credit.set_defaults(handler=credit_command)

    day = commands.add_parser("takings", help=_("the day's takings per desk and payment method"))
    day.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help=_("the day (default today)"))
    day.add_argument(
        "--csv", metavar="FILE.csv", help=_("write the payments as CSV (- for stdout)")
    )
    add_json(day)
    day.set_defaults(handler=takings_command)

    count = commands.add_parser("cashup", help=_("record the cash counted at a desk"))
    count.add_argument("--counted", required=True, help=_("the cash counted"))
    count.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help=_("the day (default today)"))
    count.add_argument("--note", default="")
    _desk_option(count)
    add_json(count)
    count.set_defaults(handler=cash_up_command)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a date (YYYY-MM-DD).").format(value=text)
        ) from None


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


def parse_pay(text: str) -> PaymentInput:
    """``cash=500``, ``card=1 200,50``: a method and the amount handed over."""
    method, sign, amount = text.partition("=")
    if not sign:
        raise ValidationError(
            _("“{value}” is not a payment: write METHOD=AMOUNT, such as cash=500.").format(
                value=text
            ),
            field="pay",
        )
    value = parse_amount(amount, "pay")
    if value is None:
        raise ValidationError(_("A payment needs an amount."), field="pay")
    return PaymentInput(parse_payment_method(method), value)


def collect_command(args: argparse.Namespace, db: Database) -> int:
    request = CollectRequest(
        payments=tuple(parse_pay(text) for text in args.pay),
        collected_by=args.collected_by,
        id_note=args.id_note,
        desk=args.desk,
        keep_deposit=args.keep_deposit,
    )
    with db.unit_of_work() as uow:
        done = collect(uow, args.code, request, args.user)
        uow.commit()
    if args.json:
        with db.reader() as uow:
            print_json(invoice_to_json(show_invoice(uow, done.number)))
        return 0
    print(done.number)
    if done.settlement.change_minor:
        print(_("Change: {amount}").format(amount=format_money(done.change, done.currency)))
    return 0


def deposit_command(args: argparse.Namespace, db: Database) -> int:
    method = parse_payment_method(args.method)
    with db.unit_of_work() as uow:
        settle_cancelled_deposit(
            uow,
            args.code,
            keep=args.action == "keep",
            actor=args.user,
            method=method,
            desk=args.desk,
        )
        uow.commit()
    return 0


def show_invoice_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = show_invoice(uow, args.number)
    if args.json:
        print_json(invoice_to_json(view))
    else:
        print(format_invoice(view))
    return 0


def format_invoice(view: InvoiceView) -> str:
    money = partial(format_money, currency=view.currency)
    out = [
        f"{view.kind.label} {view.number}  {format_day(view.issued)}  {view.job}  {view.customer}"
    ]
    for line in view.lines:
        out.append(
            f"{line.description[:40]:<40} {line.quantity:>4} × "
            f"{money(line.unit_price):>14} {rate_text(line.vat_rate):>5} % "
            f"{money(line.gross):>14}"
        )
    if view.free_reason is not None:
        out.append(view.free_reason.label)
    out.append(_("Total: {total}").format(total=money(view.gross)))
    if view.deposit:
        out.append(_("Deposit paid: {amount}").format(amount=money(view.deposit)))
    for paid in view.paid:
        out.append(f"{paid.method.label}: {money(paid.amount)}")
    if view.credited_by:
        out.append(_("Credited by {number}").format(number=view.credited_by))
    return "\n".join(out)


def invoice_pdf_command(args: argparse.Namespace, db: Database) -> int:
    from repairshop.printing.documents import invoice_document, invoice_to_print

    with db.reader() as uow:
        printing = invoice_to_print(uow, args.number, args.user)
    pdf = invoice_document(printing, PrintSettings(receipt_format=args.paper), args.lang)
    if args.out == "-":
        sys.stdout.buffer.write(pdf)
    else:
        Path(args.out).write_bytes(pdf)
    return 0


def quote_command(args: argparse.Namespace, db: Database) -> int:
    from repairshop.printing.documents import quote_document, quote_to_print

    with db.reader() as uow:
        printing = quote_to_print(uow, args.code, args.user)
    pdf = quote_document(printing, PrintSettings(receipt_format=args.paper), args.lang)
    if args.out == "-":
        sys.stdout.buffer.write(pdf)
    else:
        Path(args.out).write_bytes(pdf)
    return 0


def credit_command(args: argparse.Namespace, db: Database) -> int:
    refund = parse_payment_method(args.refund) if args.refund else None
    with db.unit_of_work() as uow:
        done = credit_invoice(
            uow, args.number, args.reason, args.user, refund=refund, desk=args.desk
        )
        uow.commit()
    if args.json:
        with db.reader() as uow:
            print_json(invoice_to_json(show_invoice(uow, done.number)))
    else:
        print(done.number)
    return 0


def takings_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = takings(uow, args.date or shop_today(uow))
    if args.csv:
        text = takings_csv(view)
        if args.csv == "-":
            sys.stdout.write(text)
        else:
            Path(args.csv).write_text(text, encoding="utf-8")
    if args.json:
        print_json(takings_to_json(view))
    elif not args.csv or args.csv != "-":
        print(format_takings(view))
    return 0


def format_takings(view: Takings) -> str:
    money = partial(format_money, currency=view.currency)
    out = [_("Takings on {day}").format(day=format_day(view.day))]
    for row in view.rows:
        out.append(
            f"{row.desk[:20]:<20} {row.method.label[:14]:<14} {money(row.total):>16}  "
            + ", ".join(row.documents)
        )
    for method, amount in view.by_method.items():
        out.append(f"{method.label}: {money(amount)}")
    out.append(_("Total: {total}").format(total=money(view.total)))
    for cash in view.cash_ups:
        out.append(
            _(
                "Cash-up at {desk}: counted {counted}, expected {expected}, difference {difference}"
            ).format(
                desk=cash.desk,
                counted=money(cash.counted),
                expected=money(cash.expected),
                difference=money(cash.difference),
            )
        )
    return "\n".join(out)


def cash_up_command(args: argparse.Namespace, db: Database) -> int:
    counted = parse_amount(args.counted, "counted")
    if counted is None:
        raise ValidationError(_("Give the cash counted."), field="counted")
    with db.unit_of_work() as uow:
        day = args.date or shop_today(uow)
        done = cash_up(uow, day, args.desk, counted, args.user, note=args.note)
        uow.commit()
    view = done.view
    if args.json:
        print_json(
            {
                "date": view.day.isoformat(),
                "desk": view.desk,
                "expected": str(view.expected),
                "counted": str(view.counted),
                "difference": str(view.difference),
            }
        )
    else:
        print(
            _("Counted {counted}, expected {expected}, difference {difference}").format(
                counted=format_number(view.counted),
                expected=format_number(view.expected),
                difference=format_number(view.difference),
            )
        )
    return 0
