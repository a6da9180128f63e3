"""The Parts view: a searchable catalogue with a low-stock filter and the part card beside it."""

from __future__ import annotations

from repairshop.errors import NotFound
from repairshop.i18n import _, format_number, ngettext
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.parts.stock import MovementView, PartView, movements, part_by_id
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.money.services_view import ServicesView
from ui.operations import ReadOp
from ui.parts.dialogs import AdjustDialog, PartDialog, ReceiveDialog
from ui.parts.import_dialog import ImportDialog
from ui.parts.models import (
    MOVEMENT_COLUMNS,
    MOVEMENT_WIDTHS,
    PART_COMPATIBLE_COLUMN,
    PART_LOCATION_COLUMN,
    PART_PRICE_COLUMN,
    PART_REORDER_COLUMN,
    PART_WIDTHS,
    ListTableModel,
    PartTableModel,
)
from ui.parts.orders_view import OrdersView
from ui.parts.stocktake_view import StockTakeView
from ui.qt import (
    QCheckBox,
    QFont,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPushButton,
    QSplitter,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.scan_input import known_part, read_scans
from ui.tables import make_table

MOVEMENTS_SHOWN = 200


class PartCard(QWidget):
    """One part: stock figures, catalogue details, suppliers, and its movement history."""

    shown = Signal()
    """The part asked for is shown."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._asked: int | None = None
        self.context = context
        self.part: PartView | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.stock = QLabel(self)
        layout.addWidget(self.stock)
        details = QFormLayout()
        self.location = QLabel(self)
        self.prices = QLabel(self)
        self.reorder = QLabel(self)
        self.compatible = QLabel(self)
        self.compatible.setWordWrap(True)
        self.suppliers = QLabel(self)
        self.suppliers.setWordWrap(True)
        self.serials = QLabel(self)
        self.serials.setWordWrap(True)
        details.addRow(_("Location:"), self.location)
        details.addRow(_("Price / cost:"), self.prices)
        details.addRow(_("Reorder:"), self.reorder)
        details.addRow(_("Compatible with:"), self.compatible)
        details.addRow(_("Suppliers:"), self.suppliers)
        details.addRow(_("Serials in stock:"), self.serials)
        layout.addLayout(details)
        buttons = QHBoxLayout()
        self.receive_button = QPushButton(_("&Receive…"), self)
        self.receive_button.clicked.connect(self.receive)
        self.adjust_button = QPushButton(_("C&orrect…"), self)
        self.adjust_button.clicked.connect(self.adjust)
        self.edit_button = QPushButton(_("&Edit…"), self)
        self.edit_button.clicked.connect(self.edit)
        buttons.addWidget(self.receive_button)
        buttons.addWidget(self.adjust_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(_("Movements"), self))
        self.movement_model: ListTableModel[MovementView] = ListTableModel(MOVEMENT_COLUMNS, self)
        self.movements = make_table(self, self.movement_model, MOVEMENT_WIDTHS, keep=[0])
        self.movements.setAccessibleName(_("Movements"))
        layout.addWidget(self.movements, 1)
        self.show_part(None)

    def show_part(self, part_id: int | None) -> None:
        """Show the part (read on the worker; :attr:`shown` says when), or nothing."""
        self._asked = part_id
        if part_id is None:
            self._show(None, None, [])
            return

        def query(uow: UnitOfWork) -> tuple[PartView | None, list[MovementView]]:
            try:
                part = part_by_id(uow, part_id)
            except NotFound:
                return None, []
            return part, movements(uow, part.sku, MOVEMENTS_SHOWN)

        ReadOp(self.context, self, query).success(lambda found: self._show(part_id, *found)).run()

    def _show(self, part_id: int | None, part: PartView | None, found: list[MovementView]) -> None:
        if part_id != self._asked:
            return  # another part was chosen meanwhile
        self.part = part
        self.movement_model.set_rows(found)
        self._fill()
        self.shown.emit()

    def _fill(self) -> None:
        part = self.part
        for button in (self.receive_button, self.adjust_button, self.edit_button):
            button.setEnabled(part is not None)
        if part is None:
            self.title.setText(_("Choose a part"))
            for label in (
                self.stock,
                self.location,
                self.prices,
                self.reorder,
                self.compatible,
                self.suppliers,
                self.serials,
            ):
                label.clear()
            return
        self.title.setText(f"{part.sku} — {part.name}")
        self.stock.setText(
            _("{on_hand} on hand · {reserved} reserved · {available} available").format(
                on_hand=part.on_hand, reserved=part.reserved, available=part.available
            )
        )
        self.location.setText(part.location or "—")
        self.prices.setText(
            f"{format_number(part.price)} / {format_number(part.cost)} {part.currency}"
        )
        self.reorder.setText(
            _("at {level}, order {quantity}").format(
                level=part.reorder_level, quantity=part.reorder_quantity
            )
            if part.reorder_level
            else "—"
        )
        self.compatible.setText(part.compatible or "—")
        self.suppliers.setText(
            "; ".join(
                f"{s.supplier} ({s.supplier_sku})" if s.supplier_sku else s.supplier
                for s in part.suppliers
            )
            or "—"
        )
        self.serials.setText(", ".join(part.serials_in_stock) if part.serialised else "—")

    def receive(self) -> None:
        if self.part is not None:
            ReceiveDialog(self.context, self.part, self).exec()

    def adjust(self) -> None:
        if self.part is not None:
            AdjustDialog(self.context, self.part, self).exec()

    def edit(self) -> None:
        if self.part is not None:
            PartDialog(self.context, self.part, self).exec()


class CatalogueView(QWidget):
    """The searchable, lazy catalogue list beside the part card."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_("Scan a part label or search: SKU, name, device…"))
        self.search.setClearButtonEnabled(True)
        self.low_only = QCheckBox(_("&Low stock only"), self)
        self.new_button = QPushButton(_("&New part…"), self)
        self.new_button.clicked.connect(self.new_part)
        self.import_button = QPushButton(_("&Import CSV…"), self)
        self.import_button.clicked.connect(self.import_catalogue)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.low_only)
        bar.addWidget(self.new_button)
        bar.addWidget(self.import_button)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = PartTableModel(context, self)
        self.model.loaded.connect(self._loaded_parts)
        self._select_first = False
        self.table = make_table(splitter, self.model, PART_WIDTHS, keep=[0, PART_PRICE_COLUMN])
        self.table.setAccessibleName(_("Parts"))
        self.search.setAccessibleName(_("Search"))
        self.card = PartCard(context, splitter)
        splitter.addWidget(self.table)
        splitter.addWidget(self.card)
        splitter.setStretchFactor(0, 1)  # half each: the card's movements fit too
        splitter.setStretchFactor(1, 1)
        # Where it lies, when to reorder and what it fits are on its card beside (a low part's
        # row is red): the list keeps to its width in every language.
        for column in (PART_REORDER_COLUMN, PART_LOCATION_COLUMN, PART_COMPATIBLE_COLUMN):
            self.table.setColumnHidden(column, True)
        layout.addWidget(splitter, 1)
        self.count = QLabel(self)
        layout.addWidget(self.count)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        read_scans(self.search, known_part(context, self.search))
        self.search.returnPressed.connect(self._scanned)
        self.low_only.toggled.connect(lambda _on: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        context.changed.connect(self._on_changed)
        self._loaded = False

    def showEvent(self, event: object) -> None:  # noqa: N802
        """Load the catalogue the first time the view is shown, not when it is built."""
        if not self._loaded:
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def reload(self) -> None:
        """Search again on the worker; the list, count and chosen part show when it is done."""
        self._debounce.stop()
        self._loaded = True
        self.model.search(self.search.text(), low_only=self.low_only.isChecked())

    def _loaded_parts(self) -> None:
        current = self.card.part.id if self.card.part else None
        shown = self.model.rowCount()
        self.count.setText(ngettext("{count} part", "{count} parts", shown).format(count=shown))
        row = self.model.row_of(current) if current is not None else None
        if row is None and (shown == 1 or (self._select_first and shown >= 1)):
            row = 0
        self._select_first = False
        if row is not None:
            self.table.selectRow(row)
        else:
            self.card.show_part(None)

    def new_part(self) -> None:
        """Add a part to the catalogue and show it, found by its SKU."""
        dialog = PartDialog(self.context, None, self)
        if dialog.exec() and dialog.result_ is not None:
            self.search.setText(dialog.sku.text().strip())
            self._scanned()

    def import_catalogue(self) -> None:
        ImportDialog(self.context, self).exec()

    def _scanned(self) -> None:
        """Enter in the search box (a scanner's Enter): show that part at once."""
        self._select_first = True
        self.reload()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.card.show_part(self.model.part_id(current.row()) if current.isValid() else None)

    def _on_changed(self, changes: Changes) -> None:
        if not changes.touches(ChangeKind.PART):
            return
        if not self._loaded:
            return  # loads when first shown
        if (
            ChangeKind.ALL in changes.kinds
            or not changes.part_ids
            or any(self.model.row_of(part_id) is None for part_id in changes.part_ids)
        ):
            self.reload()  # a new part (maybe from another desk), or one that may now match
            return
        self.model.refresh_parts(changes.part_ids)
        if self.card.part is not None and self.card.part.id in changes.part_ids:
            self.card.show_part(self.card.part.id)


class PartsView(QWidget):
    """The Parts room of the app: catalogue and part card, purchase orders, stock take."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.catalogue = CatalogueView(context, self.tabs)
        self.orders = OrdersView(context, self.tabs)
        self.stock_take = StockTakeView(context, self.tabs)
        self.tabs.addTab(self.catalogue, _("&Catalogue"))
        self.tabs.addTab(self.orders, _("Purchase &orders"))
        self.tabs.addTab(self.stock_take, _("S&tock take"))
        self.services = ServicesView(context, self.tabs)
        self.tabs.addTab(self.services, _("Ser&vices"))
        layout.addWidget(self.tabs)

    def focus_search(self) -> None:
        """For the main window's Ctrl+F while the Parts view is in front."""
        self.tabs.setCurrentWidget(self.catalogue)
        self.catalogue.search.setFocus()
        self.catalogue.search.selectAll()
