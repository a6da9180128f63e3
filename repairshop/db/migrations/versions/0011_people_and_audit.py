"""people sign in (password and PIN hashes, wrong attempts in a row); the audit log

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

Users get an argon2id password hash and PIN hash (none yet: the shop stays open until an
administrator sets a password) and a count of wrong sign-ins in a row. The user made with
the database, ``admin``, becomes the shop's administrator (it was its manager), so a shop
has someone who may change settings, people and backups. ``audit_log`` holds every change
and sign-in, append-only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("pin_hash", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("failed_sign_ins", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute(
        "UPDATE users SET role = 'admin' WHERE login = 'admin' AND role = 'manager' "
        "AND NOT EXISTS (SELECT 1 FROM users AS other WHERE other.role = 'admin')"
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_login", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("record_kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("record_label", sa.String(length=200), nullable=False),
        sa.Column("job_code", sa.String(length=10), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_log_user_at", ["user_login", "at"], unique=False)
        batch_op.create_index("ix_audit_log_job_at", ["job_code", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_job_at")
        batch_op.drop_index("ix_audit_log_user_at")
        batch_op.drop_index("ix_audit_log_at")
    op.drop_table("audit_log")
    op.execute("UPDATE users SET role = 'manager' WHERE role = 'admin'")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("failed_sign_ins")
        batch_op.drop_column("pin_hash")
        batch_op.drop_column("password_hash")
