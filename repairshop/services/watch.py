"""What other workstations changed: new lines in the append-only history and the stock ledger.

Every write to a job adds a ``job_events`` row and every stock change a
``stock_movements`` row (ARCHITECTURE.md), so "what changed since I last looked" is
the rows past the last id seen (and the catalogue's parts past the last part seen: a
new part has no ledger line yet). An edit that adds no history or ledger line — a part's
new price, a customer's new phone number, a setting — still writes audit log rows, so the
log's rows past the last one seen name those records too. Ids are handed out when a row
is inserted but become visible when its transaction commits, so a slow transaction can
commit an id lower than one already seen: each look re-reads a short window below the
last id and skips the ids it has already reported.

When to look: :class:`CommitListener` hears every commit without polling the tables —
on PostgreSQL the ``NOTIFY`` each unit of work sends with its commit (which also names
the tables and rows it wrote), on SQLite a change of ``PRAGMA data_version`` on a
connection of its own, checked a few times a second.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from repairshop.db.engine import sqlite_file
from repairshop.db.tables import (
    AuditEntry,
    CashUp,
    JobEvent,
    Part,
    Rma,
    RmaEvent,
    StockMovement,
)
from repairshop.services.audit import OWN_IDS
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.uow import NOTICE_CHANNEL, UnitOfWork

log = logging.getLogger(__name__)

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
    last_part: int = 0
    """Catalogue parts: a new one has no ledger line until stock comes in."""
    seen_parts: frozenset[int] = frozenset()
    last_cash_up: int = 0
    """A desk's cash-up: it moves no job and no stock, but every Takings view shows it."""
    seen_cash_ups: frozenset[int] = frozenset()
    last_audit: int = 0
    """Audit log rows: the edits that add no history or ledger line (a part, a customer)."""
    seen_audits: frozenset[int] = frozenset()


AUDIT_KINDS = {
    "part": ChangeKind.PART,
    "customer": ChangeKind.CUSTOMER,
    "setting": ChangeKind.SETTINGS,
    "user": ChangeKind.USER,
    "price": ChangeKind.PRICE_LIST,
}
"""The audit log's record kinds a look passes on, as what the views follow. Jobs, stock and
cash-ups are told by their own rows; a sign-in changes nothing a view shows."""


