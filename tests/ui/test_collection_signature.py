"""The customer signs on the screen at collection: the signature drawn with synthesised mouse
events prints on the collection document (the invoice), with when and by whom it was signed,
in the customer's language. Screens and pages are saved (``REPAIRSHOP_SCREENSHOTS``, else a
temporary folder)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pypdfium2 as pdfium
import pytest
from pytestqt.qtbot import QtBot

from repairshop.i18n import format_moment, gettext_in
from repairshop.printing.documents import PrintSettings, invoice_document, invoice_to_print
from repairshop.services.jobs.evidence import evidence_view
from tests.helpers import intake_document
from tests.printouts import MM, pdf_text
from tests.ui.accessibility import unnamed_controls
from tests.ui.ops import read, wait_idle
from tests.ui.test_collection import READY, open_collect_dialog
from tests.ui.test_intake_evidence import SHOTS, draw_signature, shot
from tests.ui.test_job_money import take_in
from tests.ui.test_translated_layouts import clashing_shortcuts
from ui.evidence.dialogs import SignatureDialog
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.money.collect import CollectDialog

SIGNED = {"en": "Signed on screen by Eva Mala", "cs": "Podepsal(a) na obrazovce Eva Mala"}


@pytest.fixture(params=["en", "cs"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    apply_language(request.param)
    try:
        yield request.param
    finally:
        apply_language("en")


def ink_above_customer_line(pdf: bytes) -> int:
    """Dark pixels in the box a signature takes above the first signature line (the
    customer's: left on a sheet, first on a roll), rendered at 2 px a point: the 8 mm above
    it, room left blank for a pen when nobody signed on the screen."""
    document = pdfium.PdfDocument(pdf)
    page = document[len(document) - 1]
    text = page.get_textpage()
    found = text.search("______", match_case=False).get_next()
    assert found is not None
    left, _bottom, _right, top = text.get_charbox(found[0], loose=True)
    scale = 2
    image = page.render(scale=scale).to_pil().convert("L")
    height = page.get_height()
    box = (
        int(left * scale),
        int((height - top - 8 * MM) * scale),
        int((left + 60 * MM) * scale),
        int((height - top - 1) * scale),
    )
    return sum(image.crop(box).histogram()[:128])


@pytest.mark.parametrize("paper", ["a4", "80mm"])
def test_a_signature_drawn_at_collection_prints_on_the_document(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    paper: str,
) -> None:
    context = window.context
    customer = {"name": "Eva Mala", "phone": "777123456", "language": language}
    code = take_in(qtbot, context, *READY, estimate="3490", preapproved="3490", customer=customer)
    assert intake_document()["customer"]["language"] == "cs"  # overridden above
    dialog = open_collect_dialog(qtbot, window, code)
    assert isinstance(dialog, CollectDialog)

    def sign(pad_dialog: SignatureDialog) -> int:
        pad_dialog.show()
        qtbot.waitExposed(pad_dialog)
        assert pad_dialog.signer.text() == "Eva Mala"
        draw_signature(qtbot, pad_dialog.pad)
        shot(pad_dialog, f"collection-signature-{language}.png")
        pad_dialog.accept()
        return 1

    monkeypatch.setattr(SignatureDialog, "exec", sign)
    assert dialog.sign_state.text() == gettext_in(language, "not signed")
    dialog.sign_button.click()
    assert "Eva Mala" in dialog.sign_state.text()
    shot(dialog, f"collection-dialog-{language}.png")
    assert unnamed_controls(dialog) == []
    assert clashing_shortcuts(dialog) == {}
    dialog.collect_button.click()
    wait_idle(qtbot, context)
    assert dialog.collected is not None
    number = dialog.collected.number
    preview = dialog.preview
    assert preview is not None
    preview.close()

    signature = read(context, lambda uow: evidence_view(uow, code, "admin")).signatures[
        "collection"
    ]
    assert signature.signer == "Eva Mala"
    assert [len(stroke) for stroke in signature.strokes] == [5, 4]

    printing = read(context, lambda uow: invoice_to_print(uow, number, "admin"))
    assert printing.signature is not None
    settings = PrintSettings(receipt_format=paper)
    signed = invoice_document(printing, settings)
    unsigned = invoice_document(replace(printing, signature=None), settings)
    (SHOTS / f"collection-document-{paper}-{language}.pdf").write_bytes(signed)

    # The caption: when and by whom, in the customer's language.
    text = " ".join(pdf_text(signed).split())
    moment = format_moment(signature.at, language, tz=printing.job.zone)
    assert f"{SIGNED[language]}, {moment}" in " ".join(text.split())
    assert SIGNED[language] not in " ".join(pdf_text(unsigned).split())

    # The ink: above the customer's line, where the unsigned page leaves room for a pen.
    assert ink_above_customer_line(signed) > 40
    assert ink_above_customer_line(unsigned) == 0
