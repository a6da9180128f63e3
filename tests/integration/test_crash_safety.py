"""The power goes in the middle of the day's work: a process taking in devices, moving jobs
and stock is killed (SIGKILL, no chance to clean up) twenty times at random moments; each
time the database opens and is whole.

Whole means: SQLite's own integrity check passes; every job has its customer, its device,
its "created" line and a status its history explains; every part's stock equals its ledger
and its reservations equal the jobs' reservations; ticket codes run 1…N with no gap.

The worker is forked from a clean server process (multiprocessing's forkserver) that has
the core imported already, so twenty kills cost seconds, not twenty interpreter starts.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from multiprocessing.sharedctypes import Synchronized

import pytest
from sqlalchemy import func, select, text

from repairshop.bootstrap import open_database
from repairshop.db.tables import Job, JobEvent, JobPart, Part
from repairshop.domain.statuses import JobStatus
from repairshop.errors import RepairShopError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
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
        return len(codes)


def test_twenty_kills_in_the_middle_of_the_day_leave_a_whole_database(db: Database) -> None:
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
        while steps.value < 1 and time.monotonic() < deadline:  # in the stream of work
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
