"""The signatures a printout ends with, one way for every printout: what the customer signs
under, the customer's line and the shop's.

A signature drawn on the screen is printed on the customer's line as vector strokes (no
raster: sharp at any printer resolution), with when and by whom it was signed underneath,
in the printout's language; without one the line is left blank for a pen.
"""

from __future__ import annotations

from datetime import tzinfo
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from repairshop.i18n import N_, format_moment, gettext_in
from repairshop.services.jobs.evidence import SignatureView

SIGNATURE_WIDTH = 60 * mm
SIGNATURE_HEIGHT = 13 * mm
"""The drawn signature's box on a receipt or a document (the A4 comparison's is larger)."""
BLANK = 9 * mm
"""The room left above a blank line for a pen."""


class SignatureFlowable(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """The customer's strokes, scaled to fit ``width`` × ``height`` keeping their shape."""

    def __init__(self, signature: SignatureView, width: float, height: float) -> None:
        super().__init__()
        self.signature = signature
        aspect = signature.aspect or 3.0
        self.box_width = min(width, height * aspect)
        self.box_height = self.box_width / aspect
        self.hAlign = "LEFT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.box_width, self.box_height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.9)
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        w, h = self.box_width, self.box_height
        for stroke in self.signature.strokes:
            if len(stroke) < 2:
                continue
            path = canvas.beginPath()
            x, y = stroke[0]
            path.moveTo(x * w, h - y * h)
            for x, y in stroke[1:]:
                path.lineTo(x * w, h - y * h)
            canvas.drawPath(path, stroke=1, fill=0)


def signed_line(signature: SignatureView, language: str, zone: tzinfo) -> str:
    """When and by whom it was signed, in ``language`` and the shop's time zone."""
    return gettext_in(language, N_("Signed on screen by {name}, {moment}")).format(
        name=signature.signer, moment=format_moment(signature.at, language, tz=zone)
    )


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def signature_line(
    caption: str,
    *,
    body: ParagraphStyle,
    small: ParagraphStyle,
    language: str,
    zone: tzinfo,
    drawn: SignatureView | None = None,
    line: str = "_" * 34,
    width: float = SIGNATURE_WIDTH,
    height: float = SIGNATURE_HEIGHT,
    blank: float = BLANK,
) -> list[Flowable]:
    """One person's line: the drawn signature above it and when it was signed below, or
    ``blank`` room for a pen; ``caption`` says whose line it is."""
    if drawn is None:
        return [Spacer(1, blank), _para(line, body), _para(caption, body)]
    return [
        SignatureFlowable(drawn, width, height),
        _para(line, body),
        _para(caption, body),
        _para(signed_line(drawn, language, zone), small),
    ]


def signature_block(
    *,
    agreement: str,
    customer: str,
    shop: str,
    width: float,
    narrow: bool,
    body: ParagraphStyle,
    small: ParagraphStyle,
    language: str,
    zone: tzinfo,
    drawn: SignatureView | None = None,
) -> Table:
    """What the customer signs under (``agreement``), then the customer's line (``drawn``
    on it if they signed on the screen) beside the shop's; on a roll one under the other."""
    line = "_" * (30 if narrow else 34)
    box = width if narrow else width / 2 - 4 * mm
    customer_line = signature_line(
        customer,
        body=body,
        small=small,
        language=language,
        zone=zone,
        drawn=drawn,
        line=line,
        width=min(box, SIGNATURE_WIDTH),
    )
    room = customer_line[0].wrap(width, SIGNATURE_HEIGHT)[1]  # the lines side by side align
    shop_line = [
        Spacer(1, room),
        _para(line, body),
        _para(shop, body),
    ]
    agree = _para(agreement, small)
    cells: list[list[object]]
    if narrow:
        cells = [[[Spacer(1, 2 * mm), agree, *customer_line, *shop_line, Spacer(1, 4 * mm)]]]
        widths = [width]
    else:
        half = width / 2
        cells = [[[Spacer(1, 3 * mm), agree], ""], [customer_line, shop_line]]
        widths = [half, half]
    table = Table(cells, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table
