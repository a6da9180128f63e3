"""The job table model, My queue, Settings and the worker, driven through the real widgets."""

from __future__ import annotations

import time
from datetime import date
from datetime import time as clock_time
from pathlib import Path
from typing import TypeVar

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.domain.statuses import JobStatus
from repairshop.errors import RepairShopError
from repairshop.services.customers.messages import MessageKind, customer_message
from repairshop.services.jobs.details import DetailsEdit
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import JobFilter
from repairshop.services.jobs.workflow import change_status
from repairshop.services.shop.opening_hours import get_opening_hours
from repairshop.services.shop.settings import get_logo, get_settings
from tests.helpers import intake_document
from tests.printouts import plain
from tests.ui.ops import load_every_page, open_card, read, wait_idle, write
from ui.context import AppContext
from ui.customer_message import CustomerMessageDialog
from ui.intake import IntakeView
from ui.job_card import JobCard
from ui.job_details import DetailsDialog
from ui.job_list import JobsView
from ui.main_window import MainWindow
from ui.models.job_table import JobTableModel
from ui.my_queue import QueueView
from ui.qt import (
    QColor,
    QDialog,
    QGuiApplication,
    QImage,
    QProgressDialog,
    QPushButton,
    Qt,
)
from ui.settings_view import SettingsView
from ui.taskman import Progress

DialogT = TypeVar("DialogT", bound=QDialog)


class Cancelled(RepairShopError):
    pass


def take_in(qtbot: QtBot, context: AppContext, **overrides: object) -> str:
    request = intake_request_from_json(intake_document(**overrides))
    return write(
        qtbot, context, lambda uow: intake(uow, request, "admin"), lambda r: r.changes
    ).code


def test_the_job_table_model_passes_qt_model_tests(
    qtbot: QtBot, qtmodeltester: ModelTester, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=450))
    model = JobTableModel(context, parent=context)
    qtmodeltester.check(model)  # empty, before the first load
    model.reload()
    wait_idle(qtbot, context)
    qtmodeltester.check(model)
    assert model.total == 450  # counted on the worker after the first page
    load_every_page(qtbot, context, model)  # a page at a time, as the view scrolls
    assert model.rowCount() == 450
    assert len({model.job_id(row) for row in range(450)}) == 450
    qtmodeltester.check(model)
    model.sort(3, Qt.SortOrder.AscendingOrder)
    model.set_filter(JobFilter(statuses=frozenset({JobStatus.READY})))
    wait_idle(qtbot, context)
    qtmodeltester.check(model)
    wait_idle(qtbot, context)  # the rows the model tester asked for
    assert all(
        (row := model.summary(i)) is not None and row.status is JobStatus.READY
        for i in range(model.rowCount())
    )


def test_the_jobs_view_filters_in_sql_and_enter_opens_the_card(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=300))
    jobs = window.show_view("jobs")
    assert isinstance(jobs, JobsView)
    jobs.model.reload()
    wait_idle(qtbot, context)
    assert jobs.count.text() == "300 jobs"
    jobs.status.setCurrentIndex(jobs.status.findData(JobStatus.READY.value))
    wait_idle(qtbot, context)
    ready = jobs.model.rowCount()
    assert 0 < ready < 300
    assert jobs.count.text() == f"{ready} jobs"
    jobs.overdue.setChecked(True)
    wait_idle(qtbot, context)
    assert jobs.model.rowCount() == 0  # a job that is ready is never overdue
    jobs.overdue.setChecked(False)
    jobs.status.setCurrentIndex(0)
    window.search.setText("no such customer anywhere")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is jobs
    wait_idle(qtbot, context)
    assert jobs.model.rowCount() == 0
    jobs.search.clear()
    jobs.apply_filter()
    wait_idle(qtbot, context)
    jobs.table.setFocus()
    jobs.table.selectRow(2)
    qtbot.waitUntil(lambda: jobs.model.code(2) is not None)
    code = jobs.model.code(2)
    with qtbot.waitSignal(window.card_opened):
        qtbot.keyClick(jobs.table, Qt.Key.Key_Return)
    card = window.current_card()
    assert card is not None
    assert card.code == code


