"""A week in a small shop, built through the services with a hand-moved clock.

Every figure the reports give for it is worked out by hand in the comments, so
the tests compare against answers known in advance. The shop (time zone UTC
to keep the arithmetic plain) is open Monday to Friday 08:00-17:00, closed at
the weekend. Tuesday 2026-03-10 09:00 is the start.

A (tomas, phone): on hold and back.
    Tue 09:00 in, 10:00 diagnosing, 12:00 on hold, 16:00 diagnosing again,
    17:00 in repair, Wed 09:00 testing, Wed 10:00 ready, Thu 10:00 collected.
    To ready 25 h (business: Tue 8 h + Wed 2 h = 10 h); to collection 49 h.
B (tomas, laptop): awaiting parts twice.
    Tue 09:00 in, 10:00 diagnosing, 11:00 awaiting parts, Thu 11:00 in repair,
    Thu 13:00 awaiting parts, Fri 13:00 in repair, Fri 15:00 testing, Fri 16:00 ready.
    To ready 79 h (business 8 + 9 + 9 + 8 = 34 h). Promised Thursday: late.
C (marek, phone): cancelled and returned unrepaired.
    Tue 09:00 in, 11:00 diagnosing, 15:00 cancelled, Wed 09:00 ready, Wed 12:00 collected.
    To ready 24 h (business 8 + 1 = 9 h); to collection 27 h.
D (marek, laptop): across the weekend.
    Fri 15:00 in, 16:00 diagnosing, 16:30 in repair, Mon 10:00 testing, Mon 11:00 ready.
    To ready 68 h calendar, 5 h business (Fri 15-17, Mon 08-11).
E (tomas, phone): still waiting for parts; promised Thursday, so overdue.
    Tue 09:00 in, 10:30 diagnosing, 11:30 awaiting parts.
F (nobody, tablet): taken in Monday 11:30, just received.
Now: Monday 2026-03-16 12:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from repairshop.domain.opening_hours import OpeningHours
from repairshop.domain.statuses import JobStatus
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import assign
from repairshop.services.shop.opening_hours import write_opening_hours
from repairshop.services.shop.users import add_user
from tests.helpers import SettableClock, intake_document, move_or_collect

S = JobStatus
WORKDAY = ((time(8), time(17)),)
OPENING = OpeningHours(week=(WORKDAY,) * 5 + ((), ()), timezone="UTC")
NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@dataclass
class Week:
    codes: dict[str, str]


DEVICES: dict[str, dict[str, Any]] = {
    "phone": {"type": "phone", "brand": "Samsung", "model": "Galaxy S23"},
    "laptop": {"type": "laptop", "brand": "Lenovo", "model": "ThinkPad T14"},
    "tablet": {"type": "tablet", "brand": "Apple", "model": "iPad Air"},
}

JOBS: dict[str, tuple[str, str | None, str | None]] = {
    "A": ("phone", "tomas", "2026-03-11"),
    "B": ("laptop", "tomas", "2026-03-12"),
    "C": ("phone", "marek", "2026-03-11"),
    "D": ("laptop", "marek", "2026-03-16"),
    "E": ("phone", "tomas", "2026-03-12"),
    "F": ("tablet", None, "2026-03-20"),
}

MOVES: tuple[tuple[datetime, str, JobStatus | None], ...] = (
    # None: the job is taken in at that moment.
    (at(10, 10), "A", S.DIAGNOSING),
    (at(10, 10), "B", S.DIAGNOSING),
    (at(10, 10, 30), "E", S.DIAGNOSING),
    (at(10, 11), "B", S.AWAITING_PARTS),
    (at(10, 11), "C", S.DIAGNOSING),
    (at(10, 11, 30), "E", S.AWAITING_PARTS),
    (at(10, 12), "A", S.ON_HOLD),
    (at(10, 15), "C", S.CANCELLED),
    (at(10, 16), "A", S.DIAGNOSING),
    (at(10, 17), "A", S.IN_REPAIR),
    (at(11, 9), "A", S.TESTING),
    (at(11, 9), "C", S.READY),
    (at(11, 10), "A", S.READY),
    (at(11, 12), "C", S.COLLECTED),
    (at(12, 10), "A", S.COLLECTED),
    (at(12, 11), "B", S.IN_REPAIR),
    (at(12, 13), "B", S.AWAITING_PARTS),
    (at(13, 13), "B", S.IN_REPAIR),
    (at(13, 15), "B", S.TESTING),
    (at(13, 15), "D", None),
    (at(13, 16), "B", S.READY),
    (at(13, 16), "D", S.DIAGNOSING),
    (at(13, 16, 30), "D", S.IN_REPAIR),
    (at(16, 10), "D", S.TESTING),
    (at(16, 11), "D", S.READY),
    (at(16, 11, 30), "F", None),
)


def build_week(db: Database, clock: SettableClock) -> Week:
    clock.now = at(10, 8)
    with db.unit_of_work() as uow:
        add_user(uow, "tomas", "Tomáš Hrubý", "technician", "admin")
        add_user(uow, "marek", "Marek Kubíček", "technician", "admin")
        write_opening_hours(uow, OPENING)
        uow.commit()
    codes: dict[str, str] = {}
    clock.now = at(10, 9)
    for name in "ABCE":
        codes[name] = _take_in(db, name)
    for moment, name, target in MOVES:
        clock.now = moment
        if target is None:
            codes[name] = _take_in(db, name)
            continue
        with db.unit_of_work() as uow:
            move_or_collect(uow, codes[name], target)
            uow.commit()
    clock.now = NOW
    return Week(codes)


def _take_in(db: Database, name: str) -> str:
    device, technician, promised = JOBS[name]
    document = intake_document(device=DEVICES[device], preapproved="5000", promised=promised)
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(document), "admin").code
        if technician:
            assign(uow, code, technician, "admin")
        uow.commit()
    return code
