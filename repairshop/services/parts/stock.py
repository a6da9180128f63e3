"""The parts catalogue and its stock ledger (ARCHITECTURE.md: stock is a ledger, never negative).

Every change to a part's ``on_hand`` or ``reserved`` goes through
:func:`record_movement`: one guarded ``UPDATE`` that only matches while the
result stays consistent (nothing negative, nothing reserved that is not on the
shelf), plus one :class:`~repairshop.db.tables.StockMovement` row saying who,
when, why and for which job or purchase order. SQLite serialises writers with
``BEGIN IMMEDIATE``; on PostgreSQL the second of two racing updates waits for
the first's row lock, re-checks the guard and matches nothing, so two
workstations can never take the last unit twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, or_, select, update

from repairshop.db.tables import (
    Job,
    Part,
    PartSupplier,
    PartUnit,
    PurchaseOrder,
    StockMovement,
    Supplier,
    User,
)
from repairshop.domain.money import from_minor, to_minor
from repairshop.domain.roles import Permission, Role, may, role_names
from repairshop.errors import NotFound, OutOfStock, PermissionDenied, ValidationError
from repairshop.i18n import N_, NC_, _, format_money
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.users import get_user, require_permission
from repairshop.services.uow import UnitOfWork

_SKU = re.compile(r"^[A-Z0-9][A-Z0-9._/+-]{0,63}$")
MAX_QUANTITY = 1_000_000


class MovementKind(StrEnum):
    RECEIVED = "received"
    RESERVED = "reserved"
    RELEASED = "released"
    USED = "used"
    RETURNED = "returned"
    """Returned to the supplier."""
    ADJUSTED = "adjusted"
    COUNTED = "counted"
    """A difference found at a stock take, applied after review."""
    TAKEN_BACK = "taken_back"
    """Goods the shop sold, brought back by a customer."""

    @property
    def label(self) -> str:
        return _(MOVEMENT_LABELS[self])


MOVEMENT_LABELS: dict[MovementKind, str] = {
    MovementKind.RECEIVED: NC_("stock movement", "Received"),
    MovementKind.RESERVED: N_("Reserved for a job"),
    MovementKind.RELEASED: N_("Released"),
    MovementKind.USED: N_("Used on a job"),
    MovementKind.RETURNED: N_("Returned to supplier"),
    MovementKind.ADJUSTED: N_("Adjusted"),
    MovementKind.TAKEN_BACK: N_("Taken back from a customer"),
    MovementKind.COUNTED: N_("Counted at stock take"),
}


class UnitStatus(StrEnum):
    IN_STOCK = "in_stock"
    RESERVED = "reserved"
    USED = "used"
    RETURNED = "returned"
    WRITTEN_OFF = "written_off"


def normalise_sku(text: str) -> str:
    """A SKU as stored: trimmed, upper-case; refused unless letters, digits and ``._/+-``."""
    sku = text.strip().upper()
    if not _SKU.match(sku):
        raise ValidationError(
            _(
                "“{sku}” is not a SKU: use letters, digits and . _ / + - "
                "(at most 64 characters, starting with a letter or digit)."
            ).format(sku=text.strip()),
            field="sku",
        )
    return sku


def parse_quantity(value: object, *, field: str = "quantity", signed: bool = False) -> int:
    """A whole number of units: positive, or for corrections any non-zero whole number."""
    text = str(value).strip()
    try:
        quantity = int(text)
    except ValueError:
        raise ValidationError(
            _("“{value}” is not a whole number of units.").format(value=text), field=field
        ) from None
    if signed and quantity == 0:
        raise ValidationError(_("A correction of zero units changes nothing."), field=field)
    if not signed and quantity <= 0:
        raise ValidationError(
            _("A quantity must be at least 1, not {value}.").format(value=quantity), field=field
        )
    if abs(quantity) > MAX_QUANTITY:
        raise ValidationError(
            _("{value} units is more than RepairShop accepts in one go.").format(value=quantity),
            field=field,
        )
    return quantity


def parse_level(value: object, field: str) -> int:
    """A reorder level or quantity: a whole number, zero or more."""
    text = str(value).strip()
    if not text:
        return 0
    try:
        level = int(text)
    except ValueError:
        raise ValidationError(
            _("“{value}” is not a whole number.").format(value=text), field=field
        ) from None
    if level < 0 or level > MAX_QUANTITY:
        raise ValidationError(
            _("“{field}” cannot be {value}.").format(field=field, value=level), field=field
        )
    return level


@dataclass(frozen=True)
class PartInput:
    """A catalogue entry as typed or imported; ``None`` prices mean "leave as it is" on update."""

    sku: str
    name: str
    category: str = ""
    compatible: str = ""
    location: str = ""
    price: Decimal | None = None
    cost: Decimal | None = None
    reorder_level: int = 0
    reorder_quantity: int = 0
    serialised: bool = False
    supplier: str = ""
    supplier_sku: str = ""


@dataclass(frozen=True)
class PartSupplierView:
    supplier: str
    supplier_sku: str
    cost: Decimal | None


@dataclass(frozen=True)
class PartView:
    id: int
    sku: str
    name: str
    category: str
    compatible: str
    location: str
    price: Decimal
    cost: Decimal
    currency: str
    reorder_level: int
    reorder_quantity: int
    serialised: bool
    on_hand: int
    reserved: int
    suppliers: tuple[PartSupplierView, ...] = ()
    serials_in_stock: tuple[str, ...] = ()

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def is_low(self) -> bool:
        return self.reorder_level > 0 and self.available <= self.reorder_level


@dataclass(frozen=True)
class MovementView:
    id: int
    at: datetime
    kind: MovementKind
    on_hand_delta: int
    reserved_delta: int
    user: str
    reason: str
    job_code: str | None
    order_number: str | None
    serial: str | None
    unit_cost: Decimal | None


@dataclass(frozen=True)
class CostChange:
    """What a delivery with a unit cost did to the catalogue cost (a weighted average)."""

    before: Decimal
    after: Decimal
    currency: str
    on_hand_before: int
    received: int
    unit_cost: Decimal

    def describe(self) -> str:
        """One line for the person who received the delivery."""
        values = {
            "before": format_money(self.before, self.currency),
            "after": format_money(self.after, self.currency),
            "on_hand": self.on_hand_before,
            "received": self.received,
            "unit_cost": format_money(self.unit_cost, self.currency),
        }
        if self.after == self.before:
            return _("Catalogue cost stays {after}.").format(**values)
        if self.on_hand_before == 0 or self.before == 0:
            return _(
                "Catalogue cost changed from {before} to {after} (this delivery's unit cost; "
                "nothing else was on hand at a known cost)."
            ).format(**values)
        return _(
            "Catalogue cost changed from {before} to {after}: the average of {on_hand} on "
            "hand at {before} and {received} received at {unit_cost}."
        ).format(**values)


@dataclass(frozen=True)
class StockChanged:
    part_id: int
    sku: str
    on_hand: int
    reserved: int
    changes: Changes
    cost_change: CostChange | None = None

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def part_changes(*part_ids: int, job_ids: Sequence[int] = ()) -> Changes:
    kinds = {ChangeKind.PART} | ({ChangeKind.JOB} if job_ids else set())
    return Changes(kinds=frozenset(kinds), part_ids=tuple(part_ids), job_ids=tuple(job_ids))


def get_part(uow: UnitOfWork, sku: str) -> Part:
    key = sku.strip().upper()
    part = uow.session.scalar(select(Part).where(Part.sku == key))
    if part is None:
        raise NotFound(_("There is no part with SKU “{sku}”.").format(sku=sku.strip()))
    return part


@dataclass(frozen=True)
class Scanned:
    """What a scanned part label named: a part, and for a serialised unit its serial."""

    sku: str
    serial: str | None = None


def resolve_scan(uow: UnitOfWork, text: str) -> Scanned:
    """A scanned label: our SKU, the serial of one unit, or a supplier's part number."""
    key = text.strip()
    if not key:
        raise ValidationError(_("Scan a part label or type a SKU."), field="sku")
    sku = uow.session.scalar(select(Part.sku).where(Part.sku == key.upper()))
    if sku is not None:
        return Scanned(sku)
    unit = uow.session.execute(
        select(Part.sku, PartUnit.serial)
        .join(Part, Part.id == PartUnit.part_id)
        .where(
            PartUnit.serial == key,
            PartUnit.status.in_([UnitStatus.IN_STOCK.value, UnitStatus.RESERVED.value]),
        )
        .limit(1)
    ).first()
    if unit is not None:
        return Scanned(unit[0], unit[1])
    theirs = uow.session.scalars(
        select(Part.sku)
        .join(PartSupplier, PartSupplier.part_id == Part.id)
        .where(func.upper(PartSupplier.supplier_sku) == key.upper())
        .distinct()
        .limit(2)
    ).all()
    if len(theirs) == 1:
        return Scanned(theirs[0])
    raise NotFound(_("There is no part with SKU or serial “{code}”.").format(code=key))


