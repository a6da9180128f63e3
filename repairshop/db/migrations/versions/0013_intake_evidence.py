"""intake evidence: condition checklists, pattern locks, photos, signatures, loaners

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

A job gets its pattern lock (kept like the passcode). ``job_checks`` holds the condition
checklist at intake and before the job is ready, ``job_photos`` the device's photos (in the
database, so every desk and every backup has them), ``job_signatures`` the customer's
signatures as strokes, ``loaners`` the devices the shop lends and ``loans`` who has them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pattern_lock", sa.String(length=40), server_default="", nullable=False)
        )
    op.create_table(
        "job_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("point", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_job_checks_job_id_jobs")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_job_checks_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_checks")),
        sa.UniqueConstraint("job_id", "stage", "point", name=op.f("uq_job_checks_job_id")),
    )
    op.create_index(op.f("ix_job_checks_job_id"), "job_checks", ["job_id"], unique=False)
    op.create_table(
        "job_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("on_receipt", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_job_photos_job_id_jobs")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_job_photos_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_photos")),
    )
    op.create_index(op.f("ix_job_photos_job_id"), "job_photos", ["job_id"], unique=False)
    op.create_table(
        "job_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("occasion", sa.String(length=16), nullable=False),
        sa.Column("signer", sa.String(length=200), nullable=False),
        sa.Column("strokes", sa.Text(), nullable=False),
        sa.Column("aspect", sa.String(length=12), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_job_signatures_job_id_jobs")
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"], ["users.id"], name=op.f("fk_job_signatures_taken_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_signatures")),
    )
    op.create_index(op.f("ix_job_signatures_job_id"), "job_signatures", ["job_id"], unique=False)
    op.create_table(
        "loaners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("serial", sa.String(length=100), nullable=False),
        sa.Column("deposit_minor", sa.BigInteger(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loaners")),
        sa.UniqueConstraint("label", name=op.f("uq_loaners_label")),
    )
    op.create_table(
        "loans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loaner_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("lent_at", sa.DateTime(), nullable=False),
        sa.Column("lent_by_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("deposit_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("condition_out", sa.Text(), nullable=False),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.Column("condition_in", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_loans_job_id_jobs")),
        sa.ForeignKeyConstraint(
            ["lent_by_id"], ["users.id"], name=op.f("fk_loans_lent_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["loaner_id"], ["loaners.id"], name=op.f("fk_loans_loaner_id_loaners")
        ),
        sa.ForeignKeyConstraint(
            ["returned_by_id"], ["users.id"], name=op.f("fk_loans_returned_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loans")),
    )
    op.create_index(op.f("ix_loans_job_id"), "loans", ["job_id"], unique=False)
    op.create_index(op.f("ix_loans_loaner_id"), "loans", ["loaner_id"], unique=False)
    op.create_index("ix_loans_returned_at_due", "loans", ["returned_at", "due"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_loans_returned_at_due", table_name="loans")
    op.drop_index(op.f("ix_loans_loaner_id"), table_name="loans")
    op.drop_index(op.f("ix_loans_job_id"), table_name="loans")
    op.drop_table("loans")
    op.drop_table("loaners")
    op.drop_index(op.f("ix_job_signatures_job_id"), table_name="job_signatures")
    op.drop_table("job_signatures")
    op.drop_index(op.f("ix_job_photos_job_id"), table_name="job_photos")
    op.drop_table("job_photos")
    op.drop_index(op.f("ix_job_checks_job_id"), table_name="job_checks")
    op.drop_table("job_checks")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("pattern_lock")
