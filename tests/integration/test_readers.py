"""A read-only unit of work keeps nothing it changed, on both databases; on PostgreSQL one that
wrote nothing commits, so the statements it prepared stay prepared for the next reader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from repairshop.db.tables import Customer, Job
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import show_job
from tests.helpers import SettableClock, database, intake_document


def taken_in(db: Database) -> str:
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    return code


def customer_name(db: Database, code: str) -> str:
    with db.reader() as uow:
        return (
            uow.session.scalar(
                select(Customer.name)
                .join(Job, Job.customer_id == Customer.id)
                .where(Job.code == code)
            )
            or ""
        )


def test_a_reader_keeps_no_change_flushed_in_it(db: Database) -> None:
    code = taken_in(db)
    before = customer_name(db, code)
    with db.reader() as uow:
        job = uow.session.scalar(select(Job).where(Job.code == code))
        assert job is not None
        customer = uow.session.get(Customer, job.customer_id)
        assert customer is not None
        customer.name = "Changed In A Reader"
        uow.session.flush()
        assert uow.session.scalar(select(Customer.name).where(Customer.id == customer.id)) == (
            "Changed In A Reader"
        )
    assert customer_name(db, code) == before


def test_a_reader_keeps_no_statement_that_wrote(db: Database) -> None:
    code = taken_in(db)
    before = customer_name(db, code)
    with db.reader() as uow:
        uow.session.execute(update(Customer).values(name="Changed By A Statement"))
    assert customer_name(db, code) == before


def test_what_a_reader_read_stays_usable_after_it(db: Database) -> None:
    code = taken_in(db)
    with db.reader() as uow:
        job = uow.session.scalar(select(Job).where(Job.code == code))
    assert job is not None
    assert job.code == code
    assert show_job_twice(db, code) == (code, code)


def show_job_twice(db: Database, code: str) -> tuple[str, str]:
    with db.reader() as uow:
        first = show_job(uow, code, "admin").code
    with db.reader() as uow:
        second = show_job(uow, code, "admin").code
    return first, second


@pytest.fixture
def postgres_db(tmp_path: Path, clock: SettableClock) -> Iterator[Database]:
    with database("postgres", tmp_path, clock) as opened:
        yield opened


@pytest.mark.postgres
def test_a_readers_prepared_statements_outlive_it(postgres_db: Database) -> None:
    """Prepared statements are PostgreSQL's (SQLite has none to keep)."""
    db = postgres_db
    code = taken_in(db)
    for _run in range(6):  # psycopg prepares a statement at its fifth run
        assert customer_name(db, code)
    with db.reader() as uow:
        prepared = uow.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("customers.name" in statement for statement in prepared)
