"""A device's history across visits, its replacement, and a job's manufacturer claim."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, update

from repairshop.db.tables import Device, Job, JobEvent
from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.errors import NotFound, ValidationError
from repairshop.services.aftersales.claims import add_claim_part, job_claim, record_claim
from repairshop.services.aftersales.devices import device_history, history_to_json
from repairshop.services.aftersales.rma import open_rma
from repairshop.services.database import Database
from repairshop.services.jobs.workflow import change_status, show_job
from repairshop.services.money.approval import approve
from repairshop.services.parts.job_parts import receive_part, reserve_part, use_part
from repairshop.services.parts.stock import PartInput, add_part
from tests.helpers import SettableClock
from tests.integration.test_warranty import collect, take_in

S = JobStatus
SERIAL = "R5CW12ABCDE"
IMEI = "353326111702413"


def fit_board(db: Database, code: str, serial: str) -> None:
    """Diagnose, the customer approves the price, fit one mainboard unit with this serial."""
    with db.unit_of_work() as uow:
        receive_part(uow, "MB-S23", 1, "admin", serials=[serial])
        change_status(uow, code, S.DIAGNOSING, "admin")
        reserve_part(uow, code, "MB-S23", 1, "admin", serials=[serial])
        change_status(uow, code, S.AWAITING_APPROVAL, "admin")
        price = show_job(uow, code, "admin").price
        assert price is not None
        approve(uow, code, price, ApprovalMethod.IN_PERSON, "admin")  # the customer says yes
        change_status(uow, code, S.IN_REPAIR, "admin")
        use_part(uow, code, "MB-S23", 1, "admin")
        uow.commit()


def history(db: Database, text: str) -> dict[str, Any]:
    with db.reader() as uow:
        return history_to_json(device_history(uow, text))


def test_three_visits_and_a_replacement_make_one_history(
    db: Database, clock: SettableClock
) -> None:
    with db.unit_of_work() as uow:
        add_part(
            uow,
            PartInput(
                sku="MB-S23",
                name="Galaxy S23 mainboard",
                price=Decimal("6900"),
                serialised=True,
                supplier="MobileParts",
            ),
            "admin",
        )
        uow.commit()
    first = take_in(db, fault="Does not charge")
    fit_board(db, first, "MB-0001")
    collect(db, first, clock, Outcome.REPAIRED)

    clock.advance(days=40)
    second = take_in(db, fault="Does not charge again", purchase_date="2026-01-05")
    with db.unit_of_work() as uow:
        record_claim(uow, second, "SAM-CLM-88123", "admin")
        add_claim_part(
            uow,
            second,
            "MB-S23",
            "admin",
            old_serial="MB-0001",
            new_serial="MB-0002",
            to_return=True,
        )
        uow.commit()
    collect(db, second, clock, Outcome.REPAIRED)
    with db.unit_of_work() as uow:
        open_rma(uow, "MobileParts", "MB-S23", "admin", reason="Failed again", serial="MB-0001")
        uow.commit()

    clock.advance(days=30)
    third = take_in(db, fault="Boot loop")
    with db.unit_of_work() as uow:  # a complaint about the second visit
        second_id = uow.session.scalar(select(Job.id).where(Job.code == second))
        uow.session.execute(update(Job).where(Job.code == third).values(complaint_of_id=second_id))
        uow.commit()
    collect(db, third, clock, Outcome.REPLACED)

    clock.advance(days=1)
    new = take_in(db, serial="R5CW99NEWXX", imei="", replaces=SERIAL, fault="Set up the new one")

    with db.reader() as uow:
        records = uow.session.scalar(
            select(func.count()).select_from(Device).where(Device.serial == SERIAL)
        )
    assert records == 1  # intake found the device again each time

    old = history(db, SERIAL)
    assert history(db, IMEI) == old
    assert old["device"]["serial"] == SERIAL
    assert old["device"]["owner"] == "Jiří Dvořák"
    assert old["replaces"] is None
    assert [device["serial"] for device in old["replaced_by"]] == ["R5CW99NEWXX"]
    visits = old["jobs"]
    assert [(v["code"], v["outcome"], v["fault"]) for v in visits] == [
        (first, "repaired", "Does not charge"),
        (second, "repaired", "Does not charge again"),
        (third, "replaced", "Boot loop"),
    ]
    assert [v["received"][:10] for v in visits] == ["2026-03-10", "2026-04-19", "2026-05-19"]
    assert all(v["collected"] for v in visits)
    assert visits[0]["parts"] == [
        {"sku": "MB-S23", "name": "Galaxy S23 mainboard", "quantity": 1, "serials": ["MB-0001"]}
    ]
    assert visits[1]["manufacturer_claim"] == {
        "number": "SAM-CLM-88123",
        "parts": [
            {
                "sku": "MB-S23",
                "name": "Galaxy S23 mainboard",
                "old_serial": "MB-0001",
                "new_serial": "MB-0002",
                "return": True,
            }
        ],
        "to_return": ["MB-0001"],
    }
    assert (visits[2]["complaint_of"], visits[0]["complaint_of"]) == (second, None)
    assert [(rma["number"], rma["serial"], rma["job"]) for rma in old["returns"]] == [
        ("RMA00001", "MB-0001", first)
    ]

    replacement = history(db, "r5cw99newxx")
    assert replacement["replaces"]["serial"] == SERIAL
    assert [v["code"] for v in replacement["jobs"]] == [new]


def test_intake_finds_a_device_by_imei_or_by_serial_of_the_same_brand_and_type(
    db: Database,
) -> None:
    take_in(db)
    take_in(db, serial="", imei=IMEI)
    take_in(db, imei="", serial=SERIAL.lower())
    take_in(db, brand="Apple", model="iPhone 13", imei="", serial=SERIAL)
    take_in(db, type="tablet", model="Galaxy Tab S9", imei="", serial=SERIAL)
    with db.reader() as uow:
        devices = uow.session.execute(
            select(Device.brand, func.count(Job.id))
            .join(Job, Job.device_id == Device.id)
            .group_by(Device.id, Device.brand)
            .order_by(Device.id)
        ).all()
    assert [tuple(row) for row in devices] == [("Samsung", 3), ("Apple", 1), ("Samsung", 1)]


def test_an_unknown_serial_is_not_found(db: Database) -> None:
    take_in(db)
    with pytest.raises(NotFound, match="no device with serial number or IMEI “XYZ”"):
        history(db, "XYZ")


def test_claim_parts_need_the_claim_number_first_and_two_serials(db: Database) -> None:
    with db.unit_of_work() as uow:
        add_part(uow, PartInput(sku="BAT-S23", name="Galaxy S23 battery"), "admin")
        uow.commit()
    code = take_in(db)
    refused = pytest.raises(ValidationError, match="record its claim number first")
    with refused, db.unit_of_work() as uow:
        add_claim_part(uow, code, "BAT-S23", "admin", old_serial="A", new_serial="B")
    with db.unit_of_work() as uow:
        record_claim(uow, code, "C-1", "admin")
        record_claim(uow, code, "C-2", "admin")  # a corrected number
        uow.commit()
    for old, new, message in (("A", "A", "same serial"), (" ", "B", "old part's serial")):
        with pytest.raises(ValidationError, match=message), db.unit_of_work() as uow:
            add_claim_part(uow, code, "BAT-S23", "admin", old_serial=old, new_serial=new)
    with db.unit_of_work() as uow:
        add_claim_part(uow, code, "bat-s23", "admin", old_serial="A", new_serial="B")
        uow.commit()
    with db.reader() as uow:
        claim = job_claim(uow, code)
        events = uow.session.execute(
            select(JobEvent.kind, JobEvent.from_value, JobEvent.to_value, JobEvent.note)
            .join(Job, Job.id == JobEvent.job_id)
            .where(Job.code == code, JobEvent.kind.like("claim%"))
            .order_by(JobEvent.id)
        ).all()
    assert claim is not None
    assert (claim.number, [(p.old_serial, p.new_serial, p.to_return) for p in claim.parts]) == (
        "C-2",
        [("A", "B", False)],
    )
    assert [tuple(row) for row in events] == [
        ("claim", None, "C-1", ""),
        ("claim", "C-1", "C-2", ""),
        ("claim_part", None, None, "BAT-S23: A → B"),
    ]
