"""The Jobs list's sort arrow points the way its rows run: down when the newest come first."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.ops import wait_idle
from ui.job_list import JobsView
from ui.main_window import MainWindow
from ui.qt import QHeaderView, Qt


def arrow_points_down(header: QHeaderView, column: int) -> bool:
    """The sort arrow drawn at the right end of ``column`` (what the header shows there more
    than without it): wider at its top (▼) than at its bottom (▲)."""
    header.setSortIndicatorShown(False)
    bare = header.grab().toImage()
    header.setSortIndicatorShown(True)
    image = header.grab().toImage()
    left = header.sectionViewportPosition(column)
    right = left + header.sectionSize(column)
    widths = [
        sum(
            1
            for x in range(max(left, right - 20), right)
            if image.pixelColor(x, y) != bare.pixelColor(x, y)
        )
        for y in range(header.height())
    ]
    drawn = [width for width in widths if width]
    assert len(drawn) >= 2, widths  # an arrow is drawn
    return drawn[0] > drawn[-1]


def test_the_arrow_follows_the_order(qtbot: QtBot, window: MainWindow) -> None:
    jobs = window.show_view("jobs")
    assert isinstance(jobs, JobsView)
    wait_idle(qtbot, window.context)
    header = jobs.table.horizontalHeader()
    # The list opens newest first, as its Descending box says.
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert jobs.descending.isChecked()
    assert arrow_points_down(header, header.sortIndicatorSection())
    jobs.descending.setChecked(False)  # oldest first: the arrow turns up
    wait_idle(qtbot, window.context)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert not arrow_points_down(header, header.sortIndicatorSection())
