"""A device's day, keyboard only: intake, scan, through the workshop to collected."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from repairshop.db.tables import JobEvent
from repairshop.domain.statuses import JobStatus
from repairshop.services.jobs.workflow import change_status, show_job
from tests.ui.ops import read, wait_idle
from ui.context import AppContext
from ui.intake import IntakeView
from ui.job_card import JobCard
from ui.job_list import JobsView
from ui.main_window import MainWindow
from ui.my_queue import QueueView
from ui.qt import QApplication, QPushButton, Qt, QWidget

S = JobStatus
IMEI = "353326111702413"


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_and_tab(qtbot: QtBot, text: str, tabs: int = 1) -> None:
    if text:
        qtbot.keyClicks(focused(), text)
    for _ in range(tabs):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, modifier)


def statuses_in_list(qtbot: QtBot, jobs: JobsView, code: str) -> list[JobStatus]:
    """The statuses the list shows for ``code``, once every row has arrived."""
    model = jobs.model
    wait_idle(qtbot, jobs.context)
    for row in range(model.rowCount()):
        model.summary(row)
    wait_idle(qtbot, jobs.context)
    return [
        summary.status
        for row in range(model.rowCount())
        if (summary := model.summary(row)) is not None and summary.code == code
    ]


def queue_codes(qtbot: QtBot, queue: QueueView) -> list[str | None]:
    wait_idle(qtbot, queue.context)
    for row in range(queue.model.rowCount()):
        queue.model.summary(row)
    wait_idle(qtbot, queue.context)
    return [queue.model.code(row) for row in range(queue.model.rowCount())]


def take_in_with_keys_only(qtbot: QtBot, window: MainWindow) -> str:
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    intake = window.views["intake"]
    assert isinstance(intake, IntakeView)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is intake)
    wait_idle(qtbot, window.context)  # the technicians and the shop's defaults are in
    intake.phone.setFocus()
    qtbot.waitUntil(intake.phone.hasFocus)
    type_and_tab(qtbot, "777 123 456")
    assert focused() is intake.name
    type_and_tab(qtbot, "Jan Novak")  # QTest types ASCII only
    type_and_tab(qtbot, "jiri@example.cz")
    assert focused() is intake.language
    type_and_tab(qtbot, "", tabs=2)  # language, consent
    assert focused() is intake.device_type
    type_and_tab(qtbot, "")  # a phone
    type_and_tab(qtbot, "Samsung")
    type_and_tab(qtbot, "Galaxy S23")
    type_and_tab(qtbot, "R5CW12ABCDE")
    assert focused() is intake.imei
    qtbot.keyClicks(focused(), IMEI[:-1] + "9")  # one digit mistyped
    assert intake.errors["device.imei"].isVisible()
    assert "check digit" in intake.errors["device.imei"].text()
    press(qtbot, Qt.Key.Key_Backspace)
    qtbot.keyClicks(focused(), IMEI[-1])
    assert not intake.errors["device.imei"].isVisible()
    type_and_tab(qtbot, "", tabs=2)  # IMEI, colour
    assert focused() is intake.job_type
    type_and_tab(qtbot, "")  # paid repair
    assert focused() is intake.fault
    type_and_tab(qtbot, "Cracked screen after a fall")
    assert focused() is intake.accessory_boxes[0]
    press(qtbot, Qt.Key.Key_Space)  # charger
    type_and_tab(qtbot, "")  # the boxes are one Tab stop
    assert focused() is intake.accessories_other
    type_and_tab(qtbot, "pouch")
    type_and_tab(qtbot, "Scratches on the frame")
    type_and_tab(qtbot, "1234")
    assert focused() is intake.estimate
    type_and_tab(qtbot, "3490")
    type_and_tab(qtbot, "4000")  # pre-approved: repair may start without a call
    type_and_tab(qtbot, "500")
    assert focused() is intake.deposit_method  # a Tab stop once there is a deposit
    press(qtbot, Qt.Key.Key_Down)  # paid by card
    type_and_tab(qtbot, "")
    assert focused() is intake.promised
    type_and_tab(qtbot, "", tabs=2)  # promised (the default), purchase date
    assert focused() is intake.technician
    press(qtbot, Qt.Key.Key_Down)  # the only technician: admin, who is at this desk
    assert intake.technician.currentData() == "admin"
    with qtbot.waitSignal(intake.job_taken_in) as saved:
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    code = str(saved.args[0])
    assert code in intake.saved.text()
    assert intake.phone.text() == ""
    assert focused() is intake.phone
    return code


def scan(qtbot: QtBot, window: MainWindow, code: str) -> JobCard:
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search.hasFocus)
    qtbot.keyClicks(window.search, code)
    with qtbot.waitSignal(window.card_opened):
        press(qtbot, Qt.Key.Key_Return)
    wait_idle(qtbot, window.context)
    card = window.current_card()
    assert card is not None
    assert card.code == code
    assert window.windowTitle() == f"RepairShop — {code}"
    return card


def move_with_keys(qtbot: QtBot, card: JobCard, target: JobStatus) -> None:
    """The keyboard is already on the next step's button: Space presses it."""
    button = card.move_buttons[target]
    assert isinstance(button, QPushButton)
    qtbot.waitUntil(button.hasFocus)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: card.view.status is target)
    wait_idle(qtbot, card.context)


