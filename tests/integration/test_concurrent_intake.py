"""Two counters take devices in at the same moment: every ticket code is unique, nothing lost."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from repairshop.bootstrap import open_database
from repairshop.db.tables import Job
from tests.helpers import postgres_schema, race_desks

PER_PROCESS = 200

WORKER = textwrap.dedent(
    """
    import sys
    from repairshop.bootstrap import open_database
    from repairshop.services.jobs.intake import intake, intake_request_from_json
    from tests.helpers import intake_document

    db = open_database(sys.argv[1])
    desk = sys.argv[2]
    sys.stdin.readline()  # start together
    for n in range(int(sys.argv[3])):
        document = intake_document()
        document["customer"] = {"name": f"Desk {desk} customer {n}",
                                "phone": f"+4207{desk}{n:07d}", "language": "cs"}
        with db.unit_of_work() as uow:
            result = intake(uow, intake_request_from_json(document), "admin")
            uow.commit()
        print(result.code, flush=True)
    """
)


def race(url: str) -> list[str]:
    open_database(url).dispose()  # migrate once, before the race
    return race_desks(WORKER, *([url, str(desk), str(PER_PROCESS)] for desk in (1, 2)))


def assert_nothing_lost(url: str, codes: list[str]) -> None:
    assert len(codes) == 2 * PER_PROCESS
    assert len(set(codes)) == 2 * PER_PROCESS
    db = open_database(url)
    with db.reader() as uow:
        stored = set(uow.session.scalars(select(Job.code)))
        assert uow.session.scalar(select(func.count()).select_from(Job)) == 2 * PER_PROCESS
    db.dispose()
    assert stored == set(codes)


def test_two_desks_on_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    assert_nothing_lost(url, race(url))


@pytest.mark.postgres
def test_two_desks_on_one_postgresql_database() -> None:
    with postgres_schema() as url:
        assert_nothing_lost(url, race(url))
