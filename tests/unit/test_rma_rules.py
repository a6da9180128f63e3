"""The RMA rules without a database: which move each state allows and the stock it moves."""

from __future__ import annotations

import itertools

import pytest

from repairshop.domain.rma import (
    RmaAction,
    RmaState,
    allowed_moves,
    check_move,
    parse_state,
    stock_delta,
)
from repairshop.errors import InvalidTransition, ValidationError

A, S = RmaAction, RmaState

ALLOWED = {
    (S.REQUESTED, A.SEND, S.SENT),
    (S.REQUESTED, A.CLOSE, S.REJECTED),
    (S.SENT, A.RECEIVE, S.REPLACED),
    (S.SENT, A.RECEIVE, S.REJECTED),
    (S.SENT, A.CLOSE, S.CREDITED),
    (S.SENT, A.CLOSE, S.REJECTED),
}


@pytest.mark.parametrize(("state", "action", "target"), list(itertools.product(S, A, S)))
def test_only_the_agreed_moves_are_allowed(state: S, action: A, target: S) -> None:
    if (state, action, target) in ALLOWED:
        check_move("RMA00001", state, action, target)
        assert (action, target) in allowed_moves(state)
    else:
        with pytest.raises(InvalidTransition, match="RMA00001") as refused:
            check_move("RMA00001", state, action, target)
        assert refused.value.allowed == tuple(
            f"{a.value} {t.value}" for a, t in allowed_moves(state)
        )


def test_settled_states_allow_nothing() -> None:
    for state in (S.CREDITED, S.REPLACED, S.REJECTED):
        assert allowed_moves(state) == []
        assert not state.is_open


@pytest.mark.parametrize(
    ("state", "action", "target", "shelf", "device"),
    [
        (S.REQUESTED, A.SEND, S.SENT, (-1, -1), (0, 0)),
        (S.REQUESTED, A.CLOSE, S.REJECTED, (0, -1), (0, 0)),
        (S.SENT, A.RECEIVE, S.REPLACED, (1, 0), (1, 0)),
        (S.SENT, A.RECEIVE, S.REJECTED, (1, 0), (0, 0)),
        (S.SENT, A.CLOSE, S.CREDITED, (0, 0), (0, 0)),
        (S.SENT, A.CLOSE, S.REJECTED, (0, 0), (0, 0)),
    ],
)
def test_the_stock_each_move_changes(
    state: S, action: A, target: S, shelf: tuple[int, int], device: tuple[int, int]
) -> None:
    assert stock_delta(state, action, target, from_stock=True) == shelf
    assert stock_delta(state, action, target, from_stock=False) == device


def test_an_unknown_state_names_the_known_ones() -> None:
    assert parse_state(" Credited ") is S.CREDITED
    with pytest.raises(ValidationError, match="requested, sent, credited, replaced, rejected"):
        parse_state("lost")
