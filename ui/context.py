"""What every view is given: the database, the current user, one "changed" signal, one error path.

``ui/app.py`` builds one :class:`AppContext`; views receive it and never build
their own database or session. After a service call a view hands the result's
``Changes`` to :meth:`AppContext.announce`; every view listening on
:attr:`AppContext.changed` refreshes only when the change touches what it shows
(cf. Anki's ``operation_did_execute``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from repairshop.errors import RepairShopError
from repairshop.i18n import _
from repairshop.services.changes import Changes
from repairshop.services.database import Database
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.uow import UnitOfWork
from repairshop.services.watch import WatchMark, changes_since, start_watch
from ui.qt import QMessageBox, QObject, QSettings, QTimer, QWidget, Signal

if TYPE_CHECKING:
    from ui.taskman import TaskManager

T = TypeVar("T")
WATCH_MS = 5000
"""How often a desk looks for changes made at other desks."""
log = logging.getLogger(__name__)


class AppContext(QObject):
    changed = Signal(object)
    """Emitted with a :class:`~repairshop.services.changes.Changes` after every write."""
    user_changed = Signal(str)
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
        parent: QObject | None = None,
        *,
        state: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self._user = user
        self.log_path: str | None = None
        self.state = state if state is not None else QSettings("RepairShop", "RepairShop")
        """Per-workstation view state: geometry, columns, sort, the current user."""
        self.tasks: TaskManager | None = None
        """The one worker for long actions; ``ui/app.py`` sets it."""
        self.last_error: QMessageBox | None = None
        self._readers: list[threading.Thread] = []
        self._watch_mark: WatchMark | None = None
        self._watch_timer: QTimer | None = None

    @property
    def user(self) -> str:
        """The login of the person at this workstation."""
        return self._user

    def set_user(self, login: str) -> None:
        if login == self._user:
            return
        self._user = login
        self.user_changed.emit(login)

    def today(self) -> date:
        """Today in the shop's time zone, by the database's clock (settable in tests)."""
        return self.read(shop_today)

    def announce(self, changes: Changes) -> None:
        if changes.kinds:
            self.changed.emit(changes)

    def open_job(self, code: str) -> None:
        self.job_requested.emit(code)

    def watch_other_desks(self, interval_ms: int = WATCH_MS) -> None:
        """Look for what other workstations (or the command line) wrote, and announce it.

        Every view already follows :attr:`changed`, so a job moved at another desk shows
        here within ``interval_ms``; a job card being edited shows its conflict notice.
        """
        self._watch_mark = self.read(start_watch)
        if self._watch_timer is None:
            self._watch_timer = QTimer(self)
            self._watch_timer.timeout.connect(self.look_for_changes)
        self._watch_timer.start(interval_ms)

    def look_for_changes(self) -> None:
        mark = self._watch_mark
        if mark is None:
            return
        try:
            self._watch_mark, changes = self.read(lambda uow: changes_since(uow, mark))
        except RepairShopError as error:  # the database went away: keep trying, quietly
            log.warning("looking for other desks' changes failed: %s", error)
            return
        self.announce(changes)

    def read(self, query: Callable[[UnitOfWork], T]) -> T:
        """Run a read-only query in its own unit of work."""
        with self.db.reader() as uow:
            return query(uow)

    def read_in_background(self, work: Callable[[], object]) -> None:
        """Run a read on its own thread (a million ids to sort); it hands back its own result.

        :meth:`finish_reads` waits for these before the database closes.
        """
        self._readers = [reader for reader in self._readers if reader.is_alive()]
        reader = threading.Thread(target=work, name="repairshop-reader")
        self._readers.append(reader)
        reader.start()

    def finish_reads(self) -> None:
        for reader in self._readers:
            reader.join()
        self._readers.clear()

    def write(self, action: Callable[[UnitOfWork], T], changes_of: Callable[[T], Changes]) -> T:
        """Run a service in one transaction, commit it, and announce what changed."""
        with self.db.unit_of_work() as uow:
            result = action(uow)
            uow.commit()
        self.announce(changes_of(result))
        return result

    def attempt(
        self,
        parent: QWidget | None,
        action: Callable[[UnitOfWork], T],
        changes_of: Callable[[T], Changes],
    ) -> T | None:
        """:meth:`write`, showing a refusal (or a bug) in the one place; ``None`` if not done."""
        try:
            return self.write(action, changes_of)
        except Exception as error:
            self.show_error(parent, error)
            return None

    def show_error(self, parent: QWidget | None, error: BaseException) -> None:
        """The one place a refusal or a bug is shown to the person.

        The box is window-modal but does not block the event loop, so nothing freezes.
        """
        if isinstance(error, RepairShopError):
            icon, title, text = QMessageBox.Icon.Warning, _("Not done"), error.message
        else:
            log.error("unexpected error", exc_info=error)
            where = self.log_path or _("the application log")
            icon, title = QMessageBox.Icon.Critical, _("Unexpected error")
            text = _(
                "Something went wrong that RepairShop did not expect. Details are in {path}."
            ).format(path=where)
        if self.last_error is not None and self.last_error.isVisible():
            self.last_error.close()
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        self.last_error = box
        self.error_shown.emit(text)
        box.open()
