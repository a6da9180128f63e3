"""feedback after collection; customers' consent changes, anonymisation and merging

Revision ID: 0012
Revises: 0014
Create Date: 2026-12-05

``feedback`` holds a collected job's reply code and the customer's 0–10 score and comment.
Customers record when and by whom consent was last given or withdrawn, when they were
anonymised, and which customer a merged duplicate went into (old rows: none of these).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE … ADD COLUMN: a batch rebuild of ``customers`` would drop a table
    # that others reference.
    op.add_column("customers", sa.Column("consent_changed_at", sa.DateTime(), nullable=True))
    op.add_column("customers", sa.Column("consent_changed_by", sa.String(length=64), nullable=True))
    op.add_column("customers", sa.Column("anonymised_at", sa.DateTime(), nullable=True))
    op.add_column("customers", sa.Column("merged_into_id", sa.Integer(), nullable=True))
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("reply_code", sa.String(length=12), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_feedback_job_id_jobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("job_id", name=op.f("uq_feedback_job_id")),
        sa.UniqueConstraint("reply_code", name=op.f("uq_feedback_reply_code")),
    )
    op.create_index(op.f("ix_feedback_answered_at"), "feedback", ["answered_at"], unique=False)


def downgrade() -> None:
    op.drop_table("feedback")
    for column in ("merged_into_id", "anonymised_at", "consent_changed_by", "consent_changed_at"):
        op.drop_column("customers", column)
