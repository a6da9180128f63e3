"""Finding a returning customer at the counter by phone or name, as the clerk types."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, func, or_, select

from repairshop.db.tables import Customer
from repairshop.services.uow import UnitOfWork
from repairshop.services.views import CustomerView

_NOT_DIGITS = re.compile(r"\D")
MIN_LOOKUP_LENGTH = 3


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_customers(uow: UnitOfWork, text: str, limit: int = 8) -> list[CustomerView]:
    """Customers whose phone contains the typed digits or whose name starts with the text.

    Fewer than three characters find nobody: too many matches to be of use.
    """
    typed = text.strip()
    if len(typed) < MIN_LOOKUP_LENGTH:
        return []
    digits = _NOT_DIGITS.sub("", typed)
    conditions: list[ColumnElement[bool]] = [
        func.lower(Customer.name).like(_like(typed.lower()) + "%", escape="\\")
    ]
    if len(digits) >= MIN_LOOKUP_LENGTH:
        conditions.append(Customer.phone.like("%" + _like(digits) + "%", escape="\\"))
    if "@" in typed:
        conditions.append(func.lower(Customer.email) == typed.lower())
    rows = uow.session.scalars(
        select(Customer).where(or_(*conditions)).order_by(Customer.name, Customer.id).limit(limit)
    ).all()
    return [
        CustomerView(row.id, row.name, row.phone, row.email, row.language, row.consent_to_contact)
        for row in rows
    ]
