"""``repairshop backup FILE``, ``backup --auto``, ``backup --status`` and ``restore FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from repairshop.commands.output import print_json
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.shop.auto_backup import backup_status, record_backup, run_due_backup
from repairshop.services.shop.backup import backup, restore


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup_parser = commands.add_parser(
        "backup", help=_("copy the whole database, while in use, to a file")
    )
    backup_parser.add_argument("file", type=Path, nargs="?")
    backup_parser.add_argument("--overwrite", action="store_true", help=_("replace FILE"))
    backup_parser.add_argument(
        "--auto",
        action="store_true",
        help=_(
            "make the shop's automatic backup if one is due (for a scheduler), in --folder, "
            "keeping as many as the setting backup.keep says"
        ),
    )
    backup_parser.add_argument(
        "--folder", type=Path, help=_("where automatic backups go (default: beside the database)")
    )
    backup_parser.add_argument(
        "--status", action="store_true", help=_("when the newest backup was made")
    )
    backup_parser.add_argument("--json", action="store_true")
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
    if args.status:
        return _status(args, db)
    if args.auto:
        made = run_due_backup(db, args.folder)
        if made is None:
            print(_("No backup is due."))
        else:
            print(_("Backed up {rows} rows to {file}.").format(rows=made.rows, file=made.file))
            for gone in made.rotated:
                print(_("Deleted the old backup {file}.").format(file=gone))
        return 0
    if args.file is None:
        raise ValidationError(_("Name the backup file, or use --auto or --status."))
    with db.reader() as uow:
        moment = uow.now()
    result = backup(db, args.file, overwrite=args.overwrite)
    record_backup(db, moment, args.file.resolve())
    print(_("Backed up {rows} rows to {file}.").format(rows=result.rows, file=args.file))
    return 0


def _status(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        status = backup_status(uow)
    if args.json:
        print_json(
            {
                "last_at": None if status.last_at is None else status.last_at.isoformat(),
                "file": status.last_file,
                "overdue": status.overdue,
                "warn_days": status.warn_days,
            }
        )
    elif status.last_at is None:
        print(_("This shop has never been backed up."))
    else:
        print(
            _("The newest backup is {file}, made {at}.").format(
                file=status.last_file, at=status.last_at.strftime("%Y-%m-%d %H:%M UTC")
            )
        )
    return 0


def restore_command(args: argparse.Namespace, db: Database) -> int:
    result = restore(db, args.file, replace=args.replace)
    print(_("Restored {rows} rows from {file}.").format(rows=result.rows, file=args.file))
    return 0
