"""The desktop app's one wiring place: database, context, worker, views, main window.

``repairshop`` with no arguments and ``repairshop-gui`` start here. A new view
joins the main window with one line in :data:`VIEWS`.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from repairshop.bootstrap import open_database
from repairshop.db.engine import DATABASE_URL_VARIABLE
from repairshop.errors import RepairShopError
from repairshop.i18n import N_, _, set_ui_language, system_language
from repairshop.logs import start_log, stop_log
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
from ui.intake import IntakeView
from ui.language import apply_language, effective_language
from ui.main_thread_gc import collect_on_main_thread
from ui.main_window import MainWindow, ViewSpec
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
from ui.settings_view import USER_KEY
from ui.sign_in import DeskPeople, SignInDialog, shop_is_closed
from ui.taskman import TaskManager

FIRST_START_DEMO_JOBS = 2000


def _later(module: str, name: str) -> Callable[[AppContext], QWidget]:
    """A view's factory that imports its module when the view is first built: the window
    builds only the view it opens on, so a start loads no other view's code."""

    def build(context: AppContext) -> QWidget:
        view: Callable[[AppContext], QWidget] = getattr(importlib.import_module(module), name)
        return view(context)

    build.__qualname__ = build.__name__ = name
    return build


DEFAULT_USER = "admin"

VIEWS: list[ViewSpec] = [
    ViewSpec("intake", N_("Intake"), IntakeView),
    ViewSpec("jobs", N_("Jobs"), _later("ui.job_list", "JobsView")),
    ViewSpec("queue", N_("My queue"), _later("ui.my_queue", "QueueView")),
    ViewSpec("parts", N_("Parts"), _later("ui.parts", "PartsView")),
    # QtCharts and ReportLab load with the Reports view.
    ViewSpec("reports", N_("Reports"), _later("ui.reports.view", "ReportsView")),
    ViewSpec("settings", N_("Settings"), _later("ui.settings_view", "SettingsView")),
    ViewSpec("returns", N_("Returns"), _later("ui.returns_view", "ReturnsView")),
    ViewSpec("messages", N_("Messages"), _later("ui.messages_view", "MessagesView")),
    ViewSpec("takings", N_("Takings"), _later("ui.money.takings_view", "TakingsView")),
    ViewSpec("audit", N_("Audit"), _later("ui.audit_view", "AuditView")),
]
"""The main window's views, in tab order (Ctrl+1 … Ctrl+9)."""


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


def build_window(context: AppContext) -> MainWindow:
    window = MainWindow(context, VIEWS)
    DeskPeople(window, context, window.tabs)
    return window


class WindowKeeper(QObject):
    """Holds the main window; rebuilds it when the person switches its language.

    Every widget takes its texts when it is built, so a new language means a new
    window: the old one saves its state and closes, the new one opens on Settings.
    """

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.context = context
        self.window = build_window(context)
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="repairshop-gui")
    parser.add_argument("--db", metavar="URL")
    parser.add_argument(
        "--no-demo", action="store_true", help=_("start an empty shop, without demo data")
    )
    # For the check of a built package: quit as soon as the main window is up.
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    args, qt_args = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    log = start_log()
    set_ui_language(system_language())  # the messages before the window (a database error)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    collect_on_main_thread(app)  # never a Qt object destroyed on the database worker
    app.setApplicationName("RepairShop")
    app.setOrganizationName("RepairShop")
    missing = missing_database_file(args.db)
    if (
        missing is not None
        and not names_default_database(args.db)
        and not confirm_new_database(missing)
    ):
        return 1  # a mistyped path: nothing made, nothing opened
    app.setWindowIcon(QIcon(str(resource_path("icons", "repairshop.svg"))))
    state = QSettings("RepairShop", "RepairShop")
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
    apply_language(effective_language(context.state))
    previous_hook = sys.excepthook
    catch_bugs(context)
    if shop_is_closed(context) and SignInDialog(context).exec() != QDialog.DialogCode.Accepted:
        context.tasks.shutdown()
        db.dispose()
        stop_log(log)
        return 0  # nobody signed in: nothing opens
    keeper = WindowKeeper(context)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
