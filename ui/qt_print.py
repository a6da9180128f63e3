"""Qt's printing (QtPrintSupport): loaded with the first printout, not with the first window."""

from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

__all__ = ["QPrinter", "QPrinterInfo"]
