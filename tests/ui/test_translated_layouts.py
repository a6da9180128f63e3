"""Every main view, in every language, fits 1280×800 with no text cut off.

A button, check box or one-line label narrower than its text needs, a tab bar
that needs scroll arrows, or a window that cannot shrink to 1280×800 means a
translation does not fit: the widget or the wording must change. The check
reads Qt's own size hints, which is what a person sees clipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from repairshop.db.tables import Job
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.domain.statuses import JobStatus
from repairshop.i18n import LANGUAGES
from repairshop.services.shop.settings import get_settings
from tests.ui.ops import open_card, read, wait_idle
from ui.app import build_window
from ui.context import AppContext
from ui.customer_message import CustomerMessageDialog
from ui.job_card import JobCard
from ui.job_details import DetailsDialog
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.parts.dialogs import PartDialog
from ui.qt import (
    QAbstractButton,
    QApplication,
    QDialog,
    QEvent,
    QGroupBox,
    QLabel,
    QPushButton,
    QStandardItemModel,
    Qt,
    QTabBar,
    QTableView,
    QWidget,
)

SCREEN = (1280, 800)


@pytest.fixture
def shop(context: AppContext) -> AppContext:
    generate_demo(context.db, DemoOptions(jobs=30))
    return context


@pytest.fixture
def window_in(qtbot: QtBot, shop: AppContext) -> Iterator[object]:
    made: list[MainWindow] = []

    def build(language: str) -> MainWindow:
        apply_language(language)
        window = build_window(shop)
        qtbot.addWidget(window)
        window.resize(*SCREEN)
        window.show()
        made.append(window)
        wait_idle(qtbot, shop)
        return window

    yield build
    for window in made:
        window.close()
    apply_language("en")


def settle_layouts() -> None:
    """Run the pending layout requests, as Qt does before a person sees the window. A layout
    that settles asks its parent's to settle next (card, tab, window): a few rounds, each
    with the resizes and the tables' column fitting it brings."""
    for _round in range(8):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def clipped_texts(root: QWidget) -> list[str]:
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) or widget.width() <= 1:
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            needed = widget.sizeHint().width()
            text = widget.text()
        elif isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            needed = widget.minimumSizeHint().width()
            text = widget.text()
        elif isinstance(widget, QGroupBox) and widget.title():
            needed = widget.fontMetrics().horizontalAdvance(widget.title()) + 8
            text = widget.title()
        elif isinstance(widget, QTabBar):
            shown = [i for i in range(widget.count()) if widget.isTabVisible(i)]  # hidden: no room
            needed = sum(widget.tabSizeHint(i).width() for i in shown)
            text = "|".join(widget.tabText(i) for i in shown)
        elif isinstance(widget, QTableView):
            found += clipped_headings(widget)
            continue
        else:
            continue
        if widget.width() < needed:
            found.append(f"{type(widget).__name__} {text!r}: {widget.width()} < {needed}")
    return found


def clipped_headings(table: QTableView) -> list[str]:
    """Column headings narrower than their text (the stretched last column aside)."""
    header = table.horizontalHeader()
    model = table.model()
    found = []
    for column in range(header.count() - 1):
        if header.isSectionHidden(column):
            continue
        needed = header.sectionSizeHint(column)
        if header.sectionSize(column) < needed:
            heading = model.headerData(column, Qt.Orientation.Horizontal)
            found.append(f"heading {heading!r}: {header.sectionSize(column)} < {needed}")
    return found


def clashing_shortcuts(root: QWidget) -> dict[str, list[str]]:
    """Alt+letter keys that two visible buttons or labels of one view both claim."""
    claimed: dict[str, list[str]] = {}
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not isinstance(widget, QAbstractButton | QLabel):
            continue
        found = re.search(r"(?<!&)&([^&\s])", widget.text())
        if found:
            claimed.setdefault(found.group(1).casefold(), []).append(widget.text())
    return {key: texts for key, texts in claimed.items() if len(texts) > 1}


