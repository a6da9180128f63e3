"""The PDF report of the hand-built week: its text, read back from the rendered file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pypdfium2

from repairshop.printing.report_pdf import report_pdf
from repairshop.services.database import Database
from repairshop.services.reports.export import collect_reports, report_set_csv
from repairshop.services.reports.figures import Period
from tests.helpers import SettableClock
from tests.report_history import build_week


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_the_pdf_report_shows_the_weeks_figures(sqlite_db: Database, clock: SettableClock) -> None:
    build_week(sqlite_db, clock)
    with sqlite_db.reader() as uow:
        reports = collect_reports(uow, Period(date(2026, 3, 10), date(2026, 3, 16)))
    data = report_pdf(
        reports, shop_name="Opravna Žižkov", generated=datetime(2026, 3, 16, tzinfo=UTC)
    )
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Turnaround and workload" in text
    assert "Opravna Žižkov" in text
    assert "Tomáš Hrubý" in text
    assert "3 d 2 h" in text  # tomas's 90th percentile, 73.6 hours
    assert "tomas" not in text  # his name, not his login beside it
    assert "Awaiting parts" in text
    assert "Work in progress per technician" in text
    assert "50%" in text  # tomas: one of two jobs ready by the promised day
    csv_text = report_set_csv(reports)
    assert "tomas,Tomáš Hrubý,2,52.0,73.6,52.0,0.5" in csv_text
