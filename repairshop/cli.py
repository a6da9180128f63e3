"""The ``repairshop`` command (DESIGN §4): the second wiring place beside ``ui/app.py``.

Exit status: 0 done; 1 refused (one line on stderr, nothing changed); 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from importlib.metadata import entry_points
from types import ModuleType

from repairshop import __version__
from repairshop.commands import (
    backup,
    complaints,
    database,
    jobs,
    parts,
    printing,
    reports,
    settings,
    users,
    warranty,
)
from repairshop.commands.argparse_texts import translate_argparse
from repairshop.errors import RepairShopError
from repairshop.i18n import _, set_ui_language, system_language
from repairshop.services.database import open_database

USER_VARIABLE = "REPAIRSHOP_USER"
DEFAULT_USER = "admin"

COMMAND_MODULES: tuple[ModuleType, ...] = (
    database,
    jobs,
    users,
    parts,
    printing,
    reports,
    backup,
    settings,
    warranty,
    complaints,
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
    try:
        db = open_database(args.db)
        try:
            return int(args.handler(args, db))
        finally:
            db.dispose()
    except RepairShopError as error:
        print(f"repairshop: {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("repairshop: interrupted; nothing more was saved."), file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
