"""Demo data looks like a real shop and obeys the same rules as real work."""

from __future__ import annotations

from collections import Counter as Tally
from datetime import timedelta

import phonenumbers
from sqlalchemy import select

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
