"""A manager's warranty override at intake: the regime, until when, and why.

The decision the core makes from the form shows live on the intake form; a manager
who knows better (a proof of purchase the rules cannot read, a goodwill repair) sets
it here, and it is saved with the intake in the same transaction (the core checks
that the person may, and records the reason in the job's history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from repairshop.domain.warranty import Decision, Regime
from repairshop.errors import ValidationError
from repairshop.i18n import _, format_day
from ui.date_field import DateField
from ui.forms import ok_cancel
from ui.qt import (
    QComboBox,
    QDate,
    QDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)


@dataclass(frozen=True)
class WarrantyOverride:
    regime: Regime
    until: date | None
    why: str

    def describe(self) -> str:
        """What the intake form shows instead of the decision."""
        shown = (
            _("{regime} until {date}").format(regime=self.regime.label, date=format_day(self.until))
            if self.until
            else self.regime.label
        )
        return _("Set by hand: {decision} — {why}").format(decision=shown, why=self.why)


class WarrantyOverrideDialog(QDialog):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Set the warranty by hand"))
        self.result_: WarrantyOverride | None = None
        self.regime = QComboBox(self)
        for regime in Regime:
            self.regime.addItem(regime.label, regime.value)
        self.until = DateField(self)
        self.until.setDate(QDate(today.year + 1, today.month, min(today.day, 28)))
        self.why = QLineEdit(self)
        self.why.setPlaceholderText(_("e.g. proof of purchase seen: invoice 2026/118"))
        form = QFormLayout(self)
        form.addRow(_("W&arranty:"), self.regime)
        form.addRow(_("&Until:"), self.until)
        form.addRow(_("&Why:"), self.why)
        form.addRow(ok_cancel(self, _("Set"), self.set_override))
        self.regime.currentIndexChanged.connect(self._regime_changed)
        self.error = ""

    def _regime_changed(self) -> None:
        self.until.setEnabled(self.regime.currentData() != Regime.NONE.value)

    def value(self) -> WarrantyOverride:
        regime = Regime(self.regime.currentData())
        why = self.why.text().strip()
        if not why:
            raise ValidationError(_("Say why the warranty is overridden."), field="reason")
        chosen = self.until.date()
        until = None if regime is Regime.NONE else date(chosen.year(), chosen.month(), chosen.day())
        return WarrantyOverride(regime, until, why)

    def set_override(self) -> None:
        try:
            self.result_ = self.value()
        except ValidationError as error:
            self.error = error.message
            self.why.setPlaceholderText(error.message)
            self.why.setFocus()
            return
        self.accept()


def describe_decision(decision: Decision) -> str:
    """The decision in a line and its reasons, in the desk's language."""
    regime = decision.regime
    head = (
        _("{regime} until {date}").format(regime=regime.label, date=format_day(decision.until))
        if decision.until
        else regime.label
    )
    reasons = " ".join(reason.render() for reason in decision.reasons)
    return f"{head}. {reasons}" if reasons else f"{head}."
