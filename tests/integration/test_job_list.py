"""The job list filters and sorts in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from repairshop.bootstrap import open_database
from repairshop.domain.devices import DeviceType
from repairshop.domain.statuses import WORKSHOP_STATUSES, JobStatus, JobType
from repairshop.services.database import Database
from repairshop.services.jobs.customer_lookup import find_customers
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import (
    NEWEST_FIRST,
    QUEUE_SORT,
    JobColumn,
    JobFilter,
    JobSort,
    count_jobs,
    first_page,
    has_jobs,
    job_ids,
    job_page,
    job_rows,
    matching_ids,
    queue_filter,
)
from repairshop.services.jobs.workflow import assign, change_status
from repairshop.services.shop.users import add_user
from tests.helpers import SettableClock, intake_document, postgres_schema

S = JobStatus


def take_in(db: Database, name: str, device_type: str, **overrides: object) -> str:
    document = intake_document(**overrides)
    document["customer"] = {
        **document["customer"],
        "name": name,
        "phone": None,
        "email": f"{name.split(maxsplit=1)[0].lower()}@example.com",
    }
    document["device"] = {**document["device"], "type": device_type, "imei": None}
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(document), "admin").code
        uow.commit()
    return code


def shop(db: Database, clock: SettableClock) -> dict[str, str]:
    """Four jobs: two phones, a laptop and a console, taken in on different days."""
    with db.unit_of_work() as uow:
        add_user(uow, "tomas", "Tomáš Hrubý", "technician", "admin")
        uow.commit()
    codes = {"anna": take_in(db, "Anna Nováková", "phone", promised="2026-03-12")}
    clock.advance(days=1)
    codes["boris"] = take_in(db, "Boris Kovář", "laptop", job_type="complaint")
    clock.advance(days=1)
    codes["cyril"] = take_in(db, "Cyril Adam", "phone", promised="2026-03-13")
    clock.advance(days=1)
    codes["dana"] = take_in(db, "Dana Malá", "console")
    with db.unit_of_work() as uow:
        assign(uow, codes["anna"], "tomas", "admin")
        assign(uow, codes["cyril"], "tomas", "admin")
        change_status(uow, codes["cyril"], S.CANCELLED, "admin")
        change_status(uow, codes["cyril"], S.READY, "admin")
        uow.commit()
    return codes


def codes_of(db: Database, where: JobFilter, order: JobSort = NEWEST_FIRST) -> list[str]:
    with db.reader() as uow:
        return [row.code for row in job_rows(uow, job_ids(uow, where, order))]


def test_newest_first_by_default_and_rows_come_in_the_order_asked(
    db: Database, clock: SettableClock
) -> None:
    codes = shop(db, clock)
    assert codes_of(db, JobFilter()) == [codes[n] for n in ("dana", "cyril", "boris", "anna")]
    with db.reader() as uow:
        assert count_jobs(uow, JobFilter()) == 4
        page = job_page(uow, JobFilter(), JobSort(), offset=1, limit=2)
    assert [row.code for row in page] == [codes["cyril"], codes["boris"]]


def test_each_filter_narrows_the_list(db: Database, clock: SettableClock) -> None:
    codes = shop(db, clock)
    assert codes_of(db, JobFilter(statuses=frozenset({S.READY}))) == [codes["cyril"]]
    assert codes_of(db, JobFilter(assignee="tomas")) == [codes["cyril"], codes["anna"]]
    assert codes_of(db, JobFilter(unassigned=True)) == [codes["dana"], codes["boris"]]
    assert codes_of(db, JobFilter(device_type=DeviceType.PHONE)) == [codes["cyril"], codes["anna"]]
    assert codes_of(db, JobFilter(job_type=JobType.COMPLAINT)) == [codes["boris"]]
    assert codes_of(db, JobFilter(text="kovář")) == [codes["boris"]]
    assert codes_of(
        db, JobFilter(created_from=date(2026, 3, 11), created_to=date(2026, 3, 12))
    ) == [
        codes["cyril"],
        codes["boris"],
    ]
    with db.reader() as uow:
        assert count_jobs(uow, JobFilter(device_type=DeviceType.PHONE, assignee="tomas")) == 2


def test_overdue_means_promised_before_today_and_not_yet_ready(
    db: Database, clock: SettableClock
) -> None:
    codes = shop(db, clock)
    # Today is 13 March: Anna's promise (12th) has passed; Cyril's job is ready.
    assert codes_of(db, JobFilter(overdue=True)) == [codes["anna"]]
    with db.reader() as uow:
        rows = job_rows(uow, job_ids(uow, JobFilter()))
    assert [row.code for row in rows if row.is_overdue(clock.now.date())] == [codes["anna"]]


def test_sorting_by_every_column_is_done_by_the_database(
    db: Database, clock: SettableClock
) -> None:
    codes = shop(db, clock)
    by_name = codes_of(db, JobFilter(), JobSort(JobColumn.CUSTOMER, descending=False))
    assert by_name == [codes[n] for n in ("anna", "boris", "cyril", "dana")]
    by_device_type = codes_of(db, JobFilter(), JobSort(JobColumn.DEVICE_TYPE, descending=False))
    assert by_device_type == [codes[n] for n in ("dana", "boris", "anna", "cyril")]
    by_technician = codes_of(db, JobFilter(), JobSort(JobColumn.ASSIGNEE, descending=False))
    assert by_technician[:2] == [codes["anna"], codes["cyril"]]
    assert set(by_technician[2:]) == {codes["boris"], codes["dana"]}
    for column in JobColumn:
        for descending in (False, True):
            assert sorted(codes_of(db, JobFilter(), JobSort(column, descending))) == sorted(
                codes.values()
            )


def test_the_queue_is_the_technicians_open_jobs_earliest_promise_first(
    db: Database, clock: SettableClock
) -> None:
    codes = shop(db, clock)
    # Eva's job is taken in before Filip's but promised after it, so neither intake order
    # nor newest first gives the promise order.
    codes["eva"] = take_in(db, "Eva Černá", "tablet", promised="2026-03-20")
    codes["filip"] = take_in(db, "Filip Malý", "phone", promised="2026-03-13")
    with db.unit_of_work() as uow:
        assign(uow, codes["eva"], "tomas", "admin")
        assign(uow, codes["filip"], "tomas", "admin")
        uow.commit()
    assert codes_of(db, queue_filter("tomas"), QUEUE_SORT) == [
        codes[name] for name in ("anna", "filip", "eva")
    ]


def test_a_returning_customer_is_found_by_phone_digits_or_name(db: Database) -> None:
    with db.unit_of_work() as uow:
        intake(uow, intake_request_from_json(intake_document()), "admin")
        uow.commit()
    with db.reader() as uow:
        assert [c.name for c in find_customers(uow, "777 123")] == ["Jiří Dvořák"]
        assert [c.name for c in find_customers(uow, "jiř")] == ["Jiří Dvořák"]
        assert find_customers(uow, "ji") == []
        assert find_customers(uow, "Nobody") == []


def test_matching_ids_tells_which_changed_jobs_a_list_still_shows(
    db: Database, clock: SettableClock
) -> None:
    codes = shop(db, clock)
    with db.reader() as uow:
        everything = job_ids(uow, JobFilter())
        ready = matching_ids(uow, JobFilter(statuses=frozenset({S.READY})), everything)
        assert [row.code for row in job_rows(uow, sorted(ready))] == [codes["cyril"]]
        assert matching_ids(uow, JobFilter(), []) == set()


def test_has_jobs_says_whether_any_job_is_there(db: Database) -> None:
    with db.reader() as uow:
        assert not has_jobs(uow)
    take_in(db, "Eva Malá", "phone")
    with db.reader() as uow:
        assert has_jobs(uow)
        assert count_jobs(uow, JobFilter()) == 1


@pytest.mark.postgres
def test_postgresql_plans_each_job_list_query_for_its_values() -> None:
    """psycopg prepares a statement on the server at its fifth run, and PostgreSQL would then
    settle on one generic plan for any values; the job list's plans depend on them (a
    technician's queue, ten pages down: 11 ms planned for its values, 0.8 s generic)."""
    with postgres_schema(migrated=True) as url:
        db = open_database(url)
        try:
            with db.reader() as uow:
                assert uow.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
                for _ in range(12):
                    first_page(uow, JobFilter(statuses=WORKSHOP_STATUSES), JobSort())
                plans = uow.session.execute(
                    text("SELECT sum(generic_plans), sum(custom_plans) FROM pg_prepared_statements")
                ).one()
            assert plans[0] == 0
            assert plans[1] > 0  # prepared, and planned each run
        finally:
            db.dispose()
