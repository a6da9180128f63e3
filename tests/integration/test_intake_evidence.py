"""Intake evidence on both databases: checklists, the pattern lock, photos, signatures, loaners."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from repairshop.db.tables import JobPhoto
from repairshop.domain.evidence import PointAnswer, PointState, Stage
from repairshop.domain.payments import PaymentMethod
from repairshop.domain.statuses import JobStatus as S
from repairshop.errors import PermissionDenied, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.evidence import (
    add_photo,
    evidence_view,
    photo_data,
    record_checklist,
    sign,
)
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.loaners import add_loaner, lend, list_loaners, return_loaner
from repairshop.services.jobs.workflow import JobEdit, edit_job, show_job
from repairshop.services.money.collection import collect
from repairshop.services.shop.backup import backup, restore
from repairshop.services.shop.settings import set_setting
from repairshop.services.shop.users import add_user
from tests.helpers import SettableClock, intake_document
from tests.integration.test_collection import dump, pay, ready_job
from tests.integration.test_money import commit, move

PHONE_POINTS = (
    "screen",
    "frame",
    "back",
    "buttons",
    "cameras",
    "speakers",
    "microphone",
    "charging_port",
    "biometrics",
    "sim_tray",
    "water_indicator",
)


def all_ok(**states: str) -> dict[str, str]:
    return {point: states.get(point, "ok") for point in PHONE_POINTS}


def take_in(db: Database, **document: object) -> str:
    request = intake_request_from_json(intake_document(**document))
    return str(commit(db, lambda uow: intake(uow, request, "admin").code))


def require_checklists(db: Database) -> None:
    commit(db, lambda uow: set_setting(uow, "checklist.required", "yes", "admin"))


def jpeg(colour: str = "red", size: tuple[int, int] = (640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def test_the_checklist_cannot_be_skipped_when_the_shop_requires_it(db: Database) -> None:
    require_checklists(db)
    before = dump(db)
    with pytest.raises(ValidationError, match="Check every point") as error:
        take_in(db, checklist={"screen": "cracked"})
    assert "Frame" in str(error.value)
    assert "Screen" not in str(error.value)
    assert dump(db) == before  # no job, no customer, nothing
    code = take_in(db, checklist=all_ok(screen="cracked", back="scratched"))
    with db.reader() as uow:
        view = evidence_view(uow, code, "admin")
    assert view.intake["screen"] is PointState.CRACKED
    assert list(view.intake) == list(PHONE_POINTS)


def test_without_the_setting_a_partial_checklist_is_kept(db: Database) -> None:
    code = take_in(db, checklist={"screen": {"state": "cracked", "note": "top left corner"}})
    with db.reader() as uow:
        view = evidence_view(uow, code, "admin")
    assert view.intake == {"screen": PointState.CRACKED}
    assert view.notes[("intake", "screen")] == "top left corner"


def test_a_point_not_on_the_device_s_checklist_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="keyboard"):
        take_in(db, checklist={"keyboard": "ok"})


def test_the_shop_edits_a_device_type_s_checklist(db: Database) -> None:
    commit(db, lambda uow: set_setting(uow, "checklist.phone", "screen, Hinge, screen", "admin"))
    require_checklists(db)
    code = take_in(db, checklist={"screen": "ok", "Hinge": "missing"})
    with db.reader() as uow:
        assert evidence_view(uow, code, "admin").points == ("screen", "Hinge")


def test_ready_needs_the_final_checklist_and_the_comparison_marks_what_changed(
    db: Database,
) -> None:
    require_checklists(db)
    code = take_in(db, checklist=all_ok(screen="cracked"), estimate="100", deposit="0",
                   preapproved="100")  # fmt: skip
    for status in (S.DIAGNOSING, S.IN_REPAIR, S.TESTING):
        move(db, code, status)
    with pytest.raises(ValidationError, match="Check the device's condition again"):
        move(db, code, S.READY)
    with pytest.raises(ValidationError, match="Check every point"):
        commit(db, lambda uow: record_checklist(
            uow, code, Stage.FINAL, [PointAnswer("screen", PointState.OK)], "admin"))  # fmt: skip
    final = [PointAnswer(p, PointState.OK) for p in PHONE_POINTS[:-1]]
    final.append(PointAnswer("water_indicator", PointState.NOT_CHECKED))
    commit(db, lambda uow: record_checklist(uow, code, Stage.FINAL, final, "admin"))
    move(db, code, S.READY)
    with db.reader() as uow:
        view = evidence_view(uow, code, "admin")
    assert view.changed_points == ["screen", "water_indicator"]


def test_the_pattern_lock_is_seen_only_by_who_may_see_passcodes(db: Database) -> None:
    commit(db, lambda uow: add_user(uow, "eva", "Eva", "clerk", "admin"))
    code = take_in(db, pattern_lock="1596")
    with db.reader() as uow:
        assert show_job(uow, code, "admin").pattern_lock == "1-5-9-6"
        assert show_job(uow, code, "eva").pattern_lock is None
        assert evidence_view(uow, code, "eva").pattern_lock is None
        assert evidence_view(uow, code, None).pattern_lock is None
    with pytest.raises(PermissionDenied):
        commit(db, lambda uow: edit_job(uow, code, JobEdit(pattern_lock=""), "eva",
                                        expected_version=None))  # fmt: skip
    with pytest.raises(ValidationError, match="at least 4"):
        commit(db, lambda uow: edit_job(uow, code, JobEdit(pattern_lock="1-2-1"), "admin",
                                        expected_version=None))  # fmt: skip
    commit(db, lambda uow: edit_job(uow, code, JobEdit(pattern_lock=""), "admin",
                                    expected_version=None))  # fmt: skip
    with db.reader() as uow:
        assert show_job(uow, code, "admin").pattern_lock == ""


def test_photos_are_limited_in_size_and_kind_and_survive_a_backup(
    db: Database, tmp_path: Path
) -> None:
    code = take_in(db)
    picture = jpeg()
    commit(db, lambda uow: add_photo(uow, code, picture, "admin", file_name="front.jpg",
                                     stage=Stage.INTAKE))  # fmt: skip
    with pytest.raises(ValidationError, match="JPEG or PNG"):
        commit(db, lambda uow: add_photo(uow, code, b"GIF89a....", "admin", file_name="x.gif",
                                         stage=Stage.INTAKE))  # fmt: skip
    with pytest.raises(ValidationError, match="at most 4 MB"):
        commit(db, lambda uow: add_photo(uow, code, picture + bytes(5 * 2**20), "admin",
                                         file_name="big.jpg", stage=Stage.INTAKE))  # fmt: skip
    with db.reader() as uow:
        (shown,) = evidence_view(uow, code, "admin").photos
    assert max(Image.open(io.BytesIO(shown.thumbnail)).size) == 160
    backup(db, tmp_path / "shop.backup")
    commit(db, lambda uow: add_photo(uow, code, jpeg("blue"), "admin", file_name="later.jpg",
                                     stage=Stage.FINAL))  # fmt: skip
    restore(db, tmp_path / "shop.backup", replace=True)
    with db.reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(JobPhoto)) == 1
        assert photo_data(uow, shown.id) == ("image/jpeg", picture)


def test_a_signature_is_kept_as_strokes_with_who_and_when(
    db: Database, clock: SettableClock
) -> None:
    code = take_in(db)
    with pytest.raises(ValidationError, match="empty"):
        commit(db, lambda uow: sign(uow, code, "intake", [[(0.1, 0.1)]], "admin"))
    strokes = [[(0.1, 0.5), (0.3, 0.2), (0.5, 0.8)], [(0.6, 0.5), (0.9, 0.5)]]
    commit(db, lambda uow: sign(uow, code, "intake", strokes, "admin", aspect=3.0))
    with db.reader() as uow:
        signature = evidence_view(uow, code, "admin").signatures["intake"]
    assert signature.signer == "Jiří Dvořák"
    assert signature.strokes == strokes
    assert signature.at == clock.now


def test_a_job_with_its_loaner_out_refuses_collection_and_changes_nothing(
    db: Database, clock: SettableClock
) -> None:
    commit(db, lambda uow: add_loaner(uow, "l1", "iPhone 11 (loaner)", "admin",
                                      deposit=Decimal("50")))  # fmt: skip
    code = ready_job(db, ("Display", "100"), estimate="100", deposit="0")
    commit(db, lambda uow: lend(uow, code, "L1", "admin", due=clock.now.date(),
                                condition="small scratch"))  # fmt: skip
    with pytest.raises(ValidationError, match=r"already has a loaner|is out with"):
        commit(db, lambda uow: lend(uow, code, "L1", "admin"))
    before = dump(db)
    with pytest.raises(ValidationError, match=r"loaner L1 .* has not come back"):
        commit(db, lambda uow: collect(uow, code, pay((PaymentMethod.CASH, "100")), "admin"))
    assert dump(db) == before
    commit(db, lambda uow: return_loaner(uow, "l1", "admin", condition="as lent"))
    commit(db, lambda uow: collect(uow, code, pay((PaymentMethod.CASH, "100")), "admin"))
    with db.reader() as uow:
        assert show_job(uow, code, "admin").status is S.COLLECTED
        view = evidence_view(uow, code, "admin")
    assert view.loan is not None
    assert view.loan.condition_in == "as lent"


def test_a_loaner_lent_at_intake_becomes_overdue(db: Database, clock: SettableClock) -> None:
    commit(db, lambda uow: add_loaner(uow, "L2", "Galaxy A52", "admin"))
    today = clock.now.date()
    code = take_in(db, loaner={"label": "l2", "due": (today + timedelta(days=1)).isoformat(),
                               "deposit": "20", "condition": "like new"})  # fmt: skip
    with db.reader() as uow:
        (row,) = list_loaners(uow)
        assert (row.job, row.due, row.overdue) == (code, today + timedelta(days=1), False)
        assert evidence_view(uow, code, "admin").loan.deposit == "€20.00"  # type: ignore[union-attr]
    clock.advance(days=3)
    with db.reader() as uow:
        assert [row.label for row in list_loaners(uow, overdue_only=True)] == ["L2"]
    later = clock.now.date() + timedelta(days=5)
    with pytest.raises(ValidationError, match="is out with job"):
        take_in(db, loaner="L2", deposit="0", promised=later.isoformat())


def test_a_picture_too_large_to_open_is_refused(sqlite_db: Database) -> None:
    code = take_in(sqlite_db)
    huge = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(huge, "PNG")  # small file, 60 megapixels
    assert len(huge.getvalue()) < 4 * 2**20
    data = huge.getvalue()
    with pytest.raises(ValidationError, match="at most 50 megapixels"):
        commit(sqlite_db, lambda uow: add_photo(uow, code, data, "admin", file_name="huge.png",
                                                stage=Stage.INTAKE))  # fmt: skip
