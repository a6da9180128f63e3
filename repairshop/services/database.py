"""A RepairShop database: its engine, migrations and units of work.

Open one with :func:`repairshop.bootstrap.open_database`, which gives it the event handlers
every room relies on; :func:`open_engine` here is for copying rows (backup and restore),
where no action runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from repairshop.db.engine import (
    create_database_engine,
    default_database_path,
    resolve_database_url,
    sqlite_file,
)
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
        self.desk = uuid.uuid4().hex[:12]
        """This handle's name in the commit notices it sends (PostgreSQL)."""
        self.actor: str | None = None
        """Who works with this database (the CLI's ``--user``, the desk's person): each unit
        of work acts for them unless it is given another."""
        self.guard: Callable[[bool], None] | None = None
        """Called with whether it writes before each unit of work is handed out: the command
        line authenticates its user there (once) when the shop is closed."""

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def unit_of_work(self, actor: str | None = None) -> UnitOfWork:
        """A read-write unit of work (on SQLite it takes the write lock when it begins)."""
        if self.guard is not None:
            self.guard(True)
        return UnitOfWork(
            self.engine,
            handlers=self.handlers,
            clock=self.clock,
            desk=self.desk,
            actor=actor or self.actor,
        )

    def reader(self, actor: str | None = None) -> UnitOfWork:
        """A read-only unit of work that never waits for a writer."""
        if self.guard is not None:
            self.guard(False)
        return UnitOfWork(
            self.engine,
            handlers=self.handlers,
            read_only=True,
            clock=self.clock,
            actor=actor or self.actor,
        )

    def dispose(self) -> None:
        self.engine.dispose()


class DatabaseMissing(DatabaseUnavailable):
    """A SQLite file that is not there: most often a mistyped ``--db`` or environment path."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "There is no RepairShop database at {path}. Check the path, or create a new "
                "shop there with “repairshop db upgrade”."
            ).format(path=path)
        )
        self.path = path


def missing_database_file(url: str | None = None) -> Path | None:
    """The SQLite file that ``url`` (or the default) names, if it does not exist yet."""
    path = sqlite_file(resolve_database_url(url))
    return path if path is not None and not path.exists() else None


def names_default_database(url: str | None = None) -> bool:
    """Whether ``url`` (or the environment, or nothing) means this computer's default file."""
    return sqlite_file(resolve_database_url(url)) == default_database_path().resolve()


def open_engine(url: str | None = None, *, migrate: bool = True, create: bool = True) -> Engine:
    """The engine for the database at ``url`` or the default, by default created or migrated.

    With ``create=False`` a SQLite file that does not exist is refused with
    :class:`DatabaseMissing` before anything (not even its folder) is made: the
    command line and the app pass it, so a mistyped path never becomes a new shop.
    """
    resolved = resolve_database_url(url)
    missing = missing_database_file(resolved)
    if missing is not None and not create:
        raise DatabaseMissing(missing)
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
            translated = translate_database_error(exc, engine)
            raise (translated or DatabaseUnavailable(str(exc))) from exc
    return engine
