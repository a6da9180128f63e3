"""``repairshop receipt``, ``label`` and ``print`` as a shop's script calls them, and real CUPS."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import run_in_process
from tests.printouts import (
    CUSTOMERS,
    cups_pdf_printer,
    decode_barcodes,
    page_sizes_mm,
    pdf_text,
    printed_pdf,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "intake.json"


def repairshop(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    """``repairshop *args`` (in this process) with the printer settings of ``env`` only."""
    environment: dict[str, str | None] = {
        "LANG": "C.UTF-8",
        "REPAIRSHOP_DATABASE_URL": url,
        "REPAIRSHOP_LABEL_PRINTER": None,
        "REPAIRSHOP_LABEL_SIZE": None,
        **env,
    }
    return run_in_process(list(args), env=environment, text=False)


@pytest.fixture
def shop_with_a_job(tmp_path: Path) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    assert repairshop(url, "db", "upgrade").returncode == 0
    intake = repairshop(url, "intake", str(EXAMPLE))
    assert intake.returncode == 0, intake.stderr.decode()
    return url, intake.stdout.decode().strip()


def test_receipt_and_label_commands_write_pdfs_a_scanner_reads(
    shop_with_a_job: tuple[str, str], tmp_path: Path
) -> None:
    url, code = shop_with_a_job
    receipt, label = tmp_path / "receipt.pdf", tmp_path / "label.pdf"

    made_receipt = repairshop(url, "receipt", code, "--out", str(receipt), "--format", "80mm")
    made_label = repairshop(
        url, "label", code, "--out", str(label), "--size", "40x20mm", "--copies", "2"
    )

    assert made_receipt.returncode == 0, made_receipt.stderr.decode()
    assert made_label.returncode == 0, made_label.stderr.decode()
    receipt_pdf = receipt.read_bytes()
    assert CUSTOMERS["pl"] in pdf_text(receipt_pdf)
    assert page_sizes_mm(receipt_pdf)[0][0] == pytest.approx(80.0, abs=0.1)
    assert decode_barcodes(receipt_pdf) == [code]
    label_pdf = label.read_bytes()
    assert page_sizes_mm(label_pdf) == [pytest.approx((40.0, 20.0), abs=0.1)] * 2
    assert decode_barcodes(label_pdf) == [code]


def test_a_receipt_to_stdout_in_another_language_and_a_label_size_from_the_environment(
    shop_with_a_job: tuple[str, str],
) -> None:
    url, code = shop_with_a_job

    receipt = repairshop(url, "receipt", code, "--out", "-", "--lang", "de", "--format", "letter")
    label = repairshop(url, "label", code, "--out", "-", REPAIRSHOP_LABEL_SIZE="dymo30334")

    assert receipt.returncode == 0, receipt.stderr.decode()
    assert receipt.stdout.startswith(b"%PDF")
    assert page_sizes_mm(receipt.stdout) == [pytest.approx((215.9, 279.4), abs=0.1)]
    assert CUSTOMERS["pl"] in pdf_text(receipt.stdout)
    assert label.returncode == 0, label.stderr.decode()
    assert page_sizes_mm(label.stdout) == [pytest.approx((57.15, 31.75), abs=0.1)]
    assert decode_barcodes(label.stdout, dpi=300) == [code]


def test_refusals_exit_1_with_one_line_and_bad_usage_exits_2(
    shop_with_a_job: tuple[str, str], tmp_path: Path
) -> None:
    url, code = shop_with_a_job
    out = str(tmp_path / "x.pdf")

    unknown_job = repairshop(url, "label", "R999998", "--out", out)
    bad_size = repairshop(url, "label", code, "--out", out, "--size", "huge")
    no_printer = repairshop(url, "print", "label", code, "--printer", "NoSuchPrinter")
    no_out = repairshop(url, "receipt", code)

    assert unknown_job.returncode == 1
    assert b"R999998" in unknown_job.stderr
    assert bad_size.returncode == 2
    assert b"huge" in bad_size.stderr
    assert no_printer.returncode == 1
    assert no_printer.stderr.decode().count("\n") == 1
    assert no_out.returncode == 2
    assert not Path(out).exists()


def test_a_label_sent_to_a_real_cups_printer_comes_out_with_a_barcode_that_scans(
    shop_with_a_job: tuple[str, str],
) -> None:
    url, code = shop_with_a_job
    printer = cups_pdf_printer()
    started = time.time() - 1

    sent = repairshop(url, "print", "label", code, "--printer", printer, "--size", "62x29mm")

    assert sent.returncode == 0, sent.stderr.decode()
    assert printer.encode() in sent.stdout
    printed = printed_pdf(code, started)
    [(width, height)] = page_sizes_mm(printed)
    assert width == pytest.approx(62, abs=1)
    assert height == pytest.approx(29, abs=1)
    assert decode_barcodes(printed, dpi=203) == [code]
