"""The unit of work: one database transaction per user action.

``with db.unit_of_work() as uow: ...; uow.commit()`` — leaving the block
without ``commit()`` rolls everything back, so a refused action changes
nothing. Database failures become :class:`DatabaseUnavailable` or
:class:`Conflict` here, in one place, with a message for a person.

An action publishes what happened (:mod:`.events`) with :meth:`UnitOfWork.publish`; the
handlers the database was opened with react inside the same transaction.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from repairshop.db.engine import READ_ONLY, sqlite_file
from repairshop.errors import Conflict, DatabaseUnavailable, RepairShopError
from repairshop.i18n import _
from repairshop.services.audit import follow
from repairshop.services.changes import Changes
from repairshop.services.events import Event

Clock = Callable[[], datetime]
E = TypeVar("E", bound=Event)

NOTICE_CHANNEL = "'rs_' || left(md5(coalesce(current_schema(), '')), 16)"
"""SQL for the PostgreSQL channel a commit is announced on: one per schema, so shops (and
test runs) in one database do not hear each other."""
NOTICE_IDS = 50
"""More rows of one table than this in one commit: the notice names the table only."""


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


class ReaderSession(Session):
    """A read-only unit of work's session: it notes whether anything was written through it
    (``info["wrote"]``), so that a reader that wrote nothing may end with ``COMMIT``."""


@event.listens_for(ReaderSession, "after_flush")
def _reader_flushed(session: Session, _context: object) -> None:
    session.info["wrote"] = True


@event.listens_for(ReaderSession, "do_orm_execute")
def _reader_statement(state: ORMExecuteState) -> None:
    if not state.is_select:  # also a text() statement: it might write
        state.session.info["wrote"] = True


class UnitOfWork:
    def __init__(
        self,
        engine: Engine,
        *,
        handlers: EventHandlers,
        read_only: bool = False,
        clock: Clock = utc_clock,
        desk: str = "",
        actor: str | None = None,
    ) -> None:
        """``desk`` names the database handle in the commit notice (PostgreSQL), so the
        desk that wrote can tell its own commits from other desks'."""
        bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
        self._factory = sessionmaker(
            bind=bind,
            expire_on_commit=False,
            autoflush=True,
            class_=ReaderSession if read_only else Session,
        )
        self._session: Session | None = None
        self._handlers = handlers
        self.read_only = read_only
        self.clock = clock
        self.dialect = engine.dialect.name
        self._engine = engine
        self.desk = desk
        self._written: dict[str, set[int] | None] = {}
        """The tables this unit of work wrote, with the ids of the rows (None: not known)."""
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
        self._written = {}
        if not self.read_only and self.dialect == "postgresql":
            event.listen(self._session, "after_flush", self._note_flushed)
            event.listen(self._session, "do_orm_execute", self._note_statement)
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
        if (
            exc is None
            and self.read_only
            and self.dialect == "postgresql"
            and not session.info.get("wrote")
            and session.in_transaction()
        ):
            # A reader that wrote nothing ends with COMMIT, not ROLLBACK: the same for what
            # it read, but psycopg forgets the connection's prepared statements at every
            # ROLLBACK. Committed, a statement a desk repeats (a card's job with its eight
            # joins, a list page's rows) stays prepared on the pooled connection (psycopg
            # prepares it at its fifth run), and PostgreSQL reuses its plan instead of
            # planning it again on every read.
            session.expunge_all()  # nothing is left to flush at the commit
            try:
                session.commit()
            except sa_exc.DBAPIError as error:
                exc = error
        # close() ends (rolls back) an uncommitted transaction without expiring what
        # was loaded, so read results stay usable after the block.
        session.close()
        if exc is not None and not isinstance(exc, RepairShopError):
            translated = translate_database_error(exc, self._engine)
            if translated is not None:
                raise translated from exc
            if exc_type is None:
                raise exc

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
        with _person_facing_database_errors(self._engine):
            self.session.flush()

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        with _person_facing_database_errors(self._engine):
            if self.dialect == "postgresql":
                self._announce()
            self.session.commit()
            self._written = {}  # a unit of work that commits as it goes announces each part

    def _note_flushed(self, session: Session, _context: object) -> None:
        for instance in (*session.new, *session.dirty, *session.deleted):
            table = getattr(instance, "__tablename__", None)
            if table is None:
                continue
            ids = self._written.setdefault(table, set())
            row_id = getattr(instance, "id", None)
            if ids is not None and isinstance(row_id, int):
                ids.add(row_id)

    def _note_statement(self, state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            name = getattr(table, "name", None)
            if isinstance(name, str):
                self._written[name] = None

    def _announce(self) -> None:
        """Tell the desks listening which tables (and rows) this commit changes.

        PostgreSQL delivers a ``NOTIFY`` sent inside a transaction when, and only if, it
        commits; :func:`repairshop.services.watch.listen_for_commits` hears it.
        """
        self.session.flush()
        tables = {
            table: sorted(ids) if ids is not None and len(ids) <= NOTICE_IDS else None
            for table, ids in sorted(self._written.items())
        }
        payload = json.dumps({"desk": self.desk, "tables": tables}, separators=(",", ":"))
        if len(payload) > 7000:  # PostgreSQL refuses payloads of 8000 bytes and more
            payload = json.dumps({"desk": self.desk, "tables": dict.fromkeys(tables)})
        self.session.execute(
            text(f"SELECT pg_notify({NOTICE_CHANNEL}, :payload)"), {"payload": payload}
        )


@contextmanager
def _person_facing_database_errors(engine: Engine) -> Iterator[None]:
    try:
        yield
    except BaseException as exc:
        translated = translate_database_error(exc, engine)
        if translated is not None:
            raise translated from exc
        raise


FULL_DISK_BYTES = 1024 * 1024
"""Less free space than this beside a SQLite file that fails to write: the disk is full
(SQLite then often says only "disk I/O error", failing to create its side files)."""


def _disk_full(engine: Engine | None) -> bool:
    database_file = None if engine is None else sqlite_file(engine.url)
    if database_file is None:
        return False
    try:
        return shutil.disk_usage(database_file.parent).free < FULL_DISK_BYTES
    except OSError:
        return False


def translate_database_error(
    exc: BaseException, engine: Engine | None = None
) -> RepairShopError | None:
    """The person-facing error for a database failure, or ``None`` if it is a bug.
    ``engine``: the database it happened on (to tell a full disk from a broken one)."""
    if isinstance(exc, StaleDataError):
        return Conflict(
            _("Someone else changed this record at the same time. Reload it and try again.")
        )
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        if "readonly" in detail or "read-only" in detail:
            return DatabaseUnavailable(
                _(
                    "This database cannot be changed: it is on a write-protected medium, or "
                    "its file may not be written. You can look things up; nothing was saved."
                )
            )
        if "disk is full" in detail or "No space left" in detail or _disk_full(engine):
            return DatabaseUnavailable(
                _(
                    "The disk holding the database is full. Nothing was saved. Free some "
                    "space on it (old backups, downloads), then try again."
                )
            )
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
