"""The Reports view's Complaints tab: per month, decided in time, late and open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.domain.complaints import ComplaintOutcome, Remedy
from repairshop.services.aftersales.complaints import decide_complaint, open_complaint
from tests.ui.ops import wait_idle
from tests.ui.test_complaint_countdown import collected_job
from ui.context import AppContext
from ui.language import apply_language
from ui.qt_charts import QBarSeries
from ui.reports import ReportsView

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-complaint-shots"))


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_complaints_tab_shows_the_months_and_the_share_decided_in_time(
    qtbot: QtBot, context: AppContext, language: str
) -> None:
    apply_language(language)
    try:
        original = collected_job(context)
        with context.db.unit_of_work() as uow:
            first = open_complaint(uow, original, "admin", remedy=Remedy.REPAIR).code
            open_complaint(uow, original, "admin")
            decide_complaint(uow, first, ComplaintOutcome.ACCEPTED, "admin", reason="Fixed")
            uow.commit()
        view = ReportsView(context)
        qtbot.addWidget(view)
        view.resize(1200, 700)
        view.show()
        with qtbot.waitSignal(view.complaints.updated, timeout=30_000):
            wait_idle(qtbot, context)
        wait_idle(qtbot, context)
        view.tabs.setCurrentWidget(view.complaints)
        report, months = view.complaints.figures or (None, [])
        assert report is not None
        assert (report.received, report.in_time, report.open) == (2, 1, 1)
        assert sum(month.in_time for month in months) == 1
        assert sum(month.open for month in months) == 1
        chart = view.complaints.chart.chart()
        series = chart.series()[0]
        assert isinstance(series, QBarSeries)
        totals = [sum(bar.at(i) for i in range(bar.count())) for bar in series.barSets()]
        assert totals == [1.0, 0.0, 1.0]
        summary = view.complaints.summary.text()
        assert ("Vyřízeno ve lhůtě: 100" if language == "cs" else "Decided in time: 100") in summary
        SHOTS.mkdir(parents=True, exist_ok=True)
        folder = SHOTS if language == "en" else SHOTS / language
        folder.mkdir(parents=True, exist_ok=True)
        assert view.grab().save(str(folder / "complaint-report.png"))
    finally:
        apply_language("en")
