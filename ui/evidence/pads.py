"""Two drawing widgets: a 3×3 pattern lock and a signature pad.

Both work with a mouse, a pen tablet or a finger (Qt turns touches into mouse events), and
the pattern lock from the keyboard too: the digits 1–9 join dots, Backspace takes the last
back, Delete clears.
"""

from __future__ import annotations

import math
from itertools import pairwise

from repairshop.domain.evidence import parse_pattern
from repairshop.errors import ValidationError
from repairshop.i18n import _
from ui.qt import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPointF,
    QSize,
    Qt,
    QTabletEvent,
    QWidget,
    Signal,
)

Stroke = list[tuple[float, float]]


class PatternLockPad(QWidget):
    """Dots numbered 1–9 row by row; ``pattern`` is the dots joined, in order."""

    changed = Signal(str)
    """The pattern as stored ("1-5-9-6"), or "" when cleared."""

    def __init__(self, parent: QWidget | None = None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        self.dots: list[int] = []
        self.read_only = read_only
        self._drawing = False
        self.setMinimumSize(QSize(120, 120))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Pattern lock"))
        self.setAccessibleDescription(
            _("Draw the pattern, or type the dots' numbers 1 to 9; Delete clears it.")
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(150, 150)

    @property
    def pattern(self) -> str:
        return "-".join(str(dot) for dot in self.dots)

    def set_pattern(self, text: str) -> None:
        self.dots = [int(c) for c in text if c.isdigit()]
        self.update()

    def clear(self) -> None:
        self.dots = []
        self.update()
        self.changed.emit("")

    def is_complete(self) -> bool:
        try:
            return bool(parse_pattern(self.dots))
        except ValidationError:
            return False

    # geometry: dot n (1–9) at column (n-1) % 3, row (n-1) // 3
    def _cell(self) -> float:
        return min(self.width(), self.height()) / 3

    def centre(self, dot: int) -> QPointF:
        cell = self._cell()
        left = (self.width() - 3 * cell) / 2
        top = (self.height() - 3 * cell) / 2
        column, row = (dot - 1) % 3, (dot - 1) // 3
        return QPointF(left + (column + 0.5) * cell, top + (row + 0.5) * cell)

    def dot_at(self, point: QPointF) -> int | None:
        radius = self._cell() * 0.32
        for dot in range(1, 10):
            centre = self.centre(dot)
            if math.hypot(point.x() - centre.x(), point.y() - centre.y()) <= radius:
                return dot
        return None

    def _join(self, dot: int) -> None:
        if dot in self.dots:
            return
        if self.dots:
            # Passing straight over a dot joins it too, as a phone does.
            (row1, column1), (row2, column2) = divmod(self.dots[-1] - 1, 3), divmod(dot - 1, 3)
            if (row1 + row2) % 2 == 0 and (column1 + column2) % 2 == 0:
                middle = (row1 + row2) // 2 * 3 + (column1 + column2) // 2 + 1
                if middle not in self.dots:
                    self.dots.append(middle)
        self.dots.append(dot)
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.read_only or event.button() != Qt.MouseButton.LeftButton:
            return
        self.dots = []
        self._drawing = True
        dot = self.dot_at(event.position())
        if dot is not None:
            self._join(dot)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._drawing:
            dot = self.dot_at(event.position())
            if dot is not None:
                self._join(dot)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._drawing:
            self._drawing = False
            self.changed.emit(self.pattern)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        text = event.text()
        if self.read_only:
            super().keyPressEvent(event)
        elif text and text in "123456789":
            self._join(int(text))
            self.changed.emit(self.pattern)
        elif event.key() == Qt.Key.Key_Backspace and self.dots:
            self.dots.pop()
            self.update()
            self.changed.emit(self.pattern)
        elif event.key() == Qt.Key.Key_Delete:
            self.clear()
        else:
            super().keyPressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        cell = self._cell()
        text = palette.color(QPalette.ColorRole.WindowText)
        line = QColor(palette.color(QPalette.ColorRole.Highlight))
        painter.setPen(QPen(line, max(cell * 0.08, 2.0)))
        for first, second in pairwise(self.dots):
            painter.drawLine(self.centre(first), self.centre(second))
        for dot in range(1, 10):
            centre = self.centre(dot)
            chosen = dot in self.dots
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(line if chosen else text)
            radius = cell * (0.14 if chosen else 0.07)
            painter.drawEllipse(centre, radius, radius)
            if chosen:
                painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
                order = str(self.dots.index(dot) + 1)
                painter.drawText(
                    int(centre.x() - radius),
                    int(centre.y() - radius),
                    int(2 * radius),
                    int(2 * radius),
                    Qt.AlignmentFlag.AlignCenter,
                    order,
                )
        if self.hasFocus():
            painter.setPen(QPen(line, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class SignaturePad(QWidget):
    """Strokes drawn with a mouse, pen or finger, kept scaled to 0…1 of the pad."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[Stroke] = []
        self._drawing = False
        self.setMinimumSize(QSize(360, 120))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setAccessibleName(_("Signature pad"))
        self.setAccessibleDescription(_("The customer signs here with a mouse, pen or finger."))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, 160)

    @property
    def aspect(self) -> float:
        return self.width() / max(self.height(), 1)

    def is_empty(self) -> bool:
        return sum(len(stroke) for stroke in self.strokes) < 2

    def clear(self) -> None:
        self.strokes = []
        self.update()
        self.changed.emit()

    def _point(self, position: QPointF) -> tuple[float, float]:
        x = min(max(position.x() / max(self.width(), 1), 0.0), 1.0)
        y = min(max(position.y() / max(self.height(), 1), 0.0), 1.0)
        return (x, y)

    def _begin(self, position: QPointF) -> None:
        self._drawing = True
        self.strokes.append([self._point(position)])
        self.update()

    def _extend(self, position: QPointF) -> None:
        if self._drawing:
            self.strokes[-1].append(self._point(position))
            self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self._extend(event.position())

    def mouseReleaseEvent(self, _event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Delete:
            self.clear()
        else:
            super().keyPressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#bbbbbb"), 1, Qt.PenStyle.DashLine))
        baseline = int(self.height() * 0.78)
        painter.drawLine(12, baseline, self.width() - 12, baseline)
        pen = QPen(QColor("black"), 2.2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        w, h = self.width(), self.height()
        for stroke in self.strokes:
            for (x1, y1), (x2, y2) in pairwise(stroke):
                painter.drawLine(QPointF(x1 * w, y1 * h), QPointF(x2 * w, y2 * h))
        if self.hasFocus():
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 1))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()
