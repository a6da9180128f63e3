"""job list status indexes over the jobs still in the shop

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06

The job list's eight status-first indexes, ``jobs(status, key, …, id)``, serve a status
filter with an order. Nearly every job of a shop's history is collected (96 % of a
six-month demo), and a collected job never changes status again; so each index now holds
only the jobs still in the shop (``WHERE status <> 'collected'``): a twentieth of the
entries, a twentieth of the cost on each write of a job. The collected jobs, being most
jobs, are read through each order's own index instead. SQLite uses a partial index only
when the query states its condition, so the queries write it beside their statuses
(``repairshop.db.tables.status_among``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_JOBS = "status <> 'collected'"

INDEXES: tuple[tuple[str, list[str]], ...] = (
    ("ix_jobs_status_promised_id", ["status", "promised", "id"]),
    ("ix_jobs_status_job_type_id", ["status", "job_type", "id"]),
    ("ix_jobs_status_created_at_id", ["status", "created_at", "id"]),
    ("ix_jobs_status_assignee_id_id", ["status", "assignee_id", "id"]),
    ("ix_jobs_status_customer_name_id", ["status", "customer_name", "customer_id", "id"]),
    ("ix_jobs_status_device_type_id", ["status", "device_type", "device_id", "id"]),
    (
        "ix_jobs_status_device_brand_model_id",
        ["status", "device_brand", "device_model", "device_id", "id"],
    ),
    ("ix_jobs_status_assignee_name_id", ["status", "assignee_name", "assignee_id", "id"]),
)


def upgrade() -> None:
    for name, columns in INDEXES:
        op.drop_index(name, table_name="jobs")
        op.create_index(
            name,
            "jobs",
            columns,
            sqlite_where=sa.text(OPEN_JOBS),
            postgresql_where=sa.text(OPEN_JOBS),
        )


def downgrade() -> None:
    for name, columns in reversed(INDEXES):
        op.drop_index(name, table_name="jobs")
        op.create_index(name, "jobs", columns)