@dataclass(frozen=True)
class ScanKeys:
    """Every label a part field accepts, as :func:`resolve_scan` reads them.

    A desk keeps these to tell a slow scanner's burst from typing at once, without
    asking the database at the moment Enter is pressed.
    """

    skus: frozenset[str]
    serials: frozenset[str]
    supplier_skus: frozenset[str]

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        key = text.strip()
        return key.upper() in self.skus or key in self.serials or key.upper() in self.supplier_skus


def scan_keys(uow: UnitOfWork) -> ScanKeys:
    """The SKUs, in-stock serials and unique supplier part numbers :func:`resolve_scan` finds."""
    skus = frozenset(uow.session.scalars(select(Part.sku)))
    serials = frozenset(
        uow.session.scalars(
            select(PartUnit.serial).where(
                PartUnit.status.in_([UnitStatus.IN_STOCK.value, UnitStatus.RESERVED.value])
            )
        )
    )
    theirs = uow.session.execute(
        select(func.upper(PartSupplier.supplier_sku))
        .group_by(func.upper(PartSupplier.supplier_sku))
        .having(func.count(func.distinct(PartSupplier.part_id)) == 1)
    ).scalars()
    return ScanKeys(skus, serials, frozenset(theirs))


def search_text(part: Part, supplier_skus: Sequence[str] = ()) -> str:
    words = [part.sku, part.name, part.category, part.compatible, part.location, *supplier_skus]
    return " ".join(word for word in words if word).lower()


