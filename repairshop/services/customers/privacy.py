"""GDPR requests: a customer's data exported, a customer anonymised, and the retention rule.

:func:`export_customer` gathers everything the shop holds about one person (the card, each
job with its history, invoices, messages and feedback) as JSON; the readable PDF is drawn
from the same data in :mod:`repairshop.printing.customer_export`.

:func:`anonymise_customer` erases the person and keeps what the law needs: the jobs and the
invoices (their amounts, numbers and dates) stay, now naming "Anonymised customer". Contacts
and notes are cleared, passcodes erased, the outbox's addresses and texts erased, who
collected the device cleared, and the person's name, phone and e-mail are scrubbed from the
free text of every row tied to them — their jobs, devices, history, complaints, returns,
payments, feedback and the audit log's old and new values. Device serials and IMEIs stay:
they name a device, not a person, and warranty claims and returns need them.

:func:`run_privacy` (``repairshop privacy run``) applies the shop's settings: customers with
no activity for ``privacy.retention_years`` years are anonymised, and a collected job's
passcode is erased ``privacy.passcode_days`` days after collection (0: never).

:func:`run_due_privacy` is the same rule applied by the shop itself, once a day: the app
calls it on its background lane, ``repairshop privacy run --auto`` from cron. Several desks
may share one database; the first to *claim* the day (a compare-and-set of
``privacy.last_at`` in the same transaction as the run) applies it, the others find it done.
The run acts as :data:`RETENTION_RULE` — the audit log names the shop's rule, not whoever
sits at the desk — and leaves one audit row of its own with what it did, which
``privacy.last_at`` / ``privacy.last_result`` keep for Settings to show.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import String, Table, Text, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from repairshop.db.tables import (
    AuditEntry,
    Base,
    Customer,
    Device,
    Invoice,
    Job,
    OutboxMessage,
    Rma,
    Setting,
)
from repairshop.domain.contacts import phone_search_forms
from repairshop.domain.roles import Permission
from repairshop.domain.statuses import JobStatus
from repairshop.errors import ValidationError
from repairshop.i18n import N_, _
from repairshop.services.audit import record
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.customers.card import (
    ANONYMISED_NAME,
    card_to_json,
    customer_card,
    find_customer,
)
from repairshop.services.customers.feedback import feedback_to_json, get_feedback
from repairshop.services.customers.outbox import State
from repairshop.services.jobs.search import refresh_search_text
from repairshop.services.jobs.sort_keys import refresh_sort_keys
from repairshop.services.jobs.views import job_to_json
from repairshop.services.jobs.workflow import show_job
from repairshop.services.shop.messaging import get_messaging
from repairshop.services.shop.opening_hours import get_opening_hours
from repairshop.services.shop.settings import stored_moment, stored_setting
from repairshop.services.shop.users import require_actor, require_permission
from repairshop.services.uow import UnitOfWork

ANONYMISED = N_("The customer was anonymised; not sent.")
ERASED = "***"
"""What stands where the person's name, phone or e-mail was in a free text."""
MIN_WORD = 3
"""Parts of a name shorter than this (initials, "de") are not scrubbed on their own."""


def export_customer(uow: UnitOfWork, key: str | int, actor: str) -> dict[str, Any]:
    """Everything held about one customer, as JSON-ready data (a GDPR access request)."""
    user = require_permission(uow, actor, Permission.MANAGE_CUSTOMERS)
    card = customer_card(uow, key)
    data = card_to_json(card)
    jobs = []
    for job in card.jobs:
        view = show_job(uow, job.code, user.login)
        detail = job_to_json(view)
        detail["feedback"] = feedback_to_json(get_feedback(uow, job.code))
        jobs.append(detail)
    data["jobs"] = jobs
    data["exported_at"] = uow.now().isoformat()
    data["exported_by"] = user.login
    return data


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- Anonymisation -------------------------------------------------------------------------


