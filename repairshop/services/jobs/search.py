"""Search as the scan/search box does it: ticket code, customer, contacts, serial, IMEI, device.

Each job keeps a lower-cased ``search_text``; SQLite indexes it with FTS5's
trigram tokenizer, PostgreSQL with a pg_trgm GIN index, so a substring search
stays fast at a million jobs. Terms shorter than three characters cannot use a
trigram index and filter the candidates instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers
from sqlalchemy import Integer, Select, select, text

from repairshop.db.tables import Customer, Device, Job
from repairshop.domain.codes import looks_like_ticket_code, normalise_ticket_code
from repairshop.services.uow import UnitOfWork

_SPLIT = re.compile(r"[\s,;]+")
_PHONE_PUNCTUATION = re.compile(r"[()\-/.]")


def search_text_for(code: str, customer: Customer, device: Device) -> str:
    parts: Iterable[str | None] = (
        code,
        customer.name,
        customer.phone,
        _national_digits(customer.phone),
        customer.email,
        device.serial,
        device.imei,
        device.brand,
        device.model,
    )
    return " ".join(part for part in parts if part).lower()


def _national_digits(e164: str | None) -> str | None:
    """``+420777123456`` → ``777123456`` so a number typed without its country code is found."""
    if not e164:
        return None
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    return str(number.national_number)


def search_terms(query: str) -> list[str]:
    terms = []
    for raw in _SPLIT.split(query.strip().lower()):
        term = _PHONE_PUNCTUATION.sub("", raw) if any(ch.isdigit() for ch in raw) else raw
        if term:
            terms.append(term)
    return terms


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_job_ids(uow: UnitOfWork, query: str, limit: int = 50) -> list[int]:
    """Ids of the jobs matching every term, newest first; an exact ticket code comes first."""
    terms = search_terms(query)
    if not terms:
        return list(uow.session.scalars(select(Job.id).order_by(Job.id.desc()).limit(limit)))
    exact: list[int] = []
    if len(terms) == 1 and looks_like_ticket_code(query):
        job_id = uow.session.scalar(select(Job.id).where(Job.code == normalise_ticket_code(query)))
        if job_id is not None:
            exact = [job_id]
    statement = _matching(uow, terms).order_by(Job.id.desc()).limit(limit)
    found = [job_id for job_id in uow.session.scalars(statement) if job_id not in exact]
    return (exact + found)[:limit]


def _matching(uow: UnitOfWork, terms: list[str]) -> Select[int]:
    statement = select(Job.id)
    indexed = [term for term in terms if len(term) >= 3]
    if uow.dialect == "sqlite" and indexed:
        match = " AND ".join('"' + term.replace('"', '""') + '"' for term in indexed)
        fts = (
            text("SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :match")
            .bindparams(match=match)
            .columns(rowid=Integer)
        )
        statement = statement.where(Job.id.in_(fts))
        remaining = [term for term in terms if len(term) < 3]
    else:
        remaining = terms
    for term in remaining:
        statement = statement.where(Job.search_text.like(_like_pattern(term), escape="\\"))
    return statement


def matching_job_ids(uow: UnitOfWork, query: str) -> Select[int]:
    """A sub-query of the ids of every job matching ``query`` (for the job list's filter)."""
    terms = search_terms(query)
    return _matching(uow, terms) if terms else select(Job.id)
