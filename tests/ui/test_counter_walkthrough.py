"""The counter, walked through with the keyboard alone, in Czech and in English.

A clerk takes in a returning customer's phone and hands over the receipt and the label; a
technician switches in, takes the job from My queue, records the customer's approval on the
card's Money panel and carries the job to ready. Only real key presses reach the window
(QTest on the focused widget): no setText, no clicks, no slots called. Every key is counted.

With ``REPAIRSHOP_WALKTHROUGH_SHOTS=1`` each step is saved as a PNG of the window (1280×800)
in ``docs/screenshots/walkthrough/<lang>/``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.i18n import _, format_money
from repairshop.printing.documents import PrintSettings
from repairshop.printing.receipts import ReceiptPaper
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import add_note, change_status, show_job
from repairshop.services.shop.settings import get_settings, save_settings
from repairshop.services.shop.users import add_user
from tests.helpers import intake_document
from tests.printouts import decode_barcodes
from tests.ui.ops import WAIT_MS, read, wait_idle, write
from ui.app import build_window
from ui.context import AppContext
from ui.intake import IntakeView
from ui.job_card import JobCard
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.money.job_money_panel import JobMoneyPanel
from ui.my_queue import QueueView
from ui.operations import ReadOp
from ui.printing import PrinterFactory, save_print_settings
from ui.qt import QApplication, QColor, QDialog, QPainter, Qt, QWidget
from ui.qt_print import QPrinter
from ui.sign_in import SignInDialog

S = JobStatus
KEYS_BUDGET = 60
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "walkthrough"
IMEI = "353326111702413"
Key = Qt.Key
Mod = Qt.KeyboardModifier


def alt_letter(label: str) -> Key:
    """The Alt letter of a label as this language writes it ("Odhad &ceny": C)."""
    found = re.search(r"&(\w)", _(label))
    assert found, f"{_(label)!r} has no Alt letter"
    return Key(ord(found.group(1).upper()))


class Keys:
    """Presses keys on whatever has the focus, and counts them: a character typed is one key,
    a chord (Ctrl+S, Alt+C) is one key."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    @staticmethod
    def focused() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard"
        return widget

    def type(self, text: str) -> None:
        for char in text:
            self.qtbot.keyClicks(self.focused(), char)
            self.count += 1

    def press(self, key: Key, modifier: Mod = Mod.NoModifier) -> None:
        self.qtbot.keyClick(self.focused(), key, modifier)
        self.count += 1

    def alt(self, label: str) -> None:
        """Alt and the label's letter in this language."""
        self.press(alt_letter(label), Mod.AltModifier)


class Shots:
    """The window at each step, when asked for (``REPAIRSHOP_WALKTHROUGH_SHOTS=1``)."""

    def __init__(self, window: MainWindow, language: str) -> None:
        self.window = window
        self.folder = SHOTS / language
        self.wanted = bool(os.environ.get("REPAIRSHOP_WALKTHROUGH_SHOTS"))
        self.number = 0

    def take(self, step: str, widget: QWidget | None = None) -> None:
        self.number += 1
        if not self.wanted:
            return
        QApplication.processEvents()
        self.folder.mkdir(parents=True, exist_ok=True)
        picture = self.window.grab()
        if widget is not None:  # a dialog: drawn over the window, in its middle
            over = widget.grab()
            painter = QPainter(picture)
            painter.fillRect(picture.rect(), QColor(0, 0, 0, 60))
            painter.drawPixmap(
                (picture.width() - over.width()) // 2,
                (picture.height() - over.height()) // 3,
                over,
            )
            painter.end()
        path = self.folder / f"{self.number:02d}-{step}.png"
        picture.save(str(path))
        with Image.open(path) as image:  # 256 colours: a third of the size, the same to read
            small = image.convert("RGB").quantize(256, dither=Image.Dither.NONE)
        small.save(path, optimize=True)


