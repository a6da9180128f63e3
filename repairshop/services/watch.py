"""What other workstations changed: new lines in the append-only history and the stock ledger.

Every write to a job adds a ``job_events`` row and every stock change a
``stock_movements`` row (ARCHITECTURE.md), so "what changed since I last looked" is
the rows past the last id seen. Ids are handed out when a row is inserted but
become visible when its transaction commits, so a slow transaction can commit
an id lower than one already seen: each look re-reads a short window below the
last id and skips the ids it has already reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import event, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from repairshop.db.tables import JobEvent, Rma, RmaEvent, StockMovement
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.uow import UnitOfWork

SLACK = 200
"""How far below the last id seen each look re-reads, for transactions that commit late."""
MAX_IDS = 500
"""More changed jobs or parts than this at once: views reload whole lists instead."""


@dataclass(frozen=True)
class WatchMark:
    """Where the last look ended: the highest ids seen and the ids seen in the slack window."""

    last_event: int = 0
    last_movement: int = 0
    seen_events: frozenset[int] = frozenset()
    seen_movements: frozenset[int] = frozenset()
    last_rma_event: int = 0
    """Returns to suppliers move without a stock line when credited or refused."""
    seen_rma_events: frozenset[int] = frozenset()


def start_watch(uow: UnitOfWork) -> WatchMark:
    """A mark at the present: only what is written after this counts as changed."""
    last_event = int(uow.session.scalar(select(func.max(JobEvent.id))) or 0)
    last_movement = int(uow.session.scalar(select(func.max(StockMovement.id))) or 0)
    last_rma_event = int(uow.session.scalar(select(func.max(RmaEvent.id))) or 0)
    return WatchMark(
        last_event,
        last_movement,
        frozenset(_ids_from(uow, JobEvent.id, last_event - SLACK)),
        frozenset(_ids_from(uow, StockMovement.id, last_movement - SLACK)),
        last_rma_event,
        frozenset(_ids_from(uow, RmaEvent.id, last_rma_event - SLACK)),
    )


def changes_since(uow: UnitOfWork, mark: WatchMark) -> tuple[WatchMark, Changes]:
    """What was committed since ``mark``, as the views' :class:`Changes`, and the new mark."""
    events = uow.session.execute(
        select(JobEvent.id, JobEvent.job_id).where(JobEvent.id > mark.last_event - SLACK)
    ).all()
    movements = uow.session.execute(
        select(StockMovement.id, StockMovement.part_id).where(
            StockMovement.id > mark.last_movement - SLACK
        )
    ).all()
    rma_events = uow.session.execute(
        select(RmaEvent.id, Rma.part_id)
        .join(Rma, Rma.id == RmaEvent.rma_id)
        .where(RmaEvent.id > mark.last_rma_event - SLACK)
    ).all()
    new_events = [(i, job) for i, job in events if i not in mark.seen_events]
    new_movements = [(i, part) for i, part in movements if i not in mark.seen_movements]
    new_movements += [(i, part) for i, part in rma_events if i not in mark.seen_rma_events]
    last_event = max([mark.last_event, *(i for i, _job in events)])
    last_movement = max([mark.last_movement, *(i for i, _part in movements)])
    last_rma_event = max([mark.last_rma_event, *(i for i, _part in rma_events)])
    next_mark = WatchMark(
        last_event,
        last_movement,
        frozenset(i for i, _job in events if i > last_event - SLACK),
        frozenset(i for i, _part in movements if i > last_movement - SLACK),
        last_rma_event,
        frozenset(i for i, _part in rma_events if i > last_rma_event - SLACK),
    )
    changes = Changes()
    if new_events:
        job_ids = tuple(dict.fromkeys(job for _i, job in new_events))
        changes |= Changes(
            kinds=frozenset({ChangeKind.JOB}),
            job_ids=job_ids if len(job_ids) <= MAX_IDS else (),
        )
    if new_movements:
        part_ids = tuple(dict.fromkeys(part for _i, part in new_movements))
        changes |= Changes(
            kinds=frozenset({ChangeKind.PART}),
            part_ids=part_ids if len(part_ids) <= MAX_IDS else (),
        )
    return next_mark, changes


@dataclass
class OwnRows:
    """The history and ledger rows one unit of work inserted (so its desk need not hear of them)."""

    events: set[int] = field(default_factory=set)
    movements: set[int] = field(default_factory=set)


def record_own_rows(uow: UnitOfWork) -> OwnRows:
    """Note the ids of the ``job_events`` and ``stock_movements`` rows ``uow`` inserts."""
    rows = OwnRows()

    def persisted(_session: Session, instance: object) -> None:
        if isinstance(instance, JobEvent):
            rows.events.add(instance.id)
        elif isinstance(instance, StockMovement):
            rows.movements.add(instance.id)

    event.listen(uow.session, "pending_to_persistent", persisted)
    return rows


def mark_seen(mark: WatchMark, rows: OwnRows) -> WatchMark:
    """``mark`` with this desk's own committed rows counted as already reported."""
    return replace(
        mark,
        seen_events=mark.seen_events | rows.events,
        seen_movements=mark.seen_movements | rows.movements,
    )


def _ids_from(uow: UnitOfWork, column: InstrumentedAttribute[int], low: int) -> list[int]:
    return list(uow.session.scalars(select(column).where(column > low)))
