"""Users: the people at the counter and the bench, how they sign in, and who may do what.

*Open shop*: while no active user has a password, every desk works as the person chosen at
it and no sign-in is asked for. The first password set must be an administrator's (so the
shop never locks everyone out); from then on the shop is *closed*: desks sign in and the
command line authenticates. Users are disabled, never deleted: their name stays on the
jobs and in the audit log.

Services check the acting person's role with :func:`require_permission` (those given an
actor's login) or :func:`require_actor` (those that act for the unit of work's actor).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from repairshop.db.tables import User
from repairshop.domain.passwords import (
    check_password,
    check_pin,
    hash_secret,
    sign_in_delay,
    verify_secret,
)
from repairshop.domain.roles import Permission, Role, may, parse_role, require
from repairshop.errors import NotFound, PermissionDenied, ValidationError
from repairshop.i18n import _
from repairshop.services.audit import Action, record
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.database import Database
from repairshop.services.uow import UnitOfWork

Sleeper = Callable[[float], None]
log = logging.getLogger(__name__)

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class UserView:
    id: int
    login: str
    display_name: str
    role: str
    active: bool
    has_password: bool = False
    has_pin: bool = False


def _view(user: User) -> UserView:
    return UserView(
        user.id,
        user.login,
        user.display_name,
        user.role,
        user.active,
        user.password_hash is not None,
        user.pin_hash is not None,
    )


def get_user(uow: UnitOfWork, login: str) -> User:
    user = uow.session.scalar(select(User).where(User.login == login.strip().lower()))
    if user is None or not user.active:
        raise NotFound(_("There is no user “{login}”.").format(login=login))
    return user


def list_users(uow: UnitOfWork, *, technicians_only: bool = False) -> list[UserView]:
    users = uow.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.display_name)
    ).all()
    return [
        _view(user)
        for user in users
        if not technicians_only or may(user.role, Permission.BE_ASSIGNED)
    ]


def require_permission(uow: UnitOfWork, actor: str, permission: Permission) -> User:
    """The active user ``actor``, refused with :class:`PermissionDenied` unless their role
    has ``permission``; they become the unit of work's actor if it has none yet."""
    user = get_user(uow, actor)
    require(user.role, permission, user.display_name)
    if uow.actor is None:
        uow.actor = user.login
    return user


def require_actor(uow: UnitOfWork, permission: Permission) -> None:
    """Refuse unless the unit of work's actor may; a unit of work for no person (set-up,
    the tests of a room) may."""
    if uow.actor is not None:
        require_permission(uow, uow.actor, permission)


def shop_is_open(uow: UnitOfWork) -> bool:
    """Whether no active user has a password yet: desks work unsigned, as the person chosen."""
    closed = select(User.id).where(User.active.is_(True), User.password_hash.is_not(None))
    return uow.session.scalar(closed.limit(1)) is None


def add_user(
    uow: UnitOfWork,
    login: str,
    display_name: str,
    role: str,
    actor: str | None,
    *,
    password: str | None = None,
) -> tuple[UserView, Changes]:
    """Create a user; ``actor`` None is for set-up (the first users, demo data)."""
    if actor is not None:
        require_permission(uow, actor, Permission.MANAGE_USERS)
    login = login.strip().lower()
    if not _LOGIN.match(login):
        raise ValidationError(
            _("A login is lower-case letters, digits, dots, dashes or underscores."),
            field="login",
        )
    if not display_name.strip():
        raise ValidationError(_("A user needs a name."), field="display_name")
    if uow.session.scalar(select(User.id).where(User.login == login)) is not None:
        raise ValidationError(_("The login “{login}” is taken.").format(login=login), field="login")
    user = User(
        login=login,
        display_name=display_name.strip(),
        role=parse_role(role).value,
        active=True,
        created_at=uow.now(),
    )
    uow.session.add(user)
    uow.flush()
    if password is not None:
        _set_password(uow, user, password)
    return _view(user), Changes(kinds=frozenset({ChangeKind.USER}))


def _user_changes(user: User) -> Changes:
    return Changes(kinds=frozenset({ChangeKind.USER}))


def set_password(uow: UnitOfWork, login: str, password: str, actor: str) -> Changes:
    """Set ``login``'s password: an administrator anyone's, anyone else only their own."""
    acting = get_user(uow, actor)
    user = get_user(uow, login)
    if acting.id != user.id:
        require_permission(uow, actor, Permission.MANAGE_USERS)
    _set_password(uow, user, password)
    return _user_changes(user)


