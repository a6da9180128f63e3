"""What the desk adds to a refusal so the clerk knows where to put it right."""

from __future__ import annotations

from repairshop.errors import ApprovalRequired, RepairShopError
from repairshop.i18n import _, format_money


def desk_message(error: RepairShopError) -> str:
    """The refusal's message; for a price above the approval, where to record a new one."""
    if not isinstance(error, ApprovalRequired) or error.price is None:
        return error.message
    amount = format_money(error.price, error.currency)
    hint = _(
        "Record the customer's approval of {amount} on the job card: Money, “Record approval…”."
    ).format(amount=amount)
    return f"{error.reason}\n\n{hint}"
