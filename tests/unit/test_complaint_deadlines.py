"""Complaint deadlines per country across weekends, public holidays and the shop's closed days."""

from __future__ import annotations

from datetime import date

import pytest

from repairshop.domain.complaints import (
    ComplaintRules,
    Remedy,
    complaint_deadlines,
    countdown,
    days_left,
    describe_decision,
)
from repairshop.domain.national_rules import NATIONAL_RULES
from repairshop.domain.working_days import WorkingCalendar


def national(country: str, **changes: object) -> ComplaintRules:
    rules = NATIONAL_RULES[country]
    values: dict[str, object] = {
        "decide_days": rules.complaint_decide_days,
        "working_days": rules.complaint_working_days,
        "refund_days": rules.complaint_refund_days,
        "reply_days": rules.complaint_reply_days,
        "accepted_if_unanswered": rules.complaint_accepted_if_unanswered,
    }
    values.update(changes)
    return ComplaintRules(**values)  # type: ignore[arg-type]


def decide_by(
    country: str,
    received: date,
    remedy: Remedy | None = None,
    closed: frozenset[date] = frozenset(),
) -> date:
    calendar = WorkingCalendar(country, closed)
    return complaint_deadlines(received, remedy, national(country), calendar).decide_by


def test_cz_thirty_days_on_a_working_day_stay_as_they_are() -> None:
    assert decide_by("CZ", date(2026, 3, 10)) == date(2026, 4, 9)


def test_cz_thirty_days_ending_on_christmas_move_past_the_holidays_and_the_weekend() -> None:
    # 24 Dec (Thursday) to 26 Dec are public holidays, then a weekend: Monday 28 Dec.
    assert decide_by("CZ", date(2026, 11, 24)) == date(2026, 12, 28)
    # Ending on Sunday 27 December: the next working day too.
    assert decide_by("CZ", date(2026, 11, 27)) == date(2026, 12, 28)


def test_cz_the_shops_closed_days_move_it_further_past_new_year() -> None:
    closed = frozenset(date(2026, 12, day) for day in range(28, 32))
    assert decide_by("CZ", date(2026, 11, 24), closed=closed) == date(2027, 1, 4)


def test_pl_fourteen_days_to_answer_ending_on_a_holiday_or_a_saturday() -> None:
    # 11 November, Independence Day (a Wednesday).
    assert decide_by("PL", date(2026, 10, 28)) == date(2026, 11, 12)
    # Saturday 28 March: kodeks cywilny art. 115 moves it to Monday.
    assert decide_by("PL", date(2026, 3, 14)) == date(2026, 3, 30)
    assert national("PL").accepted_if_unanswered


def test_hu_three_working_days_to_reply_and_fifteen_days_to_repair() -> None:
    calendar = WorkingCalendar("HU")
    # Friday 23 October is a national day; then a weekend.
    deadlines = complaint_deadlines(date(2026, 10, 22), Remedy.REPAIR, national("HU"), calendar)
    assert deadlines.reply_by == date(2026, 10, 28)
    assert deadlines.decide_by == date(2026, 11, 6)
    assert deadlines.first == date(2026, 10, 28)


def test_hu_a_saturday_worked_in_lieu_counts_as_a_working_day() -> None:
    # Saturday 10 January 2026 is worked in exchange for Friday 2 January.
    deadlines = complaint_deadlines(
        date(2026, 1, 8), Remedy.REPAIR, national("HU"), WorkingCalendar("HU")
    )
    assert deadlines.reply_by == date(2026, 1, 12)


def test_ru_forty_five_days_for_a_repair_ten_for_a_refund() -> None:
    # 9 May (Saturday) is Victory Day, observed on Monday 11 May: Tuesday 12 May.
    assert decide_by("RU", date(2026, 3, 25), Remedy.REPAIR) == date(2026, 5, 12)
    assert decide_by("RU", date(2026, 3, 25), Remedy.REPLACE) == date(2026, 5, 12)
    # Ten days end on 1 January 2027: the New Year holidays run to the 8th, then a weekend.
    assert decide_by("RU", date(2026, 12, 22), Remedy.REFUND) == date(2027, 1, 11)
    assert decide_by("RU", date(2026, 3, 10), Remedy.DISCOUNT) == date(2026, 3, 20)


def test_de_a_shop_chosen_period_in_working_days_with_a_closed_day() -> None:
    rules = national("DE", decide_days=10, working_days=True)
    received = date(2026, 12, 17)
    assert complaint_deadlines(received, None, rules, WorkingCalendar("DE")).decide_by == date(
        2027, 1, 4
    )
    closed = WorkingCalendar("DE", frozenset({date(2026, 12, 24)}))
    assert complaint_deadlines(received, None, rules, closed).decide_by == date(2027, 1, 5)
    assert national("DE").decide_days == 30


@pytest.mark.parametrize(
    ("today", "left", "text"),
    [
        (date(2026, 4, 6), 3, "decide by 09/04/2026 (3 days left)"),
        (date(2026, 4, 8), 1, "decide by 09/04/2026 (1 day left)"),
        (date(2026, 4, 9), 0, "decide by 09/04/2026 (due today)"),
        (date(2026, 4, 11), -2, "decide by 09/04/2026 (2 days overdue)"),
    ],
)
def test_the_countdown(today: date, left: int, text: str) -> None:
    assert days_left(date(2026, 4, 9), today) == left
    assert countdown(date(2026, 4, 9), today) == text


def test_a_decision_in_the_history_reads_as_words() -> None:
    assert describe_decision("accepted replace") == "Complaint decided: Accepted (Replacement)"
    assert describe_decision("rejected") == "Complaint decided: Rejected"
    assert describe_decision("something else") == "something else"
