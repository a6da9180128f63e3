"""The one way to open a RepairShop database, with every room's event handlers wired in.

The rooms of :mod:`repairshop.services` import only downwards, so a lower room that needs a
higher one to react (a cancelled job frees its parts) publishes an event
(:mod:`repairshop.services.events`). This module sits above every room and says which
handler reacts to which event. The command line, the desktop app, the tests and the
benchmarks all open their database here, so no database is ever open without its handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from repairshop.services.changes import Changes
from repairshop.services.database import Database, open_engine
from repairshop.services.events import (
    CustomerReturnRefunded,
    DepositChanged,
    JobCancelled,
    JobStatusChanged,
)
from repairshop.services.uow import Clock, EventHandlers, UnitOfWork, utc_clock


class _Later:
    """A handler imported from its room when its event first comes: opening a database
    (every command, the app's start) loads none of the rooms that only react to events."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    @property
    def handler(self) -> Callable[[UnitOfWork, Any], Changes]:
        """The handler itself (its room imported now)."""
        handler: Callable[[UnitOfWork, Any], Changes] = getattr(
            import_module(self.module), self.name
        )
        return handler

    def __call__(self, uow: UnitOfWork, event: Any) -> Changes:
        return self.handler(uow, event)

    def __repr__(self) -> str:
        return f"{self.module}.{self.name}"


def event_handlers() -> EventHandlers:
    """Every event a room publishes, with the handlers of the rooms above that react to it."""
    handlers = EventHandlers()
    handlers.on(
        JobCancelled, _Later("repairshop.services.parts.job_parts", "free_parts_of_cancelled_job")
    )
    handlers.on(
        JobStatusChanged,
        _Later("repairshop.services.customers.outbox", "queue_for_status_change"),
    )
    handlers.on(
        JobStatusChanged, _Later("repairshop.services.customers.feedback", "request_feedback")
    )
    handlers.on(
        DepositChanged, _Later("repairshop.services.money.payments", "record_deposit_change")
    )
    handlers.on(
        CustomerReturnRefunded,
        _Later("repairshop.services.money.returns", "refund_customer_return"),
    )
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
