"""Reading the audit log: who changed what and when, filtered by person, job and day.

The log is written by :mod:`repairshop.services.audit` as changes are flushed; this module
only reads it. Managers and administrators may.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from repairshop.db.tables import AuditEntry
from repairshop.domain.roles import Permission
from repairshop.services.shop.opening_hours import get_opening_hours
from repairshop.services.shop.users import require_actor
from repairshop.services.uow import UnitOfWork

DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class AuditQuery:
    user: str | None = None
    job: str | None = None
    day_from: date | None = None
    day_to: date | None = None
    """Both days count, in the shop's time zone."""
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    user: str
    action: str
    kind: str
    record_id: str
    label: str
    job: str | None
    changes: dict[str, list[object]]


def audit_entries(uow: UnitOfWork, query: AuditQuery) -> list[AuditLine]:
    """The newest entries first that match ``query``."""
    require_actor(uow, Permission.SEE_AUDIT)
    statement = select(AuditEntry)
    if query.user:
        statement = statement.where(AuditEntry.user_login == query.user.strip().lower())
    if query.job:
        statement = statement.where(AuditEntry.job_code == query.job.strip().upper())
    zone = get_opening_hours(uow).zone()
    if query.day_from is not None:
        start = datetime.combine(query.day_from, time(), zone)
        statement = statement.where(AuditEntry.at >= start)
    if query.day_to is not None:
        end = datetime.combine(query.day_to + timedelta(days=1), time(), zone)
        statement = statement.where(AuditEntry.at < end)
    statement = statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(query.limit)
    return [_line(entry) for entry in uow.session.scalars(statement)]


def _line(entry: AuditEntry) -> AuditLine:
    return AuditLine(
        at=entry.at,
        user=entry.user_login,
        action=entry.action,
        kind=entry.record_kind,
        record_id=entry.record_id,
        label=entry.record_label,
        job=entry.job_code,
        changes=json.loads(entry.changes or "{}"),
    )


def audit_line_to_json(line: AuditLine) -> dict[str, object]:
    return {
        "at": line.at.isoformat(),
        "user": line.user,
        "action": line.action,
        "record": line.kind,
        "id": line.record_id,
        "label": line.label,
        "job": line.job,
        "changes": {name: {"from": old, "to": new} for name, (old, new) in line.changes.items()},
    }


def changes_text(line: AuditLine) -> str:
    """``field: old → new; …`` for a list or a terminal."""
    return "; ".join(
        f"{name}: {_shown(old)} → {_shown(new)}" for name, (old, new) in line.changes.items()
    )


def _shown(value: object) -> str:
    return "–" if value is None or value == "" else str(value)
