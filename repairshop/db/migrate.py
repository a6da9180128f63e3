"""Creating and migrating the schema with the Alembic scripts shipped in the package."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from repairshop.db.revisions import MIGRATIONS_DIR, alembic_config, head_revision

__all__ = ["MIGRATIONS_DIR", "alembic_config", "current_revision", "head_revision", "upgrade"]

MIGRATION_LOCK = "hashtext('repairshop.migrate.' || coalesce(current_schema(), ''))"
"""The PostgreSQL advisory lock key the schema upgrade holds (one per schema)."""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _revision_of(connection)


def _revision_of(connection: Connection) -> str | None:
    """The schema's revision from Alembic's own table (None: a schema Alembic never made)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Bring the schema to ``revision``, the newest by default; returns (before, after)."""
    before = current_revision(engine)
    target = head_revision() if revision == "head" else revision
    if before == target:
        return before, target
    config = alembic_config()
    with engine.begin() as connection:
        # Two desks starting at once on a new or older schema: the first migrates, the
        # second waits here and finds the work done. SQLite's writing transaction already
        # holds the write lock (BEGIN IMMEDIATE); PostgreSQL takes an advisory lock held
        # until this transaction ends.
        _lock_for_upgrade(connection)
        before = _revision_of(connection)
        if before == target:
            return before, target
        from alembic import command

        config.attributes["connection"] = connection
        command.upgrade(config, target)
    return before, target


def _lock_for_upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
