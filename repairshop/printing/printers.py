"""Sending a PDF to a system printer through CUPS ``lp`` (Linux and macOS).

The desktop app prints through ``QPrinter`` instead; this is for the command
line and for scripts. The page size of the PDF goes along as the job's media,
so a label printer gets a label-sized job and nothing is scaled.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from repairshop.errors import RepairShopError
from repairshop.i18n import _

LP_TIMEOUT_SECONDS = 60
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
_REQUEST_ID = re.compile(r"request id is (\S+)")


class PrinterError(RepairShopError):
    """No print system, no such printer, or the printer refused the job."""


def page_size(pdf: bytes) -> tuple[float, float] | None:
    """The first page's size in points, as ReportLab wrote it (``None`` if not found)."""
    match = _MEDIA_BOX.search(pdf)
    return (float(match.group(1)), float(match.group(2))) if match else None


def media_option(pdf: bytes) -> list[str]:
    """``-o media=Custom.WxHpt``; CUPS picks the driver's own size when one matches."""
    size = page_size(pdf)
    if size is None:
        return []
    return ["-o", f"media=Custom.{size[0]:.2f}x{size[1]:.2f}pt"]


def send_to_printer(pdf: bytes, printer: str | None, title: str) -> str:
    """Queue ``pdf`` on ``printer`` (the default printer if ``None``); returns CUPS's request id."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterError(
            _(
                "Cannot print: the print system (CUPS) is not installed. "
                "Install it, or save the PDF with --out and print it yourself."
            )
        )
    command = [lp, "-t", title, *media_option(pdf)]
    if printer:
        command += ["-d", printer]
    try:
        result = subprocess.run(
            command, input=pdf, capture_output=True, timeout=LP_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise PrinterError(_("The print system did not answer within a minute.")) from None
    reason = result.stderr.decode("utf-8", "replace").strip()
    if result.returncode != 0:
        lowered = reason.lower()
        if not printer and "default destination" in lowered:
            raise PrinterError(
                _("There is no default printer. Name one with --printer, or set a default.")
            )
        if "does not exist" in lowered:
            raise PrinterError(
                _("There is no printer called “{printer}” on this computer.").format(
                    printer=printer
                )
            )
        if "scheduler" in lowered or "connect" in lowered:
            raise PrinterError(_("The print system (CUPS) is not running on this computer."))
        raise PrinterError(
            _("The printer {printer} did not take the job: {reason}").format(
                printer=printer or _("(default)"), reason=reason or result.returncode
            )
        )
    found = _REQUEST_ID.search(result.stdout.decode("utf-8", "replace"))
    return found.group(1) if found else ""
