"""The Parts view and the job card's Parts tab, driven as a person at the desk would."""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from repairshop.domain.statuses import JobStatus
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from repairshop.services.parts.job_parts import job_parts, receive_part, reserve_part
from repairshop.services.parts.purchasing import create_order, list_orders, send_order, show_order
from repairshop.services.parts.stock import PartInput, add_part, show_part
from tests.helpers import SettableClock, database, intake_document
from tests.ui.ops import read, wait_idle
from ui.app import make_context
from ui.context import AppContext
from ui.job_card import JobCard, load_card
from ui.parts import JobPartsPanel, PartsView
from ui.parts.dialogs import PartDialog, ReceiveDialog
from ui.parts.import_dialog import ROW_COLUMNS, ImportDialog
from ui.parts.models import (
    COUNT_COLUMNS,
    JOB_PART_COLUMNS,
    MOVEMENT_COLUMNS,
    ORDER_COLUMNS,
    ListTableModel,
    PartTableModel,
)
from ui.parts.orders_view import ReceiveOrderDialog
from ui.qt import QLabel, QMessageBox, QSettings, Qt

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-parts-shots"))


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Database]:
    with database("sqlite", tmp_path, SettableClock()) as db:
        with db.unit_of_work() as uow:
            add_part(
                uow,
                PartInput(
                    sku="SCR-S23",
                    name="Samsung Galaxy S23 display",
                    compatible="Samsung Galaxy S23",
                    location="A-03",
                    price=Decimal("2490"),
                    cost=Decimal("1500"),
                    reorder_level=2,
                    reorder_quantity=5,
                    supplier="MobileParts s.r.o.",
                    supplier_sku="MP-S23",
                ),
                "admin",
            )
            receive_part(uow, "SCR-S23", 1, "admin")
            add_part(uow, PartInput(sku="BAT-IP13", name="iPhone 13 battery"), "admin")
            receive_part(uow, "BAT-IP13", 8, "admin", cost=Decimal("420"))
            for n in range(300):
                add_part(uow, PartInput(sku=f"CAP-{n:04d}", name=f"Capacitor {n}"), "admin")
            uow.commit()
        yield db


@pytest.fixture
def context(shop: Database, tmp_path: Path) -> Iterator[AppContext]:
    made = make_context(shop, QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat))
    yield made
    made.tasks.shutdown()


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch, context: AppContext) -> list[str]:
    """What the one error path showed; questions are answered Yes, notices dismissed."""
    shown: list[str] = []
    monkeypatch.setattr(context, "show_error", lambda _parent, error: shown.append(str(error)))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    return shown


def new_job(db: Database) -> str:
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    return code


def shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"{name}.png"))


def test_every_parts_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, context: AppContext, shop: Database
) -> None:
    parts = PartTableModel(context)
    qtmodeltester.check(parts)  # empty, before the first search
    parts.search("", low_only=False)
    wait_idle(qtbot, context)
    assert parts.rowCount() == 302
    qtmodeltester.check(parts)
    code = new_job(shop)
    with shop.unit_of_work() as uow:
        reserve_part(uow, code, "BAT-IP13", 2, "admin")
        uow.commit()
    with shop.reader() as uow:
        lines = job_parts(uow, code).lines
    for columns, rows in (
        (JOB_PART_COLUMNS, lines),
        (MOVEMENT_COLUMNS, []),
        (ORDER_COLUMNS, []),
        (COUNT_COLUMNS, []),
        (ROW_COLUMNS, []),
    ):
        model: ListTableModel[Any] = ListTableModel(columns)
        model.set_rows(rows)
        qtmodeltester.check(model)


def test_the_catalogue_is_lazy_searchable_and_filters_low_stock(
    qtbot: QtBot, context: AppContext
) -> None:
    view = PartsView(context)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    wait_idle(qtbot, context)
    catalogue = view.catalogue
    assert catalogue.model.rowCount() == 302
    # Only the rows on screen were fetched: a page of ids, not the whole catalogue.
    assert len(catalogue.model._rows) <= 200

    qtbot.keyClicks(catalogue.search, "scr-s23")
    qtbot.keyClick(catalogue.search, Qt.Key.Key_Return)
    wait_idle(qtbot, context)
    assert catalogue.model.rowCount() == 1
    assert catalogue.card.part is not None
    assert catalogue.card.part.sku == "SCR-S23"
    assert "1 on hand" in catalogue.card.stock.text()
    assert catalogue.card.movement_model.rowCount() == 1
    shot(view, "parts-catalogue")

    catalogue.search.clear()
    catalogue.low_only.setChecked(True)
    wait_idle(qtbot, context)
    assert catalogue.model.rowCount() == 1
    catalogue.model.part(0)
    wait_idle(qtbot, context)
    assert catalogue.model.part(0) is not None
    assert catalogue.count.text() == "1 part"


