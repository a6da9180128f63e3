"""Demo data that looks like a real shop's last six months.

The rows are made in ranges of ticket numbers, each into a SQLite file of plain
tables (a big run's ranges by two other processes, side by side), and go in
through the database driver, never the ORM (``INSERT … SELECT`` from the attached
file on SQLite, ``COPY`` on PostgreSQL), all in one transaction: a cancelled or
failed run leaves the database empty, as it was. Every job's history is one of a few
workflow paths checked against the status rules when this module loads, so the
demo never shows a move the app would refuse.
"""

from __future__ import annotations

import heapq
import itertools
import multiprocessing
import os
import random
import sqlite3
import tempfile
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import event, func, select, text

from repairshop.db.engine import SQLITE_CACHE_KIB, sqlite_file
from repairshop.db.tables import Counter, Job, User
from repairshop.demo.catalogue import (
    CLERKS,
    COLOURS,
    COUNTRIES,
    DEVICE_FAMILIES,
    MANAGER,
    NOTES,
    TECHNICIANS,
    TRANSLITERATION,
    Country,
    DeviceFamily,
)
from repairshop.demo.parts import add_demo_parts
from repairshop.demo.search_index import IndexCopy, NotCopyable, build_in_range, declaration
from repairshop.domain.codes import format_ticket_code
from repairshop.domain.complaints import (
    ComplaintOutcome,
    ComplaintRules,
    Remedy,
    complaint_deadlines,
)
from repairshop.domain.contacts import full_name, phone_search_forms
from repairshop.domain.folding import fold
from repairshop.domain.statuses import JobStatus, JobType, TransitionContext, check_move
from repairshop.domain.working_days import WorkingCalendar
from repairshop.errors import RepairShopError, ValidationError
from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.money.payments import record_deposits_taken
from repairshop.services.shop.settings import ShopSettings, write_settings
from repairshop.services.uow import UnitOfWork

Progress = Callable[[int, int, str], bool]
"""``progress(done, total, stage)``; returning False cancels (everything is rolled back)."""

BATCH = 20_000
HISTORY_DAYS = 183
S = JobStatus


class DemoCancelled(RepairShopError):
    """The person cancelled; nothing was written."""


@dataclass(frozen=True)
class DemoOptions:
    jobs: int = 2000
    seed: int = 1
    now: datetime | None = None


@dataclass(frozen=True)
class DemoResult:
    jobs: int
    customers: int
    events: int


# (path, weight, job types it suits). Each step's stay is drawn from STAY_HOURS.
_PATHS: tuple[tuple[tuple[JobStatus, ...], int, frozenset[JobType]], ...] = (
    (
        (
            S.RECEIVED,
            S.DIAGNOSING,
            S.AWAITING_APPROVAL,
            S.IN_REPAIR,
            S.TESTING,
            S.READY,
            S.COLLECTED,
        ),
        40,
        frozenset({JobType.PAID_REPAIR, JobType.ESTIMATE}),
    ),
    (
        (S.RECEIVED, S.DIAGNOSING, S.IN_REPAIR, S.TESTING, S.READY, S.COLLECTED),
        30,
        frozenset(JobType),
    ),
    (
        (
            S.RECEIVED,
            S.DIAGNOSING,
            S.AWAITING_APPROVAL,
            S.AWAITING_PARTS,
            S.IN_REPAIR,
            S.TESTING,
            S.READY,
            S.COLLECTED,
        ),
        14,
        frozenset({JobType.PAID_REPAIR}),
    ),
    (
        (S.RECEIVED, S.DIAGNOSING, S.AWAITING_PARTS, S.IN_REPAIR, S.TESTING, S.READY, S.COLLECTED),
        8,
        frozenset({JobType.WARRANTY_CLAIM, JobType.COMPLAINT}),
    ),
    (
        (
            S.RECEIVED,
            S.DIAGNOSING,
            S.IN_REPAIR,
            S.TESTING,
            S.IN_REPAIR,
            S.TESTING,
            S.READY,
            S.COLLECTED,
        ),
        5,
        frozenset(JobType),
    ),
    (
        (S.RECEIVED, S.DIAGNOSING, S.AWAITING_APPROVAL, S.CANCELLED, S.READY, S.COLLECTED),
        9,
        frozenset({JobType.PAID_REPAIR, JobType.ESTIMATE}),
    ),
    (
        (
            S.RECEIVED,
            S.DIAGNOSING,
            S.AWAITING_APPROVAL,
            S.ON_HOLD,
            S.AWAITING_APPROVAL,
            S.IN_REPAIR,
            S.TESTING,
            S.READY,
            S.COLLECTED,
        ),
        5,
        frozenset({JobType.PAID_REPAIR}),
    ),
    (
        (S.RECEIVED, S.DIAGNOSING, S.CANCELLED, S.READY, S.COLLECTED),
        4,
        frozenset(JobType),
    ),
    (
        (
            S.RECEIVED,
            S.DIAGNOSING,
            S.IN_REPAIR,
            S.AWAITING_PARTS,
            S.IN_REPAIR,
            S.TESTING,
            S.READY,
            S.COLLECTED,
        ),
        4,
        frozenset(JobType),
    ),
)

STAY_HOURS: dict[JobStatus, tuple[float, float]] = {
    S.RECEIVED: (0.5, 30),
    S.DIAGNOSING: (0.5, 26),
    S.AWAITING_APPROVAL: (1, 72),
    S.AWAITING_PARTS: (24, 260),
    S.IN_REPAIR: (0.5, 48),
    S.TESTING: (0.3, 20),
    S.ON_HOLD: (24, 240),
    S.CANCELLED: (0.2, 6),
    S.READY: (2, 300),
}

JOB_TYPE_WEIGHTS = (
    (JobType.PAID_REPAIR, 72),
    (JobType.WARRANTY_CLAIM, 16),
    (JobType.COMPLAINT, 5),
    (JobType.ESTIMATE, 7),
)


def _check_paths() -> None:
    """Walk every path through the real rules (estimate within pre-approval when it skips)."""
    for path, _weight, job_types in _PATHS:
        for job_type in job_types:
            resume: JobStatus | None = None
            for current, target in itertools.pairwise(path):
                context = TransitionContext(job_type, resume, 100, 100)
                check_move("DEMO", current, target, context)
                if target in (S.ON_HOLD, S.AWAITING_PARTS):
                    resume = current if current not in (S.ON_HOLD, S.AWAITING_PARTS) else resume
                else:
                    resume = None


