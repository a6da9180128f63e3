"""Backup while the shop is open, restore into an empty database, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.errors import NotFound, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.views import job_to_json
from repairshop.services.jobs.workflow import find_jobs, show_job
from repairshop.services.shop.backup import backup, restore
from tests.helpers import SettableClock, database, intake_document


def everything(db: Database) -> list[dict[str, object]]:
    with db.reader() as uow:
        codes = [job.code for job in find_jobs(uow, "", limit=1000)]
        return [job_to_json(show_job(uow, code, "admin")) for code in codes]


@pytest.mark.parametrize(
    "target_kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_backup_restores_exactly_into_an_empty_database(
    db: Database, tmp_path: Path, clock: SettableClock, target_kind: str
) -> None:
    generate_demo(db, DemoOptions(jobs=120, seed=2))
    before = everything(db)
    file = tmp_path / "backup.repairshop"
    result = backup(db, file)
    assert result.rows > 120
    (tmp_path / "target").mkdir()
    with database(target_kind, tmp_path / "target", clock) as target:
        restore(target, file)
        assert everything(target) == before
        with target.unit_of_work() as uow:  # the ticket counter came along
            code = intake(uow, intake_request_from_json(intake_document()), "admin").code
            uow.commit()
        assert code == "R000121"
        with target.reader() as uow:  # and the search index was rebuilt
            assert find_jobs(uow, str(before[0]["code"]))[0].code == before[0]["code"]


def test_restore_refuses_to_replace_jobs_unless_told(db: Database, tmp_path: Path) -> None:
    generate_demo(db, DemoOptions(jobs=10))
    file = tmp_path / "backup.repairshop"
    backup(db, file)
    with pytest.raises(ValidationError, match="--replace"):
        restore(db, file)
    restore(db, file, replace=True)
    assert len(everything(db)) == 10


def test_bad_backup_files_are_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        restore(db, tmp_path / "missing")
    junk = tmp_path / "junk"
    junk.write_text("not a database")
    with pytest.raises(ValidationError, match="not a RepairShop backup"):
        restore(db, junk)
    existing = tmp_path / "exists"
    existing.write_text("x")
    with pytest.raises(ValidationError, match="already exists"):
        backup(db, existing)
