"""A closed job's card: what was recorded can be read, nothing can be changed."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from repairshop.domain.statuses import JobStatus
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from tests.helpers import collect_paid, intake_document
from tests.ui.ops import open_card
from ui.main_window import MainWindow


def test_a_collected_jobs_passcode_is_read_not_changed(
    qtbot: QtBot, window: MainWindow, shop_db: Database
) -> None:
    with shop_db.unit_of_work() as uow:
        document = intake_document()
        document["passcode"] = "2580"
        code = intake(uow, intake_request_from_json(document), "admin").code
        for status in (JobStatus.DIAGNOSING, JobStatus.CANCELLED, JobStatus.READY):
            change_status(uow, code, status, "admin")
        collect_paid(uow, code)
        uow.commit()
    card = open_card(qtbot, window, code)
    assert card.passcode.text() == "2580"  # an administrator may see it
    assert card.passcode.isEnabled()  # readable, selectable, copyable
    assert card.passcode.isReadOnly()
    assert not card.fault.isEnabled()  # like every other field of a closed job
