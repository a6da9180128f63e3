"""Correcting the customer's and device's details after intake, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.errors import Conflict, ValidationError
from repairshop.services.changes import ChangeKind
from repairshop.services.database import Database
from repairshop.services.jobs.details import DetailsEdit, edit_details
from repairshop.services.jobs.workflow import JobChanged, show_job
from tests.integration.test_intake_and_workflow import counts, move, take_in


def edit(db: Database, code: str, details: DetailsEdit, version: int | None = None) -> None:
    with db.unit_of_work() as uow:
        edit_details(uow, code, details, "admin", expected_version=version)
        uow.commit()


def test_a_mistyped_phone_and_imei_are_corrected_and_the_history_keeps_both(
    db: Database,
) -> None:
    code = take_in(db)
    with db.reader() as uow:
        version = show_job(uow, code, "admin").version

    edit(
        db,
        code,
        DetailsEdit(
            phone="777 654 321",
            email=" Jiri.Novy@Seznam.cz ",
            language="de",
            consent_to_contact=True,
            model="Galaxy S23+",
            imei="35-332611-170241-3",
            serial="",
        ),
        version,
    )

    with db.reader() as uow:
        job = show_job(uow, code, "admin")
    assert job.customer.phone == "+420777654321"
    assert job.customer.email == "Jiri.Novy@seznam.cz"
    assert job.customer.language == "de"
    assert job.customer.consent_to_contact
    assert job.device.model == "Galaxy S23+"
    assert job.device.serial is None
    assert job.device.imei == "353326111702413"
    edits = {e.note: (e.from_value, e.to_value) for e in job.history if e.kind == "edited"}
    assert edits == {
        "customer.phone": ("+420777123456", "+420777654321"),
        "customer.email": ("jiri.dvorak@seznam.cz", "Jiri.Novy@seznam.cz"),
        "customer.language": ("cs", "de"),
        "customer.consent_to_contact": ("no", "yes"),
        "device.model": ("Galaxy S23", "Galaxy S23+"),
        "device.serial": ("R5CW12ABCDE", None),
    }
    assert job.version > version


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (DetailsEdit(imei="353326111702414"), "device.imei"),
        (DetailsEdit(phone="12"), "customer.phone"),
        (DetailsEdit(name="  "), "customer.name"),
        (DetailsEdit(language="fr"), "customer.language"),
        (DetailsEdit(phone="", email=""), "customer.phone"),
        (DetailsEdit(brand="Apple", model=""), "device.model"),
    ],
)
def test_bad_details_are_refused_and_nothing_changes(
    db: Database, details: DetailsEdit, field: str
) -> None:
    code = take_in(db)
    before = counts(db)
    with db.reader() as uow:
        job_before = show_job(uow, code, "admin")

    with pytest.raises(ValidationError) as refused:
        edit(db, code, details)

    assert refused.value.field == field
    assert counts(db) == before
    with db.reader() as uow:
        after = show_job(uow, code, "admin")
    assert (after.customer, after.device, after.version) == (
        job_before.customer,
        job_before.device,
        job_before.version,
    )


def test_a_stale_card_and_a_collected_job_are_refused(db: Database) -> None:
    code = take_in(db, preapproved="3490")  # the estimate is approved: repair may start
    with db.reader() as uow:
        version = show_job(uow, code, "admin").version
    edit(db, code, DetailsEdit(colour="black"))

    with pytest.raises(Conflict):
        edit(db, code, DetailsEdit(colour="blue"), version)
    for status in (
        JobStatus.DIAGNOSING,
        JobStatus.AWAITING_APPROVAL,
        JobStatus.IN_REPAIR,
        JobStatus.TESTING,
    ):
        move(db, code, status)
    move(db, code, JobStatus.READY, outcome=Outcome.REPAIRED)
    move(db, code, JobStatus.COLLECTED)
    with pytest.raises(ValidationError, match="collected"):
        edit(db, code, DetailsEdit(colour="blue"))


def test_a_corrected_customer_is_named_in_the_result_a_corrected_device_is_not(
    db: Database,
) -> None:
    code = take_in(db)
    with db.reader() as uow:
        job = show_job(uow, code, "admin")

    with db.unit_of_work() as uow:
        renamed = edit_details(
            uow, code, DetailsEdit(name="Jiří Dvořák ml."), "admin", expected_version=job.version
        )
        remodelled = edit_details(
            uow, code, DetailsEdit(model="Galaxy S23+"), "admin", expected_version=None
        )
        uow.commit()

    assert isinstance(renamed, JobChanged)
    assert renamed.changes.kinds == frozenset({ChangeKind.JOB, ChangeKind.CUSTOMER})
    assert renamed.changes.customer_ids == (job.customer.id,)
    assert renamed.changes.job_ids == (job.id,)
    assert remodelled.changes.kinds == frozenset({ChangeKind.JOB})
    assert remodelled.changes.customer_ids == ()