def window_with_card(qtbot: QtBot, window_in: object, language: str) -> tuple[MainWindow, JobCard]:
    """The main window in ``language`` with a demo job's card open, its conflict banner shown."""
    assert callable(window_in)
    window = window_in(language)
    assert isinstance(window, MainWindow)
    code = read(  # one still in the shop: a collected job has no message left to write
        window.context,
        lambda uow: uow.session.scalar(
            select(Job.code).where(Job.status != JobStatus.COLLECTED.value).limit(1)
        ),
    )
    card = open_card(qtbot, window, str(code))
    card.conflict.show()  # the "changed elsewhere" banner: its Reload button is checked too
    return window, card


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_view_fits_its_translated_text(
    qtbot: QtBot, window_in: object, language: str
) -> None:
    window, card = window_with_card(qtbot, window_in, language)
    window.tabs.updateGeometry()  # Qt caches the tab widget's size: measure the settled window
    qtbot.wait(1)
    hint = window.minimumSizeHint()
    fits = hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1]
    assert fits, f"the window needs {hint.width()}×{hint.height()}"
    problems = {}
    clashes = {}
    views: dict[str, QWidget] = {key: window.show_view(key) for key in window.views}
    views["job card"] = card
    for key, view in views.items():
        window.tabs.setCurrentWidget(view)
        qtbot.wait(1)
        found = clipped_texts(view) + clipped_texts(window.tiles)
        if found:
            problems[key] = found
        if clashing_shortcuts(view):
            clashes[key] = clashing_shortcuts(view)
    assert problems == {}
    assert clashes == {}
    assert clipped_texts(window.tabs.tabBar()) == []


def test_the_check_sees_a_squeezed_button_and_label(qtbot: QtBot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    button = QPushButton("Zahájit příjem zařízení do servisu", root)
    button.setFixedWidth(60)
    label = QLabel("Reklamace opravy a záruční reklamace", root)
    label.setGeometry(0, 40, 50, 20)
    fine = QLabel("OK", root)
    fine.setGeometry(0, 70, 200, 20)
    model = QStandardItemModel(0, 3, root)
    model.setHorizontalHeaderLabels(["SKU", "Rezervováno", "Poznámka"])
    table = QTableView(root)
    table.setModel(model)
    table.setGeometry(0, 100, 400, 100)
    table.setColumnWidth(1, 30)
    root.show()
    found = clipped_texts(root)
    assert [line.split(":")[0] for line in found] == [
        "QPushButton 'Zahájit příjem zařízení do servisu'",
        "QLabel 'Reklamace opravy a záruční reklamace'",
        "heading 'Rezervováno'",
    ]


def test_the_check_sees_two_buttons_claiming_one_key(qtbot: QtBot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    QPushButton("&Uložit", root)
    QPushButton("&Uzavřít", root).move(0, 40)
    QPushButton("&Tisk", root).move(0, 80)
    QPushButton("R&&D", root).move(0, 120)
    QPushButton("&Dílna", root).move(0, 160)
    root.show()
    assert clashing_shortcuts(root) == {"u": ["&Uložit", "&Uzavřít"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_job_and_part_dialogs_fit_their_translated_text(
    qtbot: QtBot, window_in: object, language: str
) -> None:
    window, card = window_with_card(qtbot, window_in, language)
    dialogs: list[QDialog] = [
        DetailsDialog(window.context, card.view, card),
        CustomerMessageDialog(window.context, card.view, read(window.context, get_settings), card),
        PartDialog(window.context, None, window),
    ]
    problems = {}
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        found = clipped_texts(dialog)
        if clashing_shortcuts(dialog):
            found.append(str(clashing_shortcuts(dialog)))
        if found:
            problems[type(dialog).__name__] = found
        dialog.close()
    assert problems == {}