@pytest.fixture(params=["cs", "en"])
def desk(request: pytest.FixtureRequest, qtbot: QtBot, context: AppContext) -> Iterator[str]:
    """A Czech shop (crowns); the desk speaks the parameter's language. A returning customer
    brought a phone before; Petr is the shop's technician."""
    write(
        qtbot,
        context,
        lambda uow: save_settings(
            uow, replace(get_settings(uow), currency="CZK", region="CZ"), "admin"
        ),
        lambda changes: changes,
    )
    write(
        qtbot,
        context,
        lambda uow: add_user(uow, "petr", "Petr Svoboda", "technician", "admin")[1],
        lambda changes: changes,
    )
    earlier = intake_request_from_json(
        intake_document(
            customer={"name": "Jana Nováková", "phone": "+420 603 481 927", "language": "cs"},
            device={"type": "phone", "brand": "Apple", "model": "iPhone 12", "imei": IMEI},
            estimate="1290",
            deposit=None,
            passcode="",
        )
    )
    before = write(qtbot, context, lambda uow: intake(uow, earlier, "admin"), lambda r: r.changes)
    # That visit is over: she took the phone back unrepaired.
    for target, outcome in ((S.CANCELLED, None), (S.READY, Outcome.RETURNED_UNREPAIRED)):
        write(
            qtbot,
            context,
            lambda uow, target=target, outcome=outcome: change_status(
                uow, before.code, target, "admin", outcome=outcome
            ),
            lambda r: r.changes,
        )
    # The counter's receipt printer is a thermal roll (203 dpi), its label printer beside it.
    rolls = replace(PrintSettings(), receipt_format=ReceiptPaper.ROLL_80MM.value, receipt_dpi=203)
    save_print_settings(rolls, context.state)
    language: str = request.param
    apply_language(language)
    try:
        yield language
    finally:
        apply_language("en")


def pdf_printers(folder: Path, printed: list[Path]) -> PrinterFactory:
    """The desk's printers, writing PDF files: what went to paper, in order."""

    def make(name: str) -> QPrinter:
        path = folder / f"printed-{len(printed) + 1}.pdf"
        printed.append(path)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return printer

    return make


