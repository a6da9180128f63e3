"""The power goes in the middle of the day's work: a process taking in devices, moving jobs
and stock, collecting jobs at the counter and now and then crediting an invoice is killed
(SIGKILL, no chance to clean up) twenty times at random moments; each time the database
opens and is whole.

Whole means: SQLite's own integrity check passes; every job has its customer, its device,
its "created" line and a status its history explains; every part's stock equals its ledger
and its reservations equal the jobs' reservations; ticket codes run 1…N with no gap;
documents (invoices, credit notes, handover documents) run 1…N per kind and year with no
gap, as far as their counter says; every document's totals equal its lines, and the
payments on it (deposit, payment at collection, refund) come to its total and its cash
rounding; a job is collected exactly when it has its one document.

The worker is forked from a clean server process (multiprocessing's forkserver) that has
the core imported already, so twenty kills cost seconds, not twenty interpreter starts.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from decimal import Decimal
from multiprocessing.sharedctypes import Synchronized

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from repairshop.bootstrap import open_database
from repairshop.db.tables import (
    Counter,
    Invoice,
    InvoiceLine,
    Job,
    JobEvent,
    JobPart,
    Part,
    Payment,
    Setting,
)
from repairshop.domain.payments import DocumentKind, PaymentMethod, document_number
from repairshop.domain.statuses import JobStatus
from repairshop.errors import RepairShopError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from repairshop.services.money.collection import CollectRequest, PaymentInput, bill, collect
from repairshop.services.money.invoices import credit_invoice
from repairshop.services.parts.job_parts import receive_part, reserve_part, use_part
from repairshop.services.parts.stock import PartInput, add_part, ledger_totals
from tests.helpers import intake_document

KILLS = 20
SKU = "BAT-1"


def work_until_killed(url: str, seed: int, steps: Synchronized) -> None:  # type: ignore[type-arg]
    """The day's work, step after step, each step its own transaction, until killed."""
    rng = random.Random(seed)
    db = open_database(url)
    while True:
        if rng.random() < 0.5:  # the counter first, now and then
            collect_one(db, rng)
            with steps.get_lock():
                steps.value += 1
        with db.unit_of_work() as uow:
            code = intake(uow, intake_request_from_json(intake_document()), "admin").code
            uow.commit()
        with db.unit_of_work() as uow:
            receive_part(uow, SKU, rng.randint(1, 3), "admin")
            uow.commit()
        try:
            with db.unit_of_work() as uow:
                reserve_part(uow, code, SKU, 2, "admin")
                uow.commit()
            with db.unit_of_work() as uow:
                change_status(uow, code, JobStatus.DIAGNOSING, "admin")
                uow.commit()
            with db.unit_of_work() as uow:
                use_part(uow, code, SKU, 1, "admin")
                uow.commit()
            if rng.random() < 0.5:  # cancelling frees the other reserved part (an event)
                with db.unit_of_work() as uow:
                    change_status(uow, code, JobStatus.CANCELLED, "admin")
                    uow.commit()
        except RepairShopError:
            pass  # out of stock now and then: the day goes on
        with steps.get_lock():
            steps.value += 1


def collect_one(db: Database, rng: random.Random) -> None:
    """A paid repair taken in, repaired and collected at the counter (in cash, by card or
    both, paid by the deposit), its invoice now and then credited; now and then a warranty
    claim handed over free."""
    if rng.random() < 0.2:  # a warranty claim: a handover document, nothing to pay
        device = {**intake_document()["device"], "purchase_date": "2026-01-05"}
        document = intake_document(
            job_type="warranty_claim", estimate="0", deposit="0", device=device
        )
    else:  # in crowns with hellers: the cash is rounded
        deposit = rng.choice(["0", "300", "1000.40"])
        document = intake_document(estimate="1000.40", preapproved="1000.40", deposit=deposit)
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(document), "admin").code
        uow.commit()
    for status in (JobStatus.DIAGNOSING, JobStatus.IN_REPAIR, JobStatus.TESTING, JobStatus.READY):
        with db.unit_of_work() as uow:
            change_status(uow, code, status, "admin")
            uow.commit()
    with db.unit_of_work() as uow:
        due = bill(uow, code).cash_due
        card = due / 2 if due > 0 and rng.random() < 0.5 else Decimal(0)
        tenders = [PaymentInput(PaymentMethod.CARD, card)] if card else []
        if due > card:
            cash = due - card + rng.choice([Decimal(0), Decimal(100)])  # change now and then
            tenders.append(PaymentInput(PaymentMethod.CASH, cash))
        done = collect(uow, code, CollectRequest(payments=tuple(tenders)), "admin")
        uow.commit()
    if done.kind is DocumentKind.INVOICE and rng.random() < 0.3:
        with db.unit_of_work() as uow:
            refund = rng.choice([PaymentMethod.CASH, PaymentMethod.CARD, None])
            credit_invoice(uow, done.number, "Returned", "admin", refund=refund)
            uow.commit()


