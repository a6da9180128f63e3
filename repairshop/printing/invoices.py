"""The invoice, credit note or handover document the customer takes at collection.

A4 or the 80 mm roll, in the customer's language (whatever the clerk's UI speaks), with
the intake receipt's shop header (logo, name, address, VAT ID), the job's ticket code as
a barcode, the lines with VAT per rate, the deposit, what was paid and how, the repair
warranty counted from the collection day, and the signature lines: the customer's signature
drawn on the screen at collection is printed on theirs, with when and by whom it was signed.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Spacer,
    Table,
    TableStyle,
)

from repairshop.domain.payments import (
    DOCUMENT_LABELS,
    FREE_REASON_LABELS,
    PAYMENT_METHOD_LABELS,
    DocumentKind,
)
from repairshop.i18n import N_, format_day, format_figure, normalise_language
from repairshop.printing.barcodes import fit_barcode
from repairshop.printing.fonts import register_fonts
from repairshop.printing.options import DEFAULT_DPI, ReceiptPaper, parse_paper
from repairshop.printing.receipts import (
    ROLL_MARGIN,
    ROLL_WIDTH,
    SHEET_MARGIN,
    BarcodeFlowable,
    _Receipt,
    device_numbers,
    paper_layout,
    paper_pdf,
)
from repairshop.services.jobs.evidence import SignatureView
from repairshop.services.jobs.views import JobView
from repairshop.services.money.invoices import InvoiceView
from repairshop.services.money.lines import rate_text
from repairshop.services.shop.settings import ShopSettings


class _Document(_Receipt):
    """The receipt's layout (shop header, fact tables, signatures) with the bill's sections."""

    def __init__(
        self,
        job: JobView,
        invoice: InvoiceView,
        shop: ShopSettings,
        language: str,
        *,
        sheet: float,
        signature: SignatureView | None = None,
    ) -> None:
        narrow = sheet == ROLL_WIDTH
        width = sheet - 2 * (ROLL_MARGIN if narrow else SHEET_MARGIN)
        super().__init__(job, shop, language, width, narrow)
        self.invoice = invoice
        self.signature = signature

    def drawn_signature(self) -> SignatureView | None:
        """The signature drawn at collection: the customer took the device over (a credit
        note hands nothing over)."""
        if self.invoice.kind is DocumentKind.CREDIT_NOTE:
            return None
        return self.signature

    @property
    def title(self) -> str:
        return self.t(DOCUMENT_LABELS[self.invoice.kind])

    def code_block(self, dpi: int) -> list[Flowable]:
        align = "CENTER" if self.narrow else "RIGHT"
        barcode = fit_barcode(self.job.code, self.width * (1 if self.narrow else 0.45), dpi)
        return [
            self.para(self.title, self.styles.title),
            self.para(self.invoice.number, self.styles.code),
            BarcodeFlowable(barcode, 9 * mm if self.narrow else 10 * mm, align),
            self.para(
                self.t(N_("Job {code}")).format(code=self.job.code),
                ParagraphStyle(
                    "jobcode", parent=self.styles.small, alignment=self.styles.title.alignment
                ),
            ),
            Spacer(1, 2 * mm),
        ]

    def facts(self) -> list[tuple[str, str]]:
        invoice, t = self.invoice, self.t
        day = format_day(invoice.issued, self.language)
        pairs = [(t(N_("Issued")), day)]
        if invoice.kind is DocumentKind.INVOICE:
            pairs.append((t(N_("Date of taxable supply")), day))
        if invoice.credits:
            pairs.append((t(N_("Corrects invoice")), invoice.credits))
        pairs += [
            (t(N_("Customer")), invoice.customer),
            (t(N_("Device")), self.job.device.title),
            *device_numbers(self.job.device, t),
        ]
        if invoice.kind is not DocumentKind.CREDIT_NOTE:
            taken = invoice.collected_by or invoice.customer  # nobody named: the customer came
            if invoice.collected_by_note:
                taken = f"{taken} ({invoice.collected_by_note})"
            pairs.append((t(N_("Collected by")), taken))
        pairs.append((t(N_("Issued by")), invoice.issued_by))
        return pairs

    def cell(self, text: str, bold: bool = False, right: bool = False) -> Flowable:
        style = self.styles.label if bold else self.styles.body
        if right:
            style = ParagraphStyle("right", parent=style, alignment=TA_RIGHT)
        return self.para(text, style)

    def grid(self, data: list[list[Flowable]], widths: list[float], header: bool = True) -> Table:
        table = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
        commands: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 1),
            ("RIGHTPADDING", (0, 0), (-1, -1), 1),
            ("TOPPADDING", (0, 0), (-1, -1), 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8),
        ]
        if header:
            commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.6, "black"))
        table.setStyle(TableStyle(commands))
        return table

    def number(self, value: Decimal) -> str:
        """An amount without its currency, as the totals beneath write it with theirs
        ("899,00" beside "899,00 zł"; "899" beside "899 Ft")."""
        return format_figure(value, self.invoice.currency, self.language)

    def lines_table(self) -> list[Flowable]:
        invoice, t, cell = self.invoice, self.t, self.cell
        if not invoice.lines:
            return []
        if self.narrow:
            data = [[cell(t(N_("Item")), True), cell(t(N_("Total")), True, True)]]
            for line in invoice.lines:
                detail = t(N_("{quantity} × {price}, VAT {rate} %")).format(
                    quantity=line.quantity,
                    price=self.number(line.unit_price),
                    rate=rate_text(line.vat_rate),
                )
                data.append(
                    [
                        cell(f"{line.description}\n{detail}"),
                        cell(self.number(line.gross), right=True),
                    ]
                )
            return [self.grid(data, [self.width * 0.7, self.width * 0.3])]
        headers = [
            (t(N_("Item")), False),
            (t(N_("Qty")), True),
            (t(N_("Unit price")), True),
            (t(N_("VAT %")), True),
            (t(N_("Net")), True),
            (t(N_("VAT")), True),
            (t(N_("Total")), True),
        ]
        data = [[cell(text, True, right) for text, right in headers]]
        for line in invoice.lines:
            data.append(
                [
                    cell(line.description),
                    cell(str(line.quantity), right=True),
                    cell(self.number(line.unit_price), right=True),
                    cell(rate_text(line.vat_rate), right=True),
                    cell(self.number(line.net), right=True),
                    cell(self.number(line.vat), right=True),
                    cell(self.number(line.gross), right=True),
                ]
            )
        label = self.styles.label
        numbers = [  # each at least as wide as its heading ("Menny." is not cut in two)
            max(least, stringWidth(text, label.fontName, label.fontSize) + 3)
            for least, (text, _right) in zip(
                (11 * mm, 22 * mm, 15 * mm, 22 * mm, 20 * mm, 22 * mm), headers[1:], strict=True
            )
        ]
        widths = [self.width - sum(numbers), *numbers]
        return [self.grid(data, widths)]

    def vat_table(self) -> list[Flowable]:
        invoice, t, cell = self.invoice, self.t, self.cell
        if not invoice.vat_by_rate:
            return []
        data = [
            [
                cell(t(N_("VAT %")), True),
                cell(t(N_("Net")), True, True),
                cell(t(N_("VAT")), True, True),
                cell(t(N_("Total")), True, True),
            ]
        ]
        for rate in invoice.vat_by_rate:
            data.append(
                [
                    cell(rate_text(rate.vat_rate)),
                    cell(self.number(rate.net), right=True),
                    cell(self.number(rate.vat), right=True),
                    cell(self.number(rate.gross), right=True),
                ]
            )
        width = self.width if self.narrow else self.width * 0.55
        return [
            self.para(t(N_("VAT summary")), self.styles.heading),
            self.grid(data, [width * 0.25] * 4),
        ]

    def sums(self) -> list[tuple[str, str]]:
        """Net, VAT, gross and the deposit paid: what an invoice and a quote both total."""
        invoice, t = self.invoice, self.t
        pairs = [
            (t(N_("Total without VAT")), self.money(invoice.net)),
            (t(N_("VAT")), self.money(invoice.vat)),
            (t(N_("Total")), self.money(invoice.gross)),
        ]
        if invoice.deposit:
            pairs.append((t(N_("Deposit paid")), self.money(-invoice.deposit)))
        return pairs

    def totals(self) -> list[tuple[str, str]]:
        invoice, t = self.invoice, self.t
        pairs = self.sums()
        if invoice.kind is not DocumentKind.CREDIT_NOTE:
            label = t(N_("To pay")) if invoice.due >= 0 else t(N_("Paid back"))
            pairs.append((label, self.money(abs(invoice.due))))
        if invoice.rounding:
            pairs.append((t(N_("Cash rounding")), self.money(invoice.rounding)))
        for paid in invoice.paid:
            method = t(PAYMENT_METHOD_LABELS[paid.method])
            # What the customer handed over: the change given back is out of it.
            handed = max(paid.tendered, paid.amount)
            pairs.append((t(N_("Paid: {method}")).format(method=method), self.money(handed)))
        if invoice.change:
            pairs.append((t(N_("Change given")), self.money(invoice.change)))
        return pairs

    def body(self, clerk_name: str) -> list[Flowable]:
        invoice, t, width = self.invoice, self.t, self.width
        facts, totals = self.facts(), self.totals()
        shared = self.label_width(facts, totals)
        story: list[Flowable] = [self.rows(facts, width, shared), Spacer(1, 2 * mm)]
        reason = invoice.free_reason
        if reason is not None:
            story.append(self.para(t(FREE_REASON_LABELS[reason]), self.styles.heading))
        elif invoice.kind is DocumentKind.CREDIT_NOTE and invoice.reason:
            story += [
                self.para(t(N_("Reason")), self.styles.heading),
                self.para(invoice.reason),
            ]
        story += self.lines_table()
        story += self.vat_table()
        if invoice.lines:
            totals_width = width if self.narrow else width * 0.55
            story += [Spacer(1, 2 * mm), self.total_rows(totals, totals_width)]
        if invoice.warranty_until is not None:
            story += [
                self.para(t(N_("Repair warranty")), self.styles.heading),
                self.para(
                    t(
                        N_("The repair is under warranty until {date}, counted from collection.")
                    ).format(date=format_day(invoice.warranty_until, self.language))
                ),
            ]
        return story

    def total_rows(self, pairs: list[tuple[str, str]], width: float) -> Table:
        data = [[self.cell(label, True), self.cell(value, right=True)] for label, value in pairs]
        table = Table(data, colWidths=[width * 0.6, width * 0.4], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 1),
                    ("TOPPADDING", (0, 0), (-1, -1), 0.6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6),
                    ("LINEABOVE", (0, 2), (-1, 2), 0.6, "black"),
                ]
            )
        )
        return table

    def agreement(self) -> str:
        return self.t(N_("I took over the device and this document."))

    def story(self, clerk_name: str, logo: bytes | None, dpi: int) -> list[Flowable]:
        return [*self.header(logo, dpi), *self.body(clerk_name), self.signatures(clerk_name)]


def invoice_pdf(
    job: JobView,
    invoice: InvoiceView,
    shop: ShopSettings,
    *,
    paper: ReceiptPaper | str = ReceiptPaper.A4,
    language: str | None = None,
    logo: bytes | None = None,
    dpi: int = DEFAULT_DPI,
    signature: SignatureView | None = None,
) -> bytes:
    """The document as PDF bytes; ``language`` defaults to the one it was issued in;
    ``signature`` is the customer's drawn at collection."""
    register_fonts()
    paper = parse_paper(paper) if isinstance(paper, str) else paper
    language = normalise_language(language or invoice.language)
    sheet = paper_layout(paper)[0]
    document = _Document(job, invoice, shop, language, sheet=sheet, signature=signature)
    story = document.story(invoice.issued_by, logo, dpi)
    return paper_pdf(
        story,
        paper,
        template="invoice",
        title=f"{document.title} {invoice.number}",
        shop=shop,
        language=language,
    )
