"""Returns to a supplier (RMA): the states, the moves between them, what each move does to stock.

An RMA is opened (``requested``) for one part: a faulty or wrong unit from the shelf, or
a part taken out of a customer's device that the supplier or the manufacturer wants
back. It is ``sent``, and settles as ``credited`` (money back, nothing comes back),
``replaced`` (a new unit arrives) or ``rejected`` (the supplier refuses it; once sent,
the part comes back to the shop). A part from the shelf is held (reserved) while the
RMA is requested and leaves stock when it is sent.
"""

from __future__ import annotations

from enum import StrEnum

from repairshop.errors import InvalidTransition, ValidationError
from repairshop.i18n import N_, NC_, _


class RmaState(StrEnum):
    REQUESTED = "requested"
    SENT = "sent"
    CREDITED = "credited"
    REPLACED = "replaced"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _(RMA_STATE_LABELS[self])

    @property
    def is_open(self) -> bool:
        return self in (RmaState.REQUESTED, RmaState.SENT)


RMA_STATE_LABELS: dict[RmaState, str] = {
    RmaState.REQUESTED: NC_("rma", "Requested"),
    RmaState.SENT: NC_("rma", "Sent"),
    RmaState.CREDITED: NC_("rma", "Credited"),
    RmaState.REPLACED: NC_("rma", "Replaced"),
    RmaState.REJECTED: NC_("rma", "Rejected"),
}


class RmaAction(StrEnum):
    """What the shop does to an RMA (the command line's verbs)."""

    SEND = "send"
    RECEIVE = "receive"
    """Something arrives back from the supplier: a replacement, or the rejected part."""
    CLOSE = "close"
    """Settled with nothing arriving: credited, or rejected."""


MOVES: dict[tuple[RmaState, RmaAction], frozenset[RmaState]] = {
    (RmaState.REQUESTED, RmaAction.SEND): frozenset({RmaState.SENT}),
    (RmaState.REQUESTED, RmaAction.CLOSE): frozenset({RmaState.REJECTED}),
    (RmaState.SENT, RmaAction.RECEIVE): frozenset({RmaState.REPLACED, RmaState.REJECTED}),
    (RmaState.SENT, RmaAction.CLOSE): frozenset({RmaState.CREDITED, RmaState.REJECTED}),
}
"""Every allowed move: (state, action) → the states the action may end in."""

ACTION_LABELS: dict[RmaAction, str] = {
    RmaAction.SEND: N_("send to the supplier"),
    RmaAction.RECEIVE: N_("receive from the supplier"),
    RmaAction.CLOSE: N_("close"),
}


def allowed_moves(state: RmaState) -> list[tuple[RmaAction, RmaState]]:
    """The moves open from ``state``, in a stable order (for buttons and messages)."""
    return [
        (action, target)
        for (source, action), targets in MOVES.items()
        if source is state
        for target in sorted(targets, key=list(RmaState).index)
    ]


def describe_moves(state: RmaState) -> str:
    moves = allowed_moves(state)
    if not moves:
        return _("none: it is settled")
    return ", ".join(f"{action.value} {target.value}" for action, target in moves)


def check_move(number: str, state: RmaState, action: RmaAction, target: RmaState) -> None:
    """Refuse a move the RMA's state does not allow, naming the moves that are."""
    if target in MOVES.get((state, action), frozenset()):
        return
    raise InvalidTransition(
        _(
            "RMA {number} is “{state}”: it cannot {action} as “{target}”. Allowed: {allowed}."
        ).format(
            number=number,
            state=state.label,
            action=_(ACTION_LABELS[action]),
            target=target.label,
            allowed=describe_moves(state),
        ),
        tuple(f"{a.value} {t.value}" for a, t in allowed_moves(state)),
    )


def parse_state(value: str) -> RmaState:
    key = value.strip().lower()
    try:
        return RmaState(key)
    except ValueError:
        keys = ", ".join(state.value for state in RmaState)
        raise ValidationError(
            _("Unknown RMA state “{value}”. States are: {keys}.").format(value=value, keys=keys),
            field="state",
        ) from None


def stock_delta(
    state: RmaState, action: RmaAction, target: RmaState, *, from_stock: bool
) -> tuple[int, int]:
    """The (on hand, reserved) change a move makes; a part from a job was never in stock.

    A shelf part is held (reserved) from the request, leaves the shelf when it is sent,
    and comes back onto it when the supplier returns it rejected; a request refused
    before anything was sent releases the hold. A replacement always enters stock.
    """
    if action is RmaAction.RECEIVE and target is RmaState.REPLACED:
        return (1, 0)
    if not from_stock:
        return (0, 0)
    if action is RmaAction.SEND:
        return (-1, -1)
    if action is RmaAction.RECEIVE and target is RmaState.REJECTED:
        return (1, 0)
    if action is RmaAction.CLOSE and state is RmaState.REQUESTED:
        return (0, -1)
    return (0, 0)


HOLD_ON_OPEN = (0, 1)
"""What opening an RMA for a shelf part does to stock: it is held for the supplier."""
