"""the price list, a job's lines and the customer's approval

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

``service_items`` is the price list of labour (for every device, or for one device
type and brand); ``job_lines`` are a job's services and free-text lines as they will
stand on the invoice, each with quantity, unit price (entered with or without VAT)
and VAT rate. The job keeps the price the customer last approved: how much, when,
how and who took it (every approval is also an event in the job's history).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("approved_minor", sa.BigInteger(), nullable=True))
    op.add_column("jobs", sa.Column("approved_at", sa.DateTime(), nullable=True))
    op.add_column("jobs", sa.Column("approval_method", sa.String(length=16), nullable=True))
    if op.get_context().dialect.name == "sqlite":
        # SQLite adds a foreign key only inline with its column (a batch copy of ``jobs``
        # would drop the search triggers).
        op.add_column(
            "jobs",
            sa.Column("approved_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
            inline_references=True,
        )
    else:
        op.add_column("jobs", sa.Column("approved_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_jobs_approved_by_id_users"), "jobs", "users", ["approved_by_id"], ["id"]
        )
    op.create_table(
        "service_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("vat_rate_bp", sa.Integer(), nullable=True),
        sa.Column("price_includes_vat", sa.Boolean(), nullable=False),
        sa.Column("device_type", sa.String(length=32), nullable=True),
        sa.Column("brand", sa.String(length=100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_items")),
        sa.UniqueConstraint("code", name=op.f("uq_service_items_code")),
    )
    op.create_table(
        "job_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("vat_rate_bp", sa.Integer(), nullable=False),
        sa.Column("price_includes_vat", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_job_lines_quantity_positive")),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_job_lines_job_id_jobs")),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service_items.id"], name=op.f("fk_job_lines_service_id_service_items")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_job_lines_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_lines")),
    )
    op.create_index(op.f("ix_job_lines_job_id"), "job_lines", ["job_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_job_lines_job_id"), table_name="job_lines")
    op.drop_table("job_lines")
    op.drop_table("service_items")
    if op.get_context().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_jobs_approved_by_id_users"), "jobs", type_="foreignkey")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("approved_by_id")
        batch_op.drop_column("approval_method")
        batch_op.drop_column("approved_at")
        batch_op.drop_column("approved_minor")
    if op.get_context().dialect.name == "sqlite":
        # The batch copy of ``jobs`` dropped its search triggers: put them back.
        for statement in _SEARCH_TRIGGERS:
            op.execute(statement)


_SEARCH_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS jobs_fts_insert AFTER INSERT ON jobs BEGIN "
    "INSERT INTO jobs_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS jobs_fts_delete AFTER DELETE ON jobs BEGIN "
    "INSERT INTO jobs_fts(jobs_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS jobs_fts_update AFTER UPDATE OF search_text ON jobs BEGIN "
    "INSERT INTO jobs_fts(jobs_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO jobs_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
