"""People sign in: argon2 hashes, the open shop until an administrator sets a password, wrong
attempts slowed and logged, PINs for a shared counter, users disabled and never deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from repairshop.db.tables import AuditEntry, User
from repairshop.domain.passwords import sign_in_delay
from repairshop.errors import NotFound, PermissionDenied, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.shop.users import (
    add_user,
    authenticate,
    disable_user,
    get_user,
    list_users,
    set_password,
    set_pin,
    shop_is_open,
    sign_in,
)
from tests.helpers import intake_document


class Sleeps:
    """Stands in for ``time.sleep``: remembers each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _people(db: Database) -> None:
    with db.unit_of_work() as uow:
        add_user(uow, "tomas", "Tomáš Hrubý", "technician", "admin")
        add_user(uow, "petra", "Petra Malá", "clerk", "admin")
        uow.commit()


def _close_shop(db: Database) -> None:
    with db.unit_of_work() as uow:
        set_password(uow, "admin", "counter-2026", "admin")
        set_password(uow, "tomas", "bench-2026!", "admin")
        uow.commit()


def test_the_shop_is_open_until_an_administrator_sets_a_password(db: Database) -> None:
    _people(db)
    with db.unit_of_work() as uow:
        assert shop_is_open(uow)
        with pytest.raises(ValidationError, match="administrator's password first"):
            set_password(uow, "tomas", "bench-2026!", "admin")
        assert sign_in(uow, "petra", "", sleeper=Sleeps()).accepted().login == "petra"
    _close_shop(db)
    with db.reader() as uow:
        assert not shop_is_open(uow)
        stored = uow.session.scalar(select(User.password_hash).where(User.login == "tomas"))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert "bench-2026!" not in stored


def test_a_sign_in_checks_the_password_and_wrong_ones_wait_longer_each_time(
    db: Database,
) -> None:
    _people(db)
    _close_shop(db)
    sleeps = Sleeps()
    for _attempt in range(3):
        with pytest.raises(PermissionDenied, match="login or the password is wrong"):
            authenticate(db, "tomas", "guess", sleeper=sleeps)
    assert sleeps.waits == [sign_in_delay(1), sign_in_delay(2)] == [0.5, 1.0]
    assert authenticate(db, "tomas", "bench-2026!", sleeper=sleeps).login == "tomas"
    assert sleeps.waits[-1] == 2.0
    with pytest.raises(PermissionDenied):
        authenticate(db, "tomas", "guess", sleeper=sleeps)
    assert sleeps.waits[-1] == 2.0  # the good one started the count again: no wait this time
    assert sign_in_delay(20) == 30.0

    with db.reader() as uow:
        logged = uow.session.scalars(
            select(AuditEntry.action).where(AuditEntry.record_kind == "sign_in")
        ).all()
    assert logged.count("sign_in_refused") == 4
    assert logged.count("signed_in") == 1


def test_a_person_without_a_password_cannot_sign_in_once_the_shop_is_closed(
    db: Database,
) -> None:
    _people(db)
    _close_shop(db)
    with pytest.raises(PermissionDenied):
        authenticate(db, "petra", "", sleeper=Sleeps())
    with pytest.raises(PermissionDenied):
        authenticate(db, "nobody", "x", sleeper=Sleeps())


def test_a_pin_switches_the_person_and_only_its_owner_chooses_it(db: Database) -> None:
    _people(db)
    _close_shop(db)
    with db.unit_of_work() as uow:
        with pytest.raises(PermissionDenied, match="Only Tomáš Hrubý may choose their PIN"):
            set_pin(uow, "tomas", "1234", "admin")
        with pytest.raises(ValidationError, match="4 to 8 digits"):
            set_pin(uow, "tomas", "12a4", "tomas")
        set_pin(uow, "tomas", "4711", "tomas")
        uow.commit()
    with pytest.raises(PermissionDenied, match="Wrong PIN"):
        authenticate(db, "tomas", "1234", pin=True, sleeper=Sleeps())
    assert authenticate(db, "tomas", "4711", pin=True, sleeper=Sleeps()).login == "tomas"
    with db.unit_of_work() as uow:
        set_pin(uow, "tomas", None, "admin")  # an administrator may take a forgotten one away
        uow.commit()
    with pytest.raises(PermissionDenied):
        authenticate(db, "tomas", "4711", pin=True, sleeper=Sleeps())


def test_a_disabled_user_is_kept_with_their_jobs_but_cannot_sign_in(db: Database) -> None:
    _people(db)
    _close_shop(db)
    with (
        db.unit_of_work() as uow,
        pytest.raises(PermissionDenied, match="Tomáš Hrubý \\(Technician\\) may not"),
    ):
        disable_user(uow, "petra", "tomas")
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "tomas").code
        disable_user(uow, "tomas", "admin")
        with pytest.raises(ValidationError, match="cannot disable yourself"):
            disable_user(uow, "admin", "admin")
        uow.commit()
    with db.reader() as uow:
        assert "tomas" not in [user.login for user in list_users(uow)]
        with pytest.raises(NotFound):
            get_user(uow, "tomas")
        assert uow.session.scalar(select(User.active).where(User.login == "tomas")) is False
        assert code
    with pytest.raises(PermissionDenied):
        authenticate(db, "tomas", "bench-2026!", sleeper=Sleeps())
