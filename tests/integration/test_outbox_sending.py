"""The outbox sent by real servers the tests start on 127.0.0.1 (a small SMTP server, an
HTTP SMS gateway): once, in the customer's language, retried while a server is down, never
twice after a crash; reminders. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from repairshop.bootstrap import open_database
from repairshop.db.tables import Customer
from repairshop.domain.statuses import JobStatus
from repairshop.services.customers.messages import MessageKind, customer_message
from repairshop.services.customers.outbox import LEASE, job_messages
from repairshop.services.customers.sending import (
    MAIL_PASSWORD_VARIABLE,
    deliver,
    prepare,
    record,
    send_due,
)
from repairshop.services.database import Database
from repairshop.services.jobs.workflow import change_status, show_job
from repairshop.services.shop.settings import get_settings
from tests.helpers import SettableClock, run_in_process
from tests.integration.test_cli import EXAMPLE, Shop, shop
from tests.outbox_shop import mail, move, rows, setting, take_in, to_ready
from tests.servers import MailBox, Running, sms_gateway, smtp_server

S = JobStatus
__all__ = ["mail", "shop"]


def test_the_e_mail_goes_out_in_the_customers_language_with_its_headers(
    db: Database, mail: tuple[Running, MailBox]
) -> None:
    _server, box = mail
    czech = take_in(db)
    polish = take_in(
        db, name="Łukasz Żółć", email="lukasz@example.pl", language="pl", phone="+48601234567"
    )
    report = send_due(db)
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    assert len(box.received) == 2
    for code, received in zip((czech, polish), box.received, strict=True):
        with db.reader() as uow:
            view = show_job(uow, code, "admin")
            expected = customer_message(view, get_settings(uow), MessageKind.RECEIVED)
        mail_message = received.message
        assert received.recipients == [expected.email]
        assert mail_message["To"] == expected.email
        assert mail_message["Subject"] == expected.subject
        assert mail_message["From"] == "Opravna Žluťoučký kůň <servis@opravna.cz>"
        assert mail_message["Content-Language"] == expected.language
        assert mail_message["Message-ID"].endswith("@opravna.cz>")
        assert mail_message.get_content_charset() == "utf-8"
        assert mail_message.get_content().replace("\r\n", "\n") == expected.body
        raw_headers = received.data.split(b"\r\n\r\n", 1)[0]
        assert b"=?utf-8?" in raw_headers  # non-ASCII headers encoded, not raw bytes
        assert raw_headers.isascii()
    assert any(letter in box.received[0].message["Subject"] for letter in "ěščřžýáíéů")
    assert any(letter in box.received[1].message["Subject"] for letter in "ąęłńóśźż")

    again = send_due(db)
    assert (again.sent, again.retrying, again.failed) == (0, 0, 0)
    assert len(box.received) == 2
    with db.reader() as uow:
        logged = job_messages(uow, czech)
    assert [(m.kind, m.channel, m.state, m.error) for m in logged] == [
        ("received", "email", "sent", "")
    ]


def test_the_outbox_retries_while_the_server_is_down_and_sends_once_when_it_is_back(
    db: Database, mail: tuple[Running, MailBox], clock: SettableClock
) -> None:
    server, box = mail
    server.stop()
    take_in(db)
    first = send_due(db)
    assert (first.sent, first.retrying, first.failed) == (0, 1, 0)
    [row] = rows(db)
    assert (row.state, row.attempts) == ("queued", 1)
    assert "cannot be reached" in row.error

    assert send_due(db).retrying == 0  # not due again yet: it waits
    clock.advance(minutes=1)
    assert send_due(db).retrying == 1
    [row] = rows(db)
    assert row.attempts == 2
    assert (row.due_at - clock.now).total_seconds() == 120  # backing off: 1, 2, 4 … minutes

    server.start()
    clock.advance(minutes=2)
    assert send_due(db).sent == 1
    clock.advance(hours=2)
    assert send_due(db).sent == 0
    assert len(box.received) == 1
    [row] = rows(db)
    assert (row.state, row.attempts, row.error) == ("sent", 3, "")


def test_a_message_claimed_but_not_recorded_is_never_sent_again(
    db: Database, mail: tuple[Running, MailBox], clock: SettableClock
) -> None:
    _server, box = mail
    take_in(db)
    with db.unit_of_work() as uow:  # a sender claims it, and its process dies right there
        claimed = prepare(uow).claimed
        uow.commit()
    assert len(claimed) == 1

    assert send_due(db).sent == 0  # another desk's sender: the claim holds
    clock.advance(seconds=LEASE.total_seconds() + 1)
    report = send_due(db)
    assert (report.sent, report.failed) == (0, 0)
    assert box.received == []
    [row] = rows(db)
    assert row.state == "failed"
    assert "may have reached the customer" in row.error
    clock.advance(days=1)
    send_due(db)
    assert box.received == []


def test_a_refused_address_fails_without_retries_and_a_withdrawn_consent_stops_a_message(
    db: Database, mail: tuple[Running, MailBox]
) -> None:
    _server, box = mail
    box.refuse_recipients["jiri.dvorak@seznam.cz"] = "550 5.1.1 no such mailbox"
    take_in(db)
    take_in(db, email="jana@example.cz", phone="+420602111222", name="Jana Nová")
    with db.unit_of_work() as uow:
        customer = uow.session.scalars(select(Customer).where(Customer.name == "Jana Nová")).one()
        customer.consent_to_contact = False
        uow.commit()
    report = send_due(db)
    assert (report.sent, report.retrying, report.failed) == (0, 0, 1)
    first, second = rows(db)
    assert first.state == "failed"
    assert "550 5.1.1 no such mailbox" in first.error
    assert second.state == "failed"
    assert "withdrew" in second.error
    assert box.received == []


def test_sms_through_an_http_gateway_and_by_e_mail(
    db: Database, mail: tuple[Running, MailBox]
) -> None:
    _server, box = mail
    with sms_gateway() as (gateway, log):
        setting(
            db,
            sms__gateway="http",
            sms__url_template=f"http://127.0.0.1:{gateway.port}/send?to={{to}}&text={{text}}"
            "&ref={key}",
            notify__received="sms",
            notify__needs_approval="both",
        )
        code = take_in(db)
        move(db, code, S.DIAGNOSING, S.AWAITING_APPROVAL)
        report = send_due(db)
    assert (report.sent, report.failed) == (3, 0)
    with db.reader() as uow:
        view = show_job(uow, code, "admin")
        received = customer_message(view, get_settings(uow), MessageKind.RECEIVED)
        approval = customer_message(view, get_settings(uow), MessageKind.NEEDS_APPROVAL)
    assert [request["query"]["to"] for request in log.requests] == [["+420777123456"]] * 2
    assert log.texts() == [received.text, approval.text]
    assert "ř" in received.text or "í" in received.text
    keys = [request["query"]["ref"][0] for request in log.requests]
    assert len(set(keys)) == 2
    assert [message.recipients for message in box.received] == [["jiri.dvorak@seznam.cz"]]

    setting(
        db,
        sms__gateway="email",
        sms__email_template="{number}@sms.operator.cz",
        notify__ready="sms",
    )
    move(db, code, S.IN_REPAIR, S.TESTING, S.READY)
    box.received.clear()
    assert send_due(db).sent == 1
    [text] = box.received
    assert text.recipients == ["420777123456@sms.operator.cz"]
    with db.reader() as uow:
        view = show_job(uow, code, "admin")
        ready_text = customer_message(view, get_settings(uow), MessageKind.READY).text
    assert text.message.get_content().strip() == ready_text
    assert "Subject" not in text.message


def test_a_gateway_that_refuses_fails_and_one_that_is_busy_is_retried(
    db: Database, clock: SettableClock
) -> None:
    with sms_gateway() as (gateway, log):
        setting(
            db,
            sms__gateway="http",
            sms__method="POST",
            sms__url_template=f"http://127.0.0.1:{gateway.port}/api?to={{to}}",
            sms__body_template='{"to": "{to}", "message": "{text}", "id": "{key}"}',
            notify__received="sms",
        )
        log.status = 503
        take_in(db)
        assert send_due(db).retrying == 1
        log.status = 400
        clock.advance(minutes=1)
        assert send_due(db).failed == 1
        assert [row.error for row in rows(db)] == ["The SMS gateway answered 400 Bad Request."]
        assert len(log.requests) == 2
    body = log.requests[-1]["body"].decode()
    assert '"to": "+420777123456"' in body
    assert log.requests[-1]["headers"]["Content-Type"] == "application/json"


def reminders(db: Database) -> list[tuple[str, str]]:
    told = ("received", "needs_approval", "ready")
    return [(row.kind, row.state) for row in rows(db) if row.kind not in told]


def test_reminders_for_a_device_nobody_collects_and_an_unanswered_approval(
    db: Database, mail: tuple[Running, MailBox], clock: SettableClock
) -> None:
    _server, box = mail
    setting(
        db,
        reminder__ready_days="7",
        reminder__storage_fee_days="30",
        reminder__approval_days="3",
        notify__delayed="off",
    )
    ready = take_in(db)
    waiting = take_in(db, name="Jana Nová", email="jana@example.cz", phone="+420602111222")
    to_ready(db, ready)
    move(db, waiting, S.DIAGNOSING, S.AWAITING_APPROVAL)
    send_due(db)
    sent_before = len(box.received)

    clock.advance(days=2)
    send_due(db)
    assert reminders(db) == []
    clock.advance(days=1, minutes=1)
    send_due(db)
    clock.advance(days=4)
    send_due(db)
    send_due(db)
    assert reminders(db) == [
        ("approval_reminder", "sent"),
        ("reminder", "sent"),
    ]
    clock.advance(days=23)
    send_due(db)
    clock.advance(days=30)
    send_due(db)
    assert reminders(db)[-1] == ("storage_fee", "sent")
    assert len(box.received) == sent_before + 3
    subjects = [message.message["Subject"] for message in box.received[sent_before:]]
    assert all(ready in subject or waiting in subject for subject in subjects)

    setting(db, notify__reminder="off")
    with db.unit_of_work() as uow:
        change_status(uow, waiting, S.ON_HOLD, "admin")
        change_status(uow, waiting, S.AWAITING_APPROVAL, "admin")
        uow.commit()
    clock.advance(days=10)
    send_due(db)
    assert [kind for kind, _state in reminders(db)].count("approval_reminder") == 1


def test_a_late_job_tells_the_customer_once(
    db: Database, mail: tuple[Running, MailBox], clock: SettableClock
) -> None:
    take_in(db, consent=True)
    clock.advance(days=5)
    send_due(db)
    assert reminders(db) == []
    clock.advance(days=3)
    send_due(db)
    send_due(db)
    assert reminders(db) == [("delayed", "sent")]


def test_the_outbox_on_the_command_line(shop: Shop) -> None:
    env = {"LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": shop.url}
    with smtp_server() as (server, box):
        for key, value in (
            ("mail.host", "127.0.0.1"),
            ("mail.port", str(server.port)),
            ("mail.security", "none"),
            ("mail.user", "servis"),
            ("mail.from", "servis@opravna.pl"),
        ):
            assert shop.run("settings", "set", key, value).returncode == 0
        settings = shop.json("settings", "show")
        assert settings["mail.port"] == {"value": server.port, "default": False}
        assert settings["notify.ready"] == {"value": "email", "default": True}
        assert settings["sms.gateway"] == {"value": "off", "default": True}
        refused = shop.run("settings", "set", "notify.ready", "fax")
        assert refused.returncode == 1
        assert "notify.ready" in refused.stderr

        code = shop.run("intake", str(EXAMPLE)).stdout.strip()
        [queued] = shop.json("outbox", "list")
        assert {key: queued[key] for key in ("job", "kind", "channel", "to", "state")} == {
            "job": code,
            "kind": "received",
            "channel": "email",
            "to": "lukasz.zolc@wp.pl",
            "state": "queued",
        }
        sent = run_in_process(
            ["outbox", "send", "--json"], env={**env, "REPAIRSHOP_MAIL_PASSWORD": "tajne"}
        )
        assert sent.returncode == 0, sent.stderr
        assert json.loads(sent.stdout) == {"sent": 1, "retrying": 0, "failed": 0}
        assert box.logins == [("servis", "tajne")]
        assert shop.run("outbox", "send").stdout.strip() == (
            "Sent: 0; to retry later: 0; failed: 0."
        )
    [message] = shop.json("job", "show", code)["messages"]
    assert {key: message[key] for key in ("kind", "channel", "to", "state", "error")} == {
        "kind": "received",
        "channel": "email",
        "to": "lukasz.zolc@wp.pl",
        "state": "sent",
        "error": None,
    }
    assert message["at"].endswith("+00:00")
    shown = shop.run("job", "show", code).stdout
    assert "Messages:" in shown
    assert "lukasz.zolc@wp.pl" in shown
    assert len(box.received) == 1
    assert box.received[0].message["Subject"] == "Urządzenie przyjęte do serwisu (zlecenie R000001)"


def test_a_sender_killed_between_sending_and_recording_does_not_send_twice(shop: Shop) -> None:
    """A real `repairshop outbox send` process, killed by the mail server the moment the
    message has come in (before the process can record it)."""
    with smtp_server() as (server, box):
        for key, value in (
            ("mail.host", "127.0.0.1"),
            ("mail.port", str(server.port)),
            ("mail.security", "none"),
            ("mail.from", "servis@opravna.pl"),
        ):
            assert shop.run("settings", "set", key, value).returncode == 0
        code = shop.run("intake", str(EXAMPLE)).stdout.strip()
        environment = {**os.environ, "LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": shop.url}
        sender = subprocess.Popen(
            [sys.executable, "-m", "repairshop", "outbox", "send"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        box.on_message = lambda: os.kill(sender.pid, signal.SIGKILL)
        assert sender.wait(timeout=120) == -signal.SIGKILL
        box.on_message = None
        assert len(box.received) == 1

        [claimed] = shop.json("outbox", "list")
        assert claimed["state"] == "queued"  # claimed, never recorded
        again = run_in_process(["outbox", "send"], env={"REPAIRSHOP_DATABASE_URL": shop.url})
        assert again.returncode == 0, again.stderr
        assert len(box.received) == 1  # the claim holds while its lease runs

        later = open_database(shop.url, clock=SettableClock(datetime.now(UTC) + LEASE * 2))
        try:
            report = send_due(later)
            send_due(later)
        finally:
            later.dispose()
        assert (report.sent, report.failed) == (0, 0)
        assert len(box.received) == 1
    [message] = shop.json("job", "show", code)["messages"]
    assert message["state"] == "failed"
    assert "may have reached the customer" in message["error"]


def test_starttls_that_the_server_does_not_offer_sends_nothing_in_clear_text(
    db: Database,
    mail: tuple[Running, MailBox],
    clock: SettableClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(MAIL_PASSWORD_VARIABLE, raising=False)
    _server, box = mail
    setting(db, mail__security="starttls")
    take_in(db)
    assert send_due(db).retrying == 1
    [row] = rows(db)
    assert "STARTTLS" in row.error
    setting(db, mail__security="none", mail__from="")
    clock.advance(minutes=1)
    assert send_due(db).retrying == 1
    [row] = rows(db)
    assert row.error == "Say which address the messages come from: the setting mail.from."
    setting(db, mail__from="servis@opravna.cz", mail__user="servis")
    clock.advance(minutes=2)
    assert send_due(db).retrying == 1
    [row] = rows(db)
    assert row.error.startswith("There is no password for the mail user servis:")
    assert box.received == []


def test_a_run_that_runs_out_of_time_sends_no_more_and_queues_the_rest_again(
    db: Database, mail: tuple[Running, MailBox]
) -> None:
    _server, box = mail
    take_in(db)
    take_in(db, email="jana@example.cz", phone="+420602111222", name="Jana Nová")
    with db.unit_of_work() as uow:
        prepared = prepare(uow)
        uow.commit()
    outcomes = deliver(prepared, budget=timedelta(0))
    with db.unit_of_work() as uow:
        report = record(uow, outcomes)
        uow.commit()
    assert (report.sent, report.retrying) == (0, 2)
    assert box.received == []
    assert [(row.state, row.error) for row in rows(db)] == [
        ("queued", "Not sent yet: the server was slow.")
    ] * 2
