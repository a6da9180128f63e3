"""Another desk's change reaches this desk's open views because its commit is heard.

The desk's safety-net look is an hour away, so only the commit listener (PostgreSQL
NOTIFY, SQLite data_version) can bring the change in: a broken notification path fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.bootstrap import open_database
from repairshop.db.tables import Customer
from repairshop.domain.statuses import JobStatus
from repairshop.services.changes import Changes
from repairshop.services.customers.card import set_consent
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import JobEdit, add_note, change_status, edit_job, show_job
from repairshop.services.money.takings import cash_up
from repairshop.services.parts.stock import PartInput, add_part, update_part
from repairshop.services.shop.opening_hours import shop_today
from tests.helpers import SettableClock, database, intake_document
from tests.ui.ops import open_card, read, wait_idle, write
from ui.context import AppContext
from ui.job_list import JobsView
from ui.main_window import MainWindow
from ui.money.takings_view import TakingsView
from ui.parts.parts_view import PartsView

WAIT_MS = 20_000
NO_POLLING_MS = 3_600_000


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with database(request.param, tmp_path, SettableClock(datetime.now(UTC))) as db:
        yield db


@pytest.fixture
def other_desk(shop_db: Database) -> Iterator[Database]:
    """Another workstation on the same database: its own engine, its own connections."""
    other = open_database(shop_db.engine.url.render_as_string(hide_password=False))
    yield other
    other.dispose()


def take_in(db: Database) -> str:
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    return code


def listen(qtbot: QtBot, context: AppContext) -> None:
    context.watch_other_desks(interval_ms=NO_POLLING_MS)
    qtbot.waitUntil(
        lambda: context.listener is not None and context.listener.listening.is_set(),
        timeout=WAIT_MS,
    )
    wait_idle(qtbot, context)


def test_another_desks_changes_reach_the_open_views(
    qtbot: QtBot, window: MainWindow, context: AppContext, other_desk: Database
) -> None:
    code = take_in(other_desk)
    card = open_card(qtbot, window, code)
    listen(qtbot, context)

    with other_desk.unit_of_work() as uow:  # moved at the bench
        change_status(uow, code, JobStatus.DIAGNOSING, "admin")
        uow.commit()
    qtbot.waitUntil(lambda: card.view.status is JobStatus.DIAGNOSING, timeout=WAIT_MS)

    jobs = window.show_view("jobs")
    assert isinstance(jobs, JobsView)
    qtbot.waitUntil(lambda: jobs.model.rowCount() == 1, timeout=WAIT_MS)
    tiles = window.tiles
    qtbot.waitUntil(lambda: tiles.counts is not None, timeout=WAIT_MS)
    assert tiles.counts is not None
    before = sum(tiles.counts.counts.values())
    take_in(other_desk)  # a second counter takes a device in
    qtbot.waitUntil(lambda: jobs.model.rowCount() == 2, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: tiles.counts is not None and sum(tiles.counts.counts.values()) > before,
        timeout=WAIT_MS,
    )

    parts = window.show_view("parts")
    assert isinstance(parts, PartsView)
    catalogue = parts.catalogue
    qtbot.waitUntil(lambda: catalogue.model.rowCount() == 0 and catalogue._loaded, timeout=WAIT_MS)
    with other_desk.unit_of_work() as uow:  # nothing on hand yet: no ledger line
        added = add_part(uow, PartInput(sku="GLASS-1", name="Tempered glass"), "admin")
        uow.commit()
    qtbot.waitUntil(
        lambda: catalogue.model.row_of(added.changes.part_ids[0]) is not None, timeout=WAIT_MS
    )


def test_a_card_being_edited_shows_the_conflict_instead(
    qtbot: QtBot, window: MainWindow, context: AppContext, other_desk: Database
) -> None:
    code = take_in(other_desk)
    card = open_card(qtbot, window, code)
    listen(qtbot, context)
    card.condition.setText("Like new")  # typed here, not saved yet

    with other_desk.unit_of_work() as uow:
        edit_job(uow, code, JobEdit(condition="Dent on the back"), "admin", expected_version=None)
        uow.commit()
    qtbot.waitUntil(card.conflict.isVisible, timeout=WAIT_MS)
    assert card.condition.text() == "Like new"  # what was typed stays


def test_the_desks_own_write_is_announced_once_while_another_desks_arrives(
    qtbot: QtBot, window: MainWindow, context: AppContext, other_desk: Database
) -> None:
    code = take_in(other_desk)
    listen(qtbot, context)
    heard: list[tuple[Changes, object]] = []
    context.changed.connect(lambda changes, initiator: heard.append((changes, initiator)))
    job_id = read(context, lambda uow: show_job(uow, code, "admin").id)

    write(qtbot, context, lambda uow: add_note(uow, code, "Own note", "admin"), lambda r: r.changes)
    with other_desk.unit_of_work() as uow:  # its announcement comes after any look at ours
        added = add_part(uow, PartInput(sku="CASE-2", name="Phone case"), "admin")
        uow.commit()
    qtbot.waitUntil(
        lambda: any(added.changes.part_ids == c.part_ids for c, _who in heard), timeout=WAIT_MS
    )
    wait_idle(qtbot, context)
    about_the_job = [changes for changes, _who in heard if job_id in changes.job_ids]
    assert len(about_the_job) == 1  # the op's own announcement, not the listener's again


def test_a_cash_up_at_another_desk_reaches_the_takings_view(
    qtbot: QtBot, window: MainWindow, context: AppContext, other_desk: Database
) -> None:
    take_in(other_desk)  # its deposit is today's takings at that desk
    view = window.show_view("takings")
    assert isinstance(view, TakingsView)
    qtbot.waitUntil(lambda: view.shown is not None, timeout=WAIT_MS)
    assert view.cash_ups.rowCount() == 0
    listen(qtbot, context)

    with other_desk.unit_of_work() as uow:  # the other counter closes its day
        today = shop_today(uow)
        cash_up(uow, today, "back", Decimal(500), "admin")
        uow.commit()
    qtbot.waitUntil(lambda: view.cash_ups.rowCount() == 1, timeout=WAIT_MS)


def test_edits_that_add_no_history_line_reach_the_open_parts_list_and_card(
    qtbot: QtBot, window: MainWindow, context: AppContext, other_desk: Database
) -> None:
    """A part's new name and a customer's new name and consent add no history or ledger
    line: on SQLite the audit log tells of them, on PostgreSQL the commit notice."""
    code = take_in(other_desk)
    with other_desk.unit_of_work() as uow:
        added = add_part(uow, PartInput(sku="LCD-7", name="Display"), "admin")
        uow.commit()
    part_id = added.changes.part_ids[0]
    card = open_card(qtbot, window, code)
    parts = window.show_view("parts")
    assert isinstance(parts, PartsView)
    catalogue = parts.catalogue

    def shown_name() -> str | None:
        row = catalogue.model.row_of(part_id)
        part = None if row is None else catalogue.model.part(row)
        return None if part is None else part.name

    qtbot.waitUntil(lambda: shown_name() == "Display", timeout=WAIT_MS)
    listen(qtbot, context)

    with other_desk.unit_of_work() as uow:  # the other counter names the part better
        update_part(uow, PartInput(sku="LCD-7", name="Display, OLED", reorder_level=2), "admin")
        uow.commit()
    qtbot.waitUntil(lambda: shown_name() == "Display, OLED", timeout=WAIT_MS)

    customer_id = card.view.customer.id
    consent = card.view.customer.consent_to_contact
    with other_desk.unit_of_work() as uow:  # the customer card at the other counter
        set_consent(uow, customer_id, not consent, "admin")
        customer = uow.session.get(Customer, customer_id)
        assert customer is not None
        customer.name = "Jana Nováková-Dvořáková"  # married since
        uow.commit()
    qtbot.waitUntil(lambda: card.view.customer.name == "Jana Nováková-Dvořáková", timeout=WAIT_MS)
    assert card.view.customer.consent_to_contact is not consent
