"""Which unit of a serialised part went into the device: scanned or picked from a list.

The core refuses to guess (:class:`~repairshop.errors.UnitNotNamed` lists the units that
could be it); the job card's Parts tab opens this dialog with them, and uses the part again
with the serials chosen.
"""

from __future__ import annotations

from repairshop.errors import UnitNotNamed
from repairshop.i18n import _, ngettext
from ui.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    Qt,
    QVBoxLayout,
    QWidget,
)


class UnitChooser(QDialog):
    """Pick ``quantity`` of the units offered; scanning a unit's label picks it."""

    def __init__(self, refusal: UnitNotNamed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quantity = refusal.quantity
        self.setWindowTitle(_("Which unit went in? — {sku}").format(sku=refusal.sku))
        self.explain = QLabel(
            ngettext(
                "{sku} has several units, each with its own serial. Scan the label of the "
                "unit that went into the device, or pick it below.",
                "{sku} has several units, each with its own serial. Scan the labels of the "
                "{count} units that went into the device, or pick them below.",
                refusal.quantity,
            ).format(sku=refusal.sku, count=refusal.quantity),
            self,
        )
        self.explain.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b3261e")
        self.problem.hide()
        self.scan = QLineEdit(self)
        self.scan.setPlaceholderText(_("Scan or type the unit's serial and press Enter"))
        scan_label = QLabel(_("&Serial"), self)
        scan_label.setBuddy(self.scan)
        self.units = QListWidget(self)
        self.units.setAccessibleName(_("Units"))
        self.units.setSelectionMode(
            QAbstractItemView.SelectionMode.SingleSelection
            if refusal.quantity == 1
            else QAbstractItemView.SelectionMode.MultiSelection
        )
        for index, serial in enumerate(refusal.serials):
            text = serial
            if index < refusal.reserved:
                text = _("{serial} (reserved for this job)").format(serial=serial)
            item = QListWidgetItem(text, self.units)
            item.setData(Qt.ItemDataRole.UserRole, serial)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("&Use these units") if refusal.quantity > 1 else _("&Use it"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.units.itemSelectionChanged.connect(self._selection_changed)
        self.units.itemActivated.connect(lambda _item: self._accept_if_complete())
        self.scan.returnPressed.connect(self._scanned)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(scan_label)
        layout.addWidget(self.scan)
        layout.addWidget(self.problem)
        layout.addWidget(self.units, 1)
        layout.addWidget(self.buttons)
        self._selection_changed()
        self.scan.setFocus()
        self.resize(460, 360)

    def serials(self) -> tuple[str, ...]:
        """The serials chosen, in list order."""
        return tuple(
            str(self.units.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.units.count())
            if self.units.item(row).isSelected()
        )

    def _selection_changed(self) -> None:
        self.ok_button.setEnabled(len(self.serials()) == self.quantity)

    def _accept_if_complete(self) -> None:
        if len(self.serials()) == self.quantity:
            self.accept()

    def _scanned(self) -> None:
        text = self.scan.text().strip()
        for row in range(self.units.count()):
            item = self.units.item(row)
            if str(item.data(Qt.ItemDataRole.UserRole)) == text:
                item.setSelected(True)
                self.units.scrollToItem(item)
                self.scan.clear()
                self._accept_if_complete()
                return
        self.scan.selectAll()
        self.problem.setText(
            _("No unit offered here has the serial “{serial}”.").format(serial=text)
        )
        self.problem.show()
