"""Moments are shown in the shop's time zone (``opening_hours.timezone``), not the workstation's."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from repairshop.bootstrap import open_database
from repairshop.domain.opening_hours import OpeningHours
from repairshop.services.shop.opening_hours import write_opening_hours
from tests.helpers import postgres_schema
from tests.integration.test_cli import EXAMPLE, Shop

PRAGUE = ZoneInfo("Europe/Prague")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shop]:
    if request.param == "sqlite":
        yield Shop(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    else:
        with postgres_schema() as url:
            yield Shop(url)


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process and the commands it runs on a workstation set to New York time."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def in_prague(shop: Shop) -> None:
    db = open_database(shop.url)
    try:
        with db.unit_of_work() as uow:
            write_opening_hours(uow, OpeningHours(timezone="Europe/Prague"))
            uow.commit()
    finally:
        db.dispose()


def test_job_show_and_parts_show_give_the_shops_time_not_the_workstations(
    shop: Shop, new_york: None
) -> None:
    assert shop.run("db", "upgrade").returncode == 0
    in_prague(shop)
    code = shop.run("intake", str(EXAMPLE)).stdout.strip()
    assert shop.run("parts", "add", "BAT-1", "--name", "Battery").returncode == 0
    assert shop.run("parts", "receive", "BAT-1", "2").returncode == 0

    taken_in = datetime.fromisoformat(shop.json("job", "show", code)["history"][0]["at"])
    shown = shop.run("job", "show", code).stdout
    part = shop.run("parts", "show", "BAT-1").stdout
    received = datetime.fromisoformat(shop.json("parts", "show", "BAT-1")["movements"][0]["at"])

    prague, new_york_time = (
        taken_in.astimezone(PRAGUE),
        taken_in.astimezone(ZoneInfo("America/New_York")),
    )
    assert f"  {prague:%Y-%m-%d %H:%M}  admin" in shown
    assert f"{new_york_time:%Y-%m-%d %H:%M}" not in shown
    assert f"  {received.astimezone(PRAGUE):%Y-%m-%d %H:%M}  admin" in part
