"""The job card: its history in the shop's time zone, and no message for a collected job."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from repairshop.domain.opening_hours import OpeningHours
from repairshop.domain.statuses import JobStatus
from repairshop.i18n import format_moment
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from repairshop.services.shop.opening_hours import write_opening_hours
from tests.helpers import collect_paid, intake_document
from tests.ui.ops import open_card, wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow

SHOTS = Path("/tmp/repairshop-shots")


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_card_history_is_in_the_shops_zone(
    qtbot: QtBot, window: MainWindow, context: AppContext, new_york: None
) -> None:
    with context.db.unit_of_work() as uow:
        write_opening_hours(uow, OpeningHours(timezone="Europe/Prague"))
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    card = open_card(qtbot, window, code)
    taken_in = card.view.history[0].at
    history = card.history.item(card.history.count() - 1).text()
    prague = format_moment(taken_in, tz=ZoneInfo("Europe/Prague"))
    assert history.startswith(f"{prague} · ")
    assert format_moment(taken_in, tz=ZoneInfo("America/New_York")) not in history
    assert prague in card.device.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    card.window().grab().save(str(SHOTS / "card-prague-time.png"))


def test_the_card_says_why_a_collected_job_has_no_message(
    qtbot: QtBot, window: MainWindow, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(context, "show_error", lambda _parent, error: shown.append(str(error)))
    with context.db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        for status in (JobStatus.DIAGNOSING, JobStatus.CANCELLED, JobStatus.READY):
            change_status(uow, code, status, "admin")
        collect_paid(uow, code)
        uow.commit()
    card = open_card(qtbot, window, code)
    card.message_customer()
    qtbot.waitUntil(lambda: bool(shown))  # the shop's settings are read first
    wait_idle(qtbot, context)
    assert len(shown) == 1
    assert shown[0].startswith(f"Job {code} was collected on ")
