"""The Reports view (turnaround and workload, with charts) and the dashboard tiles.

``ui/app.py`` places :class:`ReportsView` (built on its tab's first show, so QtCharts
loads then) and :class:`DashboardTiles`; both take the :class:`~ui.context.AppContext`
and nothing else. ``ReportsView`` is imported from here only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui.reports.tiles import DashboardTiles

if TYPE_CHECKING:
    from ui.reports.view import ReportsView

__all__ = ["DashboardTiles", "ReportsView"]


def __getattr__(name: str) -> Any:
    if name == "ReportsView":
        from ui.reports.view import ReportsView

        return ReportsView
    raise AttributeError(name)
