"""Parts on a job: reserved at diagnosis or approval, used at repair, released on cancel.

Each movement is a line of the stock ledger and an event in the job's history
(kind ``part``), so the job card shows which parts went in and who took them.
A part on a job is a line of its price; it never rewrites the estimate, and a part
that would take the price above what the customer approved is refused
(:func:`~repairshop.services.jobs.pricing.guard_price_rise`).
A job that waits for a part records it here; receiving stock reserves the
awaited units for the waiting jobs, oldest first, and marks them "parts arrived".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from repairshop.db.tables import Job, JobEvent, JobPart, Part, PartUnit, User
from repairshop.domain.money import from_minor, to_minor
from repairshop.domain.statuses import JobStatus
from repairshop.domain.stock_cost import weighted_cost
from repairshop.errors import UnitNotNamed, ValidationError
from repairshop.i18n import N_, _, ngettext
from repairshop.services.changes import Changes
from repairshop.services.events import JobCancelled
from repairshop.services.jobs.pricing import current_price_minor, guard_price_rise
from repairshop.services.jobs.workflow import change_status, load_job, load_job_row
from repairshop.services.parts.stock import (
    CostChange,
    MovementKind,
    StockChanged,
    UnitStatus,
    add_units,
    get_part,
    move_units,
    out_of_stock,
    parse_quantity,
    part_changes,
    record_movement,
    take_units,
)
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

_CLOSED = (JobStatus.COLLECTED, JobStatus.CANCELLED, JobStatus.READY)

PART_EVENT_KINDS = frozenset({"part", "parts_arrived"})
"""Job history kinds written here; ``from`` is the action key, ``to`` is ``"1 × SKU"``."""
PART_ACTION_LABELS: dict[str, str] = {
    "reserved": N_("Part reserved"),
    "used": N_("Part used"),
    "released": N_("Part released"),
    "waiting": N_("Waiting for part"),
    "arrived": N_("Parts arrived"),
}


def describe_part_event(action: str | None, moved: str | None, note: str) -> str:
    """A part line of the job history as a person reads it, e.g. "Part used: 1 × SCR-S23 (…)"."""
    label = _(PART_ACTION_LABELS.get(action or "", action or ""))
    text = f"{label}: {moved}" if moved else label
    return f"{text} ({note})" if note else text


@dataclass(frozen=True)
class JobPartLine:
    part_id: int
    sku: str
    name: str
    reserved: int
    used: int
    waiting: int
    arrived: bool
    unit_price: Decimal
    serials: tuple[str, ...]

    @property
    def total(self) -> Decimal:
        return self.unit_price * (self.reserved + self.used)


@dataclass(frozen=True)
class JobPartsView:
    code: str
    status: JobStatus
    currency: str
    estimate: Decimal | None
    lines: tuple[JobPartLine, ...]

    @property
    def parts_total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def waiting_for(self) -> tuple[str, ...]:
        return tuple(line.sku for line in self.lines if line.waiting)


def _load_for_update(uow: UnitOfWork, code: str) -> Job:
    """The job, with its row locked on PostgreSQL so two desks never add its parts twice.

    A desk that waited for the lock finds the job changed and gets :class:`Conflict`
    when it saves (the job's version moved on); SQLite serialises writers anyway.
    """
    job = load_job(uow, code)
    uow.session.execute(select(Job.id).where(Job.id == job.id).with_for_update())
    return job


def _job_part(uow: UnitOfWork, job: Job, part: Part) -> JobPart:
    line = uow.session.scalar(
        select(JobPart).where(JobPart.job_id == job.id, JobPart.part_id == part.id)
    )
    if line is None:
        line = JobPart(
            job_id=job.id,
            part_id=part.id,
            reserved=0,
            used=0,
            waiting=0,
            price_minor=part.price_minor,
        )
        uow.session.add(line)
    return line


def _record_event(
    uow: UnitOfWork, job: Job, user: User, kind: str, *, action: str, text: str, note: str = ""
) -> None:
    """A history line: ``from`` is the movement's key (reserved, used...), ``to`` what moved."""
    now = uow.now()
    uow.session.add(
        JobEvent(job=job, at=now, user=user, kind=kind, from_value=action, to_value=text, note=note)
    )
    job.updated_at = now


def _check_open(job: Job) -> None:
    status = JobStatus(job.status)
    if status in _CLOSED:
        raise ValidationError(
            _("Job {code} is “{status}”: parts can no longer be put on it.").format(
                code=job.code, status=status.label
            )
        )


def _done(uow: UnitOfWork, job: Job, part: Part) -> StockChanged:
    uow.flush()
    return StockChanged(
        part.id, part.sku, part.on_hand, part.reserved, part_changes(part.id, job_ids=[job.id])
    )


def _open_line(
    uow: UnitOfWork, code: str, sku: str, quantity: int, actor: str
) -> tuple[int, User, Job, Part, JobPart, int]:
    """What every part action on a job starts with: checked quantity, who, the locked open
    job, the part, the job's line for it and the job's price before the change."""
    quantity = parse_quantity(quantity)
    user = get_user(uow, actor)
    job = _load_for_update(uow, code)
    part = get_part(uow, sku)
    _check_open(job)
    price_before = current_price_minor(uow, job)
    line = _job_part(uow, job, part)
    return quantity, user, job, part, line, price_before


def reserve_part(
    uow: UnitOfWork,
    code: str,
    sku: str,
    quantity: int,
    actor: str,
    *,
    serials: Sequence[str] = (),
) -> StockChanged:
    """Set units aside for a job (at diagnosis or approval); refused when not available."""
    quantity, user, job, part, line, before = _open_line(uow, code, sku, quantity, actor)
    _reserve(uow, job, part, line, quantity=quantity, user=user, serials=serials)
    guard_price_rise(uow, job, before)
    return _done(uow, job, part)


def _reserve(
    uow: UnitOfWork,
    job: Job,
    part: Part,
    line: JobPart,
    *,
    quantity: int,
    user: User,
    serials: Sequence[str] = (),
    reason: str = "",
) -> None:
    _hold(uow, job, part, quantity=quantity, user=user, serials=serials, reason=reason)
    line.reserved += quantity
    line.waiting = max(0, line.waiting - quantity)
    _part_event(uow, job, user, "reserved", quantity=quantity, part=part, note=part.name)


def _hold(
    uow: UnitOfWork,
    job: Job,
    part: Part,
    *,
    quantity: int,
    user: User,
    release: bool = False,
    serials: Sequence[str] = (),
    reason: str = "",
) -> None:
    """Set ``quantity`` units aside for ``job`` or, ``release``, put them back on the shelf:
    one ledger movement, or one a unit of a serialised part (named, else oldest first)."""
    kind = MovementKind.RELEASED if release else MovementKind.RESERVED
    step = -1 if release else 1
    if part.serialised:
        for unit_id in take_units(
            uow,
            part,
            quantity,
            serials,
            from_status=UnitStatus.RESERVED if release else UnitStatus.IN_STOCK,
            to_status=UnitStatus.IN_STOCK if release else UnitStatus.RESERVED,
            job_id=None if release else job.id,
            from_job_id=job.id if release else None,
        ):
            record_movement(
                uow,
                part,
                kind,
                user,
                reserved_delta=step,
                job_id=job.id,
                unit_id=unit_id,
                reason=reason,
            )
    else:
        record_movement(
            uow,
            part,
            kind,
            user,
            reserved_delta=step * quantity,
            job_id=job.id,
            reason=reason,
        )


def _part_event(
    uow: UnitOfWork, job: Job, user: User, action: str, *, quantity: int, part: Part, note: str
) -> None:
    """The job's history line for ``quantity`` × ``part`` ``action`` (reserved, used...)."""
    _record_event(uow, job, user, "part", action=action, text=f"{quantity} × {part.sku}", note=note)


def use_part(
    uow: UnitOfWork,
    code: str,
    sku: str,
    quantity: int,
    actor: str,
    *,
    serials: Sequence[str] = (),
) -> StockChanged:
    """Fit units in the repair: the job's reservation first, then what is available.

    A serialised part records which units went in: those named in ``serials`` (scanned or
    chosen), else the only ones it can be. With more units that could be it and none named,
    the use is refused with :class:`UnitNotNamed` listing them: the serial goes on the
    customer's warranty and on a manufacturer's claim, so it is never guessed.
    """
    quantity, user, job, part, line, before = _open_line(uow, code, sku, quantity, actor)
    from_reserved = min(quantity, line.reserved)
    note = part.name
    if part.serialised:
        fitted = _use_units(
            uow,
            job,
            part,
            quantity=quantity,
            from_reserved=from_reserved,
            serials=serials,
            user=user,
        )
        note = _("{name}, serial {serials}").format(name=part.name, serials=", ".join(fitted))
    else:
        record_movement(
            uow,
            part,
            MovementKind.USED,
            user,
            on_hand_delta=-quantity,
            reserved_delta=-from_reserved,
            job_id=job.id,
        )
    line.reserved -= from_reserved
    line.used += quantity
    line.waiting = max(0, line.waiting - (quantity - from_reserved))
    _part_event(uow, job, user, "used", quantity=quantity, part=part, note=note)
    guard_price_rise(uow, job, before)
    return _done(uow, job, part)


MAX_UNITS_LISTED = 12
"""A refusal for want of a serial lists at most this many units (the desk offers them all)."""


def _use_units(
    uow: UnitOfWork,
    job: Job,
    part: Part,
    *,
    quantity: int,
    from_reserved: int,
    serials: Sequence[str],
    user: User,
) -> list[str]:
    """Fit units of a serialised part; the serials fitted, in the order named.

    A named unit on the shelf may stand in for one the job reserved (the technician took
    another from the drawer): the reserved one goes back on the shelf, so the counts move
    as if the reservation had been used.
    """
    mine = list(
        uow.session.scalars(
            select(PartUnit)
            .where(
                PartUnit.part_id == part.id,
                PartUnit.status == UnitStatus.RESERVED.value,
                PartUnit.job_id == job.id,
            )
            .order_by(PartUnit.id)
        )
    )
    named = [serial.strip() for serial in serials if serial.strip()]
    if named:
        fitted = _named_units(uow, job, part, quantity, named)
        fitted_mine = sum(1 for unit in fitted if unit.status == UnitStatus.RESERVED.value)
        give_way = [unit for unit in mine if unit not in fitted][: from_reserved - fitted_mine]
    else:
        on_shelf = quantity - from_reserved
        shelf = list(
            uow.session.scalars(
                select(PartUnit)
                .where(
                    PartUnit.part_id == part.id,
                    PartUnit.status == UnitStatus.IN_STOCK.value,
                )
                .order_by(PartUnit.id)
                .limit(max(on_shelf, MAX_UNITS_LISTED) + 1)
            )
        )
        if on_shelf > len(shelf):
            raise out_of_stock(part, quantity)
        if from_reserved < len(mine) or (on_shelf and len(shelf) > on_shelf):
            raise _unit_not_named(uow, part, quantity, mine)
        fitted, give_way = mine[:from_reserved] + shelf[:on_shelf], []
    was_reserved = [unit.status == UnitStatus.RESERVED.value for unit in fitted]
    names = [unit.serial for unit in fitted]
    freed = move_units(uow, part, give_way, to_status=UnitStatus.IN_STOCK, job_id=None)
    for unit_id in freed:
        record_movement(
            uow,
            part,
            MovementKind.RELEASED,
            user,
            reserved_delta=-1,
            job_id=job.id,
            unit_id=unit_id,
            reason=_("another unit went in"),
        )
    used = move_units(uow, part, fitted, to_status=UnitStatus.USED, job_id=job.id)
    for unit_id, reserved in zip(used, was_reserved, strict=True):
        record_movement(
            uow,
            part,
            MovementKind.USED,
            user,
            on_hand_delta=-1,
            reserved_delta=-1 if reserved else 0,
            job_id=job.id,
            unit_id=unit_id,
        )
    return names


def _named_units(
    uow: UnitOfWork, job: Job, part: Part, quantity: int, named: list[str]
) -> list[PartUnit]:
    """The named units, each on the shelf or reserved for this job; refused otherwise."""
    if len(named) != quantity:
        raise ValidationError(
            _("Give one serial per unit ({quantity} needed, {given} given).").format(
                quantity=quantity, given=len(named)
            ),
            field="serials",
        )
    if len(set(named)) != len(named):
        raise ValidationError(_("A serial is given twice."), field="serials")
    found = {
        unit.serial: unit
        for unit in uow.session.scalars(
            select(PartUnit).where(PartUnit.part_id == part.id, PartUnit.serial.in_(named))
        )
    }
    for serial in named:
        unit = found.get(serial)
        if unit is not None and unit.status == UnitStatus.RESERVED.value and unit.job_id != job.id:
            other = uow.session.get(Job, unit.job_id) if unit.job_id else None
            raise ValidationError(
                _("{sku}: the unit with serial {serial} is reserved for job {code}.").format(
                    sku=part.sku, serial=serial, code=other.code if other else "?"
                ),
                field="serials",
            )
        if unit is None or unit.status not in (
            UnitStatus.IN_STOCK.value,
            UnitStatus.RESERVED.value,
        ):
            raise ValidationError(
                _("{sku}: no unit with serial {serial} is available for this.").format(
                    sku=part.sku, serial=serial
                ),
                field="serials",
            )
    return [found[serial] for serial in named]


def _unit_not_named(
    uow: UnitOfWork, part: Part, quantity: int, mine: list[PartUnit]
) -> UnitNotNamed:
    """The refusal naming the units that could have gone in: the job's own, then the shelf's."""
    shelf = uow.session.scalars(
        select(PartUnit.serial)
        .where(PartUnit.part_id == part.id, PartUnit.status == UnitStatus.IN_STOCK.value)
        .order_by(PartUnit.id)
    ).all()
    serials = tuple(unit.serial for unit in mine) + tuple(shelf)
    listed = ", ".join(serials[:MAX_UNITS_LISTED])
    if len(serials) > MAX_UNITS_LISTED:
        listed += ", …"
    message = ngettext(
        "{sku} is serialised: say which unit went in ({quantity} of {count}: {serials}).",
        "{sku} is serialised: say which units went in ({quantity} of {count}: {serials}).",
        quantity,
    ).format(sku=part.sku, quantity=quantity, count=len(serials), serials=listed)
    return UnitNotNamed(
        message, sku=part.sku, serials=serials, reserved=len(mine), quantity=quantity
    )


def release_part(
    uow: UnitOfWork,
    code: str,
    sku: str,
    quantity: int | None,
    actor: str,
    *,
    reason: str = "",
) -> StockChanged:
    """Put reserved units back on the shelf (``None``: all this job reserved)."""
    user = get_user(uow, actor)
    job = _load_for_update(uow, code)
    part = get_part(uow, sku)
    line = uow.session.scalar(
        select(JobPart).where(JobPart.job_id == job.id, JobPart.part_id == part.id)
    )
    held = line.reserved if line is not None else 0
    quantity = held if quantity is None else parse_quantity(quantity)
    if line is None or quantity == 0 or quantity > held:
        raise ValidationError(
            _("Job {code} has {held} × {sku} reserved; {quantity} cannot be released.").format(
                code=job.code, held=held, sku=part.sku, quantity=quantity
            ),
            field="quantity",
        )
    _release(uow, job, part, line, quantity=quantity, user=user, reason=reason)
    return _done(uow, job, part)


def _release(
    uow: UnitOfWork, job: Job, part: Part, line: JobPart, *, quantity: int, user: User, reason: str
) -> None:
    _hold(uow, job, part, quantity=quantity, user=user, release=True, reason=reason)
    line.reserved -= quantity
    _part_event(uow, job, user, "released", quantity=quantity, part=part, note=reason or part.name)


def free_parts_of_cancelled_job(uow: UnitOfWork, event: JobCancelled) -> Changes:
    """A cancelled job gives back everything it held and stops waiting for parts.

    Runs in the cancelling action's unit of work (wired in :mod:`repairshop.bootstrap`);
    the result names every part whose stock or waiting list changed.
    """
    job = uow.session.get(Job, event.job_id)
    assert job is not None
    user = get_user(uow, event.actor)
    lines = uow.session.scalars(
        select(JobPart).where(JobPart.job_id == job.id).order_by(JobPart.id)
    )
    touched: list[int] = []
    for line in lines:
        if not (line.reserved or line.waiting):
            continue
        part = uow.session.get(Part, line.part_id)
        assert part is not None
        line.waiting = 0
        if line.reserved:
            _release(uow, job, part, line, quantity=line.reserved, user=user, reason=event.reason)
        touched.append(part.id)
    return job_parts_changes(job.id, touched) if touched else Changes()


def wait_for_part(
    uow: UnitOfWork, code: str, sku: str, quantity: int, actor: str, *, note: str = ""
) -> StockChanged:
    """The job waits for ``quantity`` units: it moves to ``awaiting_parts`` naming the part."""
    quantity, user, job, part, line, before = _open_line(uow, code, sku, quantity, actor)
    line.waiting += quantity
    line.waiting_since = line.waiting_since or uow.now()
    line.arrived_at = None
    _part_event(uow, job, user, "waiting", quantity=quantity, part=part, note=note or part.name)
    guard_price_rise(uow, job, before)
    uow.flush()
    moved = Changes()
    if JobStatus(job.status) is not JobStatus.AWAITING_PARTS:
        moved = change_status(
            uow,
            job.code,
            JobStatus.AWAITING_PARTS,
            actor,
            note=_("Waiting for {name} ({sku})").format(name=part.name, sku=part.sku),
        ).changes
    done = _done(uow, job, part)
    return replace(done, changes=done.changes | moved)


def serve_waiting_jobs(uow: UnitOfWork, part: Part, user: User) -> list[int]:
    """Reserve newly received stock for the jobs waiting for it, oldest wait first."""
    waiting = list(
        uow.session.scalars(
            select(JobPart)
            .where(JobPart.part_id == part.id, JobPart.waiting > 0)
            .order_by(JobPart.waiting_since, JobPart.id)
        )
    )
    served: list[int] = []
    for line in waiting:
        available = part.on_hand - part.reserved
        if available <= 0:
            break
        job = uow.session.get(Job, line.job_id)
        assert job is not None
        quantity = min(line.waiting, available)
        _reserve(uow, job, part, line, quantity=quantity, user=user, reason=_("parts arrived"))
        if line.waiting == 0:
            line.arrived_at = uow.now()
            _record_event(
                uow,
                job,
                user,
                "parts_arrived",
                action="arrived",
                text=f"{line.reserved} × {part.sku}",
                note=part.name,
            )
        served.append(job.id)
    uow.flush()
    return served


def receive_part(
    uow: UnitOfWork,
    sku: str,
    quantity: int,
    actor: str,
    *,
    cost: Decimal | None = None,
    serials: Sequence[str] = (),
    reason: str = "",
    order_id: int | None = None,
) -> StockChanged:
    """Stock in (a delivery or a purchase order); frees jobs waiting for the part.

    With a unit cost, the catalogue cost becomes the weighted average of the stock
    on hand and the delivery (:func:`~repairshop.domain.stock_cost.weighted_cost`);
    the result's ``cost_change`` says what it was and what it is now.
    """
    quantity = parse_quantity(quantity)
    user = get_user(uow, actor)
    part = get_part(uow, sku)
    if cost is not None and cost < 0:
        raise ValidationError(_("A cost cannot be negative."), field="cost")
    cost_minor = to_minor(cost, part.currency) if cost is not None else None
    if part.serialised:
        for unit_id in add_units(uow, part, serials, quantity):
            record_movement(
                uow,
                part,
                MovementKind.RECEIVED,
                user,
                on_hand_delta=1,
                reason=reason,
                order_id=order_id,
                unit_id=unit_id,
                unit_cost_minor=cost_minor,
            )
    else:
        record_movement(
            uow,
            part,
            MovementKind.RECEIVED,
            user,
            on_hand_delta=quantity,
            reason=reason,
            order_id=order_id,
            unit_cost_minor=cost_minor,
        )
    cost_change = None
    if cost_minor is not None:
        on_hand_before = part.on_hand - quantity
        before = part.cost_minor
        part.cost_minor = weighted_cost(on_hand_before, before, quantity, cost_minor)
        cost_change = CostChange(
            before=from_minor(before, part.currency),
            after=from_minor(part.cost_minor, part.currency),
            currency=part.currency,
            on_hand_before=on_hand_before,
            received=quantity,
            unit_cost=from_minor(cost_minor, part.currency),
        )
    served = serve_waiting_jobs(uow, part, user)
    uow.flush()
    return StockChanged(
        part.id,
        part.sku,
        part.on_hand,
        part.reserved,
        part_changes(part.id, job_ids=served),
        cost_change,
    )


def job_parts(uow: UnitOfWork, code: str) -> JobPartsView:
    """The job card's Parts tab: each part with its price, and the parts total."""
    job = load_job_row(uow, code)
    rows = uow.session.execute(
        select(JobPart, Part)
        .join(Part, Part.id == JobPart.part_id)
        .where(JobPart.job_id == job.id)
        .order_by(JobPart.id)
    ).all()
    lines = []
    for line, part in rows:
        serials: tuple[str, ...] = ()
        if part.serialised:
            serials = tuple(
                uow.session.scalars(
                    select(PartUnit.serial)
                    .where(PartUnit.part_id == part.id, PartUnit.job_id == job.id)
                    .order_by(PartUnit.id)
                )
            )
        if line.reserved or line.used or line.waiting:
            lines.append(
                JobPartLine(
                    part_id=part.id,
                    sku=part.sku,
                    name=part.name,
                    reserved=line.reserved,
                    used=line.used,
                    waiting=line.waiting,
                    arrived=line.arrived_at is not None,
                    unit_price=from_minor(line.price_minor, part.currency),
                    serials=serials,
                )
            )
    estimate = None if job.estimate_minor is None else from_minor(job.estimate_minor, job.currency)
    return JobPartsView(job.code, JobStatus(job.status), job.currency, estimate, tuple(lines))


@dataclass(frozen=True)
class ArrivedJob:
    code: str
    parts: tuple[str, ...]
    arrived_at: datetime


def jobs_with_parts_arrived(uow: UnitOfWork) -> list[ArrivedJob]:
    """Jobs in ``awaiting_parts`` whose awaited parts have all arrived: work can resume."""
    rows = uow.session.execute(
        select(Job.id, Job.code, Part.sku, JobPart.waiting, JobPart.arrived_at)
        .join(JobPart, JobPart.job_id == Job.id)
        .join(Part, Part.id == JobPart.part_id)
        .where(Job.status == JobStatus.AWAITING_PARTS.value)
        .order_by(Job.id)
    ).all()
    by_job: dict[int, tuple[str, list[str], list[datetime], bool]] = {}
    for job_id, code, sku, waiting, arrived_at in rows:
        entry = by_job.setdefault(job_id, (code, [], [], True))
        still_waiting = entry[3] and waiting == 0
        if arrived_at is not None:
            entry[1].append(sku)
            entry[2].append(arrived_at)
        by_job[job_id] = (entry[0], entry[1], entry[2], still_waiting)
    return [
        ArrivedJob(code, tuple(skus), max(moments))
        for code, skus, moments, all_arrived in by_job.values()
        if all_arrived and skus
    ]


def job_parts_changes(job_id: int, part_ids: Sequence[int]) -> Changes:
    return part_changes(*part_ids, job_ids=[job_id])


def job_parts_to_json(view: JobPartsView) -> dict[str, object]:
    return {
        "code": view.code,
        "status": view.status.value,
        "currency": view.currency,
        "estimate": None if view.estimate is None else str(view.estimate),
        "parts_total": str(view.parts_total),
        "parts": [
            {
                "sku": line.sku,
                "name": line.name,
                "reserved": line.reserved,
                "used": line.used,
                "waiting": line.waiting,
                "arrived": line.arrived,
                "unit_price": str(line.unit_price),
                "total": str(line.total),
                "serials": list(line.serials),
            }
            for line in view.lines
        ],
    }
