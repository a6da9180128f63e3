"""Goods a customer brings back (take-backs): numbered, the item's way, the money decided.

The rules are in :mod:`repairshop.domain.customer_returns`. The item comes back into
stock only through :func:`repairshop.services.parts.stock.record_movement` (a
``taken_back`` ledger line with the take-back's number and reason), in the same
transaction as the take-back's own change, so a refused move changes nothing:

- ``restocked``: the item is on the shelf again;
- ``to_supplier``: it comes into stock and a supplier RMA holds it at once
  (:func:`repairshop.services.aftersales.rma.open_rma`), linked both ways;
- ``scrapped``: it comes in and is written off at once (an ``adjusted`` line).

A refund belongs to the money room: this room publishes
:class:`~repairshop.services.events.CustomerReturnRefunded` and the money room's handler
issues the credit note (or records the refund payment) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update

from repairshop.db.counters import next_value
from repairshop.db.tables import (
    Customer,
    CustomerReturn,
    CustomerReturnEvent,
    Invoice,
    Job,
    Part,
    PartSupplier,
    PartUnit,
    Rma,
    Supplier,
    User,
)
from repairshop.domain.contacts import format_phone, normalise_phone
from repairshop.domain.customer_returns import (
    RefundDecision,
    ReturnState,
    check_decision,
    check_item_move,
    decisions,
    is_open,
    item_moves,
    normalise_return_number,
    return_number,
)
from repairshop.domain.money import from_minor, to_minor
from repairshop.domain.payments import DocumentKind, normalise_document_number
from repairshop.domain.roles import Permission, require
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _, format_money
from repairshop.services.aftersales.rma import open_rma
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.events import CustomerReturnRefunded
from repairshop.services.parts.stock import (
    MovementKind,
    UnitStatus,
    clean_serial,
    get_part,
    named_unit,
    record_movement,
    unit_with_serial,
)
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

ITEM = "item"
MONEY = "money"


@dataclass(frozen=True)
class ReturnEventView:
    at: datetime
    user: str
    kind: str
    """``item`` or ``money``."""
    from_value: str | None
    to_value: str
    note: str

    @property
    def label(self) -> str:
        if self.kind == MONEY:
            return RefundDecision(self.to_value).label
        return ReturnState(self.to_value).label


@dataclass(frozen=True)
class ReturnView:
    number: str
    state: ReturnState
    decision: RefundDecision | None
    customer: str
    customer_phone: str | None
    sku: str
    part_name: str
    serial: str | None
    invoice: str | None
    rma: str | None
    reason: str
    refund: Decimal | None
    refund_document: str | None
    decision_note: str
    currency: str
    created_at: datetime
    history: tuple[ReturnEventView, ...]
    changes: Changes

    @property
    def moves(self) -> list[ReturnState]:
        return item_moves(self.state)

    @property
    def decisions(self) -> list[RefundDecision]:
        return decisions(self.decision)

    @property
    def is_open(self) -> bool:
        return is_open(self.state, self.decision)


def find_customer(uow: UnitOfWork, text: str) -> Customer:
    """A customer by id (digits) or phone number, as typed."""
    typed = text.strip()
    customer: Customer | None = None
    if typed.isdigit() and len(typed) <= 9:
        customer = uow.session.get(Customer, int(typed))
    if customer is None and typed:
        try:
            phone = normalise_phone(typed, get_settings(uow).region)
        except ValidationError:
            phone = None
        if phone:
            customer = uow.session.scalar(
                select(Customer).where(Customer.phone == phone).order_by(Customer.id).limit(1)
            )
    if customer is None:
        raise NotFound(_("There is no customer “{text}”.").format(text=typed))
    return customer


def _next_number(uow: UnitOfWork) -> str:
    """The year's next take-back number, taken inside this transaction (no gaps, no repeats)."""
    year = uow.now().year
    return return_number(year, next_value(uow.session, f"customer_return:{year}", create=True))


def _load(uow: UnitOfWork, number: str, *, for_update: bool = False) -> CustomerReturn:
    key = normalise_return_number(number)
    query = select(CustomerReturn).where(CustomerReturn.number == key)
    found = uow.session.scalar(query.with_for_update() if for_update else query)
    if found is None:
        raise NotFound(_("There is no return {number}.").format(number=number.strip()))
    return found


