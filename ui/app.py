"""The desktop app's one wiring place: database, context, worker, views, main window.

``repairshop`` with no arguments and ``repairshop-gui`` start in :mod:`ui.start`, which
shows the first window and then calls :func:`run_desk` here. A new view joins the main
window with one line in :data:`ui.start.VIEWS`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from repairshop.bootstrap import open_database
from repairshop.db.engine import DATABASE_URL_VARIABLE
from repairshop.errors import RepairShopError
from repairshop.i18n import _
from repairshop.logs import stop_log
from repairshop.resources import resource_path
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.database import (
    Database,
    missing_database_file,
    names_default_database,
)
from repairshop.services.jobs.listing import has_jobs
from repairshop.services.shop.users import get_user
from ui.backups import BackupKeeper
from ui.connection_dialog import ConnectionDialog, server_url
from ui.context import AppContext
from ui.desk_state import USER_KEY
from ui.language import apply_language, effective_language
from ui.main_window import MainWindow
from ui.operations import LongWriteOp
from ui.qt import (
    QApplication,
    QDialog,
    QIcon,
    QMessageBox,
    QObject,
    QSettings,
    QTimer,
    QWidget,
)
from ui.sign_in import DeskPeople, SignInDialog, shop_is_closed
from ui.start import VIEWS
from ui.taskman import TaskManager

FIRST_START_DEMO_JOBS = 2000

DEFAULT_USER = "admin"


def catch_bugs(context: AppContext) -> None:
    """An exception escaping a slot is a bug: logged with its traceback, shown in the one place."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        try:
            context.show_error(QApplication.activeWindow(), error.with_traceback(trace))
        except Exception:  # the one error place failed too: at least the log has both
            logging.getLogger(__name__).exception("showing an unexpected error failed: %r", error)

    sys.excepthook = hook


def database_is_new(db: Database) -> bool:
    with db.reader() as uow:
        return not has_jobs(uow)


def make_context(
    db: Database, state: QSettings | None = None, *, log_path: str | None = None
) -> AppContext:
    """The one way to build the app's context: ``db`` with its worker, this desk's view state
    (else the user's settings), working as the user this desk chose last (else ``admin``)."""
    state = state if state is not None else QSettings("RepairShop", "RepairShop")
    user, role = DEFAULT_USER, None
    saved = state.value(USER_KEY)
    with db.reader() as uow:  # before any window: nothing to freeze yet
        if isinstance(saved, str) and saved:
            try:
                user = get_user(uow, saved).login
            except RepairShopError:
                user = DEFAULT_USER
        try:
            role = get_user(uow, user).role
        except RepairShopError:
            role = None  # no such person (yet): the desk offers what no role needs
    return AppContext(db, user, TaskManager(), state, log_path, role=role)


def fill_demo(
    context: AppContext, parent: QWidget | None, jobs: int = FIRST_START_DEMO_JOBS
) -> None:
    """Demo data on the worker, with a progress dialog and Cancel; every view refreshes after."""
    from repairshop.demo.jobs import DemoOptions, generate_demo  # only when asked for

    everything = Changes(kinds=frozenset({ChangeKind.ALL}))
    LongWriteOp(
        context,
        parent,
        lambda db, progress: generate_demo(db, DemoOptions(jobs=jobs), progress),
        lambda _result: everything,
    ).with_progress(_("Making demo data…")).run()


def build_window(context: AppContext, first: MainWindow | None = None) -> MainWindow:
    """The main window over ``context``: ``first`` (a start's first window) attached to it,
    else a new one."""
    if first is not None:
        first.attach(context)
        window = first
    else:
        window = MainWindow(context, VIEWS)
    DeskPeople(window, context)
    return window


