"""The workflow of DESIGN §3, move by move."""

from __future__ import annotations

import pytest

from repairshop.domain.statuses import (
    JobStatus,
    JobType,
    TransitionContext,
    allowed_moves,
    check_move,
    parse_status,
)
from repairshop.errors import InvalidTransition

S = JobStatus
PAID = TransitionContext(JobType.PAID_REPAIR)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.DIAGNOSING),
        (S.DIAGNOSING, S.AWAITING_APPROVAL),
        (S.AWAITING_APPROVAL, S.IN_REPAIR),
        (S.IN_REPAIR, S.TESTING),
        (S.TESTING, S.READY),
        (S.TESTING, S.IN_REPAIR),
        (S.READY, S.COLLECTED),
        (S.CANCELLED, S.READY),
        (S.IN_REPAIR, S.AWAITING_PARTS),
        (S.DIAGNOSING, S.CANCELLED),
    ],
)
def test_the_workflow_allows_its_moves(current: JobStatus, target: JobStatus) -> None:
    check_move("R000001", current, target, PAID)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.READY),
        (S.RECEIVED, S.COLLECTED),
        (S.IN_REPAIR, S.COLLECTED),
        (S.READY, S.IN_REPAIR),
        (S.CANCELLED, S.COLLECTED),
        (S.TESTING, S.AWAITING_APPROVAL),
        (S.READY, S.CANCELLED),
    ],
)
def test_a_move_out_of_order_is_refused_naming_the_allowed_ones(
    current: JobStatus, target: JobStatus
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        check_move("R000001", current, target, PAID)
    assert "R000001" in refused.value.message
    assert "Allowed:" in refused.value.message
    assert refused.value.allowed == tuple(s.value for s in allowed_moves(current, PAID))


def test_collected_is_final() -> None:
    assert allowed_moves(S.COLLECTED, PAID) == ()
    with pytest.raises(InvalidTransition, match="collected"):
        check_move("R000001", S.COLLECTED, S.READY, PAID)


def test_collected_only_from_ready() -> None:
    for status in JobStatus:
        context = TransitionContext(JobType.PAID_REPAIR, resume_status=S.IN_REPAIR)
        assert (S.COLLECTED in allowed_moves(status, context)) == (status is S.READY)


def test_a_paid_repair_needs_approval_before_repair() -> None:
    assert S.IN_REPAIR not in allowed_moves(S.DIAGNOSING, PAID)
    with pytest.raises(InvalidTransition, match="approval"):
        check_move("R000001", S.DIAGNOSING, S.IN_REPAIR, PAID)


def test_a_warranty_claim_goes_straight_to_repair() -> None:
    warranty = TransitionContext(JobType.WARRANTY_CLAIM)
    assert S.IN_REPAIR in allowed_moves(S.DIAGNOSING, warranty)


def test_repair_within_the_pre_approved_amount_needs_no_approval() -> None:
    within = TransitionContext(JobType.PAID_REPAIR, estimate_minor=150_00, preapproved_minor=200_00)
    above = TransitionContext(JobType.PAID_REPAIR, estimate_minor=250_00, preapproved_minor=200_00)
    assert S.IN_REPAIR in allowed_moves(S.DIAGNOSING, within)
    assert S.IN_REPAIR not in allowed_moves(S.DIAGNOSING, above)


def test_on_hold_returns_to_where_it_left() -> None:
    context = TransitionContext(JobType.PAID_REPAIR, resume_status=S.TESTING)
    assert allowed_moves(S.ON_HOLD, context) == (S.TESTING, S.CANCELLED)
    with pytest.raises(InvalidTransition):
        check_move("R000001", S.ON_HOLD, S.IN_REPAIR, context)


def test_awaiting_parts_resumes_where_work_stopped() -> None:
    context = TransitionContext(JobType.PAID_REPAIR, resume_status=S.AWAITING_APPROVAL)
    moves = allowed_moves(S.AWAITING_PARTS, context)
    assert S.AWAITING_APPROVAL in moves
    assert S.IN_REPAIR in moves
    assert S.READY not in moves


def test_statuses_are_read_forgivingly() -> None:
    assert parse_status("in-repair") is S.IN_REPAIR
    assert parse_status("Awaiting approval") is S.AWAITING_APPROVAL
    with pytest.raises(InvalidTransition, match="Unknown status"):
        parse_status("fixed")
