"""The desktop app's one wiring place: database, services, windows.

``repairshop`` with no arguments and ``repairshop-gui`` start here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from repairshop.commands.jobs import format_summaries
from repairshop.errors import RepairShopError
from repairshop.i18n import _, set_ui_language, system_language
from repairshop.services.database import Database, open_database
from repairshop.services.demo import DemoOptions, generate_demo
from repairshop.services.jobs import find_jobs
from ui.qt import (
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

FIRST_START_DEMO_JOBS = 2000


class MainWindow(QMainWindow):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle("RepairShop")
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.search = QLineEdit(central)
        self.search.setPlaceholderText(_("Scan a label or search: code, name, phone, IMEI…"))
        self.search.textChanged.connect(self.refresh)
        self.results = QListWidget(central)
        self.status = QLabel(central)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(self.status)
        self.setCentralWidget(central)
        self.resize(1280, 800)
        self.refresh()
        self.search.setFocus()

    def refresh(self) -> None:
        with self.db.reader() as uow:
            found = find_jobs(uow, self.search.text(), limit=200)
        self.results.clear()
        text = format_summaries(found)
        if text:
            self.results.addItems(text.splitlines())
        self.status.setText(_("{count} jobs shown").format(count=len(found)))


def _database_is_new(db: Database) -> bool:
    with db.reader() as uow:
        return not find_jobs(uow, "", limit=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="repairshop-gui")
    parser.add_argument("--db", metavar="URL")
    parser.add_argument(
        "--no-demo", action="store_true", help=_("start an empty shop, without demo data")
    )
    args, qt_args = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    set_ui_language(system_language())
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("RepairShop")
    try:
        db = open_database(args.db)
        if not args.no_demo and _database_is_new(db):
            generate_demo(db, DemoOptions(jobs=FIRST_START_DEMO_JOBS))
    except RepairShopError as error:
        QMessageBox.critical(None, "RepairShop", error.message)
        return 1
    window = MainWindow(db)
    window.show()
    try:
        return app.exec()
    finally:
        db.dispose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
