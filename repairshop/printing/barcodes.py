"""Code 128 drawn as vector bars on whole printer dots (docs/ARCHITECTURE.md, printing).

python-barcode does the encoding (start code, the compact digit set for digit
pairs, check symbol, stop); we only draw its bar/space pattern. Each module is
a whole number of the target printer's dots and the bars start on a dot
boundary, so a 203 dpi thermal printer prints every bar the same width instead
of rounding some up and some down, which is what makes a scaled raster barcode
unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas

from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.printing.options import DEFAULT_DPI

QUIET_MODULES = 10
"""Blank modules each side of the bars; scanners need at least ten."""
POINTS_PER_INCH = 72.0


@lru_cache(maxsize=512)
def code128_pattern(text: str) -> str:
    """The bars (``1``) and spaces (``0``) of ``text`` in Code 128, one character per module."""
    import barcode  # python-barcode loads when a code is first drawn, not at every start
    from barcode.errors import BarcodeError

    try:
        pattern: str = barcode.get("code128", text).build()[0]
    except (BarcodeError, ValueError, KeyError) as exc:
        raise ValidationError(
            _("“{text}” cannot be printed as a barcode.").format(text=text)
        ) from exc
    return pattern


def dot_size(dpi: int) -> float:
    """One printer dot in PDF points."""
    return POINTS_PER_INCH / dpi


def snap_to_dots(points: float, dpi: int) -> float:
    """``points`` moved to the nearest dot boundary."""
    return round(points * dpi / POINTS_PER_INCH) * dot_size(dpi)


@dataclass(frozen=True)
class Barcode:
    """A Code 128 pattern with its module width chosen for a printer."""

    text: str
    pattern: str
    module_dots: int
    dpi: int

    @property
    def module(self) -> float:
        """One module in points."""
        return self.module_dots * dot_size(self.dpi)

    @property
    def bars_width(self) -> float:
        return len(self.pattern) * self.module

    @property
    def width(self) -> float:
        """Bars plus both quiet zones, in points."""
        return (len(self.pattern) + 2 * QUIET_MODULES) * self.module

    def draw(self, canvas: Canvas, x: float, y: float, height: float) -> None:
        """Draw with the left quiet zone starting at ``x`` (snapped to a dot); ``y`` is the foot."""
        dot = dot_size(self.dpi)
        left_dot = round(x / dot) + QUIET_MODULES * self.module_dots
        path = canvas.beginPath()
        start: int | None = None
        for index, module in enumerate(self.pattern + "0"):
            if module == "1" and start is None:
                start = index
            elif module == "0" and start is not None:
                bar_x = (left_dot + start * self.module_dots) * dot
                path.rect(bar_x, y, (index - start) * self.module, height)
                start = None
        canvas.drawPath(path, stroke=0, fill=1)


def fit_barcode(
    text: str,
    width: float,
    dpi: int = DEFAULT_DPI,
    *,
    max_module_mm: float = 0.5,
) -> Barcode:
    """The widest whole-dot module (up to ``max_module_mm``) whose bars and quiet zones fit.

    Refused with a ValidationError when even one dot per module is too wide:
    the label is too small for the code at this printer's resolution.
    """
    if dpi < 72:
        raise ValidationError(_("A printer resolution below 72 dpi is not supported."))
    pattern = code128_pattern(text)
    modules = len(pattern) + 2 * QUIET_MODULES
    available_dots = int(width / dot_size(dpi) + 1e-6)
    most = max(1, round(max_module_mm / 25.4 * dpi))
    module_dots = min(most, available_dots // modules)
    if module_dots < 1:
        raise ValidationError(
            _("The barcode of “{text}” does not fit on this label at {dpi} dpi.").format(
                text=text, dpi=dpi
            )
        )
    return Barcode(text=text, pattern=pattern, module_dots=module_dots, dpi=dpi)
