"""Demo data looks like a real shop and obeys the same rules as real work."""

from __future__ import annotations

from collections import Counter as Tally
from datetime import timedelta
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from sqlalchemy import func, select, text

from repairshop.db.tables import Customer, Device, Job, JobEvent
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.domain.devices import imei_problem
from repairshop.domain.statuses import JobStatus, JobType, TransitionContext, check_move
from repairshop.services.database import Database
from repairshop.services.jobs.workflow import find_jobs
from tests.helpers import SettableClock


def test_every_demo_history_follows_the_workflow(db: Database, clock: SettableClock) -> None:
    result = generate_demo(db, DemoOptions(jobs=1500, seed=3))
    assert result.jobs == 1500
    _check_histories(db, clock)


def _check_histories(db: Database, clock: SettableClock) -> None:
    with db.reader() as uow:
        jobs = {job.id: job for job in uow.session.scalars(select(Job))}
        events = list(
            uow.session.scalars(
                select(JobEvent).order_by(JobEvent.job_id, JobEvent.at, JobEvent.id)
            )
        )
    by_job: dict[int, list[JobEvent]] = {}
    for event in events:
        by_job.setdefault(event.job_id, []).append(event)
    assert set(by_job) == set(jobs)
    for job_id, history in by_job.items():
        job = jobs[job_id]
        assert history[0].kind == "created"
        assert history[0].at == job.created_at
        status = JobStatus.RECEIVED
        resume: JobStatus | None = None
        for event in history:
            assert job.created_at <= event.at < clock.now
            if event.kind != "status":
                continue
            assert event.from_value == status.value
            target = JobStatus(event.to_value or "")
            context = TransitionContext(
                JobType(job.job_type), resume, job.estimate_minor, job.preapproved_minor
            )
            check_move(job.code, status, target, context)
            resume = status if target in (JobStatus.ON_HOLD, JobStatus.AWAITING_PARTS) else None
            status = target
        assert job.status == status.value
        assert (job.resume_status or None) == (resume.value if resume else None)


def test_demo_data_spans_six_months_six_languages_and_real_devices(
    db: Database, clock: SettableClock
) -> None:
    generate_demo(db, DemoOptions(jobs=2000, seed=5))
    with db.reader() as uow:
        customers = list(uow.session.scalars(select(Customer)))
        devices = list(uow.session.scalars(select(Device)))
        jobs = list(uow.session.scalars(select(Job)))
        found = find_jobs(uow, "iphone", limit=5)
    languages = Tally(customer.language for customer in customers)
    assert set(languages) == {"cs", "de", "pl", "ru", "hu", "en"}
    assert all(phonenumbers.is_possible_number(phonenumbers.parse(c.phone)) for c in customers)
    assert any("ř" in c.name or "ů" in c.name for c in customers)
    assert any(any("а" <= ch <= "я" for ch in c.name) for c in customers)
    assert all(imei_problem(d.imei) is None for d in devices if d.imei)
    assert {d.device_type for d in devices} >= {"phone", "laptop", "console", "tablet", "appliance"}
    oldest = min(job.created_at for job in jobs)
    assert clock.now - oldest > timedelta(days=170)
    statuses = Tally(job.status for job in jobs)
    assert statuses["collected"] > len(jobs) / 2
    assert len(statuses) >= 6
    assert found
    assert all("iPhone" in job.device for job in found)


def test_the_next_intake_after_demo_data_continues_the_ticket_numbers(db: Database) -> None:
    from repairshop.services.jobs.intake import intake, intake_request_from_json
    from tests.helpers import intake_document

    generate_demo(db, DemoOptions(jobs=50))
    with db.unit_of_work() as uow:
        result = intake(uow, intake_request_from_json(intake_document()), "admin")
        uow.commit()
    assert result.code == "R000051"


def test_a_cancelled_demo_writes_nothing(db: Database) -> None:
    import pytest

    from repairshop.demo.jobs import DemoCancelled

    with pytest.raises(DemoCancelled):
        generate_demo(db, DemoOptions(jobs=100), progress=lambda done, total, stage: False)
    with db.reader() as uow:
        assert uow.session.scalars(select(Job.id)).first() is None
        assert uow.session.scalars(select(Customer.id)).first() is None


