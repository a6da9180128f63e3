"""A RepairShop database: its engine, migrations and units of work.

Open one with :func:`repairshop.bootstrap.open_database`, which gives it the event handlers
every room relies on; :func:`open_engine` here is for copying rows (backup and restore),
where no action runs.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from repairshop.db.engine import create_database_engine, resolve_database_url
from repairshop.db.migrate import upgrade
from repairshop.errors import DatabaseUnavailable
from repairshop.i18n import _
from repairshop.services.uow import (
    Clock,
    EventHandlers,
    UnitOfWork,
    translate_database_error,
    utc_clock,
)


class Database:
    """One open database; the wiring places (``ui/app.py``, ``cli.py``) own one each.

    Every unit of work it hands out carries ``handlers``, so an event published by an
    action always reaches the rooms that react to it.
    """

    def __init__(
        self, engine: Engine, *, handlers: EventHandlers, clock: Clock = utc_clock
    ) -> None:
        self.engine = engine
        self.handlers = handlers
        self.clock = clock

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def unit_of_work(self) -> UnitOfWork:
        """A read-write unit of work (on SQLite it takes the write lock when it begins)."""
        return UnitOfWork(self.engine, handlers=self.handlers, clock=self.clock)

    def reader(self) -> UnitOfWork:
        """A read-only unit of work that never waits for a writer."""
        return UnitOfWork(self.engine, handlers=self.handlers, read_only=True, clock=self.clock)

    def dispose(self) -> None:
        self.engine.dispose()


def open_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """The engine for the database at ``url`` or the default, by default created or migrated."""
    resolved = resolve_database_url(url)
    try:
        engine = create_database_engine(resolved)
    except (OSError, sa_exc.ArgumentError) as exc:
        raise DatabaseUnavailable(
            _("Cannot open the database {url}: {reason}").format(url=resolved, reason=exc)
        ) from exc
    if migrate:
        try:
            upgrade(engine)
        except sa_exc.DBAPIError as exc:
            engine.dispose()
            translated = translate_database_error(exc)
            raise (translated or DatabaseUnavailable(str(exc))) from exc
    return engine
