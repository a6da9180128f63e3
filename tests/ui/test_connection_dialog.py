"""The connection dialog: Test runs off the GUI thread and says what is wrong; the password
goes to the keyring, or is asked for at each start on a computer without one."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytestqt.qtbot import QtBot

from repairshop.db.connection import ServerConnection
from repairshop.db.server import Outcome
from repairshop.i18n import set_ui_language
from tests.helpers import POSTGRES_ADMIN_URL
from tests.ui.conftest import MemoryKeyring
from ui.connection_dialog import ConnectionDialog, server_url
from ui.context import AppContext
from ui.desk_state import saved_connection
from ui.main_window import MainWindow
from ui.qt import QSettings
from ui.settings_view import SettingsView

SHOTS = Path(os.environ.get("REPAIRSHOP_SHOTS", "/tmp/repairshop-shots"))
ADMIN = urlsplit(POSTGRES_ADMIN_URL)


@pytest.fixture
def state(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


def fill(dialog: ConnectionDialog, host: str, port: int, database: str, user: str) -> None:
    dialog.host.setText(host)
    dialog.port.setValue(port)
    dialog.database.setText(database)
    dialog.user.setText(user)
    dialog.tls.setCurrentIndex(0)  # disable: the test server has no TLS


def test_test_says_what_is_wrong_and_what_is_right(
    qtbot: QtBot, state: QSettings, no_keyring: None
) -> None:
    dialog = ConnectionDialog(state)
    qtbot.addWidget(dialog)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = int(probe.getsockname()[1])
    fill(dialog, "127.0.0.1", closed_port, "shop", "clerk")
    with qtbot.waitSignal(dialog.checked, timeout=20_000) as done:
        dialog.test_button.click()
        assert not dialog.test_button.isEnabled()  # testing, while the window stays live
    assert done.args[0].outcome is Outcome.UNREACHABLE
    assert "cannot be reached" in dialog.outcome.text()

    fill(dialog, ADMIN.hostname or "", ADMIN.port or 5432, "no_such_shop_db", ADMIN.username or "")
    with qtbot.waitSignal(dialog.checked, timeout=20_000) as done:
        dialog.test_button.click()
    assert done.args[0].outcome is Outcome.NO_DATABASE
    assert "no_such_shop_db" in dialog.outcome.text()
    assert dialog.test_button.isEnabled()


def test_without_a_keyring_the_password_is_asked_for_and_the_dialog_says_so(
    qtbot: QtBot, state: QSettings, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = ConnectionDialog(state)
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled()
    assert "asks for it at each start" in dialog.keyring_note.text()
    fill(dialog, "server.local", 5433, "shop", "clerk")
    dialog.password_field.setText("s3cret")
    dialog.use_button.click()
    assert dialog.connection == ServerConnection("server.local", 5433, "shop", "clerk", "disable")
    assert saved_connection(state) == dialog.connection

    from ui import connection_dialog

    monkeypatch.setattr(connection_dialog.PasswordPrompt, "exec", lambda self: 1)
    monkeypatch.setattr(
        connection_dialog.QLineEdit, "text", lambda self: "typed-at-start", raising=False
    )
    url = server_url(state)
    assert url is not None
    assert "typed-at-start" in url
    assert "server.local:5433/shop" in url


def test_the_password_goes_to_the_keyring_and_local_goes_back_to_the_file(
    qtbot: QtBot, state: QSettings, memory_keyring: MemoryKeyring
) -> None:
    dialog = ConnectionDialog(state)
    qtbot.addWidget(dialog)
    assert dialog.remember.isChecked()
    assert not dialog.keyring_note.isVisibleTo(dialog)
    fill(dialog, "server.local", 5432, "shop", "clerk")
    dialog.password_field.setText("s3cret")
    dialog.use_button.click()
    assert list(memory_keyring.kept.values()) == ["s3cret"]
    assert "s3cret" in (server_url(state) or "")
    assert not any("s3cret" in str(state.value(key)) for key in state.allKeys())

    again = ConnectionDialog(state)  # opened from Settings later: the fields are filled in
    qtbot.addWidget(again)
    assert again.host.text() == "server.local"
    assert again.password_field.text() == "s3cret"
    again.local_button.click()
    assert saved_connection(state) is None
    assert server_url(state) is None


def test_a_password_not_kept_is_forgotten_and_asked_for_at_start(
    qtbot: QtBot, state: QSettings, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import connection_dialog

    first = ConnectionDialog(state)
    qtbot.addWidget(first)
    fill(first, "server.local", 5432, "shop", "clerk")
    first.password_field.setText("s3cret")
    first.use_button.click()
    assert memory_keyring.kept
    again = ConnectionDialog(state)
    qtbot.addWidget(again)
    again.remember.setChecked(False)
    again.use_button.click()
    assert not memory_keyring.kept  # no longer kept on this computer
    asked: list[str] = []

    def answer(prompt: connection_dialog.PasswordPrompt) -> int:
        asked.append(prompt.windowTitle())
        prompt.password.setText("typed")
        return 1

    monkeypatch.setattr(connection_dialog.PasswordPrompt, "exec", answer)
    assert ":typed@server.local" in (server_url(state) or "")
    assert asked == ["Database server"]

    trusted = ConnectionDialog(state)  # a server that needs no password: nothing asked
    qtbot.addWidget(trusted)
    trusted.password_field.clear()
    trusted.use_button.click()
    plain = ServerConnection("server.local", 5432, "shop", "clerk", "disable")
    assert server_url(state) == plain.url(None)
    assert len(asked) == 1


@pytest.mark.usefixtures("no_keyring")
@pytest.mark.parametrize("language", ["en", "cs"])
def test_settings_opens_the_dialog_and_it_looks_right(
    qtbot: QtBot,
    window: MainWindow,
    context: AppContext,
    language: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = window.show_view("settings")
    assert isinstance(settings, SettingsView)
    opened: list[ConnectionDialog] = []
    monkeypatch.setattr(ConnectionDialog, "exec", lambda self: opened.append(self) or 0)
    settings.server_button.click()
    assert len(opened) == 1
    set_ui_language(language)
    dialog = ConnectionDialog(context.state)
    qtbot.addWidget(dialog)
    fill(dialog, "127.0.0.1", 1, "shop", "clerk")
    with qtbot.waitSignal(dialog.checked, timeout=20_000):
        dialog.test_button.click()
    dialog.show()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / f"connection-dialog-{language}.png"))


def test_the_first_start_database_error_offers_the_connection_dialog(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repairshop.db.engine import DATABASE_URL_VARIABLE
    from tests.helpers import postgres_schema
    from ui import app, start

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    errors: list[str] = []

    def wants_to_change_it(message: str) -> bool:
        errors.append(message)
        return True

    with postgres_schema() as url:
        schema = url.rsplit("search_path%3D", 1)[1].split(",", maxsplit=1)[0]

        def choose_the_server(dialog: ConnectionDialog) -> int:
            dialog.connection = ServerConnection(
                ADMIN.hostname or "", ADMIN.port or 5432, ADMIN.path.lstrip("/"),
                ADMIN.username or "", "disable", schema,
            )  # fmt: skip
            return 1

        def quit_when_shown() -> None:  # as a person would, once the window is up
            windows = app.QApplication.topLevelWidgets()
            for found in [w for w in windows if isinstance(w, MainWindow) and w.isVisible()]:
                found.close()

        monkeypatch.setattr(app, "ask_for_connection", wants_to_change_it)
        monkeypatch.setattr(ConnectionDialog, "exec", choose_the_server)
        closer = app.QTimer()
        closer.timeout.connect(quit_when_shown)
        closer.start(200)
        unreachable = "postgresql://clerk@127.0.0.1:1/shop"
        assert start.main(["--db", unreachable, "--no-demo"]) == 0
        closer.stop()
    assert len(errors) == 1
    assert "cannot be reached" in errors[0]
