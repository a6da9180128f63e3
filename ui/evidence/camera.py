"""Photos from a camera on the desk: pick the camera, watch its picture, take a shot, keep it
or take it again.

The shot comes as a picture in memory (never a file on the desk), is made a JPEG here and
goes the way a photo from a file goes: the core checks its size, makes its thumbnail and
stores it in the shared database. This module loads Qt Multimedia, so only the camera
button imports it, when a clerk reaches for it (see :mod:`ui.evidence.camera_button`).
"""

from __future__ import annotations

from datetime import datetime

from repairshop.i18n import N_, _, ngettext
from repairshop.services.jobs.evidence_store import MAX_PHOTO_BYTES
from ui.qt import (
    QBuffer,
    QByteArray,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QImage,
    QIODevice,
    QLabel,
    QPixmap,
    QPushButton,
    QSize,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.qt_media import (
    QCamera,
    QCameraDevice,
    QImageCapture,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoWidget,
)

MAX_SIDE = 2560
"""A shot's longest side in pixels: the scratch on a frame shows, the photo stays far below
the size the core takes."""

NO_CAMERA = N_("No camera found on this desk")


def camera_devices() -> list[QCameraDevice]:
    """The cameras this desk has now (a camera plugged in later is seen the next time)."""
    return list(QMediaDevices.videoInputs())


def camera_names() -> list[str]:
    return [device.description() for device in camera_devices()]


def jpeg_bytes(image: QImage, *, max_side: int = MAX_SIDE) -> bytes:
    """``image`` as a JPEG no larger than the core takes (smaller and plainer if it must)."""
    if max(image.width(), image.height()) > max_side:
        image = image.scaled(
            QSize(max_side, max_side),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    data = b""
    for quality in (90, 80, 65, 50):
        array = QByteArray()
        buffer = QBuffer(array)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", quality)  # type: ignore[call-overload]  # str, as PySide6 takes it
        buffer.close()
        data = bytes(array.data())
        if len(data) <= MAX_PHOTO_BYTES:
            break
    return data


class CameraDialog(QDialog):
    """The viewfinder, "Take photo", the shot, "Use this" / "Again"; :attr:`photos` holds
    every shot kept, as (file name, JPEG bytes)."""

    def __init__(
        self, parent: QWidget | None = None, *, devices: list[QCameraDevice] | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Photos from the camera"))
        self.devices = camera_devices() if devices is None else devices
        self.photos: list[tuple[str, bytes]] = []
        self.image: QImage | None = None
        self.camera: QCamera | None = None

        self.choice = QComboBox(self)
        self.choice.setAccessibleName(_("Camera"))
        for device in self.devices:
            self.choice.addItem(device.description())
        choice_label = QLabel(_("&Camera:"), self)
        choice_label.setBuddy(self.choice)
        self.viewfinder = QVideoWidget(self)
        self.viewfinder.setAccessibleName(_("The camera's picture"))
        self.viewfinder.setMinimumSize(QSize(480, 320))
        self.shot = QLabel(self)
        self.shot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shot.setAccessibleName(_("The photo taken"))
        self.shot.setMinimumSize(QSize(480, 320))
        self.none = QLabel(_(NO_CAMERA), self)
        self.none.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        for page in (self.viewfinder, self.shot, self.none):
            self.stack.addWidget(page)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.take_button = QPushButton(_("&Take photo"), self)
        self.take_button.setDefault(True)
        self.take_button.clicked.connect(self.take)
        self.again_button = QPushButton(_("&Again"), self)
        self.again_button.setToolTip(_("Throw this shot away and take another"))
        self.again_button.clicked.connect(self.again)
        self.use_button = QPushButton(_("&Use this"), self)
        self.use_button.setToolTip(_("Keep this shot for the job"))
        self.use_button.clicked.connect(self.use)
        self.done_button = QPushButton(_("&Done"), self)
        self.done_button.clicked.connect(self.finish)
        self.cancel_button = QPushButton(_("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)

        self.session = QMediaCaptureSession(self)
        self.capture = QImageCapture(self)
        self.capture.setQuality(QImageCapture.Quality.HighQuality)
        self.session.setImageCapture(self.capture)
        self.session.setVideoOutput(self.viewfinder)
        self.capture.imageCaptured.connect(self.captured)
        self.capture.errorOccurred.connect(self.failed)
        self.capture.readyForCaptureChanged.connect(self._enable)

        top = QHBoxLayout()
        top.addWidget(choice_label)
        top.addWidget(self.choice, 1)
        row = QHBoxLayout()
        for button in (self.take_button, self.again_button, self.use_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.done_button)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)

        self.choice.currentIndexChanged.connect(self.start_camera)
        if self.devices:
            default = QMediaDevices.defaultVideoInput()
            index = next((i for i, device in enumerate(self.devices) if device == default), 0)
            self.choice.setCurrentIndex(index)
            self.start_camera(index)
        else:
            self.choice.setEnabled(False)
            self.stack.setCurrentWidget(self.none)
        self._show_kept()
        self._enable()
        self.resize(660, 560)

    # --- the camera ------------------------------------------------------------------------

    def start_camera(self, index: int) -> None:
        self.stop_camera()
        if not 0 <= index < len(self.devices):
            return
        camera = QCamera(self.devices[index], self)
        camera.errorOccurred.connect(self.camera_failed)
        self.session.setCamera(camera)
        self.camera = camera
        camera.start()
        self.stack.setCurrentWidget(self.viewfinder)
        self._enable()

    def stop_camera(self) -> None:
        if self.camera is not None:
            self.camera.stop()
            self.session.setCamera(None)  # type: ignore[arg-type]  # Qt takes a null camera
            self.camera.deleteLater()
            self.camera = None

    def camera_failed(self, _error: QCamera.Error, message: str) -> None:
        self.status.setText(_("The camera failed: {message}").format(message=message))
        self._enable()

    def failed(self, _request: int, _error: QImageCapture.Error, message: str) -> None:
        self.status.setText(_("The photo was not taken: {message}").format(message=message))
        self._enable()

    # --- shots ---------------------------------------------------------------------------

    def take(self) -> None:
        if self.capture.isReadyForCapture():
            self.capture.capture()  # to memory: imageCaptured brings the picture
            self.take_button.setEnabled(False)

    def captured(self, _request: int, image: QImage) -> None:
        """The shot taken (what :attr:`QImageCapture.imageCaptured` brings): shown to keep or
        take again."""
        self.image = image
        self.shot.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.stack.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.stack.setCurrentWidget(self.shot)
        self.use_button.setFocus()
        self._enable()

    def again(self) -> None:
        self.image = None
        self.shot.clear()
        self.stack.setCurrentWidget(self.viewfinder if self.camera else self.none)
        self._enable()
        self.take_button.setFocus()

    def use(self) -> None:
        if self.image is None:
            return
        number = len(self.photos) + 1
        name = f"camera-{datetime.now():%Y%m%d-%H%M%S}-{number}.jpg"
        self.photos.append((name, jpeg_bytes(self.image)))
        self._show_kept()
        self.again()

    def finish(self) -> None:
        """Done: the shots kept go to the job, the one on the screen too."""
        self.use()
        if self.photos:
            self.accept()
        else:
            self.reject()

    def done(self, result: int) -> None:
        self.stop_camera()
        super().done(result)

    def _show_kept(self) -> None:
        count = len(self.photos)
        self.status.setText(
            ngettext("{count} photo kept", "{count} photos kept", count).format(count=count)
            if count
            else _("Take a photo, then keep it or take it again.")
        )

    def _enable(self, *_args: object) -> None:
        showing = self.image is not None
        ready = self.camera is not None and self.capture.isReadyForCapture()
        self.take_button.setEnabled(ready and not showing)
        self.again_button.setEnabled(showing)
        self.use_button.setEnabled(showing)