def _needles(customer: Customer) -> list[str]:
    """The person's name (whole and its words), phone (as usually written) and e-mail."""
    found: set[str] = set()
    name = " ".join(customer.name.split())
    if name and name != ANONYMISED_NAME:
        found.add(name)
        found.update(word for word in re.split(r"[\s,.;]+", name) if len(word) >= MIN_WORD)
    if customer.phone:
        found.add(customer.phone)
        found.update(form for form in phone_search_forms(customer.phone) if len(form) >= 6)
    if customer.email:
        found.add(customer.email)
    return sorted(found, key=len, reverse=True)


def _scrub_text(text: str, pattern: re.Pattern[str] | None) -> str:
    return pattern.sub(ERASED, text) if pattern is not None else text


def _scrub_value(value: Any, pattern: re.Pattern[str] | None) -> Any:
    if isinstance(value, str):
        return _scrub_text(value, pattern)
    if isinstance(value, list):
        return [_scrub_value(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_value(item, pattern) for key, item in value.items()}
    return value


def _spaced(number: str) -> str:
    """A number's digits as people write them: with spaces, dashes, dots or slashes between."""
    return r"[\s\-./]?".join(re.escape(digit) for digit in number)


def _pattern(needles: list[str]) -> re.Pattern[str] | None:
    if not needles:
        return None
    parts = [_spaced(n) if n.lstrip("+").isdigit() else re.escape(n) for n in needles]
    return re.compile("|".join(parts), re.IGNORECASE)


def _text_columns(table: Table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if isinstance(column.type, String | Text) and not column.primary_key
    ]


def _scrub_rows(uow: UnitOfWork, table: Table, where: Any, pattern: re.Pattern[str]) -> None:
    columns = _text_columns(table)
    if not columns:
        return
    key = next(iter(table.primary_key.columns))
    rows = uow.session.execute(select(key, *(table.c[name] for name in columns)).where(where)).all()
    for row in rows:
        values = {
            name: _scrub_text(text, pattern)
            for name, text in zip(columns, row[1:], strict=True)
            if isinstance(text, str) and pattern.search(text)
        }
        if values:
            uow.session.execute(update(table).where(key == row[0]).values(**values))


def _scrub_everything(
    uow: UnitOfWork,
    customer_ids: list[int],
    job_ids: list[int],
    device_ids: list[int],
    pattern: re.Pattern[str],
) -> None:
    """Walk every table: rows tied to the person lose the person's name, phone and e-mail."""
    invoice_ids = list(uow.session.scalars(select(Invoice.id).where(Invoice.job_id.in_(job_ids))))
    rma_ids = list(uow.session.scalars(select(Rma.id).where(Rma.job_id.in_(job_ids))))
    for table in Base.metadata.sorted_tables:
        if table.name == AuditEntry.__tablename__:
            continue
        columns = table.c
        conditions = []
        if table.name == Customer.__tablename__:
            conditions.append(columns["id"].in_(customer_ids))
        if table.name == Device.__tablename__:
            conditions.append(columns["id"].in_(device_ids))
        if table.name == Job.__tablename__:
            conditions.append(columns["id"].in_(job_ids))
        if table.name == Invoice.__tablename__:
            conditions.append(columns["id"].in_(invoice_ids))
        if table.name == Rma.__tablename__:
            conditions.append(columns["id"].in_(rma_ids))
        if "customer_id" in columns:
            conditions.append(columns["customer_id"].in_(customer_ids))
        if "job_id" in columns:
            conditions.append(columns["job_id"].in_(job_ids))
        if "invoice_id" in columns:
            conditions.append(columns["invoice_id"].in_(invoice_ids))
        if "rma_id" in columns:
            conditions.append(columns["rma_id"].in_(rma_ids))
        if conditions:
            _scrub_rows(uow, table, or_(*conditions), pattern)
    _scrub_audit(uow, customer_ids, job_ids, device_ids, pattern)


def _scrub_audit(
    uow: UnitOfWork,
    customer_ids: list[int],
    job_ids: list[int],
    device_ids: list[int],
    pattern: re.Pattern[str],
) -> None:
    """The audit log keeps who changed what and when, without the person's data.

    Its rows are otherwise never changed (the ORM refuses it); this bulk update is the one
    exception the law asks for."""
    codes = list(uow.session.scalars(select(Job.code).where(Job.id.in_(job_ids))))
    tied = or_(
        (AuditEntry.record_kind == "customer")
        & AuditEntry.record_id.in_([str(i) for i in customer_ids]),
        (AuditEntry.record_kind == "device")
        & AuditEntry.record_id.in_([str(i) for i in device_ids]),
        AuditEntry.job_code.in_(codes),
    )
    rows = uow.session.execute(
        select(AuditEntry.id, AuditEntry.record_label, AuditEntry.changes).where(tied)
    ).all()
    for row_id, label, changes in rows:
        try:
            parsed = json.loads(changes)
        except ValueError:
            parsed = changes
        scrubbed = _scrub_value(parsed, pattern)
        text = json.dumps(scrubbed, ensure_ascii=False) if scrubbed != parsed else changes
        new_label = _scrub_text(label, pattern)
        if text != changes or new_label != label:
            uow.session.execute(
                update(AuditEntry)
                .where(AuditEntry.id == row_id)
                .values(changes=text, record_label=new_label)
            )


@dataclass(frozen=True)
class Anonymised:
    customer_id: int
    jobs: int
    job_ids: tuple[int, ...] = ()


def anonymise_customer(uow: UnitOfWork, key: str | int, actor: str) -> Anonymised:
    """Erase the person behind customer ``key`` (and any duplicate merged into them)."""
    require_permission(uow, actor, Permission.MANAGE_CUSTOMERS)
    customer = find_customer(uow, key)
    if customer.merged_into_id is not None:
        customer = find_customer(uow, customer.merged_into_id)
    if customer.anonymised_at is not None:
        raise ValidationError(_("This customer was anonymised."), field="customer")
    return _anonymise(uow, customer)


def _anonymise(uow: UnitOfWork, customer: Customer) -> Anonymised:
    merged = select(Customer).where(Customer.merged_into_id == customer.id)
    people = [customer, *uow.session.scalars(merged)]
    customer_ids = [person.id for person in people]
    needles = sorted({n for person in people for n in _needles(person)}, key=len, reverse=True)
    jobs = list(uow.session.scalars(select(Job).where(Job.customer_id.in_(customer_ids))))
    job_ids = [job.id for job in jobs]
    device_ids = list(
        uow.session.scalars(
            select(Device.id).where(
                or_(
                    Device.customer_id.in_(customer_ids),
                    Device.id.in_([job.device_id for job in jobs]),
                )
            )
        )
    )
    now = uow.now()
    for person in people:
        person.name = ANONYMISED_NAME
        person.phone = None
        person.email = None
        person.notes = ""
        if person.consent_to_contact:
            person.consent_to_contact = False
            person.consent_changed_at = now
            person.consent_changed_by = uow.actor or "system"
        person.anonymised_at = now
    for job in jobs:
        job.passcode = ""
    uow.flush()
    uow.session.execute(
        update(Invoice)
        .where(Invoice.job_id.in_(job_ids))
        .values(customer_name=ANONYMISED_NAME, collected_by="", collected_by_note="")
    )
    theirs = or_(OutboxMessage.customer_id.in_(customer_ids), OutboxMessage.job_id.in_(job_ids))
    uow.session.execute(
        update(OutboxMessage)
        .where(theirs, OutboxMessage.state == State.QUEUED.value)
        .values(state=State.FAILED.value, done_at=now, error=_(ANONYMISED))
    )
    uow.session.execute(
        update(OutboxMessage).where(theirs).values(recipient="", subject="", body="")
    )
    pattern = _pattern(needles)
    if pattern is not None:
        _scrub_everything(uow, customer_ids, job_ids, device_ids, pattern)
    refresh_search_text(uow, customer)
    # The name copied onto the jobs for the list's order goes with the name, and a device's
    # brand or model that named the person is copied again as scrubbed.
    refresh_sort_keys(uow, customer_ids=customer_ids, device_ids=device_ids)
    uow.session.expire_all()
    return Anonymised(customer.id, len(jobs), tuple(job_ids))


# --- The retention rule ---------------------------------------------------------------------


LAST_AT_KEY = "privacy.last_at"
"""When the retention rule was last applied (ISO 8601, UTC); also the daily run's claim."""
LAST_RESULT_KEY = "privacy.last_result"
"""What that run did: ``{"anonymised": N, "passcodes_erased": M}`` (JSON)."""
RETENTION_RULE = "retention rule"
"""Who the audit log names for the shop's own daily run (never a login: logins have no
spaces)."""
RETENTION_APPLIED = "retention_applied"
"""The audit log's action for a run of the rule (record kind ``privacy``)."""
RULE_KEYS = ("privacy.retention_years", "privacy.passcode_days")


@dataclass(frozen=True)
class PrivacyRun:
    anonymised: list[int]
    passcodes_erased: int
    at: datetime | None = None
    job_ids: tuple[int, ...] = ()
    """The jobs whose passcode or customer was erased (what an open card must show anew)."""


def run_privacy(uow: UnitOfWork) -> PrivacyRun:
    """Apply ``privacy.retention_years`` and ``privacy.passcode_days`` once (a manager's
    ``repairshop privacy run``); recorded like the daily run."""
    require_actor(uow, Permission.MANAGE_CUSTOMERS)
    done = _apply_rule(uow)
    _note_run(uow, done, uow.actor or RETENTION_RULE)
    _put(uow, LAST_AT_KEY, uow.now().isoformat())
    return done


def run_due_privacy(uow: UnitOfWork) -> PrivacyRun | None:
    """The shop's retention rule, applied by the shop once a day; None when it is off (both
    settings 0), already applied today (the shop's day), or being applied by another desk.

    Needs no person's permission: it does only what a manager set. The claim and the run
    are one transaction (the caller commits): a desk that fails claims nothing.
    """
    messaging = get_messaging(uow)
    if all(messaging.days(key) == 0 for key in RULE_KEYS):
        return None
    now = uow.now()
    zone = get_opening_hours(uow).zone()
    uow.session.execute(_upsert(uow, LAST_AT_KEY, ""))  # the row the claim compares
    seen = stored_setting(uow, LAST_AT_KEY) or ""
    last = stored_moment(seen)
    if last is not None and last.astimezone(zone).date() >= now.astimezone(zone).date():
        return None
    # Compare-and-set: another desk's claim (committed, or waited for on PostgreSQL's row
    # lock) has changed the value, and this desk's update then changes nothing.
    claimed = uow.session.execute(
        update(Setting)
        .where(Setting.key == LAST_AT_KEY, Setting.value == seen)
        .values(value=now.isoformat())
        .returning(Setting.key)
    ).first()
    if claimed is None:
        return None
    person = uow.actor
    uow.actor = RETENTION_RULE
    try:
        done = _apply_rule(uow)
        _note_run(uow, done, RETENTION_RULE)
        uow.flush()  # every change logged as the rule's before the person is back
    finally:
        uow.actor = person
    return done


def _apply_rule(uow: UnitOfWork) -> PrivacyRun:
    messaging = get_messaging(uow)
    now = uow.now()
    erased = 0
    touched: set[int] = set()
    days = messaging.days("privacy.passcode_days")
    if days > 0:
        jobs = uow.session.scalars(
            select(Job).where(
                Job.status == JobStatus.COLLECTED.value,
                Job.status_changed_at <= now - timedelta(days=days),
                or_(Job.passcode != "", Job.pattern_lock != ""),
            )
        ).all()
        for job in jobs:  # the pattern lock goes with the passcode: both open the device
            job.passcode = ""
            job.pattern_lock = ""
        erased = len(jobs)
        touched = {job.id for job in jobs}
        uow.flush()
    anonymised: list[int] = []
    years = messaging.days("privacy.retention_years")
    if years > 0:
        cutoff = now - timedelta(days=round(365.25 * years))
        last_activity = (
            select(Job.customer_id, func.max(Job.status_changed_at).label("last"))
            .group_by(Job.customer_id)
            .subquery()
        )
        open_job = select(Job.id).where(
            Job.customer_id == Customer.id, Job.status != JobStatus.COLLECTED.value
        )
        stale = uow.session.scalars(
            select(Customer)
            .outerjoin(last_activity, last_activity.c.customer_id == Customer.id)
            .where(
                Customer.anonymised_at.is_(None),
                Customer.merged_into_id.is_(None),
                func.coalesce(last_activity.c.last, Customer.created_at) < cutoff,
                Customer.created_at < cutoff,
                ~open_job.exists(),
            )
            .order_by(Customer.id)
        ).all()
        for customer in stale:
            done = _anonymise(uow, customer)
            anonymised.append(customer.id)
            touched.update(done.job_ids)
    return PrivacyRun(anonymised, erased, now, tuple(sorted(touched)))


def _note_run(uow: UnitOfWork, done: PrivacyRun, login: str) -> None:
    """One audit row for the run, and its result kept for Settings."""
    counts = {"anonymised": len(done.anonymised), "passcodes_erased": done.passcodes_erased}
    record(
        uow.session,
        at=uow.now(),
        login=login,
        action=RETENTION_APPLIED,
        kind="privacy",
        record_id="",
        label=", ".join(RULE_KEYS),
        changes={key: [None, value] for key, value in counts.items()},
    )
    _put(uow, LAST_RESULT_KEY, json.dumps(counts))


def _put(uow: UnitOfWork, key: str, value: str) -> None:
    uow.session.execute(_upsert(uow, key, value))
    uow.session.execute(update(Setting).where(Setting.key == key).values(value=value))


def _upsert(uow: UnitOfWork, key: str, value: str) -> Any:
    """An insert of the setting row that does nothing when the row is there (bypassing the
    audit log: these keys are the rule's own bookkeeping, not a person's setting)."""
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(Setting).values(key=key, value=value).on_conflict_do_nothing(index_elements=["key"])
    )


