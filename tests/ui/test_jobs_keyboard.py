"""The Jobs list from the keyboard: Ctrl+2 lands in the list, every filter has its Alt
letter, and the order is chosen without the mouse."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.services.jobs.listing import JobColumn
from tests.ui.ops import wait_idle
from ui.context import AppContext
from ui.job_list import JobsView
from ui.main_window import MainWindow
from ui.models.job_table import COLUMN_KEYS
from ui.qt import QApplication, Qt, QWidget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_ctrl_2_lands_in_the_list_and_alt_letters_reach_every_filter(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=40))
    jobs = window.views["jobs"]
    assert isinstance(jobs, JobsView)
    jobs.model.reload()
    wait_idle(qtbot, context)
    assert window.search.hasFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is jobs
    qtbot.waitUntil(jobs.table.hasFocus)
    assert jobs.table.currentIndex().row() == 0  # a row is chosen: Down and Enter work at once

    for letter, control in (
        (Qt.Key.Key_L, jobs.search),
        (Qt.Key.Key_S, jobs.status),
        (Qt.Key.Key_T, jobs.technician),
        (Qt.Key.Key_D, jobs.device_type),
        (Qt.Key.Key_J, jobs.job_type),
        (Qt.Key.Key_F, jobs.date_from),
        (Qt.Key.Key_O, jobs.date_to),
        (Qt.Key.Key_B, jobs.sort_by),
    ):
        qtbot.keyClick(focused(), letter, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(control.hasFocus)
    for letter, box in (
        (Qt.Key.Key_V, jobs.overdue),
        (Qt.Key.Key_C, jobs.complaints_due),
    ):
        with qtbot.waitSignal(box.toggled):  # a check box's letter ticks it
            qtbot.keyClick(focused(), letter, Qt.KeyboardModifier.AltModifier)
        box.setChecked(False)
    wait_idle(qtbot, context)


def test_the_list_is_sorted_by_any_column_from_the_keyboard(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=40))
    jobs = window.show_view("jobs")
    assert isinstance(jobs, JobsView)
    jobs.model.reload()
    wait_idle(qtbot, context)
    customer = COLUMN_KEYS.index(JobColumn.CUSTOMER)
    jobs.sort_by.setFocus()
    qtbot.waitUntil(jobs.sort_by.hasFocus)
    while jobs.sort_by.currentIndex() < customer:
        qtbot.keyClick(jobs.sort_by, Qt.Key.Key_Down)
    wait_idle(qtbot, context)
    header = jobs.table.horizontalHeader()
    assert header.sortIndicatorSection() == customer
    assert jobs.model.order.column is JobColumn.CUSTOMER
    assert jobs.model.order.descending  # the direction shown stays

    qtbot.keyClick(focused(), Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not jobs.descending.isChecked())
    wait_idle(qtbot, context)
    assert jobs.model.order.column is JobColumn.CUSTOMER
    assert not jobs.model.order.descending
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    names = []
    for row in range(5):
        jobs.model.summary(row)
    wait_idle(qtbot, context)
    for row in range(5):
        summary = jobs.model.summary(row)
        assert summary is not None
        names.append(summary.customer_name)
    assert names == sorted(names)

    # A click on a heading shows in the controls too.
    header.setSortIndicator(COLUMN_KEYS.index(JobColumn.PROMISED), Qt.SortOrder.DescendingOrder)
    assert jobs.sort_by.currentIndex() == COLUMN_KEYS.index(JobColumn.PROMISED)
    assert jobs.descending.isChecked()
    wait_idle(qtbot, context)