def test_my_queue_follows_the_user_and_moves_a_job_in_one_press(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context, assignee="admin", promised=None)
    other = take_in(qtbot, context)
    queue = window.show_view("queue")
    assert isinstance(queue, QueueView)
    wait_idle(qtbot, context)
    qtbot.waitUntil(lambda: queue.model.code(0) is not None)  # the rows come when asked for
    assert [queue.model.code(r) for r in range(queue.model.rowCount())] == [code]
    assert "1 job needs work" in queue.heading.text()
    queue.table.selectRow(0)
    wait_idle(qtbot, context)
    assert set(queue.move_buttons) == {JobStatus.DIAGNOSING, JobStatus.ON_HOLD, JobStatus.CANCELLED}
    queue.move_buttons[JobStatus.DIAGNOSING].click()
    wait_idle(qtbot, context)
    summary = queue.model.summary(0)
    assert summary is not None
    assert summary.status is JobStatus.DIAGNOSING
    assert other not in [queue.model.code(r) for r in range(queue.model.rowCount())]


def test_settings_save_the_shop_and_choose_the_user_at_this_desk(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=20))
    settings = window.show_view("settings")
    assert isinstance(settings, SettingsView)
    settings.load()
    wait_idle(qtbot, context)
    settings.name.setText("Opravna u Nádraží")
    settings.promised_days.setValue(3)
    settings.terms_language.setCurrentIndex(settings.terms_language.findData("cs"))
    settings.terms_text.setPlainText("Zařízení vyzvedněte do 30 dnů.")
    settings.save_button.click()
    wait_idle(qtbot, context)
    saved = read(context, get_settings)
    assert saved.name == "Opravna u Nádraží"
    assert saved.default_promised_days == 3
    assert saved.terms_for("cs") == "Zařízení vyzvedněte do 30 dnů."
    index = next(i for i in range(settings.user.count()) if settings.user.itemData(i) != "admin")
    login = settings.user.itemData(index)
    settings.user.setCurrentIndex(index)
    settings.user.activated.emit(index)
    assert context.user == login
    assert context.state.value("workstation/user") == login
    assert login in window.user_label.text()


def test_opening_hours_are_edited_in_settings_and_bad_hours_save_nothing(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    settings = window.show_view("settings")
    assert isinstance(settings, SettingsView)
    settings.load()
    wait_idle(qtbot, context)
    editor = settings.opening_hours
    assert editor.days[0].text() == "08:00-18:00"  # the defaults, Monday first
    assert editor.days[6].text() == ""  # Sunday: closed
    editor.days[5].setText("9-13")
    editor.days[2].setText("8:00-12:00, 13:00-17:30")
    editor.closed_days.setText("2026-12-25, 2026-12-24")
    editor.timezone.setCurrentIndex(editor.timezone.findData("Europe/Prague"))
    settings.save_button.click()
    wait_idle(qtbot, context)
    saved = read(context, get_opening_hours)
    assert saved.week[5] == ((clock_time(9), clock_time(13)),)
    assert saved.week[2] == ((clock_time(8), clock_time(12)), (clock_time(13), clock_time(17, 30)))
    assert saved.closed_days == frozenset({date(2026, 12, 24), date(2026, 12, 25)})
    assert saved.timezone == "Europe/Prague"
    assert editor.days[5].text() == "09:00-13:00"  # shown again as saved
    assert editor.closed_days.text() == "24/12/2026, 25/12/2026"  # the desk's date style

    # A wrong line names its weekday, and nothing of the form is saved.
    settings.name.setText("Not saved")
    editor.days[1].setText("18:00-08:00")
    with qtbot.waitSignal(context.error_shown) as shown:
        settings.save_button.click()
    assert str(shown.args[0]).startswith("Tuesday: Opening hours must run forward")
    assert read(context, get_opening_hours) == saved
    assert read(context, get_settings).name != "Not saved"
    assert context.last_error is not None
    context.last_error.close()
    editor.days[1].setText("08:00-18:00")
    editor.timezone.setEditText("Mars/Olympus")
    with qtbot.waitSignal(context.error_shown) as shown:
        settings.save_button.click()
    assert "Mars/Olympus" in str(shown.args[0])
    assert read(context, get_opening_hours).timezone == "Europe/Prague"


def test_a_clerk_may_not_change_the_shop_settings_and_is_told_why(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=20))
    settings = window.show_view("settings")
    assert isinstance(settings, SettingsView)
    settings.load()
    wait_idle(qtbot, context)
    clerk = next(
        settings.user.itemData(i)
        for i in range(settings.user.count())
        if "Counter clerk" in settings.user.itemText(i)
    )
    context.set_user(clerk)
    settings.name.setText("Somebody else's shop")
    with qtbot.waitSignal(context.error_shown) as shown:
        settings.save_button.click()
    assert "may not do this" in str(shown.args[0])
    assert read(context, get_settings).name != "Somebody else's shop"
    assert context.last_error is not None
    context.last_error.close()


