"""The intake receipt the customer takes home (A4, Letter, or an 80 mm roll).

It speaks the customer's language whatever the clerk's UI speaks: every word
goes through :func:`repairshop.i18n.translator` for that language, and dates
and money are formatted by Babel for it. The passcode and the pattern lock are never
printed. With the job's evidence it adds the condition checked at intake, the photos chosen
for it, the loaner lent, and the customer's signature drawn on the screen.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache, partial
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    Image,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from repairshop import __version__
from repairshop.domain.contacts import format_phone
from repairshop.domain.devices import DEVICE_TYPE_LABELS, DeviceType
from repairshop.domain.payments import PAYMENT_METHOD_LABELS, PaymentMethod
from repairshop.domain.statuses import JOB_TYPE_LABELS, JobType
from repairshop.domain.warranty import REGIME_LABELS
from repairshop.i18n import (
    N_,
    NC_,
    format_day,
    format_moment,
    format_money,
    gettext_in,
    normalise_language,
)
from repairshop.printing.barcodes import Barcode, fit_barcode, snap_to_dots
from repairshop.printing.evidence import checklist_rows, loan_rows, photo_strip
from repairshop.printing.fonts import BOLD, REGULAR, register_fonts
from repairshop.printing.options import DEFAULT_DPI, ReceiptPaper, parse_paper
from repairshop.printing.signatures import signature_block
from repairshop.services.jobs.evidence import EvidenceView, SignatureView
from repairshop.services.jobs.views import DeviceView, JobView
from repairshop.services.shop.settings import ShopSettings

ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm
"""80 mm printers print 72 mm of it; the rest is the paper's edge."""
SHEET_MARGIN = 16 * mm


def device_numbers(device: DeviceView, t: Callable[[str], str]) -> list[tuple[str, str]]:
    """The device's serial number and IMEI, each under its own name (an IMEI is no serial
    number), those it has."""
    pairs = [(t(N_("Serial number")), device.serial or ""), (t(N_("IMEI")), device.imei or "")]
    return [pair for pair in pairs if pair[1]]


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    label: ParagraphStyle
    heading: ParagraphStyle
    shop: ParagraphStyle
    title: ParagraphStyle
    code: ParagraphStyle
    small: ParagraphStyle


@cache
def _styles(narrow: bool) -> _Styles:
    size = 8.0 if narrow else 9.0
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=size, leading=size * 1.3)
    align = TA_CENTER if narrow else TA_RIGHT
    return _Styles(
        body=body,
        label=ParagraphStyle("label", parent=body, fontName=BOLD),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=size + 1,
            leading=(size + 1) * 1.3,
            spaceBefore=size * 0.9,
            spaceAfter=size * 0.2,
        ),
        shop=ParagraphStyle(
            "shop",
            parent=body,
            fontName=BOLD,
            fontSize=size + 5,
            leading=(size + 5) * 1.2,
            alignment=TA_CENTER if narrow else 0,
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD,
            fontSize=size + 3,
            leading=(size + 3) * 1.25,
            alignment=align,
        ),
        code=ParagraphStyle(
            "code",
            parent=body,
            fontName=BOLD,
            fontSize=size + 9,
            leading=(size + 9) * 1.15,
            alignment=align,
        ),
        small=ParagraphStyle("small", parent=body, fontSize=size - 1.5, leading=(size - 1.5) * 1.3),
    )


