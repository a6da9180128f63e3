"""The app's background sender: every minute, what the outbox holds that is due goes out.

Each run takes the operation path twice and the network once
(:mod:`repairshop.services.customers.sending`): a :class:`~ui.operations.WriteOp` claims the
due messages (and queues due reminders) and commits; the messages are then sent on a thread
of their own, so a slow or unreachable mail server never holds the desk's one database
worker; a second ``WriteOp`` records what happened and announces the jobs it touched, so an
open card shows its message log as it is. Several desks may run it at once: a message is
claimed by one of them only. A failure (the database away) is logged, never shown: the
next minute tries again.
"""

from __future__ import annotations

import logging
import threading

from repairshop.services.customers.sending import (
    Outcome,
    Prepared,
    SendReport,
    deliver,
    prepare,
    record,
)
from ui.context import AppContext
from ui.operations import WriteOp
from ui.qt import QObject, QTimer, Signal

log = logging.getLogger(__name__)
INTERVAL_MS = 60_000


class OutboxSender(QObject):
    finished = Signal(object)
    """A run ended: its :class:`SendReport` (or ``None`` when it failed)."""
    _delivered = Signal(object)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.send_now)
        self._delivered.connect(self._record)

    def start(self) -> None:
        self.timer.start()

    def send_now(self) -> None:
        """One run, unless one is still on its way."""
        if self.running:
            return
        self.running = True
        WriteOp(self.context, self, prepare, lambda prepared: prepared.changes).success(
            self._deliver
        ).failure(self._failed).run(initiator=self)

    def _deliver(self, prepared: Prepared) -> None:
        if not prepared.claimed:
            self._done(SendReport())
            return

        def work() -> None:
            self._delivered.emit(deliver(prepared))

        threading.Thread(target=work, name="outbox", daemon=True).start()

    def _record(self, outcomes: list[Outcome]) -> None:
        WriteOp(
            self.context,
            self,
            lambda uow: record(uow, outcomes),
            lambda report: report.changes,
        ).success(self._done).failure(self._failed).run(initiator=self)

    def _done(self, report: SendReport) -> None:
        self.running = False
        if report.sent or report.failed or report.retrying:
            log.info(
                "outbox: %d sent, %d to retry, %d failed",
                report.sent,
                report.retrying,
                report.failed,
            )
        self.finished.emit(report)

    def _failed(self, error: Exception) -> None:
        self.running = False
        log.warning("outbox: %s", error)
        self.finished.emit(None)
