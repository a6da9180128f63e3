"""A desk sees what other desks committed: job history and stock ledger rows past its mark."""

from __future__ import annotations

from decimal import Decimal

from repairshop.domain.statuses import JobStatus
from repairshop.services.changes import ChangeKind
from repairshop.services.customers.card import set_consent
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status, show_job
from repairshop.services.parts.stock import PartInput, add_part, adjust, update_part
from repairshop.services.watch import (
    SLACK,
    WatchMark,
    changes_since,
    mark_seen,
    record_own_rows,
    start_watch,
)
from tests.helpers import intake_document


def _take_in(db: Database) -> str:
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    return code


def _job_id(db: Database, code: str) -> int:
    with db.reader() as uow:
        return show_job(uow, code, "admin").id


def test_a_desk_sees_each_change_once_and_nothing_before_its_mark(db: Database) -> None:
    before = _take_in(db)
    with db.reader() as uow:
        mark = start_watch(uow)
    with db.reader() as uow:
        mark, changes = changes_since(uow, mark)
    assert changes.kinds == frozenset()  # the job taken in before the mark is not news

    code = _take_in(db)
    with db.unit_of_work() as uow:
        change_status(uow, before, JobStatus.DIAGNOSING, "admin")
        add_part(uow, PartInput(sku="BAT-1", name="Battery"), "admin")
        adjust(uow, "BAT-1", 3, "found in the drawer", "admin")
        uow.commit()
    with db.reader() as uow:
        mark, changes = changes_since(uow, mark)
    assert changes.touches(ChangeKind.JOB)
    assert set(changes.job_ids) == {_job_id(db, code), _job_id(db, before)}
    assert changes.touches(ChangeKind.PART)
    assert len(changes.part_ids) == 1
    with db.reader() as uow:
        mark, again = changes_since(uow, mark)
    assert again.kinds == frozenset()  # reported once


def test_a_row_committed_late_below_the_last_id_is_still_seen(db: Database) -> None:
    code = _take_in(db)
    with db.reader() as uow:
        present = start_watch(uow)
    # As if the newest event had not been committed when the desk last looked.
    late = WatchMark(
        last_event=present.last_event,
        last_movement=present.last_movement,
        seen_events=present.seen_events - {present.last_event},
        seen_movements=present.seen_movements,
    )
    with db.reader() as uow:
        mark, changes = changes_since(uow, late)
    assert changes.job_ids == (_job_id(db, code),)
    assert present.last_event in mark.seen_events
    assert all(event > mark.last_event - SLACK for event in mark.seen_events)


def test_a_desks_own_rows_are_not_news_to_it_but_another_desks_are(db: Database) -> None:
    code = _take_in(db)
    with db.reader() as uow:
        mark = start_watch(uow)
    with db.unit_of_work() as uow:  # this desk
        own = record_own_rows(uow)
        change_status(uow, code, JobStatus.DIAGNOSING, "admin")
        add_part(uow, PartInput(sku="BAT-1", name="Battery"), "admin")
        adjust(uow, "BAT-1", 3, "found in the drawer", "admin")
        uow.commit()
    assert len(own.events) == 1
    assert len(own.movements) == 1
    mark = mark_seen(mark, own)
    with db.unit_of_work() as uow:  # another desk
        adjust(uow, "BAT-1", -1, "dropped", "admin")
        uow.commit()
    with db.reader() as uow:
        mark, changes = changes_since(uow, mark)
    assert changes.kinds == frozenset({ChangeKind.PART})  # the job move was this desk's
    assert len(changes.part_ids) == 1


def test_edits_without_a_history_line_are_seen_through_the_audit_log(db: Database) -> None:
    code = _take_in(db)
    with db.unit_of_work() as uow:
        part_id = add_part(uow, PartInput(sku="BAT-1", name="Battery"), "admin").changes.part_ids[0]
        customer = show_job(uow, code, "admin").customer
        uow.commit()
    with db.reader() as uow:
        mark = start_watch(uow)
    with db.unit_of_work() as uow:  # this desk renames the part
        own = record_own_rows(uow)
        update_part(uow, PartInput(sku="BAT-1", name="Battery, 3000 mAh"), "admin")
        uow.commit()
    assert own.audits
    mark = mark_seen(mark, own)
    with db.reader() as uow:
        mark, changes = changes_since(uow, mark)
    assert changes.kinds == frozenset()  # its own edit is no news to it

    with db.unit_of_work() as uow:  # another desk: a new price, a customer's consent
        update_part(uow, PartInput(sku="BAT-1", name="Battery", price=Decimal(25)), "admin")
        set_consent(uow, customer.id, not customer.consent_to_contact, "admin")
        uow.commit()
    with db.reader() as uow:
        mark, changes = changes_since(uow, mark)
    assert changes.kinds == frozenset({ChangeKind.PART, ChangeKind.CUSTOMER})
    assert changes.part_ids == (part_id,)
    assert changes.customer_ids == (customer.id,)
    assert changes.job_ids == ()
    with db.reader() as uow:
        mark, again = changes_since(uow, mark)
    assert again.kinds == frozenset()  # reported once