def _changes(item: CustomerReturn) -> Changes:
    return Changes(
        kinds=frozenset({ChangeKind.PART, ChangeKind.CUSTOMER}),
        part_ids=(item.part_id,),
        customer_ids=(item.customer_id,),
        extra={"customer_return": item.number},
    )


def _ledger_reason(item: CustomerReturn, text: str) -> str:
    return f"{item.number}: {text}".strip()


def open_return(
    uow: UnitOfWork,
    customer: str,
    sku: str,
    actor: str,
    *,
    reason: str,
    serial: str | None = None,
    invoice: str | None = None,
) -> ReturnView:
    """Take back a part or device the shop sold; it waits (``received``) until it is moved.

    A serialised item names its unit by serial; a unit still on the shelf was never sold
    and is refused. The invoice named must be an invoice issued to this customer.
    """
    user = get_user(uow, actor)
    if not customer.strip():
        raise ValidationError(
            _("Give the customer: their phone number or customer number."), field="customer"
        )
    if not sku.strip():
        raise ValidationError(_("Give the SKU of what is returned."), field="sku")
    person = find_customer(uow, customer)
    part = get_part(uow, sku)
    if not reason.strip():
        raise ValidationError(_("Say why the customer returns it."), field="reason")
    serial, unit = named_unit(
        uow, part, serial, _("{sku} is serialised: give the serial of the unit returned.")
    )
    if unit is not None and unit.status != UnitStatus.USED.value:
        raise ValidationError(
            _("The unit with serial {serial} is “{status}”: the shop has not sold it.").format(
                serial=serial, status=unit.status
            ),
            field="serial",
        )
    document: Invoice | None = None
    if invoice and invoice.strip():
        key = normalise_document_number(invoice)
        document = uow.session.scalar(select(Invoice).where(Invoice.number == key))
        if document is None:
            raise NotFound(_("There is no invoice {number}.").format(number=invoice.strip()))
        if document.kind != DocumentKind.INVOICE.value:
            raise ValidationError(
                _("{number} is not an invoice.").format(number=document.number), field="invoice"
            )
        buyer = uow.session.scalar(select(Job.customer_id).where(Job.id == document.job_id))
        if buyer != person.id:
            raise ValidationError(
                _("Invoice {number} was not issued to {customer}.").format(
                    number=document.number, customer=person.name
                ),
                field="invoice",
            )
    now = uow.now()
    item = CustomerReturn(
        number=_next_number(uow),
        state=ReturnState.RECEIVED.value,
        decision=None,
        customer_id=person.id,
        part_id=part.id,
        serial=serial,
        unit_id=unit.id if unit is not None else None,
        invoice_id=document.id if document is not None else None,
        reason=reason.strip(),
        decision_note="",
        created_by_id=user.id,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(item)
    uow.flush()
    _event(uow, item, user, ITEM, (None, ReturnState.RECEIVED.value), note=reason)
    return _view(uow, item)


def _event(
    uow: UnitOfWork,
    item: CustomerReturn,
    user: User,
    kind: str,
    move: tuple[str | None, str],
    *,
    note: str,
) -> None:
    source, target = move
    now = uow.now()
    uow.session.add(
        CustomerReturnEvent(
            return_id=item.id,
            at=now,
            user_id=user.id,
            kind=kind,
            from_value=source,
            to_value=target,
            note=note.strip(),
        )
    )
    item.updated_at = now
    uow.flush()


def _take_into_stock(uow: UnitOfWork, item: CustomerReturn, part: Part, user: User) -> None:
    """The ledger line that brings the item back into stock, with its unit on the shelf."""
    unit_id = item.unit_id
    if unit_id is not None:
        result = uow.session.execute(
            update(PartUnit)
            .where(PartUnit.id == unit_id, PartUnit.status == UnitStatus.USED.value)
            .values(status=UnitStatus.IN_STOCK.value, job_id=None)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ValidationError(
                _("The unit with serial {serial} is no longer with the customer.").format(
                    serial=item.serial
                )
            )
    elif part.serialised and item.serial:
        unit = PartUnit(
            part_id=part.id,
            serial=item.serial,
            status=UnitStatus.IN_STOCK.value,
            received_at=uow.now(),
        )
        uow.session.add(unit)
        uow.flush()
        item.unit_id = unit_id = unit.id
    record_movement(
        uow,
        part,
        MovementKind.TAKEN_BACK,
        user,
        on_hand_delta=1,
        reason=_ledger_reason(item, item.reason),
        unit_id=unit_id,
    )


def _default_supplier(uow: UnitOfWork, part: Part) -> str:
    name = uow.session.scalar(
        select(Supplier.name)
        .join(PartSupplier, PartSupplier.supplier_id == Supplier.id)
        .where(PartSupplier.part_id == part.id)
        .order_by(PartSupplier.id)
        .limit(1)
    )
    if name is None:
        raise ValidationError(
            _("{sku} has no supplier: name the supplier it goes back to.").format(sku=part.sku),
            field="supplier",
        )
    return name


def move_return(
    uow: UnitOfWork,
    number: str,
    target: ReturnState,
    actor: str,
    *,
    note: str = "",
    supplier: str | None = None,
) -> ReturnView:
    """Restock, send to the supplier (opening an RMA) or scrap the item; refused unchanged."""
    user = get_user(uow, actor)
    if target is ReturnState.SCRAPPED:
        require(user.role, Permission.WRITE_OFF_STOCK, user.display_name)
    item = _load(uow, number, for_update=True)
    state = ReturnState(item.state)
    check_item_move(item.number, state, target)
    part = uow.session.get(Part, item.part_id)
    assert part is not None
    changes = Changes()
    _take_into_stock(uow, item, part, user)
    if target is ReturnState.TO_SUPPLIER:
        name = supplier.strip() if supplier and supplier.strip() else _default_supplier(uow, part)
        rma = open_rma(
            uow,
            name,
            part.sku,
            actor,
            reason=_ledger_reason(item, item.reason),
            serial=item.serial if item.unit_id is not None else None,
        )
        changes = rma.changes
        item.rma_id = uow.session.scalar(select(Rma.id).where(Rma.number == rma.number))
        note = f"{rma.number} {note}".strip()
    elif target is ReturnState.SCRAPPED:
        if item.unit_id is not None:
            uow.session.execute(
                update(PartUnit)
                .where(PartUnit.id == item.unit_id)
                .values(status=UnitStatus.WRITTEN_OFF.value)
                .execution_options(synchronize_session=False)
            )
        record_movement(
            uow,
            part,
            MovementKind.ADJUSTED,
            user,
            on_hand_delta=-1,
            reason=_ledger_reason(item, _("scrapped")),
            unit_id=item.unit_id,
        )
    item.state = target.value
    _event(uow, item, user, ITEM, (state.value, target.value), note=note)
    view = _view(uow, item)
    return _with_changes(view, changes)


def _with_changes(view: ReturnView, changes: Changes) -> ReturnView:
    return replace(view, changes=view.changes | changes)


def restock_return(uow: UnitOfWork, number: str, actor: str, *, note: str = "") -> ReturnView:
    return move_return(uow, number, ReturnState.RESTOCKED, actor, note=note)


def return_to_supplier(
    uow: UnitOfWork, number: str, actor: str, *, supplier: str | None = None, note: str = ""
) -> ReturnView:
    return move_return(uow, number, ReturnState.TO_SUPPLIER, actor, note=note, supplier=supplier)


def scrap_return(uow: UnitOfWork, number: str, actor: str, *, note: str = "") -> ReturnView:
    return move_return(uow, number, ReturnState.SCRAPPED, actor, note=note)


def refund_return(
    uow: UnitOfWork,
    number: str,
    actor: str,
    *,
    amount: Decimal | None = None,
    method: str | None = None,
    desk: str = "",
) -> ReturnView:
    """Pay the customer back: a credit note on the invoice named, else a refund payment.

    Without ``amount``, the part's catalogue price is paid back.
    """
    user = get_user(uow, actor)
    item = _load(uow, number, for_update=True)
    decided = RefundDecision(item.decision) if item.decision else None
    check_decision(item.number, decided, RefundDecision.REFUNDED)
    part = uow.session.get(Part, item.part_id)
    assert part is not None
    currency = get_settings(uow).currency
    minor = part.price_minor if amount is None else to_minor(amount, currency)
    if minor <= 0:
        raise ValidationError(_("The amount paid back must be more than zero."), field="amount")
    description = " ".join(
        bit for bit in (item.number, part.sku, part.name, item.serial or "") if bit
    )
    changes = uow.publish(
        CustomerReturnRefunded(
            return_id=item.id,
            number=item.number,
            actor=actor,
            invoice_id=item.invoice_id,
            amount_minor=minor,
            description=description,
            item_name=part.name,
            method=method,
            desk=desk,
        )
    )
    item.decision = RefundDecision.REFUNDED.value
    item.refund_minor = minor
    item.refund_document = changes.extra.get("refund_document")
    note = " ".join(
        bit for bit in (str(from_minor(minor, currency)), item.refund_document or "") if bit
    )
    _event(uow, item, user, MONEY, (None, RefundDecision.REFUNDED.value), note=note)
    return _with_changes(_view(uow, item), changes)


def exchange_return(
    uow: UnitOfWork, number: str, actor: str, *, serial: str | None = None, note: str = ""
) -> ReturnView:
    """The customer takes another unit of the same part instead: it leaves the shelf."""
    user = get_user(uow, actor)
    item = _load(uow, number, for_update=True)
    decided = RefundDecision(item.decision) if item.decision else None
    check_decision(item.number, decided, RefundDecision.EXCHANGED)
    part = uow.session.get(Part, item.part_id)
    assert part is not None
    serial = clean_serial(serial)
    unit: PartUnit | None = None
    if part.serialised:
        unit = unit_with_serial(uow, part, serial)
        if unit is None or unit.status != UnitStatus.IN_STOCK.value:
            raise ValidationError(
                _("{sku} is serialised: give the serial of a unit on the shelf.").format(
                    sku=part.sku
                ),
                field="serial",
            )
        unit.status = UnitStatus.USED.value
    record_movement(
        uow,
        part,
        MovementKind.ADJUSTED,
        user,
        on_hand_delta=-1,
        reason=_ledger_reason(item, _("exchanged")),
        unit_id=unit.id if unit is not None else None,
    )
    item.decision = RefundDecision.EXCHANGED.value
    item.decision_note = " ".join(bit for bit in (serial or "", note.strip()) if bit)
    _event(uow, item, user, MONEY, (None, RefundDecision.EXCHANGED.value), note=item.decision_note)
    return _view(uow, item)


def refuse_return(uow: UnitOfWork, number: str, actor: str, *, reason: str) -> ReturnView:
    """No money back and nothing instead, for the reason given."""
    user = get_user(uow, actor)
    item = _load(uow, number, for_update=True)
    decided = RefundDecision(item.decision) if item.decision else None
    check_decision(item.number, decided, RefundDecision.REFUSED)
    if not reason.strip():
        raise ValidationError(_("Say why the refund is refused."), field="reason")
    item.decision = RefundDecision.REFUSED.value
    item.decision_note = reason.strip()
    _event(uow, item, user, MONEY, (None, RefundDecision.REFUSED.value), note=reason)
    return _view(uow, item)


def decide_return(
    uow: UnitOfWork, number: str, decision: RefundDecision, actor: str, *, text: str = ""
) -> ReturnView:
    """One entry for the app's buttons: ``text`` is the refusal's reason or the new serial."""
    if decision is RefundDecision.REFUNDED:
        return refund_return(uow, number, actor)
    if decision is RefundDecision.EXCHANGED:
        return exchange_return(uow, number, actor, serial=text or None)
    return refuse_return(uow, number, actor, reason=text)


def _view(uow: UnitOfWork, item: CustomerReturn) -> ReturnView:
    return _views(uow, [item])[0]


def _views(uow: UnitOfWork, items: Sequence[CustomerReturn]) -> list[ReturnView]:
    if not items:
        return []
    ids = [item.id for item in items]
    currency = get_settings(uow).currency
    people = {
        row[0]: (row[1], row[2])
        for row in uow.session.execute(
            select(Customer.id, Customer.name, Customer.phone).where(
                Customer.id.in_({item.customer_id for item in items})
            )
        )
    }
    parts = {
        row[0]: (row[1], row[2])
        for row in uow.session.execute(
            select(Part.id, Part.sku, Part.name).where(Part.id.in_({i.part_id for i in items}))
        )
    }
    invoices = dict(
        uow.session.execute(
            select(Invoice.id, Invoice.number).where(
                Invoice.id.in_({i.invoice_id for i in items if i.invoice_id})
            )
        ).all()
    )
    rmas = dict(
        uow.session.execute(
            select(Rma.id, Rma.number).where(Rma.id.in_({i.rma_id for i in items if i.rma_id}))
        ).all()
    )
    history: dict[int, list[ReturnEventView]] = {item_id: [] for item_id in ids}
    for event, login in uow.session.execute(
        select(CustomerReturnEvent, User.login)
        .join(User, User.id == CustomerReturnEvent.user_id)
        .where(CustomerReturnEvent.return_id.in_(ids))
        .order_by(CustomerReturnEvent.id)
    ):
        history[event.return_id].append(
            ReturnEventView(
                at=event.at,
                user=login,
                kind=event.kind,
                from_value=event.from_value,
                to_value=event.to_value,
                note=event.note,
            )
        )
    return [
        ReturnView(
            number=item.number,
            state=ReturnState(item.state),
            decision=RefundDecision(item.decision) if item.decision else None,
            customer=people[item.customer_id][0],
            customer_phone=people[item.customer_id][1],
            sku=parts[item.part_id][0],
            part_name=parts[item.part_id][1],
            serial=item.serial,
            invoice=invoices.get(item.invoice_id) if item.invoice_id else None,
            rma=rmas.get(item.rma_id) if item.rma_id else None,
            reason=item.reason,
            refund=(
                from_minor(item.refund_minor, currency) if item.refund_minor is not None else None
            ),
            refund_document=item.refund_document,
            decision_note=item.decision_note,
            currency=currency,
            created_at=item.created_at,
            history=tuple(history[item.id]),
            changes=_changes(item),
        )
        for item in items
    ]


def show_return(uow: UnitOfWork, number: str) -> ReturnView:
    return _view(uow, _load(uow, number))


def list_returns(uow: UnitOfWork, *, open_only: bool = False) -> list[ReturnView]:
    """Take-backs newest first; open ones still wait for the item's way or the money."""
    query = select(CustomerReturn).order_by(CustomerReturn.id.desc())
    if open_only:
        query = query.where(
            (CustomerReturn.state == ReturnState.RECEIVED.value) | CustomerReturn.decision.is_(None)
        )
    return _views(uow, list(uow.session.scalars(query)))


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def return_to_json(view: ReturnView) -> dict[str, object]:
    return {
        "number": view.number,
        "state": view.state.value,
        "decision": view.decision.value if view.decision else None,
        "open": view.is_open,
        "customer": {"name": view.customer, "phone": view.customer_phone},
        "sku": view.sku,
        "part": view.part_name,
        "serial": view.serial,
        "invoice": view.invoice,
        "rma": view.rma,
        "reason": view.reason,
        "refund": str(view.refund) if view.refund is not None else None,
        "refund_document": view.refund_document,
        "decision_note": view.decision_note,
        "currency": view.currency,
        "created": _iso(view.created_at),
        "moves": [state.value for state in view.moves],
        "decisions": [decision.value for decision in view.decisions],
        "history": [
            {
                "at": _iso(event.at),
                "user": event.user,
                "kind": event.kind,
                "from": event.from_value,
                "to": event.to_value,
                "note": event.note,
            }
            for event in view.history
        ],
    }


def return_details(view: ReturnView) -> list[str]:
    """The take-back line by line: who brought what back, on which invoice, why, and what was
    paid back or noted (each front end words its own headline over these)."""
    lines = [
        _("Customer: {name}  {phone}").format(
            name=view.customer, phone=format_phone(view.customer_phone)
        ),
        _("Part: {sku} {name}  serial {serial}").format(
            sku=view.sku, name=view.part_name, serial=view.serial or "-"
        ),
        _("Invoice: {invoice}  RMA: {rma}").format(
            invoice=view.invoice or "-", rma=view.rma or "-"
        ),
        _("Reason: {reason}").format(reason=view.reason),
    ]
    if view.refund is not None:
        lines.append(
            _("Paid back: {amount} {document}")
            .format(
                amount=format_money(view.refund, view.currency),
                document=view.refund_document or "",
            )
            .rstrip()
        )
    if view.decision_note:
        lines.append(_("Note: {note}").format(note=view.decision_note))
    return lines
