"""a job's milestones: when it first reached ready, when it was collected

Revision ID: 0014
Revises: 0016
Create Date: 2026-12-05

Turnaround and workload ask "which jobs reached ``ready`` (or ``collected``) in the
period, and when". The history answers it, but over a million jobs the join of the
status events with the jobs costs more than the report itself. Each job now keeps
the two moments (``ready_at``: the first ``status`` event to ``ready``;
``collected_at``: the one to ``collected``), written in the same transaction as the
event (``services/jobs/workflow.py``). This revision fills them for the jobs already
there, from their events, so the figures stay those the history gives.

With the milestones indexed, the reports no longer ask the history which jobs reached a
status in a period: revision 0003's index on ``job_events(to_value, kind, at, job_id)``
goes (a ninth of the database at a million jobs, and work on every event written).

Plain ``ALTER TABLE ... ADD COLUMN`` (no table copy on SQLite) and one ``UPDATE ... FROM``
per milestone: minutes, not hours, at a million jobs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MILESTONES = (("ready_at", "ready"), ("collected_at", "collected"))
"""Each milestone column and the status whose first event sets it."""


def fill_milestones(bind: sa.engine.Connection) -> None:
    """Set every job's milestones from its status events (the first event to each status)."""
    for column, status in MILESTONES:
        bind.execute(
            sa.text(
                f"UPDATE jobs SET {column} = m.at FROM ("
                "SELECT job_id, MIN(at) AS at FROM job_events"
                " WHERE kind = 'status' AND to_value = :status GROUP BY job_id"
                ") AS m WHERE m.job_id = jobs.id"
            ),
            {"status": status},
        )


def upgrade() -> None:
    for column, _status in MILESTONES:
        op.add_column("jobs", sa.Column(column, sa.DateTime(), nullable=True))
    fill_milestones(op.get_bind())
    for column, _status in MILESTONES:
        op.create_index(f"ix_jobs_{column}", "jobs", [column])
    op.drop_index("ix_job_events_to_kind_at", table_name="job_events")


def downgrade() -> None:
    op.create_index("ix_job_events_to_kind_at", "job_events", ["to_value", "kind", "at", "job_id"])
    for column, _status in reversed(MILESTONES):
        op.drop_index(f"ix_jobs_{column}", table_name="jobs")
        with op.batch_alter_table("jobs") as batch_op:
            batch_op.drop_column(column)
