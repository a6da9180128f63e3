"""What every view is given: the database, the current user, one "changed" signal, one error path.

``ui/app.py`` builds one :class:`AppContext` with :func:`make_context`; views
receive it and never build their own database or session. Views read and write
through :mod:`ui.operations` (on the one worker of :mod:`ui.taskman`); a write's
``Changes`` come on :attr:`AppContext.changed` with the view that asked, and every
view listening refreshes only when the change touches what it shows and it did
not ask for it itself (cf. Anki's ``operation_did_execute``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from shiboken6 import isValid

from repairshop.domain.roles import Permission, may
from repairshop.errors import RepairShopError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.database import Database
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork
from repairshop.services.watch import (
    CommitListener,
    OwnRows,
    WatchMark,
    changes_since,
    listen_for_commits,
    mark_seen,
    start_watch,
)
from ui.money.refusals import desk_message
from ui.qt import QMessageBox, QObject, QSettings, QTimer, QWidget, Signal
from ui.taskman import Progress, TaskManager

T = TypeVar("T")
WATCH_MS = 60_000
"""How often a desk looks for changes made at other desks without being told of a commit
(a safety net only: the :class:`CommitListener` tells it of every commit at once)."""
log = logging.getLogger(__name__)


class DeskWatch:
    """How far this desk has read the history and the ledger, and what it wrote itself.

    Touched only on the worker thread, where writes commit one at a time, so a look
    for other desks' changes never sees this desk's commit before it is marked seen.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self.mark: WatchMark | None = None

    def start(self, uow: UnitOfWork) -> None:
        self.mark = start_watch(uow)

    def restart(self) -> None:
        """From the present on (after work that announced that everything changed)."""
        if self.mark is not None:
            with self._db.reader() as uow:
                self.mark = start_watch(uow)

    def own(self, rows: OwnRows) -> None:
        """This desk committed ``rows``: a later look does not announce them again."""
        if self.mark is not None:
            self.mark = mark_seen(self.mark, rows)

    def look(self, uow: UnitOfWork) -> Changes:
        """What other desks committed since the last look."""
        if self.mark is None:
            return Changes()
        self.mark, changes = changes_since(uow, self.mark)
        return changes


