"""Suppliers and purchase orders: proposed from low stock, sent, received in full or in part."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import func, select

from repairshop.db.counters import next_value
from repairshop.db.tables import Part, PartSupplier, PurchaseOrder, PurchaseOrderLine
from repairshop.db.tables import Supplier as SupplierRow
from repairshop.domain.money import from_minor, to_minor
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import N_, NC_, _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.parts.job_parts import receive_part
from repairshop.services.parts.stock import find_supplier, get_part, parse_quantity
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

ORDER_PREFIX = "P"


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _(ORDER_STATUS_LABELS[self])

    @property
    def can_send(self) -> bool:
        """Only a draft goes to the supplier."""
        return self is OrderStatus.DRAFT

    @property
    def can_receive(self) -> bool:
        """Deliveries are booked against a sent order until all of it arrived."""
        return self in (OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED)

    @property
    def can_cancel(self) -> bool:
        """An order is cancelled before anything of it arrived."""
        return self in (OrderStatus.DRAFT, OrderStatus.SENT)


ORDER_STATUS_LABELS: dict[OrderStatus, str] = {
    OrderStatus.DRAFT: N_("Draft"),
    OrderStatus.SENT: NC_("purchase order", "Sent"),
    OrderStatus.PARTLY_RECEIVED: N_("Partly received"),
    OrderStatus.RECEIVED: NC_("purchase order", "Received"),
    OrderStatus.CANCELLED: N_("Cancelled"),
}

_OPEN = (OrderStatus.DRAFT, OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED)


@dataclass(frozen=True)
class OrderLineView:
    sku: str
    name: str
    quantity: int
    received: int
    unit_cost: Decimal
    serialised: bool = False
    """Each unit arrives with its own serial number, scanned at receiving."""

    @property
    def outstanding(self) -> int:
        return self.quantity - self.received


@dataclass(frozen=True)
class OrderView:
    id: int
    number: str
    supplier: str
    status: OrderStatus
    currency: str
    created_at: datetime
    sent_at: datetime | None
    lines: tuple[OrderLineView, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.unit_cost * line.quantity for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class Proposal:
    orders: tuple[OrderView, ...]
    without_supplier: tuple[str, ...] = ()
    """SKUs below their reorder level that no supplier sells: order them by hand."""
    changes: Changes = field(default_factory=Changes)


def _order_changes(*part_ids: int, job_ids: Sequence[int] = ()) -> Changes:
    kinds = {ChangeKind.PART} | ({ChangeKind.JOB} if job_ids else set())
    return Changes(kinds=frozenset(kinds), part_ids=tuple(part_ids), job_ids=tuple(job_ids))


def add_supplier(
    uow: UnitOfWork, name: str, actor: str, *, email: str = "", phone: str = ""
) -> Changes:
    get_user(uow, actor)
    if not name.strip():
        raise ValidationError(_("A supplier needs a name."), field="name")
    known = uow.session.scalar(
        select(SupplierRow.id).where(func.lower(SupplierRow.name) == name.strip().lower())
    )
    if known is not None:
        raise ValidationError(
            _("The supplier “{name}” is already known.").format(name=name.strip()), field="name"
        )
    uow.session.add(
        SupplierRow(
            name=name.strip(), email=email.strip(), phone=phone.strip(), created_at=uow.now()
        )
    )
    uow.flush()
    return _order_changes()


def list_suppliers(uow: UnitOfWork) -> list[str]:
    return list(uow.session.scalars(select(SupplierRow.name).order_by(SupplierRow.name)))


def _next_number(uow: UnitOfWork) -> str:
    return f"{ORDER_PREFIX}{next_value(uow.session, 'purchase_order'):06d}"


def create_order(
    uow: UnitOfWork,
    supplier_name: str,
    lines: Sequence[tuple[str, int, Decimal | None]],
    actor: str,
    *,
    note: str = "",
) -> OrderView:
    """A draft order of ``(sku, quantity, unit cost or None for the supplier's cost)``."""
    user = get_user(uow, actor)
    supplier = find_supplier(uow, supplier_name)
    if not lines:
        raise ValidationError(_("An order needs at least one part."))
    currency = get_settings(uow).currency
    order = PurchaseOrder(
        number=_next_number(uow),
        supplier_id=supplier.id,
        status=OrderStatus.DRAFT.value,
        currency=currency,
        note=note.strip(),
        created_by_id=user.id,
        created_at=uow.now(),
    )
    uow.session.add(order)
    uow.flush()
    seen: set[int] = set()
    for sku, quantity, cost in lines:
        part = get_part(uow, sku)
        if part.id in seen:
            raise ValidationError(
                _("{sku} is on the order twice.").format(sku=part.sku), field="lines"
            )
        seen.add(part.id)
        uow.session.add(
            PurchaseOrderLine(
                order_id=order.id,
                part_id=part.id,
                quantity=parse_quantity(quantity),
                received=0,
                unit_cost_minor=(
                    to_minor(cost, currency)
                    if cost is not None
                    else _supplier_cost(uow, part, supplier.id)
                ),
            )
        )
    uow.flush()
    return order_view(uow, order)


def _supplier_cost(uow: UnitOfWork, part: Part, supplier_id: int) -> int:
    cost = uow.session.scalar(
        select(PartSupplier.cost_minor).where(
            PartSupplier.part_id == part.id, PartSupplier.supplier_id == supplier_id
        )
    )
    return cost if cost is not None else part.cost_minor


def _on_order(uow: UnitOfWork) -> dict[int, int]:
    rows = uow.session.execute(
        select(
            PurchaseOrderLine.part_id,
            func.sum(PurchaseOrderLine.quantity - PurchaseOrderLine.received),
        )
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .where(PurchaseOrder.status.in_([s.value for s in _OPEN]))
        .group_by(PurchaseOrderLine.part_id)
    ).all()
    return {part_id: int(quantity) for part_id, quantity in rows}


def propose_orders(uow: UnitOfWork, actor: str) -> Proposal:
    """Draft one order per supplier for every part at or below its reorder level.

    What is already on an open order counts as coming; each part goes to its
    cheapest supplier; the quantity is the part's reorder quantity, or enough to
    get back above the level if that is more.
    """
    get_user(uow, actor)
    on_order = _on_order(uow)
    parts = uow.session.scalars(
        select(Part).where(Part.active.is_(True), Part.reorder_level > 0).order_by(Part.sku)
    ).all()
    by_supplier: dict[int, list[tuple[str, int, Decimal | None]]] = {}
    without: list[str] = []
    for part in parts:
        coming = part.on_hand - part.reserved + on_order.get(part.id, 0)
        if coming > part.reorder_level:
            continue
        quantity = max(part.reorder_quantity, part.reorder_level + 1 - coming)
        link = uow.session.scalars(
            select(PartSupplier)
            .where(PartSupplier.part_id == part.id)
            .order_by(PartSupplier.cost_minor.is_(None), PartSupplier.cost_minor, PartSupplier.id)
        ).first()
        if link is None:
            without.append(part.sku)
            continue
        by_supplier.setdefault(link.supplier_id, []).append((part.sku, quantity, None))
    orders = []
    for supplier_id, lines in by_supplier.items():
        supplier = uow.session.get(SupplierRow, supplier_id)
        assert supplier is not None
        orders.append(
            create_order(
                uow,
                supplier.name,
                lines,
                actor,
                note=_("Proposed from parts below their reorder level"),
            )
        )
    return Proposal(tuple(orders), tuple(without), _order_changes())


def _load_order(uow: UnitOfWork, number: str, *, for_update: bool = False) -> PurchaseOrder:
    query = select(PurchaseOrder).where(PurchaseOrder.number == number.strip().upper())
    order = uow.session.scalar(query.with_for_update() if for_update else query)
    if order is None:
        raise NotFound(_("There is no purchase order {number}.").format(number=number.strip()))
    return order


def send_order(uow: UnitOfWork, number: str, actor: str) -> OrderView:
    get_user(uow, actor)
    order = _load_order(uow, number, for_update=True)
    if not OrderStatus(order.status).can_send:
        raise ValidationError(
            _("Order {number} is “{status}”; only a draft can be sent.").format(
                number=order.number, status=OrderStatus(order.status).label
            )
        )
    order.status = OrderStatus.SENT.value
    order.sent_at = uow.now()
    uow.flush()
    return order_view(uow, order)


def cancel_order(uow: UnitOfWork, number: str, actor: str) -> OrderView:
    get_user(uow, actor)
    order = _load_order(uow, number, for_update=True)
    if not OrderStatus(order.status).can_cancel:
        raise ValidationError(
            _("Order {number} is “{status}” and cannot be cancelled.").format(
                number=order.number, status=OrderStatus(order.status).label
            )
        )
    order.status = OrderStatus.CANCELLED.value
    order.closed_at = uow.now()
    uow.flush()
    return order_view(uow, order)


@dataclass(frozen=True)
class Receipt:
    order: OrderView
    changes: Changes


def receive_order(
    uow: UnitOfWork,
    number: str,
    actor: str,
    *,
    quantities: Mapping[str, int] | None = None,
    costs: Mapping[str, Decimal] | None = None,
    serials: Mapping[str, Sequence[str]] | None = None,
) -> Receipt:
    """Book a delivery against a sent order: everything outstanding, or ``quantities`` by SKU.

    Stock goes up through the ledger (with the order number and the unit cost)
    and jobs waiting for the parts get them reserved ("parts arrived").
    """
    get_user(uow, actor)
    order = _load_order(uow, number, for_update=True)
    if not OrderStatus(order.status).can_receive:
        raise ValidationError(
            _("Order {number} is “{status}”; only a sent order can be received.").format(
                number=order.number, status=OrderStatus(order.status).label
            )
        )
    lines = {
        part.sku: (line, part)
        for line, part in uow.session.execute(
            select(PurchaseOrderLine, Part)
            .join(Part, Part.id == PurchaseOrderLine.part_id)
            .where(PurchaseOrderLine.order_id == order.id)
        ).all()
    }
    wanted: dict[str, int] = {}
    if quantities is None:
        wanted = {sku: line.quantity - line.received for sku, (line, _part) in lines.items()}
    else:
        for sku, quantity in quantities.items():
            key = sku.strip().upper()
            if key not in lines:
                raise ValidationError(
                    _("{sku} is not on order {number}.").format(sku=sku, number=order.number),
                    field="sku",
                )
            wanted[key] = parse_quantity(quantity)
    job_ids: list[int] = []
    part_ids: list[int] = []
    for sku, quantity in wanted.items():
        if quantity == 0:
            continue
        line, part = lines[sku]
        outstanding = line.quantity - line.received
        if quantity > outstanding:
            raise ValidationError(
                _(
                    "{sku}: {quantity} received but only {outstanding} outstanding on {number}."
                ).format(sku=sku, quantity=quantity, outstanding=outstanding, number=order.number),
                field="quantity",
            )
        cost = (costs or {}).get(sku)
        if cost is not None:
            line.unit_cost_minor = to_minor(cost, order.currency)
        changed = receive_part(
            uow,
            sku,
            quantity,
            actor,
            cost=from_minor(line.unit_cost_minor, order.currency),
            serials=(serials or {}).get(sku, ()),
            reason=_("Purchase order {number}").format(number=order.number),
            order_id=order.id,
        )
        line.received += quantity
        part_ids.append(part.id)
        job_ids += changed.changes.job_ids
    complete = all(line.received >= line.quantity for line, _part in lines.values())
    order.status = (OrderStatus.RECEIVED if complete else OrderStatus.PARTLY_RECEIVED).value
    if complete:
        order.closed_at = uow.now()
    uow.flush()
    return Receipt(order_view(uow, order), _order_changes(*part_ids, job_ids=job_ids))


def order_view(uow: UnitOfWork, order: PurchaseOrder) -> OrderView:
    supplier = uow.session.get(SupplierRow, order.supplier_id)
    assert supplier is not None
    rows = uow.session.execute(
        select(PurchaseOrderLine, Part)
        .join(Part, Part.id == PurchaseOrderLine.part_id)
        .where(PurchaseOrderLine.order_id == order.id)
        .order_by(PurchaseOrderLine.id)
    ).all()
    return OrderView(
        id=order.id,
        number=order.number,
        supplier=supplier.name,
        status=OrderStatus(order.status),
        currency=order.currency,
        created_at=order.created_at,
        sent_at=order.sent_at,
        lines=tuple(
            OrderLineView(
                part.sku,
                part.name,
                line.quantity,
                line.received,
                from_minor(line.unit_cost_minor, order.currency),
                part.serialised,
            )
            for line, part in rows
        ),
    )


def show_order(uow: UnitOfWork, number: str) -> OrderView:
    return order_view(uow, _load_order(uow, number))


def list_orders(uow: UnitOfWork, *, open_only: bool = False) -> list[OrderView]:
    query = select(PurchaseOrder).order_by(PurchaseOrder.id.desc())
    if open_only:
        query = query.where(PurchaseOrder.status.in_([s.value for s in _OPEN]))
    return [order_view(uow, order) for order in uow.session.scalars(query)]


def order_to_json(view: OrderView) -> dict[str, object]:
    return {
        "number": view.number,
        "supplier": view.supplier,
        "status": view.status.value,
        "currency": view.currency,
        "created_at": view.created_at.isoformat().replace("+00:00", "Z"),
        "sent_at": view.sent_at.isoformat().replace("+00:00", "Z") if view.sent_at else None,
        "total": str(view.total),
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "received": line.received,
                "unit_cost": str(line.unit_cost),
            }
            for line in view.lines
        ],
    }
