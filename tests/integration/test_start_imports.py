"""A start loads only what its first answer needs: no Alembic when the schema is current,
no barcode, holiday or password-hashing library before a label, a deadline or a sign-in,
no PDF maker (ReportLab), image library or phone-number metadata before a printout, a
photo or a number is shown; and the app's first window no QtCharts (the Reports view is
built on its first show) and no QtPdf (the print preview); and no
Qt Multimedia (a tenth of a second and the FFmpeg backend) before a clerk reaches for the
camera.

About the process itself, so it runs one new interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from repairshop.bootstrap import open_database

LATER = ("alembic", "barcode", "holidays", "argon2", "reportlab", "phonenumbers", "PIL")
APP_LATER = (
    *LATER,
    "PySide6.QtCharts",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "ui.evidence.camera",
)

PROBE = """
import json, sys
from repairshop.cli import main
code = main(["--db", sys.argv[1], "job", "find", "x"])
print(json.dumps([code, sorted(name for name in {later!r} if name in sys.modules)]))
"""


def test_a_search_on_a_current_database_loads_none_of_the_later_libraries(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    open_database(url).dispose()  # made and migrated here: the probe finds it current
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(later=LATER), url],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
        timeout=60,
    )
    code, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert (code, loaded) == (0, []), done.stderr


def offscreen_probe(probe: str, *arguments: str) -> list[Any]:
    """What ``probe`` prints last (JSON), run in a new interpreter on the offscreen platform."""
    done = subprocess.run(
        [sys.executable, "-c", probe, *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    printed: list[Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return printed


APP_PROBE = """
import json, sys
from repairshop.bootstrap import open_database
from ui.app import WindowKeeper, make_context
from ui.qt import QApplication, QSettings
app = QApplication([sys.argv[0]])
state = QSettings(sys.argv[2], QSettings.Format.IniFormat)
context = make_context(open_database(sys.argv[1]), state)
keeper = WindowKeeper(context)
keeper.window.show()
jobs = keeper.window.views["jobs"]
while jobs.model.is_loading or context.tasks.busy:
    app.processEvents()
app.processEvents()
before = sorted(name for name in {later!r} if name in sys.modules)
keeper.window.show_view("reports")
app.processEvents()
print(json.dumps([jobs.model.rowCount(), before, "PySide6.QtCharts" in sys.modules]))
"""


def test_the_started_main_window_loads_none_of_the_later_libraries(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    open_database(url).dispose()
    rows, loaded, charts_with_reports = offscreen_probe(
        APP_PROBE.format(later=APP_LATER), url, str(tmp_path / "s.ini")
    )
    assert (rows, loaded) == (0, [])
    assert charts_with_reports  # the Reports view, shown, has built its charts


FIRST_PROBE = """
import json, sys
from ui.qt import QApplication, QSettings
from ui.start import first_window
app = QApplication([sys.argv[0]])
state = QSettings(sys.argv[2], QSettings.Format.IniFormat)
window = first_window(app, sys.argv[1], state)
before = sorted(name for name in {later!r} if name in sys.modules)
from repairshop.bootstrap import open_database
from ui.app import WindowKeeper, make_context
context = make_context(open_database(sys.argv[1]), state)
keeper = WindowKeeper(context, window)
while context.tasks.busy:
    app.processEvents()
print(json.dumps([
    window is not None and window.isVisible(),
    before,
    keeper.window is window,
    type(window.tabs.currentWidget()).__name__,
]))
"""

FIRST_LATER = (*APP_LATER, "sqlalchemy", "repairshop.db.tables", "ui.intake", "ui.job_card")
"""Not loaded before a start's first window is shown: the database layer and the views."""


def test_the_first_window_is_shown_before_the_database_layer_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite"
    open_database(f"sqlite:///{path}").dispose()
    shown, loaded, same_window, opening_view = offscreen_probe(
        FIRST_PROBE.format(later=FIRST_LATER), str(path), str(tmp_path / "s.ini")
    )
    assert (shown, loaded, same_window, opening_view) == (True, [], True, "IntakeView")
