"""``repairshop user list|add``."""

from __future__ import annotations

import argparse

from repairshop.commands.output import add_json, print_json
from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.shop.users import add_user, list_users


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = commands.add_parser("user", help=_("users"))
    actions = users.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=_("active users"))
    add_json(listing)
    listing.set_defaults(handler=list_command)
    add = actions.add_parser("add", help=_("add a user (managers only)"))
    add.add_argument("login")
    add.add_argument("--name", required=True, help=_("name as shown on screen and receipts"))
    add.add_argument("--role", required=True, help=_("clerk, technician or manager"))
    add.set_defaults(handler=add_command)


def list_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        users = list_users(uow)
    if args.json:
        print_json([{"login": u.login, "name": u.display_name, "role": u.role} for u in users])
    else:
        for user in users:
            print(f"{user.login:<16} {user.role:<11} {user.display_name}")
    return 0


def add_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        add_user(uow, args.login, args.name, args.role, args.user)
        uow.commit()
    return 0
