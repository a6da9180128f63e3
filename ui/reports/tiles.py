"""The dashboard tiles: overdue now, ready for pickup, waiting for parts, taken in today.

A click asks for the matching job list: :attr:`DashboardTiles.filter_requested`
carries the :class:`~repairshop.services.jobs.listing.JobFilter` whose jobs the tile
counted; the main window shows them in the Jobs view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from repairshop.i18n import format_number
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.reports.tiles import DashboardCounts, Tile
from ui.qt import QHBoxLayout, QPushButton, QSizePolicy, QTimer, QWidget, Signal

if TYPE_CHECKING:  # the tiles are shown before the database layer loads (a start's first look)
    from ui.context import AppContext

REFRESH_MS = 5 * 60 * 1000
"""Counts follow the clock too (a job becomes overdue at midnight)."""

_STYLE = """
QPushButton {{ text-align: left; padding: 5px 14px; border-radius: 6px;
               border: 1px solid {border}; background: {background}; color: {text}; }}
QPushButton:hover {{ border: 2px solid {text}; }}
"""
_COLOURS = {
    "alert": ("#c62828", "#fdecea", "#8e1b1b"),
    "calm": ("#9fb7cc", "#f2f6fa", "#1f3b57"),
}


class DashboardTiles(QWidget):
    filter_requested = Signal(object)
    """Emitted with a :class:`JobFilter` when a tile is clicked."""

    context: AppContext

    def __init__(
        self,
        context: AppContext | None,
        parent: QWidget | None = None,
        *,
        counts: DashboardCounts | None = None,
    ) -> None:
        """With ``context`` None the tiles show ``counts`` (read by a start's first look)
        until :meth:`attach` gives them the desk's context to read and follow."""
        super().__init__(parent)
        self.counts: DashboardCounts | None = None
        self.buttons: dict[Tile, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for tile in Tile:
            button = QPushButton(self)
            button.setObjectName(f"tile_{tile.value}")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.setMinimumHeight(56)
            font = button.font()
            font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.1)
            button.setFont(font)
            # Styled from the start, so the tiles are as high before their counts arrive
            # as after (the window's size must not jump once they are read).
            border, background, text = _COLOURS["calm"]
            button.setStyleSheet(_STYLE.format(border=border, background=background, text=text))
            button.setText("\n")
            button.clicked.connect(lambda _checked=False, t=tile: self.open_tile(t))
            button.setEnabled(False)
            self.buttons[tile] = button
            layout.addWidget(button)
        if counts is not None:
            self._show_counts(counts)
        if context is not None:
            self.attach(context)

    def attach(self, context: AppContext) -> None:
        """Read the counts through ``context`` now, on every change to a job, and every
        few minutes (a job becomes overdue at midnight)."""
        self.context = context
        timer = QTimer(self)
        timer.setInterval(REFRESH_MS)
        timer.timeout.connect(self.refresh)
        timer.start()
        context.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        from repairshop.services.reports.workload import dashboard_counts
        from ui.operations import ReadOp

        ReadOp(self.context, self, dashboard_counts, self._show_counts).run()

    def _show_counts(self, counts: DashboardCounts) -> None:
        self.counts = counts
        for tile, button in self.buttons.items():
            count = counts.counts[tile]
            button.setText(f"{format_number(count)}\n{tile.label}")
            button.setEnabled(True)
            alert = tile in (Tile.OVERDUE, Tile.COMPLAINTS_DUE) and count > 0
            border, background, text = _COLOURS["alert" if alert else "calm"]
            button.setStyleSheet(_STYLE.format(border=border, background=background, text=text))

    def open_tile(self, tile: Tile) -> None:
        """Ask for the jobs the tile counted (the tiles are enabled once counted)."""
        if self.counts is not None:
            self.filter_requested.emit(self.counts.filters[tile])

    def _on_changed(self, changes: object) -> None:
        if isinstance(changes, Changes) and changes.touches(ChangeKind.JOB):
            self.refresh()
