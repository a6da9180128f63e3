"""Goods a customer brings back (a take-back): what becomes of the item, and of the money.

A part or a device the shop sold comes back over the counter and is ``received``. The
item then goes one way — ``restocked`` (back on the shelf), ``to_supplier`` (a supplier
RMA is opened for it) or ``scrapped`` (written off) — and, apart from that, the money is
decided once: ``refunded`` (a credit note on the invoice it was sold on, or a refund
payment), ``exchanged`` (the customer takes another unit instead) or ``refused`` with a
reason. The take-back is settled when both are decided.
"""

from __future__ import annotations

from enum import StrEnum

from repairshop.errors import InvalidTransition, ValidationError
from repairshop.i18n import NC_, _

RETURN_PREFIX = "CR"
RETURN_DIGITS = 4


class ReturnState(StrEnum):
    RECEIVED = "received"
    RESTOCKED = "restocked"
    TO_SUPPLIER = "to_supplier"
    SCRAPPED = "scrapped"

    @property
    def label(self) -> str:
        return _(STATE_LABELS[self])


STATE_LABELS: dict[ReturnState, str] = {
    ReturnState.RECEIVED: NC_("customer return", "Received"),
    ReturnState.RESTOCKED: NC_("customer return", "Back on the shelf"),
    ReturnState.TO_SUPPLIER: NC_("customer return", "Sent to the supplier"),
    ReturnState.SCRAPPED: NC_("customer return", "Scrapped"),
}


class RefundDecision(StrEnum):
    REFUNDED = "refunded"
    EXCHANGED = "exchanged"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return _(DECISION_LABELS[self])


DECISION_LABELS: dict[RefundDecision, str] = {
    RefundDecision.REFUNDED: NC_("customer return", "Refunded"),
    RefundDecision.EXCHANGED: NC_("customer return", "Exchanged"),
    RefundDecision.REFUSED: NC_("customer return", "Refund refused"),
}

ITEM_MOVES: frozenset[ReturnState] = frozenset(
    {ReturnState.RESTOCKED, ReturnState.TO_SUPPLIER, ReturnState.SCRAPPED}
)
"""Where a received item may go; each is final."""


def item_moves(state: ReturnState) -> list[ReturnState]:
    """The item's moves open from ``state``, in a stable order (for buttons and messages)."""
    if state is not ReturnState.RECEIVED:
        return []
    return [s for s in ReturnState if s in ITEM_MOVES]


def decisions(decided: RefundDecision | None) -> list[RefundDecision]:
    """The money decisions still open: all three until one is made."""
    return [] if decided is not None else list(RefundDecision)


def is_open(state: ReturnState, decided: RefundDecision | None) -> bool:
    return state is ReturnState.RECEIVED or decided is None


def check_item_move(number: str, state: ReturnState, target: ReturnState) -> None:
    """Refuse a move the item's state does not allow, naming the state it is in."""
    if target in item_moves(state):
        return
    raise InvalidTransition(
        _("Return {number} is “{state}”: it cannot become “{target}”. Allowed: {allowed}.").format(
            number=number,
            state=state.label,
            target=target.label,
            allowed=", ".join(s.value for s in item_moves(state)) or _("none: it is settled"),
        ),
        tuple(s.value for s in item_moves(state)),
    )


def check_decision(number: str, decided: RefundDecision | None, wanted: RefundDecision) -> None:
    """The money is decided once; a second decision is refused, naming the first."""
    if decided is None:
        return
    raise InvalidTransition(
        _("Return {number} is already decided: “{decision}”.").format(
            number=number, decision=decided.label
        ),
        (),
    )


def return_number(year: int, sequence: int) -> str:
    """``CR2026-0001``."""
    return f"{RETURN_PREFIX}{year}-{sequence:0{RETURN_DIGITS}d}"


def normalise_return_number(text: str) -> str:
    """``CR2026-0001`` from ``cr2026-1`` or ``CR 2026-0001``; anything else is refused."""
    key = text.strip().upper().replace(" ", "").removeprefix(RETURN_PREFIX)
    year, _dash, sequence = key.partition("-")
    if not (year.isdigit() and len(year) == 4 and sequence.isdigit()):
        raise ValidationError(
            _("“{text}” is not a return number (like {example}).").format(
                text=text.strip(), example=return_number(2026, 1)
            ),
            field="number",
        )
    return return_number(int(year), int(sequence))
