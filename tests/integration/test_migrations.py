"""The migrations build exactly the tables the code declares, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, inspect, select, text, update
from sqlalchemy.sql.elements import ColumnElement

from repairshop.bootstrap import event_handlers
from repairshop.db.engine import create_database_engine
from repairshop.db.migrate import current_revision, head_revision, upgrade
from repairshop.db.tables import Base, Job, status_among
from repairshop.domain.payments import PaymentMethod
from repairshop.domain.statuses import OPEN_STATUSES, JobStatus
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import find_jobs, show_job
from repairshop.services.money.collection import bill
from repairshop.services.money.takings import takings
from repairshop.services.shop.settings import get_settings
from tests.helpers import SettableClock, intake_document, postgres_schema


def test_migrations_match_the_declared_tables(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    ignored_tables = {
        "jobs_fts",
        "jobs_fts_data",
        "jobs_fts_idx",
        "jobs_fts_docsize",
        "jobs_fts_config",
        "jobs_fts_content",
    }
    relevant = [
        d
        for d in differences
        if not (d[0] in ("remove_table",) and d[1].name in ignored_tables)
        and not (
            d[0] == "remove_index"
            and d[1].name in ("ix_jobs_search_trgm", "ix_jobs_search_device_trgm")
        )
    ]
    assert relevant == []


def test_upgrade_is_idempotent_and_at_head(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()
    assert upgrade(db.engine) == (head_revision(), head_revision())
    tables = set(inspect(db.engine).get_table_names())
    assert {"jobs", "job_events", "customers", "devices", "users", "settings"} <= tables


OPEN_JOB_INDEXES = {
    "ix_jobs_status_promised_id",
    "ix_jobs_status_job_type_id",
    "ix_jobs_status_created_at_id",
    "ix_jobs_status_assignee_id_id",
    "ix_jobs_status_customer_name_id",
    "ix_jobs_status_device_type_id",
    "ix_jobs_status_device_brand_model_id",
    "ix_jobs_status_assignee_name_id",
}


def _job_index_definitions(db: Database) -> dict[str, str]:
    """Each index of the jobs by its name, as the database declares it."""
    if db.engine.dialect.name == "sqlite":
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'"
    else:
        sql = (
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE tablename = 'jobs' AND schemaname = current_schema()"
        )
    with db.engine.connect() as connection:
        return {name: definition or "" for name, definition in connection.execute(text(sql))}


def test_the_status_first_indexes_hold_only_the_jobs_still_in_the_shop(db: Database) -> None:
    """Revision 0029: the job list's status-first indexes leave the collected jobs out; the
    status's own index and the orders' indexes keep every job."""
    definitions = _job_index_definitions(db)
    partial = {name for name, definition in definitions.items() if "'collected'" in definition}
    assert partial == OPEN_JOB_INDEXES
    for name in OPEN_JOB_INDEXES:
        assert "WHERE" in definitions[name].upper()
        assert "<>" in definitions[name]
    assert "ix_jobs_status_id" in definitions


def test_sqlite_reads_the_open_jobs_through_the_status_indexes_only_with_their_condition(
    sqlite_db: Database,
) -> None:
    """SQLite uses a partial index only when the query states its condition: the statuses'
    term the services write (``status_among``) holds it, a bare ``status IN`` does not."""
    open_ones = [status.value for status in OPEN_STATUSES]

    def plan(condition: ColumnElement[bool]) -> str:
        statement = (
            select(Job.id)
            .where(condition)
            .order_by(Job.customer_name, Job.customer_id, Job.id)
            .limit(5)
        )
        with sqlite_db.engine.connect() as connection:
            compiled = statement.compile(connection, compile_kwargs={"literal_binds": True})
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        return " ".join(str(row[-1]) for row in rows)

    assert "ix_jobs_status_customer_name_id" in plan(status_among(open_ones))
    assert "ix_jobs_status_customer_name_id" not in plan(Job.status.in_(open_ones))
    # With the collected jobs the condition is not written: the index does not hold them.
    with_collected = status_among([*open_ones, JobStatus.COLLECTED.value])
    assert "ix_jobs_status_customer_name_id" not in plan(with_collected)


OLD_TABLES = ("users", "customers", "devices", "jobs", "job_events", "counters", "settings")
"""The tables revision 0001 made, filled below through SQL that fits that revision."""

NEW_COLUMN_VALUES: dict[str, dict[str, object]] = {
    # 0005: the warranty decision is made at intake; jobs from before it have none.
    "devices": {"sold_by_us": False, "replaces_device_id": None},
    "jobs": {
        "warranty_regime": None,
        "warranty_until": None,
        "warranty_burden": None,
        "warranty_burden_until": None,
        "warranty_decision": None,
        "warranty_overridden_by_id": None,
        "repair_over_replacement": False,
        "complaint_of_id": None,
        # 0006: the customer's approval is recorded from then on.
        "approved_minor": None,
        "approved_at": None,
        "approved_by_id": None,
        "approval_method": None,
        # 0014: the milestones come from the events (these jobs reached neither).
        "ready_at": None,
        "collected_at": None,
        # 0013: no pattern lock was drawn before.
        "pattern_lock": "",
    },
    # 0011: nobody has a password or PIN yet (the shop stays open).
    "users": {"password_hash": None, "pin_hash": None, "failed_sign_ins": 0},
    # 0012: no consent change recorded, nobody anonymised or merged yet.
    "customers": {
        "consent_changed_at": None,
        "consent_changed_by": None,
        "anonymised_at": None,
        "merged_into_id": None,
    },
}

SORT_KEYS = {"customer_name", "device_type", "device_brand", "device_model", "assignee_name"}
"""0024 and 0026: the job list's sort keys, each job's copy of its customer's, device's and
technician's."""