def _check_name(name: str) -> str:
    if not name.strip():
        raise ValidationError(_("A part needs a name."), field="name")
    if len(name.strip()) > 200:
        raise ValidationError(_("A part's name is at most 200 characters."), field="name")
    return name.strip()


def add_part(uow: UnitOfWork, data: PartInput, actor: str) -> StockChanged:
    """A new catalogue part with nothing on hand; a SKU already in the catalogue is refused."""
    get_user(uow, actor)
    sku = normalise_sku(data.sku)
    if uow.session.scalar(select(Part.id).where(Part.sku == sku)) is not None:
        raise ValidationError(
            _("A part with SKU “{sku}” is already in the catalogue.").format(sku=sku), field="sku"
        )
    currency = get_settings(uow).currency
    part = Part(
        sku=sku,
        name=_check_name(data.name),
        category=data.category.strip(),
        compatible=data.compatible.strip(),
        location=data.location.strip(),
        cost_minor=to_minor(data.cost, currency) if data.cost is not None else 0,
        price_minor=to_minor(data.price, currency) if data.price is not None else 0,
        currency=currency,
        reorder_level=data.reorder_level,
        reorder_quantity=data.reorder_quantity,
        serialised=data.serialised,
        on_hand=0,
        reserved=0,
        active=True,
        created_at=uow.now(),
    )
    part.search_text = search_text(part)
    uow.session.add(part)
    uow.flush()
    if data.supplier.strip():
        link_supplier(uow, part, data.supplier, data.supplier_sku, data.cost, actor=actor)
    return _changed(part)