def test_a_long_action_shows_progress_and_cancel_stops_it(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    outcome: list[object] = []

    def count_slowly(progress: Progress) -> int:
        for done in range(10_000):
            if not progress(done, 10_000, "Counting"):
                raise Cancelled("Stopped.")
            time.sleep(0.001)
        return 10_000

    context.tasks.run(count_slowly, outcome.append, outcome.append, parent=window, title="Counting")
    dialog = window.findChild(QProgressDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.value() > 0)
    assert context.tasks.busy
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None
    assert cancel.text() == "Cancel"
    cancel.click()
    qtbot.waitUntil(lambda: not context.tasks.busy)
    assert outcome == []  # a cancelled read has nothing to hand back
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is None)


def test_the_list_follows_a_change_in_place_without_reloading_every_id(
    qtbot: QtBot, qtmodeltester: ModelTester, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=100))
    model = JobTableModel(
        context, JobFilter(statuses=frozenset({JobStatus.RECEIVED})), parent=context
    )
    model.reload()
    wait_idle(qtbot, context)
    qtmodeltester.check(model)
    before = model.rowCount()
    context.changed.connect(model.on_changed)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        code = take_in(qtbot, context)
    assert model.rowCount() == before + 1
    qtbot.waitUntil(lambda: model.code(0) is not None)
    assert model.code(0) == code
    user = context.user
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsRemoved):
        write(
            qtbot,
            context,
            lambda uow: change_status(uow, code, JobStatus.DIAGNOSING, user),
            lambda r: r.changes,
        )
    assert model.rowCount() == before
    qtbot.waitUntil(lambda: not model.rows_pending)
    wait_idle(qtbot, context)
    assert code not in [model.code(row) for row in range(model.rowCount())]