class BarcodeFlowable(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A Code 128 whose bars land on the printer's dot grid wherever the frame puts it."""

    def __init__(self, barcode: Barcode, height: float, align: str) -> None:
        super().__init__()
        self.barcode = barcode
        self.bar_height = height
        self.hAlign = align

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Set flush right, the right quiet zone lies in the page margin, which is blank.
        quiet = (self.barcode.width - self.barcode.bars_width) / 2
        return self.barcode.width - (quiet if self.hAlign == "RIGHT" else 0), self.bar_height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        x, _y = canvas.absolutePosition(0, 0)
        canvas.translate(snap_to_dots(x, self.barcode.dpi) - x, 0)
        self.barcode.draw(canvas, 0, 0, self.bar_height)


class _Receipt:
    """Builds the flowables of one receipt in one language at one width."""

    def __init__(
        self,
        job: JobView,
        shop: ShopSettings,
        language: str,
        width: float,
        narrow: bool,
        *,
        evidence: EvidenceView | None = None,
    ) -> None:
        self.evidence = evidence
        self.job = job
        self.shop = shop
        self.language = language
        self.width = width
        self.narrow = narrow
        self.styles = _styles(narrow)
        self.t: Callable[[str], str] = partial(gettext_in, language)

    def label_width(self, *groups: list[tuple[str, str]]) -> float:
        """A label column as wide as the widest label these tables show, so they line up."""
        style = self.styles.label
        return 6 + max(
            (
                stringWidth(label, style.fontName, style.fontSize)
                for pairs in groups
                for label, value in pairs
                if value.strip()
            ),
            default=0,
        )

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style or self.styles.body)

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.job.currency, self.language)

    def moment(self, moment: datetime) -> str:
        return format_moment(moment, self.language, tz=self.job.zone)

    def rows(self, pairs: list[tuple[str, str]], width: float, label_width: float) -> Table:
        """Label and value side by side; empty values are left out, a value too long for a
        row (a table's row cannot go on to the next page) is cut with an ellipsis."""
        shown = [(label, _cut(value)) for label, value in pairs if value.strip()]
        label_width = min(label_width, width * 0.45)
        style = self.styles.label
        data = [[self.para(label, style), self.para(value)] for label, value in shown]
        table = Table(data, colWidths=[label_width, width - label_width], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 0.6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6),
                ]
            )
        )
        return table

    def rule(self, thickness: float = 0.6) -> HRFlowable:
        return HRFlowable(
            width="100%", thickness=thickness, color=black, spaceBefore=3, spaceAfter=3
        )

    def shop_block(self, logo: bytes | None) -> list[Flowable]:
        shop, t = self.shop, self.t
        lines: list[Flowable] = []
        align = "CENTER" if self.narrow else "LEFT"
        if logo:
            reader = ImageReader(io.BytesIO(logo))
            image_width, image_height = reader.getSize()
            height = 14 * mm if self.narrow else 16 * mm
            width = min(height * image_width / image_height, self.width * 0.5)
            height = width * image_height / image_width
            lines.append(Image(io.BytesIO(logo), width=width, height=height, hAlign=align))
        style = ParagraphStyle(
            "shopline", parent=self.styles.body, alignment=TA_CENTER if self.narrow else 0
        )
        if shop.name:
            lines.append(self.para(_cut(shop.name), self.styles.shop))
        if shop.address:
            lines.append(self.para(_cut(shop.address), style))
        contact = "  ·  ".join(part for part in (shop.phone, shop.email) if part)
        if contact:
            lines.append(self.para(_cut(contact), style))
        if shop.vat_id:
            lines.append(self.para(t(N_("VAT ID: {vat_id}")).format(vat_id=shop.vat_id), style))
        return lines

    def code_block(self, dpi: int) -> list[Flowable]:
        job, t = self.job, self.t
        align = "CENTER" if self.narrow else "RIGHT"
        barcode = fit_barcode(job.code, self.width * (1 if self.narrow else 0.45), dpi)
        return [
            self.para(t(N_("Intake receipt")), self.styles.title),
            self.para(job.code, self.styles.code),
            BarcodeFlowable(barcode, 11 * mm if self.narrow else 12 * mm, align),
            Spacer(1, 2 * mm),
        ]

    def header(self, logo: bytes | None, dpi: int) -> list[Flowable]:
        if self.narrow:
            return [*self.shop_block(logo), self.rule(1.2), *self.code_block(dpi)]
        left, right = self.width * 0.55, self.width * 0.45
        table = Table([[self.shop_block(logo), self.code_block(dpi)]], colWidths=[left, right])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return [table, self.rule(1.2)]

    def intake_facts(self, clerk_name: str) -> list[tuple[str, str]]:
        job, t = self.job, self.t
        return [
            (t(N_("Received")), self.moment(job.created_at)),
            (t(N_("Received by")), clerk_name),
            (t(N_("Job type")), t(JOB_TYPE_LABELS[job.job_type])),
        ]

    def customer_facts(self) -> list[tuple[str, str]]:
        customer, t = self.job.customer, self.t
        return [
            (t(NC_("person", "Name")), customer.name),
            (t(N_("Phone")), format_phone(customer.phone)),
            (t(N_("Email")), customer.email or ""),
        ]

    def device_facts(self) -> list[tuple[str, str]]:
        job, t = self.job, self.t
        device = job.device
        try:
            kind = t(DEVICE_TYPE_LABELS[DeviceType(device.type)])
        except ValueError:
            kind = device.type
        return [
            (t(N_("Type")), kind),
            (t(N_("Brand and model")), device.title),
            (t(N_("Serial number")), device.serial or ""),
            (t(N_("IMEI")), device.imei or ""),
            (t(N_("Colour")), device.colour),
            (t(N_("Accessories")), job.accessories),
            (t(N_("Condition")), job.condition),
        ]

    def warranty_facts(self) -> list[tuple[str, str]]:
        job, t = self.job, self.t
        if job.job_type is not JobType.WARRANTY_CLAIM:
            return []
        return [
            (
                t(N_("Purchase date")),
                format_day(job.purchase_date, self.language) if job.purchase_date else "",
            ),
            (t(N_("Proof of purchase")), job.proof_of_purchase or t(N_("not presented"))),
        ]

    def warranty_decision(self, label_width: float) -> list[Flowable]:
        """The warranty decided at intake: regime, until when, and the main reason."""
        warranty, t = self.job.warranty, self.t
        if warranty is None:
            return []
        pairs = [(t(N_("Covered by")), t(REGIME_LABELS[warranty.regime]))]
        if warranty.until is not None:
            pairs.append((t(N_("Valid until")), format_day(warranty.until, self.language)))
        width = max(label_width, self.label_width(pairs))
        return [
            *self.section(t(N_("Warranty")), pairs, self.width, width),
            self.para(warranty.main_reason(self.language), self.styles.small),
        ]

    def money_facts(self) -> list[tuple[str, str]]:
        job, t = self.job, self.t
        estimate = (
            self.money(job.estimate) if job.estimate is not None else t(N_("after diagnosis"))
        )
        facts = [(t(N_("Estimated price")), estimate)]
        if job.preapproved is not None:
            facts.append((t(N_("Approved without asking up to")), self.money(job.preapproved)))
        if job.deposit:
            paid = self.money(job.deposit)
            if job.deposit_method in PAYMENT_METHOD_LABELS:
                method = PAYMENT_METHOD_LABELS[PaymentMethod(job.deposit_method)]
                paid = f"{paid} ({t(method)})"
            facts.append((t(N_("Deposit paid")), paid))
        if job.promised:
            facts.append((t(N_("Expected ready by")), format_day(job.promised, self.language)))
        return facts

    def section(
        self, title: str, pairs: list[tuple[str, str]], width: float, label_width: float
    ) -> list[Flowable]:
        return [self.para(title, self.styles.heading), self.rows(pairs, width, label_width)]

    def body(self, clerk_name: str) -> list[Flowable]:
        t, width = self.t, self.width
        intake, customer_pairs = self.intake_facts(clerk_name), self.customer_facts()
        device_pairs = self.device_facts() + self.warranty_facts()
        money = self.money_facts()
        if self.narrow:
            shared = self.label_width(intake, customer_pairs, device_pairs, money)
            story: list[Flowable] = [self.rows(intake, width, shared)]
            story += self.section(t(N_("Customer")), customer_pairs, width, shared)
            story += self.section(t(N_("Device")), device_pairs, width, shared)
        else:
            shared = self.label_width(intake, money)
            story = [self.rows(intake, width, shared)]
            story.append(Spacer(1, 1.5 * mm))
            column = (width - 8 * mm) / 2
            table = Table(
                [
                    [
                        self.section(
                            t(N_("Customer")),
                            customer_pairs,
                            column,
                            self.label_width(customer_pairs),
                        ),
                        self.section(
                            t(N_("Device")), device_pairs, column, self.label_width(device_pairs)
                        ),
                    ]
                ],
                colWidths=[column + 8 * mm, column],
            )
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ]
                )
            )
            story.append(table)
        story += [
            self.para(t(N_("Fault as described by the customer")), self.styles.heading),
            self.para(self.job.fault),
        ]
        story += self.warranty_decision(shared)
        story += self.section(t(N_("Price and dates")), money, width, shared)
        story += self.evidence_sections(shared)
        return story

    def evidence_grid(self, pairs: list[tuple[str, str]]) -> Table:
        """Short label–value pairs in three columns (one on a roll), to keep to one page."""
        columns = 1 if self.narrow else 3
        cells = [self.para(f"{label}: {value}", self.styles.small) for label, value in pairs]
        rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
        rows[-1] += [""] * (columns - len(rows[-1]))
        table = Table(rows, colWidths=[self.width / columns] * columns, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0.3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0.3),
                ]
            )
        )
        return table

    def evidence_sections(self, label_width: float) -> list[Flowable]:
        evidence, t = self.evidence, self.t
        if evidence is None:
            return []
        story: list[Flowable] = []
        checks = checklist_rows(evidence, self.language)
        if checks:
            story.append(self.para(t(N_("Condition checked at intake")), self.styles.heading))
            story.append(self.evidence_grid(checks))
        photos = photo_strip(evidence, self.width)
        if photos is not None:
            story += [self.para(t(N_("Photos")), self.styles.heading), photos]
        if evidence.loan is not None:
            loan = loan_rows(evidence.loan, self.language, self.job.zone)
            story.append(self.para(t(N_("Loaner device")), self.styles.heading))
            story.append(
                self.evidence_grid([(label, value) for label, value in loan if value.strip()])
            )
        return story

    def terms(self) -> list[Flowable]:
        t = self.t
        return [
            self.para(t(N_("Terms")), self.styles.heading),
            self.para(self.shop.terms_for(self.language), self.styles.small),
        ]

    def agreement(self) -> str:
        """What the customer signs under (translated)."""
        return self.t(N_("I hand over the device described above and agree to these terms."))

    def drawn_signature(self) -> SignatureView | None:
        """The signature drawn on the screen that this printout shows: the intake one."""
        return self.evidence.signatures.get("intake") if self.evidence else None

    def signatures(self, clerk_name: str) -> Flowable:
        t = self.t
        return signature_block(
            agreement=self.agreement(),
            customer=t(N_("Customer's signature")),
            shop=t(N_("For the shop: {name}")).format(name=clerk_name),
            width=self.width,
            narrow=self.narrow,
            body=self.styles.body,
            small=self.styles.small,
            language=self.language,
            zone=self.job.zone,
            drawn=self.drawn_signature(),
        )

    def story(self, clerk_name: str, logo: bytes | None, dpi: int) -> list[Flowable]:
        return [
            *self.header(logo, dpi),
            *self.body(clerk_name),
            *self.terms(),
            self.signatures(clerk_name),
        ]


