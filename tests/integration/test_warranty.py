"""The warranty decided at intake, read back as the counter sees it, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import update

from repairshop.db.tables import Job
from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.domain.warranty import Regime
from repairshop.errors import PermissionDenied, ValidationError
from repairshop.services.aftersales.warranty import explain, override
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.views import job_to_json
from repairshop.services.jobs.workflow import show_job
from repairshop.services.money.approval import approve
from repairshop.services.shop.settings import get_rules, set_setting
from repairshop.services.shop.users import add_user
from tests.helpers import SettableClock, intake_document, move_or_collect

S = JobStatus


def take_in(db: Database, *, job_type: str | None = None, **device: Any) -> str:
    document = intake_document()
    if job_type is None:
        del document["job_type"]
    else:
        document["job_type"] = job_type
    for key in ("fault", "repeat_of", "repair_over_replacement"):
        if key in device:
            document[key] = device.pop(key)
    document["device"] = {**document["device"], **device}
    with db.unit_of_work() as uow:
        result = intake(uow, intake_request_from_json(document), "admin")
        uow.commit()
    return result.code


def job(db: Database, code: str) -> dict[str, Any]:
    with db.reader() as uow:
        return job_to_json(show_job(uow, code, "admin"))


def setting(db: Database, key: str, value: str) -> None:
    with db.unit_of_work() as uow:
        set_setting(uow, key, value, "admin")
        uow.commit()


def collect(db: Database, code: str, clock: SettableClock, outcome: Outcome) -> None:
    """Through the workshop to the counter, as the workflow allows for the job's type."""
    for status in (S.DIAGNOSING, S.AWAITING_APPROVAL, S.IN_REPAIR, S.TESTING, S.READY, S.COLLECTED):
        with db.unit_of_work() as uow:
            if status not in show_job(uow, code, "admin").allowed_moves:
                continue
            clock.advance(hours=1)
            shown = show_job(uow, code, "admin")
            if status is S.IN_REPAIR and shown.price is not None:  # the customer says yes
                approve(uow, code, shown.price, ApprovalMethod.IN_PERSON, "admin")
            kw = {"outcome": outcome} if status is S.READY else {}
            move_or_collect(uow, code, status, "admin", **kw)
            uow.commit()
    assert job(db, code)["status"] == "collected"


def test_inside_the_manufacturer_period_it_is_a_warranty_claim(db: Database) -> None:
    code = take_in(db, purchase_date="2025-06-01", proof_of_purchase="Alza invoice 25-1101")
    shown = job(db, code)
    assert shown["job_type"] == "warranty_claim"
    assert shown["purchase_date"] == "2025-06-01"
    assert shown["warranty"] == {
        "regime": "manufacturer",
        "until": "2027-06-01",
        "burden_of_proof": None,
        "reasons": [
            "The Samsung warranty runs 24 months from the purchase on 01/06/2025, "
            "until 01/06/2027, and a proof of purchase was presented."
        ],
        "overridden_by": None,
    }


def test_outside_the_manufacturer_period_it_is_a_paid_repair(db: Database) -> None:
    code = take_in(db, purchase_date="2023-06-01", proof_of_purchase="receipt")
    shown = job(db, code)
    assert shown["job_type"] == "paid_repair"
    assert shown["warranty"]["regime"] == "none"
    assert shown["warranty"]["until"] is None
    assert "ended on 01/06/2025" in " ".join(shown["warranty"]["reasons"])


def test_the_clerks_explicit_job_type_stands(db: Database) -> None:
    code = take_in(db, job_type="estimate", purchase_date="2025-06-01", proof_of_purchase="receipt")
    shown = job(db, code)
    assert shown["job_type"] == "estimate"
    assert shown["warranty"]["regime"] == "manufacturer"


def test_no_purchase_date_no_warranty(db: Database) -> None:
    code = take_in(db, sold_by_us=True, proof_of_purchase="receipt")
    shown = job(db, code)
    assert shown["job_type"] == "paid_repair"
    assert shown["warranty"]["regime"] == "none"
    with db.reader() as uow:
        rules = explain(uow, code).rules_to_json()
    assert [(r["rule"], r["applies"]) for r in rules] == [
        ("manufacturer", False),
        ("statutory", False),
        ("repair_warranty", False),
    ]
    assert "delivery date was not given" in rules[1]["reason"]


@pytest.mark.parametrize(
    ("country", "delivered", "burden"),
    [
        ("CZ", "2025-06-01", "seller"),
        ("CZ", "2024-11-01", "customer"),
        ("PL", "2025-06-01", "seller"),
        ("PL", "2024-11-01", "seller"),
    ],
)
def test_statutory_liability_in_the_first_and_second_year(
    db: Database, country: str, delivered: str, burden: str
) -> None:
    setting(db, "shop.country", country)
    code = take_in(db, purchase_date=delivered, sold_by_us=True)
    warranty = job(db, code)["warranty"]
    assert warranty["regime"] == "statutory"
    assert warranty["until"] == str(int(delivered[:4]) + 2) + delivered[4:]
    assert warranty["burden_of_proof"] == burden


