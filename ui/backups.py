"""Backups in the app: the automatic one while the shop works, a warning when the newest is
old, and Back up now / Restore for the admin, each with progress.

:class:`BackupKeeper` asks for the due backup soon after start and then every
:data:`CHECK_MS`; the backup runs on the background lane (:class:`ui.operations.BackgroundOp`)
so the counter never waits for it, and only the one desk that claims it makes it
(:mod:`repairshop.services.shop.auto_backup`). :class:`BackupBanner` sits in the main window's
status bar and shows only when something needs a person: the newest backup is older than the
shop allows, or the last automatic backup failed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from repairshop.domain.roles import Permission, may
from repairshop.i18n import _, format_day, ngettext
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.database import Database
from repairshop.services.shop.auto_backup import (
    AutoBackupResult,
    BackupStatus,
    backup_file_name,
    backup_status,
    default_backup_folder,
    record_backup,
    run_due_backup,
)
from repairshop.services.shop.backup import CopyResult, backup, restore
from repairshop.services.shop.users import list_users
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import BackgroundOp, LongWriteOp, ReadOp
from ui.qt import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.roles import mark
from ui.taskman import Progress

START_DELAY_MS = 60 * 1000
"""The first look, a minute after start: the window is up and the morning's first intake
is not kept waiting."""
CHECK_MS = 15 * 60 * 1000
_SETTINGS_CHANGED = Changes(kinds=frozenset({ChangeKind.SETTINGS}))


def _settings_changed(_result: object) -> Changes:
    return _SETTINGS_CHANGED


class BackupKeeper(QObject):
    """Makes the shop's automatic backup when it is due, on the background lane."""

    finished = Signal(object)
    """A made backup (:class:`AutoBackupResult`), or None when none was due."""
    failed = Signal(str)
    """Why the automatic backup could not be made (shown on the banner)."""

    def __init__(
        self, context: AppContext, folder: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.folder = folder or default_backup_folder(
            context.db.engine.url.render_as_string(hide_password=False)
        )
        self.running = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)

    @classmethod
    def of(cls, context: AppContext) -> BackupKeeper:
        """The desk's one keeper (it outlives a main window rebuilt for another language)."""
        keeper = context.findChild(cls)
        return keeper if isinstance(keeper, cls) else cls(context, parent=context)

    def start(self, first_after_ms: int = START_DELAY_MS) -> None:
        """Look now and then every :data:`CHECK_MS` (the app does; tests call :meth:`check`)."""
        self._timer.start()
        QTimer.singleShot(first_after_ms, self, self.check)

    def check(self) -> None:
        """Make the backup if it is due and no other desk is making it."""
        if self.running:
            return
        self.running = True
        folder = self.folder

        def work(db: Database, _progress: Progress) -> AutoBackupResult | None:
            return run_due_backup(db, folder)

        BackgroundOp(self.context, self, work, _settings_changed).success(self._done).failure(
            self._failed
        ).run()

    def _done(self, result: AutoBackupResult | None) -> None:
        self.running = False
        self.finished.emit(result)

    def _failed(self, error: Exception) -> None:
        self.running = False
        self.failed.emit(str(error))


