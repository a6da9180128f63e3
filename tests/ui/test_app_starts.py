"""The desktop app starts on a new database with demo data and finds a job."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from repairshop.services.database import open_database
from repairshop.services.demo import DemoOptions, generate_demo
from ui.app import MainWindow


def test_the_search_box_has_focus_and_finds_jobs(qtbot: QtBot, tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'ui.sqlite'}")
    generate_demo(db, DemoOptions(jobs=200))
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.windowTitle() == "RepairShop"
    qtbot.waitUntil(window.search.hasFocus)
    qtbot.keyClicks(window.search, "R000042")
    assert window.results.count() == 1
    assert window.results.item(0).text().startswith("R000042")
    db.dispose()