def start_watch(uow: UnitOfWork) -> WatchMark:
    """A mark at the present: only what is written after this counts as changed."""
    last_event = int(uow.session.scalar(select(func.max(JobEvent.id))) or 0)
    last_movement = int(uow.session.scalar(select(func.max(StockMovement.id))) or 0)
    last_rma_event = int(uow.session.scalar(select(func.max(RmaEvent.id))) or 0)
    last_part = int(uow.session.scalar(select(func.max(Part.id))) or 0)
    last_cash_up = int(uow.session.scalar(select(func.max(CashUp.id))) or 0)
    last_audit = int(uow.session.scalar(select(func.max(AuditEntry.id))) or 0)
    return WatchMark(
        last_event,
        last_movement,
        frozenset(_ids_from(uow, JobEvent.id, last_event - SLACK)),
        frozenset(_ids_from(uow, StockMovement.id, last_movement - SLACK)),
        last_rma_event,
        frozenset(_ids_from(uow, RmaEvent.id, last_rma_event - SLACK)),
        last_part,
        frozenset(_ids_from(uow, Part.id, last_part - SLACK)),
        last_cash_up,
        frozenset(_ids_from(uow, CashUp.id, last_cash_up - SLACK)),
        last_audit,
        frozenset(_ids_from(uow, AuditEntry.id, last_audit - SLACK)),
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
    parts = list(uow.session.scalars(select(Part.id).where(Part.id > mark.last_part - SLACK)))
    cash_ups = list(
        uow.session.scalars(select(CashUp.id).where(CashUp.id > mark.last_cash_up - SLACK))
    )
    audits = uow.session.execute(
        select(AuditEntry.id, AuditEntry.record_kind, AuditEntry.record_id).where(
            AuditEntry.id > mark.last_audit - SLACK
        )
    ).all()
    new_events = [(i, job) for i, job in events if i not in mark.seen_events]
    new_movements = [(i, part) for i, part in movements if i not in mark.seen_movements]
    new_movements += [(i, part) for i, part in rma_events if i not in mark.seen_rma_events]
    new_movements += [(i, i) for i in parts if i not in mark.seen_parts]
    last_event = max([mark.last_event, *(i for i, _job in events)])
    last_movement = max([mark.last_movement, *(i for i, _part in movements)])
    last_rma_event = max([mark.last_rma_event, *(i for i, _part in rma_events)])
    last_part = max([mark.last_part, *parts])
    last_cash_up = max([mark.last_cash_up, *cash_ups])
    last_audit = max([mark.last_audit, *(i for i, _kind, _record in audits)])
    next_mark = WatchMark(
        last_event,
        last_movement,
        frozenset(i for i, _job in events if i > last_event - SLACK),
        frozenset(i for i, _part in movements if i > last_movement - SLACK),
        last_rma_event,
        frozenset(i for i, _part in rma_events if i > last_rma_event - SLACK),
        last_part,
        frozenset(i for i in parts if i > last_part - SLACK),
        last_cash_up,
        frozenset(i for i in cash_ups if i > last_cash_up - SLACK),
        last_audit,
        frozenset(i for i, _kind, _record in audits if i > last_audit - SLACK),
    )
    changes = _audited_changes(
        [(kind, record) for i, kind, record in audits if i not in mark.seen_audits]
    )
    if any(i not in mark.seen_cash_ups for i in cash_ups):
        changes |= Changes(kinds=frozenset({ChangeKind.TAKINGS}))
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


def _audited_changes(rows: list[tuple[str, str]]) -> Changes:
    """What new audit log rows (record kind, record id) say changed, by the views' kinds."""
    changes = Changes()
    named: dict[ChangeKind, dict[int, None]] = {}
    for record_kind, record_id in rows:
        kind = AUDIT_KINDS.get(record_kind)
        if kind is None:
            continue
        changes |= Changes(kinds=frozenset({kind}))
        if record_id.isdigit():
            named.setdefault(kind, {})[int(record_id)] = None
    customers = tuple(named.get(ChangeKind.CUSTOMER, ()))
    parts = tuple(named.get(ChangeKind.PART, ()))
    return changes | Changes(
        customer_ids=customers if len(customers) <= MAX_IDS else (),
        part_ids=parts if len(parts) <= MAX_IDS else (),
    )


@dataclass
class OwnRows:
    """The history and ledger rows one unit of work inserted (so its desk need not hear of them)."""

    events: set[int] = field(default_factory=set)
    movements: set[int] = field(default_factory=set)
    parts: set[int] = field(default_factory=set)
    cash_ups: set[int] = field(default_factory=set)
    audits: set[int] = field(default_factory=set)


def record_own_rows(uow: UnitOfWork) -> OwnRows:
    """Note the ids of the history, ledger, catalogue, cash-up and audit log rows ``uow``
    inserts."""
    rows = OwnRows()
    uow.session.info[OWN_IDS] = rows.audits

    def persisted(_session: Session, instance: object) -> None:
        if isinstance(instance, JobEvent):
            rows.events.add(instance.id)
        elif isinstance(instance, StockMovement):
            rows.movements.add(instance.id)
        elif isinstance(instance, Part):
            rows.parts.add(instance.id)
        elif isinstance(instance, CashUp):
            rows.cash_ups.add(instance.id)

    event.listen(uow.session, "pending_to_persistent", persisted)
    return rows


def mark_seen(mark: WatchMark, rows: OwnRows) -> WatchMark:
    """``mark`` with this desk's own committed rows counted as already reported."""
    return replace(
        mark,
        seen_events=mark.seen_events | rows.events,
        seen_movements=mark.seen_movements | rows.movements,
        seen_parts=mark.seen_parts | rows.parts,
        seen_cash_ups=mark.seen_cash_ups | rows.cash_ups,
        seen_audits=mark.seen_audits | rows.audits,
    )


def _ids_from(uow: UnitOfWork, column: InstrumentedAttribute[int], low: int) -> list[int]:
    return list(uow.session.scalars(select(column).where(column > low)))


NOTICE_KINDS = {
    "jobs": ChangeKind.JOB,
    "customers": ChangeKind.CUSTOMER,
    "parts": ChangeKind.PART,
    "settings": ChangeKind.SETTINGS,
    "users": ChangeKind.USER,
    "service_items": ChangeKind.PRICE_LIST,
    "payments": ChangeKind.TAKINGS,
    "cash_ups": ChangeKind.TAKINGS,
}
"""The tables a commit notice names that the history and the ledger do not tell of
(a customer's new phone number, a part's new price, a setting)."""
SQLITE_CHECKS_PER_SECOND = 5


def changes_in_notice(payload: str, own_desk: str = "") -> Changes:
    """What a PostgreSQL commit notice says changed; nothing if ``own_desk`` sent it.

    A notice of the desk's own commit still makes it look (the look finds nothing of what
    its ops announced themselves, but does find a write made on its database another way).
    """
    try:
        notice = json.loads(payload)
        desk, tables = str(notice.get("desk", "")), dict(notice.get("tables", {}))
    except (ValueError, TypeError, AttributeError):
        return Changes()  # not ours to read: look anyway
    if own_desk and desk == own_desk:
        return Changes()
    changes = Changes()
    for table, ids in tables.items():
        kind = NOTICE_KINDS.get(table)
        if kind is None:
            continue
        if not isinstance(ids, list):
            changes |= Changes(kinds=frozenset({kind}))  # too many rows to name: all of them
            continue
        named = tuple(int(i) for i in ids)
        changes |= Changes(
            kinds=frozenset({kind}),
            job_ids=named if kind is ChangeKind.JOB else (),
            customer_ids=named if kind is ChangeKind.CUSTOMER else (),
            part_ids=named if kind is ChangeKind.PART else (),
        )
    return changes


class CommitListener:
    """Hears another connection's commit, on a thread of its own, and calls ``on_commit``.

    ``on_commit`` gets what the commit notice names (PostgreSQL; empty on SQLite, where
    only the fact of a commit is known) and runs on the listener's thread: the caller
    then looks for the changes (:func:`changes_since`) wherever it reads the database.
    It is also called once each time the listener (re)connects, since a commit may
    have gone unheard while it was away. What a commit sent by ``desk`` (this desk's own
    :class:`~repairshop.services.database.Database`) names is not passed on: its ops
    announce their own changes.
    """

    def __init__(
        self,
        engine: Engine,
        on_commit: Callable[[Changes], None],
        *,
        desk: str = "",
        alive: Callable[[], bool] = lambda: True,
    ) -> None:
        """``alive`` is asked between checks: once it says False, the listener stops (its
        caller went away without stopping it)."""
        self._engine = engine
        self._on_commit = on_commit
        self._desk = desk
        self._alive = alive
        self._stop = threading.Event()
        self.listening = threading.Event()
        """Set while the listener hears commits (tests wait for it)."""
        self._thread = threading.Thread(target=self._run, name="repairshop-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def stopped(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the listener's thread to end; whether it has."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _stopping(self) -> bool:
        if not self._alive():
            self._stop.set()
        return self._stop.is_set()

    def _heard(self, changes: Changes) -> None:
        try:
            self._on_commit(changes)
        except Exception:
            log.exception("passing on another desk's commit failed")

    def _run(self) -> None:
        path = sqlite_file(self._engine.url)
        if self._engine.dialect.name == "postgresql":
            listen: Callable[[], None] = self._listen_postgres
        elif path is not None:
            listen = partial(self._listen_sqlite, str(path))
        else:
            return  # a database in memory: no other connection can write to it
        pause = 0.5
        while not self._stop.is_set():
            try:
                listen()
                pause = 0.5
            except Exception as error:  # the server went away: try again, quietly
                self.listening.clear()
                log.warning("listening for other desks' commits failed: %s", error)
                pause = min(pause * 2, 10.0)
            self._stop.wait(pause)

    def _listen_sqlite(self, path: str) -> None:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            version = connection.execute("PRAGMA data_version").fetchone()[0]
            self.listening.set()
            self._heard(Changes())
            while not self._stop.wait(1 / SQLITE_CHECKS_PER_SECOND) and not self._stopping():
                now = connection.execute("PRAGMA data_version").fetchone()[0]
                if now != version:
                    version = now
                    self._heard(Changes())
        finally:
            self.listening.clear()
            connection.close()

    def _listen_postgres(self) -> None:
        import psycopg
        from psycopg import sql

        _args, params = self._engine.dialect.create_connect_args(self._engine.url)
        params = {key: value for key, value in params.items() if key != "context"}
        params.setdefault("connect_timeout", 10)
        with psycopg.connect(**params, autocommit=True) as connection:
            row = connection.execute(f"SELECT {NOTICE_CHANNEL}").fetchone()
            channel = str(row[0]) if row is not None else "rs_"
            connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            self.listening.set()
            try:
                self._heard(Changes())
                while not self._stopping():
                    for notice in connection.notifies(timeout=0.5):
                        self._heard(changes_in_notice(notice.payload, self._desk))
            finally:
                self.listening.clear()


def listen_for_commits(
    engine: Engine,
    on_commit: Callable[[Changes], None],
    *,
    desk: str = "",
    alive: Callable[[], bool] = lambda: True,
) -> CommitListener:
    """A started :class:`CommitListener`; ``stop()`` it when done."""
    listener = CommitListener(engine, on_commit, desk=desk, alive=alive)
    listener.start()
    return listener
