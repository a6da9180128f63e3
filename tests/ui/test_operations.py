"""The one operation path: reads and writes off the GUI thread, one writer at a time, the
initiator passed along with the changes, and a desk that does not hear its own writes again."""

from __future__ import annotations

import re
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

from pytestqt.qtbot import QtBot

from repairshop.domain.statuses import JobStatus
from repairshop.services.changes import Changes
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import JobChanged, add_note, change_status, show_job
from repairshop.services.parts.job_parts import receive_part
from repairshop.services.parts.stock import PartInput, add_part
from repairshop.services.uow import UnitOfWork
from tests.helpers import intake_document
from tests.ui.ops import WAIT_MS, open_card, read, wait_idle, write
from ui.app import DEFAULT_USER, make_context
from ui.context import AppContext
from ui.desk_state import USER_KEY
from ui.main_window import MainWindow
from ui.operations import ReadOp, WriteOp
from ui.qt import QProgressDialog, QPushButton, QSettings, QTimer


def take_in(qtbot: QtBot, context: AppContext) -> str:
    request = intake_request_from_json(intake_document())
    return write(
        qtbot, context, lambda uow: intake(uow, request, "admin"), lambda r: r.changes
    ).code


def _changed(result: JobChanged) -> Changes:
    return result.changes


def press_cancel(dialog: QProgressDialog) -> None:
    button = dialog.findChild(QPushButton)
    assert button is not None
    assert button.text() == "Cancel"
    button.click()


def test_a_write_on_a_locked_database_leaves_the_window_working(
    qtbot: QtBot, context: AppContext
) -> None:
    code = take_in(qtbot, context)
    path = context.db.engine.url.database
    assert path is not None
    other_desk = sqlite3.connect(path, isolation_level=None)
    other_desk.execute("BEGIN IMMEDIATE")  # another desk holds the write lock
    try:
        done: list[JobChanged] = []
        WriteOp(
            context, None, lambda uow: add_note(uow, code, "Called the customer", "admin"), _changed
        ).success(done.append).run()
        ticks: list[int] = []
        QTimer.singleShot(0, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: bool(ticks))  # the event loop runs while the write waits
        assert done == []
        assert context.tasks.busy
    finally:
        other_desk.execute("ROLLBACK")  # the other desk lets go
        other_desk.close()
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert done[0].changes.job_ids


def test_reads_and_writes_run_on_one_worker_one_at_a_time(
    qtbot: QtBot, context: AppContext
) -> None:
    first_running = threading.Event()
    second_started = threading.Event()
    overlapped: list[bool] = []
    threads: set[int] = set()

    def first(_uow: UnitOfWork) -> None:
        threads.add(threading.get_ident())
        first_running.set()
        # Were ops run side by side, the second would start now; one at a time, it cannot.
        second_started.wait(timeout=2)
        first_running.clear()

    def second(_uow: UnitOfWork) -> None:
        threads.add(threading.get_ident())
        second_started.set()
        overlapped.append(first_running.is_set())

    WriteOp(context, None, first, lambda _none: Changes()).run()
    ReadOp(context, None, second).run()
    wait_idle(qtbot, context)
    assert overlapped == [False]
    assert len(threads) == 1
    assert threading.get_ident() not in threads  # never the GUI thread


def test_the_job_card_reloads_once_per_move_and_is_named_as_its_initiator(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context)
    card = open_card(qtbot, window, code)
    announced: list[object] = []
    context.changed.connect(lambda _changes, initiator: announced.append(initiator))
    loads: list[JobStatus] = []
    card.loaded.connect(lambda: loads.append(card.view.status))
    card.move_buttons[JobStatus.DIAGNOSING].click()
    wait_idle(qtbot, context)
    assert loads == [JobStatus.DIAGNOSING]
    assert announced == [card]

    card.note.setText("Screen replaced, glue curing")
    card.add_note()
    wait_idle(qtbot, context)
    assert len(loads) == 2
    assert card.note.text() == ""

    # Another view's change to the job still reloads the card, once.
    target = card.view.allowed_moves[0]
    write(qtbot, context, lambda uow: change_status(uow, code, target, "admin"), _changed)
    assert loads[2:] == [target]


