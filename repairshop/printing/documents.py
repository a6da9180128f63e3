"""A job's printouts straight from the database: what the CLI and the desktop app print.

The workstation's own choices (paper, label size, printer resolution) come in
as :class:`PrintSettings`; they belong to the machine, not the shared database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from repairshop.printing.evidence import comparison_pdf, loan_agreement_pdf
from repairshop.printing.invoices import invoice_pdf
from repairshop.printing.labels import device_label_pdf
from repairshop.printing.options import PrintSettings
from repairshop.printing.quotes import QuoteToPrint, quote_pdf
from repairshop.printing.receipts import receipt_pdf
from repairshop.services.database import Database
from repairshop.services.jobs.evidence import (
    EvidenceView,
    SignatureView,
    collection_signature,
    evidence_view,
)
from repairshop.services.jobs.views import JobView
from repairshop.services.jobs.workflow import load_job, show_job, view_of_job
from repairshop.services.money.collection import bill
from repairshop.services.money.invoices import InvoiceView, show_invoice
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.settings import ShopSettings, get_logo, get_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


@dataclass(frozen=True)
class JobToPrint:
    job: JobView
    shop: ShopSettings
    logo: bytes | None
    evidence: EvidenceView | None = field(default=None)
    """The checklist, photos, loaner and signatures (nothing secret: printed for anyone)."""


def job_to_print(uow: UnitOfWork, code: str, viewer: str) -> JobToPrint:
    job = load_job(uow, code)  # read once, for the receipt's job and its evidence
    return JobToPrint(
        view_of_job(uow, job, viewer),
        get_settings(uow),
        get_logo(uow),
        evidence_view(uow, code, None, job=job),
    )


def load_job_for_printing(db: Database, code: str, viewer: str) -> JobToPrint:
    with db.reader() as uow:
        return job_to_print(uow, code, viewer)


def load_job_for_label(db: Database, code: str, viewer: str) -> JobView:
    """What a device label shows: the job alone (no shop, logo or evidence to read)."""
    with db.reader() as uow:
        return show_job(uow, code, viewer)


def job_receipt(
    printing: JobToPrint, settings: PrintSettings, language: str | None = None
) -> bytes:
    return receipt_pdf(
        printing.job,
        printing.shop,
        paper=settings.receipt_format,
        language=language,
        logo=printing.logo,
        dpi=settings.receipt_dpi,
        evidence=printing.evidence,
    )


def job_comparison(printing: JobToPrint, language: str | None = None) -> bytes:
    """The condition before and after the repair, A4, for the customer to sign at collection."""
    evidence = printing.evidence
    assert evidence is not None, "job_to_print reads the evidence"
    return comparison_pdf(printing.job, evidence, printing.shop, language=language)


def job_loan_agreement(printing: JobToPrint, language: str | None = None) -> bytes:
    """The loan agreement of the loaner lent with the job, A4, in the customer's language."""
    evidence = printing.evidence
    assert evidence is not None, "job_to_print reads the evidence"
    return loan_agreement_pdf(printing.job, evidence, printing.shop, language=language)


def job_label(job: JobView, settings: PrintSettings) -> bytes:
    return device_label_pdf(job, settings.label_size, settings.label_copies, settings.label_dpi)


@dataclass(frozen=True)
class InvoiceToPrint:
    job: JobView
    invoice: InvoiceView
    shop: ShopSettings
    logo: bytes | None
    signature: SignatureView | None = field(default=None)
    """The customer's signature drawn at collection, if they signed on the screen."""


def invoice_to_print(uow: UnitOfWork, number: str, viewer: str) -> InvoiceToPrint:
    invoice = show_invoice(uow, number)
    job = show_job(uow, invoice.job, viewer)
    return InvoiceToPrint(
        job, invoice, get_settings(uow), get_logo(uow), collection_signature(uow, invoice.job)
    )


def invoice_document(
    printing: InvoiceToPrint, settings: PrintSettings, language: str | None = None
) -> bytes:
    """The invoice (credit note, handover document) on the workstation's receipt paper."""
    return invoice_pdf(
        printing.job,
        printing.invoice,
        printing.shop,
        paper=settings.receipt_format,
        language=language,
        logo=printing.logo,
        dpi=settings.receipt_dpi,
        signature=printing.signature,
    )


@dataclass(frozen=True)
class QuoteToPrintOut:
    quote: QuoteToPrint
    shop: ShopSettings
    logo: bytes | None


def quote_to_print(uow: UnitOfWork, code: str, viewer: str) -> QuoteToPrintOut:
    """The job's quote as the bill prices it now (its lines, else its estimate)."""
    job = show_job(uow, code, viewer)
    priced = bill(uow, code)
    quote = QuoteToPrint(
        job,
        priced.lines,
        priced.deposit,
        shop_today(uow),
        get_user(uow, viewer).display_name,
    )
    return QuoteToPrintOut(quote, get_settings(uow), get_logo(uow))


def quote_document(
    printing: QuoteToPrintOut, settings: PrintSettings, language: str | None = None
) -> bytes:
    """The quote on the workstation's receipt paper, in the customer's language."""
    return quote_pdf(
        printing.quote,
        printing.shop,
        paper=settings.receipt_format,
        language=language,
        logo=printing.logo,
        dpi=settings.receipt_dpi,
    )
