"""Item models of the parts views.

:class:`PartTableModel` holds only part ids and fetches the rows it is asked to
show a page at a time (cf. Anki's browser table), so a long catalogue scrolls
like a short one. The other models show small, already loaded lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

from repairshop.i18n import N_, _, format_figure, format_moment
from repairshop.services.parts.job_parts import JobPartLine
from repairshop.services.parts.purchasing import OrderView
from repairshop.services.parts.stock import MovementView, PartView, find_part_ids, parts_by_ids
from repairshop.services.parts.stocktake import CountLine
from ui.context import AppContext
from ui.operations import ReadOp
from ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from ui.tables import RIGHT, Figure, Index, RecordsModel, figure

PAGE = 100
LOW_STOCK = QColor("#b3261e")
T = TypeVar("T")
NUMERIC = frozenset(
    {
        "On hand",
        "Reserved",
        "Available",
        "Reorder at",
        "Price",
        "Used",
        "Unit price",
        "Total",
        "Counted",
        "Difference",
        "Ordered",
        "Received",
        "Unit cost",
        "Lines",
    }
)
"""Column titles (source text) whose values line up on the right."""


def _money(amount: Decimal | None) -> Figure | None:
    """A price as the job's Costs beside it write it ("899,00"; "899" in forints)."""
    return figure(amount)


class ListTableModel(RecordsModel[T]):
    """A read-only table over a list of records, one column per ``(title, value)``; the
    columns titled in :data:`NUMERIC` line up on the right."""

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[T], object]]],
        parent: QObject | None = None,
    ) -> None:
        numeric = frozenset(c for c, (title, _value) in enumerate(columns) if title in NUMERIC)
        super().__init__(columns, numeric, parent)


PART_COLUMNS: list[tuple[str, Callable[[PartView], object]]] = [
    (N_("SKU"), lambda p: p.sku),
    (N_("Name"), lambda p: p.name),
    (N_("On hand"), lambda p: p.on_hand),
    (N_("Reserved"), lambda p: p.reserved),
    (N_("Available"), lambda p: p.available),
    (N_("Reorder at"), lambda p: p.reorder_level or ""),
    (N_("Location"), lambda p: p.location),
    (N_("Price"), lambda p: _money(p.price)),
    (N_("Compatible with"), lambda p: p.compatible),
]
PART_REORDER_COLUMN = 5
PART_LOCATION_COLUMN = 6
PART_PRICE_COLUMN = 7
PART_COMPATIBLE_COLUMN = 8


