"""Paying at the counter: methods, splitting a bill across them, cash rounding and change.

Amounts are integer minor units. Card and transfer pay exactly what they say; whatever
is left of the bill is paid in cash, rounded to the country's cash step (whole Czech
crowns, 5 forints: :attr:`~repairshop.domain.vat.RoundingRules.cash_step`), as the law
allows for cash only. Cash handed over above that is given back as change. A bill the
payments do not cover is refused, and so is a card or transfer above what is due (it
would have to be paid back in cash at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from repairshop.domain.money import from_minor
from repairshop.domain.vat import RoundingRules, round_cash
from repairshop.errors import ValidationError
from repairshop.i18n import N_, _, format_money


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    TRANSFER = "transfer"

    @property
    def label(self) -> str:
        return _(PAYMENT_METHOD_LABELS[self])


PAYMENT_METHOD_LABELS: dict[PaymentMethod, str] = {
    PaymentMethod.CASH: N_("Cash"),
    PaymentMethod.CARD: N_("Card"),
    PaymentMethod.TRANSFER: N_("Bank transfer"),
}


class PaymentKind(StrEnum):
    DEPOSIT = "deposit"
    """Taken before the job is done (at intake); deducted from the bill."""
    PAYMENT = "payment"
    """Taken at collection against the invoice."""
    REFUND = "refund"
    """Paid back to the customer (a deposit on a cancelled job, a credit note): negative."""

    @property
    def label(self) -> str:
        return _(PAYMENT_KIND_LABELS[self])


PAYMENT_KIND_LABELS: dict[PaymentKind, str] = {
    PaymentKind.DEPOSIT: N_("Deposit"),
    PaymentKind.PAYMENT: N_("Payment"),
    PaymentKind.REFUND: N_("Refund"),
}


def parse_payment_method(value: str) -> PaymentMethod:
    key = value.strip().lower()
    try:
        return PaymentMethod(key)
    except ValueError:
        keys = ", ".join(method.value for method in PaymentMethod)
        raise ValidationError(
            _("Unknown payment method “{value}”. Use one of: {keys}.").format(
                value=value, keys=keys
            ),
            field="pay",
        ) from None


@dataclass(frozen=True)
class Tender:
    """What the customer hands over in one method (cash: before change)."""

    method: PaymentMethod
    amount_minor: int


@dataclass(frozen=True)
class Settlement:
    """How a bill is paid: what each method takes, the cash rounding and the change."""

    due_minor: int
    """What the bill asks for after the deposit (negative: the shop owes the customer)."""
    paid: tuple[Tender, ...]
    """What each method takes, cash net of change and rounded; cash last."""
    rounding_minor: int
    """Cash rounding: what the customer pays in cash above (or below) the exact amount."""
    tendered_cash_minor: int
    change_minor: int

    @property
    def total_minor(self) -> int:
        return sum(tender.amount_minor for tender in self.paid)


def _money(minor: int, currency: str) -> str:
    return format_money(from_minor(minor, currency), currency)


def settle(
    due_minor: int, tenders: Sequence[Tender], rules: RoundingRules, currency: str
) -> Settlement:
    """Split ``due_minor`` across ``tenders`` or refuse with :class:`ValidationError`.

    Card and transfer first, exactly; the rest in cash, rounded to the cash step, change
    given back. A negative ``due_minor`` (the deposit was more than the bill) is paid back
    in cash, rounded the same way.
    """
    for tender in tenders:
        if tender.amount_minor < 0:
            raise ValidationError(
                _("A payment cannot be negative: {amount}.").format(
                    amount=_money(tender.amount_minor, currency)
                ),
                field="pay",
            )
    exact: dict[PaymentMethod, int] = {}
    cash = 0
    for tender in tenders:
        if tender.method is PaymentMethod.CASH:
            cash += tender.amount_minor
        elif tender.amount_minor:
            exact[tender.method] = exact.get(tender.method, 0) + tender.amount_minor
    by_card = sum(exact.values())
    if due_minor < 0:
        if tenders and (by_card or cash):
            raise ValidationError(
                _("Nothing is due: the deposit covers the bill; {amount} goes back.").format(
                    amount=_money(-due_minor, currency)
                ),
                field="pay",
            )
        back = round_cash(due_minor, rules)
        return Settlement(
            due_minor,
            (Tender(PaymentMethod.CASH, back),) if back else (),
            back - due_minor,
            0,
            0,
        )
    if by_card > due_minor:
        raise ValidationError(
            _("{paid} by card or transfer is more than the {due} due.").format(
                paid=_money(by_card, currency), due=_money(due_minor, currency)
            ),
            field="pay",
        )
    rest = due_minor - by_card
    in_cash = round_cash(rest, rules) if rest else 0
    if cash < in_cash:
        paid = by_card + cash
        raise ValidationError(
            _("{paid} paid does not cover the {due} due.").format(
                paid=_money(paid, currency), due=_money(in_cash + by_card, currency)
            ),
            field="pay",
        )
    paid_tenders = [Tender(method, amount) for method, amount in exact.items()]
    if in_cash:
        paid_tenders.append(Tender(PaymentMethod.CASH, in_cash))
    return Settlement(
        due_minor,
        tuple(paid_tenders),
        in_cash - rest,
        cash,
        cash - in_cash,
    )


class DocumentKind(StrEnum):
    """What a collection or a correction issues; each kind is numbered on its own."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    HANDOVER = "handover"
    """A job at no charge: a handover document that says why it is free."""

    @property
    def prefix(self) -> str:
        return _DOCUMENT_PREFIXES[self]

    @property
    def label(self) -> str:
        return _(DOCUMENT_LABELS[self])


