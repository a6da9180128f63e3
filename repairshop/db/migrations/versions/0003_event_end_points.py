"""an index for the moments jobs reach a status

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Turnaround and workload ask "which jobs reached ``ready`` (or ``collected``)
between two moments": an index on (to_value, kind, at, job_id) answers it
from the index alone instead of reading the whole history. ``to_value`` comes
first on purpose: a query on ``kind`` alone (a job's whole status history)
must keep using ``ix_job_events_job_at``, which returns it in order.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_job_events_to_kind_at",
        "job_events",
        ["to_value", "kind", "at", "job_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_job_events_to_kind_at", table_name="job_events")
