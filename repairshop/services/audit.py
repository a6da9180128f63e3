"""The audit log's one writer: every change to an audited record, as the unit of work flushes it.

Services do not write audit rows themselves. A writing unit of work listens to its own
session's flushes (:func:`follow`): after each flush, every audited entity that was added,
changed or deleted becomes a row with who (the unit of work's actor), when (its clock),
which record and each changed field as old → new. Sign-ins, which change nothing else
worth a row, are written with :func:`record`. Secrets (passwords, PINs, a device's
passcode) show only that they changed.

Rows are only ever inserted: the ORM refuses a flush that would change or delete one, and
no service offers to. Bulk SQL updates (``session.execute(update(...))``) bypass the ORM and
so the log; audited records are changed through the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from repairshop.db.tables import (
    AuditEntry,
    Base,
    Customer,
    Device,
    Job,
    JobLine,
    JobPart,
    Part,
    PartSupplier,
    ServiceItem,
    Setting,
    StockMovement,
    Supplier,
    User,
)
from repairshop.errors import PermissionDenied
from repairshop.i18n import _

SYSTEM = "system"
"""Who changed a record when no person did (set-up, demo data, a migration's helpers)."""
HIDDEN = "•••"
"""What the log shows of a secret's old and new value."""
MAX_TEXT = 500
LOGO_KEY = "logo"
"""The receipt logo's setting: a picture, logged only as changed."""
OWN_IDS = "repairshop.audit_ids"
"""A set in ``session.info`` under this key collects the ids of the rows the session logs
(a desk's watch counts them as its own, not another desk's news)."""


class Action:
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"
    SIGNED_IN = "signed_in"
    SIGN_IN_REFUSED = "sign_in_refused"
    RESTORED = "restored"


@dataclass(frozen=True)
class Audited:
    kind: str
    label: Callable[[Any], str]
    skip: frozenset[str] = frozenset()
    secret: frozenset[str] = frozenset()


_ALWAYS_SKIP = frozenset({"id", "created_at", "updated_at", "version", "search_text"})

AUDITED: dict[type[Base], Audited] = {
    Job: Audited(
        "job",
        lambda job: job.code,
        # The sort keys are copies of the customer's and device's audited fields.
        frozenset(
            {
                "status_changed_at",
                "warranty_decision",
                "customer_name",
                "device_type",
                "device_brand",
                "device_model",
            }
        ),
        frozenset({"passcode", "pattern_lock"}),
    ),
    Customer: Audited("customer", lambda customer: customer.name),
    Device: Audited("device", lambda device: f"{device.brand} {device.model}"),
    Part: Audited("part", lambda part: part.sku),
    Supplier: Audited("supplier", lambda supplier: supplier.name),
    PartSupplier: Audited("part_supplier", lambda link: str(link.part_id)),
    StockMovement: Audited("stock", lambda movement: movement.kind),
    ServiceItem: Audited("price", lambda item: item.code),
    JobLine: Audited("job_line", lambda line: line.description),
    JobPart: Audited("job_part", lambda job_part: str(job_part.part_id)),
    Setting: Audited("setting", lambda setting: setting.key),
    User: Audited(
        "user",
        lambda user: user.login,
        frozenset({"failed_sign_ins"}),
        frozenset({"password_hash", "pin_hash"}),
    ),
}
"""The records whose every change is logged, what the log calls them, and what it leaves out."""


def follow(session: Session, who: Callable[[], str | None], now: Callable[[], datetime]) -> None:
    """Log every audited change ``session`` flushes, as ``who()`` at ``now()``."""

    def refuse_audit_edits(session: Session, _flush: UOWTransaction, _instances: object) -> None:
        if any(isinstance(item, AuditEntry) for item in (*session.dirty, *session.deleted)):
            raise PermissionDenied(_("The audit log cannot be changed or deleted."))

    def after_flush(session: Session, _flush: UOWTransaction) -> None:
        rows: list[dict[str, object]] = []
        at, login = now(), who() or SYSTEM
        for action, items in (
            (Action.CREATED, session.new),
            (Action.CHANGED, session.dirty),
            (Action.DELETED, session.deleted),
        ):
            for item in items:
                audited = AUDITED.get(type(item))
                if audited is None:
                    continue
                changes = _changes(item, audited, action)
                if changes or action != Action.CHANGED:
                    row = _row(session, item, audited, action, changes)
                    rows.append({**row, "at": at, "user_login": login})
        if not rows:
            return
        own: set[int] | None = session.info.get(OWN_IDS)
        if own is None:
            session.connection().execute(insert(AuditEntry), rows)
        else:
            inserted = session.connection().execute(
                insert(AuditEntry).returning(AuditEntry.id), rows
            )
            own.update(int(i) for i in inserted.scalars())

    event.listen(session, "before_flush", refuse_audit_edits)
    event.listen(session, "after_flush", after_flush)


def record(
    session: Session,
    *,
    at: datetime,
    login: str,
    action: str,
    kind: str,
    record_id: object,
    label: str,
    changes: dict[str, list[object]] | None = None,
) -> None:
    """A row that no record's change brings: a sign-in, a refused one, a password set."""
    session.execute(
        insert(AuditEntry).values(
            at=at,
            user_login=login,
            action=action,
            record_kind=kind,
            record_id=str(record_id),
            record_label=label[:200],
            job_code=None,
            changes=json.dumps(changes or {}, ensure_ascii=False),
        )
    )


def _changes(item: Base, audited: Audited, action: str) -> dict[str, list[object]]:
    state = inspect(item)
    found: dict[str, list[object]] = {}
    for attribute in state.mapper.column_attrs:
        name = attribute.key
        if name in _ALWAYS_SKIP or name in audited.skip:
            continue
        history = state.attrs[name].history
        if action == Action.CREATED:
            old, new = None, getattr(item, name)
            if new is None:
                continue
        elif action == Action.DELETED:
            old, new = getattr(item, name), None
        else:
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
        if name in audited.secret or (isinstance(item, Setting) and item.key == LOGO_KEY):
            found[name] = [HIDDEN if old else None, HIDDEN if new else None]
        else:
            found[name] = [_plain(old), _plain(new)]
    return found


def _row(
    session: Session,
    item: Base,
    audited: Audited,
    action: str,
    changes: dict[str, list[object]],
) -> dict[str, object]:
    state = inspect(item)
    # A row just inserted has no identity key until the flush ends: read its primary key.
    identity = state.identity or tuple(state.mapper.primary_key_from_instance(item))
    return {
        "action": action,
        "record_kind": audited.kind,
        "record_id": ",".join(str(part) for part in identity),
        "record_label": _label(session, item, audited)[:200],
        "job_code": _job_code(session, item),
        "changes": json.dumps(changes, ensure_ascii=False),
    }


def _label(session: Session, item: Base, audited: Audited) -> str:
    """What a person calls the record; a part's line (stock, a job's part) is called by its SKU."""
    part_id = getattr(item, "part_id", None)
    if part_id is not None:
        part = session.identity_map.get(inspect(Part).identity_key_from_primary_key((part_id,)))
        if isinstance(part, Part):
            return part.sku
    return str(audited.label(item))


def _job_code(session: Session, item: Base) -> str | None:
    if isinstance(item, Job):
        return item.code
    job_id = getattr(item, "job_id", None)
    if job_id is None:
        return None
    job = session.identity_map.get(inspect(Job).identity_key_from_primary_key((job_id,)))
    if isinstance(job, Job):
        return job.code
    code = session.connection().execute(select(Job.code).where(Job.id == job_id)).scalar()
    return str(code) if code is not None else None


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    return value
