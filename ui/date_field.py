"""A date field where Tab leaves the field, as everywhere else in a form.

Qt's ``QDateEdit`` spends Tab on moving between day, month and year; at the
counter that turns one Tab into three. Here Left and Right move between the
parts, Up and Down change them, and Tab goes on to the next field.
"""

from __future__ import annotations

from repairshop.i18n import ui_language
from ui.qt import QDateEdit, QLocale, QWidget


def date_format() -> str:
    """The UI language's short date with a four-digit year (``d. M. yyyy``, ``M/d/yyyy``)."""
    pattern = QLocale(ui_language()).dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    return pattern


class DateField(QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(date_format())

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 - Qt's signature
        return QWidget.focusNextPrevChild(self, next)