def update_part(uow: UnitOfWork, data: PartInput, actor: str) -> StockChanged:
    """Change a catalogue entry's description, prices, location and reorder rules.

    A price or cost other than the stored one is a price change: only for a role with
    :attr:`Permission.EDIT_PRICES`. The same price given again changes nothing.
    """
    user = get_user(uow, actor)
    part = get_part(uow, data.sku)
    price = to_minor(data.price, part.currency) if data.price is not None else part.price_minor
    cost = to_minor(data.cost, part.currency) if data.cost is not None else part.cost_minor
    cost_changed = cost != part.cost_minor
    if cost_changed or price != part.price_minor:
        _require_price_change(user, part.sku)
    part.name = _check_name(data.name)
    part.category = data.category.strip()
    part.compatible = data.compatible.strip()
    part.location = data.location.strip()
    part.price_minor = price
    part.cost_minor = cost
    part.reorder_level = data.reorder_level
    part.reorder_quantity = data.reorder_quantity
    if data.supplier.strip():
        # The supplier's cost follows a changed catalogue cost; unchanged, it stays as it is.
        changed_cost = data.cost if cost_changed else None
        link_supplier(uow, part, data.supplier, data.supplier_sku, changed_cost, actor=actor)
    _refresh_search_text(uow, part)
    uow.flush()
    return _changed(part)


def _require_price_change(user: User, sku: str) -> None:
    if not may(user.role, Permission.EDIT_PRICES):
        raise PermissionDenied(
            _("{who} ({role}) may not change the prices of {sku}; that is for: {roles}.").format(
                who=user.display_name,
                role=Role(user.role).label,
                sku=sku,
                roles=role_names(Permission.EDIT_PRICES),
            )
        )


def find_supplier(uow: UnitOfWork, name: str) -> Supplier:
    supplier = uow.session.scalar(
        select(Supplier).where(func.lower(Supplier.name) == name.strip().lower())
    )
    if supplier is None:
        raise NotFound(_("There is no supplier “{name}”.").format(name=name.strip()))
    return supplier


def link_supplier(
    uow: UnitOfWork,
    part: Part,
    supplier_name: str,
    supplier_sku: str,
    cost: Decimal | None,
    *,
    actor: str,
) -> None:
    """Record that ``supplier_name`` sells ``part`` (a supplier not yet known is created).

    Their first cost for it is anyone's to record; changing a cost already recorded is a
    price change (:attr:`Permission.EDIT_PRICES`).
    """
    user = get_user(uow, actor)
    supplier = uow.session.scalar(
        select(Supplier).where(func.lower(Supplier.name) == supplier_name.strip().lower())
    )
    if supplier is None:
        supplier = Supplier(name=supplier_name.strip(), created_at=uow.now())
        uow.session.add(supplier)
        uow.flush()
    link = uow.session.scalar(
        select(PartSupplier).where(
            PartSupplier.part_id == part.id, PartSupplier.supplier_id == supplier.id
        )
    )
    if link is None:
        link = PartSupplier(part_id=part.id, supplier_id=supplier.id)
        uow.session.add(link)
    link.supplier_sku = supplier_sku.strip()
    if cost is not None:
        new_cost = to_minor(cost, part.currency)
        if link.cost_minor is not None and link.cost_minor != new_cost:
            _require_price_change(user, part.sku)
        link.cost_minor = new_cost
    uow.flush()
    _refresh_search_text(uow, part)


def _refresh_search_text(uow: UnitOfWork, part: Part) -> None:
    skus = uow.session.scalars(
        select(PartSupplier.supplier_sku).where(PartSupplier.part_id == part.id)
    ).all()
    part.search_text = search_text(part, skus)


