"""The one way a view talks to the database: a read or a write op on the one worker.

In the spirit of Anki's ``QueryOp`` and ``CollectionOp``::

    ReadOp(context, self, lambda uow: show_job(uow, code, user), self._show).run()
    WriteOp(context, self, lambda uow: add_note(uow, code, text, user), _changed).success(
        lambda result: self.note.clear()
    ).run(initiator=self)

The work runs on the worker thread (:mod:`ui.taskman`), never on the GUI thread,
so a locked database never freezes the window. ``success`` (and a ``failure``,
else :meth:`AppContext.show_error`) runs back on the GUI thread. A write commits
in one unit of work and then announces its :class:`Changes` on
:attr:`AppContext.changed` together with its initiator, so the view that asked
need not reload its own echo. ``with_progress`` shows a dialog with Cancel for
long work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from shiboken6 import isValid

from repairshop.errors import PermissionDenied
from repairshop.i18n import _
from repairshop.services.changes import Changes
from repairshop.services.database import Database
from repairshop.services.uow import UnitOfWork
from repairshop.services.watch import record_own_rows
from ui.qt import QObject, Qt, QWidget, Signal
from ui.taskman import Progress

if TYPE_CHECKING:
    from ui.context import AppContext

T = TypeVar("T")


class _Cancelled(Exception):
    """A write whose Cancel came before its commit: rolled back, nothing to show."""


class _Op(Generic[T]):
    def __init__(self, context: AppContext, parent: QObject | None) -> None:
        self._context = context
        self._parent = parent
        self._success: Callable[[T], Any] = lambda _result: None
        self._failure: Callable[[Exception], Any] | None = None
        self._title: str | None = None
        self._show_after_ms = 0
        self._report_cancelled = False
        self._cancelled: Callable[[], Any] | None = None
        self._background = False

    def success(self, success: Callable[[T], Any]) -> Self:
        """Run on the GUI thread with the result."""
        self._success = success
        return self

    def failure(self, failure: Callable[[Exception], Any]) -> Self:
        """Run on the GUI thread with the error, instead of showing it in the one place."""
        self._failure = failure
        return self

    def cancelled(self, cancelled: Callable[[], Any]) -> Self:
        """Run on the GUI thread when the person pressed Cancel on a read."""
        self._cancelled = cancelled
        return self

    def with_progress(self, title: str, *, show_after_ms: int = 0) -> Self:
        """A window-modal progress dialog with Cancel while the work runs (from ``show_after_ms``).

        After Cancel a read's ``success`` and ``failure`` do not run. A write in one unit of
        work is rolled back if Cancel comes before its commit; after the commit (and for
        long work that commits as it goes) its ``success`` runs and its changes are announced.
        """
        self._title = title
        self._show_after_ms = show_after_ms
        return self

    def _parent_alive(self) -> bool:
        """The view (or model) that asked is still there (a closed card's answer is dropped)."""
        return self._parent is None or isValid(self._parent)

    _read_only = False

    def _on_screen(self) -> bool:
        window = self._window()
        return window is not None and window.isVisible()

    def _window(self) -> QWidget | None:
        """Where a progress dialog or an error shows: the asking widget, if it is one."""
        parent = self._parent
        return parent if isinstance(parent, QWidget) and self._parent_alive() else None

    def _submit(self, work: Callable[[Progress], T], done: Callable[[T], None]) -> None:
        def failed(error: Exception) -> None:
            if isinstance(error, _Cancelled):
                return
            if isinstance(error, PermissionDenied) and self._read_only and not self._on_screen():
                return  # a view hidden from this person read what it may not: nothing to say
            if self._failure is not None and self._parent_alive():
                self._failure(error)
            else:
                self._context.show_error(self._window(), error)

        self._context.tasks.run(
            work,
            done,
            failed,
            parent=self._window(),
            title=self._title,
            show_after_ms=self._show_after_ms,
            report_cancelled=self._report_cancelled,
            on_cancelled=self._on_cancelled,
            background=self._background,
        )

    def _on_cancelled(self) -> None:
        if self._cancelled is not None and self._parent_alive():
            self._cancelled()


class ReadOp(_Op[T]):
    """A read-only query in its own unit of work, off the GUI thread."""

    _read_only = True

    def __init__(
        self,
        context: AppContext,
        parent: QObject | None,
        query: Callable[[UnitOfWork], T],
        success: Callable[[T], Any] | None = None,
    ) -> None:
        super().__init__(context, parent)
        self._query = query
        if success is not None:
            self._success = success

    def run(self) -> None:
        db, query = self._context.db, self._query

        def work(_progress: Progress) -> T:
            with db.reader() as uow:
                return query(uow)

        self._submit(work, lambda result: self._success(result) if self._parent_alive() else None)


class WriteOp(_Op[T]):
    """A service call in one committed unit of work; its changes are announced after."""

    def __init__(
        self,
        context: AppContext,
        parent: QObject | None,
        action: Callable[[UnitOfWork], T],
        changes_of: Callable[[T], Changes],
    ) -> None:
        super().__init__(context, parent)
        self._changes_of = changes_of
        self._report_cancelled = True

        def work(progress: Progress) -> T:
            with context.db.unit_of_work() as uow:
                rows = record_own_rows(uow)
                result = action(uow)
                if self._title is not None and not progress(1, 1, _("Saving")):
                    raise _Cancelled  # pressed before the commit: nothing was saved
                uow.commit()
            context.watch.own(rows)
            return result

        self._work: Callable[[Progress], T] = work

    def run(self, *, initiator: object | None = None) -> None:
        """``initiator``: the view that asked; it comes with the changes on
        :attr:`AppContext.changed`, so that view can skip reloading what it just did."""
        context, changes_of = self._context, self._changes_of

        def done(result: T) -> None:
            try:
                if self._parent_alive():
                    self._success(result)
            finally:
                context.announce(changes_of(result), initiator)

        self._submit(self._work, done)


class LongWriteOp(WriteOp[T]):
    """Long work that commits as it goes (demo data) and reports progress: give it
    :meth:`with_progress`. Its changes should say everything changed
    (:attr:`ChangeKind.ALL`); the desk watcher then starts again from the present."""

    def __init__(
        self,
        context: AppContext,
        parent: QObject | None,
        work: Callable[[Database, Progress], T],
        changes_of: Callable[[T], Changes],
    ) -> None:
        _Op.__init__(self, context, parent)
        self._changes_of = changes_of
        self._report_cancelled = True

        def long_work(progress: Progress) -> T:
            result = work(context.db, progress)
            context.watch.restart()
            return result

        self._work = long_work


class BackgroundOp(WriteOp[T]):
    """Long work the desk must not wait for (the automatic backup): it runs on the
    background lane, so the clerk's reads and writes go on beside it. It opens its own
    units of work on the database it is given."""

    def __init__(
        self,
        context: AppContext,
        parent: QObject | None,
        work: Callable[[Database, Progress], T],
        changes_of: Callable[[T], Changes],
    ) -> None:
        _Op.__init__(self, context, parent)
        self._changes_of = changes_of
        self._report_cancelled = True
        self._background = True
        self._work = lambda progress: work(context.db, progress)


class _Relay(QObject):
    finished = Signal(object, object)


_running: set[ThreadOp[Any]] = set()
"""Background ops under way (held until their answer is back on the GUI thread)."""


class ThreadOp(Generic[T]):
    """Work that opens no unit of work on this desk's database — testing a connection to a
    server, which may take seconds to give up — on a thread of its own, so neither the
    window nor the desk's one database worker waits for it. ``success`` or ``failure``
    runs back on the GUI thread, unless ``parent`` is gone by then.
    """

    def __init__(self, parent: QObject, work: Callable[[], T]) -> None:
        self._parent = parent
        self._work = work
        self._success: Callable[[T], Any] = lambda _result: None
        self._failure: Callable[[Exception], Any] = lambda _error: None
        self._relay = _Relay(parent)
        self._relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)

    def success(self, success: Callable[[T], Any]) -> Self:
        self._success = success
        return self

    def failure(self, failure: Callable[[Exception], Any]) -> Self:
        self._failure = failure
        return self

    def run(self) -> None:
        relay, work = self._relay, self._work

        def background() -> None:
            try:
                result: object = work()
                error: Exception | None = None
            except Exception as raised:
                result, error = None, raised
            if isValid(relay):
                relay.finished.emit(result, error)

        _running.add(self)
        threading.Thread(target=background, name="repairshop-background", daemon=True).start()

    def _finished(self, result: Any, error: Exception | None) -> None:
        _running.discard(self)
        self._relay.deleteLater()
        if not isValid(self._parent):
            return
        if error is not None:
            self._failure(error)
        else:
            self._success(result)
