"""How the job card's history tells the money events: a line, an approval, the document
issued at collection, a credit note, a cancelled job's deposit kept or refunded."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from repairshop.domain.approval import approval_method_label
from repairshop.domain.money import from_minor
from repairshop.i18n import _, format_money
from repairshop.services.jobs.views import EventView

MONEY_EVENT_KINDS = frozenset({"line", "approval", "invoice", "handover", "credit_note", "deposit"})


def _minor(value: str | None, currency: str) -> str:
    return format_money(from_minor(int(value), currency), currency) if value else "—"


def describe_money_event(event: EventView, currency: str) -> str:
    """ "Line added: 2 × Data backup, €500.00 each" or "Approved €3,490.00 by phone — note"."""
    if event.kind in ("invoice", "handover", "credit_note", "deposit"):
        return _describe_document_event(event)
    if event.kind == "line":
        amount, _space, line_currency = event.note.partition(" ")
        try:
            price = format_money(Decimal(amount), line_currency or currency)
        except InvalidOperation:
            price = event.note
        return _("Line added: {line}, {price} each").format(line=event.to_value, price=price)
    method, _colon, note = event.note.partition(":")
    text = _("Approved {amount} {how}").format(
        amount=_minor(event.to_value, currency), how=approval_method_label(method)
    )
    if event.from_value is not None:
        text += " " + _("(before: {amount})").format(amount=_minor(event.from_value, currency))
    return f"{text} — {note.strip()}" if note.strip() else text


def _describe_document_event(event: EventView) -> str:
    number = event.to_value or ""
    if event.kind == "invoice":
        text = _("Collected; invoice {number}").format(number=number)
    elif event.kind == "handover":
        text = _("Collected; handover document {number}").format(number=number)
    elif event.kind == "credit_note":
        text = _("Credit note {number} corrects invoice {invoice}").format(
            number=number, invoice=event.from_value or ""
        )
    elif number == "kept":
        text = _("Deposit kept as the diagnosis fee")
    else:
        text = _("Deposit refunded")
    note = event.note.strip()
    if event.kind in ("invoice", "handover") and note:
        return _("{text}, taken by {name}").format(text=text, name=note)
    return f"{text} — {note}" if note else text
