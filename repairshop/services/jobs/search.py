"""Search as the scan/search box does it: ticket code, customer, contacts, serial, IMEI, device.

Each job keeps its folded text in two parts (:func:`repairshop.domain.folding.fold`:
lower-case ASCII, so ``novak`` finds "Novák" and ``gross`` finds "Groß"): ``search_text``,
its code, customer (with the phone in every form it is typed in), serial and IMEI, and
``search_device``, its device's brand and model, kept with the brand and model copied onto
the job for the list's order (``sort_keys.py``). A job matches a term found in either.
SQLite indexes both as the two columns of one FTS5 table (trigram tokenizer), PostgreSQL
each with a pg_trgm GIN index, so a substring search stays fast at a million jobs. The
query is folded by the same function. Terms shorter than three characters cannot use a
trigram index and filter the candidates instead.

The two parts are apart for the job list: a word that a fifth of the jobs hold ("apple") is
nearly always their brand, so in an order by device the list reads the brands and models
that hold it as ranges of the order's index and searches only the rest of the text for the
other jobs (``listing.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    TextClause,
    and_,
    column,
    func,
    or_,
    select,
    table,
    text,
    update,
)

from repairshop.db.tables import Customer, Device, Job
from repairshop.domain.codes import looks_like_ticket_code, normalise_ticket_code
from repairshop.domain.contacts import phone_query, phone_search_forms
from repairshop.domain.folding import fold
from repairshop.domain.text import clean_text
from repairshop.services.uow import UnitOfWork

_SPLIT = re.compile(r"[\s,;]+")
_PHONE_PUNCTUATION = re.compile(r"[()\-/.]")
_MIN_INDEXED = 3
"""The trigram index answers terms of at least three characters."""

Term = tuple[str, ...]
"""One search term: the job matches when its text contains any of these spellings."""

SEARCHED: tuple[Any, ...] = (Job.search_text, Job.search_device)
"""The two parts of a job's text a term is looked for in."""


def customer_search_text(name: str, phone: str | None, email: str | None) -> str:
    """The folded part of a job's search text that comes from its customer."""
    return fold(" ".join(part for part in (name, *phone_search_forms(phone), email) if part))


def search_text_of(code: str, customer_text: str, *, serial: str | None, imei: str | None) -> str:
    """A job's folded ``search_text`` (all but its device's brand and model);
    ``customer_text`` from :func:`customer_search_text`."""
    device = fold(" ".join(part for part in (serial, imei) if part))
    return " ".join(part for part in (fold(code), customer_text, device) if part)


def device_search_text(brand: str | None, model: str | None) -> str:
    """A job's folded ``search_device``: its device's brand and model (as copied onto the
    job: ``device_brand``, ``device_model``)."""
    return fold(" ".join(part for part in (brand, model) if part))


def search_text_for(code: str, customer: Customer, device: Device) -> str:
    return search_text_of(
        code,
        customer_search_text(customer.name, customer.phone, customer.email),
        serial=device.serial,
        imei=device.imei,
    )


def refresh_search_text(uow: UnitOfWork, customer: Customer, device: Device | None = None) -> None:
    """Recompute the search text of every job of ``customer``, and of every job on
    ``device`` (one record across its visits, maybe another customer's), after a correction
    of their name, contacts or a device, so the corrected spelling is what finds them. The
    jobs' versions stay: a card open on another of them is not made stale by it."""
    uow.session.flush()
    whose = Job.customer_id == customer.id
    rows = uow.session.execute(
        select(
            Job.id,
            Job.code,
            Customer.name,
            Customer.phone,
            Customer.email,
            Device.serial,
            Device.imei,
        )
        .join(Customer, Customer.id == Job.customer_id)
        .join(Device, Device.id == Job.device_id)
        .where(or_(whose, Job.device_id == device.id) if device is not None else whose)
    ).all()
    for job_id, code, name, phone, email, serial, imei in rows:
        uow.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                search_text=search_text_of(
                    code,
                    customer_search_text(name, phone, email),
                    serial=serial,
                    imei=imei,
                )
            )
            .execution_options(synchronize_session=False)
        )


MAX_TERMS = 16
"""A pasted page is searched by its first words: every term is one more condition, and a
query of thousands is more than the database parses."""


