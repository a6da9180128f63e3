"""The one table look of the parts views: rows selected whole, no wrapping, sensible widths."""

from __future__ import annotations

from collections.abc import Sequence

from ui.qt import QAbstractItemModel, QAbstractItemView, QHeaderView, QTableView, QWidget


def make_table(
    parent: QWidget, model: QAbstractItemModel, widths: Sequence[int] = ()
) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.horizontalHeader().setStretchLastSection(True)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view
