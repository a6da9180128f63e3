"""The evidence dialogs: the condition checklist, the pattern lock, the customer's signature,
and choosing photos from files (the camera's dialog is :mod:`ui.evidence.camera`)."""

from __future__ import annotations

from pathlib import Path

from repairshop.domain.evidence import PointAnswer, PointState, point_label
from repairshop.i18n import _
from ui.evidence.pads import PatternLockPad, SignaturePad
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


class ChecklistDialog(QDialog):
    """Every point of the device's checklist with its state and a note."""

    def __init__(
        self,
        points: tuple[str, ...],
        answers: dict[str, PointAnswer],
        parent: QWidget | None = None,
        *,
        title: str,
        before: dict[str, PointState] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.points = points
        self.states: dict[str, QComboBox] = {}
        self.notes: dict[str, QLineEdit] = {}
        inner = QWidget(self)
        grid = QGridLayout(inner)
        column = 0
        grid.addWidget(QLabel(f"<b>{_('Point')}</b>", inner), 0, 0)
        if before is not None:
            grid.addWidget(QLabel(f"<b>{_('At intake')}</b>", inner), 0, 1)
            column = 1
        grid.addWidget(QLabel(f"<b>{_('Condition')}</b>", inner), 0, column + 1)
        grid.addWidget(QLabel(f"<b>{_('Note')}</b>", inner), 0, column + 2)
        for row, point in enumerate(points, start=1):
            name = point_label(point)
            label = QLabel(name, inner)
            combo = QComboBox(inner)
            combo.addItem(_("— choose —"), None)
            for state in PointState:
                combo.addItem(state.label, state.value)
            combo.setAccessibleName(name)
            label.setBuddy(combo)
            note = QLineEdit(inner)
            note.setMaxLength(200)
            note.setAccessibleName(_("Note: {point}").format(point=name))
            answer = answers.get(point)
            if answer is not None:
                combo.setCurrentIndex(combo.findData(answer.state.value))
                note.setText(answer.note)
            grid.addWidget(label, row, 0)
            if before is not None:
                was = before.get(point)
                grid.addWidget(QLabel(was.label if was else "–", inner), row, 1)
            grid.addWidget(combo, row, column + 1)
            grid.addWidget(note, row, column + 2)
            self.states[point], self.notes[point] = combo, note
        grid.setRowStretch(len(points) + 1, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        self.all_ok = QPushButton(_("Rest &OK"), self)
        self.all_ok.setToolTip(_("Every point not answered yet is OK"))
        self.all_ok.clicked.connect(self.rest_ok)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.all_ok)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.resize(700, 520)

    def rest_ok(self) -> None:
        for combo in self.states.values():
            if combo.currentData() is None:
                combo.setCurrentIndex(combo.findData(PointState.OK.value))

    def answers(self) -> dict[str, PointAnswer]:
        chosen = {}
        for point, combo in self.states.items():
            if combo.currentData() is not None:
                state = PointState(combo.currentData())
                chosen[point] = PointAnswer(point, state, self.notes[point].text().strip())
        return chosen


class PatternDialog(QDialog):
    def __init__(self, pattern: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Pattern lock"))
        self.pad = PatternLockPad(self)
        self.pad.set_pattern(pattern)
        self.shown = QLabel(self)
        self.pad.changed.connect(self._show)
        clear = QPushButton(_("C&lear"), self)
        clear.clicked.connect(self.pad.clear)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(
            _("Draw the pattern as the customer shows it, or type the dots' numbers 1 to 9."),
            self,
        )
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(clear)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.shown)
        layout.addLayout(row)
        self._show(self.pad.pattern)
        self.pad.setFocus()
        self.resize(320, 380)

    def _show(self, pattern: str) -> None:
        self.shown.setText(pattern or _("No pattern"))


class SignatureDialog(QDialog):
    def __init__(self, signer: str, parent: QWidget | None = None, *, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pad = SignaturePad(self)
        self.signer = QLineEdit(signer, self)
        signer_label = QLabel(_("&Signed by"), self)
        signer_label.setBuddy(self.signer)
        clear = QPushButton(_("C&lear"), self)
        clear.clicked.connect(self.pad.clear)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.pad.changed.connect(self._enable)
        self._enable()
        name_row = QHBoxLayout()
        name_row.addWidget(signer_label)
        name_row.addWidget(self.signer, 1)
        row = QHBoxLayout()
        row.addWidget(clear)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Sign in the box above the line."), self))
        layout.addWidget(self.pad, 1)
        layout.addLayout(name_row)
        layout.addLayout(row)
        self.pad.setFocus()

    def _enable(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not self.pad.is_empty())


PHOTO_FILTER = "*.jpg *.jpeg *.png"


def choose_photos(parent: QWidget) -> list[tuple[str, bytes]]:
    """Photos from files; over 4 MB the core refuses them. A camera on the desk takes
    them in :mod:`ui.evidence.camera`."""
    names, _filter = QFileDialog.getOpenFileNames(
        parent, _("Add photos"), "", _("Pictures ({patterns})").format(patterns=PHOTO_FILTER)
    )
    return [(Path(name).name, Path(name).read_bytes()) for name in names]
