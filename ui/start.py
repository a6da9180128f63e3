"""The desk's start: its first window up before the database layer is loaded, then the desk.

``repairshop`` with no arguments and ``repairshop-gui`` start here. Importing SQLAlchemy,
the tables, the services and the views is most of a start (see docs/PERFORMANCE.md), and
the first window needs none of it: its frame, tabs and search box are Qt's, its tiles'
numbers and the desk's person come from :func:`repairshop.services.first_look.first_look`,
read with the driver alone (sqlite3, or psycopg for the shop's server). So the window is
shown first; :func:`ui.app.run_desk` then loads the rest, opens the database the usual
way and attaches the window to it (scans, the tiles' own reading, the view it opens on).
A key typed meanwhile waits in Qt's queue and reaches the search box or the form once the
desk is attached.

Where the first look cannot be had (a file not there yet, a server whose password is typed
at each start or that does not answer at once, a schema to migrate, a shop whose desks sign
in), the desk starts the usual way, window last.

This module and what it imports stay free of the database layer; a test starts it in a
new process and checks that SQLAlchemy was not loaded before the window was shown.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from repairshop.db.connection import keyring_available, saved_password
from repairshop.db.location import DATABASE_URL_VARIABLE, local_file, server_conninfo
from repairshop.i18n import N_, _, set_ui_language, system_language
from repairshop.logs import start_log
from repairshop.services.first_look import first_look
from ui.desk_state import asks_for_password, saved_connection, saved_user
from ui.language import apply_language, effective_language
from ui.main_thread_gc import collect_on_main_thread
from ui.main_window import MainWindow, ViewSpec
from ui.qt import QApplication, QSettings, QWidget

if TYPE_CHECKING:
    from ui.context import AppContext

EXPOSED_WAIT_S = 0.5
"""How long the first window waits to be on the screen before it paints anyway."""


def _later(module: str, name: str) -> Callable[[AppContext], QWidget]:
    """A view's factory that imports its module when the view is first built: the window
    builds only the view it opens on, so a start loads no other view's code."""

    def build(context: AppContext) -> QWidget:
        view: Callable[[AppContext], QWidget] = getattr(importlib.import_module(module), name)
        return view(context)

    build.__qualname__ = build.__name__ = name
    return build


VIEWS: list[ViewSpec] = [
    ViewSpec("intake", N_("Intake"), _later("ui.intake", "IntakeView")),
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
"""The main window's views, in tab order (Ctrl+1 … Ctrl+9, 0)."""


def parse_arguments(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="repairshop-gui")
    parser.add_argument("--db", metavar="URL")
    parser.add_argument(
        "--no-demo", action="store_true", help=_("start an empty shop, without demo data")
    )
    # For the check of a built package: quit as soon as the main window is up.
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))


def first_source(database: str | None, state: QSettings) -> Path | str | None:
    """What the desk opens, as :func:`ui.app.run_desk` will: ``--db`` or the environment,
    else this desk's server (``None`` if its password must be typed first), else this
    computer's own file."""
    if database or os.environ.get(DATABASE_URL_VARIABLE):
        return server_conninfo(database) or local_file(database)
    connection = saved_connection(state)
    if connection is None:  # no server chosen (or none named): this computer's own file
        return local_file(None)
    password = saved_password(connection)
    if password is None and (asks_for_password(state) or not keyring_available()):
        return None  # asked for by the usual start, with the window after it
    return connection.conninfo(password)


def first_window(app: QApplication, database: str | None, state: QSettings) -> MainWindow | None:
    """The desk's window shown and painted from the first look at its database, or ``None``
    when the desk must start the usual way."""
    look = first_look(first_source(database, state), saved_user(state))
    if look is None:
        return None
    apply_language(effective_language(state))
    window = MainWindow(None, VIEWS, look=look, state=state)
    window.show()
    handle = window.windowHandle()
    waited_until = time.monotonic() + EXPOSED_WAIT_S
    while handle is not None and not handle.isExposed() and time.monotonic() < waited_until:
        app.processEvents()
    window.repaint()  # painted now: the database layer loads next, with the window up
    app.processEvents()
    return window


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = parse_arguments(argv)
    log = start_log()
    set_ui_language(system_language())  # the messages before the window (a database error)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    collect_on_main_thread(app)  # never a Qt object destroyed on the database worker
    app.setApplicationName("RepairShop")
    app.setOrganizationName("RepairShop")
    state = QSettings("RepairShop", "RepairShop")
    window = first_window(app, args.db, state)
    from ui.app import run_desk  # the database layer, the services and the views

    return run_desk(app, args, log, state, window)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
