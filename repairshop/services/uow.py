"""The unit of work: one database transaction per user action.

``with db.unit_of_work() as uow: ...; uow.commit()`` — leaving the block
without ``commit()`` rolls everything back, so a refused action changes
nothing. Database failures become :class:`DatabaseUnavailable` or
:class:`Conflict` here, in one place, with a message for a person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from repairshop.db.engine import READ_ONLY
from repairshop.errors import Conflict, DatabaseUnavailable, RepairShopError
from repairshop.i18n import _

Clock = Callable[[], datetime]


def utc_clock() -> datetime:
    return datetime.now(UTC)


class UnitOfWork:
    def __init__(
        self, engine: Engine, *, read_only: bool = False, clock: Clock = utc_clock
    ) -> None:
        bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
        self._factory = sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)
        self._session: Session | None = None
        self.read_only = read_only
        self.clock = clock
        self.dialect = engine.dialect.name

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._session

    def now(self) -> datetime:
        return self.clock()

    def __enter__(self) -> Self:
        self._session = self._factory()
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
