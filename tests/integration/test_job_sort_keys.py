"""The job list's sort keys copied onto each job equal their customer's and device's rows
after every write that changes them: an intake, a correction on the card, an intake that
finds the device again, a merge, an erasure, the demo and the migration's fill; on SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic import command
from sqlalchemy import select, text, update

from repairshop.db.migrate import alembic_config, current_revision, head_revision, upgrade
from repairshop.db.tables import Customer, Device, Job
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.services.customers.card import ANONYMISED_NAME, merge_customers
from repairshop.services.customers.privacy import anonymise_customer
from repairshop.services.database import Database
from repairshop.services.jobs.details import DetailsEdit, edit_details
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import show_job
from tests.helpers import intake_document

Keys = tuple[str, ...]
"""A job's code, customer's name, device's type, brand and model."""


def copies(db: Database) -> list[Keys]:
    """Each job's copied keys, by code."""
    with db.reader() as uow:
        rows = uow.session.execute(
            select(
                Job.code, Job.customer_name, Job.device_type, Job.device_brand, Job.device_model
            ).order_by(Job.code)
        ).all()
    return [tuple(row) for row in rows]


def sources(db: Database) -> list[Keys]:
    """Each job's keys as its customer's and device's rows hold them, by code."""
    with db.reader() as uow:
        rows = uow.session.execute(
            select(Job.code, Customer.name, Device.device_type, Device.brand, Device.model)
            .join(Customer, Customer.id == Job.customer_id)
            .join(Device, Device.id == Job.device_id)
            .order_by(Job.code)
        ).all()
    return [tuple(row) for row in rows]


def keys_of(db: Database, code: str) -> Keys:
    return next(row for row in copies(db) if row[0] == code)


def take_in(db: Database, customer: dict[str, Any], device: dict[str, Any]) -> str:
    document = intake_document()
    document["customer"] = {**document["customer"], **customer}
    document["device"] = {**document["device"], **device}
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(document), "admin").code
        uow.commit()
    return code


def version_of(db: Database, code: str) -> int:
    with db.reader() as uow:
        return show_job(uow, code, "admin").version


def test_intake_and_corrections_copy_the_keys_onto_every_job_of_the_customer_or_device(
    db: Database,
) -> None:
    jiri = {"name": "Jiří Dvořák", "phone": "+420 777 123 456"}
    eva = {"name": "Eva Malá", "phone": "+420 602 111 222", "email": ""}
    phone = {"type": "phone", "brand": "Samsung", "model": "Galaxy S23"}
    first = take_in(db, jiri, phone)
    laptop = {"type": "laptop", "brand": "Lenovo", "model": "ThinkPad T14", "imei": ""}
    second = take_in(db, jiri, {**laptop, "serial": "PF3ABCDE"})
    assert copies(db) == [
        (first, "Jiří Dvořák", "phone", "Samsung", "Galaxy S23"),
        (second, "Jiří Dvořák", "laptop", "Lenovo", "ThinkPad T14"),
    ]
    # The phone (found again by its IMEI) changes hands, typed in as another model: its
    # earlier job's copies follow the device; that job's customer stays Jiří.
    third = take_in(db, eva, {**phone, "brand": "samsung", "model": "Galaxy S23 FE"})
    assert copies(db) == sources(db)
    assert keys_of(db, first) == (first, "Jiří Dvořák", "phone", "samsung", "Galaxy S23 FE")
    assert keys_of(db, third) == (third, "Eva Malá", "phone", "samsung", "Galaxy S23 FE")

    # A correction on the card: the customer's name on all their jobs, the device's type,
    # brand and model on every job on it (Eva's as well as Jiří's).
    edit = DetailsEdit(name="Jiří Dvořák st.", device_type="tablet", brand="Samsung", model="Tab")
    with db.unit_of_work() as uow:
        edit_details(uow, first, edit, "admin", expected_version=version_of(db, first))
        uow.commit()
    assert copies(db) == sources(db)
    assert copies(db) == [
        (first, "Jiří Dvořák st.", "tablet", "Samsung", "Tab"),
        (second, "Jiří Dvořák st.", "laptop", "Lenovo", "ThinkPad T14"),
        (third, "Eva Malá", "tablet", "Samsung", "Tab"),
    ]


def test_a_merge_and_an_erasure_copy_the_keys_again(db: Database) -> None:
    jiri = {"name": "Jiří Dvořák", "phone": "+420 777 123 456"}
    duplicate = {"name": "Jiri Dvorak", "phone": "+420 601 222 333", "email": ""}
    eva = {"name": "Eva Malá", "phone": "+420 602 111 222", "email": ""}
    kept = take_in(db, jiri, {"model": "Galaxy S23 Dvořák edition"})
    moved = take_in(db, duplicate, {"imei": "", "serial": "SN-2", "model": "Galaxy A54"})
    # Eva brings in the phone Jiří had: a job of another customer on his device.
    hers = take_in(db, eva, {"model": "Galaxy S23 Dvořák edition"})
    with db.reader() as uow:
        ids = dict(uow.session.execute(select(Job.code, Job.customer_id)).all())
    with db.unit_of_work() as uow:
        merge_customers(uow, ids[kept], ids[moved], "admin")
        uow.commit()
    assert copies(db) == sources(db)
    assert keys_of(db, moved)[1] == "Jiří Dvořák"

    with db.unit_of_work() as uow:
        anonymise_customer(uow, ids[kept], "admin")
        uow.commit()
    assert copies(db) == sources(db)
    assert [row[1] for row in copies(db)] == [ANONYMISED_NAME, ANONYMISED_NAME, "Eva Malá"]
    # The model named him: scrubbed on the device, and so in Eva's job's copy too.
    assert "Dvořák" not in keys_of(db, hers)[4]
    assert keys_of(db, hers)[4].startswith("Galaxy S23 ")


def test_the_demo_writes_the_copies_with_its_rows(db: Database) -> None:
    generate_demo(db, DemoOptions(jobs=40, now=datetime(2026, 3, 13, 12, tzinfo=UTC)))
    found = copies(db)
    assert len(found) == 40
    assert all(all(keys) for keys in found)
    assert found == sources(db)


def test_the_migration_fills_the_copies_from_the_rows_as_they_are(db: Database) -> None:
    first = take_in(db, {"name": "Jiří Dvořák"}, {})
    eva = {"name": "Eva Malá", "phone": "+420 602 111 222", "email": ""}
    second = take_in(db, eva, {"imei": "", "serial": "SN-9"})
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0023")
    assert current_revision(db.engine) == "0023"
    with db.engine.begin() as connection:  # changed while nothing kept a copy
        connection.execute(update(Customer).where(Customer.name == "Eva Malá").values(name="Eva"))
        connection.execute(update(Device).values(brand="Apple", model="iPhone 15"))
        connection.execute(text("UPDATE devices SET device_type = 'tablet' WHERE imei IS NULL"))
    assert upgrade(db.engine) == ("0023", head_revision())
    assert copies(db) == [
        (first, "Jiří Dvořák", "phone", "Apple", "iPhone 15"),
        (second, "Eva", "tablet", "Apple", "iPhone 15"),
    ]
