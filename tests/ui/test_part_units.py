"""The job card's Parts tab names the unit of a serialised part that went in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repairshop.i18n import set_ui_language
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.parts.job_parts import job_parts, receive_part
from repairshop.services.parts.stock import PartInput, add_part, show_part
from tests.helpers import intake_document
from tests.ui.ops import open_card, read, wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.parts import JobPartsPanel
from ui.parts.unit_chooser import UnitChooser
from ui.qt import Qt

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-unit-shots"))


def stocked_job(db: Database) -> str:
    with db.unit_of_work() as uow:
        board = PartInput(sku="MB-S23", name="Galaxy S23 mainboard", serialised=True)
        add_part(uow, board, "admin")
        receive_part(uow, "MB-S23", 3, "admin", serials=["SN-A", "SN-B", "SN-C"])
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    return code


def fitted(context: AppContext, code: str) -> tuple[str, ...]:
    lines = read(context, lambda uow: job_parts(uow, code).lines)
    return lines[0].serials if lines else ()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch, context: AppContext) -> list[str]:
    """What the one error path showed."""
    errors: list[str] = []
    monkeypatch.setattr(context, "show_error", lambda _parent, error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize("language", ["en", "cs"])
def test_use_without_a_serial_asks_which_unit_and_a_scan_picks_it(
    qtbot: QtBot, window: MainWindow, shop_db: Database, language: str, shown: list[str]
) -> None:
    context = window.context
    set_ui_language(language)
    code = stocked_job(shop_db)
    card = open_card(qtbot, window, code)
    panel = card.findChild(JobPartsPanel)
    assert panel is not None
    qtbot.keyClicks(panel.sku, "MB-S23")
    qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, context)

    chooser = panel.chooser
    assert isinstance(chooser, UnitChooser)
    assert chooser.isVisible()
    assert shown == []
    offered = [chooser.units.item(row).text() for row in range(chooser.units.count())]
    assert offered == ["SN-A", "SN-B", "SN-C"]
    assert not chooser.ok_button.isEnabled()
    assert fitted(context, code) == ()
    folder = SHOTS if language == "en" else SHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    assert chooser.grab().save(str(folder / "unit-chooser.png"))

    qtbot.keyClicks(chooser.scan, "SN-Z")
    qtbot.keyClick(chooser.scan, Qt.Key.Key_Return)
    assert chooser.isVisible()
    assert "SN-Z" in chooser.problem.text()
    chooser.scan.clear()
    qtbot.keyClicks(chooser.scan, "SN-B")  # the label on the unit in the technician's hand
    qtbot.keyClick(chooser.scan, Qt.Key.Key_Return)
    wait_idle(qtbot, context)

    assert fitted(context, code) == ("SN-B",)
    part = read(context, lambda uow: show_part(uow, "MB-S23"))
    assert part.serials_in_stock == ("SN-A", "SN-C")
    line = panel.model.row(0)
    assert line is not None
    assert line.serials == ("SN-B",)
    assert panel.sku.text() == ""


def test_a_scanned_unit_label_is_used_without_asking(
    qtbot: QtBot, window: MainWindow, context: AppContext, shop_db: Database
) -> None:
    code = stocked_job(shop_db)
    card = open_card(qtbot, window, code)
    panel = card.findChild(JobPartsPanel)
    assert panel is not None
    qtbot.keyClicks(panel.sku, "SN-C")
    qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, context)
    assert panel.chooser is None
    assert fitted(context, code) == ("SN-C",)