def test_cancelling_a_job_on_its_card_frees_its_part_in_an_open_parts_view(
    qtbot: QtBot, context: AppContext, shop: Database
) -> None:
    code = new_job(shop)
    with shop.unit_of_work() as uow:
        reserve_part(uow, code, "SCR-S23", 1, "admin")
        uow.commit()
    view = PartsView(context)
    qtbot.addWidget(view)
    view.show()
    catalogue = view.catalogue
    qtbot.keyClicks(catalogue.search, "scr-s23")
    qtbot.keyClick(catalogue.search, Qt.Key.Key_Return)
    wait_idle(qtbot, context)
    shown = catalogue.model.part(0)
    assert shown is not None
    assert (shown.sku, shown.reserved) == ("SCR-S23", 1)
    card = JobCard(context, read(context, lambda uow: load_card(uow, code, context.user)))
    qtbot.addWidget(card)
    card.show()
    wait_idle(qtbot, context)

    qtbot.mouseClick(card.move_buttons[JobStatus.CANCELLED], Qt.MouseButton.LeftButton)

    def freed() -> bool:
        part = catalogue.model.part(0)
        return part is not None and part.reserved == 0

    qtbot.waitUntil(freed)  # no other desk's poll: the card's own result named the part
    assert catalogue.card.part is not None
    assert "1 on hand" in catalogue.card.stock.text()


def test_receiving_stock_updates_the_card_and_the_list(
    qtbot: QtBot, context: AppContext, shop: Database
) -> None:
    view = PartsView(context)
    qtbot.addWidget(view)
    view.show()
    qtbot.keyClicks(view.catalogue.search, "SCR-S23")
    qtbot.keyClick(view.catalogue.search, Qt.Key.Key_Return)
    wait_idle(qtbot, context)
    part = view.catalogue.card.part
    assert part is not None
    dialog = ReceiveDialog(context, part, view)  # the view owns it
    dialog.quantity.setValue(4)
    dialog.cost.setText("1450")
    dialog.reason.setText("DL 2026/118")
    assert any(
        "becomes the average of the stock on hand" in label.text()
        for label in dialog.findChildren(QLabel)
    )
    shot(dialog, "receive-dialog")
    dialog.receive()
    wait_idle(qtbot, context)
    assert dialog.result_ is not None
    with shop.reader() as uow:
        assert show_part(uow, "SCR-S23").on_hand == 5
    assert "5 on hand" in view.catalogue.card.stock.text()
    assert view.catalogue.card.movement_model.rowCount() == 2
    view.catalogue.model.part(0)
    wait_idle(qtbot, context)
    assert view.catalogue.model.data(view.catalogue.model.index(0, 2)) == "5"


def test_the_job_card_parts_tab_reserves_uses_and_refuses_what_is_not_there(
    qtbot: QtBot, context: AppContext, shop: Database, refusals: list[str]
) -> None:
    first, second = new_job(shop), new_job(shop)
    panel = JobPartsPanel(context, first)
    qtbot.addWidget(panel)
    panel.resize(900, 300)
    panel.show()
    qtbot.keyClicks(panel.sku, "scr-s23")
    qtbot.keyClick(panel.sku, Qt.Key.Key_Return)  # Enter reserves: a scanner's Enter
    wait_idle(qtbot, context)
    assert panel.model.rowCount() == 1
    assert "2,490" in panel.totals.text()
    shot(panel, "job-parts-tab")

    other = JobPartsPanel(context, second)
    qtbot.addWidget(other)
    qtbot.keyClicks(other.sku, "SCR-S23")
    other.use()
    wait_idle(qtbot, context)
    assert len(refusals) == 1
    assert "Not enough “Samsung Galaxy S23 display” (SCR-S23)" in refusals[0]
    assert "0 available" in refusals[0]
    assert other.model.rowCount() == 0

    panel.table.selectRow(0)
    assert panel.sku.text() == "SCR-S23"
    panel.use()
    wait_idle(qtbot, context)
    with shop.reader() as uow:
        view = show_part(uow, "SCR-S23")
        assert (view.on_hand, view.reserved) == (0, 0)
    line = panel.model.row(0)
    assert line is not None
    assert (line.reserved, line.used) == (0, 1)

    with shop.unit_of_work() as uow:
        add_part(uow, PartInput(sku="MB-X1", name="Mainboard X1", serialised=True), "admin")
        receive_part(uow, "MB-X1", 2, "admin", serials=["SN-1", "SN-2"])
        uow.commit()
    qtbot.keyClicks(panel.sku, "SN-2")  # the unit's own label
    qtbot.keyClick(panel.sku, Qt.Key.Key_Return)
    wait_idle(qtbot, context)
    board = panel.model.row(1)
    assert board is not None
    assert (board.sku, board.reserved, board.serials) == ("MB-X1", 1, ("SN-2",))


