"""The Reports view (turnaround and workload, with charts) and the dashboard tiles.

``ui/app.py`` places :class:`ReportsView` and :class:`DashboardTiles`; both take
the :class:`~ui.context.AppContext` and nothing else.
"""

from ui.reports.tiles import DashboardTiles
from ui.reports.view import ReportsView

__all__ = ["DashboardTiles", "ReportsView"]
