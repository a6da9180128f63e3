"""The Reports view's complaints per month: decided in time, late, open; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from repairshop.domain.complaints import ComplaintOutcome, Remedy
from repairshop.services.database import Database
from repairshop.services.reports.complaints import (
    ComplaintMonth,
    complaints_by_month,
    month_label,
)
from repairshop.services.reports.figures import Period
from tests.helpers import SettableClock
from tests.integration.test_complaints import complain, decide, repaired
from tests.integration.test_warranty import setting


def test_each_month_of_the_period_counts_its_complaints_by_their_deadline(
    db: Database, clock: SettableClock
) -> None:
    original = repaired(db, clock)  # collected Tuesday 10 March 2026
    setting(db, "shop.country", "PL")  # 14 days to decide
    in_time = complain(db, original)
    late = complain(db, original)
    clock.advance(days=5)
    decide(db, in_time, ComplaintOutcome.REJECTED, reason="Damaged by water")
    clock.advance(days=25)  # 9 April: the second is past its deadline
    decide(db, late, ComplaintOutcome.ACCEPTED, reason="Screen replaced", remedy=Remedy.REPAIR)
    complain(db, original)  # received 9 April, then left undecided past its deadline
    decided_late = complain(db, original)
    clock.advance(days=20)  # 29 April
    decide(db, decided_late, ComplaintOutcome.REJECTED, reason="No fault found")
    clock.advance(days=2)
    complain(db, original)  # 1 May, its deadline still ahead

    with db.reader() as uow:
        months = complaints_by_month(uow, Period(date(2026, 2, 15), date(2026, 5, 31)))
    assert months == [
        ComplaintMonth(date(2026, 2, 1), 0, 0, 0),
        ComplaintMonth(date(2026, 3, 1), 1, 1, 0),
        ComplaintMonth(date(2026, 4, 1), 0, 2, 0),
        ComplaintMonth(date(2026, 5, 1), 0, 0, 1),
    ]
    assert [month.received for month in months] == [0, 2, 2, 1]
    assert month_label(date(2026, 3, 1), "en") == "Mar 2026"
    assert month_label(date(2026, 3, 1), "cs") == "bře 2026"
