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
from importlib.metadata import entry_points
from types import ModuleType

from repairshop import __version__
from repairshop.bootstrap import open_database
from repairshop.commands import audit as audit_log
from repairshop.commands import (
    backup,
    complaints,
    customer_returns,
    customers,
    database,
    devices,
    evidence,
    jobs,
    money,
    outbox,
    parts,
    printing,
    reports,
    rma,
    settings,
    users,
    warranty,
)
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

COMMAND_MODULES: tuple[ModuleType, ...] = (
    database,
    jobs,
    users,
    parts,
    money,
    printing,
    reports,
    backup,
    settings,
    warranty,
    rma,
    customer_returns,
    devices,
    complaints,
    outbox,
    customers,
    audit_log,
    evidence,
)
"""Each adds its sub-commands; a new room of the shop adds its module here."""


def build_parser() -> argparse.ArgumentParser:
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
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def start_gui(argv: Sequence[str]) -> int:
    """Start the desktop app through its entry point, so the core never imports Qt itself."""
    found = entry_points(group="gui_scripts", name="repairshop-gui")
    target = next(iter(found)).load() if found else import_module("ui.app").main
    return int(target(list(argv)) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_ui_language(system_language())
    translate_argparse()
    args = build_parser().parse_args(argv)
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