class WindowKeeper(QObject):
    """Holds the main window; rebuilds it when the person switches its language.

    Every widget takes its texts when it is built, so a new language means a new
    window: the old one saves its state and closes, the new one opens on Settings.
    """

    def __init__(self, context: AppContext, first: MainWindow | None = None) -> None:
        super().__init__(context)
        self.context = context
        self.window = build_window(context, first)
        context.language_requested.connect(self.switch_language)

    def switch_language(self, language: str) -> MainWindow:
        app = QApplication.instance()
        quits = isinstance(app, QApplication) and app.quitOnLastWindowClosed()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)
        old = self.window
        old.close()
        apply_language(language)
        self.window = build_window(self.context)
        self.window.show()
        self.window.show_view("settings")
        old.deleteLater()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(quits)
        return self.window


def confirm_new_database(path: Path) -> bool:
    """Asked when ``--db`` or ``REPAIRSHOP_DATABASE_URL`` names a file that is not there."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "RepairShop",
        _(
            "There is no RepairShop database at {path}.\n\nIf the path is mistyped, quit and "
            "correct it. Create a new, empty shop there?"
        ).format(path=path),
    )
    create = box.addButton(_("Create a new shop"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return box.clickedButton() is create


def ask_for_connection(message: str) -> bool:
    """The database cannot be opened: show why; True if the person wants to change the
    connection (the shared server) rather than quit."""
    box = QMessageBox(QMessageBox.Icon.Critical, "RepairShop", message)
    change = box.addButton(_("&Connection settings…"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return box.clickedButton() is change


def run_desk(
    app: QApplication,
    args: argparse.Namespace,
    log: RotatingFileHandler,
    state: QSettings,
    first: MainWindow | None,
) -> int:
    """The desk after :func:`ui.start.main`: its database opened (asked for, created or
    migrated as needed), its context, its window — ``first``, a start's first window, when
    one is up — and the app's event loop until it quits."""
    try:
        return _run_desk(app, args, log, state, first)
    finally:
        if first is not None and not first.is_attached:
            first.close()  # the desk did not start: its first window goes with it


def _run_desk(
    app: QApplication,
    args: argparse.Namespace,
    log: RotatingFileHandler,
    state: QSettings,
    first: MainWindow | None,
) -> int:
    if first is not None and not first.isVisible():
        return 0  # the person closed the first window before the desk was ready: quit
    missing = missing_database_file(args.db)
    if (
        missing is not None
        and not names_default_database(args.db)
        and not confirm_new_database(missing)
    ):
        return 1  # a mistyped path: nothing made, nothing opened
    app.setWindowIcon(QIcon(str(resource_path("icons", "repairshop.svg"))))
    url = args.db
    if url is None and not os.environ.get(DATABASE_URL_VARIABLE):
        url = server_url(state)  # this desk's shared server, if it works on one
    while True:
        try:
            db = open_database(url)
            break
        except RepairShopError as error:
            if not ask_for_connection(error.message):
                return 1
            dialog = ConnectionDialog(state)
            if not dialog.exec():
                return 1
            url = dialog.connection.url(dialog.password) if dialog.connection else args.db
    context = make_context(db, state, log_path=log.baseFilename)
    if first is None:
        apply_language(effective_language(context.state))
    previous_hook = sys.excepthook
    catch_bugs(context)
    closed = shop_is_closed(context)
    if first is not None and closed:  # a password was set since the first look
        first.close()
        first = None
    if closed and SignInDialog(context).exec() != QDialog.DialogCode.Accepted:
        context.tasks.shutdown()
        db.dispose()
        stop_log(log)
        return 0  # nobody signed in: nothing opens
    keeper = WindowKeeper(context, first)
    keeper.window.show()
    context.watch_other_desks()
    BackupKeeper.of(context).start()
    if not args.no_demo and database_is_new(db):
        fill_demo(context, keeper.window)
    if args.quit_when_shown:
        QTimer.singleShot(0, lambda: app.exit(0 if keeper.window.isVisible() else 1))
    try:
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        keeper.window.close()  # idempotent: views save their state, finish background work
        context.stop_watching()
        context.tasks.shutdown()
        db.dispose()
        stop_log(log)