class PartTableModel(QAbstractTableModel):
    """The catalogue: ids for the whole search, rows fetched a page at a time on the worker."""

    loaded = Signal()
    """The ids of a new search are shown."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._ids: list[int] = []
        self._rows: dict[int, PartView] = {}
        self._generation = 0
        self._pending_pages: set[int] = set()
        self.text = ""
        self.low_only = False

    def search(self, text: str, *, low_only: bool) -> None:
        self.text, self.low_only = text, low_only
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation, text, low_only = self._generation, self.text, self.low_only
        ReadOp(self.context, self, lambda uow: find_part_ids(uow, text, low_only=low_only)).success(
            lambda ids: self._apply_ids(generation, ids)
        ).run()

    def _apply_ids(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return  # a newer search was asked for meanwhile
        self.beginResetModel()
        self._ids = ids
        self._rows = {}
        self._pending_pages.clear()
        self.endResetModel()
        self.loaded.emit()

    def refresh_parts(self, part_ids: Sequence[int]) -> None:
        """Re-read the rows of parts that changed, if shown."""
        shown = [i for i in part_ids if i in self._rows]
        for part_id in shown:
            del self._rows[part_id]
        for part_id in shown:
            row = self._ids.index(part_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(PART_COLUMNS) - 1))

    def part_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, part_id: int) -> int | None:
        return self._ids.index(part_id) if part_id in self._ids else None

    def part(self, row: int) -> PartView | None:
        """The row's part, or ``None`` while its page is being fetched (its cells fill in then)."""
        part_id = self.part_id(row)
        if part_id is None:
            return None
        if part_id not in self._rows:
            self._fetch_page(row - row % PAGE)
        return self._rows.get(part_id)

    @property
    def rows_pending(self) -> bool:
        return bool(self._pending_pages)

    def _fetch_page(self, start: int) -> None:
        if start in self._pending_pages:
            return
        self._pending_pages.add(start)
        missing = [i for i in self._ids[start : start + PAGE] if i not in self._rows]
        generation = self._generation
        ReadOp(self.context, self, lambda uow: parts_by_ids(uow, missing)).success(
            lambda views: self._page_arrived(generation, start, views)
        ).failure(lambda error: self._page_failed(start, error)).run()

    def _page_arrived(self, generation: int, start: int, views: list[PartView]) -> None:
        if generation != self._generation:
            return
        self._pending_pages.discard(start)
        for view in views:
            self._rows[view.id] = view
        if self._ids:
            last = self.index(len(self._ids) - 1, len(PART_COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _page_failed(self, start: int, error: Exception) -> None:
        self._pending_pages.discard(start)
        self.context.show_error(None, error)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(PART_COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(PART_COLUMNS)
        ):
            return _(PART_COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.column() < len(PART_COLUMNS):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if PART_COLUMNS[index.column()][0] in NUMERIC else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole):
            return None
        part = self.part(index.row())
        if part is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(LOW_STOCK) if part.is_low else None
        value = PART_COLUMNS[index.column()][1](part)
        if isinstance(value, Figure):
            return format_figure(value.amount, part.currency)
        return "" if value is None else str(value)


def _movement_reference(m: MovementView) -> str:
    return " ".join(x for x in (m.job_code, m.order_number, m.serial) if x)


PART_WIDTHS = (110, 250, 70, 70, 75, 80, 70, 80)
MOVEMENT_WIDTHS = (120, 150, 65, 65, 120, 70)
JOB_PART_WIDTHS = (110, 220, 70, 60, 85, 85, 85)
ORDER_WIDTHS = (90, 220, 120, 50, 90)
COUNT_WIDTHS = (110, 240, 80, 70, 70)
LINE_WIDTHS = (110, 260, 70, 70)

MOVEMENT_COLUMNS: list[tuple[str, Callable[[MovementView], object]]] = [
    (N_("When"), lambda m: format_moment(m.at)),
    (N_("Movement"), lambda m: m.kind.label),
    (N_("On hand"), lambda m: f"{m.on_hand_delta:+d}" if m.on_hand_delta else ""),
    (N_("Reserved"), lambda m: f"{m.reserved_delta:+d}" if m.reserved_delta else ""),
    (N_("Job / order"), _movement_reference),
    (N_("Who"), lambda m: m.user),
    (N_("Why"), lambda m: m.reason),
]

JOB_PART_COLUMNS: list[tuple[str, Callable[[JobPartLine], object]]] = [
    (N_("SKU"), lambda line: line.sku),
    (N_("Part"), lambda line: line.name),
    (N_("Reserved"), lambda line: line.reserved or ""),
    (N_("Used"), lambda line: line.used or ""),
    (
        N_("Waiting for"),
        lambda line: line.waiting or (_("arrived") if line.arrived else ""),
    ),
    (N_("Unit price"), lambda line: _money(line.unit_price)),
    (N_("Total"), lambda line: _money(line.total)),
    (N_("Serials"), lambda line: ", ".join(line.serials)),
]

ORDER_COLUMNS: list[tuple[str, Callable[[OrderView], object]]] = [
    (N_("Order"), lambda o: o.number),
    (N_("Supplier"), lambda o: o.supplier),
    (N_("Status"), lambda o: o.status.label),
    (N_("Lines"), lambda o: len(o.lines)),
    (N_("Total"), lambda o: _money(o.total)),
    (N_("Created"), lambda o: format_moment(o.created_at)),
]

COUNT_COLUMNS: list[tuple[str, Callable[[CountLine], object]]] = [
    (N_("SKU"), lambda c: c.sku),
    (N_("Part"), lambda c: c.name),
    (N_("Location"), lambda c: c.location),
    (N_("On hand"), lambda c: c.on_hand),
    (N_("Counted"), lambda c: c.counted),
    (N_("Difference"), lambda c: f"{c.difference:+d}" if c.difference else ""),
]
