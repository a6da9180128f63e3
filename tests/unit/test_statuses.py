"""The workflow of docs/ARCHITECTURE.md (job statuses), move by move."""

from __future__ import annotations

from itertools import pairwise

import pytest

from repairshop.db.open_jobs import COLLECTED
from repairshop.domain.statuses import (
    MAIN_PATH,
    JobStatus,
    JobType,
    Outcome,
    TransitionContext,
    allowed_moves,
    check_move,
    is_editable,
    next_on_main_path,
    outcome_choices,
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


@pytest.mark.parametrize(
    ("moves", "expected"),
    [
        ((S.DIAGNOSING, S.ON_HOLD, S.CANCELLED), S.DIAGNOSING),
        ((S.AWAITING_APPROVAL, S.AWAITING_PARTS, S.ON_HOLD, S.CANCELLED), S.AWAITING_APPROVAL),
        ((S.AWAITING_APPROVAL, S.IN_REPAIR, S.AWAITING_PARTS), S.IN_REPAIR),
        ((S.READY, S.IN_REPAIR, S.ON_HOLD, S.CANCELLED), S.READY),
        ((S.READY,), S.READY),
        ((S.COLLECTED,), S.COLLECTED),
        ((S.ON_HOLD, S.CANCELLED), None),
        ((), None),
    ],
)
def test_the_next_move_is_the_one_furthest_along_the_main_path(
    moves: tuple[JobStatus, ...], expected: JobStatus | None
) -> None:
    assert next_on_main_path(moves) is expected


def test_the_main_path_runs_from_the_counter_to_collection() -> None:
    assert MAIN_PATH[0] is S.RECEIVED
    assert MAIN_PATH[-1] is S.COLLECTED
    assert all(later in allowed_moves(earlier, PAID) for earlier, later in pairwise(MAIN_PATH))


def test_only_a_tested_job_chooses_its_outcome_when_it_becomes_ready() -> None:
    assert outcome_choices(S.TESTING, S.READY) == (Outcome.REPAIRED, Outcome.REPLACED)
    assert outcome_choices(S.CANCELLED, S.READY) == ()
    for current in JobStatus:
        for target in allowed_moves(current, PAID):
            if (current, target) != (S.TESTING, S.READY):
                assert outcome_choices(current, target) == ()


def test_only_a_collected_job_is_closed_for_changes() -> None:
    assert [status for status in JobStatus if not is_editable(status)] == [S.COLLECTED]


def test_the_open_jobs_indexes_leave_out_the_collected_status() -> None:
    """The status-first indexes' condition names the collected status by its stored value."""
    assert JobStatus.COLLECTED.value == COLLECTED