_check_paths()


@cache
def _ascii(text: str) -> str:
    text = text.lower().translate(TRANSLITERATION)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _expand(pairs: Sequence[tuple[Any, int]]) -> list[Any]:
    """A list in which each item stands ``weight`` times: a weighted pick is one index."""
    return [item for item, weight in pairs for _n in range(weight)]


@cache
def _time_of_day_texts() -> tuple[str, ...]:
    return tuple(
        f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000000"
        for second in range(86_400)
    )


@dataclass
class _Tables:
    customers: list[tuple[Any, ...]]
    devices: list[tuple[Any, ...]]
    jobs: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    lines: list[tuple[Any, ...]]
    complaints: list[tuple[Any, ...]]


USER_COLUMNS = ("id", "login", "display_name", "role", "active", "created_at")
CUSTOMER_COLUMNS = (
    "id",
    "name",
    "phone",
    "email",
    "language",
    "consent_to_contact",
    "notes",
    "created_at",
)
DEVICE_COLUMNS = (
    "id",
    "customer_id",
    "device_type",
    "brand",
    "model",
    "serial",
    "imei",
    "colour",
    "created_at",
)
JOB_COLUMNS = (
    "id",
    "code",
    "customer_id",
    "device_id",
    "job_type",
    "status",
    "resume_status",
    "outcome",
    "fault",
    "accessories",
    "condition",
    "passcode",
    "estimate_minor",
    "preapproved_minor",
    "deposit_minor",
    "currency",
    "promised",
    "purchase_date",
    "proof_of_purchase",
    "assignee_id",
    "created_by_id",
    "created_at",
    "status_changed_at",
    "updated_at",
    "search_text",
    "search_device",
    "version",
    "complaint_of_id",
    "approved_minor",
    "approved_at",
    "approved_by_id",
    "approval_method",
    "ready_at",
    "collected_at",
    # The job list's sort keys, copies of the customer's, device's and technician's
    # (services/jobs/sort_keys.py).
    "customer_name",
    "device_type",
    "device_brand",
    "device_model",
    "assignee_name",
)
EVENT_COLUMNS = ("job_id", "at", "user_id", "kind", "from_value", "to_value", "note")
LINE_COLUMNS = (
    "job_id",
    "description",
    "quantity",
    "unit_price_minor",
    "vat_rate_bp",
    "price_includes_vat",
    "created_by_id",
    "created_at",
)
COMPLAINT_COLUMNS = (
    "job_id",
    "received",
    "remedy",
    "country",
    "deadline_days",
    "working_days",
    "decide_by",
    "reply_by",
    "first_due",
    "accepted_if_unanswered",
    "decided_at",
    "decided_on",
    "outcome",
    "settled_by",
    "reason",
    "decided_by_id",
)
_DAY = 86_400
_PAST_DAYS = 800
"""How far before the demo's start a purchase date may lie."""


class _Collected(NamedTuple):
    """A repair that went back to its customer: what a later complaint is about (a named
    tuple: one is made for most jobs, several times faster than a frozen dataclass)."""

    job_id: int
    collected_s: int
    customer_id: int
    device_id: int
    family: DeviceFamily
    brand: str
    model: str
    serial: str | None
    imei: str | None
    fault: str


