"""The reports' value axes never label two ticks alike ("0, 0, 1, 1" for two jobs)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytestqt.qtbot import QtBot

from ui.language import apply_language
from ui.qt_charts import QChart, QValueAxis
from ui.reports.charts import bar_chart, day_chart


def tick_labels(chart: QChart) -> list[str]:
    axes = [axis for axis in chart.axes() if isinstance(axis, QValueAxis)]
    assert len(axes) == 1
    axis = axes[0]
    count = axis.tickCount()
    step = (axis.max() - axis.min()) / (count - 1)
    return [axis.labelFormat() % (axis.min() + step * tick) for tick in range(count)]


@pytest.mark.parametrize("highest", [1, 2, 3, 7, 12, 25, 130])
def test_counted_jobs_are_labelled_in_whole_distinct_numbers(qtbot: QtBot, highest: int) -> None:
    for chart in (
        bar_chart("Jobs", ["a", "b"], [("Jobs", [highest, 0])], horizontal=True),
        day_chart(
            "Per day",
            [date(2026, 12, 1) + timedelta(days=n) for n in range(3)],
            [("In", [0, highest, 1])],
        ),
    ):
        labels = tick_labels(chart)
        assert len(set(labels)) == len(labels), labels
        assert all(float(label).is_integer() for label in labels), labels
        assert float(labels[-1]) >= highest


@pytest.mark.parametrize("highest", [0.0, 0.02, 0.4, 1.5, 7.25, 40.0])
def test_hours_get_the_decimals_their_ticks_need(qtbot: QtBot, highest: float) -> None:
    chart = bar_chart("Hours", ["a"], [("Median", [highest])], horizontal=True, whole=False)
    labels = tick_labels(chart)
    assert len(set(labels)) == len(labels), labels


def test_a_hungarian_axis_writes_a_decimal_comma(qtbot: QtBot) -> None:
    apply_language("hu")
    try:
        chart = bar_chart("Órák", ["a"], [("Medián", [0.4])], horizontal=True, whole=False)
    finally:
        apply_language("en")
    assert chart.localizeNumbers()
    assert chart.locale().toString(0.5, "f", 1) == "0,5"
