"""Qt Multimedia, apart from :mod:`ui.qt`: only the camera dialog and the camera probe load it.

Importing it and asking for the cameras costs a start about a tenth of a second (and loads
the FFmpeg backend), so nothing imports this module before a clerk reaches for the camera.
"""

from PySide6.QtMultimedia import (
    QCamera,
    QCameraDevice,
    QImageCapture,
    QMediaCaptureSession,
    QMediaDevices,
)
from PySide6.QtMultimediaWidgets import QVideoWidget

__all__ = [
    "QCamera",
    "QCameraDevice",
    "QImageCapture",
    "QMediaCaptureSession",
    "QMediaDevices",
    "QVideoWidget",
]
