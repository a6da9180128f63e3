"""The app starts and quits cleanly offscreen; the search box has focus; state persists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.bootstrap import open_database
from repairshop.demo.jobs import DemoOptions, generate_demo
from tests.ui.ops import wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.qt import QApplication, QMessageBox, QSettings, Qt, QTimer
from ui.start import VIEWS, main


def test_main_starts_an_empty_shop_and_quits_cleanly(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    seen: list[str] = []

    def look_and_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w.windowTitle() for w in windows if w.isVisible())
        for found in windows:
            found.close()  # the last window closed ends the event loop, as for a person

    QTimer.singleShot(300, look_and_quit)
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    open_database(url).dispose()
    assert main(["--db", url, "--no-demo"]) == 0
    assert seen == ["RepairShop"]
    assert (tmp_path / "state" / "RepairShop" / "log" / "repairshop.log").is_file()


def test_every_view_is_a_tab_and_the_search_box_has_focus(window: MainWindow) -> None:
    assert window.windowTitle() == "RepairShop"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Intake",
        "Jobs",
        "My queue",
        "Parts",
        "Reports",
        "Settings",
        "Returns",
        "Messages",
        "Takings",
        "Audit",
    ]
    assert len(VIEWS) == 10
    assert window.search.hasFocus()


def test_ctrl_f_brings_the_search_box_back_from_anywhere(qtbot: QtBot, window: MainWindow) -> None:
    jobs = window.show_view("jobs")
    jobs.table.setFocus()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not window.search.hasFocus())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search.hasFocus)


def test_demo_data_fills_on_the_worker_and_every_view_refreshes(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    from ui.app import fill_demo

    jobs = window.views["jobs"]
    assert jobs.model.rowCount() == 0  # type: ignore[attr-defined]
    fill_demo(context, window, jobs=300)
    # The list shows its first page and counts the rest on the worker.
    qtbot.waitUntil(lambda: jobs.model.total == 300, timeout=20_000)  # type: ignore[attr-defined]
    wait_idle(qtbot, context)
    assert jobs.model.rowCount() == 200  # type: ignore[attr-defined]


def test_columns_sort_and_geometry_are_remembered(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=50))
    jobs = window.show_view("jobs")
    table = jobs.table  # type: ignore[attr-defined]
    table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    table.horizontalHeader().setSectionHidden(4, True)
    qtbot.waitUntil(lambda: table.job_model.code(0) is not None)
    first = table.job_model.code(0)
    window.close()
    again = MainWindow(context, VIEWS)
    qtbot.addWidget(again)
    table = again.views["jobs"].table  # type: ignore[attr-defined]
    assert table.horizontalHeader().isSectionHidden(4)
    assert table.horizontalHeader().sortIndicatorSection() == 3
    qtbot.waitUntil(lambda: table.job_model.code(0) is not None)
    assert table.job_model.code(0) == first


def test_void_qt_calls_do_not_use_up_none() -> None:
    """A Qt method that returns nothing must not take a reference from None on each call.

    PySide6 6.12.0 on Python 3.11 did (pyproject.toml excludes it): the count fell by one a
    call and Python aborted in none_dealloc after a few thousand calls. A fresh interpreter
    makes 100,000 such calls through the app's Qt and reports None's count before and after.
    """
    script = """
import sys
from ui.qt import QApplication, QLabel, QObject
app = QApplication([])
label, thing = QLabel(), QObject()
before = sys.getrefcount(None)
for number in range(50_000):
    label.setText("")
    thing.setObjectName("x")
print(before, sys.getrefcount(None))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    before, after = (int(count) for count in done.stdout.split())
    assert after >= before


def answer_new_database_question(answer: str, seen: list[str]) -> None:
    """Click ``answer`` in the question the app asks about a database file that is not there."""
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    box = next(w for w in boxes if w.isVisible())
    seen.append(box.text())
    Path("/tmp/repairshop-shots").mkdir(parents=True, exist_ok=True)
    box.grab().save("/tmp/repairshop-shots/new-database-question.png")
    next(b for b in box.buttons() if b.text() == answer).click()


def test_a_mistyped_db_path_is_not_made_into_a_new_shop_unless_asked(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    typo = tmp_path / "Shoop" / "shop.sqlite"
    seen: list[str] = []
    QTimer.singleShot(300, lambda: answer_new_database_question("Quit", seen))
    assert main(["--db", str(typo), "--no-demo"]) == 1
    assert not typo.parent.exists()
    assert str(typo) in seen[0]

    def quit_app() -> None:
        for found in [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]:
            found.close()

    QTimer.singleShot(300, lambda: answer_new_database_question("Create a new shop", seen))
    QTimer.singleShot(1500, quit_app)
    assert main(["--db", str(typo), "--no-demo"]) == 0
    assert typo.is_file()
