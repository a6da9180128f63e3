"""A device comes in at the counter and goes through the workshop, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from repairshop.db.tables import Customer, Job, JobEvent
from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.errors import Conflict, InvalidTransition, NotFound, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.views import job_to_json
from repairshop.services.jobs.workflow import (
    JobEdit,
    add_note,
    assign,
    edit_job,
    find_jobs,
    show_job,
)
from repairshop.services.money.approval import approve
from repairshop.services.shop.users import add_user
from tests.helpers import SettableClock, intake_document, move_or_collect

S = JobStatus


def take_in(db: Database, **overrides: object) -> str:
    request = intake_request_from_json(intake_document(**overrides))
    with db.unit_of_work() as uow:
        result = intake(uow, request, "admin")
        uow.commit()
    return result.code


def add_technician(db: Database, login: str = "tomas", name: str = "Tomáš Hrubý") -> None:
    with db.unit_of_work() as uow:
        add_user(uow, login, name, "technician", "admin")
        uow.commit()


def move(db: Database, code: str, status: JobStatus, actor: str = "admin", **kw: object) -> None:
    with db.unit_of_work() as uow:
        move_or_collect(uow, code, status, actor, **kw)
        uow.commit()


def counts(db: Database) -> tuple[int, int, int]:
    with db.reader() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(Job)) or 0,
            uow.session.scalar(select(func.count()).select_from(Customer)) or 0,
            uow.session.scalar(select(func.count()).select_from(JobEvent)) or 0,
        )


def test_intake_gives_a_ticket_code_and_records_everything(db: Database) -> None:
    code = take_in(db)
    assert code == "R000001"
    with db.reader() as uow:
        job = show_job(uow, code, "admin")
    assert job.status is S.RECEIVED
    assert job.customer.phone == "+420777123456"
    assert job.customer.language == "cs"
    assert job.device.imei == "353326111702413"
    assert job.accessories == "case, SIM card"
    assert job.estimate == Decimal("3490.00")
    assert job.deposit == Decimal("500.00")
    assert job.promised == date(2026, 3, 16)  # five days from Tuesday is Sunday: Monday
    assert [event.kind for event in job.history] == ["created"]
    assert job.history[0].user == "admin"


def test_a_returning_customer_is_found_by_phone(db: Database) -> None:
    take_in(db)
    second = intake_document()
    second["customer"] = {"name": "Jiří Dvořák", "phone": "777123456", "language": "cs"}
    take_in(db, customer=second["customer"])
    assert counts(db)[:2] == (2, 1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"fault": ""}, "“fault” is required"),
        (
            {
                "device": {
                    "type": "phone",
                    "brand": "Apple",
                    "model": "iPhone 13",
                    "imei": "353326111702414",
                }
            },
            "check digit",
        ),
        ({"device": {"type": "toaster oven", "brand": "X", "model": "Y"}}, "Unknown device type"),
        ({"job_type": "miracle"}, "Unknown job type"),
        ({"estimate": "100", "deposit": "500"}, "deposit cannot be more"),
        ({"promised": "2020-01-01"}, "already passed"),
        ({"job_type": "warranty_claim"}, "purchase date"),
        ({"customer": {"name": "Anna"}}, "phone number or e-mail"),
        ({"customer": {"name": "Anna", "phone": "12"}}, "not a phone number"),
        ({"customer": {"name": "Anna", "phone": "777123456", "language": "fr"}}, "prints in"),
        ({"assignee": "nobody"}, "no user"),
    ],
)
def test_bad_intake_is_refused_and_changes_nothing(
    db: Database, overrides: dict[str, object], message: str
) -> None:
    before = counts(db)
    with pytest.raises((ValidationError, NotFound)) as refused:
        take_in(db, **overrides)
    assert message in refused.value.message
    assert counts(db) == before


def test_a_job_goes_from_counter_to_collection(db: Database, clock: SettableClock) -> None:
    add_technician(db)
    code = take_in(db)
    with db.unit_of_work() as uow:
        assign(uow, code, "tomas", "admin")
        uow.commit()
    for status in (S.DIAGNOSING, S.AWAITING_APPROVAL, S.IN_REPAIR, S.TESTING):
        clock.advance(hours=2)
        if status is S.IN_REPAIR:
            with db.unit_of_work() as uow:
                approve(uow, code, Decimal("3490"), ApprovalMethod.PHONE, "admin")
                uow.commit()
        move(db, code, status, "tomas")
    clock.advance(hours=1)
    move(db, code, S.READY, "tomas", outcome=Outcome.REPLACED)
    clock.advance(days=1)
    move(db, code, S.COLLECTED)
    with db.reader() as uow:
        job = show_job(uow, code, "admin")
    document = job_to_json(job)
    assert document["status"] == "collected"
    assert document["outcome"] == "replaced"
    assert document["assignee"] == "tomas"
    statuses = [(e["from"], e["to"]) for e in document["history"] if e["kind"] == "status"]
    assert statuses == [
        ("received", "diagnosing"),
        ("diagnosing", "awaiting_approval"),
        ("awaiting_approval", "in_repair"),
        ("in_repair", "testing"),
        ("testing", "ready"),
        ("ready", "collected"),
    ]
    assert [e["at"] for e in document["history"]] == sorted(e["at"] for e in document["history"])
    assert document["history"][-1]["at"] == "2026-03-11T18:00:00Z"
    assert document["history"][-1]["user"] == "admin"


def test_a_refused_move_changes_nothing(db: Database) -> None:
    code = take_in(db)
    before = counts(db)
    with pytest.raises(InvalidTransition, match="Allowed: Diagnosing, On hold, Cancelled"):
        move(db, code, S.COLLECTED)
    with db.reader() as uow:
        assert show_job(uow, code, "admin").status is S.RECEIVED
    assert counts(db) == before


def test_on_hold_goes_back_where_it_was(db: Database) -> None:
    code = take_in(db, job_type="warranty_claim", purchase_date="2025-06-01")
    move(db, code, S.DIAGNOSING)
    move(db, code, S.IN_REPAIR)
    move(db, code, S.ON_HOLD, note="waiting for the customer's password")
    with db.reader() as uow:
        assert show_job(uow, code, "admin").allowed_moves == (S.IN_REPAIR, S.CANCELLED)
    move(db, code, S.IN_REPAIR)


def test_cancelled_goes_back_unrepaired(db: Database) -> None:
    code = take_in(db)
    move(db, code, S.DIAGNOSING)
    move(db, code, S.CANCELLED, note="Customer declined")
    move(db, code, S.READY, outcome=Outcome.REPAIRED)
    with db.reader() as uow:
        assert show_job(uow, code, "admin").outcome == "returned_unrepaired"


def test_a_stale_edit_is_a_conflict_not_an_overwrite(db: Database) -> None:
    code = take_in(db)
    with db.reader() as uow:
        seen = show_job(uow, code, "admin").version
    move(db, code, S.DIAGNOSING)  # someone else, at another desk
    with db.unit_of_work() as uow, pytest.raises(Conflict, match="changed by someone else"):
        edit_job(uow, code, JobEdit(estimate=Decimal("100")), "admin", expected_version=seen)
    with db.reader() as uow:
        assert show_job(uow, code, "admin").estimate == Decimal("3490.00")


def test_edits_and_notes_are_kept_in_history(db: Database) -> None:
    code = take_in(db)
    with db.reader() as uow:
        version = show_job(uow, code, "admin").version
    with db.unit_of_work() as uow:
        edit_job(
            uow,
            code,
            JobEdit(estimate=Decimal("3990"), fault="Cracked screen, no touch"),
            "admin",
            expected_version=version,
        )
        add_note(uow, code, "Customer will call back", "admin")
        uow.commit()
    with db.reader() as uow:
        history = show_job(uow, code, "admin").history
    kinds = [(event.kind, event.note) for event in history]
    assert ("price", "estimate") in kinds
    assert ("edited", "fault") in kinds
    assert ("note", "Customer will call back") in kinds


def test_only_technicians_can_be_assigned(db: Database) -> None:
    code = take_in(db)
    with db.unit_of_work() as uow:
        add_user(uow, "petra", "Petra Malá", "clerk", "admin")
        uow.commit()
    with db.unit_of_work() as uow, pytest.raises(ValidationError, match="not a technician"):
        assign(uow, code, "petra", "admin")


def test_the_passcode_is_shown_only_to_technicians(db: Database) -> None:
    add_technician(db)
    with db.unit_of_work() as uow:
        add_user(uow, "petra", "Petra Malá", "clerk", "admin")
        uow.commit()
    code = take_in(db)
    with db.reader() as uow:
        assert show_job(uow, code, "tomas").passcode == "1234"
        assert show_job(uow, code, "petra").passcode is None


@pytest.mark.parametrize(
    "query",
    [
        "R000001",
        "r000001",
        "dvořák",
        "777 123",
        "+420777123456",
        "353326111702413",
        "galaxy s23",
        "R5CW12",
        "seznam",
        "jiří samsung",
    ],
)
def test_search_finds_a_job_by_anything_the_counter_knows(db: Database, query: str) -> None:
    code = take_in(db)
    take_in(
        db,
        customer={"name": "Jürgen Groß", "phone": "+49 170 1234567", "language": "de"},
        device={"type": "laptop", "brand": "Lenovo", "model": "ThinkPad T14"},
    )
    with db.reader() as uow:
        found = [job.code for job in find_jobs(uow, query)]
    assert found[0] == code
    assert len(found) == 1


def test_search_with_short_terms_and_nothing_found(db: Database) -> None:
    take_in(db)
    with db.reader() as uow:
        assert [j.code for j in find_jobs(uow, "s2")] == ["R000001"]
        assert find_jobs(uow, "nokia") == []
        assert [j.code for j in find_jobs(uow, "")] == ["R000001"]
