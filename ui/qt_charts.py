"""QtCharts, for the Reports view only: imported when that view is first shown, not at start."""

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)

__all__ = [
    "QBarCategoryAxis",
    "QBarSeries",
    "QBarSet",
    "QChart",
    "QChartView",
    "QDateTimeAxis",
    "QHorizontalBarSeries",
    "QLineSeries",
    "QValueAxis",
]
