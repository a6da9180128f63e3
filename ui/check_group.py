"""Check boxes that are one Tab stop, as a group of options on a form should be.

Tab enters the group at the box last used and leaves it on the next Tab; inside,
the arrow keys move between the boxes (by the grid they are laid out in), a letter
moves to the next box whose text starts with it, and Space ticks the one in focus.
"""

from __future__ import annotations

from collections.abc import Sequence

from ui.qt import QCheckBox, QEvent, QKeyEvent, QObject, Qt


class CheckGroup(QObject):
    """Makes ``boxes`` (laid out ``columns`` to a row) one Tab stop."""

    def __init__(self, boxes: Sequence[QCheckBox], columns: int) -> None:
        super().__init__(boxes[0].parent() if boxes else None)
        self.boxes = list(boxes)
        self.columns = max(columns, 1)
        for box in self.boxes:
            box.installEventFilter(self)
        self._enter_at(0)

    def _enter_at(self, index: int) -> None:
        """Only the box at ``index`` is a Tab stop (the others take a click or an arrow)."""
        for number, box in enumerate(self.boxes):
            box.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if number == index else Qt.FocusPolicy.ClickFocus
            )

    def move_to(self, index: int) -> None:
        if 0 <= index < len(self.boxes):
            self._enter_at(index)
            self.boxes[index].setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched not in self.boxes:
            return False
        index = self.boxes.index(watched)
        if event.type() == QEvent.Type.FocusIn:
            self._enter_at(index)  # a click counts as use too: Shift+Tab comes back here
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return False
        steps: dict[int, int] = {
            Qt.Key.Key_Left.value: -1,
            Qt.Key.Key_Right.value: 1,
            Qt.Key.Key_Up.value: -self.columns,
            Qt.Key.Key_Down.value: self.columns,
        }
        if key in steps:
            target = index + steps[key]
            if key in (Qt.Key.Key_Left.value, Qt.Key.Key_Right.value):
                target %= len(self.boxes)
            self.move_to(target)
            return True
        if key == Qt.Key.Key_Home:
            self.move_to(0)
            return True
        if key == Qt.Key.Key_End:
            self.move_to(len(self.boxes) - 1)
            return True
        letter = event.text().strip().casefold()
        if len(letter) == 1 and letter.isalnum():
            count = len(self.boxes)
            for step in range(1, count + 1):
                candidate = (index + step) % count
                text = self.boxes[candidate].text().replace("&", "").strip().casefold()
                if text.startswith(letter):
                    self.move_to(candidate)
                    return True
            return True  # no box starts with it: nothing happens (never a stray tick)
        return False