class BackupBanner(QWidget):
    """A line in the status bar when the newest backup is too old or the last one failed."""

    def __init__(self, context: AppContext, keeper: BackupKeeper, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.keeper = keeper
        self.status: BackupStatus | None = None
        self.error: str | None = None
        self.label = QLabel(self)
        self.label.setObjectName("backup_warning")
        self.label.setStyleSheet("color: #8e1b1b; padding-left: 4px;")
        # A flat button as high as the text: the status bar keeps its height.
        self.now_button = QToolButton(self)
        self.now_button.setText(_("Back up now"))
        self.now_button.setAutoRaise(True)
        self.now_button.setAccessibleName(_("Back up now"))
        self.now_button.clicked.connect(self.back_up_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.now_button)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("BackupBanner { background: #fdecea; border-radius: 4px; }")
        self.setVisible(False)
        keeper.finished.connect(self._made)
        keeper.failed.connect(self._failed)
        context.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        ReadOp(self.context, self, backup_status, self._show_status).run()

    def _show_status(self, status: BackupStatus) -> None:
        self.status = status
        self._show()

    def _made(self, result: AutoBackupResult | None) -> None:
        if result is not None:
            self.error = None
        self.refresh()

    def _failed(self, reason: str) -> None:
        self.error = reason
        self._show()

    def _show(self) -> None:
        status = self.status
        lines = []
        if self.error is not None:
            lines.append(_("The automatic backup failed: {reason}").format(reason=self.error))
        if status is not None and status.overdue:
            if status.last_at is None:
                lines.append(_("This shop has never been backed up."))
            else:
                days = status.age.days if status.age is not None else 0
                lines.append(
                    ngettext(
                        "The newest backup is {days} day old (made on {date}).",
                        "The newest backup is {days} days old (made on {date}).",
                        days,
                    ).format(days=days, date=format_day(status.last_at.date()))
                )
        self.label.setText("  ".join(lines))
        self.setVisible(bool(lines))

    def back_up_now(self) -> None:
        self.now_button.setEnabled(False)
        self.keeper.finished.connect(self._enable_once)
        self.keeper.failed.connect(self._enable_once)
        self._force()

    def _force(self) -> None:
        folder = self.keeper.folder

        def work(db: Database, _progress: Progress) -> AutoBackupResult | None:
            return run_due_backup(db, folder, force=True)

        self.keeper.running = True
        BackgroundOp(self.context, self, work, _settings_changed).with_progress(
            _("Backing up"), show_after_ms=500
        ).success(self.keeper._done).failure(self.keeper._failed).run()

    def _enable_once(self, *_args: object) -> None:
        self.now_button.setEnabled(True)
        self.keeper.finished.disconnect(self._enable_once)
        self.keeper.failed.disconnect(self._enable_once)

    def _on_changed(self, changes: object, _initiator: object | None = None) -> None:
        if not isinstance(changes, Changes):
            return
        first_job = self.status is not None and not self.status.has_jobs
        if changes.touches(ChangeKind.SETTINGS) or (first_job and changes.touches(ChangeKind.JOB)):
            self.refresh()


class BackupPanel(QGroupBox):
    """Settings → Backups: where they go, the newest, Back up now… and Restore… (admins)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Backups"), parent)
        self.context = context
        self.folder = default_backup_folder(
            context.db.engine.url.render_as_string(hide_password=False)
        )
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("backup_status")
        self.backup_button = QPushButton(_("Back up to a file…"), self)
        self.restore_button = QPushButton(_("Restore from a backup…"), self)
        for button in (self.backup_button, self.restore_button):
            button.setAccessibleName(button.text().rstrip("…"))
        self.backup_button.clicked.connect(self.choose_backup_file)
        self.restore_button.clicked.connect(self.choose_restore_file)
        mark(self.backup_button, Permission.BACKUP_RESTORE)
        mark(self.restore_button, Permission.BACKUP_RESTORE)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        context.changed.connect(self._on_changed)
        context.user_changed.connect(self._user_changed)  # bound: dropped with the panel
        self.refresh()

    def _user_changed(self, _login: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        user = self.context.user

        def query(uow: UnitOfWork) -> tuple[BackupStatus, bool]:
            roles = {view.login: view.role for view in list_users(uow)}
            role = roles.get(user)
            return backup_status(uow), role is not None and may(role, Permission.BACKUP_RESTORE)

        ReadOp(self.context, self, query, self._show).run()

    def _show(self, found: tuple[BackupStatus, bool]) -> None:
        status, admin = found
        if status.last_at is None:
            newest = _("This shop has never been backed up.")
        else:
            newest = _("The newest backup is {file}, made {at}.").format(
                file=status.last_file, at=format_day(status.last_at.date())
            )
        lines = [
            newest,
            _("Automatic backups go to {folder}.").format(folder=self.folder),
        ]
        if not admin:
            lines.append(_("Only an administrator may back up or restore the shop."))
        self.status_label.setText("\n".join(lines))
        self.backup_button.setEnabled(admin)
        self.restore_button.setEnabled(admin)

    def choose_backup_file(self) -> None:
        suggested = str(self.folder / backup_file_name(datetime.now().astimezone()))
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Back up to a file"), suggested, _("RepairShop backups (*.sqlite)")
        )
        if path:
            self.back_up_to(Path(path))

    def back_up_to(self, target: Path) -> None:
        def work(db: Database, progress: Progress) -> CopyResult:
            with db.reader() as uow:
                moment = uow.now()
            result = backup(db, target, overwrite=True, progress=progress)
            record_backup(db, moment, target)
            return result

        BackgroundOp(self.context, self, work, _settings_changed).with_progress(
            _("Backing up")
        ).success(
            lambda result: QMessageBox.information(
                self,
                _("Backups"),
                _("Backed up {rows} rows to {file}.").format(rows=result.rows, file=target),
            )
        ).run()

    def choose_restore_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Restore from a backup"), str(self.folder), _("RepairShop backups (*.sqlite)")
        )
        if path and self.confirm_restore(Path(path)):
            self.restore_from(Path(path))

    def confirm_restore(self, source: Path) -> bool:
        answer = QMessageBox.warning(
            self,
            _("Restore from a backup"),
            _(
                "Restoring replaces every job, customer and part in this shop with the "
                "contents of {file}, for every desk. Restore now?"
            ).format(file=source),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore_from(self, source: Path) -> None:
        def work(db: Database, progress: Progress) -> CopyResult:
            return restore(db, source, replace=True, progress=progress)

        # The restore is the one long write the desk must wait for: on the desk's lane.
        LongWriteOp(
            self.context, self, work, lambda _result: Changes(kinds=frozenset({ChangeKind.ALL}))
        ).with_progress(_("Restoring")).success(
            lambda result: QMessageBox.information(
                self,
                _("Backups"),
                _("Restored {rows} rows from {file}.").format(rows=result.rows, file=source),
            )
        ).run()

    def _on_changed(self, changes: object, _initiator: object | None = None) -> None:
        if isinstance(changes, Changes) and changes.touches(ChangeKind.SETTINGS):
            self.refresh()
