"""the job card's look-ups by index: a device's successors (replacements)

Revision ID: 0022
Revises: 0017
Create Date: 2026-12-05

A job card shows the device's earlier visits, and with them the devices that replaced
this one under warranty (``devices.replaces_device_id``). Nothing indexed that column,
so every card read all the devices: about 0.2 s at a million jobs (950,000 devices), on
the worker the card's other panels wait for. An index makes it one look-up.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_devices_replaces_device_id", "devices", ["replaces_device_id"])


def downgrade() -> None:
    op.drop_index("ix_devices_replaces_device_id", table_name="devices")
