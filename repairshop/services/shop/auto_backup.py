"""Automatic backups: one a day (a setting) while the shop works, the newest kept, the rest
rotated away, and a warning when the newest is too old.

Several desks may share one PostgreSQL database; each would find a backup due at the same
moment. The desk that first *claims* it (a compare-and-set of ``backup.claimed_at`` in one
write transaction) makes it; the others see the claim and leave it. A claim that is not
followed by a finished backup within :data:`CLAIM_TIMEOUT` (the desk lost power) may be taken
over by the next desk. A finished backup records its time and file in ``backup.last_at`` and
``backup.last_file``, so every desk, and the dashboard, knows how old the newest one is.

Files are named ``repairshop-YYYYMMDD-HHMMSS.sqlite`` (UTC) in the backup folder; rotation
deletes only files of that name, oldest first, beyond ``backup.keep``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import platformdirs
from sqlalchemy import select

from repairshop.db.engine import sqlite_file
from repairshop.db.tables import Job, Setting
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.database import Database
from repairshop.services.shop.backup import make_snapshot
from repairshop.services.shop.settings import stored_moment, stored_setting
from repairshop.services.uow import UnitOfWork

LAST_AT_KEY = "backup.last_at"
LAST_FILE_KEY = "backup.last_file"
CLAIMED_AT_KEY = "backup.claimed_at"
EVERY_DAYS_KEY = "backup.every_days"
KEEP_KEY = "backup.keep"
WARN_DAYS_KEY = "backup.warn_days"
CLAIM_TIMEOUT = timedelta(hours=1)
_NAME = re.compile(r"^repairshop-(\d{8})-(\d{6})\.sqlite$")


@dataclass(frozen=True)
class BackupPlan:
    every_days: int
    """0: no automatic backups."""
    keep: int
    warn_days: int


@dataclass(frozen=True)
class BackupStatus:
    last_at: datetime | None
    last_file: str | None
    warn_days: int
    now: datetime
    has_jobs: bool = True
    """A shop with no job yet has nothing to lose and is not warned."""

    @property
    def age(self) -> timedelta | None:
        return None if self.last_at is None else self.now - self.last_at

    @property
    def overdue(self) -> bool:
        """The newest backup is older than the shop allows (or there has never been one)."""
        age = self.age
        if age is None:
            return self.has_jobs
        return age > timedelta(days=self.warn_days)


def default_backup_folder(url: str) -> Path:
    """Beside a SQLite file (``backups/``), else in this machine's RepairShop data folder."""
    database_file = sqlite_file(url)
    if database_file is not None:
        return database_file.parent / "backups"
    return Path(platformdirs.user_data_dir("RepairShop", appauthor=False)) / "backups"


def backup_plan(uow: UnitOfWork) -> BackupPlan:
    from repairshop.services.shop.settings import all_settings

    values = {item.key: item.value for item in all_settings(uow)}
    return BackupPlan(
        every_days=int(values[EVERY_DAYS_KEY]),
        keep=int(values[KEEP_KEY]),
        warn_days=int(values[WARN_DAYS_KEY]),
    )


def backup_status(uow: UnitOfWork) -> BackupStatus:
    """How old the newest automatic or manual backup of this shop is."""
    return BackupStatus(
        last_at=stored_moment(stored_setting(uow, LAST_AT_KEY)),
        last_file=stored_setting(uow, LAST_FILE_KEY),
        warn_days=backup_plan(uow).warn_days,
        now=uow.now(),
        has_jobs=uow.session.scalar(select(Job.id).limit(1)) is not None,
    )


def _claim(db: Database, *, force: bool) -> datetime | None:
    """Take the due backup for this desk, or None when it is not due or another desk has it."""
    with db.unit_of_work() as uow:
        now = uow.now()
        plan = backup_plan(uow)
        if not force:
            if plan.every_days == 0:
                return None
            last = stored_moment(stored_setting(uow, LAST_AT_KEY))
            if last is not None and now - last < timedelta(days=plan.every_days):
                return None
        claimed = stored_moment(stored_setting(uow, CLAIMED_AT_KEY))
        if not force and claimed is not None and now - claimed < CLAIM_TIMEOUT:
            return None  # another desk is making it right now
        uow.session.merge(Setting(key=CLAIMED_AT_KEY, value=now.isoformat()))
        uow.commit()
        return now


def record_backup(db: Database, moment: datetime, file: Path) -> None:
    """A whole backup of the shop exists at ``file``, as of ``moment`` (also a manual one)."""
    with db.unit_of_work() as uow:
        uow.session.merge(Setting(key=LAST_AT_KEY, value=moment.isoformat()))
        uow.session.merge(Setting(key=LAST_FILE_KEY, value=str(file)))
        uow.session.merge(Setting(key=CLAIMED_AT_KEY, value=""))
        uow.commit()


def _release(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.session.merge(Setting(key=CLAIMED_AT_KEY, value=""))
        uow.commit()


def backup_file_name(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("repairshop-%Y%m%d-%H%M%S.sqlite")


def backups_in(folder: Path) -> list[Path]:
    """This folder's automatic backups, oldest first (other files are not ours to touch)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if _NAME.match(path.name) and path.is_file())


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond ``keep``; returns what was deleted."""
    found = backups_in(folder)
    gone = found[: max(0, len(found) - keep)]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


@dataclass(frozen=True)
class AutoBackupResult:
    file: Path
    rows: int
    rotated: tuple[Path, ...]


def run_due_backup(
    db: Database, folder: Path | None = None, *, force: bool = False
) -> AutoBackupResult | None:
    """Make the shop's backup if one is due (or ``force``) and no other desk is making it.

    The backup is a consistent snapshot (:func:`~.backup.make_snapshot`) written beside its final
    name and renamed when whole, so a power cut leaves no half file under a backup's name.
    """
    moment = _claim(db, force=force)
    if moment is None:
        return None
    target_folder = folder or default_backup_folder(db.engine.url.render_as_string(False))
    target = target_folder / backup_file_name(moment)
    try:
        result = make_snapshot(db, target, overwrite=True)
    except (ValidationError, OSError) as error:
        _release(db)
        if isinstance(error, ValidationError):
            raise
        raise ValidationError(
            _("Cannot write the backup {file}: {reason}").format(
                file=target, reason=error.strerror or error
            )
        ) from error
    except BaseException:
        _release(db)
        raise
    record_backup(db, moment, target)
    with db.reader() as uow:
        keep = backup_plan(uow).keep
    return AutoBackupResult(target, result.rows, tuple(rotate(target_folder, keep)))
