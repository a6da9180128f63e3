"""The intake receipt prints the warranty decision in the customer's language."""

from __future__ import annotations

from datetime import date

import pytest

from repairshop.domain.warranty import DeviceFacts, WarrantyRules, decide
from repairshop.i18n import format_day
from repairshop.printing.receipts import receipt_pdf
from repairshop.services.jobs.views import JobView, WarrantyView
from repairshop.services.shop.settings import ShopSettings
from tests.printouts import job_for, pdf_text

SHOP = ShopSettings(name="Opravna Telefonů Brno", currency="CZK")


def statutory_job(language: str) -> JobView:
    decision = decide(
        date(2026, 3, 10),
        DeviceFacts("Samsung", "phone", date(2025, 6, 1), "", sold_by_us=True),
        WarrantyRules(burden_months=24),
    )
    warranty = WarrantyView(
        decision.regime,
        decision.until,
        decision.burden_of_proof,
        decision.reasons,
        decision.rules,
        None,
    )
    return job_for(language, warranty=warranty, purchase_date=date(2025, 6, 1))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("cs", ["Záruka", "Zákonná odpovědnost prodávajícího za vady", "Platí do"]),
        ("pl", ["Gwarancja i rękojmia", "Rękojmia sprzedawcy", "Ważna do"]),
        ("en", ["Warranty", "Statutory liability of the seller", "Valid until"]),
    ],
)
@pytest.mark.parametrize("paper", ["a4", "80mm"])
def test_the_receipt_prints_the_regime_the_date_and_the_main_reason(
    language: str, words: list[str], paper: str
) -> None:
    job = statutory_job(language)
    pdf = receipt_pdf(job, SHOP, paper=paper)

    text = " ".join(pdf_text(pdf).split())
    for word in words:
        assert word in text
    assert format_day(date(2027, 6, 1), language) in text
    assert job.warranty is not None
    reason = job.warranty.main_reason(language)
    assert " ".join(reason.replace("\u00a0", " ").split()) in text


def test_a_job_without_a_decision_prints_no_warranty_section() -> None:
    text = pdf_text(receipt_pdf(job_for("cs"), SHOP, paper="a4"))
    assert "Platí do" not in text
