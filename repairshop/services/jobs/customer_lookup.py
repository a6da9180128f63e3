"""Finding a returning customer at the counter by phone, name or e-mail, as the clerk types.

The jobs' search index (FTS5 trigram / pg_trgm) finds the candidates, so the
lookup stays quick with hundreds of thousands of customers; the candidates are
then checked against the customer's own name, phone and e-mail.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from repairshop.db.tables import Customer, Job
from repairshop.services.jobs.search import matching_job_ids
from repairshop.services.jobs.views import CustomerView
from repairshop.services.uow import UnitOfWork

_NOT_DIGITS = re.compile(r"\D")
_PHONE_CHARACTERS = re.compile(r"^[\d\s+()\-/.]+$")
MIN_LOOKUP_LENGTH = 3
CANDIDATE_JOBS = 500
"""The newest jobs matching the text whose customers are considered."""


def find_customers(uow: UnitOfWork, text: str, limit: int = 8) -> list[CustomerView]:
    """Customers whose phone contains the typed digits, or whose name (every word) or
    e-mail contains the typed text; by name. Fewer than three characters find nobody."""
    typed = text.strip()
    if len(typed) < MIN_LOOKUP_LENGTH:
        return []
    digits = _NOT_DIGITS.sub("", typed)
    by_phone = bool(_PHONE_CHARACTERS.match(typed)) and len(digits) >= MIN_LOOKUP_LENGTH
    query = digits if by_phone else typed
    jobs = matching_job_ids(uow, query).order_by(Job.id.desc()).limit(CANDIDATE_JOBS)
    candidates = uow.session.scalars(
        select(Customer).where(
            Customer.id.in_(select(Job.customer_id).where(Job.id.in_(jobs.subquery().select())))
        )
    ).all()
    words = typed.casefold().split()

    def matches(customer: Customer) -> bool:
        if by_phone:
            return digits in _NOT_DIGITS.sub("", customer.phone or "")
        name = customer.name.casefold()
        email = (customer.email or "").casefold()
        return all(word in name for word in words) or typed.casefold() in email

    found = sorted((c for c in candidates if matches(c)), key=lambda c: (c.name.casefold(), c.id))
    return [
        CustomerView(row.id, row.name, row.phone, row.email, row.language, row.consent_to_contact)
        for row in found[:limit]
    ]
