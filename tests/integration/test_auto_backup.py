"""Automatic backups: due once a day, made by one desk of several, rotated, flagged when old;
and a restore that is identical to its source row by row, on both databases."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from repairshop.bootstrap import open_database
from repairshop.db.tables import Base
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.errors import ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.shop.auto_backup import (
    backup_status,
    backups_in,
    default_backup_folder,
    run_due_backup,
)
from repairshop.services.shop.backup import backup, restore
from repairshop.services.shop.settings import set_setting
from tests.helpers import SettableClock, database, intake_document, run_in_process


def take_in(db: Database) -> None:
    with db.unit_of_work() as uow:
        intake(uow, intake_request_from_json(intake_document()), "admin")
        uow.commit()


def setting(db: Database, key: str, value: str) -> None:
    with db.unit_of_work() as uow:
        set_setting(uow, key, value, "admin")
        uow.commit()


def test_one_backup_a_day_rotated_to_the_newest_kept(
    db: Database, tmp_path: Path, clock: SettableClock
) -> None:
    folder = tmp_path / "backups"
    setting(db, "backup.keep", "3")
    with db.reader() as uow:
        assert not backup_status(uow).overdue  # nothing to lose yet
    take_in(db)
    with db.reader() as uow:
        assert backup_status(uow).overdue  # a job, never backed up

    first = run_due_backup(db, folder)
    assert first is not None
    assert first.file.parent == folder
    assert run_due_backup(db, folder) is None  # made today already
    clock.advance(hours=23)
    assert run_due_backup(db, folder) is None
    with db.reader() as uow:
        status = backup_status(uow)
    assert status.last_at == clock.now - timedelta(hours=23)
    assert status.last_file == str(first.file)
    assert not status.overdue

    made = [first.file]
    for _day in range(4):
        clock.advance(days=1)
        result = run_due_backup(db, folder)
        assert result is not None
        made.append(result.file)
    assert backups_in(folder) == made[-3:]  # the two oldest rotated away
    assert not made[0].exists()


def test_a_stranger_file_in_the_folder_is_never_rotated(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    mine = folder / "repairshop-20200101-000000.sqlite.keep-me"
    mine.write_text("the shop's own note")
    setting(db, "backup.keep", "1")
    assert run_due_backup(db, folder, force=True) is not None
    assert mine.exists()


def test_an_old_backup_is_flagged(db: Database, tmp_path: Path, clock: SettableClock) -> None:
    take_in(db)
    assert run_due_backup(db, tmp_path) is not None
    setting(db, "backup.every_days", "0")  # automatic backups off: nothing more is made
    clock.advance(days=3, hours=1)
    assert run_due_backup(db, tmp_path) is None
    with db.reader() as uow:
        assert backup_status(uow).overdue


def test_of_two_desks_only_one_makes_the_due_backup(
    db: Database, tmp_path: Path, clock: SettableClock
) -> None:
    other_desk = open_database(db.engine.url.render_as_string(False), clock=clock)
    try:
        first = run_due_backup(db, tmp_path / "a")
        second = run_due_backup(other_desk, tmp_path / "b")
    finally:
        other_desk.dispose()
    assert first is not None
    assert second is None
    assert not (tmp_path / "b").exists()


def test_a_backup_that_cannot_be_written_says_so_and_leaves_it_due(
    db: Database, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ValidationError, match="Cannot write"):
        run_due_backup(db, blocker / "backups")
    with db.reader() as uow:
        assert backup_status(uow).last_at is None
    assert run_due_backup(db, tmp_path / "backups") is not None  # the claim was let go


def test_the_default_folder_is_beside_the_sqlite_file(tmp_path: Path) -> None:
    assert default_backup_folder(f"sqlite:///{tmp_path}/shop.sqlite") == tmp_path / "backups"


def rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize(
    "target_kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_restore_is_identical_row_by_row(
    db: Database, tmp_path: Path, clock: SettableClock, target_kind: str
) -> None:
    generate_demo(db, DemoOptions(jobs=60, seed=5))
    source = rows(db.engine)
    file = tmp_path / "backup.sqlite"
    backup(db, file)
    (tmp_path / "target").mkdir()
    with database(target_kind, tmp_path / "target", clock) as target:
        restore(target, file)
        restored = rows(target.engine)
    assert restored.keys() == source.keys()
    # The audit log says, besides, that the restore happened: one row more, nothing else.
    audit = restored["audit_log"]
    restore_rows = [row for row in audit if "restored" in row]
    assert len(restore_rows) == 1
    restored["audit_log"] = [row for row in audit if "restored" not in row]
    for table, expected in source.items():
        assert restored[table] == expected, table
    assert sum(len(table) for table in source.values()) > 500


def test_backup_auto_and_status_on_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    open_database(url, create=True).dispose()
    env: dict[str, str | None] = {"LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": url}
    never = run_in_process(["backup", "--status"], env=env)
    assert never.returncode == 0
    assert "never been backed up" in never.stdout
    made = run_in_process(["backup", "--auto"], env=env)
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout
    assert len(backups_in(tmp_path / "backups")) == 1
    again = run_in_process(["backup", "--auto"], env=env)
    assert again.stdout.strip() == "No backup is due."
    status = run_in_process(["backup", "--status", "--json"], env=env)
    assert '"overdue": false' in status.stdout
    bare = run_in_process(["backup"], env=env)
    assert bare.returncode == 1
    assert "Name the backup file" in bare.stderr
