"""The document at collection printed in each customer's language, read back from the PDF."""

from __future__ import annotations

from decimal import Decimal

import pytest

from repairshop.domain.payments import PaymentMethod
from repairshop.domain.statuses import JobStatus as S
from repairshop.i18n import LANGUAGES, format_day, format_money, gettext_in
from repairshop.printing.documents import PrintSettings, invoice_document, invoice_to_print
from repairshop.services.database import Database
from repairshop.services.money.collection import CollectRequest, PaymentInput, collect
from repairshop.services.money.invoices import credit_invoice
from repairshop.services.shop.settings import ShopSettings, write_settings
from tests.helpers import collect_paid
from tests.integration.test_collection import ready_job
from tests.integration.test_money import commit, move, new_job
from tests.printouts import decode_barcodes, page_sizes_mm, pdf_text

TITLES = {
    "en": ("Invoice", "Credit note", "Handover document", "Repair warranty", "Cash rounding"),
    "cs": ("Faktura", "Opravný daňový doklad", "Předávací protokol", "Záruka na opravu",
           "Zaokrouhlení"),
    "de": ("Rechnung", "Gutschrift", "Übergabeprotokoll", "Reparaturgarantie",
           "Barzahlungsrundung"),
    "pl": ("Faktura", "Faktura korygująca", "Protokół wydania", "Gwarancja na naprawę",
           "Zaokrąglenie gotówki"),
    "ru": ("Счёт", "Корректировочный счёт", "Акт выдачи", "Гарантия на ремонт",
           "Округление наличных"),
    "hu": ("Számla", "Jóváíró számla", "Átadási jegyzőkönyv", "Javítási garancia",
           "Készpénzes kerekítés"),
}  # fmt: skip
NAMES = {
    "en": "John Smith", "cs": "Jiří Dvořák", "de": "Jürgen Groß", "pl": "Łucja Wąsowska",
    "ru": "Жанна Яковлева", "hu": "Győző Őrsi",
}  # fmt: skip


def shop(db: Database) -> None:
    commit(
        db,
        lambda uow: write_settings(
            uow,
            ShopSettings(
                name="Opravna u Nádraží",
                address="Nádražní 12, 602 00 Brno",
                vat_id="CZ12345678",
                currency="CZK",
                region="CZ",
            ),
        ),
    )


def pdf_of(db: Database, number: str, paper: str = "a4") -> bytes:
    with db.reader() as uow:
        printing = invoice_to_print(uow, number, "admin")
    return invoice_document(printing, PrintSettings(receipt_format=paper))


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invoice_and_its_credit_note_print_in_the_customers_language(
    sqlite_db: Database, language: str
) -> None:
    db = sqlite_db
    shop(db)
    customer = {"name": NAMES[language], "phone": "+420 777 123 456", "language": language}
    code = ready_job(db, ("Display", "3000.40"), customer=customer, estimate="3000.40")
    pay = CollectRequest(payments=(PaymentInput(PaymentMethod.CASH, Decimal(3000)),))
    done = commit(db, lambda uow: collect(uow, code, pay, "admin"))
    pdf = pdf_of(db, done.number)
    text = pdf_text(pdf)
    invoice, credit_note, _handover, warranty, rounding = TITLES[language]
    assert invoice in text
    assert NAMES[language] in text
    # Nobody else named at the counter: the customer collected, by name (not "the customer").
    collected = f"{gettext_in(language, 'Collected by')} {NAMES[language]}"
    assert collected in " ".join(text.split()), text
    placeholder = f"{gettext_in(language, 'Collected by')} {gettext_in(language, 'the customer')}"
    assert placeholder not in " ".join(text.split())
    assert "CZ12345678" in text
    assert "Opravna u Nádraží" in text
    assert done.number in text
    assert format_money(Decimal("3000.40"), "CZK", language).replace("\xa0", " ") in text
    assert warranty in text
    assert rounding in text  # 2,500.40 due, 2,500 paid in cash
    assert code in decode_barcodes(pdf)
    roll = pdf_of(db, done.number, "80mm")
    assert round(page_sizes_mm(roll)[0][0]) == 80
    assert NAMES[language] in pdf_text(roll)

    credit = commit(db, lambda uow: credit_invoice(uow, done.number, "Wrong part", "admin"))
    text = pdf_text(pdf_of(db, credit.number))
    assert credit_note in text
    assert done.number in text  # the invoice it corrects
    assert "Wrong part" in text


