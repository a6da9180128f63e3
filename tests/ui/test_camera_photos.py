"""Photos from a camera on the desk: the button says so on a desk without one; a shot the
capture dialog gets (as QImageCapture.imageCaptured brings it) is stored as a photo from a
file is, at intake and on the card. Screens are saved in English and Czech
(``REPAIRSHOP_SCREENSHOTS``, else a temporary folder)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from repairshop.domain.evidence import Stage
from repairshop.services.jobs.evidence import evidence_view, photo_data
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import JobChanged
from repairshop.services.uow import UnitOfWork
from tests.helpers import intake_document
from tests.ui.accessibility import unnamed_controls
from tests.ui.ops import WAIT_MS, fill_intake, intake_view, open_card, read, wait_idle, write
from tests.ui.test_intake_evidence import shot
from tests.ui.test_translated_layouts import clashing_shortcuts, clipped_texts
from ui.evidence import camera
from ui.evidence.camera import CameraDialog, jpeg_bytes
from ui.evidence.camera_button import CameraButton
from ui.intake import IntakeView
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.qt import QApplication, QColor, QEnterEvent, QImage, QPointF


@pytest.fixture(params=["en", "cs"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    apply_language(request.param)
    try:
        yield request.param
    finally:
        apply_language("en")


def picture(colour: str, width: int = 640, height: int = 480) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    return image


def colour_name(pixel: tuple[int, ...]) -> str:
    red, _green, blue = pixel[:3]
    if red > 200 and blue < 60:
        return "red"
    if blue > 200 and red < 60:
        return "blue"
    return str(pixel)


def hover(button: CameraButton) -> None:
    inside = QPointF(5, 5)
    QApplication.sendEvent(button, QEnterEvent(inside, inside, button.mapToGlobal(inside)))


def test_without_a_camera_the_button_is_disabled_and_says_why(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(camera, "camera_devices", lambda: [])
    view = window.show_view("intake")
    assert isinstance(view, IntakeView)
    button = view.evidence.camera_button
    assert button.isEnabled()  # not looked for yet: the window was built without Qt Multimedia
    hover(button)
    assert not button.isEnabled()
    assert button.toolTip() == "No camera found on this desk"
    assert button.accessibleDescription() == "No camera found on this desk"
    monkeypatch.setattr(camera, "camera_names", lambda: ["Desk camera"])
    hover(button)  # plugged in since: found on the next visit
    assert button.isEnabled()
    assert button.toolTip() == "Take photos with a camera on this desk"


def test_the_real_probe_answers_and_a_click_on_a_desk_without_a_camera_opens_nothing(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(camera.camera_names(), list)  # Qt Multimedia loads and answers
    monkeypatch.setattr(camera, "camera_devices", lambda: [])
    opened: list[CameraDialog] = []
    monkeypatch.setattr(CameraDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    view = window.show_view("intake")
    assert isinstance(view, IntakeView)
    view.evidence.camera_button.click()
    assert opened == []
    assert not view.evidence.camera_button.isEnabled()


def scripted_shots(qtbot: QtBot, colours: list[str], name: str) -> object:
    """CameraDialog.exec as a clerk uses it: every shot but the last kept with "Use this",
    one thrown away with "Again", the last taken with "Done"."""

    def run(dialog: CameraDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert not dialog.use_button.isEnabled()
        dialog.captured(0, picture("white"))
        dialog.again_button.click()  # thrown away
        for index, colour in enumerate(colours):
            dialog.captured(index + 1, picture(colour))
            assert dialog.use_button.isEnabled()
            if index == 0:
                shot(dialog, name)
            if index < len(colours) - 1:
                dialog.use_button.click()
        dialog.done_button.click()
        return dialog.result()

    return run


def test_shots_from_the_camera_are_stored_and_show_on_the_card(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    context = window.context

    def taken_in(uow: UnitOfWork) -> JobChanged:
        return intake(uow, intake_request_from_json(intake_document()), "admin")

    code = write(qtbot, context, taken_in, lambda result: result.changes).code
    card = open_card(qtbot, window, code)
    assert not card.evidence.loaded  # read when its tab is first shown
    card.records.setCurrentWidget(card.evidence)
    wait_idle(qtbot, context)
    assert card.evidence.photos.count() == 0
    monkeypatch.setattr(camera, "camera_devices", lambda: [])
    monkeypatch.setattr(CameraButton, "look_for_cameras", lambda button: True)
    monkeypatch.setattr(
        CameraDialog, "exec", scripted_shots(qtbot, ["red", "blue"], f"camera-shot-{language}.png")
    )
    card.evidence.camera_button.click()
    wait_idle(qtbot, context)
    qtbot.waitUntil(lambda: card.evidence.photos.count() == 2, timeout=WAIT_MS)
    photos = read(context, lambda uow: evidence_view(uow, code, "admin")).photos
    assert [photo.stage for photo in photos] == [Stage.FINAL, Stage.FINAL]
    assert all(photo.file_name.startswith("camera-") for photo in photos)
    colours = []
    for photo in photos:
        media_type, data = read(context, lambda uow, id=photo.id: photo_data(uow, id))
        assert media_type == "image/jpeg"
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (640, 480)
            pixel = image.convert("RGB").getpixel((320, 240))
            assert isinstance(pixel, tuple)
            colours.append(colour_name(pixel))
    assert colours == ["red", "blue"]
    card.records.setCurrentWidget(card.evidence)
    shot(card, f"camera-card-{language}.png")


def test_a_shot_at_intake_is_saved_with_the_job(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = window.context
    view = intake_view(qtbot, window)
    fill_intake(qtbot, view)
    monkeypatch.setattr(camera, "camera_devices", lambda: [])
    monkeypatch.setattr(CameraButton, "look_for_cameras", lambda button: True)
    monkeypatch.setattr(CameraDialog, "exec", scripted_shots(qtbot, ["green"], "camera-intake.png"))
    view.evidence.camera_button.click()
    assert view.evidence.photos_state.text() == "1 photo"
    shot(window, "camera-intake-form-en.png")
    with qtbot.waitSignal(view.job_taken_in, timeout=WAIT_MS) as saved:
        view.save()
    wait_idle(qtbot, context)
    (photo,) = read(context, lambda uow: evidence_view(uow, str(saved.args[0]), "admin")).photos
    assert photo.stage is Stage.INTAKE
    assert photo.file_name.startswith("camera-")


def test_the_dialog_without_a_camera_says_so(qtbot: QtBot, language: str) -> None:
    dialog = CameraDialog(devices=[])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.stack.currentWidget() is dialog.none
    assert not dialog.take_button.isEnabled()
    assert dialog.none.text() == (
        "No camera found on this desk" if language == "en" else "Na tomto stole není kamera"
    )
    shot(dialog, f"camera-none-{language}.png")


def test_a_big_shot_is_made_a_jpeg_the_core_takes() -> None:
    data = jpeg_bytes(picture("gray", 4000, 3000))
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (2560, 1920)


@pytest.mark.parametrize("language", ["en", "cs", "de", "pl", "ru", "hu"])
def test_the_camera_dialog_fits_its_translated_text(qtbot: QtBot, language: str) -> None:
    apply_language(language)
    try:
        dialog = CameraDialog(devices=[])
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.captured(1, picture("orange"))
        dialog.use_button.click()
        dialog.captured(2, picture("purple"))
        assert clipped_texts(dialog) == []
        assert clashing_shortcuts(dialog) == {}
        assert unnamed_controls(dialog) == []
        shot(dialog, f"camera-dialog-{language}.png")
    finally:
        apply_language("en")
