"""Every control of every view, the job card and each dialog has a name a screen reader can say.

The name is the one Qt's accessibility layer hands to the screen reader
(``QAccessibleInterface.text(Name)``: the widget's accessible name, or its
buddy label's text), so a label that Qt cannot connect to its field counts as
missing, as it would for a person using the app by ear.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from repairshop.db.connection import ServerConnection
from repairshop.db.tables import Job
from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.domain.complaints import Remedy
from repairshop.domain.statuses import JobStatus
from repairshop.errors import UnitNotNamed
from repairshop.printing.documents import job_to_print
from repairshop.services.jobs.views import ComplaintView, JobView
from repairshop.services.parts.purchasing import create_order, send_order, show_order
from repairshop.services.parts.stock import PartInput, add_part, show_part
from repairshop.services.shop.settings import get_settings
from tests.ui.accessibility import accessible_name, unnamed_controls
from tests.ui.ops import open_card, read, wait_idle
from ui.app import build_window
from ui.complaints import DecideComplaintDialog, OpenComplaintDialog
from ui.connection_dialog import ConnectionDialog, PasswordPrompt
from ui.context import AppContext
from ui.customer_message import CustomerMessageDialog
from ui.job_card import JobCard
from ui.job_details import DetailsDialog
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.parts.dialogs import AdjustDialog, PartDialog, ReceiveDialog
from ui.parts.import_dialog import ImportDialog
from ui.parts.orders_view import ReceiveOrderDialog
from ui.parts.unit_chooser import UnitChooser
from ui.people_dialog import PeopleDialog
from ui.printing import PrintPreviewDialog, job_printouts, load_print_settings
from ui.qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QWidget,
)
from ui.sign_in import PinDialog, SignInDialog

LANGUAGES = ("en", "cs")


@pytest.fixture
def shop(context: AppContext) -> AppContext:
    generate_demo(context.db, DemoOptions(jobs=20))
    with context.db.unit_of_work() as uow:
        add_part(uow, PartInput(sku="SN-PART", name="Board", serialised=True), "admin")
        order = create_order(uow, "MobileParts s.r.o.", [("SN-PART", 2, Decimal("10"))], "admin")
        send_order(uow, order.number, "admin")
        uow.commit()
    context.state.setValue("test/order", order.number)
    return context


@pytest.fixture
def window_in(qtbot: QtBot, shop: AppContext) -> Iterator[object]:
    made: list[MainWindow] = []

    def build(language: str) -> MainWindow:
        apply_language(language)
        window = build_window(shop)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        wait_idle(qtbot, shop)  # every view has shown what it read
        return window

    yield build
    for window in made:
        window.close()
    apply_language("en")


def open_a_card(qtbot: QtBot, window: MainWindow) -> JobCard:
    """A demo job's card, opened from the main window and showing the job.

    Not a collected one: a collected job has nothing left to tell the customer, so the
    message dialog (one of those walked) refuses to open for it.
    """
    code = read(
        window.context,
        lambda uow: uow.session.scalar(
            select(Job.code)
            .where(Job.status != JobStatus.COLLECTED.value)
            .order_by(Job.id)
            .limit(1)
        ),
    )
    return open_card(qtbot, window, str(code))


def dialogs(window: MainWindow, card: JobCard) -> list[QDialog]:
    context = window.context
    part = read(context, lambda uow: show_part(uow, "SN-PART"))
    number = str(context.state.value("test/order"))
    order = read(context, lambda uow: show_order(uow, number))
    shop = read(context, get_settings)
    settings = load_print_settings(context.state)
    printouts = read(
        context, lambda uow: job_printouts(job_to_print(uow, card.code, context.user), settings)
    )
    return [
        DetailsDialog(context, card.view, card),
        CustomerMessageDialog(context, card.view, shop, card),
        PartDialog(context, None, window),
        PartDialog(context, part, window),
        ReceiveDialog(context, part, window),
        AdjustDialog(context, part, window),
        ReceiveOrderDialog(context, order, window),
        ImportDialog(context, window),
        PrintPreviewDialog(context, card.code, printouts, parent=window),
        OpenComplaintDialog(context, card.view, card),
        DecideComplaintDialog(context, as_complaint(card.view), date(2026, 3, 10), card),
        UnitChooser(
            UnitNotNamed("", sku="SN-PART", serials=("A1", "B2"), reserved=1, quantity=1), window
        ),
        ConnectionDialog(context.state, window),
        PasswordPrompt(ServerConnection("server.local"), window),
        SignInDialog(context, window),
        SignInDialog(context, window, pin=True, locked=True),
        PinDialog(context, window),
        PeopleDialog(context, window),
    ]


def as_complaint(view: JobView) -> JobView:
    """The card's job as if it were a complaint received on 10 March 2026 (for its dialog)."""
    day = date(2026, 3, 10)
    complaint = ComplaintView(
        of="R000001",
        of_collected=view.created_at,
        received=day,
        remedy=Remedy.REPAIR,
        country="CZ",
        deadline_days=30,
        working_days=False,
        decide_by=date(2026, 4, 9),
        reply_by=None,
        first_due=date(2026, 4, 9),
        accepted_if_unanswered=False,
        decided=None,
    )
    return replace(view, complaint=complaint)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_control_of_every_view_and_dialog_has_a_name(
    qtbot: QtBot, window_in: object, language: str
) -> None:
    assert callable(window_in)
    window = window_in(language)
    assert isinstance(window, MainWindow)
    card = open_a_card(qtbot, window)
    missing = {}
    for key, view in [*window.views.items(), ("job card", card), ("window", window)]:
        found = unnamed_controls(view)
        if found:
            missing[key] = found
    made = dialogs(window, card)
    for dialog in made:
        qtbot.addWidget(dialog)
    wait_idle(qtbot, window.context)  # the dialogs have filled in what they read
    for dialog in made:
        found = unnamed_controls(dialog)
        if found:
            missing[type(dialog).__name__] = found
    assert missing == {}


