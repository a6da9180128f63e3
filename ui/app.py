"""The desktop app's one wiring place: database, context, worker, views, main window.

``repairshop`` with no arguments and ``repairshop-gui`` start here. A new view
joins the main window with one line in :data:`VIEWS`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import platformdirs

from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.errors import RepairShopError
from repairshop.i18n import N_, _, set_ui_language, system_language
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.database import Database, open_database
from repairshop.services.jobs.listing import JobFilter, count_jobs
from repairshop.services.shop.users import get_user
from ui.context import AppContext
from ui.intake import IntakeView
from ui.job_list import JobsView
from ui.language import apply_language, effective_language
from ui.main_window import MainWindow, ViewSpec
from ui.my_queue import QueueView
from ui.parts import PartsView
from ui.qt import QApplication, QMessageBox, QObject, QSettings, QWidget
from ui.reports import ReportsView
from ui.returns_view import ReturnsView
from ui.settings_view import USER_KEY, SettingsView
from ui.taskman import Progress, TaskManager

FIRST_START_DEMO_JOBS = 2000
DEFAULT_USER = "admin"

VIEWS: list[ViewSpec] = [
    ViewSpec("intake", N_("Intake"), IntakeView),
    ViewSpec("jobs", N_("Jobs"), JobsView),
    ViewSpec("queue", N_("My queue"), QueueView),
    ViewSpec("parts", N_("Parts"), PartsView),
    ViewSpec("reports", N_("Reports"), ReportsView),
    ViewSpec("settings", N_("Settings"), SettingsView),
    ViewSpec("returns", N_("Returns"), ReturnsView),
]
"""The main window's views, in tab order (Ctrl+1 … Ctrl+9)."""


def start_log() -> logging.FileHandler:
    """Log to a file in the user's log folder; its path is shown with an unexpected error."""
    folder = Path(platformdirs.user_log_dir("RepairShop", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / "repairshop.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    return handler


def catch_bugs(context: AppContext) -> None:
    """An exception escaping a slot is a bug: logged with its traceback, shown in the one place."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        context.show_error(QApplication.activeWindow(), error.with_traceback(trace))

    sys.excepthook = hook


def database_is_new(db: Database) -> bool:
    with db.reader() as uow:
        return count_jobs(uow, JobFilter()) == 0


def make_context(db: Database, state: QSettings | None = None) -> AppContext:
    """The context for ``db``, working as the user this desk chose last (else ``admin``)."""
    context = AppContext(db, DEFAULT_USER, state=state)
    saved = context.state.value(USER_KEY)
    if isinstance(saved, str) and saved:
        try:
            context.read(lambda uow: get_user(uow, saved))
        except RepairShopError:
            saved = DEFAULT_USER
        context.set_user(saved)
    context.tasks = TaskManager(context)
    return context


def fill_demo(
    context: AppContext, parent: QWidget | None, jobs: int = FIRST_START_DEMO_JOBS
) -> None:
    """Demo data on the worker, with a progress dialog and Cancel; every view refreshes after."""
    assert context.tasks is not None
    db = context.db

    def work(progress: Progress) -> object:
        return generate_demo(db, DemoOptions(jobs=jobs), progress)

    context.tasks.run(
        work,
        lambda _result: context.announce(Changes(kinds=frozenset({ChangeKind.ALL}))),
        lambda error: context.show_error(parent, error),
        parent=parent,
        title=_("Making demo data…"),
    )


def build_window(context: AppContext) -> MainWindow:
    return MainWindow(context, VIEWS)


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="repairshop-gui")
    parser.add_argument("--db", metavar="URL")
    parser.add_argument(
        "--no-demo", action="store_true", help=_("start an empty shop, without demo data")
    )
    args, qt_args = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    log = start_log()
    set_ui_language(system_language())  # the messages before the window (a database error)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("RepairShop")
    app.setOrganizationName("RepairShop")
    try:
        db = open_database(args.db)
    except RepairShopError as error:
        QMessageBox.critical(None, "RepairShop", error.message)
        return 1
    context = make_context(db)
    context.log_path = log.baseFilename
    apply_language(effective_language(context.state))
    previous_hook = sys.excepthook
    catch_bugs(context)
    keeper = WindowKeeper(context)
    keeper.window.show()
    context.watch_other_desks()
    if not args.no_demo and database_is_new(db):
        fill_demo(context, keeper.window)
    try:
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        keeper.window.close()  # idempotent: views save their state, finish background work
        context.finish_reads()
        assert context.tasks is not None
        context.tasks.shutdown()
        db.dispose()
        logging.getLogger().removeHandler(log)
        log.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