REWRITTEN: dict[str, set[str]] = {
    "jobs": {"search_text", "search_device", *SORT_KEYS},
    "users": {"role"},
}
"""Columns a later revision rewrites on purpose (0004 folds the search text, 0011 makes the
first user the administrator, 0024 and 0026 copy the sort keys onto each job, 0027 keeps the
brand and model as searched apart); the test checks what they do instead: the old jobs are
found as people type, ``admin`` may change the settings, and each job holds its own
customer's name, device's type, brand and model and technician's name, and its brand and
model as searched."""
"""What every row kept from 0001 holds in each column a later revision added to its table.

A migration that adds a column to one of ``OLD_TABLES`` names here, per table, the value it
gives the rows that were already there (``{"jobs": {"new_column": value}}``); the test fails
until it does."""

ADDED_AT = datetime(2026, 3, 2, 9, 15)


def rows_at_0001() -> dict[str, list[dict[str, object]]]:
    """Two customers with their devices and jobs, a technician, the jobs' histories."""
    later = datetime(2026, 3, 3, 14, 40)
    return {
        "users": [
            {
                "id": 2,
                "login": "tomas",
                "display_name": "Tomáš Hrubý",
                "role": "technician",
                "active": True,
                "created_at": ADDED_AT,
            }
        ],
        "customers": [
            {
                "id": 1,
                "name": "Jiří Dvořák",
                "phone": "+420777123456",
                "email": "jiri.dvorak@seznam.cz",
                "language": "cs",
                "consent_to_contact": True,
                "notes": "",
                "created_at": ADDED_AT,
            },
            {
                "id": 2,
                "name": "Anna Weber",
                "phone": None,
                "email": None,
                "language": "de",
                "consent_to_contact": False,
                "notes": "Calls after five",
                "created_at": later,
            },
        ],
        "devices": [
            {
                "id": 1,
                "customer_id": 1,
                "device_type": "phone",
                "brand": "Samsung",
                "model": "Galaxy S23",
                "serial": "R5CW12ABCDE",
                "imei": "353326111702413",
                "colour": "black",
                "created_at": ADDED_AT,
            },
            {
                "id": 2,
                "customer_id": 2,
                "device_type": "laptop",
                "brand": "Lenovo",
                "model": "ThinkPad T14",
                "serial": None,
                "imei": None,
                "colour": "",
                "created_at": later,
            },
        ],
        "jobs": [
            {
                "id": 1,
                "code": "R000001",
                "customer_id": 1,
                "device_id": 1,
                "job_type": "paid_repair",
                "status": "in_repair",
                "resume_status": None,
                "outcome": None,
                "fault": "Cracked screen after a fall",
                "accessories": "case, SIM card",
                "condition": "Scratches on the frame",
                "passcode": "1234",
                "estimate_minor": 349_000,
                "preapproved_minor": 200_000,
                "deposit_minor": 50_000,
                "currency": "CZK",
                "promised": date(2026, 3, 9),
                "purchase_date": None,
                "proof_of_purchase": "",
                "assignee_id": 2,
                "created_by_id": 1,
                "created_at": ADDED_AT,
                "status_changed_at": later,
                "updated_at": later,
                "search_text": (
                    "r000001 jiří dvořák +420777123456 777123456 jiri.dvorak@seznam.cz "
                    "r5cw12abcde 353326111702413 samsung galaxy s23"
                ),
                "version": 3,
            },
            {
                "id": 2,
                "code": "R000002",
                "customer_id": 2,
                "device_id": 2,
                "job_type": "warranty_claim",
                "status": "received",
                "resume_status": None,
                "outcome": None,
                "fault": "Does not charge",
                "accessories": "",
                "condition": "",
                "passcode": "",
                "estimate_minor": None,
                "preapproved_minor": None,
                "deposit_minor": 0,
                "currency": "CZK",
                "promised": None,
                "purchase_date": date(2025, 6, 30),
                "proof_of_purchase": "Invoice 2025/118",
                "assignee_id": None,
                "created_by_id": 1,
                "created_at": later,
                "status_changed_at": later,
                "updated_at": later,
                "search_text": "r000002 anna weber lenovo thinkpad t14",
                "version": 1,
            },
        ],
        "job_events": [
            {
                "id": 1,
                "job_id": 1,
                "at": ADDED_AT,
                "user_id": 1,
                "kind": "created",
                "from_value": None,
                "to_value": "received",
                "note": "",
            },
            {
                "id": 2,
                "job_id": 1,
                "at": ADDED_AT,
                "user_id": 1,
                "kind": "assigned",
                "from_value": None,
                "to_value": "tomas",
                "note": "",
            },
            {
                "id": 3,
                "job_id": 1,
                "at": later,
                "user_id": 2,
                "kind": "status",
                "from_value": "received",
                "to_value": "in_repair",
                "note": "Screen ordered",
            },
            {
                "id": 4,
                "job_id": 1,
                "at": later,
                "user_id": 2,
                "kind": "note",
                "from_value": None,
                "to_value": None,
                "note": "Customer agreed by phone",
            },
            {
                "id": 5,
                "job_id": 2,
                "at": later,
                "user_id": 1,
                "kind": "created",
                "from_value": None,
                "to_value": "received",
                "note": "",
            },
        ],
        "settings": [
            {"key": "name", "value": "Servis Dvořák"},
            {"key": "currency", "value": "CZK"},
            {"key": "receipt_terms.cs", "value": "Zařízení uschováme 30 dní."},
        ],
    }


