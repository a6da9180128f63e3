"""The TTF fonts every PDF embeds, so č ř ž ß ą ł ő ű Ж я print exactly."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from repairshop.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CONDENSED = "DejaVuSansCondensed"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold"
MONO = "DejaVuSansMono"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    CONDENSED: "DejaVuSansCondensed.ttf",
    CONDENSED_BOLD: "DejaVuSansCondensed-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
}


@cache
def register_fonts() -> tuple[str, ...]:
    """Register the shipped fonts with ReportLab once; returns their names."""
    for name, file_name in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
    pdfmetrics.registerFontFamily(CONDENSED, normal=CONDENSED, bold=CONDENSED_BOLD)
    return tuple(_FILES)
