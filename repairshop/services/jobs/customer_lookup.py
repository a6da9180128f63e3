"""Finding a returning customer at the counter by phone, name or e-mail, as the clerk types.

The jobs' search index (FTS5 trigram / pg_trgm) finds the candidates, so the
lookup stays quick with hundreds of thousands of customers; the candidates are
then checked against the customer's own name, phone and e-mail.
"""

from __future__ import annotations

from sqlalchemy import func, select

from repairshop.db.tables import Customer, Device, Job
from repairshop.domain.contacts import phone_query, phone_search_forms
from repairshop.domain.folding import fold
from repairshop.services.jobs.search import matching_job_ids
from repairshop.services.jobs.views import CustomerView, DeviceView
from repairshop.services.uow import UnitOfWork

MIN_LOOKUP_LENGTH = 3
CANDIDATE_JOBS = 500
"""The newest jobs matching the text whose customers are considered."""


def find_customers(uow: UnitOfWork, text: str, limit: int = 8) -> list[CustomerView]:
    """Customers whose phone contains the typed number (with spaces, ``+``, ``00`` or the
    national trunk prefix alike), or whose name (every word) or e-mail contains the typed
    text, diacritics and case aside; by name. Fewer than three characters find nobody."""
    typed = text.strip()
    if len(typed) < MIN_LOOKUP_LENGTH:
        return []
    phone = phone_query(typed)
    jobs = matching_job_ids(uow, typed).order_by(Job.id.desc()).limit(CANDIDATE_JOBS)
    candidates = uow.session.scalars(
        select(Customer).where(
            Customer.id.in_(select(Job.customer_id).where(Job.id.in_(jobs.subquery().select())))
        )
    ).all()
    words = fold(typed).split()

    def matches(customer: Customer) -> bool:
        if phone is not None:
            forms = phone_search_forms(customer.phone)
            return any(spelling in form for spelling in phone for form in forms)
        name = fold(customer.name)
        email = fold(customer.email or "")
        return all(word in name for word in words) or fold(typed) in email

    found = sorted((c for c in candidates if matches(c)), key=lambda c: (fold(c.name), c.id))
    return [
        CustomerView(row.id, row.name, row.phone, row.email, row.language, row.consent_to_contact)
        for row in found[:limit]
    ]


def earlier_devices(uow: UnitOfWork, customer_id: int, limit: int = 10) -> list[DeviceView]:
    """The devices a returning customer brought before, newest first, each device once
    (the same brand, model, serial and IMEI brought twice is offered once).

    What they brought is read off their jobs, not off the device's current owner: a device
    is one record across its visits and follows whoever brought it last, and a phone the
    customer later passed on to someone else is still one they brought here."""
    last_visit = func.max(Job.id)
    brought = (
        select(Job.device_id, last_visit.label("last_visit"))
        .where(Job.customer_id == customer_id)
        .group_by(Job.device_id)
        .subquery()
    )
    rows = uow.session.scalars(
        select(Device)
        .join(brought, brought.c.device_id == Device.id)
        .order_by(brought.c.last_visit.desc())
        .limit(limit * 5)
    ).all()
    seen: set[tuple[str, str, str, str | None, str | None]] = set()
    devices: list[DeviceView] = []
    for row in rows:
        key = (row.device_type, fold(row.brand), fold(row.model), row.serial, row.imei)
        if key in seen:
            continue
        seen.add(key)
        devices.append(
            DeviceView(
                row.id, row.device_type, row.brand, row.model, row.serial, row.imei, row.colour
            )
        )
        if len(devices) == limit:
            break
    return devices
