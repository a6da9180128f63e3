"""goods customers bring back (take-backs) with their history; a refund without a job

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-05

A take-back is a part or device the shop sold that a customer returns, numbered per year
(``CR2026-0001``) from a ``counters`` row, linked to the customer, the part (and the unit
by serial), the invoice it was sold on and the supplier RMA opened for it. Its moves are
kept in ``customer_return_events``. Money paid back for goods returned without an invoice
belongs to no job, so ``payments.job_id`` may be empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=100), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("rma_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("refund_minor", sa.BigInteger(), nullable=True),
        sa.Column("refund_document", sa.String(length=20), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_returns_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_customer_returns_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["part_units.id"], name=op.f("fk_customer_returns_unit_id_part_units")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_customer_returns_invoice_id_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["rma_id"], ["rmas.id"], name=op.f("fk_customer_returns_rma_id_rmas")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_customer_returns_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_returns")),
        sa.UniqueConstraint("number", name=op.f("uq_customer_returns_number")),
    )
    for column in ("state", "customer_id", "part_id", "serial"):
        op.create_index(op.f(f"ix_customer_returns_{column}"), "customer_returns", [column])
    op.create_table(
        "customer_return_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_value", sa.String(length=16), nullable=True),
        sa.Column("to_value", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["customer_returns.id"],
            name=op.f("fk_customer_return_events_return_id_customer_returns"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_customer_return_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_return_events")),
    )
    op.create_index(
        op.f("ix_customer_return_events_return_id"), "customer_return_events", ["return_id"]
    )
    with op.batch_alter_table("payments") as batch_op:
        batch_op.alter_column("job_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM payments WHERE job_id IS NULL")
    with op.batch_alter_table("payments") as batch_op:
        batch_op.alter_column("job_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index(op.f("ix_customer_return_events_return_id"), table_name="customer_return_events")
    op.drop_table("customer_return_events")
    for column in ("state", "customer_id", "part_id", "serial"):
        op.drop_index(op.f(f"ix_customer_returns_{column}"), table_name="customer_returns")
    op.drop_table("customer_returns")
