"""The card's Costs table at 1280×800 in Polish: the gross of a line is shown whole, the
description gives way ("Brutto" showed "899,…")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from repairshop.services.database import Database
from repairshop.services.money.job_money import job_money
from repairshop.services.money.lines import LineRequest, add_line
from repairshop.services.parts.job_parts import receive_part, use_part
from repairshop.services.parts.stock import PartInput, add_part
from tests.ui.ops import open_card, read, wait_idle, write
from tests.ui.test_job_money import panel_of, take_in
from ui.app import build_window
from ui.context import AppContext
from ui.language import apply_language
from ui.money.dialogs import ApprovalDialog
from ui.parts import JobPartsPanel
from ui.qt import QModelIndex, Qt, QTableView


def elided(table: QTableView, columns: tuple[int, ...]) -> list[str]:
    """The cells of ``columns`` whose text is wider than the cell."""
    found = []
    model = table.model()
    metrics = table.fontMetrics()
    margin = 6  # the cell's own padding, as the table style draws it
    for row in range(model.rowCount()):
        for column in columns:
            index: QModelIndex = model.index(row, column)
            text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
            if table.columnWidth(column) < metrics.horizontalAdvance(text) + margin:
                found.append(f"{row},{column}: {text!r} in {table.columnWidth(column)} px")
    return found


def test_the_gross_of_a_line_is_never_cut_on_the_card(qtbot: QtBot, context: AppContext) -> None:
    code = take_in(qtbot, context)
    for text, price in (("Wyświetlacz iPhone 12 z ramką i taśmą", "899"), ("Bateria", "12499")):
        write(qtbot, context, lambda uow, t=text, p=price: add_line(
            uow, code, LineRequest(text=t, price=Decimal(p)), "admin"),
            lambda result: result.changes)  # fmt: skip
    apply_language("pl")
    try:
        window = build_window(context)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        wait_idle(qtbot, context)
        card = open_card(qtbot, window, code)
        wait_idle(qtbot, context)
        qtbot.wait(10)
        table = panel_of(card).table
        assert table.model().rowCount() == 2
        assert elided(table, (1, 2, 3, 4)) == []
    finally:
        apply_language("en")


def test_the_parts_of_a_job_are_priced_as_its_costs_are(
    qtbot: QtBot, context: AppContext, shop_db: Database
) -> None:
    """The Parts table beside Costs said "899" where Costs said "899,00"."""
    with shop_db.unit_of_work() as uow:
        add_part(uow, PartInput(sku="LCD-12", name="Display", price=Decimal(899)), "admin")
        receive_part(uow, "LCD-12", 2, "admin")
        uow.commit()
    code = take_in(qtbot, context)
    write(qtbot, context, lambda uow: use_part(uow, code, "LCD-12", 1, "admin"),
          lambda result: result.changes)  # fmt: skip
    apply_language("pl")
    try:
        window = build_window(context)
        qtbot.addWidget(window)
        window.show()
        wait_idle(qtbot, context)
        card = open_card(qtbot, window, code)
        wait_idle(qtbot, context)
        parts = card.findChild(JobPartsPanel)
        assert parts is not None
        model = parts.table.model()
        heads = [
            str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())
        ]
        row = {head: str(model.data(model.index(0, c))) for c, head in enumerate(heads)}
        assert row["Cena jedn."] == "899,00"
        assert row["Razem"] == "899,00"
        costs = panel_of(card).table.model()
        assert str(costs.data(costs.index(0, 4))) == "899,00"
    finally:
        apply_language("en")


@pytest.mark.parametrize("language", ["pl", "hu", "en"])
def test_the_approval_dialog_shows_its_note_hint_whole(
    qtbot: QtBot, context: AppContext, language: str
) -> None:
    code = take_in(qtbot, context)
    money = read(context, lambda uow: job_money(uow, code))
    apply_language(language)
    try:
        dialog = ApprovalDialog(context, code, money)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        hint = dialog.note.placeholderText()
        needed = dialog.note.fontMetrics().horizontalAdvance(hint) + 12
        assert dialog.note.width() >= needed, (hint, dialog.note.width(), needed)
    finally:
        apply_language("en")
