"""One date style per language, the locale's own, in the Jobs list, the card (its fields and
history) and the reports: the same day reads the same everywhere in English and in Czech."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from repairshop.i18n import LANGUAGES, format_day, format_moment, set_ui_language
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import JobColumn
from repairshop.services.shop.opening_hours import shop_today
from tests.helpers import intake_document
from tests.ui.ops import open_card, read, wait_idle, write
from ui.app import build_window
from ui.context import AppContext
from ui.job_list import JobsView
from ui.language import apply_language
from ui.models.job_table import COLUMN_KEYS
from ui.reports import ReportsView

# As each language writes a day, spelled out here rather than asked of the code under test.
STYLES = {
    "en": (lambda d: f"{d.day:02}/{d.month:02}/{d.year}", r"\d{2}/\d{2}/\d{4}"),
    "cs": (lambda d: f"{d.day}. {d.month}. {d.year}", r"\d{1,2}\. \d{1,2}\. \d{4}"),
}


@pytest.fixture
def english_after() -> Iterator[None]:
    yield
    apply_language("en")


def cell(jobs: JobsView, column: JobColumn) -> str:
    return str(jobs.model.index(0, COLUMN_KEYS.index(column)).data())


@pytest.mark.parametrize("language", ["en", "cs"])
def test_a_day_reads_the_same_in_the_list_the_card_and_a_report(
    qtbot: QtBot, context: AppContext, language: str, english_after: None
) -> None:
    write_day, shape = STYLES[language]
    today = read(context, shop_today)
    promised = today + timedelta(days=3)
    request = intake_request_from_json(intake_document(promised=promised.isoformat()))
    code = write(
        qtbot, context, lambda uow: intake(uow, request, "admin"), lambda r: r.changes
    ).code
    apply_language(language)
    window = build_window(context)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, context)

    jobs = window.show_view("jobs")
    assert isinstance(jobs, JobsView)
    jobs.model.summary(0)
    wait_idle(qtbot, context)
    assert cell(jobs, JobColumn.PROMISED) == write_day(promised)
    created = cell(jobs, JobColumn.CREATED)
    taken_in_day = re.match(shape, created)
    assert taken_in_day, created  # the moment starts with the day, written the same way

    card = open_card(qtbot, window, code)
    assert card.promised.text() == write_day(promised)  # the field as the list
    newest = card.history.item(card.history.count() - 1).text()  # taken in
    assert newest.startswith(taken_in_day.group(0)), newest

    reports = window.show_view("reports")
    assert isinstance(reports, ReportsView)
    qtbot.waitUntil(lambda: reports.reports is not None, timeout=30_000)
    assert reports.end.text() == write_day(today)  # the period's fields too
    reports.table_choice.setCurrentIndex(3)  # jobs in and out per day
    model = reports.table_model
    days = [str(model.index(row, 0).data()) for row in range(model.rowCount())]
    assert days
    assert all(re.fullmatch(shape, day) for day in days), days
    assert write_day(today) in days
    window.close()


def test_every_language_writes_a_day_one_way(english_after: None) -> None:

    for language in LANGUAGES:
        set_ui_language(language)
        day = format_day(date(2026, 12, 7))
        assert format_day(date(2026, 12, 7), style="short") == day
        assert format_moment(datetime(2026, 12, 7, 12, tzinfo=UTC), tz=UTC).startswith(day)
        assert "2026" in day  # the whole year, never "26"
