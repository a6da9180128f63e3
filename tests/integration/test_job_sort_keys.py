"""The job list's sort keys copied onto each job equal their customer's, device's and
technician's rows after every write that changes them: an intake, a correction on the card,
an intake that finds the device again, a merge, an erasure, an assignment, a job taken or
given back, a user's new name, the demo and the migrations' fills; on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic import command
from sqlalchemy import select, text, update

from repairshop.db.migrate import alembic_config, current_revision, head_revision, upgrade
from repairshop.db.tables import Customer, Device, Job, User
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.services.customers.card import ANONYMISED_NAME, merge_customers
from repairshop.services.customers.privacy import anonymise_customer
from repairshop.services.database import Database
from repairshop.services.jobs.details import DetailsEdit, edit_details
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.search import device_search_text, search_text_for
from repairshop.services.jobs.sort_keys import refresh_sort_keys
from repairshop.services.jobs.workflow import assign, find_jobs, show_job, take_job
from repairshop.services.shop.users import add_user
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


def searched_as_copied(db: Database) -> bool:
    """Whether every job's brand and model as searched (``search_device``) are its copied
    brand and model folded: what the job list reads a search word's jobs by."""
    with db.reader() as uow:
        rows = uow.session.execute(
            select(Job.search_device, Job.device_brand, Job.device_model)
        ).all()
    return bool(rows) and all(
        searched == device_search_text(brand, model) for searched, brand, model in rows
    )


def technicians(db: Database) -> list[tuple[str, str | None]]:
    """Each job's copy of its technician's name, by code."""
    with db.reader() as uow:
        rows = uow.session.execute(select(Job.code, Job.assignee_name).order_by(Job.code))
        return [(code, name) for code, name in rows]


def technicians_from_users(db: Database) -> list[tuple[str, str | None]]:
    """Each job's technician's name as the users' rows hold it (none without one), by code."""
    with db.reader() as uow:
        rows = uow.session.execute(
            select(Job.code, User.display_name)
            .outerjoin(User, User.id == Job.assignee_id)
            .order_by(Job.code)
        )
        return [(code, name) for code, name in rows]


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
    assert searched_as_copied(db)
    assert keys_of(db, first) == (first, "Jiří Dvořák", "phone", "samsung", "Galaxy S23 FE")
    assert keys_of(db, third) == (third, "Eva Malá", "phone", "samsung", "Galaxy S23 FE")
    with db.reader() as uow:  # and the earlier job is found by the model as retyped
        assert {job.code for job in find_jobs(uow, "s23 fe")} == {first, third}

    # A correction on the card: the customer's name on all their jobs, the device's type,
    # brand and model on every job on it (Eva's as well as Jiří's).
    edit = DetailsEdit(name="Jiří Dvořák st.", device_type="tablet", brand="Samsung", model="Tab")
    with db.unit_of_work() as uow:
        edit_details(uow, first, edit, "admin", expected_version=version_of(db, first))
        uow.commit()
    assert copies(db) == sources(db)
    assert searched_as_copied(db)
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
    assert searched_as_copied(db)
    assert keys_of(db, moved)[1] == "Jiří Dvořák"

    with db.unit_of_work() as uow:
        anonymise_customer(uow, ids[kept], "admin")
        uow.commit()
    assert copies(db) == sources(db)
    assert searched_as_copied(db)
    assert [row[1] for row in copies(db)] == [ANONYMISED_NAME, ANONYMISED_NAME, "Eva Malá"]
    # The model named him: scrubbed on the device, and so in Eva's job's copy too.
    assert "Dvořák" not in keys_of(db, hers)[4]
    assert keys_of(db, hers)[4].startswith("Galaxy S23 ")


