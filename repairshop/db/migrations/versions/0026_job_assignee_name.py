"""job list technician order on the job: the technician's display name copied

Revision ID: 0026
Revises: 0024
Create Date: 2026-12-05

The job list's technician order joined the users and sorted by their display name: under
a filter of a type of job or device (a few hundred thousand jobs at a million) it read
every match and sorted it, 0.45-0.56 s on SQLite. Copied onto the job (and kept equal by
every assignment and by a change of a user's name, see
``repairshop/services/jobs/sort_keys.py``), the name is in an index of jobs with the status
before it and without: the order is a range of one index, like the customer's (0024).

The copy is filled by one ``UPDATE … FROM users`` (only the assigned jobs) before its
indexes are made. Empty exactly when the job has no technician.

And ``jobs(device_type, device_brand, device_model, device_id, id)``: under a device-type
filter the device order walked the brands' index from Acer laptops to the first phone
(66,000 jobs for the phones, the whole index for a type nobody brings), 0.2-2.8 s; with the
type first it is a range. ``jobs(job_type, promised, id)`` likewise for the promise order
under a job-type filter (the first complaint by its promise came after 144,000 other jobs).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, list[str]], ...] = (
    ("ix_jobs_assignee_name_id", ["assignee_name", "assignee_id", "id"]),
    ("ix_jobs_status_assignee_name_id", ["status", "assignee_name", "assignee_id", "id"]),
    ("ix_jobs_job_type_promised_id", ["job_type", "promised", "id"]),
    (
        "ix_jobs_device_type_brand_model_id",
        ["device_type", "device_brand", "device_model", "device_id", "id"],
    ),
)

FILL = (
    "UPDATE jobs SET assignee_name = users.display_name FROM users "
    "WHERE users.id = jobs.assignee_id"
)
"""Every assigned job's copy of its technician's name (SQLite 3.33+ and PostgreSQL)."""


def upgrade() -> None:
    op.add_column("jobs", sa.Column("assignee_name", sa.String(200), nullable=True))
    op.execute(FILL)
    for name, columns in INDEXES:
        op.create_index(name, "jobs", columns, unique=False)


def downgrade() -> None:
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="jobs")
    op.drop_column("jobs", "assignee_name")
