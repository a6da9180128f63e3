"""Complaints opened, counted down, decided and listed, read back as the counter sees them,
with a fixed clock, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from repairshop.domain.complaints import ComplaintOutcome, Remedy
from repairshop.domain.opening_hours import OpeningHours
from repairshop.domain.statuses import Outcome
from repairshop.errors import PermissionDenied, ValidationError
from repairshop.services.aftersales.complaints import (
    count_due,
    decide_complaint,
    list_complaints,
    open_complaint,
)
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.reports.complaints import complaint_report
from repairshop.services.reports.figures import Period
from repairshop.services.shop.opening_hours import write_opening_hours
from repairshop.services.shop.settings import all_settings, get_rules
from repairshop.services.shop.users import add_user
from tests.helpers import SettableClock, intake_document
from tests.integration.test_warranty import collect, job, setting, take_in


def repaired(db: Database, clock: SettableClock) -> str:
    """A phone repaired and collected on Tuesday 10 March 2026."""
    code = take_in(db, job_type="paid_repair")
    collect(db, code, clock, Outcome.REPAIRED)
    return code


def complain(db: Database, original: str, **options: Any) -> str:
    with db.unit_of_work() as uow:
        result = open_complaint(uow, original, "admin", **options)
        uow.commit()
    return result.code


def decide(db: Database, code: str, outcome: ComplaintOutcome, **options: Any) -> None:
    with db.unit_of_work() as uow:
        decide_complaint(uow, code, outcome, options.pop("actor", "admin"), **options)
        uow.commit()


def test_a_complaint_is_a_job_linked_to_the_original_with_its_legal_deadline(
    db: Database, clock: SettableClock
) -> None:
    original = repaired(db, clock)
    code = complain(db, original, fault="The screen flickers again", remedy=Remedy.REPAIR)
    complaint = job(db, code)
    assert complaint["job_type"] == "complaint"
    assert complaint["status"] == "received"
    assert complaint["fault"] == "The screen flickers again"
    assert complaint["customer"] == job(db, original)["customer"]
    assert complaint["device"]["serial"] == "R5CW12ABCDE"
    assert complaint["complaint"]["of"] == original
    assert complaint["complaint"]["received"] == "2026-03-10"
    # CZ: 30 days, consumer protection act §19.
    assert complaint["complaint"]["decide_by"] == "2026-04-09"
    assert complaint["complaint"]["remedy"] == "repair"
    assert complaint["complaint"]["decided"] is None
    assert complaint["promised"] == "2026-04-09"
    # The complaint is about our own repair: our repair warranty covers it.
    assert complaint["warranty"]["regime"] == "repair_warranty"
    assert job(db, original)["complaint"] is None


def test_intake_with_complaint_of_opens_a_complaint_the_same_way(
    db: Database, clock: SettableClock
) -> None:
    original = repaired(db, clock)
    setting(db, "shop.country", "PL")
    document = intake_document(complaint_of=original, remedy="replace")
    del document["job_type"]
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(document), "admin").code
        uow.commit()
    complaint = job(db, code)
    assert complaint["job_type"] == "complaint"
    assert complaint["complaint"]["of"] == original
    assert complaint["complaint"]["decide_by"] == "2026-03-24"
    assert complaint["complaint"]["remedy"] == "replace"


def test_the_deadline_counts_the_shops_country_holidays_and_closed_days(
    db: Database, clock: SettableClock
) -> None:
    original = repaired(db, clock)
    setting(db, "shop.country", "HU")
    with db.unit_of_work() as uow:
        # The shop is shut on Friday 13 March; Sunday 15 March is a national day.
        write_opening_hours(uow, OpeningHours(closed_days=frozenset({date(2026, 3, 13)})))
        uow.commit()
    code = complain(db, original, remedy=Remedy.REPAIR)
    deadlines = job(db, code)["complaint"]
    # Three working days to reply: Wednesday 11, Thursday 12, (13 closed), Monday 16.
    assert deadlines["reply_by"] == "2026-03-16"
    assert deadlines["decide_by"] == "2026-03-25"
    setting(db, "shop.country", "RU")
    refund = complain(db, original, remedy=Remedy.REFUND)
    assert job(db, refund)["complaint"]["decide_by"] == "2026-03-20"
    # A later change of the settings never moves a deadline already given.
    setting(db, "complaint.decide_days", "60")
    assert job(db, code)["complaint"]["decide_by"] == "2026-03-25"


def test_decided_accepted_with_the_remedy_asked_and_the_history_keeps_it(
    db: Database, clock: SettableClock
) -> None:
    original = repaired(db, clock)
    code = complain(db, original, remedy=Remedy.REPLACE)
    clock.advance(days=6)
    decide(db, code, ComplaintOutcome.ACCEPTED, reason="Display defect confirmed")
    decided = job(db, code)["complaint"]["decided"]
    assert decided["outcome"] == "accepted"
    assert decided["remedy"] == "replace"
    assert decided["reason"] == "Display defect confirmed"
    assert decided["at"].startswith("2026-03-16")
    assert decided["took_days"] == 6
    assert decided["in_time"] is True
    event = job(db, code)["history"][-1]
    assert event["kind"] == "complaint"
    assert event["new"] == "accepted replace"
    assert event["note"] == "Display defect confirmed"
    with pytest.raises(ValidationError, match="already decided"):
        decide(db, code, ComplaintOutcome.REJECTED, reason="again")


def test_refused_decisions_change_nothing(db: Database, clock: SettableClock) -> None:
    original = repaired(db, clock)
    code = complain(db, original)
    before = job(db, code)
    with pytest.raises(ValidationError, match="Say how the accepted complaint is settled"):
        decide(db, code, ComplaintOutcome.ACCEPTED, reason="fine")
    with pytest.raises(ValidationError, match="not settled with a remedy"):
        decide(db, code, ComplaintOutcome.REJECTED, reason="Water damage", remedy=Remedy.REFUND)
    with pytest.raises(ValidationError, match="Give the reason"):
        decide(db, code, ComplaintOutcome.REJECTED, reason="  ")
    with db.unit_of_work() as uow:
        add_user(uow, "eva", "Eva Malá", "clerk", actor="admin")
        uow.commit()
    with pytest.raises(PermissionDenied):
        decide(db, code, ComplaintOutcome.REJECTED, reason="Water damage", actor="eva")
    with pytest.raises(ValidationError, match="not a complaint"):
        decide(db, original, ComplaintOutcome.REJECTED, reason="Water damage")
    assert job(db, code) == before


def test_a_complaint_about_a_job_still_in_the_shop_is_refused(db: Database) -> None:
    in_shop = take_in(db, job_type="paid_repair")
    with pytest.raises(ValidationError, match="has not been collected yet"):
        complain(db, in_shop)
    with pytest.raises(ValidationError, match="no job with ticket code"):
        complain(db, "R999999")


def test_due_overdue_lists_the_tile_count_and_the_share_decided_in_time(
    db: Database, clock: SettableClock
) -> None:
    original = repaired(db, clock)
    setting(db, "shop.country", "PL")
    early = complain(db, original)  # decide by 24 March
    clock.advance(days=5)
    late = complain(db, original)  # received 15 March (Sunday): decide by 30 March
    clock.advance(days=7)  # Sunday 22 March
    with db.reader() as uow:
        assert [row.code for row in list_complaints(uow, due_within=3)] == [early]
        assert count_due(uow, 3) == 1
        assert list_complaints(uow, overdue=True) == []
        rows = list_complaints(uow)
    assert [(row.code, row.days_left) for row in rows] == [(early, 2), (late, 8)]
    decide(db, early, ComplaintOutcome.REJECTED, reason="Damaged by water")
    clock.advance(days=10)  # 1 April: the second one is overdue
    with db.reader() as uow:
        overdue = list_complaints(uow, overdue=True)
        assert [(row.code, row.days_left) for row in overdue] == [(late, -2)]
        assert count_due(uow, 3) == 1
        report = complaint_report(uow, Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert job(db, late)["complaint"]["deemed_accepted"] is True
    assert (report.received, report.decided, report.rejected) == (2, 1, 1)
    assert (report.in_time, report.late, report.overdue) == (1, 1, 1)
    assert report.share_in_time == 0.5


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("CZ", {"decide_days": "30", "refund_days": "0", "reply_days": "0", "accepted": "false"}),
        ("PL", {"decide_days": "14", "refund_days": "0", "reply_days": "0", "accepted": "true"}),
        ("HU", {"decide_days": "15", "refund_days": "0", "reply_days": "3", "accepted": "false"}),
        ("RU", {"decide_days": "45", "refund_days": "10", "reply_days": "0", "accepted": "false"}),
        ("DE", {"decide_days": "30", "refund_days": "0", "reply_days": "0", "accepted": "false"}),
    ],
)
def test_each_countrys_complaint_defaults_are_settings_the_shop_can_change(
    db: Database, country: str, expected: dict[str, str]
) -> None:
    setting(db, "shop.country", country)
    with db.reader() as uow:
        values = {item.key: (item.value, item.is_default) for item in all_settings(uow)}
    assert values["complaint.decide_days"] == (expected["decide_days"], True)
    assert values["complaint.refund_days"] == (expected["refund_days"], True)
    assert values["complaint.reply_days"] == (expected["reply_days"], True)
    assert values["complaint.accepted_if_unanswered"] == (expected["accepted"], True)
    setting(db, "complaint.reply_days", "2")
    with pytest.raises(ValidationError, match="a whole number from 0 to 30"):
        setting(db, "complaint.reply_days", "31")
    with db.reader() as uow:
        assert get_rules(uow).complaint_rules().reply_days == 2