class AppContext(QObject):
    changed = Signal(object, object)
    """Emitted with a :class:`~repairshop.services.changes.Changes` after every write, and
    the view that asked for it (``None`` for another desk's change or no view in particular).
    A slot taking one argument gets the changes only."""
    user_changed = Signal(str)
    role_changed = Signal(str)
    """The role of the person at the desk, once read after they changed (or their role did):
    controls shown only to a role that may use them follow it (see :mod:`ui.roles`)."""
    job_requested = Signal(str)
    """A view asks for a job's card (by ticket code); the main window opens it."""
    language_requested = Signal(str)
    """The person chose to switch the window to this language now; the app rebuilds the window."""
    error_shown = Signal(str)
    """The text of every error shown, as it is shown (tests and logs listen)."""

    def __init__(
        self,
        db: Database,
        user: str,
        tasks: TaskManager,
        state: QSettings,
        log_path: str | None,
        *,
        role: str | None = None,
    ) -> None:
        """Built by :func:`make_context` only."""
        super().__init__()
        self.db = db
        self._user = user
        self._role = role
        db.actor = user  # every unit of work acts for the person at the desk
        self.tasks = tasks
        """The one worker every database read and write runs on (see :mod:`ui.operations`)."""
        tasks.setParent(self)
        self.state = state
        """Per-workstation view state: geometry, columns, sort, the current user."""
        self.log_path = log_path
        self.last_error: QMessageBox | None = None
        self.watch = DeskWatch(db)
        self._watch_timer: QTimer | None = None
        self.listener: CommitListener | None = None
        self._looking = False
        self._look_again = False
        self._heard = Changes()
        """What commit notices named since the last look began (announced with it)."""

    @property
    def user(self) -> str:
        """The login of the person at this workstation."""
        return self._user

    @property
    def role(self) -> str | None:
        """The role of the person at this workstation (``None`` until first read)."""
        return self._role

    def may(self, permission: Permission) -> bool:
        """Whether the person at the desk may do this: what the UI offers them. The core
        services check again whatever the UI offers."""
        return self._role is not None and may(self._role, permission)

    def set_user(self, login: str) -> None:
        if login == self._user:
            return
        self._user = login
        self.db.actor = login
        self.user_changed.emit(login)
        self.read_role()

    def read_role(self) -> None:
        """Read the role of the person at the desk (on the worker); :attr:`role_changed`
        tells when it differs from the one known."""
        db, login = self.db, self._user

        def work(_progress: Progress) -> str:
            with db.reader() as uow:
                return get_user(uow, login).role

        def done(role: str) -> None:
            if login == self._user and role != self._role:
                self._role = role
                self.role_changed.emit(role)

        def failed(error: Exception) -> None:
            log.warning("reading the role of %s failed: %s", login, error)

        self.tasks.run(work, done, failed)

    def announce(self, changes: Changes, initiator: object | None = None) -> None:
        if changes.touches(ChangeKind.USER):
            self.read_role()  # an administrator may have given the person another role
        if changes.kinds:
            self.changed.emit(changes, initiator)

    def open_job(self, code: str) -> None:
        self.job_requested.emit(code)

    def watch_other_desks(self, interval_ms: int = WATCH_MS, *, listen: bool = True) -> None:
        """Look for what other workstations (or the command line) wrote, and announce it.

        A :class:`CommitListener` hears every other connection's commit off the GUI
        thread (PostgreSQL ``LISTEN``/``NOTIFY``, SQLite ``PRAGMA data_version``), and the
        desk then looks (on the worker) for what changed; every view already follows
        :attr:`changed`, so a job moved at another desk shows here well within a second,
        and a job card being edited shows its conflict notice instead. ``interval_ms`` is
        a safety net that looks without being told. This desk's own writes are not
        announced again.
        """
        self._looking = True  # a commit heard before the mark is set is looked for after it
        self._watch_task(self.watch.start, lambda _none: None)
        if self._watch_timer is None:
            self._watch_timer = QTimer(self)
            self._watch_timer.timeout.connect(self.look_for_changes)
        self._watch_timer.start(interval_ms)
        if listen and self.listener is None:
            tasks = self.tasks
            self.listener = listen_for_commits(
                self.db.engine,
                lambda changes: tasks.run_on_main(lambda: self._commit_heard(changes)),
                desk=self.db.desk,
                alive=lambda: isValid(tasks) and not tasks.stopped,
            )

    def stop_watching(self) -> None:
        """Stop listening for other desks' commits (when the app quits)."""
        if self._watch_timer is not None:
            self._watch_timer.stop()
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def _commit_heard(self, changes: Changes) -> None:
        self._heard |= changes
        self.look_for_changes()

    def look_for_changes(self) -> None:
        if self._looking:
            self._look_again = True  # the last look may have read before this commit
            return
        self._looking = True
        heard, self._heard = self._heard, Changes()
        self._watch_task(self.watch.look, lambda changes: self.announce(changes | heard))

    def _watch_task(self, look: Callable[[UnitOfWork], T], then: Callable[[T], object]) -> None:
        db = self.db

        def work(_progress: Progress) -> T:
            with db.reader() as uow:
                return look(uow)

        def finished() -> None:
            self._looking = False
            if self._look_again:
                self._look_again = False
                self.look_for_changes()

        def done(result: T) -> None:
            try:
                then(result)
            finally:
                finished()

        def failed(error: Exception) -> None:  # the database went away: keep trying, quietly
            log.warning("looking for other desks' changes failed: %s", error)
            finished()

        self.tasks.run(work, done, failed)

    def show_error(self, parent: QWidget | None, error: BaseException) -> None:
        """The one place a refusal or a bug is shown to the person.

        The box is window-modal but does not block the event loop, so nothing freezes.
        """
        if isinstance(error, RepairShopError):
            icon, title, text = QMessageBox.Icon.Warning, _("Not done"), desk_message(error)
        else:
            log.error("unexpected error", exc_info=error)
            where = self.log_path or _("the application log")
            icon, title = QMessageBox.Icon.Critical, _("Unexpected error")
            text = _(
                "Something went wrong that RepairShop did not expect. Details are in {path}."
            ).format(path=where)
        last = self.last_error
        # The last box went with its window when that closed (a job card's box with the card).
        if last is not None and isValid(last) and last.isVisible():
            last.close()
        if parent is not None and not isValid(parent):
            parent = None  # asked for by a view that has gone since
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        self.last_error = box
        self.error_shown.emit(text)
        box.open()
