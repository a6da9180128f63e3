"""The one family of errors a person is shown.

Every refusal the core makes is a :class:`RepairShopError` whose message is
already translated and fit to show at the counter. The CLI prints it and exits
1; the UI shows it in one place. Any other exception is a bug.
"""

from __future__ import annotations

from decimal import Decimal


class RepairShopError(Exception):
    """A refused action, with a message for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(RepairShopError):
    """Input that cannot be accepted; ``field`` names the offending field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidTransition(RepairShopError):
    """A status change the workflow does not allow."""

    def __init__(self, message: str, allowed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.allowed = allowed


class OutOfStock(RepairShopError):
    """A part movement that would take stock below zero."""


class NotFound(RepairShopError):
    """A ticket code, login, SKU or record that does not exist."""


class Conflict(RepairShopError):
    """A stale edit: someone else changed the record first."""


class PermissionDenied(RepairShopError):
    """The current user's role may not do this."""


class DatabaseUnavailable(RepairShopError):
    """The database cannot be opened, is locked for too long, or has gone."""


class ApprovalRequired(ValidationError):
    """A step that would take a job's price above what the customer approved.

    ``reason`` is the message without what to do about it; ``code``, ``price`` and
    ``currency`` say which job and what the new approval must cover, so a desk can tell
    the clerk where to record it.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: str = "",
        code: str = "",
        price: Decimal | None = None,
        currency: str = "",
    ) -> None:
        super().__init__(message)
        self.reason = reason or message
        self.code = code
        self.price = price
        self.currency = currency


class UnitNotNamed(ValidationError):
    """A serialised part used without naming the unit while more than one could be it.

    ``serials`` are the units that could have gone in (those the job reserved first,
    ``reserved`` of them, then those on the shelf); ``quantity`` how many are to be named.
    A desk offers them to choose from; the command line lists them.
    """

    def __init__(
        self, message: str, *, sku: str, serials: tuple[str, ...], reserved: int, quantity: int
    ) -> None:
        super().__init__(message, field="serials")
        self.sku = sku
        self.serials = serials
        self.reserved = reserved
        self.quantity = quantity
