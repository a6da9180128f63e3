"""The counter finds customers as people type them, and a family's shared phone never swaps
people: keyboard only, real widgets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from repairshop.db.tables import Customer
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import show_job
from repairshop.services.shop.settings import get_settings, save_settings
from tests.helpers import intake_document
from tests.ui.ops import WAIT_MS, read, wait_idle, write
from ui.context import AppContext
from ui.intake import IntakeView
from ui.job_list import JobsView
from ui.main_window import MainWindow
from ui.qt import QApplication, Qt, QWidget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot: QtBot, key: Qt.Key) -> None:
    qtbot.keyClick(focused(), key)


def seed(qtbot: QtBot, context: AppContext, **customer: Any) -> str:
    request = intake_request_from_json(intake_document(customer=customer))
    return write(
        qtbot, context, lambda uow: intake(uow, request, "admin"), lambda r: r.changes
    ).code


def open_intake(qtbot: QtBot, window: MainWindow) -> IntakeView:
    view = window.show_view("intake")
    assert isinstance(view, IntakeView)
    view.phone.setFocus()
    qtbot.waitUntil(view.phone.hasFocus)
    return view


def offered(view: IntakeView) -> list[str]:
    return [view.matches.item(row).text() for row in range(view.matches.count())]


def customers(context: AppContext) -> int:
    return read(context, lambda uow: uow.session.scalar(select(func.count(Customer.id)))) or 0


def fill_the_job(view: IntakeView) -> None:
    view.fault.setPlainText("Does not charge")


def save(qtbot: QtBot, view: IntakeView) -> str:
    """Save the form and wait until the job is taken in: its ticket code."""
    with qtbot.waitSignal(view.job_taken_in, timeout=WAIT_MS) as saved:
        view.save()
    wait_idle(qtbot, view.context)
    return str(saved.args[0])


def test_a_known_phone_offers_the_customer_and_a_different_person(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    first = seed(qtbot, context, name="Jiří Dvořák", phone="+420 777 123 456", language="cs")
    view = open_intake(qtbot, window)
    qtbot.keyClicks(view.phone, "00420 777 123 456")
    qtbot.waitUntil(view.matches.isVisible)
    assert offered(view) == [
        "Jiří Dvořák · +420 777 123 456",
        "A different person (new customer)",
    ]
    press(qtbot, Qt.Key.Key_Down)
    assert focused() is view.matches
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is view.name
    assert view.new_customer
    qtbot.keyClicks(view.name, "Marie Dvorakova")
    view.brand.setText("Apple")
    view.model.setText("iPhone 12")
    fill_the_job(view)
    code = save(qtbot, view)
    assert customers(context) == 2
    assert read(context, lambda uow: show_job(uow, code, "admin")).customer.name == (
        "Marie Dvorakova"
    )
    assert read(context, lambda uow: show_job(uow, first, "admin")).customer.name == "Jiří Dvořák"


def test_the_same_name_on_a_known_phone_without_a_choice_is_the_same_customer(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    seed(qtbot, context, name="Jan Novak", phone="+420 602 111 222", language="cs")
    view = open_intake(qtbot, window)
    qtbot.keyClicks(view.phone, "602 111 222")
    qtbot.keyClicks(view.name, "Jan Novak")
    view.brand.setText("Apple")
    view.model.setText("iPhone 12")
    fill_the_job(view)
    code = save(qtbot, view)
    assert customers(context) == 1
    job = read(context, lambda uow: show_job(uow, code, "admin"))
    assert job.customer.language == "cs"  # the form's English was not chosen by the clerk
    assert [event.kind for event in job.history] == ["created"]


def test_a_name_typed_without_diacritics_finds_the_customer_and_their_earlier_device(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    seed(qtbot, context, name="Jiří Dvořák", phone="+420 777 123 456", language="cs")
    view = open_intake(qtbot, window)
    view.name.setFocus()
    qtbot.keyClicks(view.name, "jiri dvorak")
    qtbot.waitUntil(view.matches.isVisible)
    assert offered(view)[0].startswith("Jiří Dvořák")
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert view.customer_id is not None
    assert view.name.text() == "Jiří Dvořák"
    qtbot.waitUntil(view.devices.hasFocus)  # the earlier devices are read, then offered
    assert focused() is view.devices
    assert view.devices.count() == 1
    assert "Samsung Galaxy S23" in view.devices.item(0).text()
    press(qtbot, Qt.Key.Key_Return)
    assert (view.brand.text(), view.model.text()) == ("Samsung", "Galaxy S23")
    assert (view.serial.text(), view.imei.text()) == ("R5CW12ABCDE", "353326111702413")
    assert focused() is view.job_type
    # Changing the returning customer's language is the clerk's choice, and recorded.
    view.language.setFocus()
    qtbot.waitUntil(view.language.hasFocus)
    assert view.language.currentData() == "cs"
    press(qtbot, Qt.Key.Key_Down)
    assert view.language.currentData() == "de"
    fill_the_job(view)
    code = save(qtbot, view)
    job = read(context, lambda uow: show_job(uow, code, "admin"))
    assert job.customer.language == "de"
    assert job.device.imei == "353326111702413"
    edits = [(e.note, e.from_value, e.to_value) for e in job.history if e.kind == "edited"]
    assert edits == [("customer.language", "cs", "de")]
    assert customers(context) == 1


def test_the_find_box_and_the_jobs_filter_fold_what_is_typed(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = seed(qtbot, context, name="Łukasz Wiśniewski", phone="+48 601 333 444", language="pl")
    seed(qtbot, context, name="Anna Malá", phone="+420 608 777 123")
    jobs = window.views["jobs"]
    assert isinstance(jobs, JobsView)
    window.search.setFocus()
    qtbot.waitUntil(window.search.hasFocus)
    qtbot.keyClicks(window.search, "LUKASZ wisniewski")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is jobs)

    def listed() -> list[str | None]:
        return [
            summary.code
            for row in range(jobs.model.rowCount())
            if (summary := jobs.model.summary(row)) is not None
        ]

    qtbot.waitUntil(lambda: listed() == [code])


def test_a_dropped_choice_saves_the_language_on_screen_for_the_new_customer(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    seed(qtbot, context, name="Jiří Dvořák", phone="+420 777 123 456", language="cs")
    view = open_intake(qtbot, window)
    view.name.setFocus()
    qtbot.keyClicks(view.name, "dvorak")
    qtbot.waitUntil(view.matches.isVisible)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert view.customer_id is not None
    view.phone.setFocus()
    view.phone.selectAll()
    qtbot.keyClicks(view.phone, "608 777 123")
    assert view.customer_id is None
    view.name.setText("Eva Mala")
    view.email.clear()
    view.brand.setText("Apple")
    view.model.setText("iPhone 12")
    fill_the_job(view)
    code = save(qtbot, view)
    assert customers(context) == 2
    job = read(context, lambda uow: show_job(uow, code, "admin"))
    assert (job.customer.name, job.customer.language) == ("Eva Mala", "cs")


def test_typing_past_a_chosen_customer_never_changes_a_returning_customers_language(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    seed(qtbot, context, name="Jiří Dvořák", phone="+420 777 123 456", language="cs")
    seed(qtbot, context, name="Marie Dvořáková", phone="+420 777 123 456", language="de")
    view = open_intake(qtbot, window)
    qtbot.keyClicks(view.phone, "777 123 456")
    qtbot.waitUntil(view.matches.isVisible)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)  # Jiří, first on the list
    assert view.language.currentData() == "cs"
    # The clerk sees it is his wife who came: types her name over his, picks nothing.
    view.name.setFocus()
    view.name.selectAll()
    qtbot.keyClicks(view.name, "Marie Dvorakova")
    view.brand.setText("Apple")
    view.model.setText("iPhone 12")
    fill_the_job(view)
    code = save(qtbot, view)
    assert customers(context) == 2
    job = read(context, lambda uow: show_job(uow, code, "admin"))
    assert (job.customer.name, job.customer.language) == ("Marie Dvořáková", "de")
    assert [event.kind for event in job.history] == ["created"]  # nothing of hers changed


def test_a_new_customer_starts_in_the_shops_language(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    write(
        qtbot,
        context,
        lambda uow: save_settings(uow, replace(get_settings(uow), region="PL"), "admin"),
        lambda changes: changes,
    )
    view = open_intake(qtbot, window)
    view.clear()  # the next customer, with the shop's settings as they are now
    wait_idle(qtbot, context)
    assert view.language.currentData() == "pl"
    qtbot.keyClicks(view.phone, "+48 601 222 333")
    qtbot.keyClicks(view.name, "Anna Kowalska")
    view.brand.setText("Apple")
    view.model.setText("iPhone 12")
    fill_the_job(view)
    code = save(qtbot, view)
    assert read(context, lambda uow: show_job(uow, code, "admin")).customer.language == "pl"
