"""Search the way people type, and a shared phone never swaps people (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, func, select, text, update

from repairshop.db.migrate import alembic_config, current_revision, head_revision, upgrade
from repairshop.db.tables import Customer, Job
from repairshop.services.database import Database
from repairshop.services.jobs.customer_lookup import earlier_devices, find_customers
from repairshop.services.jobs.details import DetailsEdit, edit_details
from repairshop.services.jobs.intake import IntakeResult, intake, intake_request_from_json
from repairshop.services.jobs.search import matching_job_ids
from repairshop.services.jobs.workflow import find_jobs, show_job
from repairshop.services.shop.settings import get_settings, write_settings
from tests.helpers import intake_document

PEOPLE = {
    "novak": ("Jan Novák", "+420 602 111 222", "cs"),
    "zolc": ("Anna Żółć", "+48 601 222 333", "pl"),
    "lukasz": ("Łukasz Wiśniewski", "+48 601 333 444", "pl"),
    "szollosi": ("Szőllősi Andrea", "+36 30 444 5555", "hu"),
    "gross": ("Jürgen Groß", "+49 170 5556667", "de"),
    "kuznetsova": ("Анна Кузнецова", "+7 916 666 77 88", "ru"),
}


def take_in(db: Database, customer: dict[str, Any], **overrides: Any) -> IntakeResult:
    request = intake_request_from_json(intake_document(customer=customer))
    request = replace(request, **overrides)
    with db.unit_of_work() as uow:
        result = intake(uow, request, "admin")
        uow.commit()
    return result


def person(key: str) -> dict[str, Any]:
    name, phone, language = PEOPLE[key]
    return {"name": name, "phone": phone, "language": language}


def customer_count(db: Database) -> int:
    with db.reader() as uow:
        return uow.session.scalar(select(func.count()).select_from(Customer)) or 0


def test_names_are_found_as_typed_without_diacritics_in_any_case(db: Database) -> None:
    codes = {key: take_in(db, person(key)).code for key in PEOPLE}
    with db.reader() as uow:
        for key, (name, _phone, _language) in PEOPLE.items():
            for query in (key, key.upper(), name, name.upper()):
                assert [job.code for job in find_jobs(uow, query)] == [codes[key]], query
                in_jobs_filter = select(Job.code).where(Job.id.in_(matching_job_ids(uow, query)))
                assert list(uow.session.scalars(in_jobs_filter)) == [codes[key]], query
            assert [c.name for c in find_customers(uow, key)] == [name]
        # A Cyrillic name is found by its Latin transliteration and in Cyrillic alike.
        assert [c.name for c in find_customers(uow, "Кузнец")] == ["Анна Кузнецова"]
        assert [c.name for c in find_customers(uow, "anna kuzn")] == ["Анна Кузнецова"]
        # Short terms (no trigram) are folded too.
        assert [job.code for job in find_jobs(uow, "szollosi ő")] == [codes["szollosi"]]


@pytest.mark.parametrize(
    "typed",
    [
        "777 123 456",
        "777123456",
        "+420 777 123 456",
        "+420777123456",
        "00420 777 123 456",
        "00420777123456",
        "+420 (777) 123-456",
    ],
)
def test_a_phone_number_is_found_however_it_is_said(db: Database, typed: str) -> None:
    code = take_in(db, {"name": "Jiří Dvořák", "phone": "+420 777 123 456"}).code
    take_in(db, {"name": "Eva Malá", "phone": "+420 608 777 123"})
    with db.reader() as uow:
        assert [job.code for job in find_jobs(uow, typed)] == [code]
        assert [c.name for c in find_customers(uow, typed)] == ["Jiří Dvořák"]


@pytest.mark.parametrize(
    ("region", "stored", "national"),
    [
        ("HU", "06 30 123 4567", "06 30 123 4567"),
        ("GB", "07700 900123", "07700 900 123"),
        ("RU", "8 (916) 123-45-67", "8 916 123 45 67"),
        ("DE", "0170 1234567", "0170 1234567"),
    ],
)
def test_a_phone_number_in_the_shops_national_format_is_found(
    db: Database, region: str, stored: str, national: str
) -> None:
    with db.unit_of_work() as uow:
        write_settings(uow, replace(get_settings(uow), region=region))
        uow.commit()
    code = take_in(db, {"name": "Kovács János", "phone": stored}).code
    with db.reader() as uow:
        e164 = uow.session.scalar(select(Customer.phone))
        assert e164 is not None
        for typed in (national, e164, "00" + e164[1:]):
            assert [job.code for job in find_jobs(uow, typed)] == [code], typed
            assert [c.name for c in find_customers(uow, typed)] == ["Kovács János"], typed


def test_the_migration_folds_the_search_text_of_existing_jobs(db: Database) -> None:
    code = take_in(db, {"name": "Jiří Dvořák", "phone": "+36 30 123 4567"}).code
    # A database made before revision 0004: lower-cased text, not folded.
    old = f"{code.lower()} jiří dvořák +36301234567 301234567 samsung galaxy s23"
    with db.engine.begin() as connection:
        connection.execute(update(Job).values(search_text=old))
        connection.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    with db.reader() as uow:
        assert find_jobs(uow, "dvorak") == []
    upgrade(db.engine, "0004")  # the later revisions are in the schema already
    stamp(db.engine, head_revision())
    assert current_revision(db.engine) == head_revision()
    with db.reader() as uow:
        for query in ("dvorak", "Dvořák", "JIRI", "06 30 123 4567", "0036 30 123 4567"):
            assert [job.code for job in find_jobs(uow, query)] == [code], query


def test_a_shared_phone_with_another_name_makes_a_new_customer(db: Database) -> None:
    phone = "+420 777 123 456"
    father = take_in(db, {"name": "Jiří Dvořák", "phone": phone, "language": "pl"})
    daughter = take_in(db, {"name": "Marie Dvořáková", "phone": "777123456"})
    assert daughter.customer_id != father.customer_id
    again = take_in(db, {"name": "jiri  DVORAK", "phone": "00420777123456"})
    assert again.customer_id == father.customer_id
    assert customer_count(db) == 2
    with db.reader() as uow:
        assert show_job(uow, daughter.code, "admin").customer.name == "Marie Dvořáková"
        assert show_job(uow, father.code, "admin").customer.name == "Jiří Dvořák"
        # Not her father's language: a new customer starts in the shop's (region CZ).
        assert show_job(uow, daughter.code, "admin").customer.language == "cs"
        assert sorted(c.name for c in find_customers(uow, "777 123 456")) == [
            "Jiří Dvořák",
            "Marie Dvořáková",
        ]


def test_a_different_person_chosen_at_the_counter_is_new_even_with_the_same_name(
    db: Database,
) -> None:
    first = take_in(db, {"name": "Jan Novák", "phone": "+420 602 111 222"})
    son = take_in(db, {"name": "Jan Novák", "phone": "+420 602 111 222"}, new_customer=True)
    assert son.customer_id != first.customer_id
    chosen = take_in(
        db, {"name": "Jan Novák", "phone": "+420 602 111 222"}, customer_id=son.customer_id
    )
    assert chosen.customer_id == son.customer_id


def test_language_and_consent_change_only_when_said_and_are_recorded(db: Database) -> None:
    first = take_in(db, {"name": "Jiří Dvořák", "phone": "777123456", "language": "cs"})
    # Nothing said about language or consent: the returning customer keeps both.
    second = take_in(db, {"name": "Jiří Dvořák", "phone": "777123456"})
    with db.reader() as uow:
        job = show_job(uow, second.code, "admin")
        assert job.customer.language == "cs"
        assert not job.customer.consent_to_contact
        assert [event.kind for event in job.history] == ["created"]
    third = take_in(
        db,
        {
            "name": "Jiří Dvořák",
            "phone": "777123456",
            "language": "de",
            "consent_to_contact": True,
        },
    )
    assert third.customer_id == first.customer_id
    with db.reader() as uow:
        job = show_job(uow, third.code, "admin")
        assert job.customer.language == "de"
        assert job.customer.consent_to_contact
        edits = {e.note: (e.from_value, e.to_value) for e in job.history if e.kind == "edited"}
        assert edits == {
            "customer.language": ("cs", "de"),
            "customer.consent_to_contact": ("no", "yes"),
        }


def test_a_returning_customers_earlier_devices_are_offered(db: Database) -> None:
    customer = {"name": "Jiří Dvořák", "phone": "777123456"}
    first = take_in(db, customer)
    take_in(db, customer)  # the same phone again: offered once
    request = intake_request_from_json(
        intake_document(
            customer=customer,
            device={"type": "laptop", "brand": "Lenovo", "model": "ThinkPad T14", "serial": "PF3X"},
        )
    )
    with db.unit_of_work() as uow:
        intake(uow, request, "admin")
        uow.commit()
    # Eva now has the phone (one device record, found again by its IMEI): it is still one
    # Jiří brought; Eva's own laptop is not offered to him.
    eva = {"name": "Eva Malá", "phone": "608777123"}
    take_in(db, eva)
    with db.unit_of_work() as uow:
        intake(
            uow,
            intake_request_from_json(
                intake_document(
                    customer=eva,
                    device={"type": "laptop", "brand": "Dell", "model": "XPS 13", "serial": "D3LL"},
                )
            ),
            "admin",
        )
        uow.commit()
    with db.reader() as uow:
        devices = earlier_devices(uow, first.customer_id)
    assert [(d.type, d.brand, d.model, d.serial) for d in devices] == [
        ("laptop", "Lenovo", "ThinkPad T14", "PF3X"),
        ("phone", "Samsung", "Galaxy S23", "R5CW12ABCDE"),
    ]
    assert devices[1].imei == "353326111702413"


def test_a_corrected_name_or_phone_is_what_finds_the_customers_jobs(db: Database) -> None:
    customer = {"name": "Petra Svobodova", "phone": "+420 777 123 456"}
    first = take_in(db, customer).code
    second = take_in(db, customer).code
    with db.reader() as uow:
        version = show_job(uow, second, "admin").version
    with db.unit_of_work() as uow:
        edit_details(
            uow,
            first,
            DetailsEdit(name="Petra Nováková", phone="+48 601 222 333", imei="353326111702421"),
            "admin",
            expected_version=None,
        )
        uow.commit()
    with db.reader() as uow:
        assert find_jobs(uow, "svobodova") == []
        assert find_jobs(uow, "777 123 456") == []
        for query in ("novakova", "Nováková", "601 222 333", "0048 601 222 333"):
            assert {job.code for job in find_jobs(uow, query)} == {first, second}, query
        # Both visits were with one device (found again by its IMEI): its corrected IMEI
        # finds both jobs, the old one neither.
        assert {job.code for job in find_jobs(uow, "353326111702421")} == {first, second}
        assert find_jobs(uow, "353326111702413") == []
        # The other job's card is not made stale by the new search text.
        assert show_job(uow, second, "admin").version == version


def test_a_corrected_imei_finds_a_device_passed_on_on_every_owners_job(db: Database) -> None:
    jiri = take_in(db, {"name": "Jiří Dvořák", "phone": "777123456"}).code
    eva = take_in(db, {"name": "Eva Malá", "phone": "608777123"}).code  # the same phone
    with db.reader() as uow:
        version = show_job(uow, jiri, "admin").version
    with db.unit_of_work() as uow:
        edit_details(uow, eva, DetailsEdit(imei="353326111702421"), "admin", expected_version=None)
        uow.commit()
    with db.reader() as uow:
        assert {job.code for job in find_jobs(uow, "353326111702421")} == {jiri, eva}
        assert find_jobs(uow, "353326111702413") == []
        # Each job keeps its own customer in its search text.
        assert [job.code for job in find_jobs(uow, "dvorak")] == [jiri]
        assert [job.code for job in find_jobs(uow, "mala")] == [eva]
        assert show_job(uow, jiri, "admin").version == version


def test_the_migration_goes_down_to_lower_cased_text_and_up_again(db: Database) -> None:
    code = take_in(db, {"name": "Jiří Dvořák", "phone": "+420 777 123 456"}).code
    stamp(db.engine, "0004")  # 0004's own step down; the later revisions stay in the schema
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    with db.reader() as uow:
        stored = uow.session.scalar(select(Job.search_text))
        assert stored is not None
        assert stored.startswith(f"{code.lower()} jiří dvořák +420777123456 777123456")
    upgrade(db.engine, "0004")
    stamp(db.engine, head_revision())
    with db.reader() as uow:
        assert [job.code for job in find_jobs(uow, "dvorak")] == [code]


def stamp(engine: Engine, revision: str) -> None:
    """Say the schema is at ``revision``, to run one revision's step on a newer schema."""
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def test_an_imei_fragment_finds_the_devices_jobs_newest_first_a_page_at_a_time(
    db: Database,
) -> None:
    """The first page is the newest matches, also when a short term (no trigram) narrows
    the search and when more jobs match than a page holds."""
    imeis = ("353326111702413", "353326111702421", "490154203237518")
    codes = []
    for n, key in enumerate([*PEOPLE, *PEOPLE]):
        device = {"type": "phone", "brand": "Samsung", "model": "Galaxy S23"}
        device |= {"serial": f"SN{n:04d}", "imei": imeis[n % 3]}
        request = intake_request_from_json(intake_document(customer=person(key), device=device))
        with db.unit_of_work() as uow:
            codes.append(intake(uow, request, "admin").code)
            uow.commit()
    on_353326 = [code for n, code in enumerate(codes) if n % 3 != 2][::-1]
    with db.reader() as uow:
        assert [job.code for job in find_jobs(uow, "35332611")] == on_353326
        assert [job.code for job in find_jobs(uow, "2611170242")] == on_353326[::2]
        assert [job.code for job in find_jobs(uow, "35332611", limit=3)] == on_353326[:3]
        # "ja" is too short for the index: it narrows what the IMEI finds to Jan Novák's.
        assert [job.code for job in find_jobs(uow, "35332611 ja")] == [codes[6], codes[0]]
        assert find_jobs(uow, "35332611 zz") == []
