"""The one table look: rows selected whole, no wrapping, columns wide enough for their heading,
and every column within the table's width (:func:`fit_to_width`): nothing falls off the right."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from repairshop.i18n import _, format_figure
from ui.qt import (
    QAbstractItemModel,
    QAbstractItemView,
    QAbstractTableModel,
    QEvent,
    QHeaderView,
    QLabel,
    QModelIndex,
    QObject,
    QPainter,
    QPersistentModelIndex,
    QProxyStyle,
    QSplitter,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

MIN_TEXT_COLUMN = 48
"""A text column is never squeezed below its heading, nor below this."""


def make_table(
    parent: QWidget,
    model: QAbstractItemModel,
    widths: Sequence[int] = (),
    *,
    keep: Sequence[int] = (),
) -> QTableView:
    """A table in the one look; ``keep``: columns never narrowed to fit (figures, dates)."""
    view = QTableView(parent)
    view.setModel(model)
    style_table(view)
    set_column_widths(view, widths)
    fit_to_width(view, keep)
    return view


class _FitToWidth(QObject):
    """Keeps a table's columns within its width: each at its own width while they fit, else
    the text columns give way (their long texts end in "…"), never the kept ones nor a
    heading. A width the person drags becomes that column's own."""

    def __init__(self, view: QTableView, keep: Sequence[int]) -> None:
        super().__init__(view)
        self.view = view
        self.keep = frozenset(keep)
        header = view.horizontalHeader()
        self.natural = [header.sectionSize(c) for c in range(header.count())]
        self._fitting = False
        header.setStretchLastSection(False)  # the last column is stretched here, within reach
        view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._resized)
        header.sectionCountChanged.connect(lambda *_args: self.fit())
        model = view.model()
        if model is not None:
            model.modelReset.connect(self.fit)

    def _resized(self, column: int, old: int, new: int) -> None:
        if self._fitting or column >= len(self.natural):
            return
        if old == 0 or new == 0:  # a column shown or hidden: the others make room or fill
            QTimer.singleShot(0, self, self.fit)
            return
        header = self.view.horizontalHeader()
        visible = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if visible and column != visible[-1]:
            self.natural[column] = new  # dragged by hand: that is its width now

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        header = self.view.horizontalHeader()
        count = header.count()
        while len(self.natural) < count:
            self.natural.append(header.sectionSize(len(self.natural)))
        visible = [c for c in range(count) if not header.isSectionHidden(c)]
        if len(visible) < 2:
            return
        *fixed, last = visible
        floor = {c: max(header.sectionSizeHint(c), MIN_TEXT_COLUMN) for c in fixed}
        widths = {c: max(self.natural[c], floor[c]) for c in fixed}
        last_floor = header.sectionSizeHint(last)
        if last in self.keep:  # a kept column stays whole, also when it is the last
            last_floor = max(last_floor, self.natural[last])
        available = self.view.viewport().width()
        excess = sum(widths.values()) + last_floor - available
        room = {c: widths[c] - floor[c] for c in fixed if c not in self.keep}
        total_room = sum(room.values())
        if excess > 0 and total_room > 0:
            share = min(1.0, excess / total_room)
            for column, spare in room.items():
                widths[column] -= int(spare * share + 0.999)
        widths[last] = max(last_floor, available - sum(widths.values()))
        self._fitting = True
        try:
            for column, width in widths.items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False


def fit_to_width(view: QTableView, keep: Sequence[int] = ()) -> None:
    """Keep ``view``'s columns within its width; the columns in ``keep`` never give way."""
    fitter = _FitToWidth(view, keep)
    fitter.fit()


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


@dataclass(frozen=True)
class ListAndHistory:
    """A list above, the chosen row's summary and history below (the Returns tabs)."""

    splitter: QSplitter
    table: QTableView
    detail: QWidget
    pane: QVBoxLayout
    summary: QLabel
    history: QTableView


def list_and_history(
    parent: QWidget,
    model: QAbstractItemModel,
    widths: Sequence[int],
    name: str,
    *,
    history_model: QAbstractItemModel,
    history_widths: Sequence[int],
    history_name: str,
) -> ListAndHistory:
    """The list and, in a pane under a splitter, a selectable summary and the history table;
    the caller adds its fields and buttons to ``pane``."""
    splitter = QSplitter(Qt.Orientation.Vertical, parent)
    table = make_table(splitter, model, widths)
    table.setAccessibleName(name)
    splitter.addWidget(table)
    detail = QWidget(splitter)
    pane = QVBoxLayout(detail)
    pane.setContentsMargins(0, 0, 0, 0)
    summary = QLabel(detail)
    summary.setWordWrap(True)
    summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    pane.addWidget(summary)
    history = make_table(detail, history_model, history_widths)
    history.setAccessibleName(history_name)
    pane.addWidget(history, 1)
    splitter.addWidget(detail)
    return ListAndHistory(splitter, table, detail, pane, summary, history)


@dataclass(frozen=True)
class Figure:
    """An amount of money in a table's cell, written as its currency is everywhere else
    ("899,00" in zloty, "899" in forints: :func:`~repairshop.i18n.format_figure`)."""

    amount: Decimal


def figure(amount: Decimal | None) -> Figure | None:
    return None if amount is None else Figure(amount)


class RecordsModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of records, one column per ``(title, value)`` (the title
    in source text, translated when shown); the ``numeric`` columns, by position, line up on
    the right. A value of None shows as nothing."""

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[T], object]]],
        numeric: frozenset[int] = frozenset(),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._numeric = numeric
        self._rows: list[T] = []
        self.currency = ""
        """The currency of the table's :class:`Figure` amounts (else each record's own)."""

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return _(self._columns[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        record = self.row(index.row()) if index.isValid() else None
        if record is None or not 0 <= index.column() < len(self._columns):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if index.column() in self._numeric else None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._columns[index.column()][1](record)
            if isinstance(value, Figure):
                currency = self.currency or str(getattr(record, "currency", ""))
                return format_figure(value.amount, currency)
            return "" if value is None else str(value)
        return None


class SortArrowStyle(QProxyStyle):
    """The sort arrow points the way the rows run: down for the newest (largest) first.

    Qt hands a style "sort up" for a descending order, and Fusion draws it as an arrow
    pointing up over a list that runs from the newest down: the arrow is turned round.
    """

    def drawPrimitive(  # noqa: N802
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(
            option, QStyleOptionHeader
        ):
            turned = QStyleOptionHeader(option)
            up, down = (
                QStyleOptionHeader.SortIndicator.SortUp,
                QStyleOptionHeader.SortIndicator.SortDown,
            )
            turned.sortIndicator = down if option.sortIndicator == up else up
            option = turned
        super().drawPrimitive(element, option, painter, widget)


def point_sort_arrow(view: QTableView) -> None:
    """The view's sort arrow drawn as its rows run (see :class:`SortArrowStyle`)."""
    header = view.horizontalHeader()
    style = SortArrowStyle()
    style.setParent(header)  # lives as long as the header that draws with it
    header.setStyle(style)
