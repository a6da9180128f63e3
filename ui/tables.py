"""The one table look: rows selected whole, no wrapping, columns wide enough for their heading."""

from __future__ import annotations

from collections.abc import Sequence

from ui.qt import QAbstractItemModel, QAbstractItemView, QHeaderView, QTableView, QWidget


def make_table(
    parent: QWidget, model: QAbstractItemModel, widths: Sequence[int] = ()
) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    style_table(view)
    set_column_widths(view, widths)
    return view


def style_table(view: QTableView, row_padding: int = 8) -> None:
    """Whole rows selected one at a time, alternating colours, one line a row."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + row_padding)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.horizontalHeader().setStretchLastSection(True)


def set_column_widths(view: QTableView, widths: Sequence[int]) -> None:
    """Each column as wide as given, or as its (translated) heading needs if that is more."""
    header = view.horizontalHeader()
    for column, width in enumerate(widths):
        view.setColumnWidth(column, max(width, header.sectionSizeHint(column)))


def widen_to_headings(view: QTableView) -> None:
    """Widen any column narrower than its heading (a width saved in another language)."""
    header = view.horizontalHeader()
    for column in range(header.count() - 1):
        needed = header.sectionSizeHint(column)
        if header.sectionSize(column) < needed:
            header.resizeSection(column, needed)
