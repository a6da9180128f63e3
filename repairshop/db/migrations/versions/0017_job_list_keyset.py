"""job list keyset: an index per sort of the job list

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-05

The job list reads a page at a time by keyset (``ORDER BY keys, id`` with
``WHERE (keys, id) > last``), so each order it offers needs an index that holds its
rows in that order: the first page and every page after it are then a range of one
index, whatever the number of jobs. The customer, device and technician orders walk
the customers', devices' or users' index by name and each one's jobs by theirs.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ("ix_jobs_status_id", "jobs", ["status", "id"]),
    ("ix_jobs_job_type_id", "jobs", ["job_type", "id"]),
    ("ix_jobs_promised_id", "jobs", ["promised", "id"]),
    ("ix_jobs_assignee_id_id", "jobs", ["assignee_id", "id"]),
    ("ix_customers_name_id", "customers", ["name", "id"]),
    ("ix_devices_device_type_id", "devices", ["device_type", "id"]),
    ("ix_devices_brand_model_id", "devices", ["brand", "model", "id"]),
    ("ix_users_display_name_id", "users", ["display_name", "id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
