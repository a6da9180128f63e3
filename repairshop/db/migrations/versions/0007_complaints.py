"""complaints: their legal deadlines and decisions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

A complaint is a job (job type ``complaint``, ``complaint_of`` the job it is about) with
one row here: the day it was received, the remedy asked, the deadlines computed then by
the shop's rules, and the decision once made. A new table: no existing row changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("remedy", sa.String(length=16), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("deadline_days", sa.Integer(), nullable=False),
        sa.Column("working_days", sa.Boolean(), nullable=False),
        sa.Column("decide_by", sa.Date(), nullable=False),
        sa.Column("reply_by", sa.Date(), nullable=True),
        sa.Column("first_due", sa.Date(), nullable=False),
        sa.Column("accepted_if_unanswered", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("settled_by", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name="fk_complaints_decided_by_id_users"
        ),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name="fk_complaints_job_id_jobs"),
        sa.PrimaryKeyConstraint("id", name="pk_complaints"),
        sa.UniqueConstraint("job_id", name="uq_complaints_job_id"),
    )
    op.create_index("ix_complaints_decided_at_first_due", "complaints", ["decided_at", "first_due"])


def downgrade() -> None:
    op.drop_index("ix_complaints_decided_at_first_due", table_name="complaints")
    op.drop_table("complaints")
