"""Backups in the app: the automatic one on the background lane, the banner on the main
window, and Back up / Restore in Settings for who may."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.services.changes import Changes
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import JobFilter, count_jobs
from repairshop.services.shop.auto_backup import backup_status, backups_in
from repairshop.services.shop.users import add_user
from tests.helpers import intake_document
from tests.ui import ops
from ui.backups import BackupKeeper, BackupPanel
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.operations import BackgroundOp, ReadOp
from ui.qt import QMessageBox
from ui.taskman import Progress


def take_in(qtbot: QtBot, context: AppContext) -> None:
    request = intake_request_from_json(intake_document())
    ops.write(qtbot, context, lambda uow: intake(uow, request, context.user), lambda r: r.changes)


def test_the_banner_warns_until_the_automatic_backup_is_made(
    qtbot: QtBot, window: MainWindow, context: AppContext, tmp_path: Path
) -> None:
    banner = window.backup_banner
    assert not banner.isVisible()  # a new shop has nothing to lose
    take_in(qtbot, context)
    qtbot.waitUntil(banner.isVisible, timeout=5_000)
    assert "never been backed up" in banner.label.text()
    keeper = BackupKeeper.of(context)
    assert keeper is BackupKeeper.of(context)  # one per desk, whatever window shows
    with qtbot.waitSignal(keeper.finished, timeout=10_000) as made:
        keeper.check()
    assert made.args is not None
    assert made.args[0] is not None
    assert backups_in(tmp_path / "backups") == [made.args[0].file]
    ops.wait_idle(qtbot, context)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5_000)


def test_a_failed_automatic_backup_is_said_on_the_banner(
    qtbot: QtBot, window: MainWindow, context: AppContext, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    keeper = BackupKeeper.of(context)
    keeper.folder = blocker / "backups"
    with qtbot.waitSignal(keeper.failed, timeout=10_000):
        keeper.check()
    assert "The automatic backup failed: Cannot write" in window.backup_banner.label.text()
    assert window.backup_banner.isVisible()
    assert context.last_error is None  # said on the banner, not in a box over the counter


def test_the_desk_does_not_wait_for_work_on_the_background_lane(
    qtbot: QtBot, context: AppContext
) -> None:
    release = threading.Event()

    def slow_backup(_db: Database, _progress: Progress) -> str:
        assert release.wait(timeout=30)
        return "done"

    finished: list[str] = []
    BackgroundOp(context, None, slow_backup, lambda _r: Changes()).success(finished.append).run()
    counted: list[int] = []
    ReadOp(context, None, lambda uow: count_jobs(uow, JobFilter()), counted.append).run()
    qtbot.waitUntil(lambda: counted == [0], timeout=5_000)  # while the backup still runs
    assert finished == []
    release.set()
    qtbot.waitUntil(lambda: finished == ["done"], timeout=5_000)


def test_a_manager_backs_up_and_restores_with_progress(
    qtbot: QtBot, context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *_args: QMessageBox.StandardButton.Ok)
    take_in(qtbot, context)
    panel = BackupPanel(context)
    qtbot.addWidget(panel)
    ops.wait_idle(qtbot, context)
    assert panel.backup_button.isEnabled()
    assert "never been backed up" in panel.status_label.text()
    file = tmp_path / "by-hand.sqlite"
    panel.back_up_to(file)
    ops.wait_idle(qtbot, context)
    assert file.is_file()
    assert str(file) in panel.status_label.text()
    status = ops.read(context, backup_status)
    assert status.last_file == str(file)

    take_in(qtbot, context)  # a second job, after the backup
    assert ops.read(context, lambda uow: count_jobs(uow, JobFilter())) == 2
    monkeypatch.setattr(panel, "confirm_restore", lambda _source: True)
    panel.restore_from(file)
    ops.wait_idle(qtbot, context)
    assert ops.read(context, lambda uow: count_jobs(uow, JobFilter())) == 1


def test_a_clerk_may_not_back_up_or_restore(qtbot: QtBot, context: AppContext) -> None:
    ops.write(
        qtbot,
        context,
        lambda uow: add_user(uow, "jana", "Jana Malá", "clerk", "admin"),
        lambda result: result[1],
    )
    context.set_user("jana")
    panel = BackupPanel(context)
    qtbot.addWidget(panel)
    ops.wait_idle(qtbot, context)
    assert not panel.backup_button.isEnabled()
    assert not panel.restore_button.isEnabled()
    assert "Only an administrator" in panel.status_label.text()
