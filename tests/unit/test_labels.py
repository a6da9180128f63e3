"""Device and part labels read back from the PDF: page size, text, the barcode a scanner sees."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm

from repairshop.errors import ValidationError
from repairshop.i18n import format_day
from repairshop.printing.barcodes import QUIET_MODULES, code128_pattern, fit_barcode
from repairshop.printing.labels import device_label_pdf
from repairshop.printing.options import LABEL_SIZES, parse_label_size
from repairshop.printing.part_labels import part_label_pdf
from repairshop.printing.text import fit_text
from repairshop.services.jobs.views import CustomerView, DeviceView
from tests.printouts import CUSTOMERS, decode_barcodes, job_for, page_sizes_mm, pdf_text

EXPECTED_MM = {
    "62x29mm": (62.0, 29.0),
    "dymo30252": (79 / 72 * 25.4, 252 / 72 * 25.4),
    "dymo30334": (57.15, 31.75),
    "2x1in": (50.8, 25.4),
    "40x20mm": (40.0, 20.0),
    "50x30mm": (50.0, 30.0),
    "102x152mm": (102.0, 152.0),
}


@pytest.mark.parametrize("size", list(EXPECTED_MM))
def test_a_technician_scans_the_label_at_203_and_300_dpi_and_gets_the_ticket_code(
    size: str,
) -> None:
    pdf = device_label_pdf(job_for("cs", code="R00123456"), size)

    [(width, height)] = page_sizes_mm(pdf)
    assert width == pytest.approx(EXPECTED_MM[size][0], abs=0.1)
    assert height == pytest.approx(EXPECTED_MM[size][1], abs=0.1)
    assert decode_barcodes(pdf, dpi=203) == ["R00123456"]
    assert decode_barcodes(pdf, dpi=300) == ["R00123456"]


@pytest.mark.parametrize("language", list(CUSTOMERS))
def test_the_label_shows_code_surname_device_in_any_alphabet(language: str) -> None:
    job = job_for(language)

    text = pdf_text(device_label_pdf(job, "62x29mm"))

    assert "R000042" in text
    family = CUSTOMERS[language].split()[0 if language == "hu" else -1]
    given = CUSTOMERS[language].split()[-1 if language == "hu" else 0]
    assert family in text
    assert given not in text
    assert "Samsung Galaxy S23" in text
    assert "10/03/2026" in text  # the one date style of English


def test_copies_are_one_label_per_page() -> None:
    pdf = device_label_pdf(job_for("de"), "40x20mm", copies=3)

    assert len(page_sizes_mm(pdf)) == 3
    assert decode_barcodes(pdf, page=2) == ["R000042"]


def test_a_long_device_name_is_cut_with_an_ellipsis_and_the_code_still_reads() -> None:
    job = job_for(
        "hu",
        device=DeviceView(
            1,
            "laptop",
            "Lenovo",
            "ThinkPad X1 Carbon Gen 11 (21HM) with docking station",
            None,
            None,
            "",
        ),
    )

    pdf = device_label_pdf(job, "40x20mm")

    assert "Lenovo ThinkPad X1" in pdf_text(pdf)
    assert "…" in pdf_text(pdf)
    assert "docking station" not in pdf_text(pdf)
    assert decode_barcodes(pdf) == ["R000042"]


def test_text_shrinks_before_it_is_cut_and_never_overflows() -> None:
    fitted = fit_text("Szőllősi", "DejaVuSans-Bold", 20, 60, 5)
    assert fitted.text == "Szőllősi"
    assert fitted.size < 20
    assert fitted.width <= 60

    cut = fit_text("Светлана Кузнецова " * 5, "DejaVuSans", 10, 40, 6)
    assert cut.text.endswith("…")
    assert cut.width <= 40


def test_bars_are_whole_printer_dots_with_ten_module_quiet_zones() -> None:
    for dpi in (203, 300):
        barcode = fit_barcode("R000042", 40 * mm, dpi)
        assert barcode.module * dpi / 72 == pytest.approx(barcode.module_dots)
        assert barcode.width <= 40 * mm
        assert barcode.width - barcode.bars_width == pytest.approx(
            2 * QUIET_MODULES * barcode.module
        )
    # Digit pairs use the compact set: a ten-character code fits 40 mm at two dots a module.
    assert fit_barcode("R12345678", 40 * mm, 203).module_dots >= 2
    assert len(code128_pattern("R000042")) == 90


def test_a_code_too_long_for_the_label_is_refused_not_squeezed() -> None:
    with pytest.raises(ValidationError, match="does not fit"):
        fit_barcode("X" * 60, 40 * mm, 203)


@pytest.mark.parametrize("text", ["", "12x", "5x5mm", "A4", "62x29"])
def test_unknown_label_sizes_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_label_size(text)


def test_named_sizes_are_the_drivers_own_page_sizes() -> None:
    assert (LABEL_SIZES["dymo30252"].width, LABEL_SIZES["dymo30252"].height) == (79, 252)
    assert (LABEL_SIZES["dymo30334"].width, LABEL_SIZES["dymo30334"].height) == (162, 90)
    assert (LABEL_SIZES["2x1in"].width, LABEL_SIZES["2x1in"].height) == (144, 72)


def test_copies_out_of_range_are_refused() -> None:
    with pytest.raises(ValidationError):
        device_label_pdf(job_for("en"), copies=0)


@pytest.mark.parametrize("size", ["40x20mm", "62x29mm", "dymo30252"])
def test_a_part_label_carries_sku_name_and_bin(size: str) -> None:
    pdf = part_label_pdf("SCR-IP13-OLED", "Displej iPhone 13 OLED, černý", "A-03-2", size=size)

    text = pdf_text(pdf)
    assert "SCR-IP13-OLED" in text
    assert "A-03-2" in text
    assert "Displej iPhone 13" in text
    assert decode_barcodes(pdf) == ["SCR-IP13-OLED"]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="AbŁżőűЖя ß-.,0123456789", max_size=80),
    size=st.floats(min_value=4, max_value=30),
    width=st.floats(min_value=5, max_value=400),
)
def test_fitted_text_never_overflows_its_width(text: str, size: float, width: float) -> None:
    fitted = fit_text(text, "DejaVuSans-Bold", size, width, min(4.0, size))

    assert fitted.width <= width + 1e-6
    assert fitted.size <= size
    assert fitted.text == " ".join(text.split()) or fitted.text.endswith("…") or not fitted.text


@settings(max_examples=25, deadline=None)
@given(
    width=st.integers(min_value=30, max_value=120),
    height=st.integers(min_value=15, max_value=60),
    surname=st.text(alphabet="ŁżőűЖяßabc", min_size=1, max_size=60),
)
def test_any_label_size_is_exact_and_scans(width: int, height: int, surname: str) -> None:
    job = job_for("pl", customer=CustomerView(1, surname, None, None, "pl", True))

    pdf = device_label_pdf(job, f"{width}x{height}mm")

    [(page_width, page_height)] = page_sizes_mm(pdf)
    assert (page_width, page_height) == pytest.approx((width, height), abs=0.1)
    assert decode_barcodes(pdf) == ["R000042"]


def test_the_label_dates_the_intake_in_the_shops_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        late = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on 11 March in Prague
        text = pdf_text(device_label_pdf(job_for("en", created_at=late), "62x29mm"))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert format_day(date(2026, 3, 11), "en", style="short") in text
    assert format_day(date(2026, 3, 10), "en", style="short") not in text