def test_the_desk_watcher_announces_other_desks_writes_but_not_its_own(
    qtbot: QtBot, context: AppContext
) -> None:
    code = take_in(qtbot, context)
    context.watch_other_desks(interval_ms=3_600_000, listen=False)  # looks when the test asks
    wait_idle(qtbot, context)
    heard: list[Changes] = []
    context.changed.connect(lambda changes, initiator: heard.append(changes))

    write(qtbot, context, lambda uow: add_note(uow, code, "Own note", "admin"), _changed)

    def add_screen(uow: UnitOfWork) -> Changes:
        add_part(uow, PartInput(sku="SCR-1", name="Screen", price=Decimal("10")), "admin")
        return receive_part(uow, "SCR-1", 3, "admin").changes

    write(qtbot, context, add_screen, lambda changes: changes)
    assert len(heard) == 2  # each write announced once, by the op
    context.look_for_changes()
    wait_idle(qtbot, context)
    assert len(heard) == 2  # the watcher does not announce them again

    with context.db.unit_of_work() as uow:  # another desk
        other = add_note(uow, code, "Another desk's note", "admin")
        receive_part(uow, "SCR-1", 1, "admin")
        uow.commit()
    context.look_for_changes()
    wait_idle(qtbot, context)
    assert len(heard) == 3
    assert set(heard[2].job_ids) == set(other.changes.job_ids)
    assert heard[2].part_ids


def test_make_context_builds_the_whole_context_for_the_user_this_desk_chose(
    shop_db: Database, tmp_path: Path
) -> None:
    state = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    state.setValue(USER_KEY, "nobody-here")
    context = make_context(shop_db, state, log_path="/var/log/repairshop.log")
    try:
        assert context.user == DEFAULT_USER  # an unknown saved user falls back to admin
        assert context.tasks.parent() is context
        assert context.state is state
        assert context.log_path == "/var/log/repairshop.log"
    finally:
        context.tasks.shutdown()


def test_cancel_drops_a_long_read_and_rolls_back_a_write_not_yet_committed(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context)
    release = threading.Event()
    outcome: list[str] = []

    def slow_count(uow: UnitOfWork) -> int:
        release.wait(timeout=WAIT_MS / 1000)
        return 42

    ReadOp(context, window, slow_count).success(lambda _n: outcome.append("read")).cancelled(
        lambda: outcome.append("read cancelled")
    ).with_progress("Counting").run()
    dialog = window.findChild(QProgressDialog)
    assert dialog is not None
    press_cancel(dialog)  # the person presses Cancel while the read runs
    release.set()
    wait_idle(qtbot, context)
    assert outcome == ["read cancelled"]
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is None)

    release.clear()

    def slow_note(uow: UnitOfWork) -> JobChanged:
        changed = add_note(uow, code, "Never saved", "admin")
        release.wait(timeout=WAIT_MS / 1000)
        return changed

    WriteOp(context, window, slow_note, _changed).success(
        lambda _r: outcome.append("written")
    ).with_progress("Saving the note").run()
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is not None)
    dialog = window.findChild(QProgressDialog)
    assert dialog is not None
    press_cancel(dialog)  # before the commit: nothing is saved, nothing announced
    release.set()
    wait_idle(qtbot, context)
    assert outcome == ["read cancelled"]
    history = read(context, lambda uow: show_job(uow, code, "admin").history)
    assert "Never saved" not in [event.note for event in history]


def test_make_context_is_the_only_place_an_app_context_is_built() -> None:
    root = Path(__file__).resolve().parents[2]
    builders = sorted(
        str(path.relative_to(root))
        for folder in ("ui", "tests", "bench", "docs", "repairshop")
        for path in (root / folder).rglob("*.py")
        if re.search(r"(?<!class )\bAppContext\(", path.read_text(encoding="utf-8"))
        and path.name != "test_operations.py"
    )
    assert builders == ["ui/app.py"]
