"""Returns to suppliers (RMA): numbered, moved through their states, stock kept in the ledger.

The rules (which move is allowed, what it does to stock) are in :mod:`repairshop.domain.rma`;
here they meet the database. Stock moves only through
:func:`repairshop.services.parts.stock.record_movement`, in the same transaction as the
RMA's own change, so a refused move changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update

from repairshop.db.counters import next_value
from repairshop.db.tables import (
    Job,
    Part,
    PartUnit,
    PurchaseOrder,
    Rma,
    RmaEvent,
    StockMovement,
    Supplier,
    User,
)
from repairshop.domain.rma import (
    HOLD_ON_OPEN,
    RmaAction,
    RmaState,
    allowed_moves,
    check_move,
    parse_state,
    stock_delta,
)
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.workflow import load_job
from repairshop.services.parts.job_parts import receive_part
from repairshop.services.parts.stock import (
    MovementKind,
    UnitStatus,
    find_supplier,
    get_part,
    named_unit,
    record_movement,
)
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

RMA_PREFIX = "RMA"
RMA_DIGITS = 5


@dataclass(frozen=True)
class RmaEventView:
    at: datetime
    user: str
    from_state: RmaState | None
    to_state: RmaState
    note: str


@dataclass(frozen=True)
class RmaView:
    number: str
    state: RmaState
    supplier: str
    sku: str
    part_name: str
    serial: str | None
    job: str | None
    purchase_order: str | None
    from_stock: bool
    reason: str
    replacement_serial: str | None
    created_at: datetime
    history: tuple[RmaEventView, ...]
    changes: Changes

    @property
    def moves(self) -> list[tuple[RmaAction, RmaState]]:
        return allowed_moves(self.state)


def normalise_rma_number(text: str) -> str:
    """``RMA00007`` from ``rma00007``, ``RMA7`` or just ``7``."""
    key = text.strip().upper()
    digits = key.removeprefix(RMA_PREFIX).strip()
    if not digits.isdigit():
        raise NotFound(_("There is no RMA {number}.").format(number=text.strip()))
    return f"{RMA_PREFIX}{int(digits):0{RMA_DIGITS}d}"


def _next_number(uow: UnitOfWork) -> str:
    """Bump the RMA counter inside this transaction: unique under concurrent desks."""
    return f"{RMA_PREFIX}{next_value(uow.session, 'rma'):0{RMA_DIGITS}d}"


def _load(uow: UnitOfWork, number: str, *, for_update: bool = False) -> Rma:
    key = normalise_rma_number(number)
    query = select(Rma).where(Rma.number == key)
    rma = uow.session.scalar(query.with_for_update() if for_update else query)
    if rma is None:
        raise NotFound(_("There is no RMA {number}.").format(number=number.strip()))
    return rma


def _changes(rma: Rma) -> Changes:
    return Changes(
        kinds=frozenset({ChangeKind.PART} | ({ChangeKind.JOB} if rma.job_id else set())),
        part_ids=(rma.part_id,),
        job_ids=(rma.job_id,) if rma.job_id else (),
        extra={"rma": rma.number},
    )


def _ledger_reason(rma: Rma, text: str) -> str:
    return f"{rma.number}: {text}".strip().rstrip(":")


def _order_for(
    uow: UnitOfWork, part: Part, unit: PartUnit | None, order_number: str | None
) -> PurchaseOrder | None:
    """The purchase order named, else the one the unit (or the part's last delivery) came on."""
    if order_number:
        order = uow.session.scalar(
            select(PurchaseOrder).where(PurchaseOrder.number == order_number.strip().upper())
        )
        if order is None:
            raise NotFound(
                _("There is no purchase order {number}.").format(number=order_number.strip())
            )
        return order
    query = select(StockMovement.purchase_order_id).where(
        StockMovement.part_id == part.id,
        StockMovement.kind == MovementKind.RECEIVED.value,
        StockMovement.purchase_order_id.is_not(None),
    )
    if unit is not None:
        query = query.where(StockMovement.unit_id == unit.id)
    order_id = uow.session.scalar(query.order_by(StockMovement.id.desc()).limit(1))
    return uow.session.get(PurchaseOrder, order_id) if order_id is not None else None


def open_rma(
    uow: UnitOfWork,
    supplier_name: str,
    sku: str,
    actor: str,
    *,
    reason: str,
    serial: str | None = None,
    job_code: str | None = None,
    order_number: str | None = None,
) -> RmaView:
    """Request an RMA for one part: from the shelf (held for the supplier) or out of a device.

    A serialised part names its unit by serial. With a job, the part came out of that
    job's device (a faulty part we fitted, or the old part a manufacturer wants back)
    and was never shop stock; without one, it is a unit on the shelf and is held.
    """
    user = get_user(uow, actor)
    supplier = find_supplier(uow, supplier_name)
    part = get_part(uow, sku)
    if not reason.strip():
        raise ValidationError(_("Say why the part goes back to the supplier."), field="reason")
    job: Job | None = load_job(uow, job_code) if job_code else None
    serial, unit = named_unit(
        uow, part, serial, _("{sku} is serialised: give the serial of the unit going back.")
    )
    if unit is not None and unit.status == UnitStatus.USED.value:
        if job is not None and unit.job_id != job.id:
            raise ValidationError(
                _("The unit with serial {serial} was not used on job {code}.").format(
                    serial=serial, code=job.code
                ),
                field="serial",
            )
        if job is None and unit.job_id is not None:
            job = uow.session.get(Job, unit.job_id)
    elif unit is not None and unit.status != UnitStatus.IN_STOCK.value:
        raise ValidationError(
            _(
                "The unit with serial {serial} is “{status}”; only a unit on the shelf "
                "or used on a job can go back."
            ).format(serial=serial, status=UnitStatus(unit.status).value),
            field="serial",
        )
    from_stock = unit is not None and unit.status == UnitStatus.IN_STOCK.value
    if unit is None and job is None:
        if part.serialised:
            raise ValidationError(
                _("{sku} has no unit with serial {serial}; name the job it came from.").format(
                    sku=part.sku, serial=serial
                ),
                field="serial",
            )
        from_stock = True
    # A part out of a customer's device that was never ours came on no order of ours.
    ours = unit is not None or from_stock
    order = _order_for(uow, part, unit, order_number) if ours or order_number else None
    if order is not None and order.supplier_id != supplier.id:
        raise ValidationError(
            _("Purchase order {number} is not from {supplier}.").format(
                number=order.number, supplier=supplier.name
            ),
            field="order",
        )
    now = uow.now()
    rma = Rma(
        number=_next_number(uow),
        state=RmaState.REQUESTED.value,
        supplier_id=supplier.id,
        part_id=part.id,
        serial=serial,
        unit_id=unit.id if unit is not None else None,
        job_id=job.id if job is not None else None,
        purchase_order_id=order.id if order is not None else None,
        from_stock=from_stock,
        reason=reason.strip(),
        created_by_id=user.id,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(rma)
    uow.flush()
    if from_stock:
        if unit is not None:
            _move_unit(uow, unit, UnitStatus.IN_STOCK, UnitStatus.RESERVED)
        on_hand, reserved = HOLD_ON_OPEN
        record_movement(
            uow,
            part,
            MovementKind.RESERVED,
            user,
            on_hand_delta=on_hand,
            reserved_delta=reserved,
            reason=_ledger_reason(rma, _("held for the supplier")),
            unit_id=rma.unit_id,
            order_id=rma.purchase_order_id,
        )
    _event(uow, rma, user, None, RmaState.REQUESTED, note=reason)
    return _view(uow, rma)


def _move_unit(uow: UnitOfWork, unit: PartUnit, source: UnitStatus, target: UnitStatus) -> None:
    result = uow.session.execute(
        update(PartUnit)
        .where(PartUnit.id == unit.id, PartUnit.status == source.value)
        .values(status=target.value)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ValidationError(
            _("The unit with serial {serial} is no longer “{status}”.").format(
                serial=unit.serial, status=source.value
            )
        )
    uow.session.expire(unit)


def _event(
    uow: UnitOfWork, rma: Rma, user: User, source: RmaState | None, target: RmaState, *, note: str
) -> None:
    now = uow.now()
    uow.session.add(
        RmaEvent(
            rma_id=rma.id,
            at=now,
            user_id=user.id,
            from_state=source.value if source else None,
            to_state=target.value,
            note=note.strip(),
        )
    )
    rma.state = target.value
    rma.updated_at = now
    uow.flush()


_MOVEMENT_KIND = {
    RmaAction.SEND: MovementKind.RETURNED,
    RmaAction.RECEIVE: MovementKind.RECEIVED,
    RmaAction.CLOSE: MovementKind.RELEASED,
}


def move_rma(
    uow: UnitOfWork,
    number: str,
    action: RmaAction,
    target: RmaState,
    actor: str,
    *,
    note: str = "",
    replacement_serial: str | None = None,
) -> RmaView:
    """Send, receive or close an RMA; a move its state does not allow is refused unchanged."""
    user = get_user(uow, actor)
    rma = _load(uow, number, for_update=True)
    state = RmaState(rma.state)
    check_move(rma.number, state, action, target)
    part = uow.session.get(Part, rma.part_id)
    assert part is not None
    new_serial = replacement_serial.strip() if replacement_serial else ""
    if target is RmaState.REPLACED and part.serialised and not new_serial:
        raise ValidationError(
            _("{sku} is serialised: give the replacement unit's serial.").format(sku=part.sku),
            field="serial",
        )
    if new_serial and target is not RmaState.REPLACED:
        raise ValidationError(_("Only a replacement arrives with a new serial."), field="serial")
    on_hand, reserved = stock_delta(state, action, target, from_stock=rma.from_stock)
    unit_id = rma.unit_id
    unit = uow.session.get(PartUnit, unit_id) if unit_id is not None else None
    if target is RmaState.REPLACED:
        # The replacement is a delivery like any other: it frees jobs waiting for the part.
        receive_part(
            uow,
            part.sku,
            on_hand,
            actor,
            serials=[new_serial] if part.serialised else (),
            reason=_ledger_reason(rma, target.label),
            order_id=rma.purchase_order_id,
        )
        rma.replacement_serial = new_serial or None
        on_hand = 0
    elif unit is not None and rma.from_stock:
        if action is RmaAction.SEND:
            _move_unit(uow, unit, UnitStatus.RESERVED, UnitStatus.RETURNED)
        elif action is RmaAction.RECEIVE:
            _move_unit(uow, unit, UnitStatus.RETURNED, UnitStatus.IN_STOCK)
        elif action is RmaAction.CLOSE and state is RmaState.REQUESTED:
            _move_unit(uow, unit, UnitStatus.RESERVED, UnitStatus.IN_STOCK)
    if (on_hand, reserved) != (0, 0):
        record_movement(
            uow,
            part,
            _MOVEMENT_KIND[action],
            user,
            on_hand_delta=on_hand,
            reserved_delta=reserved,
            reason=_ledger_reason(rma, target.label),
            unit_id=unit_id,
            order_id=rma.purchase_order_id,
        )
    _event(uow, rma, user, state, target, note=note)
    return _view(uow, rma)


def send_rma(uow: UnitOfWork, number: str, actor: str, *, note: str = "") -> RmaView:
    return move_rma(uow, number, RmaAction.SEND, RmaState.SENT, actor, note=note)


def receive_rma(
    uow: UnitOfWork,
    number: str,
    outcome: str,
    actor: str,
    *,
    serial: str | None = None,
    note: str = "",
) -> RmaView:
    """Goods arrive back: a replacement (``replaced``) or the part refused (``rejected``)."""
    target = parse_state(outcome)
    return move_rma(
        uow, number, RmaAction.RECEIVE, target, actor, note=note, replacement_serial=serial
    )


def close_rma(uow: UnitOfWork, number: str, outcome: str, actor: str, *, note: str = "") -> RmaView:
    """Settled with nothing arriving: ``credited``, or ``rejected``."""
    return move_rma(uow, number, RmaAction.CLOSE, parse_state(outcome), actor, note=note)


def _view(uow: UnitOfWork, rma: Rma) -> RmaView:
    return _views(uow, [rma])[0]


def _views(uow: UnitOfWork, rmas: Sequence[Rma]) -> list[RmaView]:
    if not rmas:
        return []
    ids = [rma.id for rma in rmas]
    names = dict(
        uow.session.execute(
            select(Supplier.id, Supplier.name).where(
                Supplier.id.in_({rma.supplier_id for rma in rmas})
            )
        ).all()
    )
    parts = {
        row[0]: (row[1], row[2])
        for row in uow.session.execute(
            select(Part.id, Part.sku, Part.name).where(Part.id.in_({rma.part_id for rma in rmas}))
        )
    }
    codes = dict(
        uow.session.execute(
            select(Job.id, Job.code).where(Job.id.in_({rma.job_id for rma in rmas if rma.job_id}))
        ).all()
    )
    orders = dict(
        uow.session.execute(
            select(PurchaseOrder.id, PurchaseOrder.number).where(
                PurchaseOrder.id.in_(
                    {rma.purchase_order_id for rma in rmas if rma.purchase_order_id}
                )
            )
        ).all()
    )
    history: dict[int, list[RmaEventView]] = {rma_id: [] for rma_id in ids}
    for event, login in uow.session.execute(
        select(RmaEvent, User.login)
        .join(User, User.id == RmaEvent.user_id)
        .where(RmaEvent.rma_id.in_(ids))
        .order_by(RmaEvent.id)
    ):
        history[event.rma_id].append(
            RmaEventView(
                at=event.at,
                user=login,
                from_state=RmaState(event.from_state) if event.from_state else None,
                to_state=RmaState(event.to_state),
                note=event.note,
            )
        )
    return [
        RmaView(
            number=rma.number,
            state=RmaState(rma.state),
            supplier=names[rma.supplier_id],
            sku=parts[rma.part_id][0],
            part_name=parts[rma.part_id][1],
            serial=rma.serial,
            job=codes.get(rma.job_id) if rma.job_id else None,
            purchase_order=orders.get(rma.purchase_order_id) if rma.purchase_order_id else None,
            from_stock=rma.from_stock,
            reason=rma.reason,
            replacement_serial=rma.replacement_serial,
            created_at=rma.created_at,
            history=tuple(history[rma.id]),
            changes=_changes(rma),
        )
        for rma in rmas
    ]


def show_rma(uow: UnitOfWork, number: str) -> RmaView:
    return _view(uow, _load(uow, number))


def list_rmas(
    uow: UnitOfWork, *, open_only: bool = False, state: RmaState | None = None
) -> list[RmaView]:
    """RMAs newest first; open ones are requested or sent."""
    query = select(Rma).order_by(Rma.id.desc())
    if open_only:
        query = query.where(Rma.state.in_([RmaState.REQUESTED.value, RmaState.SENT.value]))
    if state is not None:
        query = query.where(Rma.state == state.value)
    return _views(uow, list(uow.session.scalars(query)))


def rmas_for(uow: UnitOfWork, job_ids: Sequence[int], serials: Sequence[str] = ()) -> list[RmaView]:
    """RMAs about these jobs or these serials, oldest first (a device's history)."""
    conditions = []
    if job_ids:
        conditions.append(Rma.job_id.in_(job_ids))
    if serials:
        conditions.append(Rma.serial.in_(serials))
    if not conditions:
        return []
    return _views(
        uow, list(uow.session.scalars(select(Rma).where(or_(*conditions)).order_by(Rma.id)))
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def rma_to_json(view: RmaView) -> dict[str, object]:
    return {
        "number": view.number,
        "state": view.state.value,
        "supplier": view.supplier,
        "sku": view.sku,
        "part": view.part_name,
        "serial": view.serial,
        "job": view.job,
        "purchase_order": view.purchase_order,
        "from_stock": view.from_stock,
        "reason": view.reason,
        "replacement_serial": view.replacement_serial,
        "created": _iso(view.created_at),
        "moves": [f"{action.value} {target.value}" for action, target in view.moves],
        "history": [
            {
                "at": _iso(event.at),
                "user": event.user,
                "from": event.from_state.value if event.from_state else None,
                "to": event.to_state.value,
                "note": event.note,
            }
            for event in view.history
        ],
    }


def rma_details(view: RmaView) -> list[str]:
    """The RMA line by line: the supplier, the part, where it came from, why, and the
    replacement's serial (each front end words its own headline over these)."""
    lines = [
        _("Supplier: {supplier}").format(supplier=view.supplier),
        _("Part: {sku} {name}  serial {serial}").format(
            sku=view.sku, name=view.part_name, serial=view.serial or "-"
        ),
        _("Job: {code}  Purchase order: {order}").format(
            code=view.job or "-", order=view.purchase_order or "-"
        ),
        _("Reason: {reason}").format(reason=view.reason),
    ]
    if view.replacement_serial:
        lines.append(_("Replacement serial: {serial}").format(serial=view.replacement_serial))
    return lines
