"""``repairshop receipt``, ``repairshop label`` and ``repairshop print receipt|label``.

The printer, paper and label size belong to the workstation, so they are
options here (with environment variables for a workstation's scripts), never
shop settings in the database.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from repairshop.errors import ValidationError
from repairshop.i18n import LANGUAGES, _
from repairshop.printing.options import (
    DEFAULT_DPI,
    DEFAULT_LABEL_SIZE,
    LABEL_SIZES,
    PrintSettings,
    ReceiptPaper,
    check_copies,
    parse_label_size,
    parse_paper,
)
from repairshop.printing.printers import send_to_printer
from repairshop.services.database import Database

RECEIPT_PRINTER_VARIABLE = "REPAIRSHOP_RECEIPT_PRINTER"
LABEL_PRINTER_VARIABLE = "REPAIRSHOP_LABEL_PRINTER"
LABEL_SIZE_VARIABLE = "REPAIRSHOP_LABEL_SIZE"
RECEIPT_FORMAT_VARIABLE = "REPAIRSHOP_RECEIPT_FORMAT"
T = TypeVar("T")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    receipt = commands.add_parser("receipt", help=_("intake receipt as PDF"))
    receipt.add_argument("code", help=_("ticket code"))
    receipt.add_argument("--out", required=True, metavar="FILE.pdf", help=_("PDF file, or -"))
    _receipt_options(receipt)
    receipt.set_defaults(handler=receipt_command)

    label = commands.add_parser("label", help=_("device label as PDF, a page per label"))
    label.add_argument("code", help=_("ticket code"))
    label.add_argument("--out", required=True, metavar="FILE.pdf", help=_("PDF file, or -"))
    _label_options(label)
    label.set_defaults(handler=label_command)

    print_parser = commands.add_parser("print", help=_("print a receipt or a label"))
    what = print_parser.add_subparsers(dest="print_command", metavar="WHAT", required=True)
    print_receipt = what.add_parser("receipt", help=_("print the intake receipt"))
    print_receipt.add_argument("code", help=_("ticket code"))
    _printer_option(print_receipt, RECEIPT_PRINTER_VARIABLE)
    _receipt_options(print_receipt)
    print_receipt.set_defaults(handler=print_receipt_command)
    print_label = what.add_parser("label", help=_("print the device label"))
    print_label.add_argument("code", help=_("ticket code"))
    _printer_option(print_label, LABEL_PRINTER_VARIABLE)
    _label_options(print_label)
    print_label.set_defaults(handler=print_label_command)


def _printer_option(parser: argparse.ArgumentParser, variable: str) -> None:
    parser.add_argument(
        "--printer",
        metavar="NAME",
        default=os.environ.get(variable, ""),
        help=_("system printer (default: ${variable}, else the default printer)").format(
            variable=variable
        ),
    )


def _receipt_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        dest="paper",
        default=os.environ.get(RECEIPT_FORMAT_VARIABLE, ReceiptPaper.A4.value),
        type=_usage(parse_paper),
        metavar="|".join(paper.value for paper in ReceiptPaper),
        help=_("paper (default a4)"),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_("language (default: the customer's)"),
    )
    _dpi_option(parser)


def _label_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--size",
        default=os.environ.get(LABEL_SIZE_VARIABLE, DEFAULT_LABEL_SIZE),
        type=_usage(parse_label_size),
        metavar="SIZE",
        help=_("{names} or any WxHmm (default {default})").format(
            names=", ".join(LABEL_SIZES), default=DEFAULT_LABEL_SIZE
        ),
    )
    parser.add_argument(
        "--copies",
        type=_usage(_copies),
        default=1,
        metavar="N",
        help=_("labels to print (default 1)"),
    )
    _dpi_option(parser)


def _dpi_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dpi",
        type=int,
        default=DEFAULT_DPI,
        help=_("the printer's resolution, for the barcode (default {dpi})").format(dpi=DEFAULT_DPI),
    )


def _usage(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse ``type`` from a core parser: a refused value is bad usage (exit 2)."""

    def parse_argument(text: str) -> T:
        try:
            return parse(text)
        except ValidationError as error:
            raise argparse.ArgumentTypeError(error.message) from None

    return parse_argument


def _copies(text: str) -> int:
    try:
        return check_copies(int(text))
    except ValueError:
        raise ValidationError(_("Copies must be a whole number.")) from None


def _receipt(args: argparse.Namespace, db: Database) -> bytes:
    # argparse runs ``type`` on string defaults too, so these are parsed values.
    settings = PrintSettings(receipt_format=args.paper.value, receipt_dpi=args.dpi)
    from repairshop.printing.documents import job_receipt, load_job_for_printing

    return job_receipt(load_job_for_printing(db, args.code, args.user), settings, args.lang)


def _label(args: argparse.Namespace, db: Database) -> bytes:
    settings = PrintSettings(
        label_size=args.size.name, label_copies=args.copies, label_dpi=args.dpi
    )
    from repairshop.printing.documents import job_label, load_job_for_label

    return job_label(load_job_for_label(db, args.code, args.user), settings)


def _write(pdf: bytes, out: str) -> None:
    if out == "-":
        sys.stdout.buffer.write(pdf)
        sys.stdout.buffer.flush()
        return
    try:
        Path(out).write_bytes(pdf)
    except OSError as exc:
        raise ValidationError(
            _("Cannot write {file}: {reason}").format(file=out, reason=exc.strerror)
        ) from exc


def receipt_command(args: argparse.Namespace, db: Database) -> int:
    _write(_receipt(args, db), args.out)
    return 0


def label_command(args: argparse.Namespace, db: Database) -> int:
    _write(_label(args, db), args.out)
    return 0


def _report(request: str, printer: str) -> None:
    print(
        _("Sent to {printer}: {request}").format(
            printer=printer or _("the default printer"), request=request
        )
    )


def print_receipt_command(args: argparse.Namespace, db: Database) -> int:
    pdf = _receipt(args, db)
    title = _("Receipt {code}").format(code=args.code.strip().upper())
    _report(send_to_printer(pdf, args.printer or None, title), args.printer)
    return 0


def print_label_command(args: argparse.Namespace, db: Database) -> int:
    pdf = _label(args, db)
    title = _("Label {code}").format(code=args.code.strip().upper())
    _report(send_to_printer(pdf, args.printer or None, title), args.printer)
    return 0