def search_terms(query: str) -> list[Term]:
    """The terms of ``query``, folded, each once, at most :data:`MAX_TERMS`; a query that is
    a phone number is one term."""
    query = clean_text(query)
    phone = phone_query(query)
    if phone is not None:
        return [phone]
    terms: list[Term] = []
    for raw in _SPLIT.split(query.strip()):
        term = _PHONE_PUNCTUATION.sub("", raw) if any(ch.isdigit() for ch in raw) else raw
        term = "".join(fold(term).split())
        if term and (term,) not in terms:
            terms.append((term,))
            if len(terms) == MAX_TERMS:
                break
    return terms


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_job_ids(uow: UnitOfWork, query: str, limit: int = 50) -> list[int]:
    """Ids of the jobs matching every term, newest first; an exact ticket code comes first."""
    query = clean_text(query)  # a NUL or half a character pasted in finds what the rest does
    terms = search_terms(query)
    if not terms:
        return list(uow.session.scalars(select(Job.id).order_by(Job.id.desc()).limit(limit)))
    exact: list[int] = []
    if len(terms) == 1 and looks_like_ticket_code(query):
        job_id = uow.session.scalar(select(Job.id).where(Job.code == normalise_ticket_code(query)))
        if job_id is not None:
            exact = [job_id]
    if uow.dialect == "postgresql":
        newest = _newest_matching_postgresql(uow, terms, limit)
    else:
        newest = list(uow.session.scalars(_newest_matching(uow, terms).limit(limit)))
    found = [job_id for job_id in newest if job_id not in exact]
    return (exact + found)[:limit]


RECENT_WINDOW = 4000
"""How many of the newest jobs PostgreSQL reads first for a search (about 1.5 ms)."""
RECENT_HITS_TO_WALK_ON = 8
"""Matches among them (0.2 %) from which walking on newest first is cheaper than the
trigram index."""


def _newest_matching_postgresql(uow: UnitOfWork, terms: list[Term], limit: int) -> list[int]:
    """The newest ``limit`` matching ids on PostgreSQL, whose trigram index cannot be read
    newest first (it yields every match, each then fetched to be sorted: 10,000 Nováks at a
    million jobs, 20-80 ms). So the newest :data:`RECENT_WINDOW` jobs are read first, by the
    primary key, for the matches among them; a common term (1 % of the jobs and more) has its
    page there. If it has not, those matches tell how common it is: a term met often enough
    goes on walking the key newest first (it stops at its last row soon), a rarer one is
    left to the trigram index, its few matches sorted. ``strpos`` is what the walks compare
    by, so that the planner cannot take the trigram index for them; ``id + 0`` orders the
    index's matches, so that it cannot walk the key for a rare term through the whole table.
    """
    indexed = [term for term in terms if min(map(len, term)) >= _MIN_INDEXED]
    if not indexed:  # nothing for the trigram index: walk the key, newest first
        return list(uow.session.scalars(_matching(uow, terms).order_by(Job.id.desc()).limit(limit)))
    contains = [
        or_(*(func.strpos(text, s) > 0 for s in term for text in SEARCHED)) for term in terms
    ]
    edge = select(func.max(Job.id)).scalar_subquery() - RECENT_WINDOW
    walk = select(Job.id).where(*contains).order_by(Job.id.desc())
    found = list(uow.session.scalars(walk.where(Job.id > edge).limit(limit)))
    if len(found) == limit:
        return found
    if len(found) >= RECENT_HITS_TO_WALK_ON:
        older = walk.where(Job.id <= edge)
    else:
        older = _matching(uow, terms).where(Job.id <= edge).order_by((Job.id + 0).desc())
    # The edge is read again: a job taken in meanwhile moves it, and may come twice.
    rest = uow.session.scalars(older.limit(limit - len(found)))
    return found + [job_id for job_id in rest if job_id not in found]


_JOBS_FTS = table("jobs_fts", column("rowid", Integer))


def _newest_matching(uow: UnitOfWork, terms: list[Term]) -> Select[int]:
    """The matching ids, newest first. On SQLite the search index is read newest first
    itself (FTS5 walks its rowids backwards), so the first page stops after its rows
    instead of gathering every match (tens of thousands for an IMEI's first digits) to
    sort them."""
    indexed = [term for term in terms if min(map(len, term)) >= _MIN_INDEXED]
    if uow.dialect != "sqlite" or not indexed:
        return _matching(uow, terms).order_by(Job.id.desc())
    match = _fts_match(_all_of(indexed))
    remaining = [_like(term) for term in terms if term not in indexed]
    if not remaining:
        return select(_JOBS_FTS.c.rowid).where(match).order_by(_JOBS_FTS.c.rowid.desc())
    return (
        select(Job.id)
        .select_from(_JOBS_FTS)
        .join(Job, Job.id == _JOBS_FTS.c.rowid)
        .where(match, *remaining)
        .order_by(_JOBS_FTS.c.rowid.desc())
    )


