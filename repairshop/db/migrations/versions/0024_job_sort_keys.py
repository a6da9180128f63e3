"""job list sort keys on the job: the customer's name, the device's type, brand and model

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05

With a status filter (the open jobs are about 4 % of a million), the job list's customer,
device and device-type orders read every matching job, looked up its customer or device
for the sort key and sorted them all: 20-50 ms at load 1 on SQLite, several times that
under load and on PostgreSQL. Copied onto the job (and kept equal by every write, see
``repairshop/services/jobs/sort_keys.py``), each key is in an index of jobs with the
status before it and without: each order is a range of one index, like the others.

The copies are filled by one ``UPDATE … FROM`` before their indexes are made. The
``(status, customer_id, id)`` and ``(status, device_id, id)`` indexes of 0023 served only
those orders; they go.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: tuple[tuple[str, int], ...] = (
    ("customer_name", 200),
    ("device_type", 32),
    ("device_brand", 100),
    ("device_model", 200),
)

INDEXES: tuple[tuple[str, list[str]], ...] = (
    ("ix_jobs_customer_name_id", ["customer_name", "customer_id", "id"]),
    ("ix_jobs_status_customer_name_id", ["status", "customer_name", "customer_id", "id"]),
    ("ix_jobs_device_type_id", ["device_type", "device_id", "id"]),
    ("ix_jobs_status_device_type_id", ["status", "device_type", "device_id", "id"]),
    ("ix_jobs_device_brand_model_id", ["device_brand", "device_model", "device_id", "id"]),
    (
        "ix_jobs_status_device_brand_model_id",
        ["status", "device_brand", "device_model", "device_id", "id"],
    ),
)

REPLACED: tuple[tuple[str, list[str]], ...] = (
    ("ix_jobs_status_customer_id_id", ["status", "customer_id", "id"]),
    ("ix_jobs_status_device_id_id", ["status", "device_id", "id"]),
)
"""0023's indexes for the customer and device orders under a status filter."""

FILL = (
    "UPDATE jobs SET customer_name = customers.name, device_type = devices.device_type, "
    "device_brand = devices.brand, device_model = devices.model "
    "FROM customers, devices "
    "WHERE customers.id = jobs.customer_id AND devices.id = jobs.device_id"
)
"""Every job's copies from its customer's and device's rows (SQLite 3.33+ and PostgreSQL)."""


def upgrade() -> None:
    for name, _columns in REPLACED:
        op.drop_index(name, table_name="jobs")
    # NOT NULL needs a value for the rows already there; SQLite adds such a column without
    # rewriting the table, the fill below gives each row its own.
    for name, length in COLUMNS:
        op.add_column("jobs", sa.Column(name, sa.String(length), nullable=False, server_default=""))
    op.execute(FILL)
    if op.get_bind().dialect.name == "postgresql":  # a job is never made without its copies
        for name, _length in COLUMNS:
            op.alter_column("jobs", name, server_default=None)
    for name, columns in INDEXES:
        op.create_index(name, "jobs", columns, unique=False)


def downgrade() -> None:
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="jobs")
    for name, _length in reversed(COLUMNS):
        op.drop_column("jobs", name)
    for name, columns in REPLACED:
        op.create_index(name, "jobs", columns, unique=False)