def test_purchase_orders_and_a_delivery_that_frees_a_waiting_job(
    qtbot: QtBot, context: AppContext, shop: Database, refusals: list[str]
) -> None:
    code = new_job(shop)
    with shop.unit_of_work() as uow:
        change_status(uow, code, JobStatus.DIAGNOSING, "admin")
        uow.commit()
    panel = JobPartsPanel(context, code)
    qtbot.addWidget(panel)
    view = PartsView(context)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    view.tabs.setCurrentWidget(view.orders)
    orders = view.orders
    wait_idle(qtbot, context)
    orders.propose()
    wait_idle(qtbot, context)
    assert orders.model.rowCount() == 1
    orders.table.selectRow(0)
    assert orders.line_model.rowCount() == 1
    assert orders.send_button.isEnabled()
    orders.send()
    wait_idle(qtbot, context)
    assert orders.receive_button.isEnabled()
    shot(view, "purchase-orders")

    qtbot.keyClicks(panel.sku, "SCR-S23")
    panel.quantity.setValue(2)
    panel.wait()  # one on the shelf is not enough for this job: it waits for two
    wait_idle(qtbot, context)
    assert refusals == []
    assert "waiting for SCR-S23" in panel.totals.text()

    order = orders.current()
    assert order is not None
    dialog = ReceiveOrderDialog(context, order, orders)
    dialog.spins["SCR-S23"].setValue(3)
    dialog.receive()
    wait_idle(qtbot, context)
    assert refusals == []
    with shop.reader() as uow:
        [sent] = list_orders(uow)
        assert sent.status.value == "partly_received"
        assert show_part(uow, "SCR-S23").reserved == 2
    assert "waiting for" not in panel.totals.text()
    line = panel.model.row(0)
    assert line is not None
    assert line.arrived
    assert orders.arrived.text() == f"Parts arrived for: {code} (SCR-S23)"


def test_stock_take_counts_scans_and_applies_after_review(
    qtbot: QtBot, context: AppContext, shop: Database, refusals: list[str]
) -> None:
    view = PartsView(context)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    view.tabs.setCurrentWidget(view.stock_take)
    take = view.stock_take
    wait_idle(qtbot, context)
    assert not take.scan_box.isEnabled()
    take.start()
    wait_idle(qtbot, context)
    assert take.scan_box.isEnabled()
    for label in ["BAT-IP13"] * 6 + ["SCR-S23", "NOPE"]:
        qtbot.keyClicks(take.scan_box, label)
        qtbot.keyClick(take.scan_box, Qt.Key.Key_Return)
    wait_idle(qtbot, context)
    assert len(refusals) == 1
    assert "no part with SKU or serial “NOPE”" in refusals[0]
    assert take.model.rowCount() == 2
    assert "BAT-IP13" in take.last.text() or "SCR-S23" in take.last.text()
    take.differences_only.setChecked(True)
    wait_idle(qtbot, context)
    assert take.model.rowCount() == 1
    shot(view, "stock-take")
    with shop.reader() as uow:
        assert show_part(uow, "BAT-IP13").on_hand == 8  # nothing changes before review
    take.apply()
    wait_idle(qtbot, context)
    with shop.reader() as uow:
        assert show_part(uow, "BAT-IP13").on_hand == 6
    assert not take.scan_box.isEnabled()


def test_a_catalogue_file_is_previewed_and_bad_rows_import_only_when_chosen(
    qtbot: QtBot, context: AppContext, shop: Database, tmp_path: Path, refusals: list[str]
) -> None:
    csv_file = tmp_path / "cenik.csv"
    csv_file.write_text(
        "sku;name;price;reorder_level\n"
        "BAT-IP13;iPhone 13 battery;950;4\n"
        "KBD-1;Keyboard;12x;1\n"
        "CAM-2;Kamera přední;500;1\n",
        encoding="cp1250",
    )
    dialog = ImportDialog(context)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed):
        dialog.load(csv_file)
    assert dialog.model.rowCount() == 3
    assert dialog.model.data(dialog.model.index(0, 2)) == "update"
    assert "not an amount" in str(dialog.model.data(dialog.model.index(1, 3)))
    assert not dialog.import_button.isEnabled()
    assert dialog.good_only_button.isEnabled()
    shot(dialog, "import-preview")
    with shop.reader() as uow:
        assert show_part(uow, "BAT-IP13").price == Decimal("0")
    dialog.good_only_button.click()
    wait_idle(qtbot, context)
    assert refusals == []
    assert dialog.result_ is not None
    assert (dialog.result_.added, dialog.result_.updated, dialog.result_.skipped) == (1, 1, 1)
    with shop.reader() as uow:
        assert show_part(uow, "BAT-IP13").price == Decimal("950")
        assert show_part(uow, "CAM-2").reorder_level == 1
        assert show_part(uow, "CAM-2").name == "Kamera přední"  # a Windows-1250 file


