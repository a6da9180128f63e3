"""The customer's signature drawn at collection: stored with the collection in one write,
refused with everything else when it is empty, printed on the collection document and not on
a credit note; on both databases."""

from __future__ import annotations

import pytest

from repairshop.errors import ValidationError
from repairshop.printing.documents import PrintSettings, invoice_document, invoice_to_print
from repairshop.services.database import Database
from repairshop.services.jobs.evidence import evidence_view
from repairshop.services.money.collection import collect
from repairshop.services.money.invoices import credit_invoice
from tests.integration.test_collection import CASH, dump, pay, ready_job
from tests.integration.test_money import commit
from tests.printouts import pdf_text

STROKES = (((0.05, 0.7), (0.2, 0.1), (0.35, 0.9)), ((0.5, 0.5), (0.95, 0.45)))


def test_a_signature_at_collection_is_stored_and_printed_on_the_document(db: Database) -> None:
    code = ready_job(db, ("Display", "1000"))
    request = pay((CASH, "500"), collected_by="Marie Dvořáková", signature=STROKES,
                  signature_aspect=4.0)  # fmt: skip
    number = commit(db, lambda uow: collect(uow, code, request, "admin")).number
    with db.reader() as uow:
        signature = evidence_view(uow, code, "admin").signatures["collection"]
        printing = invoice_to_print(uow, number, "admin")
    assert signature.signer == "Marie Dvořáková"  # who took the device, unless named
    assert signature.aspect == pytest.approx(4.0)
    assert printing.signature == signature
    text = " ".join(pdf_text(invoice_document(printing, PrintSettings(), "en")).split())
    assert "Signed on screen by Marie Dvořáková" in text
    text = " ".join(pdf_text(invoice_document(printing, PrintSettings(), "cs")).split())
    assert "Podepsal(a) na obrazovce Marie Dvořáková" in text

    credit = commit(db, lambda uow: credit_invoice(uow, number, "wrong price", "admin"))
    with db.reader() as uow:
        credit_note = invoice_to_print(uow, credit.number, "admin")
    text = " ".join(pdf_text(invoice_document(credit_note, PrintSettings(), "en")).split())
    assert "Signed on screen" not in text  # a credit note hands nothing over


def test_an_empty_signature_refuses_the_collection_and_changes_nothing(db: Database) -> None:
    code = ready_job(db, ("Display", "1000"))
    before = dump(db)
    request = pay((CASH, "500"), signature=(((0.5, 0.5),),))
    with pytest.raises(ValidationError, match="signature is empty"):
        commit(db, lambda uow: collect(uow, code, request, "admin"))
    assert dump(db) == before