def test_demo_complaints_and_approved_repairs_look_like_a_real_shops(
    db: Database, clock: SettableClock
) -> None:
    from repairshop.domain.approval import ApprovalState
    from repairshop.services.aftersales.complaints import count_due, list_complaints
    from repairshop.services.jobs.views import JobView
    from repairshop.services.jobs.workflow import show_job
    from repairshop.services.money.job_money import job_money

    generate_demo(db, DemoOptions(jobs=2000, seed=1))
    with db.reader() as uow:
        complaints = list_complaints(uow)
        due_soon = count_due(uow, 3)
        in_repair = list(
            uow.session.scalars(
                select(Job.code).where(
                    Job.status == JobStatus.IN_REPAIR.value,
                    Job.job_type == JobType.PAID_REPAIR.value,
                )
            )
        )
        states = Tally(job_money(uow, code).state for code in in_repair)
        complaint: JobView = show_job(uow, complaints[0].code, "hana")
        original = show_job(uow, complaints[0].of, "hana")
    assert len(complaints) >= 20
    assert sum(1 for row in complaints if row.outcome is not None) >= 10
    assert sum(1 for row in complaints if row.outcome is None) >= 1
    assert due_soon >= 1
    assert any(row.days_left is not None and 0 <= row.days_left <= 3 for row in complaints)
    assert (complaint.device.serial, complaint.customer.name) == (
        original.device.serial,
        original.customer.name,
    )
    assert original.status is JobStatus.COLLECTED
    assert in_repair
    assert ApprovalState.MISSING not in states, states
    assert ApprovalState.EXCEEDED not in states, states


def test_demo_deposits_on_jobs_in_the_shop_come_off_their_bills(db: Database) -> None:
    from sqlalchemy import select

    from repairshop.db.tables import Job
    from repairshop.domain.money import from_minor
    from repairshop.services.money.collection import bill

    generate_demo(db, DemoOptions(jobs=200, seed=7))
    with db.reader() as uow:
        held = uow.session.execute(
            select(Job.code, Job.deposit_minor, Job.currency).where(
                Job.deposit_minor > 0, Job.status != "collected"
            )
        ).all()
        assert held
        for code, deposit, currency in held:
            assert bill(uow, code).deposit == from_minor(deposit, currency)


