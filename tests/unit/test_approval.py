"""The rule that holds a job's price to what the customer approved."""

from __future__ import annotations

import pytest

from repairshop.domain.approval import (
    ApprovalMethod,
    approved_amount,
    check_price_approved,
    parse_approval_method,
    repair_started,
    starts_repair,
)
from repairshop.domain.statuses import JobStatus as S
from repairshop.domain.statuses import JobType
from repairshop.errors import ApprovalRequired, ValidationError


def check(
    price: int, approved: int | None, *, required: bool, job_type: JobType = JobType.PAID_REPAIR
) -> None:
    check_price_approved(
        "R000001",
        job_type,
        price_minor=price,
        approved_minor=approved,
        currency="CZK",
        required=required,
    )


def test_a_price_above_the_approved_amount_is_refused_naming_both() -> None:
    check(6800_00, 6800_00, required=True)
    with pytest.raises(ApprovalRequired, match=r"CZK9,800\.00.*CZK6,800\.00") as refused:
        check(9800_00, 6800_00, required=False)
    assert isinstance(refused.value, ValidationError)


def test_a_quote_without_approval_may_grow_but_repair_needs_one() -> None:
    check(9800_00, None, required=False)
    with pytest.raises(ApprovalRequired, match="has not approved a price yet"):
        check(9800_00, None, required=True)


@pytest.mark.parametrize("job_type", [JobType.WARRANTY_CLAIM, JobType.COMPLAINT])
def test_warranty_and_complaint_jobs_are_never_held_up(job_type: JobType) -> None:
    check(9800_00, None, required=True, job_type=job_type)
    check(9800_00, 0, required=True, job_type=job_type)


def test_the_last_approval_counts_else_the_intake_pre_approval() -> None:
    assert approved_amount(9800_00, 5000_00) == 9800_00
    assert approved_amount(None, 5000_00) == 5000_00
    assert approved_amount(None, None) is None


def test_which_moves_start_the_repair_and_when_work_has_begun() -> None:
    assert starts_repair(S.DIAGNOSING, None, S.IN_REPAIR)
    assert starts_repair(S.AWAITING_APPROVAL, None, S.IN_REPAIR)
    assert starts_repair(S.AWAITING_PARTS, S.AWAITING_APPROVAL, S.IN_REPAIR)
    assert not starts_repair(S.AWAITING_PARTS, S.IN_REPAIR, S.IN_REPAIR)
    assert not starts_repair(S.TESTING, None, S.IN_REPAIR)
    assert not starts_repair(S.DIAGNOSING, None, S.AWAITING_APPROVAL)
    assert repair_started(S.IN_REPAIR, None)
    assert repair_started(S.ON_HOLD, S.TESTING)
    assert not repair_started(S.ON_HOLD, S.DIAGNOSING)
    assert not repair_started(S.AWAITING_APPROVAL, None)


def test_ways_of_approval_are_read_forgivingly() -> None:
    assert parse_approval_method("in-person") is ApprovalMethod.IN_PERSON
    assert parse_approval_method("E-mail".replace("-", "")) is ApprovalMethod.EMAIL
    with pytest.raises(ValidationError, match="Unknown way of approval"):
        parse_approval_method("fax")
