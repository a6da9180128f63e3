"""The one background worker: every database read and write runs here, one at a time.

Work the desk must not wait for (the automatic backup, which may take minutes on a big
shop) runs on a second worker, the *background lane*, so the clerk's reads and writes are
never queued behind it.

Like Anki's ``taskman``: work runs on a single worker thread (so reads never
freeze the window and only one write touches the database at a time), and its
result or error comes back to the GUI thread as a closure run there. Views do
not use this directly: they use :class:`ui.operations.ReadOp` and
:class:`ui.operations.WriteOp`. Long work gets a ``progress(done, total, stage)``
callback that returns False once the person has pressed Cancel.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from repairshop.i18n import _, format_number
from ui.qt import QObject, QProgressDialog, Qt, QTimer, QWidget, Signal, Slot

T = TypeVar("T")
Progress = Callable[[int, int, str], bool]
Closure = Callable[[], None]


class Task:
    """One piece of work handed to the worker: its Cancel flag and its latest progress."""

    def __init__(self, manager: TaskManager, dialog: QProgressDialog | None) -> None:
        self.cancelled = threading.Event()
        self._manager = manager
        self._dialog = dialog
        self._latest: tuple[int, int, str] | None = None
        self._lock = threading.Lock()

    def report(self, done: int, total: int, stage: str) -> bool:
        """The ``progress`` callback the work calls, in the worker thread."""
        with self._lock:
            pending = self._latest is not None
            self._latest = (done, total, stage)
        if not pending and self._dialog is not None:
            self._manager.run_on_main(self._show_latest)
        return not self.cancelled.is_set()

    def _show_latest(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
        dialog = self._dialog
        if latest is None or dialog is None or dialog.wasCanceled():
            return
        done, total, stage = latest
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, total))
        dialog.setLabelText(
            _("{stage}: {done} of {total}").format(
                stage=stage, done=format_number(done), total=format_number(total)
            )
        )

    def close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.canceled.disconnect()  # closing it is not the person's Cancel
            self._dialog.reset()
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None


class TaskManager(QObject):
    _closures_pending = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="repairshop-db")
        self._background = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="repairshop-background"
        )
        self._closures: list[Closure] = []
        self._lock = threading.Lock()
        self._pending = 0
        self._open: set[Task] = set()
        self._stopped = False
        self._closures_pending.connect(self._run_closures, Qt.ConnectionType.QueuedConnection)

    @property
    def stopped(self) -> bool:
        """The app is quitting (:meth:`shutdown`): nothing more is read or written."""
        return self._stopped

    @property
    def busy(self) -> bool:
        """Work is queued or running, or its result has not yet been handed back."""
        return self._pending > 0

    def run_on_main(self, closure: Closure) -> None:
        """From any thread: run ``closure`` on the GUI thread soon."""
        with self._lock:
            self._closures.append(closure)
        self._closures_pending.emit()

    def run(
        self,
        work: Callable[[Progress], T],
        on_done: Callable[[T], Any],
        on_error: Callable[[Exception], Any],
        *,
        parent: QWidget | None = None,
        title: str | None = None,
        show_after_ms: int = 0,
        report_cancelled: bool = False,
        on_cancelled: Closure | None = None,
        background: bool = False,
    ) -> Task:
        """Queue ``work`` on the worker; with a ``title`` a progress dialog with Cancel shows it.

        ``on_done`` or ``on_error`` runs on the GUI thread; after Cancel, only with
        ``report_cancelled`` (work that committed part of itself), else ``on_cancelled``.
        ``background``: on the background lane, beside the desk's work instead of before it.
        """
        dialog: QProgressDialog | None = None
        if self._stopped:  # the app is quitting: nothing more is read or written
            return Task(self, None)
        if title is not None:
            dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
            dialog.setWindowTitle(title)
            dialog.setAccessibleName(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(show_after_ms)
            dialog.setMinimumWidth(420)
            dialog.setValue(0)
        task = Task(self, dialog)
        if dialog is not None:
            dialog.canceled.connect(task.cancelled.set)
        self._pending += 1
        self._open.add(task)

        def finished(future: Future[T]) -> None:
            self._pending -= 1
            self._open.discard(task)
            cancelled = task.cancelled.is_set()
            task.close_dialog()
            if cancelled and not report_cancelled:
                if on_cancelled is not None:
                    on_cancelled()
                return
            error = future.exception()
            if error is None:
                on_done(future.result())
            elif isinstance(error, Exception):
                on_error(error)
            else:
                raise error

        executor = self._background if background else self._executor
        future = executor.submit(work, task.report)
        future.add_done_callback(lambda done: self.run_on_main(lambda: finished(done)))
        return task

    @Slot()
    def _run_closures(self) -> None:
        with self._lock:
            closures, self._closures = self._closures, []
        if self._stopped:
            return
        for closure in closures:
            try:
                closure()
            except Exception as error:  # a bug in a result handler: the app's excepthook shows it
                QTimer.singleShot(0, lambda error=error: _raise(error))

    def shutdown(self) -> None:
        """Finish the work in hand and drop what would come back (called when the app quits)."""
        self._stopped = True
        for task in self._open:  # their answers are dropped: no progress dialog stays behind
            task.close_dialog()
        self._open.clear()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._background.shutdown(wait=True, cancel_futures=True)


def _raise(error: Exception) -> None:
    raise error
