"""My queue offers new work: jobs nobody has taken, waiting for a technician; Take it is mine."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import show_job
from tests.helpers import intake_document
from tests.ui.ops import read, wait_idle, write
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.job_table import JobTableModel
from ui.my_queue import QueueView
from ui.qt import Qt


def take_in(qtbot: QtBot, context: AppContext, **overrides: object) -> str:
    request = intake_request_from_json(intake_document(**overrides))
    return write(
        qtbot, context, lambda uow: intake(uow, request, "admin"), lambda r: r.changes
    ).code


def codes(qtbot: QtBot, context: AppContext, model: JobTableModel) -> list[str | None]:
    wait_idle(qtbot, context)
    for row in range(model.rowCount()):
        model.summary(row)
    wait_idle(qtbot, context)
    return [model.code(row) for row in range(model.rowCount())]


def test_a_technician_takes_new_work_from_my_queue_with_the_keyboard(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    mine = take_in(qtbot, context, assignee="admin")
    new = take_in(qtbot, context)
    queue = window.show_view("queue")
    assert isinstance(queue, QueueView)
    assert codes(qtbot, context, queue.model) == [mine]
    assert codes(qtbot, context, queue.waiting_model) == [new]
    assert "1 job nobody has taken" in queue.waiting_heading.text()
    assert not queue.take_button.isEnabled()  # nothing chosen yet

    queue.waiting.setFocus()
    qtbot.keyClick(queue.waiting, Qt.Key.Key_Down)
    assert queue.waiting.current_code() == new
    assert queue.take_button.isEnabled()
    with qtbot.waitSignal(queue.take_button.clicked):  # a mnemonic presses after a flash
        qtbot.keyClick(queue.waiting, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    wait_idle(qtbot, context)

    assert read(context, lambda uow: show_job(uow, new, "admin").assignee) == "admin"
    assert sorted(c or "" for c in codes(qtbot, context, queue.model)) == sorted([mine, new])
    assert codes(qtbot, context, queue.waiting_model) == []
    assert "0 jobs nobody has taken" in queue.waiting_heading.text()
    # The job taken is the one chosen in my queue, its moves at hand.
    assert queue.table.hasFocus()
    assert queue.table.current_code() == new
    wait_idle(qtbot, context)
    assert queue.move_buttons
