"""Python's garbage collector runs on the GUI thread only (ui/main_thread_gc.py): a Qt object
whose wrapper dies on the database worker would be destroyed there, and its destructor and
the GUI thread can then wait for each other for ever."""

from __future__ import annotations

import gc
import threading
from typing import Any

from pytestqt.qtbot import QtBot

from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.main_thread_gc import collect_on_main_thread
from ui.operations import ReadOp
from ui.qt import QApplication, QWidget


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_garbage_made_on_the_worker_is_collected_on_the_gui_thread(
    qtbot: QtBot, context: AppContext
) -> None:
    collector = collect_on_main_thread(QApplication.instance())  # type: ignore[arg-type]
    assert collect_on_main_thread(QApplication.instance()) is collector  # type: ignore[arg-type]
    assert not gc.isenabled()
    threads: list[str] = []

    def note(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    widget = QWidget()
    widget.cycle = widget  # type: ignore[attr-defined]  # only the collector can free it
    del widget
    done: list[int] = []

    def work(_uow: UnitOfWork) -> int:
        for _ in range(50_000):  # far past every threshold: Python would collect here
            Cycle()
        return 1

    gc.callbacks.append(note)
    try:
        ReadOp(context, None, work).success(done.append).run()
        qtbot.waitUntil(lambda: bool(done), timeout=10_000)
        qtbot.waitUntil(lambda: bool(threads), timeout=5_000)  # the timer's look
    finally:
        gc.callbacks.remove(note)
    assert set(threads) == {threading.main_thread().name}
