"""The Reports view and the dashboard tiles over the hand-built week (offscreen)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from repairshop.domain.deadlines import Due
from repairshop.domain.statuses import JobStatus
from repairshop.services.database import Database
from repairshop.services.jobs.listing import JobColumn, JobFilter, due_counts, job_ids
from repairshop.services.jobs.workflow import summaries
from repairshop.services.reports.export import Table
from repairshop.services.reports.workload import Tile
from tests.helpers import SettableClock, collect_paid
from tests.report_history import Week, build_week
from tests.ui.ops import open_card, read, wait_idle, write
from ui.app import build_window, make_context
from ui.context import AppContext
from ui.desk_state import USER_KEY
from ui.job_card import JobCard, load_card
from ui.job_list import NO_DATE, JobsView
from ui.main_window import MainWindow
from ui.models.job_table import COLUMN_KEYS, DUE_COLOURS, JobTableModel
from ui.my_queue import QueueView
from ui.qt import QDate, QSettings, Qt
from ui.qt_charts import QBarCategoryAxis
from ui.reports import DashboardTiles, ReportsView
from ui.reports.table_model import ReportTableModel


@pytest.fixture
def week(sqlite_db: Database, clock: SettableClock) -> Week:
    return build_week(sqlite_db, clock)


def desk(db: Database, tmp_path: Path, user: str = "admin") -> AppContext:
    state = QSettings(str(tmp_path / f"{user}.ini"), QSettings.Format.IniFormat)
    state.setValue(USER_KEY, user)
    return make_context(db, state)


@pytest.fixture
def context(sqlite_db: Database, week: Week, tmp_path: Path) -> Iterator[AppContext]:
    made = desk(sqlite_db, tmp_path)
    yield made
    made.tasks.shutdown()


@pytest.fixture
def view(qtbot: QtBot, context: AppContext) -> ReportsView:
    view = ReportsView(context)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.updated, timeout=30_000):
        pass
    return view


def test_reports_view_shows_the_weeks_figures(
    qtbot: QtBot, view: ReportsView, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    assert view.end.date() == QDate(2026, 3, 16)
    assert view.start.date() == QDate(2026, 2, 15)
    assert view.reports is not None
    assert view.reports.by_technician.total.summary.median_hours == 46.5
    model = view.table_model
    assert model.rowCount() == 3  # marek, tomas, all jobs
    assert model.index(1, 0).data() == "Tomáš Hrubý"  # the name alone, no login beside it
    assert model.index(1, 3).data() == "3 d 2 h"  # 73.6 hours
    assert model.headerData(3, Qt.Orientation.Horizontal) == "90th percentile"
    qtmodeltester.check(model)
    view.table_choice.setCurrentIndex(2)  # time in each status
    assert model.index(2, 0).data() == "Awaiting parts"
    qtmodeltester.check(model)
    for chart_view in (view.distribution_chart, view.flow_chart, view.wip_chart, view.status_chart):
        assert chart_view.chart().series()
        for axis in chart_view.chart().axes():  # names are shown whole, never as "…"
            assert not isinstance(axis, QBarCategoryAxis) or not axis.truncateLabels()
    assert "4 jobs ready in the period" in view.status.text()

    view.export_csv(tmp_path / "week.csv")
    text = (tmp_path / "week.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["tomas", "Tomáš Hrubý", "2", "52.0", "73.6", "52.0", "0.5"] in rows
    with qtbot.waitSignal(view.exported):
        view.export_pdf(tmp_path / "week.pdf")
    assert (tmp_path / "week.pdf").read_bytes().startswith(b"%PDF")
    assert view.grab().save(str(tmp_path / "view.png"))


def test_filters_narrow_the_figures(qtbot: QtBot, view: ReportsView) -> None:
    index = view.technician.findData("marek")
    assert index > 0
    with qtbot.waitSignal(view.updated, timeout=30_000):
        view.technician.setCurrentIndex(index)
        view.refresh()
    assert view.reports is not None
    assert view.reports.by_technician.total.summary.count == 2
    with qtbot.waitSignal(view.updated, timeout=30_000):
        view.start.setDate(QDate(2026, 3, 11))
        view.end.setDate(QDate(2026, 3, 11))
        view.technician.setCurrentIndex(0)
        view.device_type.setCurrentIndex(view.device_type.findData("phone"))
        view.refresh()
    assert view.reports.by_device_type.total.summary.count == 2  # A and C, both phones


def test_the_report_model_passes_the_model_tester_as_its_table_comes_and_goes(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    model = ReportTableModel()
    qtmodeltester.check(model)  # before the first report arrives
    figures = Table(
        title="Turnaround",
        keys=("technician", "count", "median_hours", "share"),
        headers=("Technician", "Jobs", "Median h", "Share"),
        rows=(("tomas", 2, 52.0, 0.5), ("marek", 1, None, 0.25), ("all", 3, 46.5, 1.0)),
        percent=frozenset({"share"}),
    )
    no_rows = Table(title="Stays", keys=("status", "count"), headers=("Status", "Stays"), rows=())
    for table, shape in ((figures, (3, 4)), (no_rows, (0, 2)), (None, (0, 0)), (figures, (3, 4))):
        with qtbot.waitSignal(model.modelReset):
            model.set_table(table)
        assert (model.rowCount(), model.columnCount()) == shape
        qtmodeltester.check(model)
    assert model.index(0, 0).data() == "tomas"
    assert model.index(1, 2).data() == "–"  # no figure, not an empty cell
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Share"
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )


def test_tiles_count_and_open_the_matching_job_list(
    qtbot: QtBot, context: AppContext, sqlite_db: Database, week: Week
) -> None:
    tiles = DashboardTiles(context)
    qtbot.addWidget(tiles)
    wait_idle(qtbot, context)
    assert tiles.buttons[Tile.OVERDUE].text() == "1\nOverdue now"
    assert tiles.buttons[Tile.READY].text() == "2\nReady for pickup"
    assert tiles.buttons[Tile.AWAITING_PARTS].text() == "1\nWaiting for parts"
    assert tiles.buttons[Tile.TAKEN_IN_TODAY].text() == "1\nTaken in today"
    with qtbot.waitSignal(tiles.filter_requested) as signal:
        tiles.buttons[Tile.READY].click()
    chosen = signal.args[0]
    assert chosen == JobFilter(statuses=frozenset({JobStatus.READY}))
    with sqlite_db.reader() as uow:
        shown = {job.code for job in summaries(uow, job_ids(uow, chosen))}
    assert shown == {week.codes["B"], week.codes["D"]}
    # Moving a job announces a change; the tiles count again.
    write(
        qtbot,
        context,
        lambda uow: collect_paid(uow, week.codes["B"]),
        lambda changed: changed.changes,
    )
    assert tiles.buttons[Tile.READY].text() == "1\nReady for pickup"


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database, week: Week, tmp_path: Path) -> Iterator[MainWindow]:
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    made_context = make_context(sqlite_db, state)
    made = build_window(made_context)
    qtbot.addWidget(made)
    wait_idle(qtbot, made_context)
    yield made
    made_context.tasks.shutdown()


def _codes_shown(qtbot: QtBot, view: JobsView) -> list[str]:
    """The codes the list shows, once the list and its rows have arrived."""
    model = view.model
    wait_idle(qtbot, view.context)
    for row in range(model.rowCount()):
        model.summary(row)
    wait_idle(qtbot, view.context)
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def test_each_tile_on_the_main_window_opens_its_jobs(
    qtbot: QtBot, window: MainWindow, week: Week
) -> None:
    tiles = window.tiles
    jobs = window.views["jobs"]
    assert isinstance(jobs, JobsView)
    expected = {
        Tile.OVERDUE: {week.codes["E"]},
        Tile.READY: {week.codes["B"], week.codes["D"]},
        Tile.AWAITING_PARTS: {week.codes["E"]},
        Tile.TAKEN_IN_TODAY: {week.codes["F"]},
    }
    for tile, codes in expected.items():
        window.show_view("intake")
        tiles.buttons[tile].click()
        assert window.tabs.currentWidget() is jobs
        assert set(_codes_shown(qtbot, jobs)) == codes, tile
        assert tiles.buttons[tile].text().startswith(f"{len(codes)}\n")
    # The last tile left the controls saying what the list shows: taken in today.
    assert jobs.date_from.date() == QDate(2026, 3, 16)
    assert jobs.date_to.date() == QDate(2026, 3, 16)
    tiles.buttons[Tile.OVERDUE].click()
    assert jobs.overdue.isChecked()
    assert jobs.date_from.date() == NO_DATE


def test_lists_and_queue_mark_overdue_and_due_soon_jobs(
    qtbot: QtBot, sqlite_db: Database, clock: SettableClock, week: Week, tmp_path: Path
) -> None:
    clock.now = datetime(2026, 3, 19, 9, 0, tzinfo=UTC)  # Thursday: F is promised tomorrow
    with sqlite_db.reader() as uow:
        counts = due_counts(uow, JobFilter())
    assert counts == {Due.OVERDUE: 1, Due.DUE_SOON: 1, Due.ON_TIME: 4}  # E late, F tomorrow
    context = desk(sqlite_db, tmp_path, "tomas")
    model = JobTableModel(context, JobFilter())
    model.reload()
    wait_idle(qtbot, context)
    for row in range(model.rowCount()):
        model.summary(row)
    wait_idle(qtbot, context)
    promised = COLUMN_KEYS.index(JobColumn.PROMISED)
    marks = {}
    for row in range(model.rowCount()):
        code = model.index(row, 0).data()
        cell = model.index(row, promised)
        brush = cell.data(Qt.ItemDataRole.ForegroundRole)
        tooltip = cell.data(Qt.ItemDataRole.ToolTipRole)
        marks[code] = (brush.color().name() if brush else None, tooltip)
    assert marks[week.codes["E"]][0] == DUE_COLOURS[Due.OVERDUE]
    assert marks[week.codes["E"]][1].startswith("Overdue: promised for")
    assert marks[week.codes["F"]][0] == DUE_COLOURS[Due.DUE_SOON]
    assert marks[week.codes["F"]][1].startswith("Due soon: promised for")
    # B was promised Thursday too but is ready: a ready job is never late.
    assert marks[week.codes["B"]] == (None, None)

    queue = QueueView(context)
    qtbot.addWidget(queue)
    wait_idle(qtbot, context)
    heading = queue.heading.text()
    assert "1 job needs work" in heading  # E, tomas's only workshop job
    assert "1 overdue" in heading
    assert "due today or tomorrow" not in heading


def test_the_job_card_says_when_a_job_is_late_or_nearly(
    qtbot: QtBot, sqlite_db: Database, clock: SettableClock, week: Week, tmp_path: Path
) -> None:
    clock.now = datetime(2026, 3, 19, 9, 0, tzinfo=UTC)
    context = desk(sqlite_db, tmp_path)
    said = {}
    for name in ("E", "F", "B"):
        code = week.codes[name]
        card = JobCard(context, read(context, lambda uow, code=code: load_card(uow, code, "admin")))
        qtbot.addWidget(card)
        said[name] = card.status_label.text()
    assert "overdue" in said["E"]
    assert "due today or tomorrow" in said["F"]
    assert "overdue" not in said["B"]
    assert "due today" not in said["B"]


def test_a_desk_follows_what_another_desk_does(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database, week: Week
) -> None:
    """Desk one shows the dashboard and the Jobs view; desk two (here the services) moves B."""
    context = window.context
    context.watch_other_desks(interval_ms=50)
    jobs = window.views["jobs"]
    assert isinstance(jobs, JobsView)
    window.tiles.buttons[Tile.READY].click()
    assert set(_codes_shown(qtbot, jobs)) == {week.codes["B"], week.codes["D"]}
    card = open_card(qtbot, window, week.codes["B"])
    with sqlite_db.unit_of_work() as uow:  # another workstation hands B over
        collect_paid(uow, week.codes["B"])
        uow.commit()
    qtbot.waitUntil(lambda: window.tiles.buttons[Tile.READY].text().startswith("1\n"))
    qtbot.waitUntil(lambda: jobs.model.rowCount() == 1)
    assert _codes_shown(qtbot, jobs) == [week.codes["D"]]
    assert card.view.status is JobStatus.COLLECTED