def test_a_repeat_fault_inside_our_repair_warranty_and_a_re_repair_does_not_reset_it(
    db: Database, clock: SettableClock
) -> None:
    first = take_in(db, fault="Cracked screen")
    collect(db, first, clock, Outcome.REPAIRED)
    collected = job(db, first)["history"][-1]["at"][:10]
    assert collected == "2026-03-10"

    clock.advance(days=40)
    second = take_in(db, fault="Touch does not respond", repeat_of=first)
    warranty = job(db, second)["warranty"]
    assert job(db, second)["job_type"] == "warranty_claim"
    assert warranty["regime"] == "repair_warranty"
    assert warranty["until"] == "2026-06-08"
    assert warranty["reasons"][0].startswith(
        f"The clerk says the fault repaired on job {first} is back."
    )
    collect(db, second, clock, Outcome.REPAIRED)

    clock.advance(days=40)
    third = take_in(db, fault="Touch does not respond")
    warranty = job(db, third)["warranty"]
    assert warranty["regime"] == "repair_warranty"
    assert warranty["until"] == "2026-06-08"
    assert "a re-repair does not start it again" in warranty["reasons"][0]


def test_twelve_more_months_after_repair_was_chosen_over_replacement(
    db: Database, clock: SettableClock
) -> None:
    first = take_in(db, purchase_date="2024-06-01", sold_by_us=True, repair_over_replacement=True)
    assert job(db, first)["warranty"]["until"] == "2026-06-01"
    collect(db, first, clock, Outcome.REPAIRED)

    clock.now = datetime(2026, 8, 3, 10, 0, tzinfo=UTC)
    second = take_in(db, purchase_date="2024-06-01", fault="Speaker crackles")
    warranty = job(db, second)["warranty"]
    assert warranty["regime"] == "statutory"
    assert warranty["until"] == "2027-06-01"
    assert warranty["burden_of_proof"] == "customer"
    assert "extended by 12 months" in warranty["reasons"][0]


def test_a_replacement_device_inherits_the_remaining_warranty(
    db: Database, clock: SettableClock
) -> None:
    old = take_in(db, purchase_date="2025-12-01", sold_by_us=True, fault="Dead on arrival")
    collect(db, old, clock, Outcome.REPLACED)

    clock.advance(days=20)
    new = take_in(
        db,
        serial="R5CW99NEWXX",
        imei="",
        replaces="R5CW12ABCDE",
        fault="No sound from the earpiece",
    )
    warranty = job(db, new)["warranty"]
    assert warranty["regime"] == "statutory"
    assert warranty["until"] == "2027-12-01"
    assert warranty["burden_of_proof"] == "seller"
    assert f"replaced the one on job {old}" in warranty["reasons"][0]


def test_a_settings_change_never_rewrites_a_stored_decision(db: Database) -> None:
    code = take_in(db, purchase_date="2025-06-01", proof_of_purchase="receipt")
    setting(db, "warranty.manufacturer_months.Samsung", "6")
    with db.reader() as uow:
        assert get_rules(uow).manufacturer_months_by == {"Samsung": 6}
    assert job(db, code)["warranty"]["until"] == "2027-06-01"
    assert (
        job(db, take_in(db, purchase_date="2025-06-01", proof_of_purchase="r"))["warranty"][
            "regime"
        ]
        == "none"
    )


def test_a_manager_overrides_with_a_reason_kept_in_the_history(db: Database) -> None:
    code = take_in(db, purchase_date="2025-06-01", proof_of_purchase="receipt")
    with db.unit_of_work() as uow:
        add_user(uow, "eva", "Eva Malá", "clerk", "admin")
        uow.commit()
    with db.unit_of_work() as uow, pytest.raises(PermissionDenied):
        override(uow, code, Regime.NONE, "eva", until=None, why="water damage")
    assert job(db, code)["warranty"]["overridden_by"] is None

    with db.unit_of_work() as uow:
        override(uow, code, Regime.NONE, "admin", until=None, why="Water damage inside")
        uow.commit()
    shown = job(db, code)
    assert shown["job_type"] == "paid_repair"
    assert shown["warranty"]["regime"] == "none"
    assert shown["warranty"]["until"] is None
    assert shown["warranty"]["overridden_by"] == "admin"
    assert shown["warranty"]["reasons"][0] == "Set by Administrator: Water damage inside"
    [event] = [e for e in shown["history"] if e["kind"] == "warranty"]
    assert (event["old"], event["new"], event["note"]) == (
        "manufacturer 2027-06-01",
        "none",
        "Water damage inside",
    )


def test_an_earlier_job_named_must_be_on_this_device(db: Database) -> None:
    other = take_in(db, serial="OTHER123", imei="")
    with pytest.raises(ValidationError, match="not a collected job on this device"):
        take_in(db, repeat_of=other)


def test_a_job_taken_in_before_warranty_decisions_shows_none(db: Database) -> None:
    code = take_in(db)
    with db.unit_of_work() as uow:
        uow.session.execute(update(Job).values(warranty_regime=None, warranty_decision=None))
        uow.commit()
    assert job(db, code)["warranty"] is None
    with db.reader() as uow, pytest.raises(ValidationError, match="before RepairShop decided"):
        explain(uow, code)