MAX_FACT = 200
"""The most characters a fact (a name, a device's condition) shows in its row."""


def _cut(value: str) -> str:
    return value if len(value) <= MAX_FACT else value[: MAX_FACT - 1].rstrip() + "…"


def _measure(story: list[Flowable], width: float) -> float:
    """The height a frame needs for ``story`` at ``width`` (spaces counted generously)."""
    canvas = Canvas(io.BytesIO())
    height = 0.0
    for flowable in story:
        _w, flowable_height = flowable.wrapOn(canvas, width, 100_000)
        height += flowable_height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return height


def paper_layout(paper: ReceiptPaper) -> tuple[float, float]:
    """The width of ``paper``'s page and the margin kept on it."""
    if paper is ReceiptPaper.ROLL_80MM:
        return ROLL_WIDTH, ROLL_MARGIN
    return (A4 if paper is ReceiptPaper.A4 else LETTER)[0], SHEET_MARGIN


def paper_pdf(
    story: list[Flowable],
    paper: ReceiptPaper,
    *,
    template: str,
    title: str,
    shop: ShopSettings,
    language: str,
) -> bytes:
    """``story`` as PDF bytes on ``paper``: a whole sheet, or a roll cut as long as the story."""
    sheet, margin = paper_layout(paper)
    if paper is ReceiptPaper.ROLL_80MM:
        page_size = (ROLL_WIDTH, _measure(story, sheet - 2 * margin) + 2 * margin + 2)
    else:
        page_size = A4 if paper is ReceiptPaper.A4 else LETTER
    return page_pdf(
        story, page_size, margin, template=template, title=title, shop=shop, language=language
    )


