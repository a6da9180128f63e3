"""At the desk: signing in once the shop is closed, switching person by PIN, the idle lock,
the tabs a role may use, Settings' open-shop note, and the read-only Audit view."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.bootstrap import open_database
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.shop.users import UserView, add_user, set_password, set_pin
from tests.helpers import intake_document
from tests.ui.ops import WAIT_MS, wait_idle, write
from ui.audit_view import AuditView
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.people_dialog import PeopleDialog
from ui.qt import QApplication, QDialogButtonBox, QPushButton, QSettings, Qt, QTimer
from ui.settings_view import SettingsView
from ui.sign_in import DeskPeople, PinDialog, SignInDialog
from ui.start import main

USERS = Changes(kinds=frozenset({ChangeKind.USER}))


def _staff(qtbot: QtBot, context: AppContext, *, close: bool) -> None:
    def people(uow: object) -> Changes:
        add_user(uow, "tomas", "Tomáš Hrubý", "technician", "admin")  # type: ignore[arg-type]
        if close:
            set_password(uow, "admin", "counter-2026", "admin")  # type: ignore[arg-type]
            set_password(uow, "tomas", "bench-2026!", "admin")  # type: ignore[arg-type]
        return USERS

    write(qtbot, context, people, lambda changes: changes)


def _sign_in(qtbot: QtBot, dialog: SignInDialog, login: str, secret: str) -> None:
    qtbot.waitUntil(lambda: dialog.person.findData(login) >= 0, timeout=WAIT_MS)
    dialog.person.setCurrentIndex(dialog.person.findData(login))
    dialog.secret.setText(secret)
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog.context)


def test_a_closed_shop_signs_in_and_a_wrong_password_is_told_in_the_dialog(
    qtbot: QtBot, context: AppContext
) -> None:
    _staff(qtbot, context, close=True)
    waits: list[float] = []
    dialog = SignInDialog(context, sleeper=waits.append)
    qtbot.addWidget(dialog)
    dialog.show()
    _sign_in(qtbot, dialog, "tomas", "guess")
    assert dialog.message.text() == "The login or the password is wrong."
    assert dialog.isVisible()
    assert context.user == "admin"
    _sign_in(qtbot, dialog, "tomas", "bench-2026!")
    assert waits == [0.5]  # the second try waited (on the worker), the first did not
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert context.user == "tomas"


def test_a_pin_hands_the_counter_over_and_the_tabs_follow_the_role(
    qtbot: QtBot, context: AppContext, window: MainWindow
) -> None:
    _staff(qtbot, context, close=True)
    write(qtbot, context, lambda uow: set_pin(uow, "tomas", "4711", "tomas"), lambda c: c)
    people = window.findChild(DeskPeople)
    assert isinstance(people, DeskPeople)
    tabs = window.tabs
    assert tabs.isTabVisible(tabs.indexOf(window.views["audit"]))
    parts = window.views["parts"]  # built for the manager; Settings is built after the switch
    assert not parts.findChild(QPushButton, "apply_stock_take").isHidden()
    people.switch_action.trigger()
    dialog = people.dialog
    assert isinstance(dialog, SignInDialog)
    assert dialog.secret.accessibleName() == "PIN"
    _sign_in(qtbot, dialog, "tomas", "4711")
    assert context.user == "tomas"
    qtbot.waitUntil(lambda: not tabs.isTabVisible(tabs.indexOf(window.views["audit"])))
    assert not tabs.isTabVisible(tabs.indexOf(window.views["reports"]))
    assert tabs.isTabVisible(tabs.indexOf(window.views["jobs"]))
    assert people.dialog is None
    assert parts.findChild(QPushButton, "apply_stock_take").isHidden()
    assert window.views["settings"].findChild(QPushButton, "save_shop_settings").isHidden()


def test_an_idle_desk_locks_until_someone_signs_in(
    qtbot: QtBot, context: AppContext, window: MainWindow
) -> None:
    _staff(qtbot, context, close=True)
    people = window.findChild(DeskPeople)
    assert isinstance(people, DeskPeople)
    assert people.idle.isActive()  # ten minutes by default
    people.idle.timeout.emit()  # the idle time has passed
    wait_idle(qtbot, context)
    dialog = people.dialog
    assert isinstance(dialog, SignInDialog)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).isVisible()
    dialog.reject()  # Escape does not unlock it
    assert dialog.isVisible()
    _sign_in(qtbot, dialog, "admin", "counter-2026")
    assert people.dialog is None
    assert people.idle.isActive()


def test_an_open_shop_never_locks_and_settings_says_it_is_open(
    qtbot: QtBot, context: AppContext, window: MainWindow
) -> None:
    _staff(qtbot, context, close=False)
    settings = window.show_view("settings")
    assert isinstance(settings, SettingsView)
    wait_idle(qtbot, context)
    assert settings.user_note.text().startswith("Open shop: nobody has a password yet")
    assert settings.user.isEnabled()
    people = window.findChild(DeskPeople)
    assert isinstance(people, DeskPeople)
    people.idle.timeout.emit()
    wait_idle(qtbot, context)
    assert people.dialog is None

    write(
        qtbot,
        context,
        lambda uow: set_password(uow, "admin", "counter-2026", "admin"),
        lambda c: Changes(kinds=frozenset({ChangeKind.USER})),
    )
    settings.load()
    wait_idle(qtbot, context)
    assert settings.user_note.text().startswith("Every desk signs in.")
    assert not settings.user.isEnabled()  # no choosing someone else without their PIN


def test_the_audit_view_shows_who_changed_what_and_filters_by_job(
    qtbot: QtBot, context: AppContext, window: MainWindow
) -> None:
    first = write(
        qtbot,
        context,
        lambda uow: intake(uow, intake_request_from_json(intake_document()), "admin"),
        lambda result: result.changes,
    ).code
    write(
        qtbot,
        context,
        lambda uow: intake(uow, intake_request_from_json(intake_document()), "admin"),
        lambda result: result.changes,
    )
    view = window.show_view("audit")
    assert isinstance(view, AuditView)
    wait_idle(qtbot, context)
    rows = [view.model.row(row) for row in range(view.model.rowCount())]
    assert {line.user for line in rows if line} == {"admin"}
    assert len({line.job for line in rows if line and line.job}) == 2
    view.job.setText(first.lower())
    view.job.editingFinished.emit()
    wait_idle(qtbot, context)
    rows = [view.model.row(row) for row in range(view.model.rowCount())]
    assert rows
    assert {line.job for line in rows if line} == {first}
    index = view.model.index(0, 0)
    assert not view.model.flags(index) & Qt.ItemFlag.ItemIsEditable


def test_the_person_at_the_desk_chooses_their_pin_typed_twice(
    qtbot: QtBot, context: AppContext
) -> None:
    _staff(qtbot, context, close=True)
    context.set_user("tomas")
    dialog = PinDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pin.setText("4711")
    dialog.again.setText("4712")
    dialog.submit()
    assert dialog.message.text() == "The two PINs differ."
    dialog.again.setText("4711")
    dialog.submit()
    wait_idle(qtbot, context)
    assert dialog.result() == PinDialog.DialogCode.Accepted
    switch = SignInDialog(context, pin=True, sleeper=lambda _seconds: None)
    qtbot.addWidget(switch)
    switch.show()
    _sign_in(qtbot, switch, "tomas", "4711")
    assert switch.result() == SignInDialog.DialogCode.Accepted


def test_the_app_of_a_closed_shop_opens_no_window_until_someone_signs_in(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    url = f"sqlite:///{tmp_path / 'closed.sqlite'}"
    db = open_database(url)
    with db.unit_of_work() as uow:
        set_password(uow, "admin", "counter-2026", "admin")
        uow.commit()
    db.dispose()
    asked: list[str] = []

    def walk_away(dialog: SignInDialog) -> int:
        asked.append(dialog.windowTitle())
        return SignInDialog.DialogCode.Rejected.value

    shown: list[str] = []

    def close_any_window() -> None:  # were the window to open anyway, the test still ends
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                shown.append(window.windowTitle())
                window.close()

    monkeypatch.setattr(SignInDialog, "exec", walk_away)
    QTimer.singleShot(300, close_any_window)
    assert main(["--db", url, "--no-demo"]) == 0
    assert asked == ["Sign in to RepairShop"]
    assert shown == []


def _people_shown(dialog: PeopleDialog) -> list[UserView]:
    rows = [dialog.model.row(row) for row in range(dialog.model.rowCount())]
    return [row for row in rows if row is not None]


def test_an_administrator_adds_a_person_sets_passwords_and_disables_someone(
    qtbot: QtBot, context: AppContext, window: MainWindow
) -> None:
    button = window.findChild(QPushButton, "manage_people")
    assert isinstance(button, QPushButton)
    wait_idle(qtbot, context)
    assert not button.isHidden()  # admin
    dialog = PeopleDialog(context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, context)
    dialog.login.setText("tomas")
    dialog.name.setText("Tomáš Hrubý")
    dialog.role.setCurrentIndex(dialog.role.findData("technician"))
    dialog.add()
    wait_idle(qtbot, context)
    logins = [row.login for row in _people_shown(dialog)]
    assert sorted(logins) == ["admin", "tomas"]

    def choose(login: str) -> None:
        dialog.table.selectRow(logins.index(login))

    choose("admin")
    dialog.password.setText("counter-2026")
    dialog.set_password()
    wait_idle(qtbot, context)
    choose("tomas")
    dialog.password.setText("bench-2026!")
    dialog.set_password()
    wait_idle(qtbot, context)
    shown = {row.login: row.has_password for row in dialog.model._rows}
    assert shown == {"admin": True, "tomas": True}
    choose("tomas")
    dialog.disable()
    wait_idle(qtbot, context)
    assert [row.login for row in dialog.model._rows] == ["admin"]

    context.set_user("admin")
    write(
        qtbot,
        context,
        lambda uow: add_user(uow, "petra", "Petra", "clerk", "admin"),
        lambda r: r[1],
    )
    context.set_user("petra")
    qtbot.waitUntil(button.isHidden)  # a clerk does not see People…
