"""The database: engine set-up for SQLite and PostgreSQL, tables, Alembic migrations."""