def test_the_find_box_the_job_filters_and_the_part_field_are_named_in_czech(
    qtbot: QtBot, window_in: object
) -> None:
    assert callable(window_in)
    window = window_in("cs")
    assert isinstance(window, MainWindow)
    assert accessible_name(window.search) == "Hledat"
    jobs = window.views["jobs"]
    names = [accessible_name(combo) for combo in jobs.findChildren(QComboBox)]
    assert "Stav" in names
    assert "Technik" in names
    card = open_a_card(qtbot, window)
    panel_names = {accessible_name(widget) for widget in card.findChildren(QLineEdit)}
    assert "SKU" in panel_names


def test_the_check_catches_a_nameless_control(qtbot: QtBot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    form = QFormLayout(root)
    form.addRow("&Name", QLineEdit(root))  # a form label is the field's buddy: named
    row = QHBoxLayout()
    label = QLabel("Phone", root)  # a label beside the field, never made its buddy
    phone = QLineEdit(root)
    phone.setObjectName("phone")
    row.addWidget(label)
    row.addWidget(phone)
    form.addRow(row)
    cell = QWidget(root)  # a buddy in another parent: Qt cannot see it
    elsewhere = QLineEdit(cell)
    QLabel("E-mail", root).setBuddy(elsewhere)
    form.addRow(cell)
    combo = QComboBox(root)
    combo.addItems(["first", "second"])  # on Linux its value is no name
    form.addRow(combo)
    table = QTableView(root)
    form.addRow(table)
    form.addRow(QPushButton("Save", root))  # its text names it
    spin = QSpinBox(root)
    spin.setAccessibleName("Quantity")
    form.addRow(spin)
    root.show()
    found = unnamed_controls(root)
    assert [line.split(" in ")[0] for line in found] == [
        "QLineEdit",
        "QLineEdit",
        "QComboBox",
        "QTableView",
    ]
    assert accessible_name(spin) == "Quantity"
