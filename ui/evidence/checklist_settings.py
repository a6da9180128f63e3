"""Settings' Condition checklists box: which points each device type is checked on, and
whether every point must be answered at intake and again before a job is ready."""

from __future__ import annotations

from repairshop.domain.devices import DeviceType
from repairshop.domain.evidence import point_key, point_label
from repairshop.domain.roles import Permission
from repairshop.i18n import _
from repairshop.services.changes import Changes
from repairshop.services.shop.settings import SettingValue, all_settings, set_setting
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp, WriteOp
from ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)
from ui.roles import gate

REQUIRED = "checklist.required"
PREFIX = "checklist."


class ChecklistSettings(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Condition checklists"), parent)
        self.context = context
        self.values: dict[str, str] = {}
        self.required = QCheckBox(
            _("Every point answered at intake and again before the job is ready"), self
        )
        self.device_type = QComboBox(self)
        for kind in DeviceType:
            self.device_type.addItem(kind.label, kind.value)
        self.points = QLineEdit(self)
        self.points.setToolTip(_("The points, separated by commas"))
        self.save_button = QPushButton(_("Save checklists"), self)
        self.save_button.clicked.connect(self.save)
        gate(context, self.save_button, Permission.EDIT_SETTINGS)
        form = QFormLayout(self)
        form.addRow(self.required)
        form.addRow(_("Device type"), self.device_type)
        form.addRow(_("Points"), self.points)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        form.addRow(row)
        self.device_type.currentIndexChanged.connect(self._show_points)
        self.load()

    def load(self) -> None:
        def query(uow: UnitOfWork) -> list[SettingValue]:
            return [item for item in all_settings(uow) if item.key.startswith(PREFIX)]

        ReadOp(self.context, self, query).success(self._loaded).run()

    def _loaded(self, items: list[SettingValue]) -> None:
        self.values = {item.key: item.value for item in items}
        self.required.setChecked(self.values.get(REQUIRED) == "true")
        self._show_points()

    def _show_points(self) -> None:
        """The device type's points by their names in the desk's language (a shop's own point
        as typed), never the keys they are stored by."""
        text = self.values.get(PREFIX + str(self.device_type.currentData()), "")
        names = [point_label(point.strip()) for point in text.split(",") if point.strip()]
        self.points.setText(", ".join(names))

    def save(self) -> None:
        key = PREFIX + str(self.device_type.currentData())
        typed = [point for point in self.points.text().split(",") if point.strip()]
        points = ", ".join(point_key(point) for point in typed)  # stored by their keys
        required = "true" if self.required.isChecked() else "false"
        actor = self.context.user

        def write(uow: UnitOfWork) -> Changes:
            return set_setting(uow, REQUIRED, required, actor) | set_setting(
                uow, key, points, actor
            )

        WriteOp(self.context, self, write, lambda changes: changes).success(
            lambda _changes: self.load()
        ).run(initiator=self)