_DOCUMENT_PREFIXES = {
    DocumentKind.INVOICE: "",
    DocumentKind.CREDIT_NOTE: "CN",
    DocumentKind.HANDOVER: "HO",
}
DOCUMENT_LABELS: dict[DocumentKind, str] = {
    DocumentKind.INVOICE: N_("Invoice"),
    DocumentKind.CREDIT_NOTE: N_("Credit note"),
    DocumentKind.HANDOVER: N_("Handover document"),
}
NUMBER_DIGITS = 5


def document_number(kind: DocumentKind, year: int, sequence: int) -> str:
    """``2026-00042``; credit notes ``CN2026-00003``, handover documents ``HO2026-00007``."""
    return f"{kind.prefix}{year}-{sequence:0{NUMBER_DIGITS}d}"


def normalise_document_number(text: str) -> str:
    """A number as typed (``2026-42``, ``cn2026-3``) in its stored form; unknown stays as is."""
    key = text.strip().upper().replace(" ", "")
    prefix = ""
    for kind in (DocumentKind.CREDIT_NOTE, DocumentKind.HANDOVER):
        if key.startswith(kind.prefix):
            prefix, key = kind.prefix, key.removeprefix(kind.prefix)
    year, _dash, sequence = key.partition("-")
    if year.isdigit() and len(year) == 4 and sequence.isdigit():
        return f"{prefix}{year}-{int(sequence):0{NUMBER_DIGITS}d}"
    return prefix + key


class FreeReason(StrEnum):
    """Why a job is handed over at no charge (printed on the handover document)."""

    WARRANTY = "warranty_claim"
    COMPLAINT = "complaint"
    UNREPAIRED = "returned_unrepaired"
    NO_CHARGE = "no_charge"

    @property
    def label(self) -> str:
        return _(FREE_REASON_LABELS[self])


FREE_REASON_LABELS: dict[FreeReason, str] = {
    FreeReason.WARRANTY: N_("Repaired under warranty: the customer pays nothing."),
    FreeReason.COMPLAINT: N_("A complaint settled free of charge: the customer pays nothing."),
    FreeReason.UNREPAIRED: N_("Returned unrepaired: nothing is charged."),
    FreeReason.NO_CHARGE: N_("Nothing is charged for this job."),
}