def assert_whole(db: Database) -> int:
    with db.reader() as uow:
        session = uow.session
        if db.dialect == "sqlite":
            assert session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        codes = sorted(session.scalars(select(Job.code)))
        assert codes == [f"R{number:06d}" for number in range(1, len(codes) + 1)]
        for job in session.scalars(select(Job)):
            assert job.customer is not None
            assert job.device is not None
            kinds = [event.kind for event in sorted(job.events, key=lambda e: (e.at, e.id))]
            assert kinds[:1] == ["created"], job.code
            moves = [
                event
                for event in sorted(job.events, key=lambda e: (e.at, e.id))
                if event.kind == "status"
            ]
            expected = moves[-1].to_value if moves else JobStatus.RECEIVED.value
            assert job.status == expected, job.code
        for part in session.scalars(select(Part)):
            assert (part.on_hand, part.reserved) == ledger_totals(uow, part.id)
            held = session.scalar(
                select(func.coalesce(func.sum(JobPart.reserved), 0)).where(
                    JobPart.part_id == part.id
                )
            )
            assert held == part.reserved
            assert 0 <= part.reserved <= part.on_hand
        assert session.scalar(select(func.count()).select_from(JobEvent)) >= len(codes)
        assert_documents_whole(uow.session)
        return len(codes)


def assert_documents_whole(session: Session) -> None:
    counters = dict(session.execute(select(Counter.name, Counter.value)).all())
    numbered: dict[tuple[str, int], list[int]] = {}
    for document in session.scalars(select(Invoice)):
        kind = DocumentKind(document.kind)
        assert document.number == document_number(kind, document.year, document.sequence)
        numbered.setdefault((document.kind, document.year), []).append(document.sequence)
        lines = session.execute(
            select(
                func.coalesce(func.sum(InvoiceLine.net_minor), 0),
                func.coalesce(func.sum(InvoiceLine.vat_minor), 0),
                func.coalesce(func.sum(InvoiceLine.gross_minor), 0),
            ).where(InvoiceLine.invoice_id == document.id)
        ).one()
        totals = (document.net_minor, document.vat_minor, document.gross_minor)
        assert tuple(lines) == totals, document.number
        paid = session.execute(
            select(func.count(), func.coalesce(func.sum(Payment.amount_minor), 0)).where(
                Payment.invoice_id == document.id
            )
        ).one()
        expected = document.gross_minor + document.rounding_minor
        if kind is DocumentKind.CREDIT_NOTE:
            assert document.credits_id is not None
            assert paid[0] == 0 or paid[1] == expected, document.number  # refunded, or not
        else:
            assert paid[1] == expected, document.number
            assert document.due_minor == document.gross_minor - document.deposit_minor
    for (kind, year), sequences in numbered.items():
        assert sorted(sequences) == list(range(1, len(sequences) + 1)), (kind, year)
    kinds = {kind.value for kind in DocumentKind}
    for name, value in counters.items():
        kind, _colon, year = name.partition(":")
        if kind in kinds:  # a number taken is a document issued
            assert value == len(numbered.get((kind, int(year)), [])), name
    issued = dict(
        session.execute(
            select(Invoice.job_id, func.count())
            .where(Invoice.kind != DocumentKind.CREDIT_NOTE.value)
            .group_by(Invoice.job_id)
        ).all()
    )
    collected = set(session.scalars(select(Job.id).where(Job.status == "collected")))
    assert set(issued) == collected
    assert set(issued.values()) <= {1}
    unsettled = session.scalars(
        select(Payment.job_id).where(Payment.invoice_id.is_(None), Payment.job_id.in_(collected))
    ).all()
    assert not unsettled


