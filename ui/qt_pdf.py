"""QtPdf, for the print preview only: imported with the first PDF shown or printed."""

from PySide6.QtPdf import (
    QPdfDocument,
    QPdfDocumentRenderOptions,
)
from PySide6.QtPdfWidgets import (
    QPdfView,
)

__all__ = [
    "QPdfDocument",
    "QPdfDocumentRenderOptions",
    "QPdfView",
]
