"""The Returns tab's "From customers" part: take a part back, restock it, refund it, refuse
another; stock stays equal to its ledger, and a refused move changes nothing."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from repairshop.domain.customer_returns import RefundDecision, ReturnState
from repairshop.services.aftersales.customer_returns import open_return, restock_return
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.parts.job_parts import receive_part
from repairshop.services.parts.purchasing import add_supplier
from repairshop.services.parts.stock import PartInput, add_part, ledger_totals, show_part
from repairshop.services.shop.users import add_user
from repairshop.services.uow import UnitOfWork
from tests.helpers import intake_document
from tests.ui import ops
from tests.ui.accessibility import unnamed_controls
from tests.ui.test_translated_layouts import clashing_shortcuts, clipped_texts
from ui.app import build_window
from ui.context import AppContext
from ui.customer_returns import CustomerReturnsPanel, TakeBackDialog
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.qt import QApplication, QDialogButtonBox
from ui.returns_view import ReturnsView


def stock(context: AppContext) -> tuple[int, int]:
    def query(uow: UnitOfWork) -> tuple[int, int]:
        part = show_part(uow, "CASE-S23")
        assert ledger_totals(uow, part.id) == (part.on_hand, part.reserved)
        return part.on_hand, part.reserved

    return ops.read(context, query)


def shown(panel: CustomerReturnsPanel) -> set[object]:
    return {
        key
        for buttons in (panel.item_buttons, panel.money_buttons)
        for key, button in buttons.items()  # type: ignore[attr-defined]
        if not button.isHidden()
    }


def take_back(qtbot: QtBot, context: AppContext, panel: CustomerReturnsPanel, reason: str) -> str:
    dialog = TakeBackDialog(context, panel)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.customer, "+420 777 123 456")
    qtbot.keyClicks(dialog.sku, "case-s23")
    qtbot.keyClicks(dialog.reason, reason)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    ops.wait_idle(qtbot, context)
    assert dialog.created is not None
    panel._select_next = dialog.created.number
    panel.reload()
    ops.wait_idle(qtbot, context)
    return dialog.created.number


def test_a_part_taken_back_restocked_refunded_and_another_refused(
    qtbot: QtBot, window: MainWindow, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(context, "show_error", lambda _parent, error: errors.append(str(error)))

    def setup(uow: UnitOfWork) -> None:
        intake(uow, intake_request_from_json(intake_document()), context.user)
        add_part(
            uow,
            PartInput(sku="CASE-S23", name="Galaxy S23 case", price=Decimal(390)),
            context.user,
        )
        receive_part(uow, "CASE-S23", 2, context.user)
        add_supplier(uow, "MobileParts", context.user)

    ops.write(qtbot, context, setup, lambda _r: Changes(kinds=frozenset({ChangeKind.ALL})))
    view = window.show_view("returns")
    assert isinstance(view, ReturnsView)
    view.parts.setCurrentWidget(view.customers)
    panel = view.customers
    ops.wait_idle(qtbot, context)
    ModelTester(None).check(panel.model)
    assert panel.model.rowCount() == 0
    assert shown(panel) == set()

    first = take_back(qtbot, context, panel, "Does not fit")
    assert first.endswith("-0001")
    assert panel.model.rowCount() == 1
    assert stock(context) == (2, 0)
    assert shown(panel) == {
        ReturnState.RESTOCKED,
        ReturnState.TO_SUPPLIER,
        ReturnState.SCRAPPED,
        *RefundDecision,
    }
    assert "Does not fit" in panel.summary.text()
    panel.item_buttons[ReturnState.RESTOCKED].click()
    ops.wait_idle(qtbot, context)
    assert stock(context) == (3, 0)
    assert shown(panel) == set(RefundDecision)
    panel.money_buttons[RefundDecision.REFUNDED].click()
    ops.wait_idle(qtbot, context)
    assert panel.model.rowCount() == 0  # settled: the open filter no longer shows it
    panel.filter.setCurrentIndex(panel.filter.findData(""))
    ops.wait_idle(qtbot, context)
    panel.table.selectRow(0)
    assert shown(panel) == set()
    assert panel.history_model.rowCount() == 3
    ModelTester(None).check(panel.history_model)
    assert errors == []

    second = take_back(qtbot, context, panel, "Changed mind")
    assert panel.current() is not None
    assert panel.current().number == second  # type: ignore[union-attr]
    panel.money_buttons[RefundDecision.REFUSED].click()  # no reason given: refused
    ops.wait_idle(qtbot, context)
    assert len(errors) == 1
    assert panel.current().decision is None  # type: ignore[union-attr]
    qtbot.keyClicks(panel.note, "Opened and used")
    panel.money_buttons[RefundDecision.REFUSED].click()
    ops.wait_idle(qtbot, context)
    assert panel.current().decision is RefundDecision.REFUSED  # type: ignore[union-attr]
    assert "Opened and used" in panel.summary.text()
    assert stock(context) == (3, 0)
    panel.item_buttons[ReturnState.TO_SUPPLIER].click()  # the case has no supplier of its own
    ops.wait_idle(qtbot, context)
    assert len(errors) == 2
    assert stock(context) == (3, 0)
    panel.supplier.setCurrentIndex(panel.supplier.findData("MobileParts"))
    panel.item_buttons[ReturnState.TO_SUPPLIER].click()
    ops.wait_idle(qtbot, context)
    assert stock(context) == (4, 1)  # back in the shop, held for the supplier's RMA
    assert panel.current().rma == "RMA00001"  # type: ignore[union-attr]
    assert len(errors) == 2


def test_a_clerk_sees_scrap_and_refund_disabled_with_who_may(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    def setup(uow: UnitOfWork) -> None:
        intake(uow, intake_request_from_json(intake_document()), context.user)
        add_part(
            uow,
            PartInput(sku="CASE-S23", name="Galaxy S23 case", price=Decimal(390)),
            context.user,
        )
        receive_part(uow, "CASE-S23", 2, context.user)
        add_user(uow, "petra", "Petra", "clerk", context.user)

    ops.write(qtbot, context, setup, lambda _r: Changes(kinds=frozenset({ChangeKind.ALL})))
    view = window.show_view("returns")
    assert isinstance(view, ReturnsView)
    view.parts.setCurrentWidget(view.customers)
    panel = view.customers
    take_back(qtbot, context, panel, "Does not fit")
    gated = (panel.item_buttons[ReturnState.SCRAPPED], panel.money_buttons[RefundDecision.REFUNDED])
    assert all(button.isEnabled() for button in gated)  # the administrator
    context.set_user("petra")
    qtbot.waitUntil(lambda: context.role == "clerk", timeout=ops.WAIT_MS)
    assert not any(button.isEnabled() for button in gated)
    assert not any(button.isHidden() for button in gated)  # the take-back allows them
    assert [button.toolTip() for button in gated] == [
        "Only for: Manager, Administrator.",
        "Only for: Manager, Administrator.",
    ]
    assert panel.item_buttons[ReturnState.RESTOCKED].isEnabled()


SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-return-shots"))


@pytest.mark.parametrize("language", ["en", "cs", "de", "pl", "ru", "hu"])
def test_the_from_customers_part_fits_its_translated_text(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    context = window.context

    def setup(uow: UnitOfWork) -> None:
        intake(uow, intake_request_from_json(intake_document()), context.user)
        add_part(
            uow,
            PartInput(sku="CASE-S23", name="Galaxy S23 case", price=Decimal(390)),
            context.user,
        )
        item = open_return(uow, "+420 777 123 456", "CASE-S23", context.user, reason="Cracked")
        restock_return(uow, item.number, context.user)
        open_return(uow, "+420 777 123 456", "CASE-S23", context.user, reason="Does not fit")

    ops.write(qtbot, context, setup, lambda _r: Changes(kinds=frozenset({ChangeKind.ALL})))
    apply_language(language)
    try:
        shown = build_window(context)
        qtbot.addWidget(shown)
        shown.resize(1280, 800)
        shown.show()
        ops.wait_idle(qtbot, context)
        view = shown.show_view("returns")
        assert isinstance(view, ReturnsView)
        view.parts.setCurrentWidget(view.customers)
        ops.wait_idle(qtbot, context)
        view.customers.filter.setCurrentIndex(1)
        ops.wait_idle(qtbot, context)
        view.customers.table.selectRow(0)  # still received: every move and decision shows
        assert view.customers.history_model.rowCount() == 1
        QApplication.processEvents()  # the layout makes room for the chosen return's summary
        summary = view.customers.summary
        assert summary.height() >= summary.heightForWidth(summary.width())
        assert clipped_texts(view.customers) == []
        assert clashing_shortcuts(view.customers) == {}
        assert unnamed_controls(view.customers) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        shown.grab().save(str(SHOTS / f"from-customers-{language}.png"))
        dialog = TakeBackDialog(context, shown)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert clipped_texts(dialog) == []
        assert clashing_shortcuts(dialog) == {}
        assert unnamed_controls(dialog) == []
        dialog.grab().save(str(SHOTS / f"take-back-{language}.png"))
        dialog.reject()
        shown.close()
    finally:
        apply_language("en")
