"""The UI offers each role only what the core lets it do.

Signed in as each role, through every view the window shows it (every page of every tab
widget), a job card whose price the customer approved, a part chosen in Parts, a stock take
under way and the customer's card, their menus (a job list's right click) and the dialogs
a role opens from them (a ready job's collection, a part's, the desk's connection): each
visible, enabled button or action must be in :data:`RULES`, with a permission the core
grants that role; no key brings forward a view the role is not shown. A new button without
a rule fails here until someone says who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from repairshop.domain.approval import ApprovalMethod
from repairshop.domain.roles import Permission, Role, may
from repairshop.domain.statuses import JobStatus
from repairshop.errors import PermissionDenied
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from repairshop.services.money.approval import approve
from repairshop.services.money.lines import LineRequest, add_line
from repairshop.services.money.price_list import ServiceInput, add_service
from repairshop.services.parts.stock import PartInput, add_part, adjust, part_by_id
from repairshop.services.parts.stocktake import start_stock_take
from repairshop.services.shop.users import add_user
from repairshop.services.uow import UnitOfWork
from tests.helpers import intake_document
from tests.ui.ops import open_card, read, wait_idle, write
from ui.connection_dialog import ConnectionDialog
from ui.context import AppContext
from ui.customer_card import CustomerCardDialog
from ui.customer_returns import TakeBackDialog
from ui.evidence.dialogs import PatternDialog, SignatureDialog
from ui.job_table import JobTable
from ui.main_window import MainWindow
from ui.money.collect import CollectDialog
from ui.money.job_money_panel import JobMoneyPanel
from ui.parts.dialogs import AdjustDialog, PartDialog, ReceiveDialog
from ui.parts.import_dialog import ImportDialog
from ui.parts.parts_view import PartsView
from ui.people_dialog import PeopleDialog
from ui.qt import (
    QAbstractButton,
    QAction,
    QApplication,
    QCheckBox,
    QDialog,
    QKeySequence,
    QLineEdit,
    QShortcut,
    QTabBar,
    QTabWidget,
    QToolBar,
    QWidget,
)
from ui.returns_view import NewRmaDialog
from ui.roles import PERMISSION_PROPERTY
from ui.sign_in import PinDialog

PEOPLE = {
    Role.CLERK: "petra",
    Role.TECHNICIAN: "tomas",
    Role.MANAGER: "marta",
    Role.ADMIN: "admin",
}
ANYONE = None
RULES: dict[str, Permission | None] = {
    # the window
    "Switch person…": ANYONE,
    "My PIN…": ANYONE,
    "People…": Permission.MANAGE_USERS,
    "Back up now": ANYONE,  # the shop's own automatic backup, to its folder
    # dashboard tiles: a filter of the Jobs view
    "Taken in today": ANYONE,
    "Overdue now": ANYONE,
    "Ready for pickup": ANYONE,
    "Waiting for parts": ANYONE,
    "Complaints due in 3 days": ANYONE,
    # intake
    "Save intake": ANYONE,
    "New (clear)": ANYONE,
    "Set by hand…": Permission.OVERRIDE_WARRANTY,
    "Checklist…": ANYONE,
    "Pattern lock…": ANYONE,  # typed at intake; shown afterwards only to who may see it
    "Photos…": ANYONE,
    "From camera…": ANYONE,  # enabled until the desk is found to have no camera
    "Customer signs…": ANYONE,
    "Customer card…": ANYONE,
    # the job card
    "Save changes": ANYONE,
    "Assign": ANYONE,
    "Correct details…": ANYONE,
    "Print receipt and label…": ANYONE,
    "Message to customer…": ANYONE,
    "Diagnosing": ANYONE,  # the moves the workflow allows
    "On hold": ANYONE,
    "Cancelled": ANYONE,
    "Add photos…": ANYONE,
    "Check after repair…": ANYONE,
    "Lend a loaner…": ANYONE,
    "Reserve": ANYONE,
    "Use": ANYONE,
    "Release": ANYONE,
    "Wait for it": ANYONE,
    "Add line…": Permission.CHANGE_APPROVED_PRICE,  # the price here was approved
    "Record approval…": ANYONE,
    "Quote…": ANYONE,
    # the customer's card
    "Merge a duplicate into this customer…": Permission.MANAGE_CUSTOMERS,
    "Export their data…": Permission.MANAGE_CUSTOMERS,
    "Anonymise…": Permission.MANAGE_CUSTOMERS,
    "Close": ANYONE,
    "Withdraw consent": ANYONE,
    "Record consent": ANYONE,
    # parts
    "New part…": ANYONE,
    "Import CSV…": ANYONE,
    "Edit…": ANYONE,
    "Receive…": ANYONE,
    "Correct…": ANYONE,  # a write-off in it only for who may (the dialog's own test)
    "Propose from low stock": ANYONE,
    "Start a stock take": ANYONE,
    "Cancel stock take": ANYONE,
    "Apply differences…": Permission.APPLY_STOCK_TAKE,
    "New service…": Permission.EDIT_PRICES,
    "Edit service…": Permission.EDIT_PRICES,
    # returns
    "New RMA…": ANYONE,
    "Take back…": ANYONE,
    # reports (the view: managers)
    "Refresh": Permission.SEE_REPORTS,
    "Export CSV…": Permission.SEE_REPORTS,  # also Takings' export, for who closes the day
    "Export PDF…": Permission.SEE_REPORTS,
    "Enter feedback…": Permission.SEE_REPORTS,
    # messages
    "Send now": ANYONE,
    "Save message settings": Permission.EDIT_SETTINGS,
    # takings (the view: who closes the day)
    "Today": Permission.CLOSE_DAY,
    "Record cash-up": Permission.CLOSE_DAY,
    # settings
    "Save shop settings": Permission.EDIT_SETTINGS,
    "Choose…": Permission.EDIT_SETTINGS,
    "Remove": Permission.EDIT_SETTINGS,
    "Save checklists": Permission.EDIT_SETTINGS,
    "Back up to a file…": Permission.BACKUP_RESTORE,
    "Restore from a backup…": Permission.BACKUP_RESTORE,
    "Database server…": ANYONE,  # this desk's own connection
    "Save this desk's printers": ANYONE,
    # inside the dialogs (their own rules: a part's prices read-only to who may not change
    # them, a write-off only for who may; the service dialog opens only for who edits prices)
    "Save": ANYONE,
    "Cancel": ANYONE,
    "Receive": ANYONE,
    "Correct": ANYONE,
    "Choose file…": ANYONE,  # a catalogue to import; a row changing a price: who may
    "Collect and print": ANYONE,
    "Copy text": ANYONE,
    "Copy e-mail": ANYONE,
    "Open in e-mail": ANYONE,
    "Note as sent": ANYONE,
    "Set PIN": ANYONE,  # one's own
    "Test the connection": ANYONE,  # this desk's own connection
    "Use this server": ANYONE,
    "Use this computer's database": ANYONE,
    "OK": ANYONE,
    "Clear": ANYONE,  # a pattern or signature pad
    "Take back": ANYONE,
    "Request RMA": ANYONE,
    "Add": Permission.MANAGE_USERS,  # People…, an administrator's
    "Set password": Permission.MANAGE_USERS,
    "Disable": Permission.MANAGE_USERS,
}
"""Every button and menu action the app offers, in its views and in the dialogs they open
(its English text without the Alt letter's ``&``, a tile's without its count): the
permission the core asks for it, or ``ANYONE``. A control that carries a permission
(:func:`ui.roles.mark`) must carry the one here."""


def _staff_and_a_job(qtbot: QtBot, context: AppContext) -> str:
    def set_up(uow: UnitOfWork) -> str:
        for role, login in PEOPLE.items():
            if login != "admin":
                add_user(uow, login, login.title(), role.value, "admin")
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        add_line(uow, code, LineRequest(text="Display", price=Decimal(2990)), "admin")
        approve(uow, code, Decimal(2990), ApprovalMethod.IN_PERSON, "admin")
        add_service(uow, ServiceInput(code="DIAG", name="Diagnosis", price=Decimal(300)), "admin")
        add_part(uow, PartInput(sku="LCD-7", name="Display"), "admin")
        adjust(uow, "LCD-7", 2, "delivered", "admin")
        start_stock_take(uow, "admin")
        return code

    return write(qtbot, context, set_up, lambda _code: Changes(kinds=frozenset({ChangeKind.ALL})))


def _name(button: QAbstractButton) -> str:
    text = button.text() or button.accessibleName() or button.objectName()
    text = text.split("\n")[-1]  # a tile: its count, then what it counts
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _offered(root: QWidget) -> Iterator[tuple[str, str | None]]:
    """The visible, enabled buttons in ``root``: name, and the permission they carry."""
    for button in root.findChildren(QAbstractButton):
        if isinstance(button, QCheckBox) or isinstance(button.parent(), QTabBar):
            continue  # a choice in a form; a tab's own close button
        if button.isVisible() and button.isEnabled():
            carried = button.property(PERMISSION_PROPERTY)
            yield _name(button), carried if isinstance(carried, str) else None


def _actions(root: QWidget) -> Iterator[tuple[str, str | None]]:
    """The visible, enabled menu and window actions in ``root``: name, and their permission.

    A text field's own actions (its clear button, its context menu) and a toolbar's "show me"
    are Qt's, not the app's."""
    for action in root.findChildren(QAction):
        if not action.text() or action.isSeparator() or isinstance(action.parent(), QLineEdit):
            continue
        owner = action.parent()
        if isinstance(owner, QToolBar) and action is owner.toggleViewAction():
            continue
        if action.objectName().startswith("_q_"):
            continue
        if action.isVisible() and action.isEnabled():
            carried = action.property(PERMISSION_PROPERTY)
            name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            yield name, carried if isinstance(carried, str) else None


def _every_page(qtbot: QtBot, context: AppContext, root: QWidget) -> Iterator[None]:
    """Each page of each tab widget in ``root`` brought to the front in turn."""
    yield
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        for index in range(tabs.count()):
            if tabs.isTabVisible(index) and tabs.isTabEnabled(index):
                tabs.setCurrentIndex(index)
                wait_idle(qtbot, context)
                yield


def _sign_in_as(qtbot: QtBot, context: AppContext, role: Role) -> None:
    context.set_user(PEOPLE[role])
    qtbot.waitUntil(lambda: context.role == role.value, timeout=10_000)
    wait_idle(qtbot, context)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_offered_only_what_the_core_lets_it_do(
    qtbot: QtBot, context: AppContext, window: MainWindow, role: Role
) -> None:
    code = _staff_and_a_job(qtbot, context)
    _sign_in_as(qtbot, context, role)
    card = open_card(qtbot, window, code)
    found: dict[str, str | None] = {}
    for view in [*window.views.values(), card]:
        if not window.tabs.isTabVisible(window.tabs.indexOf(view)):
            continue
        window.tabs.setCurrentWidget(view)
        wait_idle(qtbot, context)
        if isinstance(view, PartsView):
            view.catalogue.table.selectRow(0)
            view.services.reload()
            wait_idle(qtbot, context)
            view.services.table.selectRow(0)
        for _page in _every_page(qtbot, context, view):
            found.update(_offered(window))
            found.update(_actions(window))
            for table in view.findChildren(JobTable):
                if table.isVisible() and table.job_model.rowCount():
                    table.selectRow(0)
                    qtbot.waitUntil(lambda table=table: table.current_code() is not None)
                    menu = table.row_menu()
                    assert menu is not None
                    found.update(_actions(menu))
                    menu.deleteLater()
    customer = CustomerCardDialog(context, card.view.customer.id, window)
    qtbot.addWidget(customer)
    customer.show()
    wait_idle(qtbot, context)
    found.update(_offered(customer))
    _check(role, found)
    _expect_offered(role, found, "Add line…", "New service…", "Edit service…")


def _check(role: Role, found: dict[str, str | None]) -> None:
    unknown = sorted(set(found) - set(RULES))
    assert not unknown, f"buttons without a rule in RULES: {unknown}"
    carried_otherwise = {
        name: carried
        for name, carried in found.items()
        if carried is not None and RULES[name] != carried
    }
    assert not carried_otherwise, f"RULES and the controls disagree: {carried_otherwise}"
    refused = sorted(
        name for name in found if (rule := RULES[name]) is not None and not may(role, rule)
    )
    assert not refused, f"{role.value} is offered what the core refuses: {refused}"


def _expect_offered(role: Role, found: dict[str, str | None], *names: str) -> None:
    """Nothing the role may use is hidden from it."""
    expected = {name for name, rule in RULES.items() if rule is not None and may(role, rule)}
    hidden = sorted(name for name in names if name in expected and name not in found)
    assert not hidden, f"{role.value} may use but is not offered: {hidden}"


@pytest.mark.parametrize("role", list(Role))
def test_the_stock_correction_offers_a_write_off_only_to_who_may(
    qtbot: QtBot, context: AppContext, role: Role
) -> None:
    _staff_and_a_job(qtbot, context)
    _sign_in_as(qtbot, context, role)
    part = read(context, lambda uow: part_by_id(uow, 1))
    dialog = AdjustDialog(context, part)
    qtbot.addWidget(dialog)
    dialog.show()
    may_write_off = may(role, Permission.WRITE_OFF_STOCK)
    assert (dialog.delta.minimum() < 0) is may_write_off
    note = dialog.findChild(QWidget, "write_off_note")
    assert (note is None) is may_write_off
    if not may_write_off:
        with pytest.raises(PermissionDenied):  # what the dialog no longer offers
            write(
                qtbot,
                context,
                lambda uow: adjust(uow, part.sku, -1, "dropped", PEOPLE[role]),
                lambda changed: changed.changes,
            )


def test_the_offer_follows_the_person_switched_to(
    qtbot: QtBot, context: AppContext, window: MainWindow
) -> None:
    code = _staff_and_a_job(qtbot, context)
    card = open_card(qtbot, window, code)
    money = card.findChild(JobMoneyPanel)
    assert isinstance(money, JobMoneyPanel)
    _sign_in_as(qtbot, context, Role.CLERK)
    assert not money.add_button.isEnabled()  # the customer approved the price
    assert money.add_button.toolTip() == (
        "The customer approved the price. Only for: Manager, Administrator."
    )
    settings = window.show_view("settings")
    wait_idle(qtbot, context)
    assert "Save shop settings" not in dict(_offered(settings))
    _sign_in_as(qtbot, context, Role.MANAGER)
    assert money.add_button.isEnabled()
    assert "Save shop settings" not in dict(_offered(settings))
    _sign_in_as(qtbot, context, Role.ADMIN)
    assert "Save shop settings" in dict(_offered(settings))


def _ready_job(qtbot: QtBot, context: AppContext) -> str:
    """A paid repair the customer approved, repaired and ready to collect."""

    def set_up(uow: UnitOfWork) -> str:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        add_line(uow, code, LineRequest(text="Battery", price=Decimal(990)), "admin")
        approve(uow, code, Decimal(990), ApprovalMethod.IN_PERSON, "admin")
        for status in (
            JobStatus.DIAGNOSING,
            JobStatus.IN_REPAIR,
            JobStatus.TESTING,
            JobStatus.READY,
        ):
            change_status(uow, code, status, "admin")
        return code

    return write(qtbot, context, set_up, lambda _code: Changes(kinds=frozenset({ChangeKind.ALL})))


def _dialogs_shown() -> set[QDialog]:
    return {
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QDialog) and widget.isVisible()
    }


def _offered_in(qtbot: QtBot, context: AppContext, dialog: QDialog) -> dict[str, str | None]:
    """What ``dialog`` offers once shown; it is closed after."""
    if not dialog.isVisible():
        qtbot.addWidget(dialog)
        dialog.show()
    wait_idle(qtbot, context)
    found = dict(_offered(dialog))
    found.update(_actions(dialog))
    dialog.reject()
    wait_idle(qtbot, context)
    return found


@pytest.mark.parametrize("role", list(Role))
def test_the_dialogs_a_role_opens_offer_only_what_the_core_lets_it_do(
    qtbot: QtBot, context: AppContext, window: MainWindow, role: Role
) -> None:
    """The buttons inside the dialogs of a job card ready to collect, of Parts and of the
    desk's own settings: each in RULES, and allowed to the role."""
    _staff_and_a_job(qtbot, context)
    code = _ready_job(qtbot, context)
    _sign_in_as(qtbot, context, role)
    card = open_card(qtbot, window, code)
    found: dict[str, str | None] = {}
    for button in ("Collect…", "Correct details…", "Message to customer…", "Customer card…"):
        offered = {
            _name(candidate): candidate
            for candidate in card.findChildren(QAbstractButton)
            if candidate.isVisible() and candidate.isEnabled()
        }
        assert button in offered, f"{role.value} is not offered {button} on a ready job"
        before = _dialogs_shown()
        offered[button].click()
        qtbot.waitUntil(lambda before=before: bool(_dialogs_shown() - before), timeout=10_000)
        (dialog,) = _dialogs_shown() - before
        if button == "Collect…":
            assert isinstance(dialog, CollectDialog)
        found.update(_offered_in(qtbot, context, dialog))
    part = read(context, lambda uow: part_by_id(uow, 1))
    for dialog in (
        PartDialog(context, None, window),
        PartDialog(context, part, window),
        ReceiveDialog(context, part, window),
        AdjustDialog(context, part, window),
        ImportDialog(context, window),
        ConnectionDialog(context.state, window),
        PinDialog(context, window),
        TakeBackDialog(context, window),
        NewRmaDialog(context, window),
        PatternDialog("", window),
        SignatureDialog("", window, title="Customer signs"),
    ):
        found.update(_offered_in(qtbot, context, dialog))
    if may(role, Permission.MANAGE_USERS):  # People… is shown to who may
        found.update(_offered_in(qtbot, context, PeopleDialog(context, window)))
    parts = window.views["parts"]
    assert isinstance(parts, PartsView)
    services = parts.services
    window.tabs.setCurrentWidget(parts)
    parts.tabs.setCurrentWidget(services)
    wait_idle(qtbot, context)
    services.table.selectRow(0)
    for button in (services.new_button, services.edit_button):
        if button.isEnabled():
            button.click()
            assert services.dialog is not None
            found.update(_offered_in(qtbot, context, services.dialog))
    if not may(role, Permission.EDIT_PRICES):
        services.table.doubleClicked.emit(services.table.currentIndex())
        assert services.dialog is None  # a double click does not open it either
    _check(role, found)


