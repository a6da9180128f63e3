"""Reading printouts back: text from a PDF, page sizes, barcodes decoded from rendered pages.

Tests trust what pdfium and zxing-cpp read from the PDF, never our own inputs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pypdfium2 as pdfium
import zxingcpp

from repairshop.domain.statuses import JobStatus, JobType
from repairshop.services.views import CustomerView, DeviceView, JobView

MM = 72 / 25.4

CUSTOMERS: dict[str, str] = {
    "pl": "Łukasz Żółć",
    "cs": "Jiří Dvořák",
    "de": "Jürgen Groß",
    "hu": "Ödön Szőllősi",
    "ru": "Светлана Кузнецова",
    "en": "Margaret O'Brien-Whitfield",
}
"""A customer per language, with the letters that go wrong when a font is missing."""


def job_for(language: str, **changes: Any) -> JobView:
    """A job as intake leaves it, for a customer who speaks ``language``."""
    job = JobView(
        id=1,
        code="R000042",
        status=JobStatus.RECEIVED,
        job_type=JobType.PAID_REPAIR,
        outcome=None,
        customer=CustomerView(
            1, CUSTOMERS[language], "+420 777 123 456", "customer@example.com", language, True
        ),
        device=DeviceView(
            1, "phone", "Samsung", "Galaxy S23", "R5CW12ABCDE", "353326111702413", "black"
        ),
        fault="Cracked screen after a fall; touch works only in the upper half",
        accessories="case, SIM card",
        condition="Scratches on the frame",
        passcode="1234",
        estimate=Decimal("3490"),
        preapproved=None,
        deposit=Decimal("500"),
        currency="CZK",
        promised=date(2026, 3, 16),
        purchase_date=None,
        proof_of_purchase="",
        assignee=None,
        assignee_name=None,
        created_by="anna",
        created_by_name="Anna Nováková",
        created_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC),
        status_changed_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC),
        version=1,
        allowed_moves=(),
        history=(),
    )
    return replace(job, **changes)


def pdf_pages(pdf: bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(pdf)


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    document = pdf_pages(pdf)
    return [(page.get_width() / MM, page.get_height() / MM) for page in document]


def plain(text: str) -> str:
    """No-break and narrow spaces (Babel's, in dates and money) as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def pdf_text(pdf: bytes) -> str:
    """All the text pdfium extracts, page after page, with spaces made plain."""
    document = pdf_pages(pdf)
    return plain("\n".join(page.get_textpage().get_text_range() for page in document))


def decode_barcodes(pdf: bytes, dpi: int = 203, page: int = 0) -> list[str]:
    """Render a page at ``dpi`` (no anti-aliasing, as a thermal printer prints) and decode it."""
    document = pdf_pages(pdf)
    bitmap = document[page].render(scale=dpi / 72, no_smoothpath=True, no_smoothimage=True)
    image = bitmap.to_pil().convert("L")
    return [result.text for result in zxingcpp.read_barcodes(image)]
