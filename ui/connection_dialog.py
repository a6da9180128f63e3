"""Connecting this desk to the shop's shared PostgreSQL server.

The connection (host, port, database, user, TLS mode) is this workstation's setting, kept
with its view state; the password goes to the operating system's keyring, or — on a
computer without one — is asked for at each start. Reached from Settings and from the
first start's database error.
"""

from __future__ import annotations

from repairshop.db.connection import (
    DEFAULT_PORT,
    TLS_MODES,
    ServerConnection,
    forget_password,
    keyring_available,
    save_password,
    saved_password,
)
from repairshop.db.server import Outcome, ServerCheck, check_server
from repairshop.i18n import _
from ui.desk_state import SERVER_KEY, asks_for_password, saved_connection
from ui.operations import ThreadOp
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSettings,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)


def tls_labels() -> dict[str, str]:
    return {
        "disable": _("Off (a trusted local network only)"),
        "prefer": _("When the server offers it"),
        "require": _("Required"),
        "verify-ca": _("Required, certificate checked"),
        "verify-full": _("Required, certificate and host name checked"),
    }


def save_connection(state: QSettings, connection: ServerConnection | None) -> None:
    state.setValue(f"{SERVER_KEY}/use", "true" if connection is not None else "false")
    if connection is not None:
        state.setValue(f"{SERVER_KEY}/host", connection.host)
        state.setValue(f"{SERVER_KEY}/port", connection.port)
        state.setValue(f"{SERVER_KEY}/database", connection.database)
        state.setValue(f"{SERVER_KEY}/user", connection.user)
        state.setValue(f"{SERVER_KEY}/tls", connection.tls)
    state.sync()


class ConnectionDialog(QDialog):
    """Host, port, database, user, password and TLS mode, with a Test that says what is wrong.

    Accepted with :attr:`connection` (``None``: this computer's own database) and
    :attr:`password`; the connection is saved in ``state``, the password in the keyring.
    """

    checked = Signal(object)
    """The :class:`ServerCheck` of the last Test, once it is shown."""

    def __init__(self, state: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle(_("Database server"))
        self.connection: ServerConnection | None = None
        self.password = ""
        self.last_check: ServerCheck | None = None
        current = saved_connection(state)
        intro = QLabel(
            _(
                "Several desks share one shop on a PostgreSQL server. Without a server, "
                "RepairShop keeps the shop in a file on this computer."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.host = QLineEdit(current.host if current else "", self)
        self.host.setPlaceholderText(_("e.g. server.local or 192.168.1.10"))
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(current.port if current else DEFAULT_PORT)
        self.database = QLineEdit(current.database if current else "repairshop", self)
        self.user = QLineEdit(current.user if current else "repairshop", self)
        self.password_field = QLineEdit(self)
        self.password_field.setEchoMode(QLineEdit.EchoMode.Password)
        if current is not None:
            self.password_field.setText(saved_password(current) or "")
        self.tls = QComboBox(self)
        for mode, label in tls_labels().items():
            self.tls.addItem(label, mode)
        self.tls.setCurrentIndex(TLS_MODES.index(current.tls if current else "prefer"))
        self.remember = QCheckBox(_("Keep the password in this computer's keyring"), self)
        self.has_keyring = keyring_available()
        self.remember.setChecked(self.has_keyring)
        self.remember.setEnabled(self.has_keyring)
        self.keyring_note = QLabel(self)
        self.keyring_note.setWordWrap(True)
        if not self.has_keyring:
            self.keyring_note.setText(
                _(
                    "This computer has no keyring to keep the password in: RepairShop asks "
                    "for it at each start."
                )
            )
        self.keyring_note.setVisible(not self.has_keyring)
        self.test_button = QPushButton(_("&Test the connection"), self)
        self.test_button.clicked.connect(self.test)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName(_("Connection test result"))

        form = QFormLayout()
        form.addRow(_("&Host"), self.host)
        form.addRow(_("&Port"), self.port)
        form.addRow(_("&Database"), self.database)
        form.addRow(_("&User"), self.user)
        form.addRow(_("Pass&word"), self.password_field)
        form.addRow(_("&Secure connection (TLS)"), self.tls)
        form.addRow(self.remember)
        form.addRow(self.keyring_note)
        buttons = QDialogButtonBox(self)
        self.use_button = buttons.addButton(
            _("Use this ser&ver"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.local_button = buttons.addButton(
            _("Use this &computer's database"), QDialogButtonBox.ButtonRole.ResetRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.use_button.clicked.connect(self._use_server)
        self.local_button.clicked.connect(self._use_local)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def entered(self) -> ServerConnection:
        return ServerConnection(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            tls=str(self.tls.currentData()),
        )

    def test(self) -> None:
        """Try the connection off the GUI thread; the result shows below the button."""
        connection, password = self.entered(), self.password_field.text()
        if not connection.host:
            self._show(ServerCheck(Outcome.UNREACHABLE, _("Enter the server's host name.")))
            return
        self.test_button.setEnabled(False)
        self.outcome.setText(_("Connecting to {host}…").format(host=connection.host))
        ThreadOp(self, lambda: check_server(connection, password)).success(self._show).failure(
            lambda error: self._show(
                ServerCheck(Outcome.OTHER, _("The test failed: {error}").format(error=error))
            )
        ).run()

    def _show(self, check: ServerCheck) -> None:
        self.test_button.setEnabled(True)
        self.last_check = check
        colour = "#1b5e20" if check.outcome.usable else "#b71c1c"
        self.outcome.setStyleSheet(f"color: {colour};")
        self.outcome.setText(check.message)
        self.checked.emit(check)

    def _use_server(self) -> None:
        connection = self.entered()
        if not connection.host or not connection.database:
            self._show(
                ServerCheck(Outcome.OTHER, _("Enter the server's host name and the database."))
            )
            return
        self.connection, self.password = connection, self.password_field.text()
        save_connection(self.state, connection)
        kept = self.remember.isChecked() and bool(self.password)
        if kept:
            kept = save_password(connection, self.password)
        else:
            forget_password(connection)
        # A password not kept is asked for at each start; none at all (a server that trusts
        # this computer) is not.
        self.state.setValue(f"{SERVER_KEY}/ask_password", bool(self.password) and not kept)
        self.state.sync()
        self.accept()

    def _use_local(self) -> None:
        self.connection, self.password = None, ""
        save_connection(self.state, None)
        self.accept()


class PasswordPrompt(QDialog):
    """The server's password, asked for at start when no keyring keeps it."""

    def __init__(self, connection: ServerConnection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Database server"))
        why = (
            _(
                "The password of {user} on {host}. This computer has no keyring to keep it "
                "in, so RepairShop asks for it at each start."
            )
            if not keyring_available()
            else _("The password of {user} on {host} (not kept on this computer).")
        )
        text = QLabel(why.format(user=connection.user, host=connection.host), self)
        text.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.password)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)


def server_url(state: QSettings, parent: QWidget | None = None) -> str | None:
    """The URL of the server this desk works on (asking for the password if no keyring
    keeps it), or ``None`` for this computer's own database."""
    connection = saved_connection(state)
    if connection is None:
        return None
    password = saved_password(connection)
    if password is None and (asks_for_password(state) or not keyring_available()):
        prompt = PasswordPrompt(connection, parent)
        password = prompt.password.text() if prompt.exec() else None
    return connection.url(password)
