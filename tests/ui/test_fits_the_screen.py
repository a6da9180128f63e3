"""Fits 1280×800 in every language: no table needs scrolling sideways, every status and job
type is whole in the Jobs list, and the main window and the dialogs fit the screen."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from repairshop.db.tables import Job
from repairshop.domain.evidence import PointAnswer, PointState, Stage
from repairshop.domain.statuses import JobStatus, JobType
from repairshop.i18n import LANGUAGES, format_day
from repairshop.printing.documents import job_to_print
from repairshop.printing.options import PrintSettings
from repairshop.services.changes import Changes
from repairshop.services.jobs.evidence import add_photo, evidence_view, record_checklist, sign
from repairshop.services.jobs.listing import JobColumn
from repairshop.services.money.job_money import job_money
from repairshop.services.parts.stock import list_parts
from repairshop.services.uow import UnitOfWork
from tests.helpers import collect_paid
from tests.ui import test_translated_layouts as layouts
from tests.ui.ops import open_card, read, wait_idle, write
from ui.job_list import JobsView
from ui.models.job_table import COLUMN_KEYS
from ui.money.dialogs import AddLineDialog, ApprovalDialog
from ui.money.job_money_panel import JobMoneyPanel
from ui.parts import JobPartsPanel
from ui.parts.dialogs import AdjustDialog, ReceiveDialog
from ui.parts.parts_view import PartsView
from ui.printing import PrintPreviewDialog, job_printouts
from ui.qt import QDialog, QGuiApplication, QTableView, QTabWidget, QWidget

SCREEN = layouts.SCREEN
clipped_texts = layouts.clipped_texts
settle_layouts = layouts.settle_layouts
window_with_card = layouts.window_with_card
shop = layouts.shop  # the fixtures: a demo shop, the main window in a language
window_in = layouts.window_in


def sideways(root: QWidget) -> list[str]:
    """The tables shown in ``root`` that need scrolling sideways to be read."""
    found = []
    for table in root.findChildren(QTableView):
        if table.isVisibleTo(root) and table.horizontalScrollBar().maximum() > 0:
            heading = table.accessibleName() or table.objectName() or type(table).__name__
            found.append(f"{heading}: {table.horizontalScrollBar().maximum()} px more")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_table_scrolls_sideways_and_statuses_are_whole(
    qtbot: QtBot, window_in: object, language: str
) -> None:
    window, card = window_with_card(qtbot, window_in, language)
    problems: dict[str, list[str]] = {}
    for key in window.views:
        view = window.show_view(key)
        if isinstance(view, PartsView):
            view.catalogue.table.selectRow(0)  # a part's card with its movements
        wait_idle(qtbot, window.context)
        qtbot.wait(1)
        if found := sideways(view):
            problems[key] = found
    window.tabs.setCurrentWidget(card)
    wait_idle(qtbot, window.context)
    settle_layouts()  # the card's tables fit their width on the resize its showing brings
    if found := sideways(card):
        problems["job card"] = found
    assert problems == {}

    jobs = window.show_view("jobs")
    assert isinstance(jobs, JobsView)
    metrics = jobs.table.fontMetrics()
    day = date(2026, 12, 21)
    for column, labels in (
        (JobColumn.STATUS, [status.label for status in JobStatus]),
        (JobColumn.JOB_TYPE, [job_type.label for job_type in JobType]),
        # A complaint's deadline is a day as any ("decyzja do 21…" was cut in Polish).
        (JobColumn.PROMISED, [format_day(day)]),
    ):
        width = jobs.table.columnWidth(COLUMN_KEYS.index(column))
        cut = [label for label in labels if metrics.horizontalAdvance(label) + 8 > width]
        assert cut == [], f"{column}: {width} px"
    # A column hidden (the header's menu) or shown again: the others fill the width.
    header = jobs.table.horizontalHeader()
    for hidden in (True, False):
        header.setSectionHidden(COLUMN_KEYS.index(JobColumn.CUSTOMER), hidden)
        qtbot.waitUntil(lambda: header.length() == jobs.table.viewport().width())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_dialogs_fit_the_screen(qtbot: QtBot, window_in: object, language: str) -> None:
    window, card = window_with_card(qtbot, window_in, language)
    context = window.context
    printing = read(context, lambda uow: job_to_print(uow, card.code, context.user))
    money = read(context, lambda uow: job_money(uow, card.code))
    part = read(context, list_parts)[0]
    screen = QGuiApplication.primaryScreen().availableGeometry()
    printouts = job_printouts(printing, PrintSettings())
    dialogs: list[QDialog] = [
        PrintPreviewDialog(context, card.code, printouts, parent=card),
        AddLineDialog(context, card.code, money, card),
        ApprovalDialog(context, card.code, money, card),
        ReceiveDialog(context, part, window),
        AdjustDialog(context, part, window),
    ]
    problems = {}
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        found = clipped_texts(dialog)
        hint = dialog.minimumSizeHint()
        if hint.width() > SCREEN[0] or hint.height() > SCREEN[1]:
            found.append(f"needs {hint.width()}×{hint.height()}")
        size = dialog.frameGeometry().size()
        if size.width() > min(SCREEN[0], screen.width()) or size.height() > min(
            SCREEN[1], screen.height()
        ):
            found.append(f"opens {size.width()}×{size.height()}")
        if found:
            problems[type(dialog).__name__] = found
        dialog.close()
    assert problems == {}


def with_evidence(uow: UnitOfWork, code: str) -> Changes:
    """The job's condition checked at intake and after, two photos and the intake signature."""
    points = evidence_view(uow, code, "admin").points
    answers = [PointAnswer(point, PointState.OK) for point in points]
    record_checklist(uow, code, Stage.INTAKE, answers, "admin")
    record_checklist(uow, code, Stage.FINAL, answers, "admin")
    for name in ("front.jpg", "back.jpg"):
        picture = io.BytesIO()
        Image.new("RGB", (400, 300), "navy").save(picture, "JPEG")
        add_photo(uow, code, picture.getvalue(), "admin", file_name=name, stage=Stage.INTAKE)
    strokes = [[(0.1, 0.5), (0.5, 0.2), (0.9, 0.6)]]
    return sign(uow, code, "intake", strokes, "admin", signer="Łukasz Wiśniewski").changes


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_fits_on_each_of_its_records_tabs(
    qtbot: QtBot, window_in: object, language: str
) -> None:
    """A card whose job has its evidence (checklists, photos, a signature), parts and lines:
    showing its Evidence tab (read when first shown) made the window taller than the screen,
    848 px, and it stayed so. Every tab of the job's records keeps the window at 1280×800."""
    window, card = window_with_card(qtbot, window_in, language)
    context = window.context
    code = card.code
    write(qtbot, context, lambda uow: with_evidence(uow, code), lambda changes: changes)
    card = open_card(qtbot, window, code)
    records = card.records
    assert isinstance(records, QTabWidget)
    heights = {}
    for index in range(records.count()):
        if not records.isTabVisible(index):
            continue
        records.setCurrentIndex(index)
        wait_idle(qtbot, context)
        qtbot.wait(1)
        window.tabs.updateGeometry()
        heights[records.tabText(index)] = (window.height(), window.minimumSizeHint().height())
    assert card.evidence.photos.count() == 2  # the evidence was read and shown
    too_tall = {tab: sizes for tab, sizes in heights.items() if max(sizes) > SCREEN[1]}
    assert too_tall == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_parts_scan_field_shows_its_hint_whole(
    qtbot: QtBot, window_in: object, language: str
) -> None:
    """ "Zeskanuj etykietę części lub numer seryjny…" was cut in the card's Parts box."""
    _window, card = window_with_card(qtbot, window_in, language)
    panel = card.findChild(JobPartsPanel)
    assert panel is not None
    field = panel.sku
    settle_layouts()  # measured at the width a person sees, not a layout still on its way
    hint = field.placeholderText()
    room = field.contentsRect().width() - 2 * 4  # the frame's and the text's margins
    assert field.fontMetrics().horizontalAdvance(hint) <= room, f"{hint!r}: {room} px"
    assert field.toolTip()  # the whole of what may be scanned


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_card_with_parts_money_and_a_document_fits(
    qtbot: QtBot, window_in: object, language: str
) -> None:
    """The state the walk at the counter ends in: a job with lines on its bill, collected
    with its invoice (Print invoice and the complaint's Open button shown)."""
    window, _card = window_with_card(qtbot, window_in, language)
    context = window.context
    code = read(
        context,
        lambda uow: uow.session.scalar(
            select(Job.code).where(Job.status == JobStatus.READY.value).limit(1)
        ),
    )
    assert code is not None
    write(qtbot, context, lambda uow: collect_paid(uow, str(code)), lambda done: done.changes)
    card = open_card(qtbot, window, str(code))
    money = card.findChild(JobMoneyPanel)
    assert money is not None
    qtbot.waitUntil(money.print_button.isVisible)
    assert money.model.rowCount() > 0
    wait_idle(qtbot, context)
    window.tabs.updateGeometry()
    qtbot.wait(1)
    assert window.height() <= SCREEN[1]
    assert window.minimumSizeHint().height() <= SCREEN[1]
