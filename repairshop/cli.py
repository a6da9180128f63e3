"""The ``repairshop`` command (ARCHITECTURE.md): the second wiring place beside ``ui/app.py``.

Exit status: 0 done; 1 refused (one line on stderr, nothing changed); 2 bad usage;
141 the output's reader went away (`| head`), quietly, as other commands do.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from types import ModuleType

from repairshop import __version__
from repairshop.bootstrap import open_database
from repairshop.commands.argparse_texts import translate_argparse
from repairshop.commands.sign_in import CommandLineSignIn
from repairshop.errors import RepairShopError
from repairshop.i18n import _, set_ui_language, system_language
from repairshop.logs import CLI_LOG, loggable, start_log, stop_log
from repairshop.services.database import names_default_database

USER_VARIABLE = "REPAIRSHOP_USER"
SIGPIPE_STATUS = 141
"""128 + SIGPIPE: what a shell reports for a command whose reader went away."""
DEFAULT_USER = "admin"

log = logging.getLogger(__name__)

COMMAND_MODULES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "database",
        (("db", "database schema"), ("demo", "fill an empty database with demo data")),
    ),
    (
        "jobs",
        (
            ("intake", "take in a device from a JSON document"),
            ("job", "show, move, assign and find jobs"),
        ),
    ),
    ("users", (("user", "users"),)),
    ("parts", (("parts", "the parts catalogue, stock and orders"),)),
    (
        "money",
        (
            ("invoice", "invoices, credit notes, handover documents"),
            ("takings", "the day's takings per desk and payment method"),
            ("cashup", "record the cash counted at a desk"),
            ("services", "the price list of services"),
        ),
    ),
    (
        "printing",
        (
            ("receipt", "intake receipt as PDF"),
            ("label", "device label as PDF, a page per label"),
            ("print", "print a receipt or a label"),
        ),
    ),
    ("reports", (("report", "turnaround and workload reports"),)),
    (
        "backup",
        (
            ("backup", "copy the whole database, while in use, to a file"),
            ("restore", "replace the database's contents with a backup"),
        ),
    ),
    ("settings", (("settings", "the shop's settings"),)),
    ("warranty", (("warranty", "the warranty decided at intake"),)),
    ("rma", (("rma", "parts going back to a supplier (RMA)"),)),
    ("customer_returns", (("return", "goods the shop sold that a customer brings back"),)),
    ("devices", (("device", "a device's history across visits"),)),
    (
        "complaints",
        (("complaint", "complaints about earlier jobs and their legal deadlines"),),
    ),
    ("outbox", (("outbox", "messages to customers: the log, and sending"),)),
    (
        "customers",
        (
            ("customer", "the customer card, merging, GDPR requests"),
            ("feedback", "customers' feedback after collection"),
            ("privacy", "the retention rules for personal data"),
        ),
    ),
    ("audit", (("audit", "the audit log: every change and sign-in"),)),
    (
        "evidence",
        (
            ("loaner", "devices the shop lends while it repairs"),
            ("checklist", "the device's condition, point by point, before and after"),
        ),
    ),
)
"""Each module of :mod:`repairshop.commands` with the commands it adds and their help (the
module's own text, translated from its catalogue entry), in the order ``repairshop --help``
lists them; a new room of the shop adds its module here.

A command's module is imported only to run it (or show its own help): the command line
loads one room's code, not every room's. ``tests/integration/test_cli_lazy.py`` checks
this table against what each module registers."""


def command_module(name: str) -> ModuleType:
    return import_module(f"repairshop.commands.{name}")


def build_parser(command: str | None = None, *, every: bool = False) -> argparse.ArgumentParser:
    """The parser; only the module of ``command`` (or with ``every``, each) adds its
    sub-commands' arguments, the others a stand-in with their name and help."""
    parser = argparse.ArgumentParser(
        prog="repairshop",
        description=_("RepairShop: counter and workshop software for repair service centres."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"RepairShop {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help=_("database URL or SQLite file (overrides REPAIRSHOP_DATABASE_URL)"),
    )
    parser.add_argument(
        "--user",
        metavar="LOGIN",
        default=os.environ.get(USER_VARIABLE, DEFAULT_USER),
        help=_("who does this (default: $REPAIRSHOP_USER or admin)"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module, names in COMMAND_MODULES:
        if every or any(name == command for name, _help in names):
            command_module(module).register(commands)
        else:
            for name, help_text in names:
                commands.add_parser(name, help=_(help_text), add_help=False)
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The arguments, read in two steps: which command (every command a stand-in), then its
    arguments with its module's parser. Help and errors read as from one parser."""
    chosen, _rest = build_parser().parse_known_args(argv)
    if chosen.command is None:
        return build_parser().parse_args(argv)
    return build_parser(chosen.command).parse_args(argv)


def start_gui(argv: Sequence[str]) -> int:
    """Start the desktop app by its module's name, so the core never imports Qt itself (and
    without reading the installed entry points: a tenth of a second, and stale in a checkout
    installed before the entry point moved)."""
    return int(import_module("ui.start").main(list(argv)) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_ui_language(system_language())
    translate_argparse()
    args = parse(argv)
    if args.command is None:
        return start_gui(argv)
    # Only `db upgrade` makes a new database anywhere; `demo` makes one at the default
    # location (a fresh install), as the app's first start does.
    create = args.command == "db" or (args.command == "demo" and names_default_database(args.db))
    handler = start_log(CLI_LOG)
    log.info("repairshop %s", args.command)
    try:
        db = open_database(args.db, create=create)
        CommandLineSignIn(db, args.user).install()
        try:
            status = int(args.handler(args, db))
            sys.stdout.flush()
            return status
        finally:
            db.dispose()
    except BrokenPipeError:
        # The reader stopped reading (`repairshop job find x | head`): end quietly, as
        # `cat` does, with stdout pointed away so the interpreter's last flush is quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return SIGPIPE_STATUS
    except RepairShopError as error:
        log.info("refused: %s", loggable(error.message))
        print(f"repairshop: {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("repairshop: interrupted; nothing more was saved."), file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in repairshop %s", args.command)
        message = _("Something went wrong that RepairShop did not expect. Details are in {path}.")
        print(f"repairshop: {message.format(path=handler.baseFilename)}", file=sys.stderr)
        return 1
    finally:
        stop_log(handler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
