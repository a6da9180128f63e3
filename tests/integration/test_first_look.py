"""A start's first look gives the tiles' numbers and the desk's person the database layer gives,
and steps aside (``None``) whenever the start must go the usual way."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from repairshop.db.engine import resolve_database_url, sqlite_file
from repairshop.db.location import (
    DATABASE_URL_VARIABLE,
    default_database_path,
    local_file,
    server_conninfo,
)
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.domain.opening_hours import OpeningHours
from repairshop.services.database import Database
from repairshop.services.first_look import FirstLook, first_look
from repairshop.services.reports.workload import dashboard_counts
from repairshop.services.shop.opening_hours import write_opening_hours
from repairshop.services.shop.users import add_user, disable_user, set_password
from tests.helpers import SettableClock


def file_of(db: Database) -> Path:
    path = sqlite_file(db.engine.url)
    assert path is not None
    return path


def source_of(db: Database) -> Path | str:
    """What a start's first look reads: the SQLite file, or the server's connection URI."""
    url = db.engine.url.render_as_string(hide_password=False)
    return server_conninfo(url) or file_of(db)


def look(db: Database, saved: str | None = None) -> FirstLook:
    found = first_look(source_of(db), saved, clock=db.clock)
    assert found is not None
    return found


@pytest.fixture
def demo(db: Database, clock: SettableClock) -> Database:
    """A demo shop on a SQLite file and on a PostgreSQL schema."""
    generate_demo(db, DemoOptions(jobs=400, now=clock()))
    return db


@pytest.mark.parametrize("zone", ["", "Europe/Prague", "America/New_York", "Pacific/Auckland"])
def test_the_tiles_are_the_numbers_the_database_layer_counts(
    demo: Database, clock: SettableClock, zone: str
) -> None:
    with demo.unit_of_work() as uow:
        write_opening_hours(uow, OpeningHours(timezone=zone))
        uow.commit()
    # Around the shop's midnight and the workstation's too, where "today" is decided.
    for hours in (0, 6, 14.5, 15, 23.5, 24, 47):
        clock.now = datetime(2026, 3, 10, 0, 0, tzinfo=UTC) + timedelta(hours=hours)
        with demo.reader() as uow:
            expected = dashboard_counts(uow)
        seen = look(demo).tiles
        assert (seen.counts, seen.filters, seen.today) == (
            expected.counts,
            expected.filters,
            expected.today,
        ), hours
    assert sum(expected.counts.values()) > 0  # the demo gives the tiles something to count


def test_the_desk_works_as_its_chosen_person_else_admin(demo: Database) -> None:
    with demo.unit_of_work() as uow:
        add_user(uow, "jana", "Jana Nováková", "technician", None)
        add_user(uow, "petr", "Petr Dvořák", "clerk", None)
        uow.commit()
    assert (look(demo, " Jana ").user, look(demo, " Jana ").role) == ("jana", "technician")
    assert (look(demo, "nobody").user, look(demo, "nobody").role) == ("admin", "admin")
    assert (look(demo).user, look(demo).role) == ("admin", "admin")
    with demo.unit_of_work() as uow:
        disable_user(uow, "petr", "admin")
        uow.commit()
    assert look(demo, "petr").user == "admin"  # left the shop: the desk falls back


def test_a_shop_whose_desks_sign_in_starts_the_usual_way(demo: Database) -> None:
    assert first_look(source_of(demo), None) is not None
    with demo.unit_of_work() as uow:
        set_password(uow, "admin", "correct horse battery", "admin")
        uow.commit()
    assert first_look(source_of(demo), None) is None


@pytest.mark.postgres
def test_a_server_that_does_not_answer_or_refuses_starts_the_usual_way() -> None:
    assert first_look("postgresql://desk@127.0.0.1:1/shop", None) is None  # nothing listens
    assert first_look("postgresql://postgres@127.0.0.1/no_such_shop_database", None) is None


def test_a_schema_to_migrate_a_missing_or_foreign_file_start_the_usual_way(
    sqlite_db: Database, tmp_path: Path
) -> None:
    path = file_of(sqlite_db)
    assert first_look(path, None) is not None  # an empty, current shop: zeros on the tiles
    assert first_look(tmp_path / "not-there.sqlite", None) is None
    assert not (tmp_path / "not-there.sqlite").exists()  # nothing made on the way
    assert first_look(None, None) is None  # a server
    foreign = tmp_path / "notes.sqlite"
    foreign.write_text("not a database", encoding="utf-8")
    assert first_look(foreign, None) is None
    sqlite_db.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    assert first_look(path, None) is None


@pytest.mark.parametrize(
    "given",
    [
        None,
        "/srv/shop/repair shop.sqlite",
        "relative/shop.sqlite",
        "sqlite:////srv/shop/repair%20shop.sqlite",
        "sqlite:///relative.sqlite",
        "postgresql://desk@server/shop",
        "postgresql+psycopg://desk:secret@server:5433/shop",
        "sqlite:///:memory:",
    ],
)
def test_the_first_look_opens_the_file_the_database_layer_opens(
    given: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)
    assert local_file(given) == sqlite_file(resolve_database_url(given))
    server = resolve_database_url(given).startswith("postgresql")
    assert (server_conninfo(given) is not None) == server
    monkeypatch.setenv(DATABASE_URL_VARIABLE, "sqlite:////srv/from-environment.sqlite")
    assert local_file(given) == sqlite_file(resolve_database_url(given))
    monkeypatch.delenv(DATABASE_URL_VARIABLE)
    assert local_file(None) == default_database_path()
