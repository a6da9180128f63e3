"""A date field where Tab leaves the field, as everywhere else in a form.

Qt's ``QDateEdit`` spends Tab on moving between day, month and year; at the
counter that turns one Tab into three. Here Left and Right move between the
parts, Up and Down change them, and Tab goes on to the next field.
"""

from __future__ import annotations

import re

from repairshop.i18n import date_pattern
from ui.qt import QDateEdit, QWidget


def date_format() -> str:
    """The UI language's one date style (``d. M. yyyy``, ``dd/MM/yyyy``) as Qt writes it: the
    same pattern every list, card and report uses, so a field never shows a day otherwise."""
    return re.sub(r"y+", "yyyy", date_pattern())


class DateField(QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(date_format())

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 - Qt's signature
        return QWidget.focusNextPrevChild(self, next)
