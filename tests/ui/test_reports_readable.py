"""Reports read as people think: turnaround in days and hours, names without logins, tables
that use the width, and a person's heading that names a person in every language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.i18n import format_duration, translator
from repairshop.services.database import Database
from tests.helpers import SettableClock
from tests.report_history import build_week
from ui.app import make_context
from ui.context import AppContext
from ui.desk_state import USER_KEY
from ui.language import apply_language
from ui.qt import QSettings, Qt
from ui.reports import ReportsView


@pytest.fixture
def context(sqlite_db: Database, clock: SettableClock, tmp_path: Path) -> Iterator[AppContext]:
    build_week(sqlite_db, clock)
    state = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    state.setValue(USER_KEY, "admin")
    made = make_context(sqlite_db, state)
    yield made
    made.tasks.shutdown()
    apply_language("en")


def shown(view: ReportsView, index: int) -> tuple[list[str], list[list[str]]]:
    view.table_choice.setCurrentIndex(index)
    model = view.table_model
    headers = [
        str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())
    ]
    rows = [
        [str(model.index(r, c).data()) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    return headers, rows


@pytest.mark.parametrize(
    ("language", "durations"),
    [
        ("en", ["2 d 4 h", "3 d 2 h"]),
        ("cs", ["2 d 4 h", "3 d 2 h"]),
        ("de", ["2 T 4 Std.", "3 T 2 Std."]),
    ],
)
def test_turnaround_in_days_and_hours_with_names_not_logins(
    qtbot: QtBot, context: AppContext, language: str, durations: list[str]
) -> None:
    apply_language(language)
    view = ReportsView(context)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.updated, timeout=30_000):
        pass
    view.resize(1200, 700)
    view.tabs.setCurrentIndex(1)  # the tables
    view.show()
    headers, rows = shown(view, 0)  # turnaround by technician
    t = translator(language).gettext
    assert headers[0] == t("Technician")
    assert t("Name") not in headers  # "Název" is a thing's name, never a person's
    assert not any(header.endswith(" h") for header in headers)
    tomas = next(row for row in rows if row[0] == "Tomáš Hrubý")
    assert "tomas" not in tomas  # the login is for the CSV, not beside the name
    assert tomas[2:4] == durations  # median 52.0 h, 90th percentile 73.6 h
    assert format_duration(52.0, language) == durations[0]
    assert durations[0].split()[0] in view.status.text()

    headers, rows = shown(view, 4)  # work in progress per technician
    assert headers[0] == t("Technician")
    assert all(row[0] not in ("tomas", "marek") for row in rows)
    # The table uses its width: the names stretch, the figures keep theirs.
    header = view.table_view.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(header.count()))
    assert used >= view.table_view.viewport().width() - 2
