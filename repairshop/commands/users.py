"""``repairshop user list|add|passwd|disable``."""

from __future__ import annotations

import argparse
import getpass
import sys

from repairshop.commands.output import add_json, print_json
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.shop.users import (
    add_user,
    disable_user,
    list_users,
    set_password,
    set_pin,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = commands.add_parser("user", help=_("users"))
    actions = users.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=_("active users"))
    add_json(listing)
    listing.set_defaults(handler=list_command)
    add = actions.add_parser("add", help=_("add a user (administrators only)"))
    add.add_argument("login")
    add.add_argument("--name", required=True, help=_("name as shown on screen and receipts"))
    add.add_argument("--role", required=True, help=_("clerk, technician, manager or admin"))
    _password_stdin(add)
    add.set_defaults(handler=add_command)
    passwd = actions.add_parser(
        "passwd", help=_("set a password (your own, or anyone's as an administrator)")
    )
    passwd.add_argument("login")
    _password_stdin(passwd)
    passwd.set_defaults(handler=passwd_command)
    pin = actions.add_parser(
        "pin", help=_("choose your PIN for switching person at a shared counter")
    )
    pin.add_argument("login")
    pin.add_argument(
        "--pin-stdin", action="store_true", help=_("read the PIN from stdin instead of a prompt")
    )
    pin.add_argument(
        "--remove", action="store_true", help=_("take the PIN away (administrators only)")
    )
    pin.set_defaults(handler=pin_command)
    disable = actions.add_parser(
        "disable", help=_("stop a user signing in (their history stays; administrators only)")
    )
    disable.add_argument("login")
    disable.set_defaults(handler=disable_command)


def _password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the new password from the first line of stdin instead of a prompt"),
    )


def _new_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(_("New password for {login}: ").format(login=args.login))
    if getpass.getpass(_("The same password again: ")) != first:
        raise ValidationError(_("The two passwords differ; nothing was changed."))
    return first


def list_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        users = list_users(uow)
    if args.json:
        print_json(
            [
                {
                    "login": u.login,
                    "name": u.display_name,
                    "role": u.role,
                    "has_password": u.has_password,
                }
                for u in users
            ]
        )
    else:
        for user in users:
            print(f"{user.login:<16} {user.role:<11} {user.display_name}")
    return 0


def add_command(args: argparse.Namespace, db: Database) -> int:
    password = _new_password(args) if args.password_stdin else None
    with db.unit_of_work() as uow:
        add_user(uow, args.login, args.name, args.role, args.user, password=password)
        uow.commit()
    return 0


def passwd_command(args: argparse.Namespace, db: Database) -> int:
    password = _new_password(args)
    with db.unit_of_work() as uow:
        set_password(uow, args.login, password, args.user)
        uow.commit()
    print(_("The password of {login} is set.").format(login=args.login))
    return 0


def pin_command(args: argparse.Namespace, db: Database) -> int:
    if args.remove:
        pin = None
    elif args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass(_("New PIN for {login}: ").format(login=args.login))
    with db.unit_of_work() as uow:
        set_pin(uow, args.login, pin, args.user)
        uow.commit()
    return 0


def disable_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        disable_user(uow, args.login, args.user)
        uow.commit()
    print(_("{login} is disabled; their history stays.").format(login=args.login))
    return 0
