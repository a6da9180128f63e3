"""Events: what one room announces so that rooms above it can react in the same transaction.

A room never calls a room above it. When a lower room's action has consequences that belong
to a higher room (a cancelled job frees the parts the parts room reserved for it), the lower
room publishes an event on the unit of work (:meth:`~.uow.UnitOfWork.publish`). The handlers
registered for that event (:class:`~.uow.EventHandlers`) run at once, in the same
transaction, and the :class:`~.changes.Changes` they return are merged into the action's
result, so the result names everything the action changed.

Which handler reacts to which event is wired in one place above every room,
:mod:`repairshop.bootstrap`, which is also the only way to open a database: no database is
ever open without its handlers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """Something that happened inside a unit of work; subclasses say what."""


@dataclass(frozen=True)
class JobCancelled(Event):
    """A job moved to ``cancelled``: whatever other rooms hold for it goes back.

    ``actor`` is the login of the person who cancelled it, ``reason`` the text its
    consequences are recorded with (in the job's history and the stock ledger).
    """

    job_id: int
    actor: str
    reason: str


@dataclass(frozen=True)
class JobStatusChanged(Event):
    """A job reached a status: taken in (``from_status`` is ``None``) or moved.

    ``event_id`` is the ``job_events`` row that records it, so a reaction can be tied to
    this one move (the customer is told about it once, however often the job comes back).
    """

    job_id: int
    from_status: str | None
    to_status: str
    event_id: int


@dataclass(frozen=True)
class DepositChanged(Event):
    """The deposit on a job was taken (at intake) or changed (on the job card).

    The money room records the difference as a deposit payment (or a refund) at the desk.
    """

    job_id: int
    actor: str
    old_minor: int
    new_minor: int
    method: str = "cash"
    """How the customer paid it: ``cash``, ``card`` or ``transfer``."""


@dataclass(frozen=True)
class CustomerReturnRefunded(Event):
    """Money is paid back for goods a customer returned (the after-sales room's take-back).

    The money room issues a credit note for ``amount_minor`` on the invoice the goods were
    sold on (``invoice_id``), or, without one, records the refund payment; its handler's
    :class:`~.changes.Changes` name the credit note in ``extra["refund_document"]``.
    ``method`` is a payment method key, or ``None`` for the way the invoice was paid.
    """

    return_id: int
    number: str
    actor: str
    invoice_id: int | None
    amount_minor: int
    description: str
    item_name: str
    """The part's name, to find the invoice line it was sold on (for its VAT rate)."""
    method: str | None
    desk: str
