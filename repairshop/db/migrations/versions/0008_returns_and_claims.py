"""returns to suppliers (RMA) with their history; manufacturer warranty claims on jobs

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

An RMA is one part going back to a supplier, numbered from the ``rma`` counter inside
the transaction that opens it, linked to the supplier, the part, its serial (and the
shop's unit), the job and the purchase order it came on. Its moves are kept in
``rma_events``. A job's manufacturer claim keeps the claim number and the parts
replaced under it, old and new serials, and which must go back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rmas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=100), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("purchase_order_id", sa.Integer(), nullable=True),
        sa.Column("from_stock", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("replacement_serial", sa.String(length=100), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_rmas_supplier_id_suppliers")
        ),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name=op.f("fk_rmas_part_id_parts")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["part_units.id"], name=op.f("fk_rmas_unit_id_part_units")
        ),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_rmas_job_id_jobs")),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["purchase_orders.id"],
            name=op.f("fk_rmas_purchase_order_id_purchase_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_rmas_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rmas")),
        sa.UniqueConstraint("number", name=op.f("uq_rmas_number")),
    )
    for column in ("state", "supplier_id", "part_id", "serial", "job_id"):
        op.create_index(op.f(f"ix_rmas_{column}"), "rmas", [column])
    op.create_table(
        "rma_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rma_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["rma_id"], ["rmas.id"], name=op.f("fk_rma_events_rma_id_rmas")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_rma_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rma_events")),
    )
    op.create_index(op.f("ix_rma_events_rma_id"), "rma_events", ["rma_id"])
    op.create_table(
        "manufacturer_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_manufacturer_claims_job_id_jobs")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_manufacturer_claims_created_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manufacturer_claims")),
        sa.UniqueConstraint("job_id", name=op.f("uq_manufacturer_claims_job_id")),
    )
    op.create_table(
        "claim_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("old_serial", sa.String(length=100), nullable=False),
        sa.Column("new_serial", sa.String(length=100), nullable=False),
        sa.Column("to_return", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["manufacturer_claims.id"],
            name=op.f("fk_claim_parts_claim_id_manufacturer_claims"),
        ),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_claim_parts_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_claim_parts_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_parts")),
    )
    for column in ("claim_id", "old_serial", "new_serial"):
        op.create_index(op.f(f"ix_claim_parts_{column}"), "claim_parts", [column])
    op.bulk_insert(
        sa.table("counters", sa.column("name", sa.String), sa.column("value", sa.BigInteger)),
        [{"name": "rma", "value": 0}],
    )


def downgrade() -> None:
    op.execute("DELETE FROM counters WHERE name = 'rma'")
    op.drop_table("claim_parts")
    op.drop_table("manufacturer_claims")
    op.drop_table("rma_events")
    op.drop_table("rmas")