def _set_password(uow: UnitOfWork, user: User, password: str) -> None:
    if user.role != Role.ADMIN and shop_is_open(uow):
        raise ValidationError(
            _(
                "The shop is open (nobody signs in yet). Set an administrator's password "
                "first; then the others'."
            ),
            field="password",
        )
    user.password_hash = hash_secret(check_password(password))
    user.failed_sign_ins = 0
    uow.flush()


def set_pin(uow: UnitOfWork, login: str, pin: str | None, actor: str) -> Changes:
    """Set (or with ``None`` remove) the PIN ``login`` switches to at a shared counter;
    a person sets their own, an administrator may only remove one."""
    acting = get_user(uow, actor)
    user = get_user(uow, login)
    if acting.id != user.id and pin is not None:
        raise PermissionDenied(
            _("Only {name} may choose their PIN.").format(name=user.display_name)
        )
    if acting.id != user.id:
        require_permission(uow, actor, Permission.MANAGE_USERS)
    user.pin_hash = None if pin is None else hash_secret(check_pin(pin))
    uow.flush()
    return _user_changes(user)


def disable_user(uow: UnitOfWork, login: str, actor: str) -> Changes:
    """Stop ``login`` signing in or being chosen; their jobs, history and log entries stay."""
    acting = require_permission(uow, actor, Permission.MANAGE_USERS)
    user = get_user(uow, login)
    if user.id == acting.id:
        raise ValidationError(_("You cannot disable yourself."), field="login")
    user.active = False
    uow.flush()
    return _user_changes(user)


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt; the caller commits it, then :meth:`accepted`."""

    user: UserView | None
    refusal: str = ""

    def accepted(self) -> UserView:
        """The person signed in, or :class:`PermissionDenied` with why not."""
        if self.user is None:
            raise PermissionDenied(self.refusal)
        return self.user


def sign_in(
    uow: UnitOfWork, login: str, secret: str, *, pin: bool = False, sleeper: Sleeper = time.sleep
) -> SignIn:
    """Check ``login``'s password (or PIN) and log the attempt.

    Each wrong attempt in a row makes the next check of that login wait longer
    (:func:`~repairshop.domain.passwords.sign_in_delay`) and is logged. In an open shop a
    person with no password (or no PIN) is let in, as the desk's chooser would. The caller
    commits (so a refusal is remembered too) and then calls :meth:`SignIn.accepted`.
    """
    key = login.strip().lower()
    user = uow.session.scalar(select(User).where(User.login == key))
    refusal = _("Wrong PIN.") if pin else _("The login or the password is wrong.")
    if user is None or not user.active:
        log.warning("sign-in refused: no active user %r", key)
        _log_sign_in(uow, key, Action.SIGN_IN_REFUSED, None, pin=pin)
        return SignIn(None, refusal)
    delay = sign_in_delay(user.failed_sign_ins)
    if delay:
        sleeper(delay)
    stored = user.pin_hash if pin else user.password_hash
    open_door = stored is None and shop_is_open(uow)
    if not open_door and not verify_secret(stored, secret):
        user.failed_sign_ins += 1
        log.warning(
            "sign-in refused for %r: wrong %s (%d in a row)",
            key,
            "PIN" if pin else "password",
            user.failed_sign_ins,
        )
        _log_sign_in(uow, key, Action.SIGN_IN_REFUSED, user, pin=pin)
        uow.flush()
        return SignIn(None, refusal)
    user.failed_sign_ins = 0
    uow.actor = user.login
    _log_sign_in(uow, key, Action.SIGNED_IN, user, pin=pin)
    uow.flush()
    return SignIn(_view(user))


def _log_sign_in(uow: UnitOfWork, login: str, action: str, user: User | None, *, pin: bool) -> None:
    changes: dict[str, list[object]] = {"method": [None, "pin" if pin else "password"]}
    if user is not None and action != Action.SIGNED_IN:
        changes["failures"] = [None, user.failed_sign_ins]
    record(
        uow.session,
        at=uow.now(),
        login=login,
        action=action,
        kind="sign_in",
        record_id=user.id if user is not None else "",
        label=login,
        changes=changes,
    )


def authenticate(
    db: Database, login: str, secret: str, *, pin: bool = False, sleeper: Sleeper = time.sleep
) -> UserView:
    """Sign ``login`` in on ``db`` in a transaction of its own (the command line's way): the
    attempt is kept even when refused, then a refusal raises :class:`PermissionDenied`."""
    with db.unit_of_work(actor=login.strip().lower()) as uow:
        outcome = sign_in(uow, login, secret, pin=pin, sleeper=sleeper)
        uow.commit()
    return outcome.accepted()
