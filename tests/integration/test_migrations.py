"""The migrations build exactly the tables the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from repairshop.db.migrate import current_revision, head_revision, upgrade
from repairshop.db.tables import Base
from repairshop.services.database import Database


def test_migrations_match_the_declared_tables(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    ignored_tables = {
        "jobs_fts",
        "jobs_fts_data",
        "jobs_fts_idx",
        "jobs_fts_docsize",
        "jobs_fts_config",
        "jobs_fts_content",
    }
    relevant = [
        d
        for d in differences
        if not (d[0] in ("remove_table",) and d[1].name in ignored_tables)
        and not (d[0] == "remove_index" and d[1].name == "ix_jobs_search_trgm")
    ]
    assert relevant == []


def test_upgrade_is_idempotent_and_at_head(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()
    assert upgrade(db.engine) == (head_revision(), head_revision())
    tables = set(inspect(db.engine).get_table_names())
    assert {"jobs", "job_events", "customers", "devices", "users", "settings"} <= tables
