"""The "From camera…" button: disabled, and saying why, on a desk without a camera.

It looks for cameras when the pointer or the keyboard reaches it (and again on each visit,
so a camera plugged in later is found), not when the window is built: that loads Qt
Multimedia, which a start does without.
"""

from __future__ import annotations

from repairshop.i18n import _
from ui.qt import QEnterEvent, QEvent, QFocusEvent, QPushButton, QToolTip, QWidget, Signal


class CameraButton(QPushButton):
    """Opens :class:`~ui.evidence.camera.CameraDialog`; :attr:`taken` brings the shots kept."""

    taken = Signal(list)
    """[(file name, JPEG bytes), …] as a photo from a file comes."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(_("From camera…"), parent)
        self.setAccessibleName(_("Photos from the camera"))
        self.has_camera: bool | None = None
        """None until looked for."""
        self._explain()
        self.clicked.connect(self.open_camera)

    def look_for_cameras(self) -> bool:
        from ui.evidence import camera  # Qt Multimedia: loaded here, not at start

        self.has_camera = bool(camera.camera_names())
        self.setEnabled(self.has_camera)
        self._explain()
        return self.has_camera

    def _explain(self) -> None:
        text = (
            _("No camera found on this desk")
            if self.has_camera is False
            else _("Take photos with a camera on this desk")
        )
        self.setToolTip(text)
        self.setAccessibleDescription(text)

    def event(self, event: QEvent) -> bool:
        # A disabled button gets no focus or clicks but still the pointer: look again then.
        if event.type() == QEvent.Type.Enter and isinstance(event, QEnterEvent):
            self.look_for_cameras()
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        self.look_for_cameras()
        super().focusInEvent(event)

    def open_camera(self) -> None:
        if not self.look_for_cameras():
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), self.toolTip(), self)
            return
        from ui.evidence.camera import CameraDialog

        dialog = CameraDialog(self.window())
        if dialog.exec() and dialog.photos:
            self.taken.emit(list(dialog.photos))