def page_pdf(
    story: list[Flowable],
    page_size: tuple[float, float],
    margin: float,
    *,
    template: str,
    title: str,
    shop: ShopSettings,
    language: str,
) -> bytes:
    """``story`` as PDF bytes on pages of ``page_size``, ``margin`` clear on every side."""
    buffer = io.BytesIO()
    frame = Frame(
        margin,
        margin,
        page_size[0] - 2 * margin,
        page_size[1] - 2 * margin,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    BaseDocTemplate(
        buffer,
        pagesize=page_size,
        pageTemplates=[PageTemplate(template, [frame])],
        title=title,
        author=shop.name or "RepairShop",
        creator=f"RepairShop {__version__}",
        lang=language,
    ).build(story)
    return buffer.getvalue()


def receipt_pdf(
    job: JobView,
    shop: ShopSettings,
    *,
    paper: ReceiptPaper | str = ReceiptPaper.A4,
    language: str | None = None,
    clerk_name: str | None = None,
    logo: bytes | None = None,
    dpi: int = DEFAULT_DPI,
    evidence: EvidenceView | None = None,
) -> bytes:
    """The intake receipt as PDF bytes.

    ``language`` defaults to the customer's; ``clerk_name`` to whoever took the
    device in; ``logo`` is a PNG or JPEG; ``dpi`` is the receipt printer's, for the barcode.
    """
    register_fonts()
    paper = parse_paper(paper) if isinstance(paper, str) else paper
    language = normalise_language(language or job.customer.language)
    clerk = clerk_name or job.created_by_name
    narrow = paper is ReceiptPaper.ROLL_80MM
    sheet, margin = paper_layout(paper)
    width = sheet - 2 * margin
    receipt = _Receipt(job, shop, language, width, narrow, evidence=evidence)
    story = receipt.story(clerk, logo, dpi)
    return paper_pdf(
        story,
        paper,
        template="receipt",
        title=receipt.t(N_("Intake receipt {code}")).format(code=job.code),
        shop=shop,
        language=language,
    )
