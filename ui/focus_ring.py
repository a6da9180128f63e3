"""A button in focus that can be picked out at a glance.

The job card focuses the next move so that Space or Enter makes it; the style's
thin focus frame is easy to miss, so the focused button takes the highlight
colour (the palette's, so a dark theme keeps its contrast) until the focus leaves.
"""

from __future__ import annotations

from ui.qt import QAbstractButton, QEvent, QObject, QPalette


class FocusRing(QObject):
    """Colours a button while it has the keyboard focus; one filter serves many buttons."""

    def watch(self, button: QAbstractButton) -> None:
        button.installEventFilter(self)
        if button.hasFocus():
            self._light(button, on=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if isinstance(watched, QAbstractButton):
            if event.type() == QEvent.Type.FocusIn:
                self._light(watched, on=True)
            elif event.type() == QEvent.Type.FocusOut:
                self._light(watched, on=False)
        return False

    @staticmethod
    def _light(button: QAbstractButton, *, on: bool) -> None:
        if not on:
            button.setPalette(QPalette())  # back to the application's palette
            return
        palette = QPalette(button.palette())
        highlight = palette.color(QPalette.ColorRole.Highlight)
        palette.setColor(QPalette.ColorRole.Button, highlight)
        palette.setColor(
            QPalette.ColorRole.ButtonText, palette.color(QPalette.ColorRole.HighlightedText)
        )
        button.setPalette(palette)