def _changed(part: Part, job_ids: Sequence[int] = ()) -> StockChanged:
    return StockChanged(
        part.id, part.sku, part.on_hand, part.reserved, part_changes(part.id, job_ids=job_ids)
    )


def record_movement(
    uow: UnitOfWork,
    part: Part,
    kind: MovementKind,
    user: User,
    *,
    on_hand_delta: int = 0,
    reserved_delta: int = 0,
    reason: str = "",
    job_id: int | None = None,
    order_id: int | None = None,
    unit_id: int | None = None,
    unit_cost_minor: int | None = None,
) -> None:
    """Move stock by the deltas in one guarded UPDATE and write the ledger line.

    Raises :class:`OutOfStock` naming the part and what is available when the
    result would leave less than nothing on the shelf or reserve more than is there.
    """
    uow.flush()
    new_on_hand = Part.on_hand + on_hand_delta
    new_reserved = Part.reserved + reserved_delta
    result = uow.session.execute(
        update(Part)
        .where(
            Part.id == part.id,
            new_on_hand >= 0,
            new_reserved >= 0,
            new_on_hand - new_reserved >= 0,
        )
        .values(on_hand=new_on_hand, reserved=new_reserved)
        .execution_options(synchronize_session=False)
    )
    uow.session.refresh(part, ["on_hand", "reserved"])
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise out_of_stock(part, wanted=max(-on_hand_delta, reserved_delta, 1))
    uow.session.add(
        StockMovement(
            part_id=part.id,
            kind=kind.value,
            on_hand_delta=on_hand_delta,
            reserved_delta=reserved_delta,
            at=uow.now(),
            user_id=user.id,
            reason=reason.strip(),
            job_id=job_id,
            purchase_order_id=order_id,
            unit_id=unit_id,
            unit_cost_minor=unit_cost_minor,
        )
    )
    uow.flush()


def out_of_stock(part: Part, wanted: int) -> OutOfStock:
    available = part.on_hand - part.reserved
    return OutOfStock(
        _(
            "Not enough “{name}” ({sku}) in stock: {available} available "
            "({on_hand} on hand, {reserved} reserved), {wanted} wanted."
        ).format(
            name=part.name,
            sku=part.sku,
            available=available,
            on_hand=part.on_hand,
            reserved=part.reserved,
            wanted=wanted,
        )
    )


def clean_serial(serial: str | None) -> str | None:
    """``serial`` without the spaces around it; None when there is none."""
    return serial.strip() if serial and serial.strip() else None


def unit_with_serial(uow: UnitOfWork, part: Part, serial: str | None) -> PartUnit | None:
    """``part``'s unit with ``serial``; None without a serial or without such a unit."""
    if not serial:
        return None
    return uow.session.scalar(
        select(PartUnit).where(PartUnit.part_id == part.id, PartUnit.serial == serial)
    )


def named_unit(
    uow: UnitOfWork, part: Part, serial: str | None, missing: str
) -> tuple[str | None, PartUnit | None]:
    """The serial given for ``part`` (cleaned) and ``part``'s unit with it, if any. A
    serialised part must be given one: ``missing`` (with ``{sku}``) says so otherwise."""
    serial = clean_serial(serial)
    if part.serialised and serial is None:
        raise ValidationError(missing.format(sku=part.sku), field="serial")
    return serial, unit_with_serial(uow, part, serial)


