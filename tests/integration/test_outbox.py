"""Messages to customers are queued with the status change that calls for them, once, only
with consent and only by a channel the shop set up; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from repairshop.domain.statuses import JobStatus
from repairshop.errors import ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.workflow import change_status
from repairshop.services.shop.messaging import get_messaging
from repairshop.services.shop.settings import set_setting
from tests.outbox_shop import mail, move, rows, setting, take_in
from tests.servers import MailBox, Running

S = JobStatus
__all__ = ["mail"]


def test_a_status_change_queues_its_message_in_the_same_transaction_only_with_consent(
    db: Database, mail: tuple[Running, MailBox]
) -> None:
    agreed = take_in(db)
    refused = take_in(db, consent=False, email="jana@example.cz", phone="+420602111222")
    assert [(row.kind, row.channel, row.recipient) for row in rows(db)] == [
        ("received", "email", "jiri.dvorak@seznam.cz")
    ]

    with db.unit_of_work() as uow:  # moved but never committed: nothing queued
        change_status(uow, agreed, S.DIAGNOSING, "admin")
        change_status(uow, agreed, S.AWAITING_APPROVAL, "admin")
        assert len(rows(db)) == 1
    move(db, refused, S.DIAGNOSING, S.AWAITING_APPROVAL)
    move(db, agreed, S.DIAGNOSING, S.AWAITING_APPROVAL)
    assert [row.kind for row in rows(db)] == ["received", "needs_approval"]

    setting(db, notify__ready="off", notify__needs_approval="both")
    move(db, agreed, S.IN_REPAIR, S.TESTING, S.READY)
    assert [row.kind for row in rows(db)] == ["received", "needs_approval"]


def test_nothing_is_queued_for_a_channel_the_shop_has_not_set_up(db: Database) -> None:
    take_in(db)
    setting(db, notify__received="sms")
    take_in(db)
    assert rows(db) == []


def test_the_message_settings_are_checked(db: Database) -> None:
    for key, value in (
        ("mail.security", "ssl"),
        ("mail.port", "0"),
        ("notify.ready", "fax"),
        ("sms.gateway", "pigeon"),
        ("sms.url_template", "ftp://x/{to}"),
        ("sms.url_template", "https://sms.example/send"),
        ("reminder.ready_days", "-1"),
        ("mail.from", "not an address"),
    ):
        with db.unit_of_work() as uow, pytest.raises(ValidationError):
            set_setting(uow, key, value, "admin")
    setting(db, mail__security=" STARTTLS ", sms__method="post")
    with db.reader() as uow:
        messaging = get_messaging(uow)
    assert (messaging["mail.security"], messaging["sms.method"]) == ("starttls", "POST")


def test_each_move_the_customer_hears_about_queues_its_own_kind(
    db: Database, mail: tuple[Running, MailBox]
) -> None:
    setting(db, notify__delayed="off")
    code = take_in(db)
    move(db, code, S.DIAGNOSING, S.AWAITING_PARTS, S.DIAGNOSING, S.AWAITING_APPROVAL)
    move(db, code, S.IN_REPAIR, S.AWAITING_PARTS)
    with db.unit_of_work() as uow:
        change_status(uow, code, S.IN_REPAIR, "admin")  # the parts came
        change_status(uow, code, S.TESTING, "admin")
        change_status(uow, code, S.READY, "admin")
        uow.commit()
    unrepaired = take_in(db)
    move(db, unrepaired, S.CANCELLED, S.READY)
    assert [(row.job_id, row.kind) for row in rows(db)] == [
        (1, "received"),
        (1, "waiting_for_parts"),
        (1, "parts_arrived"),
        (1, "needs_approval"),
        (1, "waiting_for_parts"),
        (1, "parts_arrived"),
        (1, "ready"),
        (2, "received"),
        (2, "ready_unrepaired"),
    ]
    assert len({row.key for row in rows(db)}) == 9
