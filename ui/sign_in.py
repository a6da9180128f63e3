"""Who is at the desk: the sign-in dialog, switching person by PIN, the idle lock, and hiding
what the person's role may not use.

While the shop is open (no passwords yet) the desk works as the person chosen in Settings,
as before. Once it is closed, the app asks for a sign-in before the window opens, a person
takes over a shared counter with their PIN (Ctrl+L), and the desk locks after the idle time
set in Settings. The core checks every permission itself; hiding a tab only spares the
person a refusal.
"""

from __future__ import annotations

import time

from repairshop.domain.roles import Permission
from repairshop.i18n import _
from repairshop.services.changes import Changes
from repairshop.services.shop.users import (
    SignIn,
    Sleeper,
    UserView,
    list_users,
    set_pin,
    shop_is_open,
    sign_in,
)
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.operations import ReadOp, WriteOp
from ui.people_dialog import PeopleDialog
from ui.qt import (
    QAction,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    QSpinBox,
    QTimer,
    QWidget,
)
from ui.roles import gate

LOCK_KEY = "workstation/lock_minutes"
DEFAULT_LOCK_MINUTES = 10
"""After this many idle minutes a closed shop's desk asks for a sign-in again; 0: never."""
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
    }
)


class SignInDialog(QDialog):
    """A person and their password — or their PIN, to take over a shared counter."""

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        pin: bool = False,
        locked: bool = False,
        sleeper: Sleeper = time.sleep,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.pin = pin
        self.sleeper = sleeper
        """How a check after wrong attempts waits (on the worker); tests pass one that does not."""
        self.signed_in: UserView | None = None
        self.setWindowTitle(_("Switch person") if pin else _("Sign in to RepairShop"))
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        if locked:
            form.addRow(QLabel(_("The desk was locked after a while without use."), self))
        self.person = QComboBox(self)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        if pin:
            self.secret.setMaxLength(8)
        for text, widget in (
            (_("&Person:"), self.person),
            (_("P&IN:") if pin else _("&Password:"), self.secret),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
        self.message = QLabel("", self)
        self.message.setObjectName("refusal")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Switch") if pin else _("Sign in"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setVisible(not locked)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        ReadOp(context, self, list_users, self._show_people).run()

    def _show_people(self, users: list[UserView]) -> None:
        self.person.clear()
        for user in users:
            self.person.addItem(user.display_name, user.login)
        self.person.setCurrentIndex(max(self.person.findData(self.context.user), 0))
        if self.pin and self.person.count() > 1 and self.person.currentData() == self.context.user:
            self.person.setCurrentIndex(-1)
            self.person.setFocus()
        else:
            self.secret.setFocus()

    def reject(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Cancel).isVisible():
            super().reject()  # a locked desk stays locked until someone signs in

    def submit(self) -> None:
        login = self.person.currentData()
        if not login:
            self.message.setText(_("Choose who you are."))
            return
        secret, pin, sleeper = self.secret.text(), self.pin, self.sleeper
        self.buttons.setEnabled(False)

        def attempt(uow: UnitOfWork) -> SignIn:
            return sign_in(uow, login, secret, pin=pin, sleeper=sleeper)

        WriteOp(self.context, self, attempt, lambda _outcome: Changes()).success(
            self._answered
        ).failure(self._failed).run()

    def _answered(self, outcome: SignIn) -> None:
        self.buttons.setEnabled(True)
        if outcome.user is None:
            self.message.setText(outcome.refusal)
            self.adjustSize()
            self.secret.clear()
            self.secret.setFocus()
            return
        self.signed_in = outcome.user
        self.context.set_user(outcome.user.login)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.context.show_error(self, error)


class PinDialog(QDialog):
    """The person at the desk chooses their own PIN (typed twice), for Switch person."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("My PIN"))
        self.setMinimumWidth(360)
        form = QFormLayout(self)
        form.addRow(QLabel(_("4 to 8 digits, to take over a shared counter quickly."), self))
        self.pin = QLineEdit(self)
        self.again = QLineEdit(self)
        for text, widget in ((_("&New PIN:"), self.pin), (_("&Again:"), self.again)):
            widget.setEchoMode(QLineEdit.EchoMode.Password)
            widget.setMaxLength(8)
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Set PIN"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def submit(self) -> None:
        if self.pin.text() != self.again.text():
            self.message.setText(_("The two PINs differ."))
            return
        pin, login = self.pin.text(), self.context.user
        WriteOp(
            self.context,
            self,
            lambda uow: set_pin(uow, login, pin, login),
            lambda changes: changes,
        ).success(lambda _changes: self.accept()).failure(
            lambda error: self.message.setText(str(error))
        ).run()


def desk_note(open_shop: bool) -> str:
    """What Settings says about who works at this desk."""
    if open_shop:
        return _(
            "Open shop: nobody has a password yet, so nobody signs in. Choose who works at "
            "this desk: their name goes in the history and My queue shows their jobs. Once an "
            "administrator sets a password, every desk signs in."
        )
    return _(
        "Every desk signs in. To hand this desk to someone else, use Switch person (Ctrl+L) "
        "with their PIN."
    )


def lock_minutes_box(context: AppContext, parent: QWidget) -> QSpinBox:
    """How long this desk may stand idle before it asks for a sign-in (kept per desk)."""
    box = QSpinBox(parent)
    box.setRange(0, 240)
    box.setSpecialValueText(_("never"))
    box.setValue(lock_minutes(context))
    box.setAccessibleName(_("Lock after idle minutes"))
    box.valueChanged.connect(lambda minutes: context.state.setValue(LOCK_KEY, minutes))
    return box


def lock_minutes(context: AppContext) -> int:
    value = context.state.value(LOCK_KEY, DEFAULT_LOCK_MINUTES)
    try:
        return max(int(str(value)), 0)
    except ValueError:
        return DEFAULT_LOCK_MINUTES


def shop_is_closed(context: AppContext) -> bool:
    """Read before any window is up (nothing to freeze yet), as :func:`make_context` does."""
    with context.db.reader() as uow:
        return not shop_is_open(uow)


class DeskPeople(QObject):
    """The main window's part in who is at the desk: Switch person (Ctrl+L), the idle lock,
    and the tabs the person's role may use."""

    def __init__(self, window: MainWindow, context: AppContext) -> None:
        super().__init__(window)
        self.window = window
        self.context = context
        self.switch_action = QAction(_("Switch person…"), window)
        self.switch_action.setShortcut(QKeySequence("Ctrl+L"))
        self.switch_action.triggered.connect(self.switch_person)
        window.addAction(self.switch_action)
        switch = QPushButton(_("Switch person…"), window)
        switch.setFlat(True)
        switch.setToolTip("Ctrl+L")
        switch.clicked.connect(self.switch_action.trigger)
        window.statusBar().addPermanentWidget(switch)
        my_pin = QPushButton(_("My PIN…"), window)
        my_pin.setFlat(True)
        my_pin.clicked.connect(self.choose_pin)
        window.statusBar().addPermanentWidget(my_pin)
        people = QPushButton(_("People…"), window)
        people.setObjectName("manage_people")
        people.setFlat(True)
        people.clicked.connect(self.manage_people)
        gate(context, people, Permission.MANAGE_USERS)
        window.statusBar().addPermanentWidget(people)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        self.dialog: SignInDialog | None = None
        self.restart_idle()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        context.role_changed.connect(self.show_role)
        self.show_role()

    def restart_idle(self) -> None:
        minutes = lock_minutes(self.context)
        if minutes and self.dialog is None:
            self.idle.start(minutes * 60_000)
        else:
            self.idle.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY:
            self.restart_idle()  # also takes up a new idle time set in Settings
        return False

    def manage_people(self) -> None:
        dialog = PeopleDialog(self.context, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def choose_pin(self) -> None:
        dialog = PinDialog(self.context, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def switch_person(self) -> None:
        self._ask(pin=True, locked=False)

    def lock(self) -> None:
        """The idle time passed: a closed shop's desk asks for a sign-in before going on."""
        ReadOp(self.context, self, shop_is_open).success(
            lambda open_shop: None if open_shop else self._ask(pin=False, locked=True)
        ).run()

    def _ask(self, *, pin: bool, locked: bool) -> None:
        if self.dialog is not None:
            return
        self.idle.stop()
        self.dialog = SignInDialog(self.context, self.window, pin=pin, locked=locked)
        self.dialog.finished.connect(self._asked)
        self.dialog.open()

    def _asked(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        self.restart_idle()
        # The keyboard goes back to the window, where it was: the next person types on.
        self.window.activateWindow()

    def show_role(self, _role: str = "") -> None:
        """The tabs of the views the person's role may use."""
        self.window.show_tabs_for(self.context.role)