def test_a_big_demo_made_in_ranges_by_two_processes_is_whole_and_consistent(
    db: Database, clock: SettableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big run is made in ranges of ticket numbers by other processes, each with its own
    customer and device ids counted from 1: loaded, they are one shop's data."""
    from repairshop.db.tables import JobLine
    from repairshop.demo import jobs as demo_jobs
    from repairshop.services.jobs.search import device_search_text, search_text_for

    monkeypatch.setattr(demo_jobs, "_IN_PROCESS_LIMIT", 400)  # 1,500 jobs: four ranges
    result = generate_demo(db, DemoOptions(jobs=1500, seed=4))
    _check_histories(db, clock)
    with db.reader() as uow:
        customers = {c.id: c for c in uow.session.scalars(select(Customer))}
        devices = {d.id: d for d in uow.session.scalars(select(Device))}
        jobs = list(uow.session.scalars(select(Job).order_by(Job.id)))
        events = uow.session.scalars(select(func.count()).select_from(JobEvent)).one()
        lines = uow.session.scalars(select(func.count()).select_from(JobLine)).one()
        imei = next(d.imei for d in reversed(devices.values()) if d.imei)
        found = find_jobs(uow, imei[3:11], limit=50)
        codes = [job.code for job in jobs]
    assert (result.jobs, result.customers, result.events) == (1500, len(customers), events)
    assert [job.id for job in jobs] == list(range(1, 1501))
    assert codes == [f"R{n:06d}" for n in range(1, 1501)]
    assert sorted(customers) == list(range(1, len(customers) + 1))
    assert sorted(devices) == list(range(1, len(devices) + 1))
    assert len(customers) < len(devices) <= 1500
    assert lines > 0
    for job in jobs:
        customer, device = customers[job.customer_id], devices[job.device_id]
        assert device.customer_id == job.customer_id
        assert job.search_text == search_text_for(job.code, customer, device)
        assert job.search_device == device_search_text(device.brand, device.model)
    complaints = [job for job in jobs if job.complaint_of_id is not None]
    assert complaints
    assert all(jobs[job.complaint_of_id - 1].device_id == job.device_id for job in complaints)
    on_that_device = {job.code for job in jobs if devices[job.device_id].imei == imei}
    assert on_that_device
    assert {summary.code for summary in found} >= on_that_device


def test_a_demo_range_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    import sqlite3
    from datetime import UTC, datetime

    from repairshop.demo.jobs import _make_range, _Range

    def rows(path: Path, seed: int) -> list[tuple[object, ...]]:
        options = DemoOptions(jobs=3000, seed=seed)
        part = _Range(str(path), 1, 1000, 800, options, datetime(2026, 3, 1, tzinfo=UTC), 1)
        _make_range(part)
        connection = sqlite3.connect(path)
        found = [
            row
            for table in ("customers", "devices", "jobs", "job_events", "job_lines")
            for row in connection.execute(f"SELECT * FROM {table}")
        ]
        connection.close()
        return found

    first = rows(tmp_path / "a.sqlite", 9)
    assert len(first) > 8000
    assert rows(tmp_path / "b.sqlite", 9) == first
    assert rows(tmp_path / "c.sqlite", 10) != first


def test_a_big_demo_cancelled_while_ranges_load_writes_nothing_and_can_run_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repairshop.demo import jobs as demo_jobs
    from repairshop.demo.jobs import DemoCancelled

    monkeypatch.setattr(demo_jobs, "_IN_PROCESS_LIMIT", 400)  # 1,500 jobs: four ranges
    stages: list[tuple[int, str]] = []

    def progress(done: int, total: int, stage: str) -> bool:
        stages.append((done, stage))
        return done < 1000  # cancelled once three ranges are made, some of them loaded

    with pytest.raises(DemoCancelled):
        generate_demo(db, DemoOptions(jobs=1500), progress=progress)
    assert stages
    with db.reader() as uow:
        assert uow.session.scalars(select(Job.id)).first() is None
        assert uow.session.scalars(select(Customer.id)).first() is None
    # The ranges were let go of: the same connections load a run again.
    assert generate_demo(db, DemoOptions(jobs=1500)).jobs == 1500


def loader_connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The driver connections the demo's loader takes, in the order it takes them."""
    from repairshop.demo import jobs as demo_jobs

    used: list[Any] = []
    driver_connection = demo_jobs._driver_connection

    def recorded(uow: Any) -> Any:
        used.append(driver_connection(uow))
        return used[-1]

    monkeypatch.setattr(demo_jobs, "_driver_connection", recorded)
    return used


@pytest.mark.parametrize("jobs", [300, 1500])
def test_demo_rows_go_in_unchecked_but_keep_every_foreign_key_and_checks_return(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """SQLite loads the rows without checking their foreign keys: every one still holds, and
    the connection that loaded them checks them again afterwards (it goes back to the pool)."""
    from repairshop.demo import jobs as demo_jobs

    monkeypatch.setattr(demo_jobs, "_IN_PROCESS_LIMIT", 400)  # 1,500 jobs: four ranges
    used = loader_connections(monkeypatch)
    generate_demo(sqlite_db, DemoOptions(jobs=jobs, seed=5))
    assert used
    for connection in used:
        assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA database_list").fetchall()[1:] == []


def test_a_cancelled_demo_checks_foreign_keys_again(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repairshop.demo.jobs import DemoCancelled

    used = loader_connections(monkeypatch)
    with pytest.raises(DemoCancelled):
        generate_demo(sqlite_db, DemoOptions(jobs=100), progress=lambda done, total, stage: False)
    assert used
    for connection in used:
        assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)


def _indexes_triggers_and_keys(db: Database) -> list[tuple[str, ...]]:
    """Every index, trigger and constraint of the database's schema, with its definition
    (and on PostgreSQL whether the constraint was checked)."""
    if db.dialect == "sqlite":
        query = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
    else:
        query = (
            "SELECT 'index', c.relname, pg_get_indexdef(c.oid) FROM pg_class c "
            "WHERE c.relkind = 'i' AND c.relnamespace = current_schema()::regnamespace "
            "UNION ALL SELECT 'constraint ' || k.convalidated, k.conname, "
            "pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "WHERE k.connamespace = current_schema()::regnamespace "
            "UNION ALL SELECT 'trigger', t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
        )
    with db.reader() as uow:
        rows = uow.session.execute(text(query)).all()
    return sorted(tuple(str(value) for value in row) for row in rows)


@pytest.mark.parametrize("cancel", [False, True])
def test_the_indexes_triggers_and_keys_set_aside_for_the_load_are_all_back(
    db: Database, monkeypatch: pytest.MonkeyPatch, cancel: bool
) -> None:
    """The load sets aside, on SQLite, the search index's trigger while it copies the ranges'
    own search indexes in; on PostgreSQL, the loaded tables' secondary indexes and foreign
    keys, made again at the end. The schema after a run, done or cancelled, is the one
    before it, every foreign key checked."""
    from repairshop.demo import jobs as demo_jobs
    from repairshop.demo.jobs import DemoCancelled

    monkeypatch.setattr(demo_jobs, "_IN_PROCESS_LIMIT", 400)  # 1,500 jobs: four ranges
    before = _indexes_triggers_and_keys(db)
    kinds = {(kind, name) for kind, name, _sql in before}
    if db.dialect == "sqlite":
        assert ("trigger", "jobs_fts_insert") in kinds
    else:
        assert ("constraint true", "fk_job_events_job_id_jobs") in kinds
        assert ("index", "ix_jobs_status_id") in kinds
    if cancel:
        with pytest.raises(DemoCancelled):
            generate_demo(db, DemoOptions(jobs=1500), progress=lambda d, t, s: d < 1000)
    else:
        generate_demo(db, DemoOptions(jobs=1500))
    assert _indexes_triggers_and_keys(db) == before


def _search_index_agrees_with_the_jobs(db: Database) -> int:
    """FTS5's own check of the search index against the jobs, and a few words found by it and
    by reading every job alike; the number of segments the index is in."""
    from repairshop.demo.search_index import _Structure

    with db.reader() as uow:
        connection = uow.session.connection()
        connection.exec_driver_sql(
            "INSERT INTO jobs_fts(jobs_fts, rank) VALUES ('integrity-check', 1)"
        )
        imei = connection.exec_driver_sql(
            "SELECT imei FROM devices WHERE imei IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).scalar_one()
        for word in ("nov", "iphone", "apple", "+420", "@seznam", "r0012", imei[4:12]):
            indexed = connection.exec_driver_sql(
                "SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?", (f'"{word}"',)
            ).scalars()
            read = connection.exec_driver_sql(
                "SELECT id FROM jobs WHERE instr(search_text, ?) OR instr(search_device, ?)",
                (word, word),
            ).scalars()
            assert sorted(indexed) == sorted(read), word
        record = connection.exec_driver_sql(
            "SELECT block FROM jobs_fts_data WHERE id = 10"
        ).scalar_one()
    return len(_Structure.parse(record).segments())


def test_a_big_demos_search_index_is_copied_from_its_ranges_and_new_jobs_join_it(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each range builds its own search index; the database takes each as one segment, and
    FTS5's own check finds the whole index true to the jobs. Its trigger is back: an intake
    after the demo is found."""
    from repairshop.demo import jobs as demo_jobs
    from repairshop.services.jobs.intake import intake, intake_request_from_json
    from tests.helpers import intake_document

    monkeypatch.setattr(demo_jobs, "_IN_PROCESS_LIMIT", 400)  # 1,500 jobs: four ranges
    generate_demo(sqlite_db, DemoOptions(jobs=1500, seed=6))
    assert _search_index_agrees_with_the_jobs(sqlite_db) == 4
    with sqlite_db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    with sqlite_db.reader() as uow:
        assert [summary.code for summary in find_jobs(uow, code)] == [code]
    _search_index_agrees_with_the_jobs(sqlite_db)


def test_a_range_whose_search_index_cannot_be_copied_has_it_rebuilt_from_the_jobs(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repairshop.demo import jobs as demo_jobs
    from repairshop.demo.search_index import IndexCopy, NotCopyable

    monkeypatch.setattr(demo_jobs, "_IN_PROCESS_LIMIT", 400)
    copied: list[str] = []
    add = IndexCopy.add

    def second_refused(self: IndexCopy, schema: str) -> None:
        copied.append(schema)
        if len(copied) == 2:
            raise NotCopyable("refused for the test")
        add(self, schema)

    monkeypatch.setattr(IndexCopy, "add", second_refused)
    generate_demo(sqlite_db, DemoOptions(jobs=1500, seed=7))
    assert len(copied) == 2  # the rest were not tried
    _search_index_agrees_with_the_jobs(sqlite_db)


def test_a_search_index_of_another_format_is_built_by_the_database_itself(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repairshop.demo import jobs as demo_jobs
    from repairshop.demo import search_index

    monkeypatch.setattr(demo_jobs, "_IN_PROCESS_LIMIT", 400)
    monkeypatch.setattr(search_index, "FORMAT_VERSION", 99)
    made: list[str | None] = []
    make_range = demo_jobs._make_range

    def recorded(part: Any, made_jobs: Any = None) -> Any:
        made.append(part.search_index)
        return make_range(part, made_jobs)

    monkeypatch.setattr(demo_jobs, "_make_range", recorded)
    generate_demo(sqlite_db, DemoOptions(jobs=300, seed=8))
    assert made == [None]
    _search_index_agrees_with_the_jobs(sqlite_db)