def czech_shop(db: Database) -> None:
    with db.unit_of_work() as uow:
        for key, value in {"currency": "CZK", "region": "CZ", "shop.country": "CZ"}.items():
            uow.session.merge(Setting(key=key, value=value))
        uow.commit()


def test_twenty_kills_in_the_middle_of_the_day_leave_a_whole_database(db: Database) -> None:
    czech_shop(db)
    with db.unit_of_work() as uow:
        add_part(uow, PartInput(sku=SKU, name="Battery"), "admin")
        uow.commit()
    url = db.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    rng = random.Random(20261205)
    jobs_before = 0
    for kill in range(KILLS):
        steps = context.Value("i", 0)
        worker = context.Process(target=work_until_killed, args=(url, kill, steps))
        worker.start()
        deadline = time.monotonic() + 60
        while (
            steps.value < 1 and worker.is_alive() and time.monotonic() < deadline
        ):  # in the stream of work
            time.sleep(0.005)
        assert steps.value >= 1, "the worker did no work"
        time.sleep(rng.uniform(0, 0.25))  # then at a random moment: the plug is pulled
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(timeout=30)
        assert worker.exitcode == -signal.SIGKILL
        jobs = assert_whole(db)
        assert jobs > jobs_before  # every round did real work before the kill
        jobs_before = jobs
    with db.reader() as uow:
        kinds = set(uow.session.scalars(select(Invoice.kind)))
    assert kinds == {kind.value for kind in DocumentKind}  # invoices, credit notes, handovers


@pytest.mark.parametrize("step", ["intake", "cancel"])
def test_the_checks_find_a_half_written_job(db: Database, step: str) -> None:
    """The check itself can fail: a job with no history, or a status nothing explains."""
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    with db.unit_of_work() as uow:
        job = uow.session.scalar(select(Job).where(Job.code == code))
        assert job is not None
        if step == "intake":
            for event in list(job.events):
                uow.session.delete(event)
        else:
            job.status = JobStatus.CANCELLED.value
        uow.commit()
    with pytest.raises(AssertionError):
        assert_whole(db)


@pytest.mark.parametrize("damage", ["payment", "line", "gap", "counter", "uncollected"])
def test_the_checks_find_a_half_written_document(db: Database, damage: str) -> None:
    """The document checks can fail: a payment or a line missing, a number skipped, a number
    taken with no document, a collected job without its document."""
    czech_shop(db)
    rng = random.Random(7)
    for _round in range(6):
        collect_one(db, rng)
    assert_whole(db)
    with db.unit_of_work() as uow:
        session = uow.session
        credited = select(Invoice.credits_id).where(Invoice.credits_id.is_not(None))
        first = session.scalars(
            select(Invoice)
            .where(Invoice.kind == DocumentKind.INVOICE.value, Invoice.id.not_in(credited))
            .order_by(Invoice.id)
        ).first()
        assert first is not None
        if damage == "payment":
            session.delete(
                session.scalars(select(Payment).where(Payment.invoice_id == first.id)).first()
            )
        elif damage == "line":
            session.delete(first.lines[0])
        elif damage == "gap":
            first.sequence = 99
            first.number = document_number(DocumentKind.INVOICE, first.year, 99)
        elif damage == "counter":
            counter = session.get(Counter, f"invoice:{first.year}")
            assert counter is not None
            counter.value += 1
        else:
            session.execute(
                Payment.__table__.update()
                .where(Payment.invoice_id == first.id)
                .values(invoice_id=None)
            )
            for line in session.scalars(
                select(InvoiceLine).where(InvoiceLine.invoice_id == first.id)
            ):
                session.delete(line)
            uow.flush()
            session.delete(first)
        uow.commit()
    with pytest.raises(AssertionError):
        assert_whole(db)
