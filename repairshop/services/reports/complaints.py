"""How complaints were handled: how many, how decided, and the share decided in time.

A complaint counts in the period it was received. It was decided in time when the
decision came on or before its first deadline (:mod:`repairshop.domain.complaints`);
an open complaint past its deadline counts as late already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from sqlalchemy import ColumnElement, and_, case, func, select

from repairshop.db.tables import Complaint
from repairshop.domain.complaints import ComplaintOutcome
from repairshop.domain.roles import Permission
from repairshop.i18n import babel_locale, ui_language
from repairshop.services.reports.figures import Period
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.users import require_actor
from repairshop.services.uow import UnitOfWork


@dataclass(frozen=True)
class ComplaintReport:
    period: Period
    received: int
    decided: int
    accepted: int
    rejected: int
    in_time: int
    late: int
    """Decided after the deadline, or still open past it."""
    open: int
    overdue: int
    mean_days: float | None
    """Mean days from receipt to the decision, over the decided ones."""

    @property
    def share_in_time(self) -> float | None:
        """Decided in time out of those whose timeliness is known (decided, or overdue)."""
        known = self.in_time + self.late
        return self.in_time / known if known else None


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def complaint_report(uow: UnitOfWork, period: Period) -> ComplaintReport:
    require_actor(uow, Permission.SEE_REPORTS)
    today = shop_today(uow)
    decided = Complaint.decided_on.is_not(None)
    statement = select(
        func.count(Complaint.id),
        _count(decided),
        _count(Complaint.outcome == ComplaintOutcome.ACCEPTED.value),
        _count(Complaint.outcome == ComplaintOutcome.REJECTED.value),
        _count(and_(decided, Complaint.decided_on <= Complaint.first_due)),
        _count(and_(decided, Complaint.decided_on > Complaint.first_due)),
        _count(and_(Complaint.decided_on.is_(None), Complaint.first_due < today)),
    )
    if period.start is not None:
        statement = statement.where(Complaint.received >= period.start)
    if period.end is not None:
        statement = statement.where(Complaint.received <= period.end)
    row = uow.session.execute(statement).one()
    received, decided_count, accepted, rejected, in_time, late, overdue = (int(v) for v in row)
    mean = _mean_days(uow, period)
    return ComplaintReport(
        period=period,
        received=received,
        decided=decided_count,
        accepted=accepted,
        rejected=rejected,
        in_time=in_time,
        late=late + overdue,
        open=received - decided_count,
        overdue=overdue,
        mean_days=mean,
    )


def _mean_days(uow: UnitOfWork, period: Period) -> float | None:
    statement = select(Complaint.received, Complaint.decided_on).where(
        Complaint.decided_on.is_not(None)
    )
    if period.start is not None:
        statement = statement.where(Complaint.received >= period.start)
    if period.end is not None:
        statement = statement.where(Complaint.received <= period.end)
    spans = [
        (decided_on - received).days
        for received, decided_on in uow.session.execute(statement)
        if decided_on is not None
    ]
    return sum(spans) / len(spans) if spans else None


def complaint_report_to_json(report: ComplaintReport) -> dict[str, object]:
    share = report.share_in_time
    return {
        "from": report.period.start.isoformat() if report.period.start else None,
        "to": report.period.end.isoformat() if report.period.end else None,
        "received": report.received,
        "decided": report.decided,
        "accepted": report.accepted,
        "rejected": report.rejected,
        "in_time": report.in_time,
        "late": report.late,
        "open": report.open,
        "overdue": report.overdue,
        "share_in_time": None if share is None else round(share, 4),
        "mean_days": None if report.mean_days is None else round(report.mean_days, 1),
    }


@dataclass(frozen=True)
class ComplaintMonth:
    """The complaints received in one month, by how they stand against their deadline."""

    month: date
    """The month's first day."""
    in_time: int
    late: int
    """Decided after the deadline, or still open past it."""
    open: int
    """Still undecided, the deadline not yet passed."""

    @property
    def received(self) -> int:
        return self.in_time + self.late + self.open


def complaints_by_month(uow: UnitOfWork, period: Period) -> list[ComplaintMonth]:
    """Per month of receipt in ``period`` (every month of it, none left out): decided in
    time, late, and still open; the same rule as :func:`complaint_report`."""
    today = shop_today(uow)
    statement = select(Complaint.received, Complaint.decided_on, Complaint.first_due)
    if period.start is not None:
        statement = statement.where(Complaint.received >= period.start)
    if period.end is not None:
        statement = statement.where(Complaint.received <= period.end)
    counts: dict[date, list[int]] = {}
    for received, decided_on, first_due in uow.session.execute(statement):
        tally = counts.setdefault(received.replace(day=1), [0, 0, 0])
        if decided_on is not None:
            tally[0 if decided_on <= first_due else 1] += 1
        elif first_due < today:
            tally[1] += 1
        else:
            tally[2] += 1
    if not counts and (period.start is None or period.end is None):
        return []
    first = (period.start or min(counts)).replace(day=1)
    last = (period.end or max(counts)).replace(day=1)
    months: list[ComplaintMonth] = []
    month = first
    while month <= last:
        in_time, late, open_ = counts.get(month, [0, 0, 0])
        months.append(ComplaintMonth(month, in_time, late, open_))
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def month_label(month: date, language: str | None = None) -> str:
    """A month as a chart names it, in the language's own way ("Dec 2026", "pro 2026")."""
    return format_date(month, "LLL y", locale=babel_locale(language or ui_language()))
