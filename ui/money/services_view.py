"""The price list of services (labour items) in the Parts area: a list, with add and edit.

Everyone reads the price list; adding or changing a service is for who may edit prices
(the buttons are shown disabled to others, naming who may).
"""

from __future__ import annotations

from repairshop.domain.roles import Permission
from repairshop.i18n import _, ngettext
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.money.price_list import ServiceView, list_services
from ui.context import AppContext
from ui.money.dialogs import ServiceDialog
from ui.money.models import SERVICE_WIDTHS, service_model
from ui.operations import ReadOp
from ui.qt import QDialog, QHBoxLayout, QLabel, QModelIndex, QPushButton, QVBoxLayout, QWidget
from ui.roles import gate, mark, who_may
from ui.tables import make_table


class ServicesView(QWidget):
    """Every service of the price list, for every device or for one device type and brand."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.dialog: QDialog | None = None
        """The service dialog last opened (tests drive it)."""
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton(_("&New service…"), self)
        self.new_button.clicked.connect(self.new_service)
        self.edit_button = QPushButton(_("&Edit service…"), self)
        self.edit_button.clicked.connect(self.edit_service)
        gate(context, self.new_button, Permission.EDIT_PRICES, hide=False)
        mark(self.edit_button, Permission.EDIT_PRICES)
        self.edit_button.setEnabled(False)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = service_model(self)
        self.table = make_table(self, self.model, SERVICE_WIDTHS)
        self.table.setAccessibleName(_("Services"))
        self.table.doubleClicked.connect(lambda _index: self.edit_service())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        layout.addWidget(self.table, 1)
        self.count = QLabel(self)
        layout.addWidget(self.count)
        context.changed.connect(self._on_changed)
        context.role_changed.connect(self._offer_edit)  # bound: dropped with the view
        self._loaded = False
        self._offer_edit()

    def showEvent(self, event: object) -> None:  # noqa: N802
        """Read the price list whenever the view comes to the front (another desk may have
        changed it), not when it is built."""
        self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def reload(self) -> None:
        self._loaded = True
        ReadOp(self.context, self, list_services, self._show).run()

    def _show(self, services: list[ServiceView]) -> None:
        current = self.current()
        self.model.set_rows(services)
        count = len(services)
        self.count.setText(
            ngettext("{count} service", "{count} services", count).format(count=count)
        )
        codes = [service.code for service in services]
        if current is not None and current.code in codes:
            self.table.selectRow(codes.index(current.code))
        self._offer_edit()

    def _offer_edit(self, _role: str = "") -> None:
        """Edit a chosen service, for who may change prices; others see who may."""
        allowed = self.context.may(Permission.EDIT_PRICES)
        self.edit_button.setEnabled(allowed and self.current() is not None)
        self.edit_button.setToolTip("" if allowed else who_may(Permission.EDIT_PRICES))

    def current(self) -> ServiceView | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._offer_edit()

    def _on_changed(self, changes: Changes) -> None:
        if self._loaded and changes.touches(ChangeKind.PRICE_LIST):
            self.reload()

    def new_service(self) -> None:
        self._open(ServiceDialog(self.context, None, self))

    def edit_service(self) -> None:
        """The chosen service's dialog (a double click too), for who may change prices."""
        service = self.current()
        if service is not None and self.context.may(Permission.EDIT_PRICES):
            self._open(ServiceDialog(self.context, service, self))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()