def read_rows(connection: Connection) -> dict[str, list[dict[str, object]]]:
    tables = MetaData()
    tables.reflect(connection, only=OLD_TABLES)
    return {
        name: [
            dict(row)
            for row in connection.execute(
                select(table).order_by(*table.primary_key.columns)
            ).mappings()
        ]
        for name, table in tables.tables.items()
    }


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = create_database_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
        yield engine
        engine.dispose()
    else:
        with postgres_schema() as url:
            engine = create_database_engine(url)
            yield engine
            engine.dispose()


def test_a_database_filled_at_0001_keeps_every_row_at_head(
    empty_engine: Engine, clock: SettableClock
) -> None:
    assert upgrade(empty_engine, "0001") == (None, "0001")
    tables = MetaData()
    with empty_engine.begin() as connection:
        tables.reflect(connection, only=OLD_TABLES)
        for name, rows in rows_at_0001().items():
            connection.execute(tables.tables[name].insert(), rows)
        counters = tables.tables["counters"]
        connection.execute(update(counters).where(counters.c.name == "ticket").values(value=2))
        if connection.dialect.name == "postgresql":  # ids given by hand: move the sequences on
            for name in ("users", "customers", "devices", "jobs", "job_events"):
                sequence = f"pg_get_serial_sequence('{name}', 'id')"
                connection.execute(text(f"SELECT setval({sequence}, MAX(id)) FROM {name}"))
        before = read_rows(connection)
    assert [row["login"] for row in before["users"]] == ["admin", "tomas"]

    assert upgrade(empty_engine) == ("0001", head_revision())

    with empty_engine.connect() as connection:
        after = read_rows(connection)
    for name, old_rows in before.items():
        added = NEW_COLUMN_VALUES.get(name, {})
        rewritten = REWRITTEN.get(name, set())
        if name != "counters":  # 0002 adds the purchase order counter, checked below
            kept = [{**row, **added} for row in old_rows]
            assert [_without(row, rewritten) for row in kept] == [
                _without(row, rewritten) for row in after[name]
            ], name
    assert [tuple(row[key] for key in sorted(SORT_KEYS)) for row in after["jobs"]] == [
        ("Tomáš Hrubý", "Jiří Dvořák", "Samsung", "Galaxy S23", "phone"),
        (None, "Anna Weber", "Lenovo", "ThinkPad T14", "laptop"),
    ]
    assert [(row["search_text"], row["search_device"]) for row in after["jobs"]][:1] == [
        (
            "r000001 jiri dvorak +420777123456 777123456 jiri.dvorak@seznam.cz "
            "r5cw12abcde 353326111702413",
            "samsung galaxy s23",
        )
    ]
    assert [(row["login"], row["role"]) for row in after["users"]] == [
        ("admin", "admin"),
        ("tomas", "technician"),
    ]
    counters_now = {row["name"]: row["value"] for row in after["counters"]}
    assert counters_now == {"ticket": 2, "purchase_order": 0, "rma": 0}

    db = Database(empty_engine, handlers=event_handlers(), clock=clock)
    with db.reader() as uow:
        job = show_job(uow, "R000001", "admin")
        assert (job.customer.name, job.device.model, job.assignee) == (
            "Jiří Dvořák",
            "Galaxy S23",
            "tomas",
        )
        assert [event.kind for event in job.history] == ["created", "assigned", "status", "note"]
        assert [found.code for found in find_jobs(uow, "dvořák galaxy")] == ["R000001"]
        assert [found.code for found in find_jobs(uow, "thinkpad")] == ["R000002"]
        assert [found.code for found in find_jobs(uow, "dvorak GALAXY")] == ["R000001"]
        assert get_settings(uow).receipt_terms == {"cs": "Zařízení uschováme 30 dní."}
        # a deposit taken before 0009 is a cash deposit of the day the job came in
        assert bill(uow, "R000001").deposit == Decimal("500.00")
        assert takings(uow, ADDED_AT.date()).by_method[PaymentMethod.CASH] == Decimal("500.00")
    with db.unit_of_work() as uow:
        taken_in = intake(uow, intake_request_from_json(intake_document()), "admin")
        uow.commit()
    assert taken_in.code == "R000003"  # the ticket counter went on from where it was


def _without(row: dict[str, object], columns: set[str]) -> dict[str, object]:
    return {key: value for key, value in row.items() if key not in columns}
