"""The desktop app on a fresh SQLite file, with its view state in a temporary INI file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from pytestqt.qtbot import QtBot

from repairshop.services.database import Database
from tests.helpers import SettableClock, database
from tests.ui.ops import wait_idle
from ui.app import build_window, make_context
from ui.context import AppContext
from ui.main_thread_gc import collect_due, collect_on_main_thread
from ui.main_window import MainWindow
from ui.qt import QApplication, QSettings


@pytest.fixture
def shop_db(tmp_path: Path) -> Iterator[Database]:
    # Promised dates are checked against today, so the clock starts at the real now.
    from datetime import UTC, datetime

    with database("sqlite", tmp_path, SettableClock(datetime.now(UTC))) as db:
        yield db


@pytest.fixture
def context(shop_db: Database, tmp_path: Path) -> Iterator[AppContext]:
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    made = make_context(shop_db, state)
    yield made
    made.stop_watching()
    made.tasks.shutdown()


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> MainWindow:
    made = build_window(context)
    qtbot.addWidget(made)
    made.show()
    made.activateWindow()
    qtbot.waitActive(made)
    wait_idle(qtbot, context)
    return made


@pytest.fixture(autouse=True)
def no_default_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Intake prints on save by default: a test never sends paper to the machine's own
    default printer (a test that prints gives its printers by name or its own factory)."""
    from ui.qt_print import QPrinterInfo

    monkeypatch.setattr(QPrinterInfo, "defaultPrinterName", staticmethod(lambda: ""))


@pytest.fixture(autouse=True)
def no_retention_run_behind_a_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """The main window starts the daily retention rule a minute and a half after it opens: a
    slow test's shop is not tidied behind its back (the keeper's own tests set the delay)."""
    from ui import privacy_keeper

    monkeypatch.setattr(privacy_keeper, "START_DELAY_MS", 24 * 60 * 60 * 1000)


@pytest.fixture(autouse=True)
def garbage_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app: Python's collector never runs on a worker thread (ui/main_thread_gc.py);
    what a test leaves is collected on this thread after it."""
    collect_on_main_thread(qapp)
    yield
    collect_due()


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    yield kept
    keyring.set_keyring(previous)
