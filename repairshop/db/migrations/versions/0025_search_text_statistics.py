"""search on PostgreSQL: finer statistics of the jobs' search text

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-05

The search box asks for the newest 50 jobs whose ``search_text`` contains what was typed.
PostgreSQL can read them two ways: the trigram index finds every match, which are then
sorted (a heap page read per match: 10,000 Nováks at a million jobs, 20-80 ms), or the
primary key is walked newest first and stops at the 50th match (a few thousand rows for a
common name, 1-2 ms; the whole table for a rare one). Which is cheaper depends on how many
jobs match, which the planner guesses from the column's histogram: at the default target of
100 entries every substring looks rare (0.01 %, "100 rows"), so the trigram index was
chosen even for the commonest names. A histogram of 1,000 entries tells a common name
(0.3 % or more) from a rare one, and the planner walks the key for the first. SQLite reads
its FTS5 index newest first and needs nothing.

Nothing else changes: ``ANALYZE`` (autovacuum's, or this migration's for the rows already
there) builds the finer histogram, 300,000 sampled rows instead of 30,000.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_TEXT_STATISTICS = 1000


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql(
        f"ALTER TABLE jobs ALTER COLUMN search_text SET STATISTICS {SEARCH_TEXT_STATISTICS}"
    )
    connection.exec_driver_sql("ANALYZE jobs (search_text)")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql("ALTER TABLE jobs ALTER COLUMN search_text SET STATISTICS -1")
