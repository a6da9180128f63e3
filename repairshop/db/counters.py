"""Counters that number things (tickets, RMAs, invoices, take-backs) without gaps or repeats."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from repairshop.db.tables import Counter


def next_value(session: Session, name: str, *, create: bool = False) -> int:
    """Bump counter ``name`` inside this transaction and give its new value: its row stays
    locked until the transaction ends, so two desks never get the same one. ``create``: a
    counter started at 0 on first use (one a year), else one the migrations made."""
    if create:
        insert = (
            postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        )
        session.execute(
            insert(Counter)
            .values(name=name, value=0)
            .on_conflict_do_nothing(index_elements=["name"])
        )
    value = session.execute(
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    ).scalar_one()
    return int(value)