def test_a_czech_counter_takes_in_a_returning_customer_and_a_technician_finishes_the_job(
    qtbot: QtBot, context: AppContext, desk: str, tmp_path: Path
) -> None:
    window = build_window(context)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    wait_idle(qtbot, context)
    shots = Shots(window, desk)
    intake_view = window.views["intake"]
    assert isinstance(intake_view, IntakeView)
    printed: list[Path] = []
    intake_view.make_printer = pdf_printers(tmp_path, printed)
    keys = Keys(qtbot)
    focused = Keys.focused

    def expect(widget: QWidget | None) -> None:
        """The keyboard is on ``widget`` (a focus set by a shortcut lands a moment later)."""
        assert widget is not None
        qtbot.waitUntil(lambda: focused() is widget, timeout=5_000)

    # --- the clerk ---------------------------------------------------------------------
    shots.take("start")
    keys.press(Key.Key_1, Mod.ControlModifier)  # Intake, the cursor in Phone
    wait_idle(qtbot, context)
    expect(intake_view.phone)
    keys.type("481927")  # part of the phone number
    qtbot.waitUntil(intake_view.matches.isVisible, timeout=WAIT_MS)
    wait_idle(qtbot, context)
    shots.take("customer-found")
    assert intake_view.matches.item(0).text().startswith("Jana Nováková")
    keys.press(Key.Key_Down)  # into the list of returning customers
    keys.press(Key.Key_Return)  # take her
    assert intake_view.name.text() == "Jana Nováková"
    assert intake_view.chosen.text() == _("Returning customer: {name}").format(name="Jana Nováková")
    # The part of her number typed to find her was no mistake: no problem is shown.
    assert [key for key, label in intake_view.errors.items() if label.isVisible()] == []
    qtbot.waitUntil(intake_view.devices.isVisible, timeout=WAIT_MS)
    wait_idle(qtbot, context)
    expect(intake_view.devices)  # her earlier phone is offered
    shots.take("earlier-device")
    keys.press(Key.Key_Return)  # the same phone again
    assert (intake_view.brand.text(), intake_view.model.text()) == ("Apple", "iPhone 12")
    assert intake_view.imei.text() == IMEI
    expect(intake_view.job_type)  # a paid repair: as it stands
    keys.alt("&Fault")
    expect(intake_view.fault)
    keys.type("nenabiji")
    keys.press(Key.Key_Tab)
    expect(intake_view.accessory_boxes[0])
    keys.press(Key.Key_Space)  # the charger stays with it
    keys.alt("&Estimate")
    expect(intake_view.estimate)
    keys.type("1490")
    shots.take("intake-filled")
    with qtbot.waitSignal(intake_view.job_taken_in, timeout=WAIT_MS) as saved:
        keys.press(Key.Key_S, Mod.ControlModifier)
    code = str(saved.args[0])
    wait_idle(qtbot, context)
    qtbot.waitUntil(lambda: len(printed) == 2, timeout=WAIT_MS)
    wait_idle(qtbot, context)
    said = _("Saved as <b>{code}</b>.").format(code=code)
    assert intake_view.saved.text() == f"{said} {_('The receipt and the label are printing.')}"
    expect(intake_view.phone)  # ready for the next customer
    shots.take("saved-and-printing")
    clerk_keys = keys.count
    assert clerk_keys < KEYS_BUDGET, clerk_keys

    receipt, label = (path.read_bytes() for path in printed)
    assert decode_barcodes(receipt) == [code]
    assert decode_barcodes(label) == [code]
    job = read(context, lambda uow: show_job(uow, code, "admin"))
    assert job.customer.name == "Jana Nováková"
    assert job.customer.language == "cs"  # her own, whatever the desk speaks
    assert (job.device.brand, job.device.model, job.device.imei) == ("Apple", "iPhone 12", IMEI)
    assert job.fault == "nenabiji"
    assert job.accessories == _("Charger")
    assert job.estimate == Decimal(1490)
    assert job.assignee is None  # waiting for a technician

    # --- the technician ----------------------------------------------------------------
    keys.count = 0
    keys.press(Key.Key_L, Mod.ControlModifier)  # Switch person
    dialog = window.findChild(SignInDialog)
    assert dialog is not None
    wait_idle(qtbot, context)
    qtbot.waitUntil(lambda: focused() is dialog.person)
    keys.type("p")  # Petr
    assert dialog.person.currentData() == "petr"
    shots.take("switch-person", dialog)
    keys.press(Key.Key_Return)  # an open shop: no PIN asked for yet
    qtbot.waitUntil(lambda: context.user == "petr", timeout=WAIT_MS)
    wait_idle(qtbot, context)
    assert window.user_label.text() == _("Working as: {login}").format(login="petr")

    keys.press(Key.Key_3, Mod.ControlModifier)  # My queue
    queue = window.views["queue"]
    assert isinstance(queue, QueueView)
    wait_idle(qtbot, context)
    assert window.tabs.currentWidget() is queue
    expect(queue.waiting)  # nothing of mine yet: new work has the keyboard, the first chosen
    qtbot.waitUntil(lambda: queue.waiting.current_code() == code, timeout=WAIT_MS)
    wait_idle(qtbot, context)
    shots.take("my-queue")
    keys.alt("&Take it")
    qtbot.waitUntil(lambda: queue.table.current_code() == code, timeout=WAIT_MS)
    wait_idle(qtbot, context)
    assert read(context, lambda uow: show_job(uow, code, "admin").assignee) == "petr"
    assert queue.hint.text() == _("{code} → move to:").format(code=code)
    shots.take("taken")
    expect(queue.table)
    with qtbot.waitSignal(window.card_opened, timeout=WAIT_MS) as opened:
        keys.press(Key.Key_Return)  # its card
    card = opened.args[0]
    assert isinstance(card, JobCard)
    wait_idle(qtbot, context)
    shots.take("card")

    def move(target: JobStatus) -> None:
        expect(card.move_buttons[target])
        keys.press(Key.Key_Space)
        qtbot.waitUntil(lambda: card.view.status is target, timeout=WAIT_MS)
        wait_idle(qtbot, context)

    move(S.DIAGNOSING)
    shots.take("diagnosing")
    # A paid repair without the customer's yes: the card asks for it before the repair.
    assert card.view.next_move is S.AWAITING_APPROVAL
    keys.alt("Record appro&val…")
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    approval = QApplication.activeModalWidget()
    expect(getattr(approval, "amount", None))
    shots.take("approval", approval)
    keys.press(Key.Key_Return)  # the price now, agreed in person
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)
    wait_idle(qtbot, context)
    assert card.view.next_move is S.IN_REPAIR
    money = card.findChild(JobMoneyPanel)
    assert money is not None
    assert money.approval.text() == _("Approved {amount} · now {price}").format(
        amount=format_money(Decimal(1490), "CZK"), price=format_money(Decimal(1490), "CZK")
    )
    move(S.IN_REPAIR)
    shots.take("in-repair")
    move(S.TESTING)
    move(S.READY)
    shots.take("ready")
    job = read(context, lambda uow: show_job(uow, code, "petr"))
    assert job.status is S.READY
    assert job.outcome == "repaired"
    technician_keys = keys.count
    assert technician_keys < KEYS_BUDGET, technician_keys


# --- what stood in the way, one test each --------------------------------------------------


def take_in(qtbot: QtBot, context: AppContext, **overrides: object) -> str:
    request = intake_request_from_json(intake_document(**overrides))
    return write(
        qtbot, context, lambda uow: intake(uow, request, "admin"), lambda r: r.changes
    ).code


