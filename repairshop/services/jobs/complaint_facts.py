"""A complaint's deadlines, computed when intake opens it and stored with the job.

Like the warranty decision, the deadlines are fixed the day the complaint is received:
a later change of the shop's settings, holidays or closed days never moves them. The
after-sales room (above this one) decides complaints, lists them by deadline and prints
their protocol.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from repairshop.db.tables import Complaint, Job
from repairshop.domain.codes import normalise_ticket_code
from repairshop.domain.complaints import Deadlines, Remedy, complaint_deadlines
from repairshop.domain.statuses import JobStatus
from repairshop.domain.working_days import WorkingCalendar
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.shop.opening_hours import get_opening_hours
from repairshop.services.shop.settings import ShopRules, get_rules
from repairshop.services.uow import UnitOfWork


def working_calendar(uow: UnitOfWork, rules: ShopRules | None = None) -> WorkingCalendar:
    """The shop's working days: its country's holidays and its own closed days."""
    country = (rules or get_rules(uow)).country
    return WorkingCalendar(country, get_opening_hours(uow).closed_days)


def complained_job(uow: UnitOfWork, code: str) -> Job:
    """The job a complaint is about: an existing job whose device has left the shop."""
    original = uow.session.scalar(select(Job).where(Job.code == normalise_ticket_code(code)))
    if original is None:
        raise ValidationError(
            _("There is no job with ticket code “{code}” to complain about.").format(
                code=code.strip()
            ),
            field="complaint_of",
        )
    if original.status != JobStatus.COLLECTED.value:
        raise ValidationError(
            _(
                "Job {code} has not been collected yet: a complaint is about a job whose "
                "device went back to the customer."
            ).format(code=original.code),
            field="complaint_of",
        )
    return original


def deadlines_for(uow: UnitOfWork, received: date, remedy: Remedy | None) -> Deadlines:
    rules = get_rules(uow)
    return complaint_deadlines(
        received, remedy, rules.complaint_rules(), working_calendar(uow, rules)
    )


def store_complaint(
    uow: UnitOfWork, job: Job, received: date, remedy: Remedy | None, deadlines: Deadlines
) -> Complaint:
    rules = get_rules(uow)
    complaint = Complaint(
        job=job,
        received=received,
        remedy=remedy.value if remedy else None,
        country=rules.country,
        deadline_days=deadlines.days,
        working_days=deadlines.working_days,
        decide_by=deadlines.decide_by,
        reply_by=deadlines.reply_by,
        first_due=deadlines.first,
        accepted_if_unanswered=rules.complaint_accepted_if_unanswered,
        reason="",
    )
    uow.session.add(complaint)
    return complaint
