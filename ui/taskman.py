"""One worker thread for long actions (demo data, big exports), with progress and Cancel.

Like Anki's ``taskman``: work runs off the GUI thread, one task at a time (so
only one worker writes to the database), and its result or error comes back to
the GUI thread. A task is a function taking a ``progress(done, total, stage)``
callback that returns False once the person has pressed Cancel.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from queue import SimpleQueue
from typing import Any

from repairshop.i18n import _, format_number
from ui.qt import QObject, QProgressDialog, Qt, QThread, QWidget, Signal, Slot

Progress = Callable[[int, int, str], bool]
Work = Callable[[Progress], Any]


class _Task(QObject):
    """Lives in the GUI thread. The worker puts what happened in a queue and emits a bare
    signal; Qt queues that signal to the GUI thread, which takes the news from the queue
    (no Python object rides on a cross-thread signal)."""

    arrived = Signal()

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.work = work
        self.cancelled = threading.Event()
        self.on_progress: Callable[[int, int, str], None] = lambda done, total, stage: None
        self.on_done: Callable[[Any], None] = lambda result: None
        self.on_error: Callable[[BaseException], None] = lambda error: None
        self._news: SimpleQueue[tuple[str, Any]] = SimpleQueue()
        self.arrived.connect(self._take_news, Qt.ConnectionType.QueuedConnection)

    def report(self, done: int, total: int, stage: str) -> bool:
        """The ``progress`` callback the work calls, in the worker thread."""
        self.tell("progress", (done, total, stage))
        return not self.cancelled.is_set()

    def tell(self, kind: str, value: Any) -> None:
        """From the worker thread: hand ``value`` to the GUI thread."""
        self._news.put((kind, value))
        self.arrived.emit()

    @Slot()
    def _take_news(self) -> None:
        progress = None
        while not self._news.empty():
            kind, value = self._news.get()
            if kind == "progress":
                progress = value  # only the latest counts
                continue
            if progress is not None:
                self.on_progress(*progress)
                progress = None
            (self.on_done if kind == "done" else self.on_error)(value)
        if progress is not None:
            self.on_progress(*progress)


class _Worker(QObject):
    """Lives in the worker thread; runs the queued tasks one after another."""

    def __init__(self, tasks: SimpleQueue[_Task]) -> None:
        super().__init__()
        self.tasks = tasks

    @Slot()
    def run_next(self) -> None:
        task = self.tasks.get()
        try:
            result = task.work(task.report)
        except BaseException as error:
            task.tell("failed", error)
        else:
            task.tell("done", result)


class TaskManager(QObject):
    _submitted = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("repairshop-worker")
        self._queue: SimpleQueue[_Task] = SimpleQueue()
        self._worker = _Worker(self._queue)
        self._worker.moveToThread(self._thread)
        self._submitted.connect(self._worker.run_next, Qt.ConnectionType.QueuedConnection)
        self._thread.start()
        self._running: set[_Task] = set()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(
        self,
        work: Work,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        parent: QWidget | None = None,
        title: str | None = None,
    ) -> _Task:
        """Queue ``work``; with a ``title`` a progress dialog with Cancel shows it."""
        task = _Task(work)
        self._running.add(task)
        dialog: QProgressDialog | None = None
        if title is not None:
            dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.setMinimumWidth(420)
            dialog.canceled.connect(task.cancelled.set)
            task.on_progress = lambda done, total, stage: _show(dialog, done, total, stage)
            dialog.show()

        def finish() -> None:
            self._running.discard(task)
            if dialog is not None:
                dialog.reset()
                dialog.close()
                dialog.deleteLater()

        def done(result: object) -> None:
            finish()
            on_done(result)

        def failed(error: BaseException) -> None:
            finish()
            on_error(error)

        task.on_done = done
        task.on_error = failed
        self._queue.put(task)
        self._submitted.emit()
        return task

    def shutdown(self) -> None:
        """Stop the worker after the task in hand (called when the app quits)."""
        self._thread.quit()
        self._thread.wait()


def _show(dialog: QProgressDialog | None, done: int, total: int, stage: str) -> None:
    if dialog is None or dialog.wasCanceled():
        return
    dialog.setMaximum(max(total, 1))
    dialog.setValue(min(done, total))
    dialog.setLabelText(
        _("{stage}: {done} of {total}").format(
            stage=stage, done=format_number(done), total=format_number(total)
        )
    )
