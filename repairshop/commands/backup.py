"""``repairshop backup FILE`` and ``repairshop restore FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.shop.backup import backup, restore


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup_parser = commands.add_parser(
        "backup", help=_("copy the whole database, while in use, to a file")
    )
    backup_parser.add_argument("file", type=Path)
    backup_parser.add_argument("--overwrite", action="store_true", help=_("replace FILE"))
    backup_parser.set_defaults(handler=backup_command)
    restore_parser = commands.add_parser(
        "restore", help=_("replace the database's contents with a backup")
    )
    restore_parser.add_argument("file", type=Path)
    restore_parser.add_argument(
        "--replace", action="store_true", help=_("allowed to replace existing jobs")
    )
    restore_parser.set_defaults(handler=restore_command)


def backup_command(args: argparse.Namespace, db: Database) -> int:
    result = backup(db, args.file, overwrite=args.overwrite)
    print(_("Backed up {rows} rows to {file}.").format(rows=result.rows, file=args.file))
    return 0


def restore_command(args: argparse.Namespace, db: Database) -> int:
    result = restore(db, args.file, replace=args.replace)
    print(_("Restored {rows} rows from {file}.").format(rows=result.rows, file=args.file))
    return 0
