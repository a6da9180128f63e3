"""What every view is given: the database, the current user, one "changed" signal, one error path.

``ui/app.py`` builds one :class:`AppContext`; views receive it and never build
their own database or session. After a service call a view hands the result's
``Changes`` to :meth:`AppContext.announce`; every view listening on
:attr:`AppContext.changed` refreshes only when the change touches what it shows
(cf. Anki's ``operation_did_execute``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from repairshop.errors import RepairShopError
from repairshop.i18n import _
from repairshop.services.changes import Changes
from repairshop.services.database import Database
from repairshop.services.uow import UnitOfWork
from ui.qt import QMessageBox, QObject, QWidget, Signal

T = TypeVar("T")
log = logging.getLogger(__name__)


class AppContext(QObject):
    changed = Signal(object)
    """Emitted with a :class:`~repairshop.services.changes.Changes` after every write."""
    user_changed = Signal(str)

    def __init__(self, db: Database, user: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._user = user
        self.log_path: str | None = None

    @property
    def user(self) -> str:
        """The login of the person at this workstation."""
        return self._user

    def set_user(self, login: str) -> None:
        self._user = login
        self.user_changed.emit(login)

    def announce(self, changes: Changes) -> None:
        if changes.kinds:
            self.changed.emit(changes)

    def read(self, query: Callable[[UnitOfWork], T]) -> T:
        """Run a read-only query in its own unit of work."""
        with self.db.reader() as uow:
            return query(uow)

    def write(self, action: Callable[[UnitOfWork], T], changes_of: Callable[[T], Changes]) -> T:
        """Run a service in one transaction, commit it, and announce what changed."""
        with self.db.unit_of_work() as uow:
            result = action(uow)
            uow.commit()
        self.announce(changes_of(result))
        return result

    def show_error(self, parent: QWidget | None, error: BaseException) -> None:
        """The one place a refusal or a bug is shown to the person."""
        if isinstance(error, RepairShopError):
            QMessageBox.warning(parent, _("Not done"), error.message)
            return
        log.error("unexpected error", exc_info=error)
        where = self.log_path or _("the application log")
        QMessageBox.critical(
            parent,
            _("Unexpected error"),
            _("Something went wrong that RepairShop did not expect. Details are in {path}.").format(
                path=where
            ),
        )