def add_units(uow: UnitOfWork, part: Part, serials: Sequence[str], quantity: int) -> list[int]:
    """New in-stock units of a serialised part; every serial new and one per unit."""
    cleaned = [serial.strip() for serial in serials if serial.strip()]
    if len(cleaned) != quantity:
        raise ValidationError(
            _(
                "{sku} is serialised: give one serial per unit ({quantity} needed, {given} given)."
            ).format(sku=part.sku, quantity=quantity, given=len(cleaned)),
            field="serials",
        )
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(_("A serial is given twice."), field="serials")
    known = uow.session.scalars(
        select(PartUnit.serial).where(PartUnit.part_id == part.id, PartUnit.serial.in_(cleaned))
    ).all()
    if known:
        raise ValidationError(
            _("{sku} already has a unit with serial {serial}.").format(
                sku=part.sku, serial=known[0]
            ),
            field="serials",
        )
    units = [
        PartUnit(
            part_id=part.id, serial=serial, status=UnitStatus.IN_STOCK.value, received_at=uow.now()
        )
        for serial in cleaned
    ]
    uow.session.add_all(units)
    uow.flush()
    return [unit.id for unit in units]


def take_units(
    uow: UnitOfWork,
    part: Part,
    quantity: int,
    serials: Sequence[str],
    *,
    from_status: UnitStatus,
    to_status: UnitStatus,
    job_id: int | None,
    from_job_id: int | None = None,
) -> list[int]:
    """Move ``quantity`` units of a serialised part between states, named or oldest first.

    Each unit moves with a guarded UPDATE on its status, so two workstations never
    take the same unit.
    """
    query = select(PartUnit).where(
        PartUnit.part_id == part.id, PartUnit.status == from_status.value
    )
    if from_job_id is not None:
        query = query.where(PartUnit.job_id == from_job_id)
    cleaned = [serial.strip() for serial in serials if serial.strip()]
    if cleaned:
        if len(cleaned) != quantity:
            raise ValidationError(
                _("Give one serial per unit ({quantity} needed, {given} given).").format(
                    quantity=quantity, given=len(cleaned)
                ),
                field="serials",
            )
        units = list(uow.session.scalars(query.where(PartUnit.serial.in_(cleaned))))
        missing = sorted(set(cleaned) - {unit.serial for unit in units})
        if missing:
            raise ValidationError(
                _("{sku}: no unit with serial {serial} is available for this.").format(
                    sku=part.sku, serial=", ".join(missing)
                ),
                field="serials",
            )
    else:
        units = list(uow.session.scalars(query.order_by(PartUnit.id).limit(quantity)))
    if len(units) < quantity:
        raise out_of_stock(part, quantity)
    return move_units(uow, part, units, to_status=to_status, job_id=job_id)


