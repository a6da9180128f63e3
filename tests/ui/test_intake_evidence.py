"""Intake evidence at the counter: a pattern and a signature drawn with synthesised mouse
events, the checklist the form cannot skip, and the card's before and after. Screens are
saved in English and Czech (``REPAIRSHOP_SCREENSHOTS``, else a temporary folder)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from repairshop.db.tables import Job
from repairshop.domain.evidence import PointAnswer, PointState, Stage
from repairshop.printing.documents import PrintSettings, job_receipt, job_to_print
from repairshop.services.jobs.evidence import add_photo, evidence_view, record_checklist
from repairshop.services.jobs.evidence_store import checklist_points, checklist_required
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.loaners import add_loaner, lend, list_loaners
from repairshop.services.jobs.workflow import JobChanged
from repairshop.services.shop.settings import set_setting
from repairshop.services.uow import UnitOfWork
from tests.helpers import SettableClock, intake_document
from tests.printouts import pdf_pages
from tests.ui.ops import WAIT_MS, fill_intake, intake_view, open_card, read, wait_idle, write
from ui.app import build_window
from ui.context import AppContext
from ui.evidence.checklist_settings import ChecklistSettings
from ui.evidence.dialogs import ChecklistDialog, PatternDialog, SignatureDialog
from ui.evidence.loaner_tile import OverdueLoanersTile
from ui.evidence.pads import PatternLockPad, SignaturePad
from ui.intake import IntakeView
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.qt import QPoint, Qt, QWidget

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-evidence-shots"))


def at(pad: PatternLockPad, dot: int) -> QPoint:
    return pad.centre(dot).toPoint()


def draw_pattern(qtbot: QtBot, pad: PatternLockPad, dots: list[int]) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=at(pad, dots[0]))
    for dot in dots[1:]:
        qtbot.mouseMove(pad, at(pad, dot))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=at(pad, dots[-1]))


def draw_signature(qtbot: QtBot, pad: SignaturePad) -> None:
    w, h = pad.width(), pad.height()
    for stroke in (
        [(0.08, 0.7), (0.15, 0.2), (0.22, 0.75), (0.3, 0.25), (0.38, 0.7)],
        [(0.45, 0.5), (0.6, 0.3), (0.7, 0.6), (0.9, 0.4)],
    ):
        points = [QPoint(int(x * w), int(y * h)) for x, y in stroke]
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=points[0])
        for point in points[1:]:
            qtbot.mouseMove(pad, point)
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=points[-1])


def test_a_pattern_is_drawn_with_the_mouse_joining_dots_passed_over(qtbot: QtBot) -> None:
    pad = PatternLockPad()
    qtbot.addWidget(pad)
    pad.resize(150, 150)
    pad.show()
    with qtbot.waitSignal(pad.changed) as drawn:
        draw_pattern(qtbot, pad, [1, 3, 9, 7])  # a Z: 2, 6 and 8 are passed over
    assert drawn.args == ["1-2-3-6-9-8-7"]
    qtbot.keyClick(pad, Qt.Key.Key_Delete)
    assert pad.pattern == ""
    for key in "159":
        qtbot.keyClick(pad, key)
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    qtbot.keyClick(pad, "6")
    assert pad.pattern == "1-5-6"
    assert not pad.is_complete()


def test_a_signature_is_kept_as_strokes_scaled_to_the_pad(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(480, 160)
    pad.show()
    assert pad.is_empty()
    draw_signature(qtbot, pad)
    assert [len(stroke) for stroke in pad.strokes] == [5, 4]
    assert pad.strokes[0][0] == pytest.approx((0.08, 0.7), abs=0.01)
    assert pad.aspect == pytest.approx(3.0)


@pytest.fixture(params=["en", "cs"])
def desk(request: pytest.FixtureRequest, qtbot: QtBot, context: AppContext) -> Iterator[Any]:
    language = request.param
    write(qtbot, context, lambda uow: add_loaner(uow, "L1", "iPhone 11", "admin"),
          lambda changes: changes)  # fmt: skip
    apply_language(language)
    try:
        window = build_window(context)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        wait_idle(qtbot, context)
        yield window, language
    finally:
        apply_language("en")


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / name))


def test_a_phone_is_taken_in_with_its_evidence_and_the_signature_prints(
    qtbot: QtBot, desk: tuple[MainWindow, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, language = desk
    context = window.context
    view = intake_view(qtbot, window)
    fill_intake(qtbot, view)

    def checklist(dialog: ChecklistDialog) -> int:
        dialog.show()
        screen = dialog.states["screen"]
        screen.setCurrentIndex(screen.findData("cracked"))
        dialog.notes["screen"].setText("top left")
        dialog.all_ok.click()
        shot(dialog, f"evidence-checklist-{language}.png")
        return 1

    def pattern(dialog: PatternDialog) -> int:
        dialog.show()
        draw_pattern(qtbot, dialog.pad, [7, 4, 1, 5, 9])
        shot(dialog, f"evidence-pattern-{language}.png")
        return 1

    def signature(dialog: SignatureDialog) -> int:
        dialog.show()
        draw_signature(qtbot, dialog.pad)
        shot(dialog, f"evidence-signature-{language}.png")
        return 1

    monkeypatch.setattr(ChecklistDialog, "exec", checklist)
    monkeypatch.setattr(PatternDialog, "exec", pattern)
    monkeypatch.setattr(SignatureDialog, "exec", signature)
    box = view.evidence
    box.checklist_button.click()
    wait_idle(qtbot, context)
    box.pattern_button.click()
    box.sign_button.click()
    box.loaner.setCurrentIndex(box.loaner.findData("L1"))
    box.loaner_condition.setText("mint")
    shot(window, f"evidence-intake-{language}.png")
    with qtbot.waitSignal(view.job_taken_in, timeout=WAIT_MS) as saved:
        view.save()
    wait_idle(qtbot, context)
    code = str(saved.args[0])

    evidence = read(context, lambda uow: evidence_view(uow, code, "admin"))
    assert evidence.pattern_lock == "7-4-1-5-9"
    assert evidence.intake["screen"] is PointState.CRACKED
    assert set(evidence.intake.values()) == {PointState.CRACKED, PointState.OK}
    assert evidence.notes[("intake", "screen")] == "top left"
    assert evidence.signatures["intake"].signer == "Jiri Dvorak"
    assert evidence.loan is not None
    assert evidence.loan.label == "L1"
    assert read(context, list_loaners)[0].job == code

    # The receipt: rendered with the signature and without it, the strokes are the difference.
    printing = read(context, lambda uow: job_to_print(uow, code, "admin"))
    assert printing.evidence is not None
    unsigned = replace(printing, evidence=replace(printing.evidence, signatures={}))
    pages = [
        pdf_pages(job_receipt(each, PrintSettings()))[0].render(scale=1).to_pil().convert("L")
        for each in (printing, unsigned)
    ]
    differ = sum(
        1
        for y in range(0, pages[0].height, 2)
        for x in range(0, pages[0].width, 2)
        if abs(int(pages[0].getpixel((x, y))) - int(pages[1].getpixel((x, y)))) > 60
    )
    assert differ > 40

    # The card: before and after side by side, the changed point marked.
    final = [PointAnswer(point, PointState.OK) for point in evidence.points]
    write(qtbot, context, lambda uow: record_checklist(uow, code, Stage.FINAL, final, "admin"),
          lambda result: result.changes)  # fmt: skip
    card = open_card(qtbot, window, code)
    card.records.setCurrentWidget(card.evidence)  # read when its tab is first shown
    wait_idle(qtbot, context)
    table = card.evidence.table
    assert table.rowCount() == len(evidence.points)
    changed = [
        row
        for row in range(table.rowCount())
        if table.item(row, 0).toolTip()  # type: ignore[union-attr]
    ]
    assert changed == [evidence.points.index("screen")]
    assert "7-4-1-5-9" in card.evidence.facts.text()
    shot(window, f"evidence-card-{language}.png")


def test_the_form_cannot_skip_the_checklist_when_the_shop_requires_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    context = window.context
    write(qtbot, context, lambda uow: set_setting(uow, "checklist.required", "true", "admin"),
          lambda changes: changes)  # fmt: skip
    view = window.show_view("intake")
    assert isinstance(view, IntakeView)
    wait_idle(qtbot, context)
    qtbot.keyClicks(view.phone, "777 123 456")
    qtbot.keyClicks(view.name, "Eva Mala")
    qtbot.keyClicks(view.brand, "Apple")
    qtbot.keyClicks(view.model, "iPhone 13")
    qtbot.keyClicks(view.fault, "Battery")
    with qtbot.assertNotEmitted(view.job_taken_in):
        view.save()
        wait_idle(qtbot, context)
    assert view.evidence.error.isVisible()
    assert "Check every point" in view.evidence.error.text()
    assert view.evidence.checklist_button.hasFocus()
    assert read(context, lambda uow: uow.session.scalar(select(func.count()).select_from(Job))) == 0


def test_an_overdue_loaner_shows_on_the_dashboard(qtbot: QtBot, window: MainWindow) -> None:
    context = window.context
    tile = window.findChild(OverdueLoanersTile)
    assert tile is not None
    assert not tile.isVisible()
    clock = context.db.clock
    assert isinstance(clock, SettableClock)

    def lent(uow: UnitOfWork) -> JobChanged:
        add_loaner(uow, "L9", "Pixel 6", "admin")
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        return lend(uow, code, "L9", "admin", due=clock.now.date())

    write(qtbot, context, lent, lambda result: result.changes)
    assert not tile.isVisible()
    clock.advance(days=2)
    tile.refresh()
    wait_idle(qtbot, context)
    assert tile.isVisible()
    assert "1\n" in tile.text()
    shot(window.centralWidget(), "evidence-overdue-loaner-tile-en.png")


def test_the_checklists_are_edited_in_settings(qtbot: QtBot, window: MainWindow) -> None:
    context = window.context
    window.show_view("settings")
    wait_idle(qtbot, context)
    box = window.findChild(ChecklistSettings)
    assert box is not None
    assert box.points.text().startswith("Screen, Frame, Back cover")  # names, not keys
    assert "Charging port" in box.points.text()
    box.device_type.setCurrentIndex(box.device_type.findData("laptop"))
    box.points.setText("Screen, keyboard, Sticker")
    box.required.setChecked(True)
    box.save_button.click()
    wait_idle(qtbot, context)
    assert read(context, lambda uow: checklist_points(uow, "laptop")) == (
        "screen",
        "keyboard",
        "Sticker",
    )
    assert read(context, checklist_required)
    qtbot.waitUntil(lambda: box.points.text() == "Screen, Keyboard, Sticker")
    shot(box, "evidence-settings-en.png")


def test_a_photo_is_chosen_for_the_receipt_on_the_card(qtbot: QtBot, window: MainWindow) -> None:
    context = window.context
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), "navy").save(picture, "JPEG")

    def taken_in(uow: UnitOfWork) -> JobChanged:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        return add_photo(uow, code, picture.getvalue(), "admin", file_name="front.jpg",
                         stage=Stage.INTAKE)  # fmt: skip

    code = write(qtbot, context, taken_in, lambda result: result.changes).code
    card = open_card(qtbot, window, code)
    card.records.setCurrentWidget(card.evidence)
    wait_idle(qtbot, context)
    photos = card.evidence.photos
    assert photos.count() == 1
    photos.itemActivated.emit(photos.item(0))
    wait_idle(qtbot, context)
    (photo,) = read(context, lambda uow: evidence_view(uow, code, "admin")).photos
    assert photo.on_receipt
    assert photos.item(0).text() == "on receipt"
