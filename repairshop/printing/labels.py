"""Device labels: one label per page of exactly the label's size (docs/ARCHITECTURE.md, contracts).

The page is the size the printer's own driver uses (DYMO's ``w79h252`` is
79×252 pt), so nothing is scaled on the way to the printer. A label taller than
it is wide (the DYMO address labels) is fed narrow edge first: we draw the
content across its length, turned a quarter.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from repairshop import __version__
from repairshop.domain.contacts import family_name
from repairshop.i18n import _, format_day
from repairshop.printing.barcodes import fit_barcode
from repairshop.printing.fonts import CONDENSED, CONDENSED_BOLD, register_fonts
from repairshop.printing.options import (
    DEFAULT_DPI,
    DEFAULT_LABEL_SIZE,
    LabelSize,
    check_copies,
    parse_label_size,
)
from repairshop.printing.text import BOTTOM, TOP, Fitted, fit_text
from repairshop.services.jobs.views import JobView

MIN_LINE_SIZE = 5.5
"""Points: text that would shrink below this is cut with an ellipsis instead."""


@dataclass(frozen=True)
class LabelContent:
    """What a label says: a code (barcode and text), a corner note, lines under the bars."""

    code: str
    corner: str
    lines: Sequence[str]
    title: str


def new_canvas(buffer: io.BytesIO, width: float, height: float, title: str) -> Canvas:
    register_fonts()
    # Uncompressed: a label goes to a printer next to the desk, and deflating its page and
    # font took a third of drawing it (4.0 → 2.5 ms of CPU; 31 → 63 KB).
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=0)
    canvas.setTitle(title)
    canvas.setAuthor("RepairShop")
    canvas.setCreator(f"RepairShop {__version__}")
    return canvas


def label_pdf(content: LabelContent, size: LabelSize, copies: int, dpi: int) -> bytes:
    """The label ``copies`` times, a page each."""
    check_copies(copies)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size.width, size.height, content.title)
    for _copy in range(copies):
        if size.turned:
            canvas.translate(size.width, 0)
            canvas.rotate(90)
            draw_label(canvas, content, size.height, size.width, dpi)
        else:
            draw_label(canvas, content, size.width, size.height, dpi)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw(canvas: Canvas, fitted: Fitted, x: float, baseline: float) -> None:
    canvas.setFont(fitted.font, fitted.size)
    canvas.drawString(x, baseline, fitted.text)


def draw_label(
    canvas: Canvas, content: LabelContent, width: float, height: float, dpi: int
) -> None:
    """Lay a label out in a ``width`` × ``height`` box, the long side across."""
    pad = min(max(height * 0.06, 1.2 * mm), 2.5 * mm)
    inner = width - 2 * pad
    gap = height * 0.03

    top_size = height * 0.15
    corner = fit_text(content.corner, CONDENSED, top_size * 0.8, inner * 0.45, MIN_LINE_SIZE)
    code = fit_text(content.code, CONDENSED_BOLD, top_size, inner - corner.width - pad, 5)
    top_baseline = height - pad - TOP * code.size
    _draw(canvas, code, pad, top_baseline)
    _draw(canvas, corner, width - pad - corner.width, top_baseline)
    bars_top = top_baseline - BOTTOM * code.size - gap

    y = pad
    line_sizes = (height * 0.12, height * 0.105)
    fonts = (CONDENSED_BOLD, CONDENSED)
    below: list[Fitted] = []
    for index, line in enumerate(content.lines[:2]):
        below.append(fit_text(line, fonts[index], line_sizes[index], inner, MIN_LINE_SIZE))
    for fitted in reversed(below):
        _draw(canvas, fitted, pad, y + BOTTOM * fitted.size)
        y += (TOP + BOTTOM) * fitted.size
    bars_bottom = y + gap

    barcode = fit_barcode(content.code, width, dpi)
    barcode.draw(canvas, (width - barcode.width) / 2, bars_bottom, bars_top - bars_bottom)


def device_label_content(job: JobView, language: str | None = None) -> LabelContent:
    device = job.device.title or job.device.type
    return LabelContent(
        code=job.code,
        corner=format_day(job.created_at.astimezone(job.zone).date(), language, style="short"),
        lines=(family_name(job.customer.name, job.customer.language), device),
        title=_("Label {code}").format(code=job.code),
    )


def device_label_pdf(
    job: JobView,
    size: LabelSize | str = DEFAULT_LABEL_SIZE,
    copies: int = 1,
    dpi: int = DEFAULT_DPI,
    *,
    language: str | None = None,
) -> bytes:
    """The device label of ``job``: code as Code 128 and text, family name, device, intake date.

    ``language`` formats the date (default: the UI language; the label is for the workshop).
    """
    label_size = parse_label_size(size) if isinstance(size, str) else size
    return label_pdf(device_label_content(job, language), label_size, copies, dpi)
