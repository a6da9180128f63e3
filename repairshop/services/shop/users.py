"""Users: the people at the counter and the bench."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from repairshop.db.tables import User
from repairshop.domain.roles import Permission, may, parse_role, require
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.uow import UnitOfWork

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class UserView:
    id: int
    login: str
    display_name: str
    role: str
    active: bool


def _view(user: User) -> UserView:
    return UserView(user.id, user.login, user.display_name, user.role, user.active)


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


def add_user(
    uow: UnitOfWork, login: str, display_name: str, role: str, actor: str | None
) -> tuple[UserView, Changes]:
    """Create a user; ``actor`` None is for set-up (the first users, demo data)."""
    if actor is not None:
        manager = get_user(uow, actor)
        require(manager.role, Permission.MANAGE_USERS, manager.display_name)
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
    return _view(user), Changes(kinds=frozenset({ChangeKind.USER}))
