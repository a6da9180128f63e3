"""Bar charts for the Reports view (QtCharts), built from plain lists of numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from ui.qt import QDate, QDateTime, QLocale, QPainter, Qt, QTime, QWidget
from ui.qt_charts import (
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


def bar_chart(
    title: str,
    categories: Sequence[str],
    sets: Sequence[tuple[str, Sequence[float]]],
    *,
    horizontal: bool = False,
    whole: bool = True,
) -> QChart:
    """A chart of one bar set per (name, values), values lined up with ``categories``.

    Horizontal bars leave room for long category names (technicians, statuses). ``whole``:
    the values count things (jobs), so the axis steps by whole numbers.
    """
    chart = new_chart(title)
    series: QBarSeries | QHorizontalBarSeries = (
        QHorizontalBarSeries() if horizontal else QBarSeries()
    )
    highest = 0.0
    for name, values in sets:
        bar_set = QBarSet(name)
        for value in reversed(values) if horizontal else values:
            bar_set.append(float(value))
            highest = max(highest, float(value))
        series.append(bar_set)
    chart.addSeries(series)
    category_axis = QBarCategoryAxis()
    # Horizontal bars grow upwards from the first category; people read down from the top.
    category_axis.append(list(reversed(categories)) if horizontal else list(categories))
    # QtCharts elides a category that is taller or wider than its band ("…"); a chart
    # people read must show every name, so the axis takes the room its labels need.
    category_axis.setTruncateLabels(False)
    if horizontal and len(categories) > 6:
        font = category_axis.labelsFont()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        category_axis.setLabelsFont(font)
    value_axis = QValueAxis()
    scale(value_axis, highest, whole=whole)
    if horizontal:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(category_axis)
    series.attachAxis(value_axis)
    chart.legend().setVisible(len(sets) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def day_chart(
    title: str, days: Sequence[date], sets: Sequence[tuple[str, Sequence[int]]]
) -> QChart:
    """Lines of counts per day (any number of days: the date axis picks its own ticks)."""
    chart = new_chart(title)
    date_axis = QDateTimeAxis()
    date_axis.setFormat("d MMM")
    date_axis.setTickCount(min(max(len(days), 2), 8))
    value_axis = QValueAxis()
    chart.addAxis(date_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
    highest = 0
    for name, values in sets:
        series = QLineSeries()
        series.setName(name)
        for day, value in zip(days, values, strict=True):
            moment = QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0))
            series.append(float(moment.toMSecsSinceEpoch()), float(value))
            highest = max(highest, value)
        chart.addSeries(series)
        series.attachAxis(date_axis)
        series.attachAxis(value_axis)
    if days:
        first, last = days[0], days[-1]
        date_axis.setRange(
            QDateTime(QDate(first.year, first.month, first.day), QTime(0, 0)),
            QDateTime(QDate(last.year, last.month, last.day), QTime(23, 59)),
        )
    scale(value_axis, highest, whole=True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def new_chart(title: str) -> QChart:
    """An empty chart whose numbers are written as the desk's language writes them ("0,5")."""
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setLocale(QLocale())  # the desk's language, set as the default by apply_language
    chart.setLocalizeNumbers(True)
    return chart


def scale(axis: QValueAxis, highest: float, *, whole: bool) -> None:
    """Range and ticks from 0 to ``highest`` whose labels all differ (never "0, 0, 1, 1"):
    counts step by whole numbers, one tick per count when there are a few; other values
    get the decimals their step needs."""
    if whole and highest < 10:
        ticks = max(math.ceil(highest), 1)
        axis.setRange(0, ticks)
        axis.setTickCount(ticks + 1)
        axis.setLabelFormat("%.0f")
        return
    axis.setRange(0, highest if highest > 0 else 1)
    axis.applyNiceNumbers()
    top = axis.max()
    if whole:  # a step of 2.5 jobs: fewer ticks, each a whole number of jobs
        for count in range(axis.tickCount(), 1, -1):
            if float(top / (count - 1)).is_integer():
                axis.setTickCount(count)
                break
    step = (top - axis.min()) / max(axis.tickCount() - 1, 1)
    decimals = 0
    while decimals < 3 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-9:
        decimals += 1
    axis.setLabelFormat(f"%.{decimals}f")


class ChartView(QChartView):
    """A chart view that swaps its chart when the figures change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(320, 240)

    def show_chart(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
