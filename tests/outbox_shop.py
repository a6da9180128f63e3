"""A shop whose customers are told: settings, intake with or without consent, moves, the
outbox's rows, and the ``mail`` fixture (a real SMTP server the shop sends to)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from repairshop.db.tables import OutboxMessage
from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.statuses import JobStatus
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from repairshop.services.money.approval import approve
from repairshop.services.shop.settings import set_setting
from tests.helpers import intake_document
from tests.servers import MailBox, Running, smtp_server

S = JobStatus


def setting(db: Database, **values: str) -> None:
    with db.unit_of_work() as uow:
        for key, value in values.items():
            set_setting(uow, key.replace("__", "."), value, "admin")
        uow.commit()


def take_in(db: Database, consent: bool = True, **customer: str) -> str:
    document = intake_document()
    document["customer"] = {**document["customer"], "consent_to_contact": consent, **customer}
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(document), "admin").code
        uow.commit()
    return code


def move(db: Database, code: str, *statuses: JobStatus) -> None:
    for status in statuses:
        with db.unit_of_work() as uow:
            if status is S.IN_REPAIR:
                approve(uow, code, Decimal("3490"), ApprovalMethod.PHONE, "admin")
            change_status(uow, code, status, "admin")
            uow.commit()


def to_ready(db: Database, code: str) -> None:
    move(db, code, S.DIAGNOSING, S.AWAITING_APPROVAL, S.IN_REPAIR, S.TESTING, S.READY)


def rows(db: Database) -> list[OutboxMessage]:
    with db.reader() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def mail(db: Database) -> Iterator[tuple[Running, MailBox]]:
    with smtp_server() as (server, box):
        setting(
            db,
            mail__host="127.0.0.1",
            mail__port=str(server.port),
            mail__security="none",
            mail__from="servis@opravna.cz",
            name="Opravna Žluťoučký kůň",
        )
        yield server, box
