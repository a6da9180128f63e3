"""The first window of a start: up with the tiles' numbers and the desk's person before the
database layer, then the same window attached to the desk (its view built, scans working).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.bootstrap import open_database
from repairshop.db.connection import ServerConnection, save_password
from repairshop.db.engine import sqlite_file
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.services.database import Database
from repairshop.services.jobs.listing import JobFilter, job_ids, job_rows
from repairshop.services.reports.workload import dashboard_counts
from tests.helpers import postgres_schema
from tests.ui.conftest import MemoryKeyring
from tests.ui.ops import wait_idle
from ui.app import WindowKeeper, make_context
from ui.connection_dialog import save_connection
from ui.desk_state import SERVER_KEY, USER_KEY
from ui.intake import IntakeView
from ui.job_card import JobCard
from ui.main_window import LazyView, MainWindow
from ui.qt import QApplication, QLabel, QSettings, Qt
from ui.start import first_source, first_window


@pytest.fixture
def shop(shop_db: Database) -> Path:
    generate_demo(shop_db, DemoOptions(jobs=200, now=datetime.now(UTC)))  # tomas: a technician
    path = sqlite_file(shop_db.engine.url)
    assert path is not None
    return path


@pytest.fixture
def state(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


def first(qtbot: QtBot, shop: Path, state: QSettings) -> MainWindow:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = first_window(app, str(shop), state)
    assert window is not None
    qtbot.addWidget(window)
    return window


def test_the_first_window_shows_the_tiles_and_the_person_then_becomes_the_desk(
    qtbot: QtBot, shop: Path, shop_db: Database, state: QSettings
) -> None:
    state.setValue(USER_KEY, "tomas")
    window = first(qtbot, shop, state)
    assert window.isVisible()
    assert not window.is_attached
    counts = window.tiles.counts
    assert counts is not None
    ready = window.tiles.buttons[next(iter(counts.counts))]
    assert ready.text().split("\n")[0].replace(",", "").isdigit()
    assert window.user_label.text() == "Working as: tomas"
    hidden = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    shown = [t for i, t in enumerate(hidden) if window.tabs.isTabVisible(i)]
    assert "Reports" not in shown
    assert "Audit" not in shown
    assert "Intake" in shown
    opening = window.tabs.currentWidget()
    assert isinstance(opening, LazyView)
    assert opening.findChild(QLabel, "opening").text() == "Opening the shop's database…"
    assert window.search.hasFocus()

    with shop_db.reader() as uow:
        code = job_rows(uow, job_ids(uow, JobFilter())[:1])[0].code
    qtbot.keyClicks(window.search, code)  # scanned before the desk is ready: kept for it
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert not window.is_attached

    context = make_context(shop_db, state)
    try:
        keeper = WindowKeeper(context, window)
        assert keeper.window is window
        assert window.is_attached
        assert isinstance(window.tabs.currentWidget(), IntakeView)
        wait_idle(qtbot, context)
        assert window.tiles.counts is not counts  # read again by the database layer
        assert window.tiles.counts is not None
        assert window.tiles.counts.counts == counts.counts
        qtbot.waitUntil(lambda: isinstance(window.tabs.currentWidget(), JobCard))
        card = window.tabs.currentWidget()
        assert isinstance(card, JobCard)
        assert card.code == code

    finally:
        window.close()
        context.stop_watching()
        context.tasks.shutdown()


def test_a_missing_file_or_a_password_to_type_gets_no_first_window(
    qtbot: QtBot, shop: Path, state: QSettings, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert first_window(app, str(tmp_path / "mistyped.sqlite"), state) is None
    save_connection(state, ServerConnection("127.0.0.1", 1, "shop", "clerk"))
    state.setValue(f"{SERVER_KEY}/ask_password", "true")
    assert first_source(None, state) is None  # asked for first, by the usual start
    state.setValue(f"{SERVER_KEY}/ask_password", "false")
    source = first_source(None, state)
    assert isinstance(source, str)
    assert "port=1" in source
    assert "password" not in source  # a server that needs none: nothing kept, nothing asked
    save_password(ServerConnection("127.0.0.1", 1, "shop", "clerk"), "s3cret")
    source = first_source(None, state)
    assert isinstance(source, str)
    assert "password=s3cret" in source
    assert first_window(app, None, state) is None  # nothing answers there
    assert first_source(str(shop), state) == shop  # --db wins over the desk's server


@pytest.mark.postgres
def test_a_desk_on_the_shops_server_gets_its_first_window_from_the_server(
    qtbot: QtBot, state: QSettings
) -> None:
    with postgres_schema(migrated=True) as url:
        db = open_database(url)
        try:
            generate_demo(db, DemoOptions(jobs=60, now=datetime.now(UTC)))
            with db.reader() as uow:
                expected = dashboard_counts(uow).counts
        finally:
            db.dispose()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        window = first_window(app, url, state)
        assert window is not None
        qtbot.addWidget(window)
        assert window.tiles.counts is not None
        assert window.tiles.counts.counts == expected
        window.close()
