"""An amount is written one way on the card: its fields, labels, totals and tables alike —
"3 490 Ft" and "899" in a forint shop (forints are charged whole), "3 490,00 zł" and "899,00"
in a zloty shop."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from repairshop.domain.statuses import JobStatus
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from repairshop.services.parts.job_parts import receive_part, use_part
from repairshop.services.parts.stock import PartInput, add_part
from repairshop.services.shop.settings import get_settings, save_settings
from tests.helpers import intake_document
from tests.ui.ops import open_card, wait_idle
from ui.context import AppContext
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.money.job_money_panel import JobMoneyPanel
from ui.parts import JobPartsPanel

NBSP = "\u00a0"


SHOPS = {
    "hu": ("HUF", "HU", f"3{NBSP}490{NBSP}Ft", "899"),
    "pl": ("PLN", "PL", f"3{NBSP}490,00{NBSP}zł", "899,00"),
}
"""A desk's language: the shop's currency and country, an estimate and a price as written."""


@pytest.mark.parametrize("language", sorted(SHOPS))
def test_the_card_writes_an_amount_one_way(
    qtbot: QtBot, window: MainWindow, context: AppContext, language: str
) -> None:
    currency, country, estimate, price = SHOPS[language]
    with context.db.unit_of_work() as uow:
        settings = replace(get_settings(uow), currency=currency, region=country)
        save_settings(uow, settings, "admin")
        add_part(uow, PartInput(sku="LCD-12", name="Display", price=Decimal("899")), "admin")
        receive_part(uow, "LCD-12", 1, "admin")
        document = intake_document(estimate="3490", deposit=None)
        code = intake(uow, intake_request_from_json(document), "admin").code
        change_status(uow, code, JobStatus.DIAGNOSING, "admin")
        use_part(uow, code, "LCD-12", 1, "admin")
        uow.commit()
    apply_language(language)
    try:
        card = open_card(qtbot, window, code)
        wait_idle(qtbot, context)
        money = card.findChild(JobMoneyPanel)
        parts = card.findChild(JobPartsPanel)
        assert money is not None
        assert parts is not None
        assert card.estimate.text() == estimate  # the field
        assert estimate in parts.totals.text()  # the label beside the parts
        figures = {
            money.model.index(0, 2).data(),  # the line's unit price and gross
            money.model.index(0, 4).data(),
            parts.model.index(0, 5).data(),  # the part's unit price and total
            parts.model.index(0, 6).data(),
        }
        assert figures == {price}
        assert f"899{estimate[5:]}" in money.totals.text()  # "899 Ft", "899,00 zł"
    finally:
        apply_language("en")
