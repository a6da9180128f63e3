"""Creating and migrating the schema with the Alembic scripts shipped in the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = "hashtext('repairshop.migrate.' || coalesce(current_schema(), ''))"
"""The PostgreSQL advisory lock key the schema upgrade holds (one per schema)."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


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
        before = MigrationContext.configure(connection).get_current_revision()
        if before == target:
            return before, target
        config.attributes["connection"] = connection
        command.upgrade(config, target)
    return before, target


def _lock_for_upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