def move_units(
    uow: UnitOfWork,
    part: Part,
    units: Sequence[PartUnit],
    *,
    to_status: UnitStatus,
    job_id: int | None,
) -> list[int]:
    """Move these units to ``to_status``, each with a guarded UPDATE on the status it was
    read in, so two workstations never take the same unit; their ids, in order."""
    moves = [(unit.id, unit.status) for unit in units]
    taken: list[int] = []
    for unit_id, status in moves:
        result = uow.session.execute(
            update(PartUnit)
            .where(PartUnit.id == unit_id, PartUnit.status == status)
            .values(status=to_status.value, job_id=job_id)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise out_of_stock(part, len(moves))
        taken.append(unit_id)
    uow.session.expire_all()
    return taken


def adjust(
    uow: UnitOfWork,
    sku: str,
    delta: int,
    reason: str,
    actor: str,
    *,
    serials: Sequence[str] = (),
    kind: MovementKind = MovementKind.ADJUSTED,
) -> StockChanged:
    """Correct on hand by ``delta`` with a reason; never below what is reserved."""
    if delta < 0:
        require_permission(uow, actor, Permission.WRITE_OFF_STOCK)
    user = get_user(uow, actor)
    part = get_part(uow, sku)
    if delta == 0:
        raise ValidationError(_("A correction of zero units changes nothing."), field="delta")
    if not reason.strip():
        raise ValidationError(_("Say why the stock is corrected."), field="reason")
    unit_ids: list[int | None] = [None]
    if part.serialised and delta > 0:
        unit_ids = list(add_units(uow, part, serials, delta))
    elif part.serialised:
        unit_ids = list(
            take_units(
                uow,
                part,
                -delta,
                serials,
                from_status=UnitStatus.IN_STOCK,
                to_status=UnitStatus.WRITTEN_OFF,
                job_id=None,
            )
        )
    if len(unit_ids) == 1:
        record_movement(
            uow, part, kind, user, on_hand_delta=delta, reason=reason, unit_id=unit_ids[0]
        )
    else:
        step = 1 if delta > 0 else -1
        for unit_id in unit_ids:
            record_movement(
                uow, part, kind, user, on_hand_delta=step, reason=reason, unit_id=unit_id
            )
    return _changed(part)


def return_to_supplier(
    uow: UnitOfWork,
    sku: str,
    quantity: int,
    reason: str,
    actor: str,
    *,
    serials: Sequence[str] = (),
) -> StockChanged:
    """Send available units back to the supplier (faulty, wrong, surplus)."""
    user = get_user(uow, actor)
    part = get_part(uow, sku)
    quantity = parse_quantity(quantity)
    if part.serialised:
        for unit_id in take_units(
            uow,
            part,
            quantity,
            serials,
            from_status=UnitStatus.IN_STOCK,
            to_status=UnitStatus.RETURNED,
            job_id=None,
        ):
            record_movement(
                uow,
                part,
                MovementKind.RETURNED,
                user,
                on_hand_delta=-1,
                reason=reason,
                unit_id=unit_id,
            )
    else:
        record_movement(
            uow, part, MovementKind.RETURNED, user, on_hand_delta=-quantity, reason=reason
        )
    return _changed(part)


def _part_view(uow: UnitOfWork, part: Part, *, detail: bool = False) -> PartView:
    suppliers: tuple[PartSupplierView, ...] = ()
    serials: tuple[str, ...] = ()
    if detail:
        rows = uow.session.execute(
            select(Supplier.name, PartSupplier.supplier_sku, PartSupplier.cost_minor)
            .join(Supplier, Supplier.id == PartSupplier.supplier_id)
            .where(PartSupplier.part_id == part.id)
            .order_by(Supplier.name)
        ).all()
        suppliers = tuple(
            PartSupplierView(
                name, supplier_sku, None if cost is None else from_minor(cost, part.currency)
            )
            for name, supplier_sku, cost in rows
        )
        if part.serialised:
            serials = tuple(
                uow.session.scalars(
                    select(PartUnit.serial)
                    .where(
                        PartUnit.part_id == part.id,
                        PartUnit.status == UnitStatus.IN_STOCK.value,
                    )
                    .order_by(PartUnit.id)
                )
            )
    return PartView(
        id=part.id,
        sku=part.sku,
        name=part.name,
        category=part.category,
        compatible=part.compatible,
        location=part.location,
        price=from_minor(part.price_minor, part.currency),
        cost=from_minor(part.cost_minor, part.currency),
        currency=part.currency,
        reorder_level=part.reorder_level,
        reorder_quantity=part.reorder_quantity,
        serialised=part.serialised,
        on_hand=part.on_hand,
        reserved=part.reserved,
        suppliers=suppliers,
        serials_in_stock=serials,
    )


def show_part(uow: UnitOfWork, sku: str) -> PartView:
    return _part_view(uow, get_part(uow, sku), detail=True)


def part_by_id(uow: UnitOfWork, part_id: int) -> PartView:
    part = uow.session.get(Part, part_id)
    if part is None:
        raise NotFound(_("That part is no longer in the catalogue."))
    return _part_view(uow, part, detail=True)


def _low_stock(query: Select[Any]) -> Select[Any]:
    return query.where(Part.reorder_level > 0, Part.on_hand - Part.reserved <= Part.reorder_level)


def find_part_ids(uow: UnitOfWork, text: str = "", *, low_only: bool = False) -> list[int]:
    """Ids of active parts matching ``text`` (SKU, name, device, supplier number), by SKU."""
    query: Select[Any] = select(Part.id).where(Part.active.is_(True))
    for word in text.lower().split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(
            or_(
                Part.search_text.like(f"%{escaped}%", escape="\\"),
                Part.sku == word.upper(),
            )
        )
    if low_only:
        query = _low_stock(query)
    return list(uow.session.scalars(query.order_by(Part.sku)))


def parts_by_ids(uow: UnitOfWork, part_ids: Sequence[int]) -> list[PartView]:
    """Rows for ``part_ids`` in the order given (a lazy list fetches a page at a time)."""
    if not part_ids:
        return []
    found = {p.id: p for p in uow.session.scalars(select(Part).where(Part.id.in_(part_ids)))}
    return [_part_view(uow, found[i]) for i in part_ids if i in found]


def list_parts(uow: UnitOfWork, text: str = "", *, low_only: bool = False) -> list[PartView]:
    return parts_by_ids(uow, find_part_ids(uow, text, low_only=low_only))


def movements(uow: UnitOfWork, sku: str, limit: int | None = None) -> list[MovementView]:
    """A part's ledger, newest first."""
    part = get_part(uow, sku)
    query = (
        select(
            StockMovement,
            User.login,
            Job.code,
            PurchaseOrder.number,
            PartUnit.serial,
        )
        .join(User, User.id == StockMovement.user_id)
        .outerjoin(Job, Job.id == StockMovement.job_id)
        .outerjoin(PurchaseOrder, PurchaseOrder.id == StockMovement.purchase_order_id)
        .outerjoin(PartUnit, PartUnit.id == StockMovement.unit_id)
        .where(StockMovement.part_id == part.id)
        .order_by(StockMovement.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        MovementView(
            id=movement.id,
            at=movement.at,
            kind=MovementKind(movement.kind),
            on_hand_delta=movement.on_hand_delta,
            reserved_delta=movement.reserved_delta,
            user=login,
            reason=movement.reason,
            job_code=code,
            order_number=number,
            serial=serial,
            unit_cost=(
                None
                if movement.unit_cost_minor is None
                else from_minor(movement.unit_cost_minor, part.currency)
            ),
        )
        for movement, login, code, number, serial in uow.session.execute(query)
    ]


def ledger_totals(uow: UnitOfWork, part_id: int) -> tuple[int, int]:
    """The sums of the ledger (on hand, reserved): what ``parts`` must always agree with."""
    row = uow.session.execute(
        select(
            func.coalesce(func.sum(StockMovement.on_hand_delta), 0),
            func.coalesce(func.sum(StockMovement.reserved_delta), 0),
        ).where(StockMovement.part_id == part_id)
    ).one()
    return int(row[0]), int(row[1])


def part_to_json(view: PartView) -> dict[str, object]:
    """The ``parts show --json`` shape in docs/ARCHITECTURE.md (sku, name, on_hand, …)."""
    return {
        "sku": view.sku,
        "name": view.name,
        "on_hand": view.on_hand,
        "reserved": view.reserved,
        "available": view.available,
        "category": view.category,
        "compatible": view.compatible,
        "location": view.location,
        "price": str(view.price),
        "cost": str(view.cost),
        "currency": view.currency,
        "reorder_level": view.reorder_level,
        "reorder_quantity": view.reorder_quantity,
        "serialised": view.serialised,
        "low": view.is_low,
        "suppliers": [
            {
                "supplier": s.supplier,
                "supplier_sku": s.supplier_sku,
                "cost": None if s.cost is None else str(s.cost),
            }
            for s in view.suppliers
        ],
        "serials_in_stock": list(view.serials_in_stock),
    }


def movement_to_json(movement: MovementView) -> dict[str, object]:
    return {
        "at": movement.at.isoformat().replace("+00:00", "Z"),
        "kind": movement.kind.value,
        "on_hand_delta": movement.on_hand_delta,
        "reserved_delta": movement.reserved_delta,
        "user": movement.user,
        "reason": movement.reason,
        "job": movement.job_code,
        "purchase_order": movement.order_number,
        "serial": movement.serial,
        "unit_cost": None if movement.unit_cost is None else str(movement.unit_cost),
    }
