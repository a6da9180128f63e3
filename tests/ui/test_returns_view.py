"""The Returns view: request an RMA, move it with the buttons its state allows, filter by state."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from repairshop.domain.rma import RmaAction, RmaState
from repairshop.services.parts.job_parts import receive_part
from repairshop.services.parts.stock import PartInput, add_part, part_changes, show_part
from repairshop.services.uow import UnitOfWork
from tests.ui import ops
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.qt import QDialogButtonBox
from ui.returns_view import NewRmaDialog, ReturnsView, RmaPanel

SEND = (RmaAction.SEND, RmaState.SENT)
CREDITED = (RmaAction.CLOSE, RmaState.CREDITED)
REPLACED = (RmaAction.RECEIVE, RmaState.REPLACED)


def stock(context: AppContext) -> tuple[int, int]:
    part = ops.read(context, lambda uow: show_part(uow, "SCR-S23"))
    return part.on_hand, part.reserved


def shown_moves(view: RmaPanel) -> set[tuple[RmaAction, RmaState]]:
    return {key for key, button in view.move_buttons.items() if not button.isHidden()}


def test_an_rma_requested_sent_and_credited_from_the_returns_tab(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    def setup(uow: UnitOfWork) -> None:
        add_part(
            uow,
            PartInput(
                sku="SCR-S23", name="Galaxy S23 display", price=Decimal(1), supplier="MobileParts"
            ),
            context.user,
        )
        receive_part(uow, "SCR-S23", 2, context.user)

    ops.write(qtbot, context, setup, lambda _r: part_changes())
    returns = window.show_view("returns")
    assert isinstance(returns, ReturnsView)
    view = returns.suppliers
    ops.wait_idle(qtbot, context)
    ModelTester(None).check(view.model)
    assert view.model.rowCount() == 0
    assert shown_moves(view) == set()

    dialog = NewRmaDialog(context, view)
    qtbot.addWidget(dialog)
    ops.wait_idle(qtbot, context)
    assert dialog.supplier.currentText() == "MobileParts"
    qtbot.keyClicks(dialog.sku, "scr-s23")
    qtbot.keyClicks(dialog.reason, "Dead pixels")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    ops.wait_idle(qtbot, context)
    assert dialog.created is not None
    assert dialog.created.number == "RMA00001"
    assert stock(context) == (2, 1)

    assert view.model.rowCount() == 1
    view.table.selectRow(0)
    assert shown_moves(view) == {SEND, (RmaAction.CLOSE, RmaState.REJECTED)}
    assert "Dead pixels" in view.summary.text()
    qtbot.keyClicks(view.note, "DPD 1234")
    view.move_buttons[SEND].click()
    ops.wait_idle(qtbot, context)
    view.table.selectRow(0)
    assert stock(context) == (1, 0)
    assert view.model.data(view.model.index(0, 1)) == "Sent"
    assert shown_moves(view) == {
        REPLACED,
        (RmaAction.RECEIVE, RmaState.REJECTED),
        CREDITED,
        (RmaAction.CLOSE, RmaState.REJECTED),
    }
    assert view.history_model.rowCount() == 2
    assert view.history_model.data(view.history_model.index(1, 3)) == "DPD 1234"

    view.move_buttons[CREDITED].click()
    ops.wait_idle(qtbot, context)
    assert view.model.rowCount() == 0  # the open filter no longer shows it
    view.filter.setCurrentIndex(view.filter.findData("credited"))
    ops.wait_idle(qtbot, context)
    assert view.model.rowCount() == 1
    view.table.selectRow(0)
    assert shown_moves(view) == set()
    assert stock(context) == (1, 0)
