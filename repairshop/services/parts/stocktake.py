"""Stock take: scan part labels to count the shelves; differences are applied only after review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from repairshop.db.tables import Part, StockTake, StockTakeCount
from repairshop.domain.roles import Permission
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _
from repairshop.services.changes import Changes
from repairshop.services.parts.stock import (
    MAX_QUANTITY,
    MovementKind,
    adjust,
    get_part,
    part_changes,
    resolve_scan,
)
from repairshop.services.shop.users import get_user, require_permission
from repairshop.services.uow import UnitOfWork

OPEN = "open"
APPLIED = "applied"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class CountLine:
    sku: str
    name: str
    location: str
    on_hand: int
    reserved: int
    counted: int

    @property
    def difference(self) -> int:
        return self.counted - self.on_hand


@dataclass(frozen=True)
class StockTakeView:
    id: int
    status: str
    started_at: datetime
    lines: tuple[CountLine, ...]

    @property
    def differences(self) -> tuple[CountLine, ...]:
        return tuple(line for line in self.lines if line.difference)


def start_stock_take(uow: UnitOfWork, actor: str, note: str = "") -> int:
    """Open a stock take (one at a time), returning its number."""
    user = get_user(uow, actor)
    running = uow.session.scalar(select(StockTake.id).where(StockTake.status == OPEN))
    if running is not None:
        raise ValidationError(
            _("Stock take {number} is still open: finish or cancel it first.").format(
                number=running
            )
        )
    take = StockTake(status=OPEN, started_by_id=user.id, started_at=uow.now(), note=note)
    uow.session.add(take)
    uow.flush()
    return take.id


def open_stock_take(uow: UnitOfWork) -> int | None:
    return uow.session.scalar(select(StockTake.id).where(StockTake.status == OPEN))


def _load(uow: UnitOfWork, take_id: int, *, must_be_open: bool = True) -> StockTake:
    # Locked while counting, so two scanners on PostgreSQL never lose a count.
    take = uow.session.get(StockTake, take_id, with_for_update=must_be_open)
    if take is None:
        raise NotFound(_("There is no stock take {number}.").format(number=take_id))
    if must_be_open and take.status != OPEN:
        raise ValidationError(_("Stock take {number} is closed.").format(number=take_id))
    return take


def scan(uow: UnitOfWork, take_id: int, code: str, actor: str, quantity: int = 1) -> CountLine:
    """Count a scanned part label (SKU, unit serial or supplier number): each scan adds one."""
    get_user(uow, actor)
    take = _load(uow, take_id)
    part = get_part(uow, resolve_scan(uow, code).sku)
    return _set(uow, take, part, quantity, add=True)


def set_count(uow: UnitOfWork, take_id: int, sku: str, counted: int, actor: str) -> CountLine:
    """Type the count of a part directly (a box of 50 needs no 50 scans)."""
    get_user(uow, actor)
    take = _load(uow, take_id)
    part = get_part(uow, sku)
    return _set(uow, take, part, counted, add=False)


def _set(uow: UnitOfWork, take: StockTake, part: Part, value: int, *, add: bool) -> CountLine:
    line = uow.session.scalar(
        select(StockTakeCount).where(
            StockTakeCount.stock_take_id == take.id, StockTakeCount.part_id == part.id
        )
    )
    if line is None:
        line = StockTakeCount(stock_take_id=take.id, part_id=part.id, counted=0)
        uow.session.add(line)
    counted = line.counted + value if add else value
    if counted < 0 or counted > MAX_QUANTITY:
        raise ValidationError(
            _("A count cannot be {value}.").format(value=counted), field="counted"
        )
    line.counted = counted
    line.counted_at = uow.now()
    uow.flush()
    return CountLine(part.sku, part.name, part.location, part.on_hand, part.reserved, counted)


def review(uow: UnitOfWork, take_id: int) -> StockTakeView:
    """What was counted against what the ledger says is on hand now."""
    take = _load(uow, take_id, must_be_open=False)
    rows = uow.session.execute(
        select(StockTakeCount, Part)
        .join(Part, Part.id == StockTakeCount.part_id)
        .where(StockTakeCount.stock_take_id == take.id)
        .order_by(Part.location, Part.sku)
    ).all()
    return StockTakeView(
        take.id,
        take.status,
        take.started_at,
        tuple(
            CountLine(part.sku, part.name, part.location, part.on_hand, part.reserved, line.counted)
            for line, part in rows
        ),
    )


def apply_stock_take(uow: UnitOfWork, take_id: int, actor: str) -> Changes:
    """The reviewer accepts the differences: each becomes a ``counted`` ledger line."""
    require_permission(uow, actor, Permission.APPLY_STOCK_TAKE)
    user = get_user(uow, actor)
    take = _load(uow, take_id)
    view = review(uow, take_id)
    touched: list[int] = []
    for line in view.differences:
        if line.counted < line.reserved:
            raise ValidationError(
                _(
                    "{sku}: {counted} counted but {reserved} are reserved for jobs. "
                    "Release the reservations or recount before applying."
                ).format(sku=line.sku, counted=line.counted, reserved=line.reserved)
            )
        changed = adjust(
            uow,
            line.sku,
            line.difference,
            _("Stock take {number}").format(number=take.id),
            actor,
            kind=MovementKind.COUNTED,
        )
        touched.append(changed.part_id)
    take.status = APPLIED
    take.reviewed_by_id = user.id
    take.applied_at = uow.now()
    uow.flush()
    return part_changes(*touched)


def cancel_stock_take(uow: UnitOfWork, take_id: int, actor: str) -> Changes:
    get_user(uow, actor)
    take = _load(uow, take_id)
    take.status = CANCELLED
    uow.flush()
    return part_changes()
