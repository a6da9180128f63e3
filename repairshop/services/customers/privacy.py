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
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import String, Table, Text, func, or_, select, update

from repairshop.db.tables import (
    AuditEntry,
    Base,
    Customer,
    Device,
    Invoice,
    Job,
    OutboxMessage,
    Rma,
)
from repairshop.domain.contacts import phone_search_forms
from repairshop.domain.roles import Permission
from repairshop.domain.statuses import JobStatus
from repairshop.errors import ValidationError
from repairshop.i18n import N_, _
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
from repairshop.services.jobs.views import job_to_json
from repairshop.services.jobs.workflow import show_job
from repairshop.services.shop.messaging import get_messaging
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
    uow.session.expire_all()
    return Anonymised(customer.id, len(jobs))


# --- The retention rule ---------------------------------------------------------------------


@dataclass(frozen=True)
class PrivacyRun:
    anonymised: list[int]
    passcodes_erased: int


def run_privacy(uow: UnitOfWork) -> PrivacyRun:
    """Apply ``privacy.retention_years`` and ``privacy.passcode_days`` once."""
    require_actor(uow, Permission.MANAGE_CUSTOMERS)
    messaging = get_messaging(uow)
    now = uow.now()
    erased = 0
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
            _anonymise(uow, customer)
            anonymised.append(customer.id)
    return PrivacyRun(anonymised, erased)


def privacy_changes() -> Changes:
    return Changes(kinds=frozenset({ChangeKind.ALL}))