def _fts_match(expression: str) -> TextClause:
    """SQLite's search index asked for ``expression`` (FTS5's query syntax)."""
    return text("jobs_fts MATCH :match").bindparams(match=expression)


def _all_of(terms: list[Term]) -> str:
    """FTS5's query for rows holding every one of ``terms``."""
    return " AND ".join(_fts_phrase(term) for term in terms)


def _fts_phrase(term: Term) -> str:
    phrases = ['"' + spelling.replace('"', '""') + '"' for spelling in term]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def _like(term: Term, columns: Sequence[Any] = SEARCHED) -> ColumnElement[bool]:
    return or_(*(text.like(_like_pattern(s), escape="\\") for s in term for text in columns))


def _matching(uow: UnitOfWork, terms: list[Term]) -> Select[int]:
    statement = select(Job.id)
    indexed = [term for term in terms if min(map(len, term)) >= _MIN_INDEXED]
    if uow.dialect == "sqlite" and indexed:
        fts = (
            text("SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :match")
            .bindparams(match=_all_of(indexed))
            .columns(rowid=Integer)
        )
        statement = statement.where(Job.id.in_(fts))
        remaining = [term for term in terms if term not in indexed]
    else:
        remaining = terms
    for term in remaining:
        statement = statement.where(_like(term))
    return statement


def matching_job_ids(uow: UnitOfWork, query: str) -> Select[int]:
    """A sub-query of the ids of every job matching ``query`` (for the job list's filter)."""
    terms = search_terms(query)
    return _matching(uow, terms) if terms else select(Job.id)


def row_matches(query: str, columns: Sequence[Any] = SEARCHED) -> ColumnElement[bool]:
    """Whether a job's own row matches ``query``: what :func:`matching_job_ids` selects,
    tested on ``search_text`` and ``search_device`` (the trigram index finds a term as a
    substring, as ``LIKE`` does), for a list that walks another index and tests each job it
    meets; ``columns``, those two as a sub-query gives them."""
    return and_(*(_like(term, columns) for term in search_terms(query)))


def indexed_matches(query: str) -> Select[tuple[int]] | None:
    """The ids of the jobs matching ``query`` straight from SQLite's search index (no row
    read), or ``None`` when a term is too short for it; for SQLite only."""
    terms = search_terms(query)
    if not terms or any(min(map(len, term)) < _MIN_INDEXED for term in terms):
        return None
    return select(_JOBS_FTS.c.rowid).where(_fts_match(_all_of(terms)))


def many_matches(uow: UnitOfWork, query: str, at_least: int) -> bool:
    """Whether SQLite's search index finds ``at_least`` jobs for ``query``, counting no
    further (a word a fifth of the jobs hold is 200,000 matches at a million); a query of
    short terms only, which no index answers, counts as many. Never on PostgreSQL."""
    if uow.dialect != "sqlite":
        return False
    indexed = [term for term in search_terms(query) if min(map(len, term)) >= _MIN_INDEXED]
    if not indexed:
        return True
    found = uow.session.scalar(
        text(
            "SELECT count(*) FROM (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :match "
            "LIMIT :at_least)"
        ).bindparams(match=_all_of(indexed), at_least=at_least)
    )
    return int(found or 0) >= at_least


def device_term(query: str) -> Term | None:
    """The one term of ``query`` if the search index answers it (three characters and
    more): what the job list may look up among the brands and models (``listing.py``)."""
    terms = search_terms(query)
    if len(terms) != 1 or min(map(len, terms[0])) < _MIN_INDEXED:
        return None
    return terms[0]


def in_device_text(term: Term, brand: str, model: str) -> bool:
    """Whether a job of this brand and model matches ``term`` by its ``search_device``."""
    text = device_search_text(brand, model)
    return any(spelling in text for spelling in term)


def held_elsewhere(uow: UnitOfWork, term: Term) -> ColumnElement[bool]:
    """Whether a job's ``search_text`` (all but its brand and model) holds ``term``: on
    SQLite its id among the search index's matches in that column alone, on PostgreSQL the
    text itself (its trigram index reads it as a bitmap)."""
    if uow.dialect == "sqlite":
        match = _fts_match("{search_text}: " + _fts_phrase(term))
        return Job.id.in_(select(_JOBS_FTS.c.rowid).where(match))
    return _like(term, (Job.search_text,))
