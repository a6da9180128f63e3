"""``repairshop settings show|set``: every setting by key, and one changed, checked."""

from __future__ import annotations

import argparse

from repairshop.commands.output import add_json, print_json
from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.shop.settings import all_settings, set_setting


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    settings = commands.add_parser("settings", help=_("the shop's settings"))
    actions = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show", help=_("every setting with its value and whether it is a default")
    )
    add_json(show)
    show.set_defaults(handler=show_command)
    change = actions.add_parser("set", help=_("change one setting (managers only)"))
    change.add_argument("key")
    change.add_argument("value")
    change.set_defaults(handler=set_command)


def show_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        values = all_settings(uow)
    if args.json:
        print_json(
            {item.key: {"value": item.typed(), "default": item.is_default} for item in values}
        )
        return 0
    width = max(len(item.key) for item in values)
    default = _("(default)")
    for item in values:
        value = item.value.replace("\n", " / ") or '""'
        print(f"{item.key:<{width}}  {value}  {default if item.is_default else ''}".rstrip())
    return 0


def set_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        set_setting(uow, args.key, args.value, args.user)
        uow.commit()
    return 0
