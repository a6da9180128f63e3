"""Grab each view of the desktop app at 1280×800 to PNG, as the README shows them.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/take_screenshots.py DB OUT [LANG]

``LANG`` (en, cs, de, pl, ru, hu; default en) is the window's language, Qt's
own texts included; every view, the Parts and Reports views too, is grabbed.

``DB`` is a SQLite file with demo data (``repairshop --db DB demo``); it is read,
and the view state goes to a throw-away file, so nothing of the desk's own is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from repairshop.bootstrap import open_database
from repairshop.services.shop.users import list_users
from ui.app import build_window, make_context
from ui.desk_state import USER_KEY
from ui.intake import IntakeView
from ui.job_list import JobsView
from ui.language import apply_language
from ui.my_queue import QueueView
from ui.qt import QApplication, QSettings
from ui.reports import ReportsView


def main(database: Path, out: Path, language: str = "en") -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication([])
    apply_language(language)
    out.mkdir(parents=True, exist_ok=True)
    db = open_database(f"sqlite:///{database}")
    with tempfile.TemporaryDirectory() as folder:
        state = QSettings(str(Path(folder) / "state.ini"), QSettings.Format.IniFormat)
        with db.reader() as uow:
            technician = next(u for u in list_users(uow) if u.role == "technician")
        state.setValue(USER_KEY, technician.login)
        context = make_context(db, state)
        window = build_window(context)
        window.show()
        window.resize(1280, 800)

        def settle() -> None:
            """Every view reads on the worker: wait until it has answered them all."""
            app.processEvents()
            while context.tasks.busy:
                time.sleep(0.02)
                app.processEvents()

        def shot(name: str) -> None:
            settle()
            settle()  # the rows the first answers painted are fetched too
            window.grab().save(str(out / f"{name}.png"))

        intake = window.show_view("intake")
        assert isinstance(intake, IntakeView)
        intake.phone.setFocus()
        intake.phone.setText("602 55")
        intake.look_up_customer("602 55")
        intake.brand.setText("Apple")
        intake.model.setText("iPhone 13")
        intake.imei.setText("353326111702413")
        intake.fault.setPlainText("Does not charge; the battery drains in two hours")
        intake.accessory_boxes[0].setChecked(True)
        intake.estimate.setText("1490")
        shot("intake")
        intake.clear()
        jobs = window.show_view("jobs")
        assert isinstance(jobs, JobsView)
        shot("jobs")
        jobs.table.setFocus()
        jobs.table.selectRow(2)
        shot("jobs")
        queue = window.show_view("queue")
        assert isinstance(queue, QueueView)
        shot("my-queue")
        queue.table.setFocus()
        queue.table.selectRow(0)
        shot("my-queue")
        window.show_view("parts")
        shot("parts")
        reports = window.show_view("reports")
        assert isinstance(reports, ReportsView)
        shot("reports")
        window.show_view("settings")
        shot("settings")
        code = queue.model.code(0)
        assert code is not None
        window.open_job(code)
        shot("job-card")
        window.close()
        context.tasks.shutdown()
    db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:4])
