"""A manufacturer's warranty claim shows on the job's card: its number, each part replaced
with the old and the new serial, and which old part goes back."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from repairshop.services.aftersales.claims import add_claim_part, record_claim
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.parts.stock import PartInput, add_part
from tests.helpers import intake_document
from tests.ui.ops import open_card, wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow


def test_the_claim_tab_shows_only_with_a_claim_and_lists_its_parts(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    with context.db.unit_of_work() as uow:
        add_part(uow, PartInput(sku="BAT-S23", name="Galaxy S23 battery"), "admin")
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    card = open_card(qtbot, window, code)
    wait_idle(qtbot, context)
    tab = card.records.indexOf(card.claim)
    assert not card.records.isTabVisible(tab)  # no claim: no tab

    with context.db.unit_of_work() as uow:
        record_claim(uow, code, "SAM-CLM-88123", "admin")
        add_claim_part(
            uow, code, "BAT-S23", "admin", old_serial="OLD-1", new_serial="NEW-2", to_return=True
        )
        uow.commit()
    card.reload()
    wait_idle(qtbot, context)
    assert card.records.isTabVisible(tab)
    card.records.setCurrentIndex(tab)
    assert "SAM-CLM-88123" in card.claim.number.text()
    line = card.claim.parts.item(0).text()
    assert "BAT-S23" in line
    assert "OLD-1 → NEW-2" in line
    assert "goes back to the manufacturer" in line
