"""Opening a RepairShop database: engine, migrations, units of work."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from repairshop.db.engine import create_database_engine, resolve_database_url
from repairshop.db.migrate import upgrade
from repairshop.errors import DatabaseUnavailable
from repairshop.i18n import _
from repairshop.services.uow import Clock, UnitOfWork, translate_database_error, utc_clock


class Database:
    """One open database; the wiring places (``ui/app.py``, ``cli.py``) own one each."""

    def __init__(self, engine: Engine, *, clock: Clock = utc_clock) -> None:
        self.engine = engine
        self.clock = clock

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def unit_of_work(self) -> UnitOfWork:
        """A read-write unit of work (on SQLite it takes the write lock when it begins)."""
        return UnitOfWork(self.engine, clock=self.clock)

    def reader(self) -> UnitOfWork:
        """A read-only unit of work that never waits for a writer."""
        return UnitOfWork(self.engine, read_only=True, clock=self.clock)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(
    url: str | None = None, *, migrate: bool = True, clock: Clock = utc_clock
) -> Database:
    """Open (and by default create or migrate) the database at ``url`` or the default."""
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
    return Database(engine, clock=clock)
