"""How the command line proves who its ``--user`` is, once the shop is closed.

In an open shop (no passwords yet) a command works as ``--user`` says, as before. Once a
password is set, a command that writes — or reads as a role that may see more than a
clerk (passcodes, reports, the audit log) — signs ``--user`` in first, with the password
from ``REPAIRSHOP_PASSWORD`` or typed at a prompt; a wrong one is refused, slowed and logged
like one typed at a desk.
"""

from __future__ import annotations

import getpass
import os
import sys

from repairshop.domain.roles import Permission, Role, may
from repairshop.errors import PermissionDenied
from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.shop.users import authenticate, get_user, shop_is_open

PASSWORD_VARIABLE = "REPAIRSHOP_PASSWORD"
CLERK_MAY = frozenset(p for p in Permission if may(Role.CLERK, p))


class CommandLineSignIn:
    """The database's guard (:attr:`Database.guard`) for one command run as ``login``."""

    def __init__(self, db: Database, login: str) -> None:
        self._db = db
        self._login = login

    def install(self) -> None:
        self._db.actor = self._login
        self._db.guard = self

    def __call__(self, write: bool) -> None:
        db = self._db
        db.guard = None  # the checks below open units of work themselves
        with db.reader() as uow:
            if shop_is_open(uow):
                return
            role = get_user(uow, self._login).role
        if not write and not _sees_more_than_a_clerk(role):
            db.guard = self  # a later write still signs in
            return
        authenticate(db, self._login, _password(self._login))


def _sees_more_than_a_clerk(role: str) -> bool:
    return any(may(role, permission) for permission in Permission if permission not in CLERK_MAY)


def _password(login: str) -> str:
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is not None:
        return given
    try:
        if not sys.stdin.isatty():
            raise EOFError  # a script's stdin is its data, not a password
        return getpass.getpass(_("Password for {login}: ").format(login=login))
    except EOFError:
        raise PermissionDenied(
            _(
                "The shop is closed: {login} signs in. Give the password in {variable} "
                "or type it when asked."
            ).format(login=login, variable=PASSWORD_VARIABLE)
        ) from None
