"""Editing the shop's opening hours: a line per weekday, closed days and the time zone.

Business-time turnaround counts only the hours entered here; the Settings view
saves them with the rest of the shop's settings, in one transaction.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import available_timezones

from repairshop.domain.opening_hours import (
    OpeningHours,
    format_intervals,
    parse_intervals,
    shop_zone,
)
from repairshop.errors import ValidationError
from repairshop.i18n import _, format_day, read_day, weekday_names
from ui.qt import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget


class OpeningHoursEditor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.days: list[QLineEdit] = []
        for number, name in enumerate(weekday_names()):
            edit = QLineEdit(self)
            edit.setObjectName(f"hours_{number}")
            edit.setPlaceholderText(_("closed"))
            edit.setToolTip(_("For example 08:00-12:00, 13:00-18:00; empty when closed."))
            self.days.append(edit)
            form.addRow(name, edit)
        self.closed_days = QLineEdit(self)
        self.closed_days.setPlaceholderText(
            ", ".join(format_day(date(2026, 12, day)) for day in (24, 25))
        )
        self.closed_days.setToolTip(_("Public holidays and other days the shop is shut."))
        form.addRow(_("Closed days"), self.closed_days)
        self.timezone = QComboBox(self)
        self.timezone.setEditable(True)
        self.timezone.addItem(_("This computer's time zone"), "")
        for name in sorted(available_timezones()):
            self.timezone.addItem(name, name)
        form.addRow(_("Time zone"), self.timezone)
        note = QLabel(_("Business-time turnaround counts only these hours."), self)
        note.setWordWrap(True)
        form.addRow(note)

    def set_hours(self, hours: OpeningHours) -> None:
        for edit, intervals in zip(self.days, hours.week, strict=True):
            edit.setText(format_intervals(intervals))
        self.closed_days.setText(", ".join(format_day(day) for day in sorted(hours.closed_days)))
        index = self.timezone.findData(hours.timezone)
        if index >= 0:
            self.timezone.setCurrentIndex(index)
        else:
            self.timezone.setEditText(hours.timezone)

    def hours(self) -> OpeningHours:
        """What is entered, checked; a ``ValidationError`` names the day or field at fault."""
        week = []
        for name, edit in zip(weekday_names(), self.days, strict=True):
            try:
                week.append(parse_intervals(edit.text()))
            except ValidationError as error:
                edit.setFocus()
                raise ValidationError(
                    _("{day}: {problem}").format(day=name, problem=error.message),
                    field="opening_hours",
                ) from None
        closed: set[date] = set()
        for typed in self.closed_days.text().replace(";", ",").split(","):
            if not typed.strip():
                continue
            try:  # as the desk writes a day, as the rest of the screen does
                closed.add(read_day(typed))
            except ValueError:
                self.closed_days.setFocus()
                raise ValidationError(
                    _("“{value}” is not a day such as {example}.").format(
                        value=typed.strip(), example=format_day(date(2026, 12, 24))
                    ),
                    field="closed_days",
                ) from None
        timezone = self._timezone()
        try:
            shop_zone(timezone)
        except ValidationError:
            self.timezone.setFocus()
            raise
        return OpeningHours(week=tuple(week), closed_days=frozenset(closed), timezone=timezone)

    def _timezone(self) -> str:
        text = self.timezone.currentText().strip()
        index = self.timezone.findText(text)
        if index >= 0:
            return str(self.timezone.itemData(index))
        return text
