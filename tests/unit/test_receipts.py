"""Intake receipts read back from the PDF: names exactly, the customer's language, paper sizes."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from repairshop.domain.statuses import JobType
from repairshop.errors import ValidationError
from repairshop.i18n import format_day, set_ui_language, translator
from repairshop.printing.receipts import receipt_pdf
from repairshop.services.shop.settings import ShopSettings
from tests.printouts import CUSTOMERS, decode_barcodes, job_for, page_sizes_mm, pdf_text, plain

SHOP = ShopSettings(
    name="Opravna Telefonů Brno",
    address="Masarykova 12\n602 00 Brno",
    vat_id="CZ12345678",
    phone="+420 541 000 111",
    email="servis@opravna.cz",
    currency="CZK",
    receipt_terms={"cs": "Zařízení nevyzvednuté do 90 dnů může být zlikvidováno."},
)

PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


@pytest.mark.parametrize("language", list(CUSTOMERS))
@pytest.mark.parametrize("paper", ["a4", "letter", "80mm"])
def test_every_customer_finds_their_name_exactly_and_the_code_scans(
    language: str, paper: str
) -> None:
    job = job_for(language)

    pdf = receipt_pdf(job, SHOP, paper=paper)

    text = pdf_text(pdf)
    assert CUSTOMERS[language] in text
    assert "Opravna Telefonů Brno" in text
    assert "R000042" in text
    assert "353326111702413" in text
    assert plain(format_day(date(2026, 3, 16), language)) in text
    assert decode_barcodes(pdf, dpi=203) == ["R000042"]
    sizes = page_sizes_mm(pdf)
    assert len(sizes) == 1
    width, height = sizes[0]
    if paper == "80mm":
        assert width == pytest.approx(80.0, abs=0.1)
        assert 120 < height < 400
    else:
        assert (width, height) == pytest.approx(PAPER_MM[paper], abs=0.1)


def words(language: str) -> str:
    """What the catalogue of ``language`` says under the signature line."""
    return translator(language).gettext("Customer's signature")


@pytest.mark.parametrize("language", list(CUSTOMERS))
def test_the_receipt_speaks_the_customers_language_whatever_the_clerk_speaks(
    language: str,
) -> None:
    clerk = "ru" if language == "de" else "de"
    set_ui_language(clerk)

    text = pdf_text(receipt_pdf(job_for(language), SHOP, paper="80mm"))

    assert words(language) in text
    assert plain(format_day(date(2026, 3, 16), language)) in text
    if words(clerk) != words(language):
        assert words(clerk) not in text


RECEIPT_HEADINGS = (
    "Intake receipt",
    "Customer",
    "Device",
    "Fault as described by the customer",
    "Price and dates",
    "Terms",
    "Customer's signature",
    "Received by",
    "Estimated price",
    "Expected ready by",
)


@pytest.mark.parametrize("language", [lang for lang in CUSTOMERS if lang != "en"])
def test_every_heading_of_the_receipt_is_translated(language: str) -> None:
    set_ui_language("en")
    text = " ".join(pdf_text(receipt_pdf(job_for(language), SHOP, paper="a4")).split())

    for heading in RECEIPT_HEADINGS:
        translated = translator(language).gettext(heading)
        assert translated != heading, f"{heading!r} is not translated to {language}"
        assert " ".join(plain(translated).split()) in text, f"{translated!r} not on the receipt"
    assert "Fault as described" not in text


def test_a_receipt_can_be_printed_in_another_language_on_request() -> None:
    text = pdf_text(receipt_pdf(job_for("ru"), SHOP, language="cs"))

    assert words("cs") in text
    assert CUSTOMERS["ru"] in text
    assert "16. 3. 2026" in text


def test_money_is_formatted_for_the_customers_language() -> None:
    czech = pdf_text(receipt_pdf(job_for("cs"), SHOP))
    english = pdf_text(receipt_pdf(job_for("en"), SHOP))

    assert "3 490,00 Kč" in czech
    assert "CZK3,490.00" in english


def test_a_shops_own_terms_print_in_that_language() -> None:
    text = pdf_text(receipt_pdf(job_for("cs"), SHOP))

    assert "nevyzvednuté do 90 dnů" in text


def test_a_warranty_claim_shows_the_purchase_date_and_proof() -> None:
    job = job_for(
        "de",
        job_type=JobType.WARRANTY_CLAIM,
        purchase_date=date(2025, 6, 1),
        proof_of_purchase="Rechnung Nr. 2025-0417",
        estimate=None,
    )

    text = pdf_text(receipt_pdf(job, SHOP, paper="a4"))

    assert "01.06.2025" in text
    assert "Rechnung Nr. 2025-0417" in text


def test_the_passcode_is_never_printed() -> None:
    text = pdf_text(receipt_pdf(job_for("en", passcode="975310"), SHOP, paper="80mm"))

    assert "975310" not in text


def test_a_long_story_makes_a_longer_roll_and_never_a_second_page() -> None:
    short = receipt_pdf(job_for("pl"), SHOP, paper="80mm")
    long = receipt_pdf(
        job_for("pl", fault="Nie włącza się po zalaniu kawą. " * 40), SHOP, paper="80mm"
    )

    [(_w, short_height)] = page_sizes_mm(short)
    [(width, long_height)] = page_sizes_mm(long)
    assert width == pytest.approx(80.0, abs=0.1)
    assert long_height > short_height + 50


def test_fonts_are_embedded() -> None:
    pdf = receipt_pdf(job_for("hu"), SHOP)

    assert b"/FontFile2" in pdf


def test_an_unknown_paper_is_refused() -> None:
    with pytest.raises(ValidationError, match="a4, letter or 80mm"):
        receipt_pdf(job_for("en"), SHOP, paper="a5")


def test_a_shop_logo_prints_above_the_header() -> None:
    from io import BytesIO

    from PIL import Image

    logo = BytesIO()
    Image.new("RGB", (300, 100), "navy").save(logo, format="PNG")

    pdf = receipt_pdf(job_for("cs"), SHOP, paper="80mm", logo=logo.getvalue())

    assert b"/Subtype /Image" in pdf
    assert decode_barcodes(pdf) == ["R000042"]
    assert "Opravna Telefonů Brno" in pdf_text(pdf)


def test_the_receipt_gives_the_intake_time_in_the_shops_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        late = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on 11 March in Prague
        text = pdf_text(receipt_pdf(job_for("en", created_at=late), SHOP, paper="a4"))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert f"{plain(format_day(date(2026, 3, 11), 'en'))}, 00:30" in text
    assert plain(format_day(date(2026, 3, 10), "en")) not in text