def test_choosing_a_returning_customer_clears_the_part_of_her_number_typed_to_find_her(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    take_in(qtbot, context)  # Jiří Dvořák, +420 777 123 456
    view = window.views["intake"]
    assert isinstance(view, IntakeView)
    keys = Keys(qtbot)
    keys.press(Key.Key_1, Mod.ControlModifier)
    qtbot.waitUntil(view.phone.hasFocus)
    keys.type("123456")
    qtbot.waitUntil(view.matches.isVisible, timeout=WAIT_MS)
    keys.press(Key.Key_Down)  # into the returning customers: what was typed is a search…
    assert view.matches.hasFocus()
    assert not view.errors["customer.phone"].isVisible()
    keys.press(Key.Key_Return)  # …and she is chosen: her own number is no mistake
    assert view.phone.text() == "+420 777 123 456"
    assert not view.errors["customer.phone"].isVisible()


def test_after_switch_person_the_keyboard_is_back_where_it_was(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    write(
        qtbot,
        context,
        lambda uow: add_user(uow, "petr", "Petr Svoboda", "technician", "admin")[1],
        lambda changes: changes,
    )
    keys = Keys(qtbot)
    keys.press(Key.Key_F, Mod.ControlModifier)
    qtbot.waitUntil(window.search.hasFocus)
    keys.press(Key.Key_L, Mod.ControlModifier)
    dialog = window.findChild(SignInDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.person.hasFocus, timeout=WAIT_MS)
    keys.type("p")
    keys.press(Key.Key_Return)
    qtbot.waitUntil(lambda: context.user == "petr", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search, timeout=5_000)


def test_ctrl_3_with_nothing_of_mine_lands_on_the_first_job_nobody_has_taken(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context)
    queue = window.views["queue"]
    assert isinstance(queue, QueueView)
    Keys(qtbot).press(Key.Key_3, Mod.ControlModifier)
    qtbot.waitUntil(queue.waiting.hasFocus, timeout=5_000)
    qtbot.waitUntil(lambda: queue.waiting.current_code() == code, timeout=WAIT_MS)
    assert [index.row() for index in queue.waiting.selectionModel().selectedRows()] == [0]
    assert queue.take_button.isEnabled()  # Alt+T takes it


def open_card_at_its_next_move(qtbot: QtBot, window: MainWindow, code: str) -> JobCard:
    with qtbot.waitSignal(window.card_opened, timeout=WAIT_MS) as opened:
        window.open_job(code)
    wait_idle(qtbot, window.context)
    card = opened.args[0]
    assert isinstance(card, JobCard)
    return card


def test_a_recorded_approval_puts_the_keyboard_on_the_repair(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context, deposit=None)
    write(
        qtbot,
        context,
        lambda uow: change_status(uow, code, S.DIAGNOSING, "admin"),
        lambda r: r.changes,
    )
    card = open_card_at_its_next_move(qtbot, window, code)
    qtbot.waitUntil(card.move_buttons[S.AWAITING_APPROVAL].hasFocus, timeout=5_000)
    keys = Keys(qtbot)
    keys.alt("Record appro&val…")
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    keys.press(Key.Key_Return)  # the price now, agreed in person
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)
    wait_idle(qtbot, context)
    assert card.view.next_move is S.IN_REPAIR
    qtbot.waitUntil(lambda: QApplication.focusWidget() is card.move_buttons[S.IN_REPAIR])


def test_a_change_from_elsewhere_keeps_the_keyboard_on_the_cards_move(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    code = take_in(qtbot, context)
    card = open_card_at_its_next_move(qtbot, window, code)
    qtbot.waitUntil(card.move_buttons[S.DIAGNOSING].hasFocus, timeout=5_000)
    before = card.move_buttons[S.DIAGNOSING]
    with qtbot.waitSignal(card.loaded, timeout=WAIT_MS):  # another desk adds a note
        write(qtbot, context, lambda uow: add_note(uow, code, "Rang", "admin"), lambda r: r.changes)
    wait_idle(qtbot, context)
    assert card.move_buttons[S.DIAGNOSING] is not before  # the buttons were made again
    assert QApplication.focusWidget() is card.move_buttons[S.DIAGNOSING]


def test_a_cleared_form_never_shows_the_warranty_of_the_form_before(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    view = window.views["intake"]
    assert isinstance(view, IntakeView)
    keys = Keys(qtbot)
    keys.press(Key.Key_1, Mod.ControlModifier)
    qtbot.waitUntil(view.phone.hasFocus)
    wait_idle(qtbot, context)
    held = threading.Event()
    ReadOp(context, None, lambda _uow: held.wait(WAIT_MS / 1000)).run()  # the worker is busy
    asked = view._preview_asked
    keys.alt("&Brand")
    keys.type("Samsung")
    qtbot.waitUntil(lambda: view._preview_asked > asked)  # the warranty is asked for…
    keys.alt("Ne&w (clear)")  # …and the next customer comes before the answer
    qtbot.waitUntil(lambda: view.brand.text() == "")
    empty = _("Give the brand and the purchase date to see the warranty.")
    assert view.warranty.text() == empty
    held.set()
    wait_idle(qtbot, context)
    assert view.warranty.text() == empty
