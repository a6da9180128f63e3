"""The evidence on paper: the receipt's checklist, photos, loaner and drawn signature; the A4
before/after comparison with exactly the changed points marked (read back from the PDF)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairshop.domain.evidence import PointAnswer, PointState, Stage
from repairshop.printing.documents import PrintSettings, job_comparison, job_receipt, job_to_print
from repairshop.services.database import Database
from repairshop.services.jobs.evidence import (
    add_photo,
    choose_photo_for_receipt,
    evidence_view,
    record_checklist,
    sign,
)
from repairshop.services.jobs.loaners import add_loaner, lend
from tests.integration.test_intake_evidence import PHONE_POINTS, all_ok, jpeg, take_in
from tests.integration.test_money import commit
from tests.printouts import pdf_pages, pdf_text

STROKES = [[(0.05, 0.7), (0.2, 0.1), (0.35, 0.9), (0.5, 0.2)], [(0.55, 0.5), (0.95, 0.45)]]


def printed(db: Database, code: str) -> tuple[bytes, bytes]:
    with db.reader() as uow:
        printing = job_to_print(uow, code, "admin")
    return job_receipt(printing, PrintSettings()), job_comparison(printing)


def test_the_comparison_marks_exactly_the_points_that_changed(db: Database) -> None:
    code = take_in(db, checklist=all_ok(screen="cracked", back="scratched"))
    final = dict.fromkeys(PHONE_POINTS, PointState.OK)
    final["back"] = PointState.SCRATCHED  # as it came
    final["buttons"] = PointState.NOT_WORKING  # new
    answers = [PointAnswer(point, state) for point, state in final.items()]
    commit(db, lambda uow: record_checklist(uow, code, Stage.FINAL, answers, "admin"))
    _receipt, comparison = printed(db, code)
    text = pdf_text(comparison)
    assert "Stav před opravou a po ní" in text  # the customer's language (cs)
    marked = [line for line in text.splitlines() if "≠" in line]
    assert len(marked) == 2
    assert marked[0].startswith("Displej")
    assert marked[1].startswith("Tlačítka")
    assert "Změněné body: 2" in text


def test_the_receipt_prints_the_checklist_photo_loaner_and_signature_but_no_pattern(
    db: Database, tmp_path: Path
) -> None:
    commit(db, lambda uow: add_loaner(uow, "L7", "Galaxy A52", "admin"))
    code = take_in(db, checklist={"screen": {"state": "cracked", "note": "roh"}},
                   pattern_lock="7-4-1-2-3", customer={"name": "Eva Malá", "phone": "777123456",
                                                      "language": "en"})  # fmt: skip
    commit(db, lambda uow: add_photo(uow, code, jpeg("green"), "admin", file_name="a.jpg",
                                     stage=Stage.INTAKE))  # fmt: skip
    with db.reader() as uow:
        (photo,) = evidence_view(uow, code, "admin").photos
    commit(db, lambda uow: choose_photo_for_receipt(uow, code, photo.id, True, "admin"))
    commit(db, lambda uow: lend(uow, code, "L7", "admin", condition="mint"))
    unsigned, _comparison = printed(db, code)
    commit(db, lambda uow: sign(uow, code, "intake", STROKES, "admin", aspect=3.0))
    signed, _comparison = printed(db, code)
    text = pdf_text(signed)
    assert "Condition checked at intake" in text
    assert "Cracked (roh)" in text
    assert "L7 Galaxy A52" in text
    assert "Signed on screen by Eva Malá" in text
    assert "7-4-1" not in text
    assert "74123" not in text
    (tmp_path / "receipt.pdf").write_bytes(signed)
    before = pdf_pages(unsigned)[0].render(scale=1).to_pil().convert("L")
    after = pdf_pages(signed)[0].render(scale=1).to_pil().convert("L")
    assert len(pdf_pages(signed)) == len(pdf_pages(unsigned))
    changed = [
        (x, y)
        for y in range(0, after.height, 2)
        for x in range(0, after.width, 2)
        if abs(int(before.getpixel((x, y))) - int(after.getpixel((x, y)))) > 60
    ]
    assert len(changed) > 40  # the strokes are drawn
    assert len(changed) < 5000  # and nothing else moved much


@pytest.mark.parametrize("language", ["de", "pl", "ru", "hu"])
def test_the_comparison_speaks_every_language(sqlite_db: Database, language: str) -> None:
    code = take_in(sqlite_db, checklist={"screen": "ok"})
    with sqlite_db.reader() as uow:
        printing = job_to_print(uow, code, "admin")
    text = pdf_text(job_comparison(printing, language))
    assert "Condition before" not in text
