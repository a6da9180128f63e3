"""the warranty decision stored with each job; who sold a device and what it replaced

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

A job keeps the decision made at intake (regime, end date, burden of proof, the
reasons and every rule tried, as JSON text) and who overrode it; a later change of
the shop's settings never rewrites it. ``complaint_of`` links a complaint to the job
it is about. A device records whether the shop sold it and which device it replaced.

Columns are added with plain ``ALTER TABLE ... ADD COLUMN`` (no table rebuild on
SQLite), so the jobs table keeps its full-text search triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable integer column referring to ``target``'s id.

    SQLite cannot add a named constraint without rebuilding the table, but it can add
    a column with its own REFERENCES clause, which keeps the triggers of ``jobs``.
    """
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id)")
        return
    op.add_column(
        table,
        sa.Column(
            column,
            sa.Integer(),
            sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}"),
            nullable=True,
        ),
    )


def upgrade() -> None:
    op.add_column(
        "devices",
        sa.Column("sold_by_us", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    _add_reference("devices", "replaces_device_id", "devices")
    op.add_column("jobs", sa.Column("warranty_regime", sa.String(length=20), nullable=True))
    op.add_column("jobs", sa.Column("warranty_until", sa.Date(), nullable=True))
    op.add_column("jobs", sa.Column("warranty_burden", sa.String(length=16), nullable=True))
    op.add_column("jobs", sa.Column("warranty_burden_until", sa.Date(), nullable=True))
    op.add_column("jobs", sa.Column("warranty_decision", sa.Text(), nullable=True))
    _add_reference("jobs", "warranty_overridden_by_id", "users")
    op.add_column(
        "jobs",
        sa.Column(
            "repair_over_replacement", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    _add_reference("jobs", "complaint_of_id", "jobs")
    op.create_index("ix_jobs_complaint_of_id", "jobs", ["complaint_of_id"])


def downgrade() -> None:
    op.drop_index("ix_jobs_complaint_of_id", table_name="jobs")
    with op.batch_alter_table("jobs") as batch_op:
        for column in (
            "complaint_of_id",
            "repair_over_replacement",
            "warranty_overridden_by_id",
            "warranty_decision",
            "warranty_burden_until",
            "warranty_burden",
            "warranty_until",
            "warranty_regime",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("devices") as batch_op:
        batch_op.drop_column("replaces_device_id")
        batch_op.drop_column("sold_by_us")
