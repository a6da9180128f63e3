"""What a workstation chooses for printing: papers, label sizes, resolutions, its settings.

Plain values without ReportLab, so that the settings, the app's first window and the
command line's parser load none of the PDF makers; those import them from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from repairshop.errors import ValidationError
from repairshop.i18n import _

mm = 72 / 25.4
"""Points in a millimetre (ReportLab's ``units.mm``)."""

DEFAULT_DPI = 203
"""Thermal label and receipt printers; 300 dpi models are a setting per printer."""


class ReceiptPaper(StrEnum):
    A4 = "a4"
    LETTER = "letter"
    ROLL_80MM = "80mm"


def parse_paper(text: str) -> ReceiptPaper:
    try:
        return ReceiptPaper(text.strip().lower())
    except ValueError:
        raise ValidationError(
            _("Unknown receipt format “{paper}”. Use a4, letter or 80mm.").format(paper=text),
            field="receipt_format",
        ) from None


@dataclass(frozen=True)
class LabelSize:
    name: str
    width: float
    """Page width in points, as the driver has it."""
    height: float

    @property
    def turned(self) -> bool:
        """Whether the content runs along the page's height (a label fed narrow edge first)."""
        return self.height > self.width


LABEL_SIZES: dict[str, LabelSize] = {
    "62x29mm": LabelSize("62x29mm", 62 * mm, 29 * mm),
    "dymo30252": LabelSize("dymo30252", 79, 252),
    "dymo30334": LabelSize("dymo30334", 162, 90),
    "2x1in": LabelSize("2x1in", 144, 72),
    "40x20mm": LabelSize("40x20mm", 40 * mm, 20 * mm),
}
DEFAULT_LABEL_SIZE = "62x29mm"
MAX_COPIES = 999
_ANY_MM = re.compile(r"^(\d{1,3}(?:\.\d+)?)x(\d{1,3}(?:\.\d+)?)mm$")
SMALLEST_MM = 15.0
LARGEST_MM = 300.0


def parse_label_size(text: str) -> LabelSize:
    """A named size or any ``WxHmm`` (for example ``50x30mm``)."""
    key = text.strip().lower().replace("×", "x").replace(" ", "")
    if key in LABEL_SIZES:
        return LABEL_SIZES[key]
    match = _ANY_MM.match(key)
    if match:
        width, height = float(match.group(1)), float(match.group(2))
        if min(width, height) >= SMALLEST_MM and max(width, height) <= LARGEST_MM:
            return LabelSize(key, width * mm, height * mm)
    raise ValidationError(
        _("Unknown label size “{size}”. Use one of {names}, or any WxHmm such as 50x30mm.").format(
            size=text, names=", ".join(LABEL_SIZES)
        ),
        field="label_size",
    )


OFFICE_PRINTER_DPI = 600
"""A sheet printer's usual resolution (laser or ink-jet); a receipt roll's thermal head has 203."""


def default_receipt_dpi(paper: str) -> int:
    """The receipt printer's resolution unless set: a roll is a thermal printer's (203 dpi),
    A4 and Letter a sheet printer's (600 dpi)."""
    return DEFAULT_DPI if paper == ReceiptPaper.ROLL_80MM.value else OFFICE_PRINTER_DPI


@dataclass(frozen=True)
class PrintSettings:
    """One workstation's printers and paper (kept by the app in QSettings, given to the CLI)."""

    receipt_printer: str = ""
    """Empty: the system's default printer."""
    label_printer: str = ""
    receipt_format: str = ReceiptPaper.A4.value
    label_size: str = DEFAULT_LABEL_SIZE
    receipt_dpi: int = OFFICE_PRINTER_DPI
    """As the default paper (A4) has it: :func:`default_receipt_dpi`."""
    label_dpi: int = DEFAULT_DPI
    label_copies: int = 1
    print_on_save: bool = True
    """Print the receipt and the label as soon as intake is saved (off: their preview opens)."""


def check_copies(copies: int) -> int:
    if not 1 <= copies <= MAX_COPIES:
        raise ValidationError(
            _("Copies must be between 1 and {most}.").format(most=MAX_COPIES), field="copies"
        )
    return copies
