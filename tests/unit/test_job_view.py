"""The job view says what the job card shows: editable, outcome moves, the next move."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from repairshop.db.tables import Customer, Device, Job, User
from repairshop.domain.statuses import JobStatus, JobType, Outcome
from repairshop.services.jobs.views import JobView, OutcomeMove, job_view

S = JobStatus
MORNING = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def view_of(
    status: JobStatus,
    *,
    job_type: JobType = JobType.PAID_REPAIR,
    resume: JobStatus | None = None,
    estimate_minor: int | None = None,
    preapproved_minor: int | None = None,
) -> JobView:
    clerk = User(id=1, login="admin", display_name="Admin", role="manager")
    customer = Customer(id=1, name="Jiří Dvořák", phone="+420777123456", email=None, language="cs")
    customer.consent_to_contact = False
    device = Device(
        id=1, device_type="phone", brand="Samsung", model="Galaxy S23", serial=None, imei=None
    )
    device.colour = ""
    job = Job(
        id=7,
        code="R000007",
        job_type=job_type.value,
        status=status.value,
        resume_status=resume.value if resume else None,
        outcome=None,
        fault="Cracked screen",
        accessories="",
        condition="",
        passcode="",
        estimate_minor=estimate_minor,
        preapproved_minor=preapproved_minor,
        deposit_minor=0,
        currency="CZK",
        promised=None,
        purchase_date=None,
        proof_of_purchase="",
        created_at=MORNING,
        status_changed_at=MORNING,
        version=1,
    )
    job.customer, job.device, job.created_by, job.assignee = customer, device, clerk, None
    job.events = []
    return job_view(job, show_passcode=True, zone=UTC)


@pytest.mark.parametrize("status", [status for status in JobStatus if status is not S.COLLECTED])
def test_a_job_in_the_shop_is_editable(status: JobStatus) -> None:
    assert view_of(status, resume=S.IN_REPAIR).editable


def test_a_collected_job_is_not_editable_and_has_no_next_move() -> None:
    view = view_of(S.COLLECTED)
    assert not view.editable
    assert view.allowed_moves == ()
    assert view.next_move is None
    assert view.outcome_moves == ()


def test_a_tested_job_offers_repaired_or_replaced_when_it_becomes_ready() -> None:
    view = view_of(S.TESTING)
    assert view.outcome_moves == (OutcomeMove(S.READY, (Outcome.REPAIRED, Outcome.REPLACED)),)
    assert view.outcomes_for(S.READY) == (Outcome.REPAIRED, Outcome.REPLACED)
    assert view.outcomes_for(S.IN_REPAIR) == ()
    assert view.next_move is S.READY


def test_a_cancelled_job_goes_back_unrepaired_without_a_choice() -> None:
    view = view_of(S.CANCELLED)
    assert view.allowed_moves == (S.READY,)
    assert view.outcome_moves == ()
    assert view.outcomes_for(S.READY) == ()
    assert view.next_move is S.READY


@pytest.mark.parametrize(
    ("status", "job_type", "expected"),
    [
        (S.RECEIVED, JobType.PAID_REPAIR, S.DIAGNOSING),
        (S.DIAGNOSING, JobType.PAID_REPAIR, S.AWAITING_APPROVAL),
        (S.DIAGNOSING, JobType.WARRANTY_CLAIM, S.IN_REPAIR),
        (S.AWAITING_APPROVAL, JobType.PAID_REPAIR, S.IN_REPAIR),
        (S.IN_REPAIR, JobType.PAID_REPAIR, S.TESTING),
        (S.READY, JobType.PAID_REPAIR, S.COLLECTED),
    ],
)
def test_the_next_move_follows_the_main_path(
    status: JobStatus, job_type: JobType, expected: JobStatus
) -> None:
    assert view_of(status, job_type=job_type).next_move is expected


def test_a_waiting_jobs_next_move_is_where_its_work_resumes() -> None:
    assert view_of(S.ON_HOLD, resume=S.IN_REPAIR).next_move is S.IN_REPAIR
    assert view_of(S.AWAITING_PARTS, resume=S.DIAGNOSING).next_move is S.IN_REPAIR
