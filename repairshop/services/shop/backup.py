"""A consistent copy of the whole database while it is in use, and back.

A backup is always a RepairShop SQLite file, whichever database it came from, so
a shop can move from one desk to a server (or back) by backup and restore. It
is made from one read transaction — a snapshot — so it never mixes states.
Restoring replaces everything in the target in one transaction: it either all
happens or nothing does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Table, delete, func, insert, select, text

from repairshop.db.tables import Base, Job
from repairshop.domain.roles import Permission
from repairshop.errors import NotFound, RepairShopError, ValidationError
from repairshop.i18n import _
from repairshop.services.audit import SYSTEM, Action, record
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.database import Database, open_engine
from repairshop.services.shop.users import require_actor

Progress = Callable[[int, int, str], bool]
CHUNK = 5_000
SQLITE_PAGES_PER_STEP = 2_048


class CopyCancelled(RepairShopError):
    """The person pressed Cancel: nothing was written (a restore is rolled back whole)."""


def _no_progress(_done: int, _total: int, _stage: str) -> bool:
    return True


@dataclass(frozen=True)
class CopyResult:
    tables: int
    rows: int
    changes: Changes


def require_admin(db: Database) -> None:
    """Backups hold every customer's data and a restore replaces the shop: administrators only."""
    with db.reader() as uow:
        require_actor(uow, Permission.BACKUP_RESTORE)


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def backup(
    db: Database, target: Path, *, overwrite: bool = False, progress: Progress = _no_progress
) -> CopyResult:
    """Write a snapshot of ``db`` to the SQLite file ``target``.

    ``progress(done, total, stage)`` is told how far it is; when it returns False the backup
    stops, the partial file is deleted and :class:`CopyCancelled` is raised."""
    require_admin(db)
    return make_snapshot(db, target, overwrite=overwrite, progress=progress)


def make_snapshot(
    db: Database, target: Path, *, overwrite: bool = False, progress: Progress = _no_progress
) -> CopyResult:
    """:func:`backup` without asking who: the shop's own automatic backup, made whoever is at
    the desk (:mod:`~.auto_backup`)."""
    if target.exists() and not overwrite:
        raise ValidationError(
            _("{file} already exists; choose another name or replace it.").format(file=target)
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
    except OSError as exc:
        raise ValidationError(
            _("Cannot write {file}: {reason}").format(file=target, reason=exc.strerror)
        ) from exc
    try:
        if db.dialect == "sqlite":
            rows = _sqlite_snapshot(db, partial, progress)
        else:
            rows = _copy_into_new_file(db, partial, progress)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)  # never a half file left behind
        raise
    return CopyResult(len(_tables()), rows, Changes())


def _sqlite_snapshot(db: Database, partial: Path, progress: Progress) -> int:
    """SQLite's online backup: a page-by-page snapshot that readers and writers don't block."""
    stage = _("Backing up")

    def pages(_status: int, remaining: int, total: int) -> None:
        if not progress(total - remaining, total, stage):
            raise CopyCancelled(_("The backup was cancelled; nothing was written."))

    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination, pages=SQLITE_PAGES_PER_STEP, progress=pages)
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    finally:
        raw.close()
    with sqlite3.connect(partial) as check:
        return sum(
            check.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
            for table in _tables()
        )


def _copy_into_new_file(db: Database, partial: Path, progress: Progress) -> int:
    copy = open_engine(f"sqlite:///{partial}")
    try:
        with db.engine.connect() as source:
            source.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            with copy.begin() as destination:
                return _copy_all(source, destination, progress, _("Backing up"))
    finally:
        copy.dispose()


def _copy_all(source: Connection, destination: Connection, progress: Progress, stage: str) -> int:
    total = sum(
        source.execute(select(func.count()).select_from(table)).scalar_one() for table in _tables()
    )
    for table in reversed(_tables()):
        destination.execute(delete(table))
    copied = 0
    for table in _tables():
        result = source.execution_options(yield_per=CHUNK).execute(select(table))
        for chunk in result.mappings().partitions(CHUNK):
            destination.execute(insert(table), [dict(row) for row in chunk])
            copied += len(chunk)
            if not progress(copied, total, stage):
                raise CopyCancelled(_("Cancelled; nothing was changed."))
    return copied


def restore(
    db: Database, backup_file: Path, *, replace: bool = False, progress: Progress = _no_progress
) -> CopyResult:
    """Replace everything in ``db`` with the backup's contents, in one transaction (Cancel
    through ``progress`` rolls all of it back)."""
    require_admin(db)
    if not backup_file.is_file():
        raise NotFound(_("There is no backup file {file}.").format(file=backup_file))
    try:
        with sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True) as probe:
            probe.execute("SELECT count(*) FROM jobs").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(
            _("{file} is not a RepairShop backup: {reason}").format(file=backup_file, reason=exc)
        ) from exc
    with db.reader() as uow:
        has_jobs = bool(uow.session.scalar(select(func.count()).select_from(Job)))
    if has_jobs and not replace:
        raise ValidationError(
            _(
                "This database already has jobs; restoring would replace all of them. "
                "Use --replace if that is what you want."
            )
        )
    # Bring an older backup up to this version's schema before copying from it.
    source_engine = open_engine(f"sqlite:///{backup_file}")
    try:
        with source_engine.connect() as source, db.engine.begin() as destination:
            rows = _copy_all(source, destination, progress, _("Restoring"))
            _after_bulk_load(destination)
    finally:
        source_engine.dispose()
    _log_restore(db, backup_file)
    return CopyResult(len(_tables()), rows, Changes(kinds=frozenset({ChangeKind.ALL})))


def _log_restore(db: Database, backup_file: Path) -> None:
    """The restored log is the backup's; it says on top who replaced the shop, and from what."""
    with db.unit_of_work() as uow:
        record(
            uow.session,
            at=uow.now(),
            login=uow.actor or SYSTEM,
            action=Action.RESTORED,
            kind="database",
            record_id="",
            label=backup_file.name,
        )
        uow.commit()


def _after_bulk_load(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for table in _tables():
            if "id" in table.c and table.c.id.autoincrement is not False:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                    )
                )
    else:
        connection.execute(text("INSERT INTO jobs_fts(jobs_fts) VALUES ('rebuild')"))
