"""New work for a technician: unassigned jobs waiting for one, and taking one (both databases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairshop.domain.statuses import JobStatus
from repairshop.errors import Conflict, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import job_ids, job_rows, queue_filter, waiting_filter
from repairshop.services.jobs.workflow import change_status, show_job, take_job
from repairshop.services.shop.users import add_user
from tests.helpers import intake_document
from tests.integration.test_cli import EXAMPLE, Shop


def take_in(db: Database, **overrides: object) -> str:
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document(**overrides)), "admin").code
        uow.commit()
    return code


def codes(db: Database, ids: list[int]) -> list[str]:
    with db.reader() as uow:
        return [row.code for row in job_rows(uow, ids)]


def test_waiting_work_is_unassigned_and_taking_it_moves_it_to_my_queue(db: Database) -> None:
    with db.unit_of_work() as uow:
        add_user(uow, "tomas", "Tomáš Hrubý", "technician", "admin")
        add_user(uow, "jana", "Jana Veselá", "technician", "admin")
        add_user(uow, "petra", "Petra Malá", "clerk", "admin")
        uow.commit()
    new = take_in(db)
    mine = take_in(db, assignee="tomas")
    held = take_in(db)
    with db.unit_of_work() as uow:
        change_status(uow, held, JobStatus.ON_HOLD, "admin")  # waiting for the customer
        uow.commit()
    with db.reader() as uow:
        assert codes(db, job_ids(uow, waiting_filter())) == [new]
        assert codes(db, job_ids(uow, queue_filter("tomas"))) == [mine]

    with db.unit_of_work() as uow, pytest.raises(ValidationError, match="not a technician"):
        take_job(uow, new, "petra")
    with db.unit_of_work() as uow:
        result = take_job(uow, new, "tomas")
        uow.commit()
    assert result.changes.job_ids
    with db.reader() as uow:
        assert show_job(uow, new, "admin").assignee == "tomas"
        assert codes(db, job_ids(uow, waiting_filter())) == []
        assert sorted(codes(db, job_ids(uow, queue_filter("tomas")))) == sorted([new, mine])
        assert [event.kind for event in show_job(uow, new, "admin").history][-1] == "assigned"

    # Another desk took it first: refused, nothing changed.
    with db.unit_of_work() as uow, pytest.raises(Conflict, match="Tomáš Hrubý"):
        take_job(uow, new, "jana")
    with db.reader() as uow:
        assert show_job(uow, new, "admin").assignee == "tomas"


def test_the_command_line_lists_waiting_work_and_takes_it(tmp_path: Path) -> None:
    shop = Shop(f"sqlite:///{tmp_path / 'shop.sqlite'}")
    assert shop.run("user", "add", "tomas", "--name", "Tomáš Hrubý", "--role", "technician")
    new = shop.run("intake", str(EXAMPLE)).stdout.strip()
    waiting = shop.json("job", "waiting")
    assert [job["code"] for job in waiting] == [new]
    taken = shop.run("--user", "tomas", "job", "take", new)
    assert taken.returncode == 0, taken.stderr
    assert shop.json("job", "show", new)["assignee"] == "tomas"
    assert shop.json("job", "waiting") == []
    again = shop.run("job", "take", new)  # admin comes second
    assert again.returncode == 1
    assert "Tomáš Hrubý" in again.stderr
