"""The search box's matches come newest first, however the database reads them: on
PostgreSQL the newest jobs by the key first, then on by the key or by the trigram index."""

from __future__ import annotations

import pytest

from repairshop.services.database import Database
from repairshop.services.jobs import search
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.search import find_job_ids
from tests.helpers import intake_document


def take_in(db: Database, number: int, name: str) -> int:
    document = intake_document(
        customer={"name": name, "phone": f"+420 605 100 {number:03d}", "language": "cs"},
        device={
            "type": "phone",
            "brand": "Samsung",
            "model": "Galaxy S23",
            "serial": f"SN{number:06d}",
        },
        deposit="0",
    )
    with db.unit_of_work() as uow:
        job = intake(uow, intake_request_from_json(document), "admin")
        uow.commit()
    with db.reader() as uow:
        return find_job_ids(uow, job.code, limit=1)[0]


@pytest.fixture
def shop(db: Database) -> tuple[Database, list[int]]:
    """Twenty jobs, their ids in the order taken in; every third one Marie Nováková's."""
    return db, [
        take_in(db, number, "Marie Nováková" if number % 3 == 0 else "Jan Svoboda")
        for number in range(20)
    ]


@pytest.mark.parametrize(
    ("window", "hits_to_walk_on"),
    [(4, 1), (4, 100), (100, 1)],
    ids=["walks on by the key", "the index for the older", "all among the newest"],
)
def test_the_newest_matches_come_first(
    shop: tuple[Database, list[int]],
    monkeypatch: pytest.MonkeyPatch,
    window: int,
    hits_to_walk_on: int,
) -> None:
    db, jobs = shop
    hers = jobs[::3]
    monkeypatch.setattr(search, "RECENT_WINDOW", window)
    monkeypatch.setattr(search, "RECENT_HITS_TO_WALK_ON", hits_to_walk_on)
    newest_first = sorted(hers, reverse=True)
    with db.reader() as uow:
        assert find_job_ids(uow, "novakova", limit=5) == newest_first[:5]
        assert find_job_ids(uow, "Nováková 605", limit=50) == newest_first
        assert find_job_ids(uow, "svoboda nováková") == []
        assert find_job_ids(uow, "SN000017") == [jobs[17]]
        assert find_job_ids(uow, "jan", limit=50) == [
            job for job in reversed(jobs) if job not in hers
        ]
