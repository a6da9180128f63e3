"""The shop's retention rule, applied by the app itself: soon after start and then every
:data:`CHECK_MS`, on the background lane (:class:`ui.operations.BackgroundOp`), so the
counter never waits for it.

The rule is applied once a day by whichever desk claims the day first
(:func:`repairshop.services.customers.privacy.run_due_privacy`); a desk that finds it done,
or the rule off, changes nothing. The audit log names the rule, not the person at the desk.
Settings → Personal data shows when it last ran and what it did.
"""

from __future__ import annotations

import logging

from repairshop.services.customers.privacy import (
    PrivacyRun,
    due_privacy_changes,
    run_due_privacy,
)
from repairshop.services.database import Database
from ui.context import AppContext
from ui.operations import BackgroundOp
from ui.qt import QObject, QTimer, Signal
from ui.taskman import Progress

log = logging.getLogger(__name__)
START_DELAY_MS = 90 * 1000
"""The first look, a minute and a half after start: the window is up and the first intake
is not kept waiting."""
CHECK_MS = 3 * 60 * 60 * 1000
"""Then every three hours: a desk left on over midnight applies the next day's rule."""


def _apply(db: Database, _progress: Progress) -> PrivacyRun | None:
    with db.unit_of_work() as uow:
        done = run_due_privacy(uow)
        uow.commit()
    return done


class PrivacyKeeper(QObject):
    """Applies the shop's retention rule when it is due, on the background lane."""

    finished = Signal(object)
    """A run (:class:`PrivacyRun`), or None when nothing was due."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.running = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)

    @classmethod
    def of(cls, context: AppContext) -> PrivacyKeeper:
        """The desk's one keeper (it outlives a main window rebuilt for another language)."""
        keeper = context.findChild(cls)
        return keeper if isinstance(keeper, cls) else cls(context, parent=context)

    def start(self, first_after_ms: int | None = None) -> None:
        """Look soon and then every :data:`CHECK_MS`; a keeper already started goes on as it is
        (the main window starts it, also when it is rebuilt)."""
        if self._timer.isActive():
            return
        self._timer.start()
        delay = START_DELAY_MS if first_after_ms is None else first_after_ms
        QTimer.singleShot(delay, self, self.check)

    def check(self) -> None:
        """Apply the rule if it is due today and no other desk has."""
        if self.running:
            return
        self.running = True
        BackgroundOp(self.context, self, _apply, due_privacy_changes).success(self._done).failure(
            self._failed
        ).run()

    def _done(self, done: PrivacyRun | None) -> None:
        self.running = False
        if done is not None:
            log.info(
                "retention rule: %d customers anonymised, %d passcodes erased",
                len(done.anonymised),
                done.passcodes_erased,
            )
        self.finished.emit(done)

    def _failed(self, error: Exception) -> None:
        """Logged, never shown over the counter: the next look tries again."""
        self.running = False
        log.warning("retention rule: %s", error)
        self.finished.emit(None)
