"""The unit of work: one database transaction per user action.

``with db.unit_of_work() as uow: ...; uow.commit()`` — leaving the block
without ``commit()`` rolls everything back, so a refused action changes
nothing. Database failures become :class:`DatabaseUnavailable` or
:class:`Conflict` here, in one place, with a message for a person.

An action publishes what happened (:mod:`.events`) with :meth:`UnitOfWork.publish`; the
handlers the database was opened with react inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from repairshop.db.engine import READ_ONLY
from repairshop.errors import Conflict, DatabaseUnavailable, RepairShopError
from repairshop.i18n import _
from repairshop.services.audit import follow
from repairshop.services.changes import Changes
from repairshop.services.events import Event

Clock = Callable[[], datetime]
E = TypeVar("E", bound=Event)


def utc_clock() -> datetime:
    return datetime.now(UTC)


class EventHandlers:
    """Which handlers react to which event; built once, in :mod:`repairshop.bootstrap`."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Callable[[UnitOfWork, Any], Changes]]] = {}

    def on(self, event_type: type[E], handler: Callable[[UnitOfWork, E], Changes]) -> None:
        """Run ``handler`` whenever an action publishes an ``event_type``, in registration order."""
        self._handlers.setdefault(event_type, []).append(handler)

    def handlers_for(self, event: Event) -> tuple[Callable[[UnitOfWork, Any], Changes], ...]:
        return tuple(self._handlers.get(type(event), ()))


class UnitOfWork:
    def __init__(
        self,
        engine: Engine,
        *,
        handlers: EventHandlers,
        read_only: bool = False,
        clock: Clock = utc_clock,
        actor: str | None = None,
    ) -> None:
        bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
        self._factory = sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)
        self._session: Session | None = None
        self._handlers = handlers
        self.read_only = read_only
        self.clock = clock
        self.dialect = engine.dialect.name
        self.events: list[Event] = []
        """Every event published in this unit of work, in order (handlers' own included)."""
        self.actor = actor
        """The login of the person this action is for: the audit log's "who", and whose role a
        service without an actor argument checks. ``None``: set-up work, no person (the wiring
        places always name one)."""

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._session

    def now(self) -> datetime:
        return self.clock()

    def __enter__(self) -> Self:
        self._session = self._factory()
        self.events = []
        if not self.read_only:
            follow(self._session, lambda: self.actor, self.clock)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        self._session = None
        # close() ends (rolls back) an uncommitted transaction without expiring what
        # was loaded, so read results stay usable after the block.
        session.close()
        if exc is not None and not isinstance(exc, RepairShopError):
            translated = translate_database_error(exc)
            if translated is not None:
                raise translated from exc

    def publish(self, event: Event) -> Changes:
        """Announce ``event``: its handlers run now, in this transaction; returns what they changed.

        The publishing action merges the result into its own, so that its result names
        everything the action changed, also in the rooms above it.
        """
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot publish events")
        self.events.append(event)
        changes = Changes()
        for handler in self._handlers.handlers_for(event):
            changes |= handler(self, event)
        return changes

    def flush(self) -> None:
        with _person_facing_database_errors():
            self.session.flush()

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        with _person_facing_database_errors():
            self.session.commit()


@contextmanager
def _person_facing_database_errors() -> Iterator[None]:
    try:
        yield
    except BaseException as exc:
        translated = translate_database_error(exc)
        if translated is not None:
            raise translated from exc
        raise


def translate_database_error(exc: BaseException) -> RepairShopError | None:
    """The person-facing error for a database failure, or ``None`` if it is a bug."""
    if isinstance(exc, StaleDataError):
        return Conflict(
            _("Someone else changed this record at the same time. Reload it and try again.")
        )
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        if "locked" in detail or "busy" in detail:
            return DatabaseUnavailable(
                _(
                    "The database is busy: another workstation held it too long. "
                    "Nothing was saved; try again. ({detail})"
                ).format(detail=detail)
            )
        return DatabaseUnavailable(
            _("The database cannot be reached. Nothing was saved. ({detail})").format(detail=detail)
        )
    return None
