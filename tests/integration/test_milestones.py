"""A job's milestones (first reached ready, collected) are the answer its status events give.

Every job is compared: jobs moved through the services, demo jobs written in bulk, and the
jobs revision 0014 fills from their events in an existing database.
"""

from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path
from types import ModuleType

from sqlalchemy import func, select, update

import repairshop
from repairshop.db.tables import Job, JobEvent
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.services.database import Database
from tests.helpers import SettableClock
from tests.report_history import build_week

Milestones = dict[int, tuple[datetime | None, datetime | None]]


def events_answer(db: Database) -> Milestones:
    """Per job, the first ``status`` event to ready and to collected (None: never)."""
    with db.reader() as uow:
        ids = uow.session.scalars(select(Job.id)).all()
        firsts = uow.session.execute(
            select(JobEvent.job_id, JobEvent.to_value, func.min(JobEvent.at))
            .where(JobEvent.kind == "status", JobEvent.to_value.in_(("ready", "collected")))
            .group_by(JobEvent.job_id, JobEvent.to_value)
        ).all()
    found: dict[int, dict[str, datetime]] = {job_id: {} for job_id in ids}
    for job_id, status, moment in firsts:
        found[job_id][status] = _utc(moment)
    return {
        job_id: (moments.get("ready"), moments.get("collected"))
        for job_id, moments in found.items()
    }


def milestones(db: Database) -> Milestones:
    with db.reader() as uow:
        rows = uow.session.execute(select(Job.id, Job.ready_at, Job.collected_at)).all()
    return {job_id: (ready, collected) for job_id, ready, collected in rows}


def _utc(moment: datetime | str) -> datetime:
    """``MIN(at)`` comes back as the column's type on PostgreSQL, as text on SQLite."""
    return Job.__table__.c.ready_at.type.process_result_value(moment, None)  # type: ignore[no-any-return]


def revision_0014() -> ModuleType:
    path = Path(repairshop.__file__).parent / "db/migrations/versions/0014_job_milestones.py"
    spec = importlib.util.spec_from_file_location("revision_0014", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def refill_as_revision_0014_does(db: Database) -> None:
    """Forget every milestone, then fill them from the events as the migration does."""
    with db.unit_of_work() as uow:
        uow.session.execute(update(Job).values(ready_at=None, collected_at=None))
        revision_0014().fill_milestones(uow.session.connection())
        uow.commit()


def assert_milestones_are_the_events_answer(db: Database) -> Milestones:
    expected = events_answer(db)
    assert milestones(db) == expected
    return expected


def test_services_write_the_milestones_with_the_event(db: Database, clock: SettableClock) -> None:
    build_week(db, clock)
    expected = assert_milestones_are_the_events_answer(db)
    reached = [ready is not None for ready, _collected in expected.values()]
    collected = [done is not None for _ready, done in expected.values()]
    assert (sum(reached), sum(collected), len(expected)) == (4, 2, 6)
    refill_as_revision_0014_does(db)
    assert_milestones_are_the_events_answer(db)


def test_demo_jobs_carry_their_milestones(db: Database) -> None:
    generate_demo(db, DemoOptions(jobs=600, seed=7))
    expected = assert_milestones_are_the_events_answer(db)
    ready = sum(1 for moment, _c in expected.values() if moment is not None)
    collected = sum(1 for _r, moment in expected.values() if moment is not None)
    assert 0 < collected < ready < len(expected) == 600
    refill_as_revision_0014_does(db)
    assert_milestones_are_the_events_answer(db)