def test_every_assignment_copies_the_technicians_name(db: Database) -> None:
    with db.unit_of_work() as uow:
        add_user(uow, "tomas", "Tomáš Hrubý", "technician", "admin")
        add_user(uow, "eva", "Eva Nová", "technician", "admin")
        uow.commit()
    given = take_in(db, {"name": "Jiří Dvořák"}, {})
    with db.unit_of_work() as uow:  # taken in for a technician
        document = intake_document(assignee="tomas")
        document["device"] = {**document["device"], "imei": "", "serial": "SN-1"}
        taken_in = intake(uow, intake_request_from_json(document), "admin").code
        uow.commit()
    assert technicians(db) == [(given, None), (taken_in, "Tomáš Hrubý")]

    with db.unit_of_work() as uow:
        assign(uow, given, "eva", "admin")
        assign(uow, taken_in, "eva", "admin")
        uow.commit()
    assert technicians(db) == [(given, "Eva Nová"), (taken_in, "Eva Nová")]
    with db.unit_of_work() as uow:  # back to the pool, then picked up
        assign(uow, given, None, "admin")
        assign(uow, taken_in, None, "admin")
        take_job(uow, taken_in, "tomas")
        uow.commit()
    assert technicians(db) == [(given, None), (taken_in, "Tomáš Hrubý")]
    assert technicians(db) == technicians_from_users(db)

    # A user's new name (no service renames one yet: written here as a future one would,
    # with the refresh in the same transaction) reaches their jobs, and only theirs.
    with db.unit_of_work() as uow:
        tomas = uow.session.scalars(select(User).where(User.login == "tomas")).one()
        tomas.display_name = "Tomáš Hrubý ml."
        refresh_sort_keys(uow, user_ids=(tomas.id,))
        uow.commit()
    assert technicians(db) == [(given, None), (taken_in, "Tomáš Hrubý ml.")]
    assert technicians(db) == technicians_from_users(db)


def test_the_demo_writes_the_copies_with_its_rows(db: Database) -> None:
    generate_demo(db, DemoOptions(jobs=40, now=datetime(2026, 3, 13, 12, tzinfo=UTC)))
    found = copies(db)
    assert len(found) == 40
    assert all(all(keys) for keys in found)
    assert found == sources(db)
    assert technicians(db) == technicians_from_users(db)
    assert any(name for _code, name in technicians(db))
    assert any(name is None for _code, name in technicians(db))


def test_the_migration_fills_the_copies_from_the_rows_as_they_are(db: Database) -> None:
    with db.unit_of_work() as uow:
        add_user(uow, "tomas", "Tomáš Hrubý", "technician", "admin")
        uow.commit()
    first = take_in(db, {"name": "Jiří Dvořák"}, {})
    eva = {"name": "Eva Malá", "phone": "+420 602 111 222", "email": ""}
    second = take_in(db, eva, {"imei": "", "serial": "SN-9"})
    with db.unit_of_work() as uow:
        assign(uow, first, "tomas", "admin")
        uow.commit()
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0023")
    assert current_revision(db.engine) == "0023"
    with db.engine.begin() as connection:  # changed while nothing kept a copy
        connection.execute(update(Customer).where(Customer.name == "Eva Malá").values(name="Eva"))
        connection.execute(update(Device).values(brand="Apple", model="iPhone 15"))
        connection.execute(text("UPDATE devices SET device_type = 'tablet' WHERE imei IS NULL"))
        # 0026's copy of the technician's name, filled from the users as they are.
        connection.execute(update(User).where(User.login == "tomas").values(display_name="T. H."))
        connection.execute(
            text(
                "UPDATE jobs SET assignee_id = (SELECT id FROM users WHERE login = 'tomas') "
                "WHERE code = :code"
            ),
            {"code": second},
        )
    assert upgrade(db.engine) == ("0023", head_revision())
    assert copies(db) == [
        (first, "Jiří Dvořák", "phone", "Apple", "iPhone 15"),
        (second, "Eva", "tablet", "Apple", "iPhone 15"),
    ]
    assert technicians(db) == [(first, "T. H."), (second, "T. H.")]
    # 0027: the brand and model as searched apart, from the copies; the rest of the text,
    # which still named the Samsung (renamed past the services), written again from the rows.
    assert searched_as_copied(db)
    with db.reader() as uow:
        jobs = uow.session.scalars(select(Job).order_by(Job.code)).all()
        assert [job.search_device for job in jobs] == ["apple iphone 15", "apple iphone 15"]
        for job in jobs:
            customer = uow.session.get(Customer, job.customer_id)
            device = uow.session.get(Device, job.device_id)
            assert customer is not None
            assert device is not None
            assert job.search_text == search_text_for(job.code, customer, device)
        assert "eva" in jobs[1].search_text.split()
        assert "samsung" not in jobs[0].search_text
