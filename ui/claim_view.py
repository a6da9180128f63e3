"""The job's manufacturer warranty claim on its card: the claim number, each part replaced
under it with the old and the new unit's serial, and which old parts go back."""

from __future__ import annotations

from repairshop.i18n import _
from repairshop.services.aftersales.claims import ClaimView, job_claim
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp
from ui.qt import QLabel, QListWidget, QVBoxLayout, QWidget, Signal


def claim_lines(claim: ClaimView) -> list[str]:
    """One line per part: what it is, the serial that came out and the one that went in."""
    lines = []
    for part in claim.parts:
        text = _("{sku} {name}: {old} → {new}").format(
            sku=part.sku,
            name=part.name,
            old=part.old_serial or "—",
            new=part.new_serial or "—",
        )
        if part.to_return:
            text += " · " + _("goes back to the manufacturer")
        lines.append(text)
    return lines


class ClaimPanel(QWidget):
    """Shown in the card's records as a tab of its own once the job has a claim."""

    found = Signal(bool)
    """Whether the job has a claim (the card shows or hides the tab)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.claim: ClaimView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.number = QLabel(self)
        self.number.setObjectName("claim_number")
        self.parts = QListWidget(self)
        self.parts.setAccessibleName(_("Parts replaced under the claim"))
        self.parts.setWordWrap(True)
        layout.addWidget(self.number)
        layout.addWidget(self.parts, 1)

    def show_job(self, code: str) -> None:
        def query(uow: UnitOfWork) -> ClaimView | None:
            return job_claim(uow, code)

        ReadOp(self.context, self, query, self._show).run()

    def _show(self, claim: ClaimView | None) -> None:
        self.claim = claim
        self.parts.clear()
        if claim is None:
            self.number.clear()
            self.found.emit(False)
            return
        self.number.setText(_("Manufacturer's claim {number}").format(number=claim.number))
        self.parts.addItems(claim_lines(claim) or [_("No parts recorded on the claim yet.")])
        self.found.emit(True)
