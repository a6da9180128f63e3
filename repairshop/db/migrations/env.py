"""Alembic environment: always run from :func:`repairshop.db.migrate.upgrade` with a connection."""

from __future__ import annotations

from alembic import context

from repairshop.db.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
