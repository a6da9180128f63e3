"""Reading printouts back: text from a PDF, page sizes, barcodes decoded from rendered pages.

Tests trust what pdfium and zxing-cpp read from the PDF, never our own inputs.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
import zxingcpp

from repairshop.domain.statuses import JobStatus, JobType
from repairshop.services.jobs.views import CustomerView, DeviceView, JobView

MM = 72 / 25.4
CUPS_PDF_PRINTER = "PDF"
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def cups_pdf_output(conf: Path = CUPS_PDF_CONF, user: str | None = None) -> Path:
    """Where cups-pdf writes the jobs ``user`` (by default this process's user) prints.

    cups-pdf's ``Out`` setting (``${HOME}/PDF`` when the file does not set it), with
    ``${HOME}`` and ``${USER}`` as cups-pdf fills them in: the home from the password
    database, not this process's ``$HOME``.
    """
    account = pwd.getpwnam(user) if user else pwd.getpwuid(os.getuid())
    out = "${HOME}/PDF"
    if conf.is_file():
        for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _space, value = line.strip().partition(" ")
            if key == "Out" and value.strip():
                out = value.strip()
    return Path(out.replace("${HOME}", account.pw_dir).replace("${USER}", account.pw_name))


CUSTOMERS: dict[str, str] = {
    "pl": "Łukasz Żółć",
    "cs": "Jiří Dvořák",
    "de": "Jürgen Groß",
    "hu": "Szőllősi Ödön",
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
        editable=True,
        outcome_moves=(),
        next_move=None,
        zone=ZoneInfo("Europe/Prague"),
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


def _scheduler_running() -> bool:
    status = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    return "is running" in status.stdout and "not" not in status.stdout


def cups_pdf_printer() -> str:
    """The cups-pdf printer, with cupsd started and the printer added when they are missing."""
    missing = [tool for tool in ("cupsd", "lpadmin", "lpstat", "lp") if not shutil.which(tool)]
    if missing or not Path("/usr/lib/cups/backend/cups-pdf").exists():
        pytest.fail(
            "CUPS and its PDF printer are not installed: "
            "apt-get install cups printer-driver-cups-pdf (packaging/install.sh --dev does it)"
        )
    as_root = os.geteuid() == 0
    if not _scheduler_running():
        if not as_root:
            pytest.fail("cupsd is not running; start it as root (sudo cupsd)")
        subprocess.run(["cupsd"], check=True)
        deadline = time.monotonic() + 20
        while not _scheduler_running():
            if time.monotonic() > deadline:
                pytest.fail("cupsd did not start within 20 s")
            time.sleep(0.2)
    printers = subprocess.run(["lpstat", "-p"], capture_output=True, text=True, check=False)
    if f"printer {CUPS_PDF_PRINTER} " not in printers.stdout:
        if not as_root:
            pytest.fail(
                f"there is no CUPS printer {CUPS_PDF_PRINTER}; add it as root: sudo lpadmin "
                f"-p {CUPS_PDF_PRINTER} -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
            )
        subprocess.run(
            [
                "lpadmin",
                "-p",
                CUPS_PDF_PRINTER,
                "-E",
                "-v",
                "cups-pdf:/",
                "-m",
                "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
            ],
            check=True,
            capture_output=True,
        )
    return CUPS_PDF_PRINTER


def printed_pdf(code: str, since: float, timeout: float = 60) -> bytes:
    """The newest PDF cups-pdf wrote for ``code`` after ``since``."""
    output = cups_pdf_output()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [path for path in output.glob(f"*{code}*.pdf") if path.stat().st_mtime >= since]
        if found:
            # cups-pdf writes the file in place: wait until it is whole (ends with %%EOF)
            # and has stopped growing.
            newest = max(found, key=lambda path: path.stat().st_mtime)
            first = newest.read_bytes()
            time.sleep(0.3)
            second = newest.read_bytes()
            if second == first and second.rstrip().endswith(b"%%EOF"):
                return second
        time.sleep(0.25)
    pytest.fail(f"cups-pdf wrote nothing for {code} in {output} within {timeout} s")