def test_a_bug_is_shown_as_unexpected_with_the_log_path(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    context.log_path = "/var/log/repairshop.log"
    with qtbot.waitSignal(context.error_shown) as shown:
        context.show_error(window, RuntimeError("a bug"))
    assert "/var/log/repairshop.log" in str(shown.args[0])
    assert context.last_error is not None
    assert context.last_error.windowTitle() == "Unexpected error"
    context.last_error.close()


def test_a_replaced_device_is_ready_as_replaced(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context, job_type="warranty_claim", purchase_date="2026-01-05")
    user = context.user
    for status in (JobStatus.DIAGNOSING, JobStatus.IN_REPAIR, JobStatus.TESTING):
        write(
            qtbot,
            context,
            lambda uow, status=status: change_status(uow, code, status, user),
            lambda r: r.changes,
        )
    card = open_card(qtbot, window, code)
    assert card is not None
    card.outcome.setCurrentIndex(card.outcome.findData("replaced"))
    with qtbot.waitSignal(card.loaded):
        card.move_buttons[JobStatus.READY].click()
    assert card.view.status is JobStatus.READY
    assert card.view.outcome == "replaced"
    assert "Replaced" in card.status_label.text()


def test_a_returning_customer_is_offered_as_the_phone_is_typed_and_chosen_with_keys(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    take_in(qtbot, context)  # Jiří Dvořák, +420 777 123 456
    intake = window.show_view("intake")
    assert isinstance(intake, IntakeView)
    intake.phone.setFocus()
    qtbot.waitUntil(intake.phone.hasFocus)
    wait_idle(qtbot, context)
    qtbot.keyClicks(intake.phone, "777 123")
    qtbot.waitUntil(intake.matches.isVisible)
    assert intake.matches.count() == 2  # the customer, and "a different person"
    assert intake.matches.item(0).text().startswith("Jiří Dvořák · +420 777 123 456")
    assert intake.matches.item(1).text() == "A different person (new customer)"
    qtbot.keyClick(intake.phone, Qt.Key.Key_Down)
    assert intake.matches.hasFocus()
    qtbot.keyClick(intake.matches, Qt.Key.Key_Return)
    assert intake.name.text() == "Jiří Dvořák"
    assert intake.language.currentData() == "cs"
    assert intake.customer_id is not None
    assert "Returning customer" in intake.chosen.text()
    qtbot.waitUntil(intake.devices.hasFocus)  # the device brought before is offered first


def test_a_list_is_sorted_on_the_worker_and_only_the_latest_choice_shows(
    qtbot: QtBot, context: AppContext
) -> None:
    generate_demo(context.db, DemoOptions(jobs=120))
    model = JobTableModel(context, parent=context, page_size=500)
    with qtbot.waitSignal(model.modelReset):
        model.reload()  # off the GUI thread: nothing is shown until the ids arrive
        assert model.is_loading
        assert model.rowCount() == 0
    assert model.rowCount() == 120
    assert not model.is_loading
    qtbot.waitUntil(lambda: model.code(0) is not None)
    newest = model.code(0)
    with qtbot.waitSignal(model.modelReset), qtbot.waitSignal(model.loading_started):
        model.sort(0, Qt.SortOrder.AscendingOrder)
        assert model.is_loading
        assert model.code(0) == newest  # the old order stays until the new one arrives
    assert not model.is_loading
    qtbot.waitUntil(lambda: model.code(119) is not None)
    assert model.code(119) == newest
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_filter(JobFilter(statuses=frozenset({JobStatus.READY})))  # only the last counts
    qtbot.waitUntil(lambda: not model.is_loading)
    for row in range(model.rowCount()):
        model.summary(row)
    wait_idle(qtbot, context)
    shown = [model.summary(row) for row in range(model.rowCount())]
    assert all(job is not None and job.status is JobStatus.READY for job in shown)


def test_a_part_reserved_for_the_job_reads_well_in_the_card_history(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    from decimal import Decimal

    from repairshop.services.parts.job_parts import receive_part, reserve_part
    from repairshop.services.parts.stock import PartInput, add_part

    code = take_in(qtbot, context)
    screen = PartInput(sku="scr-s23", name="Samsung Galaxy S23 display", price=Decimal("2490"))
    with context.db.unit_of_work() as uow:
        add_part(uow, screen, "admin")
        receive_part(uow, "SCR-S23", 2, "admin")
        uow.commit()
    card = open_card(qtbot, window, code)
    write(
        qtbot,
        context,
        lambda uow: reserve_part(uow, code, "SCR-S23", 1, "admin"),
        lambda r: r.changes,
    )
    texts = [card.history.item(row).text() for row in range(card.history.count())]
    assert any("Part reserved: 1 × SCR-S23 (Samsung Galaxy S23 display)" in text for text in texts)


def open_card_dialog(
    qtbot: QtBot, window: MainWindow, code: str, kind: type[DialogT]
) -> tuple[JobCard, DialogT]:
    """The job's card and one of its dialogs, opened by the card's own button."""
    card = open_card(qtbot, window, code)
    opener = {DetailsDialog: card.correct_details, CustomerMessageDialog: card.message_customer}
    opener[kind]()
    qtbot.waitUntil(lambda: card.findChild(kind) is not None)
    dialog = card.findChild(kind)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return card, dialog


def test_the_customer_is_told_in_their_language_and_the_history_keeps_it(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context)
    user = context.user
    for status in (JobStatus.DIAGNOSING, JobStatus.AWAITING_APPROVAL):
        write(
            qtbot,
            context,
            lambda uow, status=status: change_status(uow, code, status, user),
            lambda r: r.changes,
        )
    card, dialog = open_card_dialog(qtbot, window, code, CustomerMessageDialog)

    # The clerk's desk speaks English; Jiří Dvořák reads Czech.
    czech = customer_message(card.view, read(context, get_settings), MessageKind.NEEDS_APPROVAL)
    assert dialog.kind.currentData() == MessageKind.NEEDS_APPROVAL.value
    assert dialog.subject.text() == czech.subject
    assert plain(dialog.body.toPlainText()) == plain(czech.body)
    assert "3 490,00 €" in plain(dialog.body.toPlainText())
    assert "jiri.dvorak@seznam.cz" in dialog.to.text()
    url = dialog.mail_url().toString()
    assert url.startswith("mailto:jiri.dvorak@seznam.cz?subject=")

    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.subject.text() == f"Your approval is needed (job {code})"
    dialog.copy_text.click()
    assert QGuiApplication.clipboard().text() == dialog.text.toPlainText()
    assert "of 160 characters" in dialog.text_length.text()

    with qtbot.waitSignal(card.loaded):
        dialog.sent_button.click()
    assert not dialog.isVisible()
    notes = [event.note for event in card.view.history if event.kind == "note"]
    assert notes[-1] == "Customer told: Approval needed"


def test_a_mistyped_phone_is_corrected_from_the_card_and_a_wrong_imei_is_refused(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context)
    card, dialog = open_card_dialog(qtbot, window, code, DetailsDialog)
    assert dialog.edit() == DetailsEdit()

    dialog.imei.setText("353326111702414")
    with qtbot.waitSignal(context.error_shown) as shown:
        dialog.save()
    assert "353326111702414" in str(shown.args[0])
    assert dialog.isVisible()
    assert context.last_error is not None
    context.last_error.close()
    assert card.view.device.imei == "353326111702413"

    dialog.imei.setText("353326111702413")
    dialog.phone.setText("602 111 222")
    dialog.device_type.setCurrentIndex(dialog.device_type.findData("tablet"))
    with qtbot.waitSignal(card.loaded):
        dialog.save()
    assert not dialog.isVisible()
    assert card.view.customer.phone == "+420602111222"
    assert card.view.device.type == "tablet"
    assert "+420 602 111 222" in card.customer.text()
    history = [card.history.item(row).text() for row in range(card.history.count())]
    assert any("Phone: +420 777 123 456 → +420 602 111 222" in line for line in history)
    assert any("Device type: Phone → Tablet" in line for line in history)


def test_the_shops_logo_is_chosen_in_settings_previewed_and_a_wrong_file_refused(
    qtbot: QtBot, window: MainWindow, context: AppContext, tmp_path: Path
) -> None:
    settings = window.show_view("settings")
    assert isinstance(settings, SettingsView)
    wait_idle(qtbot, context)
    assert settings.logo_preview.text() == "none"
    assert not settings.logo_remove.isEnabled()
    picture = QImage(240, 80, QImage.Format.Format_RGB32)
    picture.fill(QColor("navy"))
    good = tmp_path / "logo.png"
    assert picture.save(str(good))
    bad = tmp_path / "logo.txt"
    bad.write_text("not a picture", encoding="utf-8")

    with qtbot.waitSignal(context.error_shown) as shown:
        settings.load_logo(bad)
    assert "PNG or JPEG" in str(shown.args[0])
    assert read(context, get_logo) is None

    settings.load_logo(good)
    assert not settings.logo_preview.pixmap().isNull()
    assert settings.logo_preview.pixmap().height() == 40
    assert read(context, get_logo) is None  # nothing is stored until Save
    settings.save_button.click()
    wait_idle(qtbot, context)
    assert read(context, get_logo) == good.read_bytes()

    settings.logo_remove.click()
    settings.save_button.click()
    wait_idle(qtbot, context)
    assert read(context, get_logo) is None
    assert settings.logo_preview.text() == "none"
