"""Sending to a system printer with ``lp``: the label's own media size, and plain refusals."""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

import pytest

from repairshop.printing.labels import device_label_pdf
from repairshop.printing.printers import PrinterError, media_option, page_size, send_to_printer
from tests.printouts import cups_pdf_output, job_for


def fake_lp(folder: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """An ``lp`` on PATH that runs ``script`` and records its arguments and input."""
    log = folder / "lp.log"
    lp = folder / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {log}\ncat > {folder / "job.pdf"}\n{script}\n')
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def test_the_job_carries_the_labels_own_size_as_media(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_lp(tmp_path, monkeypatch, 'echo "request id is Zebra-7 (1 file(s))"')
    pdf = device_label_pdf(job_for("de"), "dymo30252")

    request = send_to_printer(pdf, "Zebra", "Label R000042")

    assert request == "Zebra-7"
    arguments = log.read_text().split()
    assert arguments[arguments.index("-d") + 1] == "Zebra"
    assert "media=Custom.79.00x252.00pt" in arguments
    assert (tmp_path / "job.pdf").read_bytes() == pdf


def test_no_default_printer_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_lp(tmp_path, monkeypatch, 'echo "lp: Error - No default destination." >&2; exit 1')

    with pytest.raises(PrinterError, match="no default printer"):
        send_to_printer(device_label_pdf(job_for("en")), None, "Label")


def test_an_unknown_printer_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lp(
        tmp_path,
        monkeypatch,
        'echo "lp: Error - The printer or class does not exist." >&2; exit 1',
    )

    with pytest.raises(PrinterError, match="“Brother” on this computer"):
        send_to_printer(device_label_pdf(job_for("en")), "Brother", "Label")


def test_cups_not_running_is_said_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lp(tmp_path, monkeypatch, 'echo "lp: Error - Scheduler not responding." >&2; exit 1')

    with pytest.raises(PrinterError, match="CUPS"):
        send_to_printer(device_label_pdf(job_for("en")), "PDF", "Label")


def test_no_print_system_at_all(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(PrinterError, match="not installed"):
        send_to_printer(b"%PDF-1.4", None, "Label")


def test_the_page_size_is_read_from_the_pdf() -> None:
    pdf = device_label_pdf(job_for("en"), "62x29mm")

    width, height = page_size(pdf) or (0, 0)

    assert width == pytest.approx(62 * 72 / 25.4, abs=0.01)
    assert height == pytest.approx(29 * 72 / 25.4, abs=0.01)
    assert media_option(b"not a pdf") == []


def test_cups_pdf_output_is_read_from_its_configuration_and_the_password_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "not-the-home"))
    me = pwd.getpwuid(os.getuid())
    default = tmp_path / "default.conf"
    default.write_text("# Out /nowhere\nGrp lpadmin\n")
    assert cups_pdf_output(default) == Path(me.pw_dir) / "PDF"
    spool = tmp_path / "spool.conf"
    spool.write_text("Out ${HOME}/PDF\nOut /var/spool/cups-pdf/${USER}\n")
    assert cups_pdf_output(spool) == Path("/var/spool/cups-pdf") / me.pw_name
    assert cups_pdf_output(tmp_path / "absent.conf") == Path(me.pw_dir) / "PDF"