def test_a_device_goes_from_the_counter_to_collected_without_the_mouse(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    jobs = window.views["jobs"]
    queue = window.views["queue"]
    assert isinstance(jobs, JobsView)
    assert isinstance(queue, QueueView)

    code = take_in_with_keys_only(qtbot, window)
    assert statuses_in_list(qtbot, jobs, code) == [S.RECEIVED]
    assert queue_codes(qtbot, queue) == [code]

    card = scan(qtbot, window, code)
    assert card.view.status is S.RECEIVED
    assert card.view.deposit_method == "card"
    assert set(card.move_buttons) == {S.DIAGNOSING, S.ON_HOLD, S.CANCELLED}
    assert card.view.device.imei == IMEI
    assert card.view.accessories == "Charger, pouch"

    for target in (S.DIAGNOSING, S.IN_REPAIR, S.TESTING):
        move_with_keys(qtbot, card, target)
        assert statuses_in_list(qtbot, jobs, code) == [target]
        assert queue_codes(qtbot, queue) == [code]

    assert card.outcome.isVisibleTo(card)  # repaired (the default) or replaced
    move_with_keys(qtbot, card, S.READY)
    assert card.view.outcome == "repaired"
    assert statuses_in_list(qtbot, jobs, code) == [S.READY]
    assert queue_codes(qtbot, queue) == []  # ready: nothing more for the technician

    # "Collected" opens the Collect dialog: the bill, the payment, then the invoice.
    button = card.move_buttons[S.COLLECTED]
    qtbot.waitUntil(button.hasFocus)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: card.collect_dialog is not None and card.collect_dialog.isVisible())
    dialog = card.collect_dialog
    assert dialog is not None
    assert read(context, lambda uow: show_job(uow, code, "admin")).status is S.READY
    dialog.collect_button.click()  # prefilled with what is due in cash
    qtbot.waitUntil(lambda: card.view.status is S.COLLECTED)
    wait_idle(qtbot, context)
    assert dialog.collected is not None
    assert dialog.preview is not None
    dialog.preview.close()
    window.activateWindow()
    qtbot.waitUntil(card.note.hasFocus)  # the card's next step: nothing but a note
    assert statuses_in_list(qtbot, jobs, code) == [S.COLLECTED]
    assert list(card.move_buttons) == [S.COLLECTED]
    assert not card.move_buttons[S.COLLECTED].isEnabled()
    history = [event.to_value for event in card.view.history if event.kind == "status"]
    assert history == ["diagnosing", "in_repair", "testing", "ready", "collected"]

    press(qtbot, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.current_card() is None
    assert window.windowTitle() == "RepairShop"


def test_a_refused_move_shows_the_message_once_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in_with_keys_only(qtbot, window)
    card = scan(qtbot, window, code)
    # Another desk cancels the job; this card still offers "Diagnosing".
    with context.db.unit_of_work() as uow:
        change_status(uow, code, S.CANCELLED, "admin")
        uow.commit()

    def event_count() -> int:
        with context.db.reader() as uow:
            return int(uow.session.scalar(select(func.count()).select_from(JobEvent)) or 0)

    before = event_count()
    with qtbot.waitSignal(context.error_shown) as shown:
        card.move_buttons[S.DIAGNOSING].click()
    message = str(shown.args[0])
    assert "cannot move from “Cancelled” to “Diagnosing”" in message
    assert context.last_error is not None
    assert context.last_error.isVisible()
    assert context.last_error.text() == message
    context.last_error.close()
    assert event_count() == before
    status = read(context, lambda uow: show_job(uow, code, "admin").status)
    assert status is S.CANCELLED


def test_a_stale_edit_gets_a_conflict_and_a_reload_never_an_overwrite(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in_with_keys_only(qtbot, window)
    card = scan(qtbot, window, code)
    from repairshop.services.jobs.workflow import JobEdit, edit_job

    with context.db.unit_of_work() as uow:  # another desk, unannounced
        edit_job(uow, code, JobEdit(condition="Dent on the back"), "admin", expected_version=None)
        uow.commit()
    card.condition.setText("Like new")
    with qtbot.waitSignal(context.error_shown) as shown:
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "changed by someone else" in str(shown.args[0])
    assert card.conflict.isVisible()
    assert read(context, lambda uow: show_job(uow, code, "admin").condition) == "Dent on the back"
    assert context.last_error is not None
    context.last_error.close()
    with qtbot.waitSignal(card.loaded):
        card.reload_button.click()
    assert card.condition.text() == "Dent on the back"
    assert not card.conflict.isVisible()


def test_a_refused_intake_shows_the_reason_next_to_the_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    intake = window.show_view("intake")
    assert isinstance(intake, IntakeView)
    intake.name.setText("Anna")
    intake.phone.setText("777 123 456")
    intake.brand.setText("Apple")
    intake.model.setText("iPhone 13")
    intake.save()  # no fault given
    qtbot.waitUntil(intake.errors["fault"].isVisible)
    assert intake.errors["fault"].text() == "Fill in “Fault”."  # named as the form names it
    assert intake.name.text() == "Anna"  # the form is kept


def test_alt_and_a_letter_jumps_to_an_intake_field(qtbot: QtBot, window: MainWindow) -> None:
    intake = window.show_view("intake")
    assert isinstance(intake, IntakeView)
    intake.phone.setFocus()
    qtbot.waitUntil(intake.phone.hasFocus)
    for letter, field in (
        (Qt.Key.Key_I, intake.imei),
        (Qt.Key.Key_F, intake.fault),
        (Qt.Key.Key_E, intake.estimate),
        (Qt.Key.Key_A, intake.name),
    ):
        press(qtbot, letter, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(field.hasFocus)