class _DemoComplaint:
    """A demo complaint's deadlines (the Czech 30 days) and, once the workshop takes it up or
    turns it down, its decision."""

    def __init__(self, generator: _Generator, created_s: int, random_: Callable[[], float]):
        self.received = generator.date_texts[_PAST_DAYS + created_s // _DAY]
        self.remedy = generator.remedies[int(random_() * len(generator.remedies))]
        self.deadlines = complaint_deadlines(
            date.fromisoformat(self.received), self.remedy, _COMPLAINT_RULES, generator.calendar
        )
        self.stamp = generator.stamp
        self.decided: tuple[str, str, str, str | None, str] | None = None

    def decide(
        self, target: JobStatus, moment: int, now_s: int, random_: Callable[[], float]
    ) -> tuple[str, str, str] | None:
        """When ``target`` shows the workshop's view, the decision follows: mostly within
        days, sometimes after weeks (a manufacturer's assessment); one that would come after now
        is made at the step itself. The history event's moment, value and note."""
        if self.decided is not None or target not in (S.CANCELLED, S.IN_REPAIR, S.AWAITING_PARTS):
            return None
        draw = random_()
        low, high = (0, 3) if draw < 0.7 else (3, 20) if draw < 0.9 else (25, 45)
        later = _working_hours(moment + int((low + (high - low) * random_()) * _DAY), random_)
        at = self.stamp(later if later < now_s else moment)
        if target is S.CANCELLED:
            self.decided = (at, at[:10], ComplaintOutcome.REJECTED.value, None, _REJECTED)
            return at, ComplaintOutcome.REJECTED.value, _REJECTED
        settled = Remedy.REPAIR.value
        self.decided = (at, at[:10], ComplaintOutcome.ACCEPTED.value, settled, _ACCEPTED)
        return at, f"{ComplaintOutcome.ACCEPTED.value} {settled}", _ACCEPTED

    def row(self, job_id: int, manager_id: int) -> tuple[Any, ...]:
        deadlines = self.deadlines
        decided_at, decided_on, outcome, settled, reason = self.decided or (
            None, None, None, None, "",
        )  # fmt: skip
        return (
            job_id,
            self.received,
            self.remedy.value,
            "CZ",
            deadlines.days,
            int(deadlines.working_days),
            deadlines.decide_by.isoformat(),
            None,
            deadlines.first.isoformat(),
            0,
            decided_at,
            decided_on,
            outcome,
            settled,
            reason,
            manager_id if decided_at else None,
        )


class _Generator:
    """Makes rows batch by batch, in storage form (moments as naive-UTC text).

    Ids are assigned here, as the database is empty. Time runs in whole seconds
    from the first day's midnight, so a moment's text is two table look-ups.
    """

    def __init__(
        self, options: DemoOptions, now: datetime, first_user_id: int, seed: int | str
    ) -> None:
        self.rng = random.Random(seed)
        self.total = options.jobs
        first_day = (now - timedelta(days=HISTORY_DAYS)).date()
        origin = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
        self.now_s = int((now - origin).total_seconds())
        days = self.now_s // _DAY + 30
        self.date_texts = [
            (first_day + timedelta(days=offset)).isoformat() for offset in range(-_PAST_DAYS, days)
        ]
        self.weekdays = [(first_day + timedelta(days=offset)).weekday() for offset in range(days)]
        self.times = _time_of_day_texts()
        self.dates = self.date_texts[_PAST_DAYS:]
        """The days from the first, by day number (a moment's date is ``dates[second // _DAY]``)."""
        self.spaced_times = tuple(" " + moment for moment in self.times)
        start_text = self.stamp(0)
        technician_count = min(len(TECHNICIANS), max(4, options.jobs // 400))
        staff = [(login, name, "technician") for login, name in TECHNICIANS[:technician_count]]
        staff += [(login, name, "clerk") for login, name in CLERKS]
        staff.append((MANAGER[0], MANAGER[1], "manager"))
        self.users = [
            (first_user_id + n, login, name, role, 1, start_text)
            for n, (login, name, role) in enumerate(staff)
        ]
        self.technician_ids = [row[0] for row in self.users if row[3] == "technician"]
        self.manager_id = next(row[0] for row in self.users if row[3] == "manager")
        self.pending: list[tuple[int, int, _Collected]] = []
        """Collected repairs by the moment they left, not yet a day old at the latest intake."""
        self.collected: deque[_Collected] = deque(maxlen=400)
        self.nearly_due_made = False
        self.calendar = WorkingCalendar("CZ")
        self.remedies = _expand(_REMEDY_WEIGHTS)
        self.clerk_ids = [row[0] for row in self.users if row[3] == "clerk"]
        self.logins = {row[0]: row[1] for row in self.users}
        self.user_names: dict[int | None, str | None] = {row[0]: row[2] for row in self.users}
        self.user_names[None] = None
        self.customers: list[str] = [""]
        """Per customer id, the part of a job's search text that comes from the customer."""
        self.customer_names: list[str] = [""]
        """Per customer id, the name (a job's copy of it, for the list's order)."""
        self.device_count = 0
        self.countries = _expand([(country, country.weight) for country in COUNTRIES])
        self.families = _expand([(family, family.weight) for family in DEVICE_FAMILIES])
        self.job_types = _expand(JOB_TYPE_WEIGHTS)
        self.paths = {
            job_type: _expand(
                [(path, weight) for path, weight, types in _PATHS if job_type in types]
            )
            for job_type in JobType
        }
        self.stays = {
            status: (int(low * 3600), int((high - low) * 3600))
            for status, (low, high) in STAY_HOURS.items()
        }

    def stamp(self, second: int) -> str:
        return self.date_texts[_PAST_DAYS + second // _DAY] + " " + self.times[second % _DAY]

    def _new_customer(self, created: str) -> tuple[Any, ...]:
        rng = self.rng
        random_ = rng.random
        country: Country = self.countries[int(random_() * len(self.countries))]
        female = random_() < 0.5
        firsts = country.female_first if female else country.male_first
        first = firsts[int(random_() * len(firsts))]
        surnames = country.surnames(female)
        surname = surnames[int(random_() * len(surnames))]
        prefixes = country.mobile_prefixes
        digits = country.digits_after_prefix
        number = str(int(random_() * 10**digits)).zfill(digits)
        phone = "+" + country.calling_code + prefixes[int(random_() * len(prefixes))] + number
        email = None
        if random_() < 0.7:
            local = f"{_ascii(first)}.{_ascii(surname)}"
            if random_() < 0.5:
                local += str(10 + int(random_() * 89))
            domains = country.mail_domains
            email = f"{local}@{domains[int(random_() * len(domains))]}"
        name = full_name(first, surname, country.language)
        customer_id = len(self.customers)
        # customer_search_text(name, phone, email), with the name's folding remembered
        # (folding is character by character, so the parts fold alike apart or together)
        text = " ".join((_folded(name), *_phone_forms(phone, country.calling_code)))
        self.customers.append(text + " " + email if email else text)
        self.customer_names.append(name)
        return (
            customer_id,
            name,
            phone,
            email,
            country.language,
            int(random_() < 0.6),
            "",
            created,
        )

    def _original_for(self, created_s: int) -> _Collected | None:
        """A job collected at least a day before ``created_s`` (within half a year) that a
        complaint can be about: one of the latest few, at random."""
        while self.pending and self.pending[0][0] <= created_s - _DAY:
            self.collected.append(heapq.heappop(self.pending)[2])
        fitting = [
            done
            for done in itertools.islice(reversed(self.collected), 20)
            if created_s - done.collected_s <= 180 * _DAY
        ]
        return fitting[int(self.rng.random() * len(fitting))] if fitting else None

    def batch(self, first: int, count: int) -> _Tables:
        rng = self.rng
        random_ = rng.random
        dates, times = self.dates, self.spaced_times
        now_s = self.now_s
        customers: list[tuple[Any, ...]] = []
        devices: list[tuple[Any, ...]] = []
        jobs: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        complaints: list[tuple[Any, ...]] = []
        add_event = events.append
        # Statuses and job types as locals: the loop compares them millions of times.
        (
            s_awaiting_approval,
            s_awaiting_parts,
            s_cancelled,
            s_collected,
            s_diagnosing,
            s_on_hold,
            s_ready,
            s_received,
        ) = (
            S.AWAITING_APPROVAL,
            S.AWAITING_PARTS,
            S.CANCELLED,
            S.COLLECTED,
            S.DIAGNOSING,
            S.ON_HOLD,
            S.READY,
            S.RECEIVED,
        )
        t_complaint, t_paid_repair, t_warranty_claim = (
            JobType.COMPLAINT,
            JobType.PAID_REPAIR,
            JobType.WARRANTY_CLAIM,
        )
        stays, value_of, logins = self.stays, _VALUE, self.logins
        weekdays, total, job_types = self.weekdays, self.total, self.job_types
        for index in range(first, first + count):
            job_id = index + 1
            # Ticket numbers rise with time; the counter is open 08:00-18:00, never on Sunday.
            day = int(now_s * (index + random_()) / total) // _DAY
            if weekdays[day] == 6:
                day = max(day - 1, 0)
            created_s = min(day * _DAY + 7 * 3600 + int(random_() * 36_000), now_s - 300)
            created = dates[created_s // _DAY] + times[created_s % _DAY]
            job_type: JobType = job_types[int(random_() * len(job_types))]
            # A complaint is about an earlier job of ours; one of them, received four weeks
            # ago, is still waiting for a part: its deadline is days away.
            nearly_due = not self.nearly_due_made and (
                _NEARLY_DUE_DAYS[0] * _DAY <= now_s - created_s <= _NEARLY_DUE_DAYS[1] * _DAY
            )
            original: _Collected | None = None
            if job_type is t_complaint or nearly_due:
                original = self._original_for(created_s)
                if original is None:
                    job_type, nearly_due = t_paid_repair, False
                else:
                    job_type = t_complaint
                    self.nearly_due_made = self.nearly_due_made or nearly_due
            if original is not None:
                customer_id, device_id = original.customer_id, original.device_id
                family, brand, model = original.family, original.brand, original.model
                serial, imei = original.serial, original.imei
            else:
                if len(self.customers) > 1 and random_() < 0.3:
                    customer_id = 1 + int(random_() * (len(self.customers) - 1))
                else:
                    row = self._new_customer(created)
                    customers.append(row)
                    customer_id = row[0]
                family = self.families[int(random_() * len(self.families))]
                brand, model = family.models[int(random_() * len(family.models))]
                self.device_count += 1
                device_id = self.device_count
                serial = None
                if random_() < 0.8:
                    serial = _serial(random_)
                imei = None
                if family.has_imei:
                    tac = family.tacs[int(random_() * len(family.tacs))]
                    imei = _imei(tac, int(random_() * 1_000_000))
                colour = COLOURS[int(random_() * len(COLOURS))]
                devices.append(
                    (
                        device_id,
                        customer_id,
                        family.device_type,
                        brand,
                        model,
                        serial,
                        imei,
                        colour,
                        created,
                    )
                )
            customer_text = self.customers[customer_id]
            paths = self.paths[job_type]
            path: tuple[JobStatus, ...] = paths[int(random_() * len(paths))]
            if nearly_due:
                path = (s_received, s_diagnosing, s_awaiting_parts)
            estimate = None
            if job_type in _PRICED_FIRST:
                low, high = family.price_range
                estimate = int(low + (high - low) * random_()) // 10 * 1000
            preapproved = estimate if s_awaiting_approval not in path else None
            deposit = 0
            if estimate and random_() < 0.35:
                deposit = min(estimate, (200, 500, 1000)[int(random_() * 3)] * 100)
            clerk = self.clerk_ids[int(random_() * len(self.clerk_ids))]
            technician = self.technician_ids[int(random_() * len(self.technician_ids))]
            fault = family.faults[int(random_() * len(family.faults))]
            if original is not None:  # the same fault again
                fault = original.fault
            code = "R" + str(job_id).zfill(6) if job_id < 1_000_000 else _long_code(job_id)
            first_event = len(events)
            add_event((job_id, created, clerk, "created", None, "received", ""))
            complaint = _DemoComplaint(self, created_s, random_) if original else None
            status = s_received
            resume: JobStatus | None = None
            moment = changed_s = created_s
            assignee: int | None = None
            outcome: str | None = None
            approval: tuple[str, str] | None = None
            ready_at: str | None = None
            collected_at: str | None = None
            for target in path[1:]:
                low_s, span_s = stays[status]
                moment += low_s + int(span_s * random_() ** 2)
                if not _OPENS <= moment % _DAY < _CLOSES:
                    moment = _working_hours(moment, random_)
                if moment >= now_s:
                    break
                at = dates[moment // _DAY] + times[moment % _DAY]
                if assignee is None and target is s_diagnosing:
                    assignee = technician
                    add_event((job_id, at, clerk, "assigned", None, logins[technician], ""))
                if estimate and status is s_diagnosing and target is not s_cancelled:
                    # The technician prices the repair; the line stands for the estimate.
                    text = f"{_LINE_TEXT} — {fault}"
                    lines.append((job_id, text, 1, estimate, _VAT_BP, 1, technician, at))
                    note = f"{estimate // 100}.{estimate % 100:02d} CZK"
                    add_event((job_id, at, technician, "line", None, f"1 × {text}", note))
                if (
                    estimate
                    and status is s_awaiting_approval
                    and target not in (s_cancelled, s_on_hold)
                ):  # the customer said yes
                    method = _APPROVAL_METHODS[int(random_() * len(_APPROVAL_METHODS))]
                    approval = (at, method)
                    add_event((job_id, at, clerk, "approval", None, str(estimate), method))
                actor = clerk if target is s_collected or target is s_on_hold else technician
                resume = status if target is s_on_hold or target is s_awaiting_parts else None
                note = ""
                if target is s_cancelled:
                    outcome = "returned_unrepaired"
                    note = _CANCEL_NOTES[int(random_() * len(_CANCEL_NOTES))]
                elif target is s_ready and outcome is None:
                    outcome = "replaced" if random_() < 0.05 else "repaired"
                elif random_() < 0.05:
                    note = NOTES[int(random_() * len(NOTES))]
                add_event((job_id, at, actor, "status", value_of[status], value_of[target], note))
                if target is s_ready and ready_at is None:
                    ready_at = at
                elif target is s_collected:
                    collected_at = at
                if complaint is not None and not nearly_due:
                    decision = complaint.decide(target, moment, now_s, random_)
                    if decision is not None:
                        decided = (job_id, decision[0], self.manager_id, "complaint", None)
                        add_event((*decided, *decision[1:]))
                status = target
                changed_s = moment
            if (
                job_type in (t_paid_repair, t_warranty_claim)
                and status is s_collected
                and s_cancelled not in path
            ):
                done = _Collected(
                    job_id, changed_s, customer_id, device_id, family, brand, model, serial,
                    imei, fault,
                )  # fmt: skip
                heapq.heappush(self.pending, (changed_s, job_id, done))
            if complaint is not None:
                complaints.append(complaint.row(job_id, self.manager_id))
                # A decision made days after the step that led to it goes in its place.
                events[first_event:] = sorted(events[first_event:], key=lambda event: event[1])
            changed = dates[changed_s // _DAY] + times[changed_s % _DAY]
            created_day = created_s // _DAY
            promised = self.date_texts[_PAST_DAYS + created_day + _PROMISED_DAYS[index % 6]]
            if complaint is not None:  # a complaint is promised by its legal deadline
                promised = complaint.deadlines.decide_by.isoformat()
            purchase_date = None
            proof = ""
            if job_type is t_warranty_claim:
                purchase_date = self.date_texts[_PAST_DAYS + created_day - rng.randrange(20, 700)]
                proof = _PROOFS[int(random_() * len(_PROOFS))]
            accessories = _accessories(family.accessories, random_)
            condition = family.conditions[int(random_() * len(family.conditions))]
            passcode = ""
            if family.has_imei and random_() < 0.6:
                passcode = str(int(random_() * 10_000)).zfill(4)
            # search_text_of(code, customer_text, serial=…, imei=…)
            search = code.lower() + " " + customer_text
            if serial:
                search += " " + serial.lower()
            if imei:
                search += " " + imei
            jobs.append(
                (
                    job_id,
                    code,
                    customer_id,
                    device_id,
                    value_of[job_type],
                    value_of[status],
                    value_of[resume] if resume else None,
                    outcome,
                    fault,
                    accessories,
                    condition,
                    passcode,
                    estimate,
                    preapproved,
                    deposit,
                    "CZK",
                    promised,
                    purchase_date,
                    proof,
                    assignee,
                    clerk,
                    created,
                    changed,
                    changed,
                    search,
                    _folded_device(brand, model),  # device_search_text(brand, model)
                    1,
                    original.job_id if original else None,
                    estimate if approval else None,
                    approval[0] if approval else None,
                    clerk if approval else None,
                    approval[1] if approval else None,
                    ready_at,
                    collected_at,
                    self.customer_names[customer_id],
                    family.device_type,
                    brand,
                    model,
                    self.user_names[assignee],
                )
            )
        return _Tables(customers, devices, jobs, events, lines, complaints)


_VALUE: dict[JobStatus | JobType, str] = {key: key.value for key in (*JobStatus, *JobType)}
_PRICED_FIRST = frozenset(job_type for job_type in JobType if job_type.needs_approval)
"""The job types whose price the customer approves first (a set: the property is a call)."""
"""Each status's and job type's stored value (a dict look-up; ``.value`` costs a call)."""
_OPENS = 7 * 3600
_CLOSES = 18 * 3600
"""The workshop's day in UTC (08:00-19:00 in Central Europe in winter)."""


def _working_hours(second: int, random_: Callable[[], float]) -> int:
    """Move a moment that falls outside the working day to early the next working day."""
    time_of_day = second % _DAY
    if _OPENS <= time_of_day < _CLOSES:
        return second
    next_day = second - time_of_day + (_DAY if time_of_day >= _CLOSES else 0)
    return next_day + _OPENS + int(random_() * 5400)


_SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


@cache
def _serial_pieces() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every three and every two characters of a serial number."""
    letters = _SERIAL_ALPHABET
    return tuple(a + b + c for a in letters for b in letters for c in letters), tuple(
        a + b for a in letters for b in letters
    )


def _serial(random_: Callable[[], float]) -> str:
    """Eleven characters of the alphabet at random, from two draws."""
    threes, twos = _serial_pieces()
    size = len(threes)
    drawn = int(random_() * size**3)
    return (
        threes[drawn % size]
        + threes[drawn // size % size]
        + threes[drawn // (size * size)]
        + twos[int(random_() * len(twos))]
    )


def _accessories(choices: Sequence[str], random_: Callable[[], float]) -> str:
    """None, one or two different accessories left with the device."""
    count = min(int(random_() * 3), len(choices))
    if count == 0:
        return ""
    first = int(random_() * len(choices))
    if count == 1:
        return choices[first]
    second = int(random_() * (len(choices) - 1))
    second += second >= first
    return choices[first] + ", " + choices[second]


def _long_code(job_id: int) -> str:
    return format_ticket_code("R", job_id)


@cache
def _tac_sum(tac: str) -> int:
    """The Luhn sum of an IMEI's first eight digits (its type code), as they stand in it."""
    return sum(_LUHN[position % 2][int(digit)] for position, digit in enumerate(tac))


_LUHN = (tuple(range(10)), tuple(d * 2 - 9 if d * 2 > 9 else d * 2 for d in range(10)))
"""A digit's Luhn value at an even and an odd place from the body's right (the last doubled)."""


@cache
def _luhn_thousands() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The Luhn sums of the six serial digits' last three and first three, by value."""
    low = tuple(_LUHN[1][n % 10] + _LUHN[0][n // 10 % 10] + _LUHN[1][n // 100] for n in range(1000))
    high = tuple(
        _LUHN[0][n % 10] + _LUHN[1][n // 10 % 10] + _LUHN[0][n // 100] for n in range(1000)
    )
    return low, high


def _imei(tac: str, number: int) -> str:
    """The IMEI of ``tac`` and a six-digit serial number, with its Luhn check digit
    (:func:`repairshop.domain.devices.luhn_check_digit`, by table)."""
    low, high = _luhn_thousands()
    total = _tac_sum(tac) + low[number % 1000] + high[number // 1000]
    return f"{tac}{number:06d}{(10 - total % 10) % 10}"


@cache
def _national_prefix(calling_code: str) -> str | None:
    """The trunk prefix :func:`phone_search_forms` gives the country's numbers (None: none)."""
    forms = phone_search_forms(f"+{calling_code}123456789")
    return forms[2][: -len(forms[1])] if len(forms) == 3 else None


def _phone_forms(phone: str, calling_code: str) -> tuple[str, ...]:
    """:func:`phone_search_forms` of a number of the country with ``calling_code``."""
    national = phone[len(calling_code) + 1 :]
    prefix = _national_prefix(calling_code)
    return (phone, national) if prefix is None else (phone, national, prefix + national)


@cache
def _folded(text: str) -> str:
    return fold(text)


@cache
def _folded_device(brand: str, model: str) -> str:
    return fold(brand + " " + model)


_NEARLY_DUE_DAYS = (28, 29)
"""A complaint received this many days ago is left open: due in a day or two (CZ: 30 days)."""
_COMPLAINT_RULES = ComplaintRules(decide_days=30)
_REMEDY_WEIGHTS = (
    (Remedy.REPAIR, 14),
    (Remedy.REPLACE, 3),
    (Remedy.REFUND, 2),
    (Remedy.DISCOUNT, 1),
)
_ACCEPTED = "Fault confirmed; repaired free of charge under the complaint."
_REJECTED = "The damage was caused by a fall, not by our repair."
_LINE_TEXT = "Repair"
_VAT_BP = 2100
_APPROVAL_METHODS = ("in_person", "phone", "phone", "email")
_CANCEL_NOTES = ("Customer declined the estimate.", "Not economical to repair.")
_PROOFS = ("receipt", "invoice", "warranty card")
_PROMISED_DAYS = (3, 4, 5, 5, 7, 10)


def _has_jobs(uow: UnitOfWork) -> bool:
    return bool(uow.session.scalar(select(func.count()).select_from(Job)))


DEMO_SETTINGS = ShopSettings(
    name="FixPoint Servis",
    address="Vinohradská 1511/230, 100 00 Praha 10",
    vat_id="CZ27082440",
    phone="+420 222 333 444",
    email="servis@fixpoint.example",
    currency="CZK",
    region="CZ",
    default_promised_days=5,
)
"""A made-up shop in Prague whose customers speak all six languages."""

_IN_PROCESS_LIMIT = 50_000
"""Up to this many jobs the rows are made in this process, as one range of ticket numbers."""
_MAX_RANGES = 9
"""A bigger run is made in this many ranges of ticket numbers at most (SQLite attaches at
most ten databases to a connection, and each range is one)."""
_MAKERS = 2
"""Processes that make the ranges of a big run, side by side."""
_SILENCE_S = 180
"""A maker that reports no progress for this long has stopped."""
_MAKER_NICENESS = 5
"""How much lower the makers' scheduling priority is than this process's. Copying the
ranges in is the longer chain of work: with three processes on two cores of equal weight,
this one would get two thirds of a core while the makers run; at a lower priority they
share one core and this one keeps the other (the makers still take any time it leaves)."""


@dataclass(frozen=True)
class _Range:
    """One range of ticket numbers, made on its own into a SQLite file of plain tables."""

    path: str
    index: int
    first: int
    count: int
    options: DemoOptions
    now: datetime
    first_user_id: int
    search_index: str | None = None
    """The database's search index declaration, to build over the range in its file
    (``search_index.py``); None: the database builds its own."""

    @property
    def seed(self) -> int | str:
        """The first range continues the seed's own stream (a small run is one range)."""
        return self.options.seed if self.index == 0 else f"{self.options.seed}/{self.index}"


@dataclass(frozen=True)
class _Made:
    """A range's file and how many rows of each kind it holds; customer and device ids in it
    count from 1, and move up by those of the ranges before it when it is loaded."""

    path: str
    customers: int
    devices: int
    events: int


_SEARCH_INDEX_TRIGGER = "jobs_fts_insert"
"""The trigger that adds a new job to the search index (set aside while ranges are copied)."""
_TABLES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("customers", CUSTOMER_COLUMNS, "customers"),
    ("devices", DEVICE_COLUMNS, "devices"),
    ("jobs", JOB_COLUMNS, "jobs"),
    ("job_events", EVENT_COLUMNS, "events"),
    ("job_lines", LINE_COLUMNS, "lines"),
    ("complaints", COMPLAINT_COLUMNS, "complaints"),
)
"""Each table a range fills: its name, columns and the field of :class:`_Tables`."""
_SHIFTED: dict[str, dict[str, str]] = {
    "customers": {"id": "id + :customers"},
    "devices": {"id": "id + :devices", "customer_id": "customer_id + :customers"},
    "jobs": {"customer_id": "customer_id + :customers", "device_id": "device_id + :devices"},
}
"""The columns of a range that hold its own customer and device ids, as loaded."""


def _range_select(table: str, columns: Sequence[str], source: str) -> str:
    shifted = _SHIFTED.get(table, {})
    return f"SELECT {', '.join(shifted.get(c, c) for c in columns)} FROM {source}.{table}"


def _ranges(
    options: DemoOptions,
    now: datetime,
    first_user_id: int,
    folder: str,
    search_index: str | None = None,
) -> list[_Range]:
    """The ranges of a run: the first and the last a quarter as long as the others, so the
    copying starts soon, the two makers finish their ranges at different moments and the
    last one to copy in is short (its copying runs alone)."""
    jobs = options.jobs
    count = 1 if jobs <= _IN_PROCESS_LIMIT else min(_MAX_RANGES, -(-jobs // _IN_PROCESS_LIMIT))
    weights = [1.0] * count
    if count >= 3:
        weights[0] = weights[-1] = 0.25
    bounds = [round(jobs * sum(weights[:n]) / sum(weights)) for n in range(count + 1)]
    return [
        _Range(
            f"{folder}/range{index}.sqlite",
            index,
            bounds[index],
            bounds[index + 1] - bounds[index],
            options,
            now,
            first_user_id,
            search_index,
        )
        for index in range(count)
    ]


def _make_range(part: _Range, made_jobs: Callable[[int], None] | None = None) -> _Made:
    """Make a range's rows into its file (no journal, no indexes: it is read once)."""
    generator = _Generator(part.options, part.now, part.first_user_id, part.seed)
    connection = sqlite3.connect(part.path, isolation_level=None)
    report = made_jobs or _count_made
    events = 0
    try:
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -65536"):
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("BEGIN")
        for table, columns, _field in _TABLES:
            connection.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
        end = part.first + part.count
        for first in range(part.first, end, BATCH):
            tables = generator.batch(first, min(BATCH, end - first))
            for table, columns, field in _TABLES:
                _insert_rows(connection, table, len(columns), getattr(tables, field))
            events += len(tables.events)
            report(len(tables.jobs))
        if part.search_index is not None:
            build_in_range(connection, part.search_index)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return _Made(part.path, len(generator.customers) - 1, generator.device_count, events)


_VALUES_AT_ONCE = 999
"""At most this many values in one ``INSERT`` (SQLite's limit before 3.32 was 999)."""


def _insert_rows(
    connection: sqlite3.Connection, table: str, width: int, rows: list[tuple[Any, ...]]
) -> None:
    """``rows`` into ``table``, many in each ``INSERT … VALUES (…), (…)``: a third less time
    than one row a statement (the statement is stepped and reset once for all of them)."""
    if not rows:
        return
    marks = "(" + ", ".join("?" * width) + ")"
    at_once = max(1, _VALUES_AT_ONCE // width)
    whole = len(rows) - len(rows) % at_once
    if whole:
        many = iter(rows[:whole])
        connection.executemany(
            f"INSERT INTO {table} VALUES " + ", ".join([marks] * at_once),
            map(tuple, map(itertools.chain.from_iterable, zip(*[many] * at_once, strict=True))),
        )
    if whole < len(rows):
        connection.executemany(f"INSERT INTO {table} VALUES {marks}", rows[whole:])


_made_counter: list[Any] = []
"""In a maker process: the shared count of jobs made so far, for the progress bar."""


def _start_maker(counter: Any) -> None:
    _made_counter.append(counter)
    if hasattr(os, "nice"):  # not on Windows
        os.nice(_MAKER_NICENESS)


def _count_made(jobs: int) -> None:
    for counter in _made_counter:
        with counter.get_lock():
            counter.value += jobs


def _made_ranges(parts: list[_Range], progress: Progress | None, total: int) -> Iterator[_Made]:
    """Each range's file, in order; more than one range is made by two other processes."""

    def carry_on(done: int) -> None:
        if progress is not None and not progress(done, total, _("Jobs")):
            raise DemoCancelled(_("Demo data cancelled; nothing was written."))

    if len(parts) == 1:
        so_far = 0

        def made_jobs(jobs: int) -> None:
            nonlocal so_far
            so_far += jobs
            carry_on(so_far)

        yield _make_range(parts[0], made_jobs)
        return
    context = multiprocessing.get_context("spawn")
    counter = context.Value("q", 0)
    with context.Pool(_MAKERS, initializer=_start_maker, initargs=(counter,)) as pool:
        results = pool.imap(_make_range, parts)
        heard, last = time.monotonic(), 0
        for _part in parts:
            while True:
                try:
                    made = results.next(timeout=0.25)
                    break
                except multiprocessing.TimeoutError:
                    done = int(counter.value)
                    if done != last:
                        heard, last = time.monotonic(), done
                    elif time.monotonic() - heard > _SILENCE_S:
                        raise RuntimeError("the demo data processes stopped answering") from None
                    carry_on(done)
            carry_on(int(counter.value))
            yield made


def generate_demo(
    db: Database, options: DemoOptions, progress: Progress | None = None
) -> DemoResult:
    """Fill an empty database in one transaction; refuses one that already has jobs."""
    if not 1 <= options.jobs <= 1_000_000:
        raise ValidationError(_("Demo jobs must be between 1 and 1,000,000."), field="jobs")
    now = (options.now or db.clock()).astimezone(UTC)
    with (
        _written_once(db, options.jobs),
        tempfile.TemporaryDirectory(prefix="repairshop-demo-", dir=_scratch(db)) as folder,
        db.unit_of_work() as uow,
    ):
        loader = _SqliteLoader(uow) if uow.dialect == "sqlite" else _PostgresLoader(uow)
        try:
            if _has_jobs(uow):
                raise ValidationError(
                    _("Demo data only goes into an empty database; this one already has jobs.")
                )
            loader.begin()
            first_user_id = int(uow.session.scalar(select(func.max(User.id))) or 0) + 1
            write_settings(uow, DEMO_SETTINGS)
            users = _Generator(options, now, first_user_id, options.seed).users
            loader.write("users", USER_COLUMNS, users)
            customers = devices = events = 0
            parts = _ranges(options, now, first_user_id, folder, loader.range_search_index)
            for made in _made_ranges(parts, progress, options.jobs):
                loader.load(made.path, customers, devices)
                customers += made.customers
                devices += made.devices
                events += made.events
            if progress is not None:
                progress(options.jobs, options.jobs, _("Indexing"))
            loader.finish()
            add_demo_parts(uow)
            record_deposits_taken(uow)
            uow.session.merge(Counter(name="ticket", value=options.jobs))
            if progress is not None:
                progress(options.jobs, options.jobs, _("Saving"))
            uow.commit()
        except BaseException:
            loader.abandon()
            raise
    return DemoResult(jobs=options.jobs, customers=customers, events=events)


def _scratch(db: Database) -> str | None:
    """Where the ranges' files go (1.3 GB at a million jobs): beside a SQLite database, whose
    disk takes the rows anyway (``/tmp`` may be a small memory disk); else the system's
    temporary folder."""
    path = sqlite_file(db.engine.url)
    return str(path.resolve().parent) if path is not None else None


@contextmanager
def _written_once(db: Database, jobs: int) -> Iterator[None]:
    """A big load into SQLite with a rollback journal instead of the write-ahead log.

    In WAL mode every page of the load is written twice: to the log, then back into the
    database file at the checkpoint (gigabytes at a million jobs). The rows go into an
    empty database, so its new pages need no journal at all: a cancelled or failed run
    still leaves the database as it was. The mode goes back to WAL afterwards; where
    another connection holds the database, SQLite keeps WAL and nothing changes.
    """
    if db.dialect != "sqlite" or jobs <= _IN_PROCESS_LIMIT:
        yield
        return
    _journal_mode(db, "DELETE")
    try:
        yield
    finally:
        _journal_mode(db, "WAL")


def _journal_mode(db: Database, mode: str) -> None:
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA journal_mode = {mode}")
        cursor.fetchall()
        cursor.close()
    finally:
        connection.close()


def _driver_connection(uow: UnitOfWork) -> Any:
    """The DB-API connection under the unit of work's transaction (sqlite3 or psycopg)."""
    return uow.session.connection().connection.driver_connection


class _SqliteLoader:
    """Each range's file attached and copied in by ``INSERT … SELECT`` (SQLite copies the rows
    itself, nothing passes through Python), all of it inside the one transaction.

    The indexes are kept up as the rows go in. Most of the jobs' follow the intake (a day,
    a status, a type, an id: each row lands at the end of one of a few runs); the rest (the
    customer's name, the device's maker and model, the customers' and devices' own) cost
    more that way than built once at the end, but the writer does it while the other
    processes are still making ranges, where an index built at the end is the writer alone
    with the other core idle. The search index comes from the ranges instead
    (``search_index.py``): its trigger is set aside for the load and each range's index
    copied in with its rows. Where the search index cannot be copied, the trigger fills it
    as the rows go in, merging only at the end, or, if a range turns out not to be
    copyable, it is rebuilt from the jobs at the end.

    The rows' foreign keys are not checked while they go in (two look-ups for each of the
    nine million history rows, a sixth of the copying): they are made consistent, and the
    tests check every one. That setting only changes outside a transaction, so it is made
    as the unit of work begins, before it reads or writes anything, and the transaction
    begun again; it goes back on once the transaction has ended, on the same connection.

    A database can be attached inside a transaction but only detached outside one: the
    ranges are detached once the transaction has committed or rolled back.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self.connection = _driver_connection(uow)
        self.attached: list[str] = []
        self.unchecked = False
        self.index_copy: IndexCopy | None = None
        self.rebuild_search_index = False
        self.trigger: str | None = None
        """The search index's insert trigger, set aside for the load (its SQL)."""
        event.listen(uow.session, "after_commit", self._let_go)
        self.connection.execute("COMMIT")  # nothing read or written yet
        self.connection.execute("PRAGMA foreign_keys = OFF")
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.connection.execute("PRAGMA foreign_keys = ON")
            raise
        self.unchecked = True
        self.range_search_index = declaration(self.connection)
        """What each range builds its search index by (None: this database builds it)."""

    def begin(self) -> None:
        """Ready for the rows (the database is known to have no jobs)."""
        self.connection.execute("PRAGMA cache_size = -400000")
        if self.range_search_index is None:
            self.connection.execute("INSERT INTO jobs_fts(jobs_fts, rank) VALUES ('automerge', 0)")
            return
        self.index_copy = IndexCopy(self.connection)
        found = self.connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (_SEARCH_INDEX_TRIGGER,),
        ).fetchone()
        if found is not None:
            self.trigger = found[0]
            self.connection.execute(f'DROP TRIGGER "{_SEARCH_INDEX_TRIGGER}"')

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if rows:
            placeholders = ", ".join("?" for _c in columns)
            self.connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows
            )

    def load(self, path: str, customers: int, devices: int) -> None:
        source = f"demo_range{len(self.attached)}"
        self.connection.execute(f"ATTACH DATABASE ? AS {source}", (path,))
        self.attached.append(source)
        shift = {"customers": customers, "devices": devices}
        for table, columns, _field in _TABLES:
            self.connection.execute(
                f"INSERT INTO main.{table} ({', '.join(columns)}) "
                + _range_select(table, columns, source),
                shift,
            )
        if self.index_copy is not None:
            try:
                self.index_copy.add(source)
            except NotCopyable:  # built from the jobs at the end instead
                self.index_copy = None
                self.rebuild_search_index = True

    def finish(self) -> None:
        if self.trigger is not None:
            self.connection.execute(self.trigger)
        if self.index_copy is not None:
            self.index_copy.finish()
        elif self.rebuild_search_index:
            self.connection.execute("INSERT INTO jobs_fts(jobs_fts) VALUES ('rebuild')")
        else:
            self.connection.execute("INSERT INTO jobs_fts(jobs_fts, rank) VALUES ('automerge', 4)")
        self.connection.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")

    def abandon(self) -> None:
        """Roll back now, so the ranges can be detached and the foreign keys checked again
        before the connection goes back."""
        self.connection.rollback()
        self._let_go()

    def _let_go(self, _session: object = None) -> None:
        while self.attached:
            self.connection.execute(f"DETACH DATABASE {self.attached.pop()}")
        if self.unchecked:
            self.connection.execute("PRAGMA foreign_keys = ON")
            self.unchecked = False


class _PostgresLoader:
    """``COPY`` straight from each range's file, into tables stripped for the load.

    Kept up row by row, the big tables' secondary indexes (the job list's two dozen orders,
    the trigram search indexes) and their foreign keys' checks (a look-up for each of the
    nine million history rows) were four fifths of a million-job run, the server's one
    process busy while this one waited. They are dropped as the load begins, inside its
    transaction, and made again at the end: each index built by sorting (with the session's
    maintenance memory raised, and PostgreSQL's parallel workers where it has them), each
    foreign key checked by one join. Everything is part of the one transaction: a
    cancelled or failed run rolls the drops back with the rows.
    """

    _LOADED = tuple(table for table, _columns, _field in _TABLES)
    """The tables the ranges fill (their indexes and foreign keys are set aside)."""
    _MAINTENANCE_MEMORY = "256MB"

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.connection = _driver_connection(uow)
        self.range_search_index: str | None = None
        self.indexes: list[tuple[str, str]] = []
        """The loaded tables' secondary indexes (name, definition), made again at the end."""
        self.foreign_keys: list[tuple[str, str, str]] = []
        """The loaded tables' foreign keys (table, name, definition), added again at the end."""

    def begin(self) -> None:
        """Drop the loaded tables' secondary indexes and foreign keys (the database is known
        to have no jobs; the drops are part of the transaction)."""
        tables = list(self._LOADED)
        self.indexes = self._rows(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
            "ORDER BY c.relname",
            tables,
        )
        self.foreign_keys = self._rows(
            "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class t ON t.oid = k.conrelid "
            "WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%s) "
            "AND k.contype = 'f' ORDER BY t.relname, k.conname",
            tables,
        )
        with self.connection.cursor() as cursor:
            for table, name, _definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _definition in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')

    def _rows(self, query: str, tables: list[str]) -> list[Any]:
        with self.connection.cursor() as cursor:
            cursor.execute(query, (tables,))
            return [tuple(row) for row in cursor.fetchall()]

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def load(self, path: str, customers: int, devices: int) -> None:
        source = sqlite3.connect(path)
        try:
            shift = {"customers": customers, "devices": devices}
            for table, columns, _field in _TABLES:
                self.write(
                    table, columns, source.execute(_range_select(table, columns, "main"), shift)
                )
        finally:
            source.close()

    def finish(self) -> None:
        """The indexes and foreign keys back; COPY with explicit ids leaves the id sequences
        behind, so they move on. The tables' statistics are gathered now: until autovacuum
        comes by, the planner would guess (a job's history by a scan of thousands of rows)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{self._MAINTENANCE_MEMORY}'")
            for _name, definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        tables = ("users", *self._LOADED)
        for table in tables:
            self.uow.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            )
        self.uow.session.execute(text(f"ANALYZE {', '.join(tables)}"))

    def abandon(self) -> None:
        """Nothing to let go of: the unit of work rolls back."""
