"""People… (administrators): add a person with their role, set a password, disable someone.

The core decides who may (``services/shop/users.py``); this dialog only offers it. Nobody is
deleted: a disabled person's name stays on their jobs and in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

from repairshop.domain.roles import Role
from repairshop.i18n import N_, _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.shop.users import (
    UserView,
    add_user,
    disable_user,
    list_users,
    set_password,
)
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp, WriteOp
from ui.parts.models import ListTableModel
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ui.tables import make_table

USERS = Changes(kinds=frozenset({ChangeKind.USER}))
COLUMNS: list[tuple[str, Callable[[UserView], object]]] = [
    (N_("Full name"), lambda user: user.display_name),
    (N_("Login"), lambda user: user.login),
    (N_("Role"), lambda user: Role(user.role).label),
    (N_("Password"), lambda user: _("set") if user.has_password else "–"),
    (N_("PIN"), lambda user: _("set") if user.has_pin else "–"),
]
WIDTHS = (180, 100, 120, 80)


def _named(widget: QWidget, text: str, form: QFormLayout, parent: QWidget) -> None:
    label = QLabel(text, parent)
    label.setBuddy(widget)
    widget.setAccessibleName(text.replace("&", "").rstrip(":"))
    form.addRow(label, widget)


class PeopleDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("People"))
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        self.model: ListTableModel[UserView] = ListTableModel(COLUMNS, self)
        self.table = make_table(self, self.model, WIDTHS)
        self.table.setAccessibleName(_("People"))
        layout.addWidget(self.table, 1)

        chosen = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        _named(self.password, _("New pass&word:"), chosen, self)
        row = QHBoxLayout()
        self.password_button = QPushButton(_("&Set password"), self)
        self.password_button.clicked.connect(self.set_password)
        self.disable_button = QPushButton(_("&Disable"), self)
        self.disable_button.clicked.connect(self.disable)
        row.addWidget(self.password_button)
        row.addWidget(self.disable_button)
        row.addStretch(1)
        chosen.addRow(row)
        layout.addLayout(chosen)

        new = QGroupBox(_("Add a person"), self)
        form = QFormLayout(new)
        self.login = QLineEdit(new)
        self.name = QLineEdit(new)
        self.role = QComboBox(new)
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.new_password = QLineEdit(new)
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password.setPlaceholderText(_("optional"))
        _named(self.login, _("&Login:"), form, new)
        _named(self.name, _("Full &name:"), form, new)
        _named(self.role, _("&Role:"), form, new)
        _named(self.new_password, _("&Password:"), form, new)
        self.add_button = QPushButton(_("&Add"), new)
        self.add_button.clicked.connect(self.add)
        form.addRow(self.add_button)
        layout.addWidget(new)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        ReadOp(self.context, self, list_users, self.model.set_rows).run()

    def chosen(self) -> UserView | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _write(self, action: Callable[[UnitOfWork], object], then: Callable[[], None]) -> None:
        def done(_result: object) -> None:
            then()
            self.reload()

        WriteOp(self.context, self, action, lambda _result: USERS).success(done).run()

    def set_password(self) -> None:
        person, password, actor = self.chosen(), self.password.text(), self.context.user
        if person is not None:
            login = person.login
            self._write(lambda uow: set_password(uow, login, password, actor), self.password.clear)

    def disable(self) -> None:
        person, actor = self.chosen(), self.context.user
        if person is not None:
            login = person.login
            self._write(lambda uow: disable_user(uow, login, actor), lambda: None)

    def add(self) -> None:
        login, name, role = self.login.text(), self.name.text(), str(self.role.currentData())
        password, actor = self.new_password.text() or None, self.context.user

        def cleared() -> None:
            for field in (self.login, self.name, self.new_password):
                field.clear()

        self._write(lambda uow: add_user(uow, login, name, role, actor, password=password), cleared)
