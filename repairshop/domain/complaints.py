"""Complaints (reklamace, Gewährleistung, rękojmia, szavatosság, претензия): what the customer
asks for, the legal deadlines to answer, and how a complaint was decided.

The deadlines come from the shop's settings, whose defaults are its country's law (see
:mod:`repairshop.domain.national_rules`):

- ``decide_days`` — the period to settle the complaint, counted in calendar days or, where
  the law says so (``working_days``), in working days; a calendar deadline that ends on a
  day off ends on the next working day;
- ``refund_days`` — a shorter period when the customer asks for their money back or a price
  reduction (RU: 10 days, ЗоЗПП art. 22); 0 means ``decide_days`` applies to every remedy;
- ``reply_days`` — working days to tell the customer whether the complaint is accepted
  (HU: 3 working days); 0 means no separate reply is due;
- ``accepted_if_unanswered`` — the complaint counts as accepted when the shop has not
  answered by the deadline (PL: ustawa o prawach konsumenta, art. 7a).

A complaint is due on its first open deadline; it is decided in time when the decision was
made on or before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from repairshop.domain.working_days import WorkingCalendar
from repairshop.errors import ValidationError
from repairshop.i18n import N_, _, format_day, ngettext

DUE_SOON_DAYS = 3
"""A complaint to decide within three days is due soon (the dashboard's tile counts them)."""


class Remedy(StrEnum):
    """What the customer asks for, and how an accepted complaint is settled."""

    REPAIR = "repair"
    REPLACE = "replace"
    REFUND = "refund"
    DISCOUNT = "discount"

    @property
    def label(self) -> str:
        return _(REMEDY_LABELS[self])


REMEDY_LABELS: dict[Remedy, str] = {
    Remedy.REPAIR: N_("Repair"),
    Remedy.REPLACE: N_("Replacement"),
    Remedy.REFUND: N_("Refund"),
    Remedy.DISCOUNT: N_("Price reduction"),
}


class ComplaintOutcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _(OUTCOME_LABELS[self])


OUTCOME_LABELS: dict[ComplaintOutcome, str] = {
    ComplaintOutcome.ACCEPTED: N_("Accepted"),
    ComplaintOutcome.REJECTED: N_("Rejected"),
}


def parse_remedy(value: str) -> Remedy:
    try:
        return Remedy(value.strip().lower())
    except ValueError:
        raise ValidationError(
            _("Unknown remedy “{value}”. Use one of: {keys}.").format(
                value=value, keys=", ".join(remedy.value for remedy in Remedy)
            ),
            field="remedy",
        ) from None


def parse_outcome(value: str) -> ComplaintOutcome:
    try:
        return ComplaintOutcome(value.strip().lower())
    except ValueError:
        raise ValidationError(
            _("A complaint is decided “accepted” or “rejected”, not “{value}”.").format(
                value=value
            ),
            field="outcome",
        ) from None


@dataclass(frozen=True)
class ComplaintRules:
    """The shop's complaint deadlines at the moment a complaint is received."""

    decide_days: int = 30
    working_days: bool = False
    refund_days: int = 0
    reply_days: int = 0
    accepted_if_unanswered: bool = False


@dataclass(frozen=True)
class Deadlines:
    received: date
    decide_by: date
    reply_by: date | None
    days: int
    """The period ``decide_by`` was counted with."""
    working_days: bool

    @property
    def first(self) -> date:
        """The first deadline: the reply when one is due before the settlement."""
        if self.reply_by is not None and self.reply_by < self.decide_by:
            return self.reply_by
        return self.decide_by


def complaint_deadlines(
    received: date, remedy: Remedy | None, rules: ComplaintRules, calendar: WorkingCalendar
) -> Deadlines:
    """The deadlines of a complaint received on ``received`` asking for ``remedy``."""
    days = rules.decide_days
    if remedy in (Remedy.REFUND, Remedy.DISCOUNT) and rules.refund_days > 0:
        days = rules.refund_days
    decide_by = calendar.add_days(received, days, working=rules.working_days)
    reply_by = (
        calendar.add_working_days(received, rules.reply_days) if rules.reply_days > 0 else None
    )
    return Deadlines(received, decide_by, reply_by, days, rules.working_days)


def days_left(deadline: date, today: date) -> int:
    """Calendar days from ``today`` to ``deadline``: 0 on the day, negative once past."""
    return (deadline - today).days


def decided_in_time(decided_on: date, deadline: date) -> bool:
    return decided_on <= deadline


def countdown(deadline: date, today: date) -> str:
    """“decide by 12 Dec 2026 (3 days left)”, or how many days it is overdue."""
    left = days_left(deadline, today)
    if left > 0:
        rest = ngettext("{count} day left", "{count} days left", left).format(count=left)
    elif left == 0:
        rest = _("due today")
    else:
        rest = ngettext("{count} day overdue", "{count} days overdue", -left).format(count=-left)
    return _("decide by {date} ({rest})").format(date=format_day(deadline), rest=rest)


def describe_decision(value: str | None) -> str:
    """A ``complaint`` history event's value (``accepted replace``, ``rejected``) in words."""
    outcome_key, _sep, remedy_key = (value or "").partition(" ")
    try:
        outcome = ComplaintOutcome(outcome_key)
    except ValueError:
        return value or ""
    if outcome is ComplaintOutcome.REJECTED or not remedy_key:
        return _("Complaint decided: {outcome}").format(outcome=outcome.label)
    try:
        remedy = Remedy(remedy_key).label
    except ValueError:
        remedy = remedy_key
    return _("Complaint decided: {outcome} ({remedy})").format(outcome=outcome.label, remedy=remedy)
