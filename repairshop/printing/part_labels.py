"""Part labels for shelves and bags: SKU as Code 128 and text, the part's name, its bin.

They take plain values, so the parts catalogue only has to hand over three strings.
"""

from __future__ import annotations

from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.printing.labels import LabelContent, label_pdf
from repairshop.printing.options import DEFAULT_DPI, DEFAULT_LABEL_SIZE, LabelSize, parse_label_size


def part_label_pdf(
    sku: str,
    name: str,
    location: str = "",
    *,
    size: LabelSize | str = DEFAULT_LABEL_SIZE,
    copies: int = 1,
    dpi: int = DEFAULT_DPI,
) -> bytes:
    """A label per copy with the SKU's barcode, the SKU, the part's name and its shelf/bin."""
    sku = sku.strip()
    if not sku:
        raise ValidationError(_("A part label needs the part's SKU."), field="sku")
    label_size = parse_label_size(size) if isinstance(size, str) else size
    content = LabelContent(
        code=sku,
        corner=location.strip(),
        lines=(name.strip(),),
        title=_("Part label {sku}").format(sku=sku),
    )
    return label_pdf(content, label_size, copies, dpi)
