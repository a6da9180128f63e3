"""A bug at the desk: logged with its traceback (no passcode in it), shown with the log's path,
and the desk carries on; the built app's start check quits once the main window is up."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.bootstrap import open_database
from repairshop.logs import start_log, stop_log
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import JobFilter, count_jobs
from tests.helpers import intake_document
from tests.ui import ops
from ui.app import catch_bugs
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.qt import QApplication, QSettings, QTimer
from ui.start import main


def test_a_bug_is_logged_without_the_passcode_and_the_desk_carries_on(
    qtbot: QtBot,
    window: MainWindow,
    context: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    handler = start_log()
    context.log_path = handler.baseFilename
    previous_hook = sys.excepthook
    catch_bugs(context)
    try:
        try:
            raise KeyError(f"no job with passcode {'2580'}")
        except KeyError as bug:
            with qtbot.waitSignal(context.error_shown) as shown:
                sys.excepthook(type(bug), bug, bug.__traceback__)
    finally:
        sys.excepthook = previous_hook
        stop_log(handler)
    assert handler.baseFilename in str(shown.args[0])
    assert context.last_error is not None
    assert context.last_error.windowTitle() == "Unexpected error"
    text = Path(handler.baseFilename).read_text(encoding="utf-8")
    assert "KeyError" in text
    assert "Traceback (most recent call last)" in text
    assert "2580" not in text
    context.last_error.close()
    # The desk carries on: the next intake is saved and shows in the open window.
    before = ops.read(context, lambda uow: count_jobs(uow, JobFilter()))
    request = intake_request_from_json(intake_document())
    ops.write(qtbot, context, lambda uow: intake(uow, request, context.user), lambda r: r.changes)
    assert ops.read(context, lambda uow: count_jobs(uow, JobFilter())) == before + 1
    assert window.isVisible()


def test_the_start_check_quits_once_the_main_window_is_shown(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    gave_up: list[bool] = []

    def give_up() -> None:  # without the flag the app would wait for a person for ever
        gave_up.append(True)
        modal = QApplication.activeModalWidget()
        if modal is not None:  # a question nobody is there to answer
            modal.close()
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow):
                window.close()

    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(give_up)
    guard.start(60_000)
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    open_database(url, create=True).dispose()  # as the built-app check's `db upgrade` makes it
    try:
        assert main(["--db", url, "--no-demo", "--quit-when-shown"]) == 0
    finally:
        guard.stop()
    assert not gave_up
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert not app.windowIcon().isNull()
    log = tmp_path / "state" / "RepairShop" / "log" / "repairshop.log"
    assert "RepairShop 0.1.0" in log.read_text(encoding="utf-8")
