"""The one way to open a RepairShop database, with every room's event handlers wired in.

The rooms of :mod:`repairshop.services` import only downwards, so a lower room that needs a
higher one to react (a cancelled job frees its parts) publishes an event
(:mod:`repairshop.services.events`). This module sits above every room and says which
handler reacts to which event. The command line, the desktop app, the tests and the
benchmarks all open their database here, so no database is ever open without its handlers.
"""

from __future__ import annotations

from repairshop.services.customers.feedback import request_feedback
from repairshop.services.customers.outbox import queue_for_status_change
from repairshop.services.database import Database, open_engine
from repairshop.services.events import (
    CustomerReturnRefunded,
    DepositChanged,
    JobCancelled,
    JobStatusChanged,
)
from repairshop.services.money.payments import record_deposit_change
from repairshop.services.money.returns import refund_customer_return
from repairshop.services.parts.job_parts import free_parts_of_cancelled_job
from repairshop.services.uow import Clock, EventHandlers, utc_clock


def event_handlers() -> EventHandlers:
    """Every event a room publishes, with the handlers of the rooms above that react to it."""
    handlers = EventHandlers()
    handlers.on(JobCancelled, free_parts_of_cancelled_job)
    handlers.on(JobStatusChanged, queue_for_status_change)
    handlers.on(JobStatusChanged, request_feedback)
    handlers.on(DepositChanged, record_deposit_change)
    handlers.on(CustomerReturnRefunded, refund_customer_return)
    return handlers


def open_database(
    url: str | None = None,
    *,
    migrate: bool = True,
    create: bool = True,
    clock: Clock = utc_clock,
) -> Database:
    """Open (and by default create or migrate) the database at ``url`` or the default.

    With ``create=False`` a SQLite file that is not there is refused
    (:class:`~repairshop.services.database.DatabaseMissing`) and nothing is made.
    """
    engine = open_engine(url, migrate=migrate, create=create)
    return Database(engine, handlers=event_handlers(), clock=clock)
