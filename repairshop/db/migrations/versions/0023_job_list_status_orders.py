"""job list keyset: a status filter and an order read from one index

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05

With a status filter (the open jobs are about 4 % of a million), the job list's orders by
type, intake day, customer, device and technician read every matching job through
``jobs(status, id)``, then each one's row for the sort key, and sorted them: 20-70 ms at
load 1, 0.2-0.8 s at load 11. An index on ``(status, key, id)`` holds the filter and the
key together: the type and intake-day orders read each status's first rows in order and
stop (SQLite merges the ranges of ``status IN (...)`` under ``ORDER BY ... LIMIT``), and
the customer, device and technician orders read the key from the index, not the table.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, list[str]], ...] = (
    ("ix_jobs_status_job_type_id", ["status", "job_type", "id"]),
    ("ix_jobs_status_created_at_id", ["status", "created_at", "id"]),
    ("ix_jobs_status_customer_id_id", ["status", "customer_id", "id"]),
    ("ix_jobs_status_device_id_id", ["status", "device_id", "id"]),
    ("ix_jobs_status_assignee_id_id", ["status", "assignee_id", "id"]),
)


def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, "jobs", columns, unique=False)


def downgrade() -> None:
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="jobs")
