"""The shop's logo: stored once for every desk, checked, printed on receipts; both databases."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from repairshop.errors import ValidationError
from repairshop.printing.documents import PrintSettings, job_receipt, load_job_for_printing
from repairshop.services.database import Database
from repairshop.services.shop.settings import MAX_LOGO_BYTES, get_logo, save_logo
from tests.integration.test_intake_and_workflow import take_in
from tests.printouts import decode_barcodes


def png(width: int = 300, height: int = 100) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, format="PNG")
    return out.getvalue()


def store_logo(db: Database, logo: bytes | None) -> None:
    with db.unit_of_work() as uow:
        save_logo(uow, logo, "admin")
        uow.commit()


def test_a_saved_logo_prints_on_every_receipt_and_can_be_removed(db: Database) -> None:
    code = take_in(db)
    store_logo(db, png())

    printing = load_job_for_printing(db, code, "admin")
    assert printing.logo == png()
    pdf = job_receipt(printing, PrintSettings(receipt_format="80mm"))
    assert b"/Subtype /Image" in pdf
    assert decode_barcodes(pdf) == [code]

    store_logo(db, None)
    printing = load_job_for_printing(db, code, "admin")
    assert printing.logo is None
    assert b"/Subtype /Image" not in job_receipt(printing, PrintSettings())


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (b"GIF89a not a png", "PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"broken" * 10, "PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + bytes(MAX_LOGO_BYTES), "at most 512 KiB"),
    ],
)
def test_a_file_that_is_not_a_usable_picture_is_refused_and_the_old_logo_stays(
    db: Database, logo: bytes, message: str
) -> None:
    store_logo(db, png())

    with pytest.raises(ValidationError, match=message):
        store_logo(db, logo)

    with db.reader() as uow:
        assert get_logo(uow) == png()