@dataclass(frozen=True)
class PrivacyStatus:
    """When the retention rule was last applied and what it did, for Settings."""

    last_at: datetime | None
    anonymised: int
    passcodes_erased: int
    on: bool
    """Whether either rule is set (else the shop never applies it)."""
    zone: tzinfo | None = None
    """The shop's time zone, in which the moment is shown."""


def privacy_status(uow: UnitOfWork) -> PrivacyStatus:
    messaging = get_messaging(uow)
    try:
        counts = json.loads(stored_setting(uow, LAST_RESULT_KEY) or "{}")
    except ValueError:
        counts = {}
    return PrivacyStatus(
        last_at=stored_moment(stored_setting(uow, LAST_AT_KEY)),
        anonymised=int(counts.get("anonymised", 0)),
        passcodes_erased=int(counts.get("passcodes_erased", 0)),
        on=any(messaging.days(key) > 0 for key in RULE_KEYS),
        zone=get_opening_hours(uow).zone(),
    )


def privacy_changes() -> Changes:
    return Changes(kinds=frozenset({ChangeKind.ALL}))


def due_privacy_changes(done: PrivacyRun | None) -> Changes:
    """What a daily run changed: the jobs and customers it erased (its own bookkeeping in
    the settings is not announced: a settings form being typed in is not reloaded)."""
    if done is None or not done.job_ids:
        return Changes()
    return Changes(
        kinds=frozenset({ChangeKind.JOB, ChangeKind.CUSTOMER}),
        job_ids=done.job_ids,
        customer_ids=tuple(done.anonymised),
    )
