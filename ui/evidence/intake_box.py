"""The intake form's Evidence box: checklist, pattern lock, photos, signature, loaner.

The intake form hooks it in with a few lines: it adds :meth:`IntakeEvidenceBox.fields` to
its request, clears it with the form, and lets it show a refusal about its own fields.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from repairshop.domain.evidence import PointAnswer
from repairshop.errors import ValidationError
from repairshop.i18n import _, ngettext, pgettext
from repairshop.services.jobs.evidence_store import LoanRequest, checklist_points
from repairshop.services.jobs.loaners import LoanerRow, list_loaners
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.evidence.camera_button import CameraButton
from ui.evidence.dialogs import ChecklistDialog, PatternDialog, SignatureDialog, choose_photos
from ui.operations import ReadOp
from ui.qt import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)


class IntakeEvidenceBox(QGroupBox):
    """What the clerk records besides the form's fields; :meth:`fields` goes into the request."""

    def __init__(
        self,
        context: AppContext,
        parent: QWidget,
        *,
        device_type: Callable[[], str],
        customer_name: Callable[[], str],
    ) -> None:
        super().__init__(_("Evidence"), parent)
        self.context = context
        self.device_type = device_type
        self.customer_name = customer_name
        self.checks: dict[str, PointAnswer] = {}
        self.checked_type = ""
        self.points_total = 0
        self.pattern = ""
        self.photos: list[tuple[str, bytes]] = []
        self.signature: list[list[tuple[float, float]]] = []
        self.signature_aspect = 3.0
        self.checklist_button = QPushButton(_("Checklist…"), self)
        self.checklist_button.clicked.connect(self.open_checklist)
        self.checklist_state = QLabel(self)
        self.pattern_button = QPushButton(_("Pattern lock…"), self)
        self.pattern_button.clicked.connect(self.open_pattern)
        self.pattern_state = QLabel(self)
        self.photos_button = QPushButton(_("Photos…"), self)
        self.photos_button.clicked.connect(self.add_photos)
        self.camera_button = CameraButton(self)
        self.camera_button.taken.connect(self.add_taken)
        self.photos_state = QLabel(self)
        self.sign_button = QPushButton(_("Customer signs…"), self)
        self.sign_button.clicked.connect(self.open_signature)
        self.sign_state = QLabel(self)
        self.loaner = QComboBox(self)
        self.loaner.setAccessibleName(_("Loaner"))
        # As wide as "No loaner" and the loaners read once they are in (not cut to "Bez urzą…").
        self.loaner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        loaner_label = QLabel(_("Loaner"), self)
        loaner_label.setBuddy(self.loaner)
        self.loaner_condition = QLineEdit(self)
        self.loaner_condition.setPlaceholderText(_("the loaner's condition"))
        self.loaner_condition.setAccessibleName(_("Loaner's condition"))
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        grid = QGridLayout(self)
        for row, (button, state) in enumerate(
            (
                (self.checklist_button, self.checklist_state),
                (self.pattern_button, self.pattern_state),
                (self.photos_button, self.photos_state),
                (self.sign_button, self.sign_state),
            )
        ):
            if button is self.photos_button:
                pair = QHBoxLayout()
                pair.addWidget(button)
                pair.addWidget(self.camera_button)
                grid.addLayout(pair, row // 2, (row % 2) * 2)
            else:
                grid.addWidget(button, row // 2, (row % 2) * 2)
            grid.addWidget(state, row // 2, (row % 2) * 2 + 1)
        grid.addWidget(loaner_label, 2, 0)
        grid.addWidget(self.loaner, 2, 1)
        grid.addWidget(self.loaner_condition, 2, 2, 1, 2)
        grid.addWidget(self.error, 3, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.widgets_in_order: list[QWidget] = [
            self.checklist_button,
            self.pattern_button,
            self.photos_button,
            self.camera_button,
            self.sign_button,
            self.loaner,
            self.loaner_condition,
        ]
        self.clear()

    def chain_tab_order(self, before: QWidget, after: QWidget) -> None:
        chain = [before, *self.widgets_in_order, after]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- the request ---------------------------------------------------------------------

    def fields(self) -> dict[str, Any]:
        """The request's evidence fields (see :class:`~.intake.IntakeRequest`)."""
        label = self.loaner.currentData()
        return {
            "checklist": tuple(self.checks.values()),
            "pattern_lock": self.pattern,
            "signature": tuple(tuple(stroke) for stroke in self.signature),
            "signature_aspect": self.signature_aspect,
            "photos": tuple(self.photos),
            "loan": LoanRequest(label, condition=self.loaner_condition.text()) if label else None,
        }

    def clear(self) -> None:
        self.checks, self.checked_type = {}, ""
        self.pattern = ""
        self.photos = []
        self.signature = []
        self.loaner_condition.clear()
        self.loaner.setCurrentIndex(0)
        self.error.hide()
        self._show_states()
        self.load_loaners()

    def show_refusal(self, error: ValidationError) -> bool:
        """Show a refusal about the evidence in the box (and focus its button)."""
        buttons = {
            "checklist": self.checklist_button,
            "pattern_lock": self.pattern_button,
            "photo": self.photos_button,
            "signature": self.sign_button,
            "loaner": self.loaner,
            "due": self.loaner,
        }
        if error.field not in buttons:
            return False
        self.error.setText(error.message)
        self.error.show()
        buttons[error.field].setFocus()
        return True

    # --- the dialogs -----------------------------------------------------------------------

    def open_checklist(self) -> None:
        device_type = self.device_type()
        ReadOp(self.context, self, lambda uow: checklist_points(uow, device_type)).success(
            lambda points: self._checklist(device_type, points)
        ).run()

    def _checklist(self, device_type: str, points: tuple[str, ...]) -> None:
        if device_type != self.checked_type:
            self.checks = {}
        dialog = ChecklistDialog(
            points, self.checks, self, title=_("Condition at intake: check every point")
        )
        if dialog.exec():
            self.checks, self.checked_type = dialog.answers(), device_type
            self.points_total = len(points)
            self.error.hide()
            self._show_states()

    def open_pattern(self) -> None:
        dialog = PatternDialog(self.pattern, self)
        if dialog.exec():
            self.pattern = dialog.pad.pattern
            self._show_states()

    def add_photos(self) -> None:
        self.photos += choose_photos(self)
        self._show_states()

    def add_taken(self, taken: list[tuple[str, bytes]]) -> None:
        """Shots from the camera: saved with the job as photos from files are."""
        self.photos += taken
        self._show_states()

    def open_signature(self) -> None:
        dialog = SignatureDialog(
            self.customer_name(), self, title=_("The customer's signature at intake")
        )
        if dialog.exec():
            self.signature = [list(stroke) for stroke in dialog.pad.strokes]
            self.signature_aspect = dialog.pad.aspect
            self._show_states()

    def _show_states(self) -> None:
        total = self.points_total
        self.checklist_state.setText(
            _("{done} of {total} points").format(done=len(self.checks), total=total)
            if self.checks
            else _("not checked")
        )
        self.pattern_state.setText(
            ngettext("{count} dot", "{count} dots", self.pattern.count("-") + 1).format(
                count=self.pattern.count("-") + 1
            )
            if self.pattern
            else _("none")
        )
        self.photos_state.setText(
            ngettext("{count} photo", "{count} photos", len(self.photos)).format(
                count=len(self.photos)
            )
        )
        self.sign_state.setText(
            pgettext("signature", "signed") if self.signature else _("not signed")
        )

    # --- loaners ---------------------------------------------------------------------------

    def load_loaners(self) -> None:
        def query(uow: UnitOfWork) -> list[LoanerRow]:
            return list_loaners(uow)

        ReadOp(self.context, self, query).success(self._show_loaners).run()

    def _show_loaners(self, rows: list[LoanerRow]) -> None:
        chosen = self.loaner.currentData()
        self.loaner.clear()
        self.loaner.addItem(_("No loaner"), None)
        for row in rows:
            if row.job is None and row.active:
                self.loaner.addItem(f"{row.label} — {row.name}", row.label)
        self.loaner.setCurrentIndex(max(self.loaner.findData(chosen), 0))
        self.loaner.setMinimumWidth(self.loaner.sizeHint().width())