def test_a_new_part_is_added_from_the_catalogue_and_edited_on_its_card(
    qtbot: QtBot,
    context: AppContext,
    shop: Database,
    refusals: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = PartsView(context)
    qtbot.addWidget(view)
    view.show()
    wait_idle(qtbot, context)

    def fill_and_save(dialog: PartDialog) -> int:
        if dialog.part is None:
            dialog.sku.setText(" cam-px7 ")
            dialog.name.setText("Pixel 7 rear camera")
            dialog.price.setText("1 290,50")
            dialog.cost.setText("abc")
            dialog.save()  # refused: the cost is not an amount, nothing is written
            wait_idle(qtbot, context)
            dialog.cost.setText("800")
            dialog.reorder_level.setValue(1)
            dialog.supplier.setText("MobileParts s.r.o.")
            dialog.supplier_sku.setText("MP-PX7-CAM")
        else:
            assert dialog.sku.isReadOnly()
            assert dialog.price.text() == "€1,290.50"  # as the rest of the screen writes it
            dialog.location.setText("D-04")
            dialog.price.setText("1390")
        dialog.save()
        wait_idle(qtbot, context)
        return int(dialog.result_ is not None)

    monkeypatch.setattr(PartDialog, "exec", fill_and_save)
    view.catalogue.new_button.click()
    wait_idle(qtbot, context)

    assert len(refusals) == 1
    assert "abc" in refusals[0]
    card = view.catalogue.card
    assert card.part is not None
    assert card.part.sku == "CAM-PX7"
    assert card.part.price == Decimal("1290.50")
    assert "MobileParts s.r.o. (MP-PX7-CAM)" in card.suppliers.text()

    card.edit_button.click()
    wait_idle(qtbot, context)
    with shop.reader() as uow:
        edited = show_part(uow, "CAM-PX7")
    assert (edited.location, edited.price, edited.on_hand) == ("D-04", Decimal("1390.00"), 0)
    assert card.location.text() == "D-04"

    duplicate = PartDialog(context, None, view)
    duplicate.sku.setText("CAM-PX7")
    duplicate.name.setText("Another camera")
    duplicate.save()
    wait_idle(qtbot, context)
    assert duplicate.result_ is None
    assert "already in the catalogue" in refusals[-1]


def test_serialised_parts_on_an_order_arrive_with_their_scanned_serials(
    qtbot: QtBot, context: AppContext, shop: Database, refusals: list[str]
) -> None:
    with shop.unit_of_work() as uow:
        add_part(
            uow,
            PartInput(sku="MB-X1", name="ThinkPad X1 mainboard", serialised=True),
            "admin",
        )
        lines = [("MB-X1", 3, Decimal("5200")), ("BAT-IP13", 2, None)]
        number = create_order(uow, "MobileParts s.r.o.", lines, "admin").number
        send_order(uow, number, "admin")
        uow.commit()
    with shop.reader() as uow:
        order = show_order(uow, number)
    dialog = ReceiveOrderDialog(context, order)
    qtbot.addWidget(dialog)
    spin = dialog.spins["MB-X1"]
    assert not spin.isEnabled()
    assert spin.value() == 0
    dialog.serials["MB-X1"].setPlainText("PF3ABC01\n\nPF3ABC02\n")
    assert spin.value() == 2
    dialog.receive()
    wait_idle(qtbot, context)

    assert refusals == []
    with shop.reader() as uow:
        received = show_order(uow, number)
        board = show_part(uow, "MB-X1")
    assert [line.received for line in received.lines] == [2, 2]
    assert received.status.value == "partly_received"
    assert board.on_hand == 2
    assert board.serials_in_stock == ("PF3ABC01", "PF3ABC02")

    again = ReceiveOrderDialog(context, received)
    qtbot.addWidget(again)
    again.serials["MB-X1"].setPlainText("PF3ABC02")
    again.receive()
    wait_idle(qtbot, context)
    assert len(refusals) == 1
    assert "PF3ABC02" in refusals[0]
    with shop.reader() as uow:
        assert show_part(uow, "MB-X1").on_hand == 2
