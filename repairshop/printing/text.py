"""Text that fits its box: shrink to a smallest size, then cut with an ellipsis."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

ELLIPSIS = "…"
TOP = 0.95
"""Height above the baseline that holds accented capitals (Ž, Ő, Й) in DejaVu Sans."""
BOTTOM = 0.25
"""Depth below the baseline (descenders)."""


@dataclass(frozen=True)
class Fitted:
    text: str
    font: str
    size: float

    @property
    def width(self) -> float:
        return float(stringWidth(self.text, self.font, self.size))


def fit_text(text: str, font: str, size: float, width: float, min_size: float) -> Fitted:
    """``text`` at ``size`` if it fits ``width``; else smaller down to ``min_size``; else cut."""
    text = " ".join(text.split())
    natural = stringWidth(text, font, size)
    if natural <= width:
        return Fitted(text, font, size)
    shrunk = max(min_size, size * width / natural)
    if stringWidth(text, font, shrunk) <= width:
        return Fitted(text, font, shrunk)
    return Fitted(ellipsise(text, font, min_size, width), font, min_size)


def ellipsise(text: str, font: str, size: float, width: float) -> str:
    """The longest start of ``text`` that, with ``…``, fits ``width`` (binary search)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle].rstrip() + ELLIPSIS, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    cut = text[:low].rstrip()
    if stringWidth(cut + ELLIPSIS, font, size) > width:
        return ""
    return cut + ELLIPSIS
