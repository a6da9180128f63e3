"""Feedback figures: the Net Promoter Score and the mean 0–10 rating, per technician,
device type and month (``repairshop report feedback`` and the Reports view's tab).

NPS is the share of promoters (9–10) less the share of detractors (0–6), in percent, from
−100 to 100. Answers count in the local month they were given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from repairshop.db.tables import Device, Feedback, Job, User
from repairshop.domain.roles import Permission
from repairshop.i18n import _
from repairshop.services.reports.figures import Period
from repairshop.services.shop.opening_hours import get_opening_hours
from repairshop.services.shop.users import require_actor
from repairshop.services.uow import UnitOfWork

PROMOTER, DETRACTOR = 9, 6
GROUPINGS = ("technician", "device_type", "month")


@dataclass(frozen=True)
class FeedbackRow:
    group: str
    count: int
    promoters: int
    passives: int
    detractors: int
    nps: float
    mean_score: float


@dataclass(frozen=True)
class FeedbackReport:
    period: Period
    asked: int
    """Feedback requests made in the period (collected jobs)."""
    total: FeedbackRow
    groups: dict[str, list[FeedbackRow]]
    comments: list[tuple[str, int, str]]
    """The latest answers with a comment: (job code, score, comment), newest first."""


def summarise(group: str, scores: list[int]) -> FeedbackRow:
    count = len(scores)
    promoters = sum(1 for score in scores if score >= PROMOTER)
    detractors = sum(1 for score in scores if score <= DETRACTOR)
    nps = round(100.0 * (promoters - detractors) / count, 1) if count else 0.0
    mean = round(sum(scores) / count, 2) if count else 0.0
    passives = count - promoters - detractors
    return FeedbackRow(group, count, promoters, passives, detractors, nps, mean)


def feedback_report(uow: UnitOfWork, period: Period, comments: int = 20) -> FeedbackReport:
    require_actor(uow, Permission.SEE_REPORTS)
    zone = get_opening_hours(uow).zone()
    low, high = period.utc_bounds(zone)
    query = (
        select(
            Feedback.score,
            Feedback.comment,
            Feedback.answered_at,
            Job.code,
            Device.device_type,
            User.display_name,
        )
        .join(Job, Job.id == Feedback.job_id)
        .join(Device, Device.id == Job.device_id)
        .outerjoin(User, User.id == Job.assignee_id)
        .where(Feedback.score.is_not(None), Feedback.answered_at.is_not(None))
        .order_by(Feedback.answered_at.desc(), Feedback.id.desc())
    )
    asked_query = select(Feedback.id)
    if low is not None:
        query = query.where(Feedback.answered_at >= low)
        asked_query = asked_query.where(Feedback.requested_at >= low)
    if high is not None:
        query = query.where(Feedback.answered_at < high)
        asked_query = asked_query.where(Feedback.requested_at < high)
    rows = [
        (int(score or 0), comment, at, code, device_type, who)
        for score, comment, at, code, device_type, who in uow.session.execute(query).all()
        if at is not None
    ]
    keys: dict[str, Callable[[str, str | None, datetime], str]] = {
        "technician": lambda _type, who, _at: who or _("(unassigned)"),
        "device_type": lambda device_type, _who, _at: device_type,
        "month": lambda _type, _who, at: at.astimezone(zone).strftime("%Y-%m"),
    }
    groups: dict[str, list[FeedbackRow]] = {}
    for grouping, key in keys.items():
        scores: dict[str, list[int]] = defaultdict(list)
        for score, _comment, at, _code, device_type, who in rows:
            scores[key(device_type, who, at)].append(score)
        groups[grouping] = [summarise(name, scores[name]) for name in sorted(scores)]
    return FeedbackReport(
        period=period,
        asked=len(uow.session.execute(asked_query).all()),
        total=summarise(_("All"), [row[0] for row in rows]),
        groups=groups,
        comments=[(code, score, comment) for score, comment, _at, code, *_ in rows if comment][
            :comments
        ],
    )


def _row_json(row: FeedbackRow, key: str) -> dict[str, object]:
    return {
        key: row.group,
        "count": row.count,
        "promoters": row.promoters,
        "passives": row.passives,
        "detractors": row.detractors,
        "nps": row.nps,
        "mean_score": row.mean_score,
    }


def feedback_to_json(report: FeedbackReport) -> dict[str, object]:
    total = _row_json(report.total, "group")
    total.pop("group")
    return {
        "from": report.period.start.isoformat() if report.period.start else None,
        "to": report.period.end.isoformat() if report.period.end else None,
        "asked": report.asked,
        **total,
        **{
            f"by_{grouping}": [_row_json(row, grouping) for row in rows]
            for grouping, rows in report.groups.items()
        },
        "comments": [
            {"job": code, "score": score, "comment": comment}
            for code, score, comment in report.comments
        ],
    }
