"""The quote the customer is asked to approve: what the repair will cost, line by line.

A4 or the 80 mm roll, in the customer's language, with the invoice's layout (the intake
receipt's shop header, the job's barcode, the lines with VAT per rate, the signature
lines): the customer signs it to approve the price, or the clerk sends it with the
``needs_approval`` e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from repairshop.domain.payments import DocumentKind
from repairshop.i18n import N_, format_day, normalise_language
from repairshop.printing.barcodes import fit_barcode
from repairshop.printing.fonts import register_fonts
from repairshop.printing.invoices import _Document
from repairshop.printing.options import DEFAULT_DPI, ReceiptPaper, parse_paper
from repairshop.printing.receipts import (
    BarcodeFlowable,
    device_numbers,
    paper_layout,
    paper_pdf,
)
from repairshop.services.jobs.views import JobView
from repairshop.services.money.invoices import DocumentLine, InvoiceView, RateSum
from repairshop.services.money.lines import JobLinesView
from repairshop.services.shop.settings import ShopSettings


@dataclass(frozen=True)
class QuoteToPrint:
    """What the quote shows: the job, its lines as the bill prices them, the deposit held."""

    job: JobView
    lines: JobLinesView
    deposit: Decimal
    day: date
    """The shop's day the quote is made."""
    prepared_by: str


def _as_document(quote: QuoteToPrint) -> InvoiceView:
    """The quote in the shape the invoice's layout reads (never stored, never numbered)."""
    lines = quote.lines
    return InvoiceView(
        number="",
        kind=DocumentKind.INVOICE,
        issued=quote.day,
        issued_at=datetime.combine(quote.day, datetime.min.time()),
        job=quote.job.code,
        customer=quote.job.customer.name,
        language=quote.job.customer.language,
        currency=lines.currency,
        lines=tuple(
            DocumentLine(
                line.description,
                line.quantity,
                line.unit_price,
                line.vat_rate,
                line.price_includes_vat,
                line.net,
                line.vat,
                line.gross,
            )
            for line in lines.lines
        ),
        vat_by_rate=tuple(
            RateSum(rate.vat_rate, rate.net, rate.vat, rate.gross) for rate in lines.vat_by_rate
        ),
        net=lines.net,
        vat=lines.vat,
        gross=lines.total,
        deposit=quote.deposit,
        paid=(),
        due=lines.total - quote.deposit,
        rounding=Decimal(0),
        change=Decimal(0),
        reason="",
        collected_by="",
        collected_by_note="",
        warranty_until=None,
        desk="",
        issued_by=quote.prepared_by,
        credits=None,
        credited_by=None,
    )


class _Quote(_Document):
    @property
    def title(self) -> str:
        return self.t(N_("Quote"))

    def code_block(self, dpi: int) -> list[Flowable]:
        align = "CENTER" if self.narrow else "RIGHT"
        barcode = fit_barcode(self.job.code, self.width * (1 if self.narrow else 0.45), dpi)
        return [
            self.para(self.title, self.styles.title),
            self.para(self.job.code, self.styles.code),
            BarcodeFlowable(barcode, 9 * mm if self.narrow else 10 * mm, align),
            Spacer(1, 2 * mm),
        ]

    def facts(self) -> list[tuple[str, str]]:
        invoice, t = self.invoice, self.t
        return [
            (t(N_("Date")), format_day(invoice.issued, self.language)),
            (t(N_("Customer")), invoice.customer),
            (t(N_("Device")), self.job.device.title),
            *device_numbers(self.job.device, t),
            (t(N_("Fault")), self.job.fault),
            (t(N_("Prepared by")), invoice.issued_by),
        ]

    def totals(self) -> list[tuple[str, str]]:
        invoice, t = self.invoice, self.t
        pairs = self.sums()
        if invoice.deposit:
            pairs.append((t(N_("To pay at collection")), self.money(max(invoice.due, Decimal(0)))))
        return pairs

    def body(self, clerk_name: str) -> list[Flowable]:
        story = super().body(clerk_name)
        if not self.invoice.lines:
            story.append(self.para(self.t(N_("No price yet: the job has no lines."))))
        story += [
            Spacer(1, 2 * mm),
            self.para(
                self.t(
                    N_(
                        "We do the repair only at this price. Should it cost more, "
                        "we ask you again first."
                    )
                ),
                ParagraphStyle("note", parent=self.styles.small),
            ),
        ]
        return story

    def agreement(self) -> str:
        return self.t(N_("I agree to the repair at the price above."))


def quote_pdf(
    quote: QuoteToPrint,
    shop: ShopSettings,
    *,
    paper: ReceiptPaper | str = ReceiptPaper.A4,
    language: str | None = None,
    logo: bytes | None = None,
    dpi: int = DEFAULT_DPI,
) -> bytes:
    """The quote as PDF bytes; ``language`` defaults to the customer's."""
    register_fonts()
    paper = parse_paper(paper) if isinstance(paper, str) else paper
    language = normalise_language(language or quote.job.customer.language)
    sheet = paper_layout(paper)[0]
    document = _Quote(quote.job, _as_document(quote), shop, language, sheet=sheet)
    story = document.story(quote.prepared_by, logo, dpi)
    return paper_pdf(
        story,
        paper,
        template="quote",
        title=f"{document.title} {quote.job.code}",
        shop=shop,
        language=language,
    )