def test_a_handover_document_says_why_it_is_free(sqlite_db: Database) -> None:
    db = sqlite_db
    shop(db)
    code = new_job(db, job_type="warranty_claim", purchase_date="2026-01-10", deposit="0")
    for status in (S.DIAGNOSING, S.IN_REPAIR, S.TESTING, S.READY):
        move(db, code, status)
    done = commit(db, lambda uow: collect(uow, code, CollectRequest(), "admin"))
    text = pdf_text(pdf_of(db, done.number))
    assert "Předávací protokol" in text
    assert "Opraveno v záruce: zákazník nic neplatí." in text
    with db.reader() as uow:
        issued = invoice_to_print(uow, done.number, "admin").invoice.issued
    assert format_day(issued, "cs").replace("\xa0", " ") in text


def test_an_imei_is_printed_as_an_imei_and_the_cash_handed_over_with_its_change(
    sqlite_db: Database,
) -> None:
    """A phone with no serial number: its IMEI is not called a serial number. 700 in cash
    for 699 due: the invoice says 700 paid and 1 given back, not 699 and 1."""
    db = sqlite_db
    shop(db)
    device = {"type": "phone", "brand": "Apple", "model": "iPhone 12", "imei": "353326111702413"}
    customer = {"name": "John Smith", "phone": "+420 777 123 456", "language": "en"}
    code = ready_job(
        db, ("Display", "1199"), customer=customer, device=device, estimate="1199", deposit="500"
    )
    pay = CollectRequest(payments=(PaymentInput(PaymentMethod.CASH, Decimal(700)),))
    done = commit(db, lambda uow: collect(uow, code, pay, "admin"))
    text = pdf_text(pdf_of(db, done.number))
    assert "IMEI 353326111702413" in text
    assert "Serial number" not in text
    paid = format_money(Decimal(700), "CZK", "en").replace("\xa0", " ")
    change = format_money(Decimal(1), "CZK", "en").replace("\xa0", " ")
    assert f"Paid: Cash {paid}" in text
    assert f"Change given {change}" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_headings_of_the_lines_are_never_cut_in_two(sqlite_db: Database, language: str) -> None:
    """Hungarian "Menny." (quantity) in bold is wider than the quantity column was."""
    db = sqlite_db
    shop(db)
    customer = {"name": NAMES[language], "phone": "+420 777 123 456", "language": language}
    code = ready_job(db, ("Display", "1000"), customer=customer, estimate="1000", deposit="0")
    pay = CollectRequest(payments=(PaymentInput(PaymentMethod.CASH, Decimal(1000)),))
    done = commit(db, lambda uow: collect(uow, code, pay, "admin"))
    lines = pdf_text(pdf_of(db, done.number)).splitlines()
    heading = gettext_in(language, "Qty")
    assert any(heading in line for line in lines), [line for line in lines if heading[:3] in line]


def test_forints_are_written_whole_in_the_lines_as_in_the_totals(sqlite_db: Database) -> None:
    """One way of writing an amount on a document: "899" in the lines beside "899 Ft" in the
    totals (the lines had "899,00" under totals of "899 Ft")."""
    db = sqlite_db
    hungarian = ShopSettings(
        name="Szerviz", address="Budapest", vat_id="HU12345678", currency="HUF", region="HU"
    )
    commit(db, lambda uow: write_settings(uow, hungarian))
    customer = {"name": NAMES["hu"], "phone": "+36 30 123 4567", "language": "hu"}
    code = ready_job(db, ("Display", "899"), customer=customer, estimate="899")
    done = commit(db, lambda uow: collect_paid(uow, code))
    text = " ".join(pdf_text(pdf_of(db, done.number)).split())
    assert "899 Ft" in text
    assert "899,00" not in text
    assert " 708 191 899" in text  # the VAT summary's net, VAT and gross, whole
