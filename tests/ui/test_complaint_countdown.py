"""An open complaint counts down to its deadline in the job list and on the job card."""

from __future__ import annotations

import re

from pytestqt.qtbot import QtBot

from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.complaints import ComplaintOutcome, Remedy
from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.services.aftersales.complaints import decide_complaint, open_complaint
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import JobColumn
from repairshop.services.jobs.workflow import change_status, show_job
from repairshop.services.money.approval import approve
from repairshop.services.reports.workload import Tile
from repairshop.services.shop.settings import set_setting
from tests.helpers import collect_paid, intake_document
from tests.ui.ops import open_card, wait_idle
from ui.context import AppContext
from ui.job_list import JobsView
from ui.main_window import MainWindow
from ui.models.job_table import COLUMN_KEYS, JobTableModel
from ui.qt import Qt

S = JobStatus
COUNTDOWN = re.compile(r"^decide by .+ \((\d+) days left\)$")


def collected_job(context: AppContext) -> str:
    with context.db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        for status in (S.DIAGNOSING, S.AWAITING_APPROVAL, S.IN_REPAIR, S.TESTING, S.READY):
            price = show_job(uow, code, "admin").price
            if status is S.IN_REPAIR and price is not None:  # the customer says yes
                approve(uow, code, price, ApprovalMethod.IN_PERSON, "admin")
            change_status(uow, code, status, "admin", outcome=Outcome.REPAIRED)
        collect_paid(uow, code)
        uow.commit()
    return code


def fetch_rows(qtbot: QtBot, model: JobTableModel) -> None:
    """Wait for the list's ids, then for every row's cells (read in blocks as asked for)."""
    qtbot.waitUntil(lambda: not model.is_loading)
    for row in range(model.rowCount()):
        model.summary(row)
    qtbot.waitUntil(lambda: not model.rows_pending)


def test_the_list_and_the_card_count_down_an_open_complaint(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    original = collected_job(context)
    with context.db.unit_of_work() as uow:
        code = open_complaint(uow, original, "admin", remedy=Remedy.REPAIR).code
        uow.commit()
    model = JobTableModel(context, parent=context)
    model.reload()
    fetch_rows(qtbot, model)
    column = COLUMN_KEYS.index(JobColumn.PROMISED)
    tips = {
        model.code(row): model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
        for row in range(model.rowCount())
    }
    match = COUNTDOWN.match(tips[code])
    assert match is not None, tips[code]
    assert 30 <= int(match.group(1)) <= 34  # 30 days, moved off a weekend or holiday
    assert not str(tips[original]).startswith("decide by")
    # The cell itself is the day, as narrow as a promised day ("decyzja do 21…" was cut).
    row = next(row for row in range(model.rowCount()) if model.code(row) == code)
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", str(model.index(row, column).data()))

    card = open_card(qtbot, window, code)
    assert match.group(0) in card.status_label.text()

    with context.db.unit_of_work() as uow:
        decide_complaint(uow, code, ComplaintOutcome.ACCEPTED, "admin", reason="Confirmed")
        uow.commit()
    model.reload()
    fetch_rows(qtbot, model)
    row = next(row for row in range(model.rowCount()) if model.code(row) == code)
    tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
    assert not str(tip).startswith("decide by")


def test_the_dashboard_tile_counts_complaints_due_in_three_days_and_opens_them(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    original = collected_job(context)
    with context.db.unit_of_work() as uow:
        later = open_complaint(uow, original, "admin").code
        set_setting(uow, "complaint.decide_days", "2", "admin")
        soon = open_complaint(uow, original, "admin").code
        uow.commit()
    tiles = window.tiles
    tiles.refresh()
    wait_idle(qtbot, context)
    button = tiles.buttons[Tile.COMPLAINTS_DUE]
    assert button.text() == "1\nComplaints due in 3 days"
    jobs = window.views["jobs"]
    assert isinstance(jobs, JobsView)
    button.click()
    wait_idle(qtbot, context)  # the list has read the jobs the tile counted
    assert window.tabs.currentWidget() is jobs
    assert jobs.complaints_due.isChecked()
    fetch_rows(qtbot, jobs.model)
    shown = [jobs.model.code(row) for row in range(jobs.model.rowCount())]
    assert shown == [soon]
    assert later not in shown
