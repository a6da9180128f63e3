"""Feedback after collection, the customer card and merging, GDPR export and anonymisation,
the retention rule; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import String, Text, select, update

from repairshop.db.tables import (
    AuditEntry,
    Base,
    Customer,
    Feedback,
    Invoice,
    InvoiceLine,
    Job,
    OutboxMessage,
    User,
)
from repairshop.domain.payments import PaymentMethod
from repairshop.domain.statuses import JobStatus as S
from repairshop.errors import NotFound, PermissionDenied, ValidationError
from repairshop.services.customers.card import (
    ANONYMISED_NAME,
    card_to_json,
    customer_card,
    merge_customers,
    set_consent,
)
from repairshop.services.customers.feedback import get_feedback, record_feedback
from repairshop.services.customers.privacy import (
    anonymise_customer,
    export_customer,
    run_privacy,
)
from repairshop.services.database import Database
from repairshop.services.jobs.details import DetailsEdit, edit_details
from repairshop.services.jobs.workflow import add_note
from repairshop.services.money.collection import CollectRequest, PaymentInput, bill, collect
from repairshop.services.reports.feedback import feedback_report, feedback_to_json
from repairshop.services.reports.figures import Period
from repairshop.services.shop.users import add_user
from tests.helpers import SettableClock, run_in_process
from tests.integration.test_collection import czech_shop, ready_job
from tests.integration.test_money import commit
from tests.outbox_shop import setting

NAME, PHONE, EMAIL = "Jiří Dvořák", "+420777123456", "jiri.dvorak@seznam.cz"


def collected(db: Database, **intake: Any) -> str:
    code = ready_job(db, ("Display", "3000"), estimate="4000", **intake)
    with db.reader() as uow:
        due = bill(uow, code).due
    request = CollectRequest(
        payments=(PaymentInput(PaymentMethod.CARD, due),),
        desk="desk-1",
        collected_by="Jiří Dvořák",
    )
    commit(db, lambda uow: collect(uow, code, request, "admin"))
    return code


def customer_id(db: Database, code: str) -> int:
    with db.reader() as uow:
        return int(uow.session.scalar(select(Job.customer_id).where(Job.code == code)) or 0)


def mail_on(db: Database) -> None:
    setting(db, mail__host="127.0.0.1", mail__from="servis@opravna.cz", notify__feedback="email")


def test_collection_asks_for_feedback_with_a_reply_code_the_counter_takes(db: Database) -> None:
    czech_shop(db)
    mail_on(db)
    document_customer = {"name": NAME, "phone": PHONE, "email": EMAIL, "language": "cs"}
    code = collected(db, customer={**document_customer, "consent_to_contact": True})
    with db.reader() as uow:
        feedback = get_feedback(uow, code)
        queued = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "feedback")
        ).all()
    assert feedback is not None
    assert feedback.score is None
    assert len(feedback.reply_code) == 6
    assert [(row.channel, row.recipient, row.language) for row in queued] == [
        ("email", EMAIL, "cs")
    ]
    assert feedback.reply_code in queued[0].body
    assert code in queued[0].subject

    # The shop's page takes the customer's answer by the reply code, in any case.
    answer = commit(
        db, lambda uow: record_feedback(uow, feedback.reply_code.lower(), 9, " Rychlé ", None)
    )
    assert (answer.job_code, answer.score, answer.comment, answer.entered_by) == (
        code,
        9,
        "Rychlé",
        "reply",
    )
    # At the counter, by the ticket code; a second answer replaces the first.
    commit(db, lambda uow: record_feedback(uow, code, 3, "", "admin"))
    with db.reader() as uow:
        row = uow.session.scalar(select(Feedback))
    assert row is not None
    assert (row.score, row.entered_by) == (3, "admin")

    with pytest.raises(ValidationError):
        commit(db, lambda uow: record_feedback(uow, code, 11, "", "admin"))
    with pytest.raises(NotFound):
        commit(db, lambda uow: record_feedback(uow, code, 5, "", None))  # not a reply code


def test_no_feedback_message_without_consent_but_the_counter_still_takes_it(
    db: Database,
) -> None:
    mail_on(db)
    code = collected(db)  # intake_document's customer has not agreed
    with db.reader() as uow:
        assert uow.session.scalars(select(OutboxMessage)).all() == []
        assert get_feedback(uow, code) is not None
    commit(db, lambda uow: record_feedback(uow, code, 10, "", "admin"))


def test_feedback_before_collection_is_refused(db: Database) -> None:
    code = ready_job(db, ("Display", "3000"), estimate="4000")
    with pytest.raises(ValidationError):
        commit(db, lambda uow: record_feedback(uow, code, 8, "", "admin"))


def test_nps_per_technician_device_type_and_month(db: Database, clock: SettableClock) -> None:
    commit(db, lambda uow: add_user(uow, "eva", "Eva Nováková", "technician", "admin"))
    codes = [collected(db) for _ in range(4)]
    commit(
        db,
        lambda uow: uow.session.execute(
            update(Job)
            .where(Job.code == codes[0])
            .values(assignee_id=select(User.id).where(User.login == "eva").scalar_subquery())
        ),
    )
    for code, score in zip(codes, (10, 9, 7, 2), strict=True):
        commit(db, lambda uow, c=code, s=score: record_feedback(uow, c, s, "ok", "admin"))
    clock.advance(days=40)
    later = collected(db)
    commit(db, lambda uow: record_feedback(uow, later, 0, "", "admin"))
    with db.reader() as uow:
        data = feedback_to_json(feedback_report(uow, Period()))
    # 2 promoters, 1 passive, 2 detractors of 5: NPS 0.
    assert (data["count"], data["nps"], data["asked"]) == (5, 0.0, 5)
    assert data["mean_score"] == 5.6
    by_month = {row["month"]: (row["count"], row["nps"]) for row in data["by_month"]}
    assert by_month == {"2026-03": (4, 25.0), "2026-04": (1, -100.0)}
    by_technician = {row["technician"]: row["count"] for row in data["by_technician"]}
    assert by_technician["Eva Nováková"] == 1
    assert [row["device_type"] for row in data["by_device_type"]] == ["phone"]
    assert data["comments"][0]["comment"] == "ok"


def test_the_customer_card_holds_everything_and_consent_changes_are_recorded(
    db: Database, clock: SettableClock
) -> None:
    czech_shop(db)
    code = collected(db)
    other = ready_job(db, ("Battery", "900"), estimate="1000")
    commit(db, lambda uow: set_consent(uow, customer_id(db, code), True, "admin"))
    clock.advance(hours=1)
    commit(db, lambda uow: set_consent(uow, "+420 777 123 456", False, "admin"))
    with db.reader() as uow:
        card = card_to_json(customer_card(uow, "777 123 456"))
    assert card["name"] == NAME
    assert card["phone"] == PHONE
    assert card["consent"] == {
        "to_contact": False,
        "changed_at": clock.now.isoformat(),
        "changed_by": "admin",
    }
    assert {job["code"] for job in card["jobs"]} == {code, other}  # type: ignore[union-attr]
    assert [invoice["job"] for invoice in card["invoices"]] == [code]  # type: ignore[union-attr]
    assert card["spent"] == [{"currency": "CZK", "amount_minor": 300000}]
    assert len(card["devices"]) == 1  # type: ignore[arg-type]
    with db.reader() as uow, pytest.raises(NotFound):
        customer_card(uow, "+420 601 000 000")


def test_a_manager_merges_a_duplicate_jobs_move_history_stays(db: Database) -> None:
    czech_shop(db)
    first = ready_job(db, ("Display", "3000"), estimate="4000")
    duplicate = {"name": "Jiri Dvorak", "phone": "+420 601 222 333", "language": "cs"}
    second = ready_job(db, ("Battery", "900"), estimate="1000", customer=duplicate)
    keep, other = customer_id(db, first), customer_id(db, second)
    assert keep != other
    commit(db, lambda uow: add_user(uow, "klara", "Klára", "clerk", "admin"))
    with pytest.raises(PermissionDenied):
        commit(db, lambda uow: merge_customers(uow, keep, other, "klara"))
    commit(db, lambda uow: merge_customers(uow, str(keep), str(other), "admin"))
    with db.reader() as uow:
        card = customer_card(uow, keep)
        gone = customer_card(uow, other)
        moved = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.job_code == second, AuditEntry.action == "changed")
        ).all()
    assert {job.code for job in card.jobs} == {first, second}
    assert card.merged == [other]
    assert (gone.merged_into, gone.jobs, gone.name) == (keep, [], "Jiri Dvorak")
    assert any(json.loads(row.changes).get("customer_id") == [other, keep] for row in moved)
    with pytest.raises(ValidationError):
        commit(db, lambda uow: merge_customers(uow, keep, other, "admin"))


def _personal_data_left(db: Database, needles: tuple[str, ...]) -> list[tuple[str, str, Any]]:
    """Every text cell of every table that still holds one of ``needles``."""
    found = []
    with db.reader() as uow:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            for row in uow.session.execute(select(*columns)).all() if columns else []:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str) and any(
                        needle.lower() in value.lower() for needle in needles
                    ):
                        found.append((table.name, column.name, value))
    return found


def test_anonymisation_leaves_no_personal_data_in_any_table_and_invoices_add_up(
    db: Database, clock: SettableClock
) -> None:
    czech_shop(db)
    mail_on(db)
    setting(db, notify__ready="email")
    person = {"name": NAME, "phone": PHONE, "email": EMAIL, "language": "cs"}
    code = collected(
        db,
        customer={**person, "consent_to_contact": True},
        fault="Jiří says the screen of 777 123 456 flickers",
    )
    commit(db, lambda uow: add_note(uow, code, "Called Dvořák on 777123456", "admin"))
    someone_else = ready_job(db, ("Battery", "900"), estimate="1000", customer={
        "name": "Eva Malá", "phone": "+420 602 111 222", "language": "cs"})  # fmt: skip
    needles = (NAME, "Dvořák", PHONE, "777 123 456", "777123456", EMAIL)
    assert _personal_data_left(db, needles)  # the check can fail
    with db.reader() as uow:
        invoice_before = uow.session.scalar(select(Invoice).where(Invoice.customer_name == NAME))
        assert invoice_before is not None
        gross, number = invoice_before.gross_minor, invoice_before.number

    commit(db, lambda uow: add_user(uow, "klara", "Klára", "clerk", "admin"))
    with pytest.raises(PermissionDenied):
        commit(db, lambda uow: anonymise_customer(uow, PHONE, "klara"))
    commit(db, lambda uow: anonymise_customer(uow, PHONE, "admin"))

    left = _personal_data_left(db, needles)
    assert left == [], left
    with db.reader() as uow:
        invoice = uow.session.scalar(select(Invoice).where(Invoice.number == number))
        assert invoice is not None
        lines = uow.session.scalars(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
        ).all()
        job = uow.session.scalar(select(Job).where(Job.code == code))
        customer = uow.session.get(Customer, customer_id(db, code))
        other = uow.session.scalar(select(Job).where(Job.code == someone_else))
        assert other is not None
        assert other.customer.name == "Eva Malá"
    assert (invoice.customer_name, invoice.gross_minor) == (ANONYMISED_NAME, gross)
    assert sum(line.gross_minor for line in lines) == invoice.gross_minor
    assert job is not None
    assert job.passcode == ""
    assert job.status == S.COLLECTED.value
    assert customer is not None
    assert customer.anonymised_at == clock.now
    with db.reader() as uow:
        states = set(uow.session.scalars(select(OutboxMessage.state)))
    assert states == {"failed"}  # what was queued for them never goes
    assert (customer.name, customer.phone, customer.email) == (ANONYMISED_NAME, None, None)
    with pytest.raises(ValidationError):
        commit(db, lambda uow: anonymise_customer(uow, customer_id(db, code), "admin"))


def test_the_export_holds_the_jobs_history_and_the_pdf_reads(db: Database, tmp_path: Any) -> None:
    czech_shop(db)
    code = collected(db)
    commit(db, lambda uow: record_feedback(uow, code, 8, "Fajn", "admin"))
    with db.reader() as uow:
        data = export_customer(uow, customer_id(db, code), "admin")
    assert data["name"] == NAME
    assert data["email"] == EMAIL
    [job] = data["jobs"]
    assert job["code"] == code
    assert job["feedback"]["score"] == 8
    assert job["status"] == "collected"
    assert job["history"][0]["kind"] == "created"
    json.dumps(data)


def test_retention_anonymises_the_inactive_and_erases_old_passcodes(
    db: Database, clock: SettableClock
) -> None:
    old = collected(db)
    with db.unit_of_work() as uow:  # a pattern lock drawn too: it goes with the passcode
        uow.session.execute(update(Job).where(Job.code == old).values(pattern_lock="1-2-3-6"))
        uow.commit()
    clock.advance(days=31)
    recent = collected(db, customer={"name": "Eva Malá", "phone": "+420 602 111 222"})
    setting(db, privacy__passcode_days="30", privacy__retention_years="0")
    done = commit(db, run_privacy)
    assert (done.anonymised, done.passcodes_erased) == ([], 1)
    with db.reader() as uow:
        passcodes = dict(uow.session.execute(select(Job.code, Job.passcode)).all())
        patterns = dict(uow.session.execute(select(Job.code, Job.pattern_lock)).all())
    assert passcodes == {old: "", recent: "1234"}
    assert patterns[old] == ""

    setting(db, privacy__retention_years="2")
    clock.advance(days=365 * 2 - 20)  # the first customer's last visit is over 2 years ago
    done = commit(db, run_privacy)
    assert done.anonymised == [customer_id(db, old)]
    with db.reader() as uow:
        names = sorted(uow.session.scalars(select(Customer.name)))
    assert names == sorted([ANONYMISED_NAME, "Eva Malá"])


def test_the_command_line_shows_merges_exports_and_reports(db: Database, tmp_path: Any) -> None:
    czech_shop(db)
    code = collected(db)
    env = {"LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": db.engine.url.render_as_string(False)}
    shown = run_in_process(["customer", "show", "+420777123456", "--json"], env=env)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["jobs"][0]["code"] == code
    entered = run_in_process(["feedback", "enter", code, "10", "--comment", "Super"], env=env)
    assert entered.returncode == 0, entered.stderr
    report = run_in_process(["report", "feedback", "--json"], env=env)
    assert json.loads(report.stdout)["nps"] == 100.0
    pdf = tmp_path / "export.pdf"
    out = tmp_path / "export.json"
    exported = run_in_process(
        ["customer", "export", "+420777123456", "--out", str(out), "--pdf", str(pdf)], env=env
    )
    assert exported.returncode == 0, exported.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["name"] == NAME
    assert pdf.read_bytes().startswith(b"%PDF")
    refused = run_in_process(["customer", "merge", "1", "1"], env=env)
    assert refused.returncode == 1
    gone = run_in_process(["customer", "anonymise", "+420777123456"], env=env)
    assert gone.returncode == 0, gone.stderr
    run = run_in_process(["privacy", "run", "--json"], env=env)
    assert json.loads(run.stdout) == {"anonymised": [], "passcodes_erased": 0}


def test_consent_withdrawn_on_the_job_card_or_at_intake_is_recorded_with_when_and_who(
    db: Database, clock: SettableClock
) -> None:
    code = collected(db, customer={"name": NAME, "phone": PHONE, "consent_to_contact": True})
    clock.advance(days=2)
    later = ready_job(db, ("Battery", "900"), estimate="1000")  # consent not said: kept
    commit(
        db,
        lambda uow: edit_details(
            uow, later, DetailsEdit(consent_to_contact=False), "admin", expected_version=None
        ),
    )
    with db.reader() as uow:
        card = customer_card(uow, customer_id(db, code))
    assert not card.consent_to_contact
    assert (card.consent_changed_at, card.consent_changed_by) == (clock.now, "admin")


def test_the_shops_own_wording_per_language_is_what_the_customer_gets(db: Database) -> None:
    setting(db, mail__host="127.0.0.1", notify__received="email")
    setting(
        db,
        template__received__cs__subject="Máme to: {code}",
        template__received__cs__body="Dobrý den, {name},\n\n{device} je u nás ({shop}).",
    )
    with pytest.raises(ValidationError):
        setting(db, template__received__cs__text="Hotovo {when}")  # no such field
    with pytest.raises(ValidationError):
        setting(db, template__nonsense__cs__text="x")  # no such kind
    person = {"name": NAME, "phone": PHONE, "email": EMAIL, "language": "cs"}
    code = ready_job(db, ("Display", "3000"), customer={**person, "consent_to_contact": True})
    with db.reader() as uow:
        row = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "received")
        ).one()
    assert row.subject == f"Máme to: {code}"
    assert row.body == f"Dobrý den, {NAME},\n\nSamsung Galaxy S23 je u nás (Servisní centrum).\n"
    env = {"LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": db.engine.url.render_as_string(False)}
    shown = run_in_process(["job", "message", code, "--kind", "received", "--json"], env=env)
    assert json.loads(shown.stdout)["subject"] == f"Máme to: {code}"
    english = run_in_process(
        ["job", "message", code, "--kind", "received", "--language", "en", "--json"], env=env
    )
    assert json.loads(english.stdout)["subject"].startswith("Your device is with us")