@pytest.mark.parametrize("role", list(Role))
def test_a_part_s_prices_are_changed_in_its_dialog_only_by_who_may(
    qtbot: QtBot, context: AppContext, role: Role
) -> None:
    _staff_and_a_job(qtbot, context)
    _sign_in_as(qtbot, context, role)
    part = read(context, lambda uow: part_by_id(uow, 1))
    editing = PartDialog(context, part)
    adding = PartDialog(context, None)
    for dialog in (editing, adding):
        qtbot.addWidget(dialog)
        dialog.show()
    may_edit = may(role, Permission.EDIT_PRICES)
    assert editing.price.isEnabled() is may_edit
    assert editing.cost.isEnabled() is may_edit
    assert (editing.findChild(QWidget, "prices_note") is None) is may_edit
    assert adding.price.isEnabled()  # a new part comes in with its first prices
    assert adding.cost.isEnabled()
    assert adding.findChild(QWidget, "prices_note") is None


@pytest.mark.parametrize("role", list(Role))
def test_no_key_brings_forward_a_view_the_role_is_not_shown(
    qtbot: QtBot, context: AppContext, window: MainWindow, role: Role
) -> None:
    """Ctrl+1…9, 0 go to the views by their place: a tab hidden from the role is not
    reached by its key either (the Reports of a clerk)."""
    _staff_and_a_job(qtbot, context)
    _sign_in_as(qtbot, context, role)
    hidden = [
        view
        for view in window.views.values()
        if not window.tabs.isTabVisible(window.tabs.indexOf(view))
    ]
    assert bool(hidden) is (role in (Role.CLERK, Role.TECHNICIAN))
    keys = [
        shortcut
        for shortcut in window.findChildren(QShortcut)
        if shortcut.key().toString(QKeySequence.SequenceFormat.PortableText)[:5] == "Ctrl+"
        and shortcut.key().toString(QKeySequence.SequenceFormat.PortableText)[5:].isdigit()
    ]
    assert len(keys) == min(len(window.views), 10)
    for shortcut in keys:
        shortcut.activated.emit()
        wait_idle(qtbot, context)
        assert window.tabs.currentWidget() not in hidden, shortcut.key().toString()
        assert window.tabs.isTabVisible(window.tabs.currentIndex())
